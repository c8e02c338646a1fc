"""Whole public pages cached for anonymous readers, never stale.

Every cached page is keyed by the content version: one number in the cache that every change to
what readers see moves on once the change is committed. With REDIS_URL every app server reads the
same number, so an edit made through one server shows on every server's next request, with no
timeout. Without Redis the cache is the process's own, which is right for one process only: the
settings switch the page cache off in production unless Redis is there. The day is in the key too,
so what changes with the date alone (review dates) appears on time.

Each page also knows what it shows: the tables its queries read, the items it loads (and, for a list
loaded with only some fields, those fields of them) are its keys. A change stamps the keys it touched,
and a kept page or part is served only while its keys' stamps are as they were when it was built, so
a save re-renders only the pages that show what changed. After the commit the change builds those
pages again before its stamps land (`_stamp_after_building`), so no reader waits for one. The same
keys go out in the `xkey` header, and then `core.purge` drops them from every front cache (Varnish)
in FRONT_CACHES. The content version now moves only for what every page shows at once: a scheduled
time coming round, or a site-wide change.

Only views wrapped in `public_page` are ever stored. A form on such a page carries no per-reader
token, so its endpoint is wrapped in `same_origin_post` instead; what a form posts is never stored.
"""

import contextlib
import contextvars
import datetime
import functools
import gzip
import hashlib
import io
import logging
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Min, Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import get_callable
from django.utils import timezone

T = TypeVar("T")

MAX_AGE = 60  # seconds a browser may reuse a page before asking again with its ETag (a 304 is cheap)
SHARED_MAX_AGE = 60 * 60 * 24  # a front cache keeps a page until purged, or at most this, or to midnight
STORED_FOR = 60 * 60 * 24  # an entry outlives its day only by mistake; a new version or day replaces it
BUILDING = "building:"  # + a page's key: a process is building that page now
BUILD_WAIT = 5  # seconds a reader waits for a page another process is building, and the longest a build holds it
BUILD_POLL = 0.02  # seconds between looks at whether that page is built
NOT_REPLAYED = {"set-cookie", "date", "vary", "content-length", "content-encoding", "etag", "cache-control", "xkey"}


VERSION_KEY = "content-version"

# The version as this request first read it, so a page built from several versioned parts reads the
# cache once. Set afresh by PageCacheMiddleware for each request (a context variable: each thread has
# its own) and emptied by every change, so a request that edits content sees its own change.
_request_version: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "request_version", default=None
)


def content_version() -> str | None:
    """The current content version, started if there is none; read once per request.

    None when the cache is down, or when the version would not be shared by every process that
    serves the site (PAGE_CACHE off): nothing is then kept under it.
    """
    if not settings.PAGE_CACHE:
        return None
    seen = _request_version.get()
    if seen is None:
        return _read_version()
    if "version" not in seen:
        seen["version"] = _read_version()
    return seen["version"]


def _read_version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Look up the next publish time only once this process has started the version: with the
        # cache down the add fails, and a page must not pay for database queries on every request.
        if cache.add(VERSION_KEY, secrets.token_hex(8), None):
            _next_version()
        version = cache.get(VERSION_KEY)
    return _on_time(version)


def _on_time(version: str | None) -> str | None:
    """The version, or a new one if a scheduled item has gone live since it was made.

    A version carries the next publish time after it ("token@unix time"), so an item scheduled for
    14:00 shows from 14:00 on every server, with a warm cache and no job to run.
    """
    if version and "@" in version and time.time() >= float(version.rpartition("@")[2]):
        try:
            with _unrecorded():
                for publish_due in _on_time_hooks:
                    publish_due()  # a scheduled change whose time has come replaces its live version first
        except DatabaseError:
            pass  # the database is down: the next request tries again
        version = _new_version()
        cache.set(VERSION_KEY, version, None)  # two servers may both do this: a few extra misses
    return version


def _new_version() -> str:
    # A new random token, not a count: a cache that lost the key can never bring back an old one.
    token = secrets.token_hex(8)
    try:
        with _unrecorded():
            return _with_next_time(token)
    except DatabaseError:  # the database is down: pages already kept stay served
        return token


@contextlib.contextmanager
def _unrecorded() -> Iterator[None]:
    """Bookkeeping queries made during a page (the next publish time) are not what the page shows."""
    token = _request_version.set(None)
    try:
        yield
    finally:
        _request_version.reset(token)


def _with_next_time(token: str) -> str:
    try:
        now = timezone.now()
        times = [model.objects.filter(publish_at__gt=now).aggregate(at=Min("publish_at"))["at"] for model in _scheduled]
        times += [next_time(now) for next_time in _next_time_hooks]
    except DatabaseError:  # the database is down: pages already kept stay served
        return token
    upcoming = [at for at in times if at is not None]
    return f"{token}@{min(upcoming).timestamp():.6f}" if upcoming else token


# --- What a page shows, and what a change touched -------------------------------------------------

SITE_KEY = "site"  # every page: moved with the content version (a site-wide change or a scheduled time)
STAMP = "stamp:"  # + a key: the change count when something under that key last changed
CHANGES = "content-changes"  # the change count: only grows
_tables: dict[str, str] = {}  # each watched table's key, by table name (filled by `watch`)
_TABLE_NAMES = re.compile(r'"(\w+)"')  # SQLite and PostgreSQL both quote every table name so


def page_keys() -> set[str] | None:
    """The keys of what this request's page has read so far, or None outside a request."""
    seen = _request_version.get()
    return None if seen is None else seen.setdefault("keys", set())


logger = logging.getLogger(__name__)

ITEMS_PER_MODEL = 100  # a page showing more items of one model hangs on its whole table (xkey stays a few kB)
LIVE_FIELDS = ("status", "publish_at")  # a change to these can add an item to a list, or take it off
_listed_by: dict[type[Model], tuple[str, ...]] = {}  # a model's LIVE_FIELDS and the other fields lists pick it by


def _record_tables(execute, sql, params, many, context):
    """A query wrapper: a page that reads a watched table shows what that table holds.

    Except the tables whose rows the page shows one by one (`KeyedQuerySet`, `rows_of`): the page then
    hangs on those rows, not on every row of their tables.
    """
    keys = page_keys()
    if keys is not None:
        skip = _request_version.get().get("rows of", ())  # type: ignore[union-attr]
        keys.update(_tables[name] for name in _TABLE_NAMES.findall(sql) if name in _tables and name not in skip)
    return execute(sql, params, many, context)


class KeyedQuerySet(QuerySet):
    """Rows loaded as items make their page hang on those items, not on their whole table."""

    def _fetch_all(self) -> None:
        seen = _request_version.get()
        table = self.model._meta.db_table
        if self._result_cache is not None or seen is None or self._iterable_class is not ModelIterable:
            return super()._fetch_all()
        if table not in _tables:
            return super()._fetch_all()
        with _skipping({table}):
            super()._fetch_all()
        _hang_on(self.model, {item.pk for item in self._result_cache or ()}, listed=True, fields=self._shown_fields())

    def _shown_fields(self) -> frozenset[str] | None:
        """The fields these rows are loaded with and put in order by, when not all of them (`only`, `defer`)."""
        names, defer = self.query.deferred_loading
        ordering = self.query.order_by or (self.model._meta.ordering if self.query.default_ordering else ())
        if not names or not all(isinstance(name, str) and "__" not in name for name in (*names, *ordering)):
            return None
        every = {field.name for field in self.model._meta.concrete_fields}
        loaded = every - names if defer else {*names, self.model._meta.pk.name}
        return frozenset(loaded | {name.lstrip("-") for name in ordering})


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Note the watched tables every query in this block reads among the request's keys."""
    with connection.execute_wrapper(_record_tables):
        yield


@contextlib.contextmanager
def rows_of(
    *models: type[Model], listed: Iterable[type[Model]] = (), fields: Iterable[str] | None = None
) -> Iterator[dict[type[Model], set]]:
    """Read rows of these models in bulk (values, not items) for a page that shows only some of them.

    The page hangs on the rows the caller adds (by primary key, under their model) to what this
    yields: not on every change to those tables, nor to the links between them, as a link change
    moves the keys of both its ends. A row that goes live or off moves the keys of the rows it is
    linked to, so a page showing a row's links sees a new one. `listed`: models whose rows the page
    picks by something other than a link (causes sharing answers), so it hangs on which are live too.
    Too many rows of one model: its whole table after all. `fields`: the only fields the page shows of
    these rows (and puts them in order by), so a change to the others leaves it kept.
    """
    shown: dict[type[Model], set] = {model: set() for model in models}
    seen = _request_version.get()
    if seen is None:
        yield shown
        return
    tables = {model._meta.db_table for model in models} | {
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
        if field.related_model in models
    }
    with _skipping(tables):
        yield shown
    for model in models:
        _hang_on(model, shown[model], listed=model in listed, fields=None if fields is None else frozenset(fields))


@contextlib.contextmanager
def _skipping(tables: set[str]) -> Iterator[None]:
    """Queries in this block do not make the page hang on these tables: the caller names their rows."""
    seen = _request_version.get()
    outer = seen.get("rows of", frozenset())  # type: ignore[union-attr]
    seen["rows of"] = outer | tables  # type: ignore[index]
    try:
        yield
    finally:
        seen["rows of"] = outer  # type: ignore[index]


def _hang_on(model: type[Model], pks: set, *, listed: bool, fields: frozenset[str] | None = None) -> None:
    """This request's page shows these rows of `model` (and, if `listed`, which rows of it are live).

    A page that shows only some `fields` of the rows (a list of titles) hangs on those fields of each
    row, so a change to a row's other fields (its summary) leaves it kept. Too many rows (or rows times
    fields) for a header Varnish takes: on the whole table, or on those fields of the whole table.
    """
    keys = page_keys()
    if keys is None or model._meta.db_table not in _tables:
        return
    label = _tables[model._meta.db_table]
    if fields is not None:
        fields = fields - {model._meta.pk.name}  # a row keeps its key: a new or deleted one moves the set
        if len(pks) * len(fields) <= ITEMS_PER_MODEL:
            keys.update(field_key(item_key(model, pk), name) for pk in pks for name in fields)
        else:
            keys.update(field_key(label, name) for name in fields)
        keys.add(f"{label}:set")
    elif len(pks) > ITEMS_PER_MODEL:
        keys.add(label)
    else:
        keys.update(item_key(model, pk) for pk in pks)
        if listed:
            keys.add(f"{label}:set")


def item_key(model: type[Model], pk: object) -> str:
    return f"{model._meta.label_lower}:{pk}"


def field_key(label: str, name: str) -> str:
    return f"{label}.{name}"


def _stamps(keys: Iterable[str], *, fresh: bool = False) -> dict[str, int]:
    """Each key's stamp (0 when it never changed), read once per request unless `fresh`."""
    seen = _request_version.get()
    memo: dict[str, int] = {} if seen is None or fresh else seen.setdefault("stamps", {})
    missing = [key for key in keys if key not in memo]
    if missing:
        found = cache.get_many([STAMP + key for key in missing])
        memo.update({key: found.get(STAMP + key, 0) for key in missing})
    ahead = seen.get("ahead", {}) if seen is not None else {}  # a page built for stamps not yet set
    return {key: ahead.get(key, memo[key]) for key in keys}


def _change_count(found: dict | None = None) -> int:
    """The change count now: every stamp at or below it was made before this moment."""
    count = (found or {}).get(CHANGES) or cache.get(CHANGES)
    if count is None:
        # Started from the clock, not 0: a cache that lost the count must never hand out an old stamp again.
        cache.add(CHANGES, time.time_ns() // 1000, None)
        count = cache.get(CHANGES)
    return count or 0


STAMP_TRIES = 3


def _stamp(keys: Iterable[str]) -> bool:
    """Stamp these keys with the next change count, and read the stamps back; False (logged) if they never took.

    A slow Redis drops a write silently (the cache fails open), and a stamp lost that way would let a
    kept page outlive the change it shows by up to a day (STORED_FOR), however well its reads work
    afterwards. So a stamp is tried again until the cache gives it back, STAMP_TRIES times.
    """
    keys = list(keys)
    if not keys:
        return True
    seen = _request_version.get()
    if seen is not None:
        seen.pop("stamps", None)  # this request sees its own change
    for _ in range(STAMP_TRIES):
        count = _next_count()
        if count is None:  # the cache did not answer
            continue
        stamps = {STAMP + key: count for key in keys}
        cache.set_many(stamps, None)
        found = cache.get_many(list(stamps))
        if all((found.get(key) or 0) >= count for key in stamps):  # ours, or a later change's
            return True
    logger.error("Could not stamp %s in the cache: pages that show them may be stale", " ".join(sorted(keys)))
    return False


def _kept(entry: object) -> object | None:
    """A kept (value, stamps) pair's value while none of its keys has changed since, else None."""
    if not isinstance(entry, tuple) or len(entry) != 2:
        return None
    value, stamps = entry
    if stamps and _stamps(stamps) != stamps:
        return None
    keys = page_keys()
    if keys is not None:
        keys.update(stamps)
    return value


def _keep(key: str, value: object, keys: set[str], started: int, timeout: int = 0) -> object | None:
    """Keep (value, its keys' stamps) unless one of those keys changed while it was being built."""
    stamps = _stamps(keys, fresh=True)
    if any(stamp > started for stamp in stamps.values()):
        return None
    entry = (value, stamps)
    cache.set(key, entry, timeout or STORED_FOR)
    return entry


_copies: dict[str, tuple[str, object]] = {}  # this process's copy of each name's latest entry, by key


def versioned(name: str, load: Callable[[], T], items: Iterable[Model] = ()) -> T:
    """Published data that does not depend on who asks, kept until what it was read from changes.

    Loaded afresh when a table it read (or the content version) has changed, and every time when the
    cache is down. The process keeps its own copy, so a request need not unpickle it; the copy is
    checked against the stamps like the shared one. Callers must not change what they get. A page
    that uses it shows what it was read from, so its keys join the page's. `items`: rows `load` shows
    but did not read itself (passed in from the view).
    """
    version = content_version()
    if version is None:
        return load()
    key = f"{name}:{version}:{timezone.localdate().isoformat()}"  # the day too, as for pages
    copy = _copies.get(name)
    if copy is not None and copy[0] == key and (value := _kept(copy[1])) is not None:
        return value  # type: ignore[return-value]
    entry = cache.get(key)
    value = _kept(entry)
    if value is None:
        started = _change_count()
        outer = _request_version.get()
        inner: dict[str, Any] = {"version": version, "keys": {item_key(type(item), item.pk) for item in items}}
        token = _request_version.set(inner)
        try:
            with recording():
                value = load()
        finally:
            _request_version.reset(token)
        if outer is not None:
            outer.setdefault("keys", set()).update(inner["keys"])
        entry = _keep(key, value, inner["keys"], started)
        if entry is None:
            return value  # type: ignore[return-value]
    _copies[name] = (key, entry)
    return value  # type: ignore[return-value]


def content_changed(sender: type[Model] | None = None, instance: Model | None = None, **kwargs) -> None:
    """The one place every change to readers' content reaches.

    A change to a watched model stamps its table and its item, at once (so the change's own request
    sees it) and again after the commit (so a page another reader built from the old rows while the
    transaction ran is never served), then purges the same keys from the front caches. Called with
    no model, it moves the content version on: every page, for a site-wide change or a new schedule.
    """
    if sender is None:
        _move_version(secrets.token_hex(8))  # at once: no schedule needed for a moment
        if not any(func is _next_version for _, func, _ in connection.run_on_commit):
            transaction.on_commit(_next_version)
        _on_commit({SITE_KEY}, reschedule=False)
        return
    changed, reschedule = _keys_of_change(sender, instance, kwargs)
    if connection.in_atomic_block:  # outside one the change is committed already: the stamp after it is enough
        _stamp(changed)
    _on_commit(changed, reschedule=reschedule)


_committed = threading.local()  # the keys of the changes this thread's transaction has committed, not yet stamped


def _on_commit(keys: set[str], *, reschedule: bool) -> None:
    """After the commit, stamp and purge these keys together with every other change of the transaction.

    Each change adds its keys in a callback of its own, so a savepoint rolled back takes its keys with it;
    one callback at the end, which no rollback removes, then stamps them all at once: an approval that
    saves a cause, its links and its history builds each page again once, not once per row.
    """
    if not connection.in_atomic_block:
        _after_commit(keys, reschedule=reschedule)
        return
    transaction.on_commit(functools.partial(_note_committed, keys, reschedule))
    hooks = connection.run_on_commit
    for at, (savepoints, hook, robust) in enumerate(hooks):
        if hook is _after_all_commits:
            hooks[at] = (savepoints, _later, robust)  # in place: tests capture the callbacks by position
    hooks.append((set(), _after_all_commits, False))  # last, and in no savepoint: no rollback removes it


def _note_committed(keys: set[str], reschedule: bool) -> None:
    pending = _committed.__dict__.setdefault("changes", {"keys": set(), "reschedule": False})
    pending["keys"] |= keys
    pending["reschedule"] |= reschedule


def _later() -> None:
    """Where `_after_all_commits` was before a later change moved it to the end."""


def _after_all_commits() -> None:
    pending = _committed.__dict__.pop("changes", None)
    if pending:
        _after_commit(pending["keys"], reschedule=pending["reschedule"])


def _keys_of_change(sender: type[Model], instance: Model | None, details: dict) -> tuple[set[str], bool]:
    """The keys a change touched, and whether the next publish time may have moved."""
    label = _tables.get(sender._meta.db_table, sender._meta.label_lower)
    keys = {label}
    reschedule = False
    if not _keyed(sender) and instance is not None and type(instance) is sender:
        return keys, False  # no page hangs on its items: the table's key is all there is
    if instance is not None and instance.pk is not None and type(instance) is sender:
        keys.add(item_key(sender, instance.pk))
        changed = getattr(instance, "_changed_fields", None)
        instance._changed_fields = None  # the next save reads its own
        if details.get("created") or details.get("signal") is post_delete:
            pass  # which rows there are moves (":set", below): every list of its fields hangs on that
        elif changed is None:
            keys.add(f"{label}:set")  # what changed is not known (a fixture): every list of these rows
        else:
            keys.update(field_key(key, name) for key in (label, item_key(sender, instance.pk)) for name in changed)
        loaded = getattr(instance, "_live_when_loaded", None)
        if (
            details.get("created")
            or loaded is None
            or loaded != _live_fields(instance)
            or details.get("signal") is post_delete
        ):
            keys.add(f"{label}:set")  # new, deleted, or gone live or off: every list of these may change
            if not details.get("created") and details.get("signal") is not post_delete:
                keys.update(_linked_keys(instance))  # pages showing its links: it is there now, or gone
        if loaded is None or _publish_time(loaded) is not None or _publish_time(_live_fields(instance)) is not None:
            reschedule = True  # it has (or had) a publish time: the version must carry the next one
        instance._live_when_loaded = _live_fields(instance)
    elif instance is not None and instance.pk is not None and _keyed(type(instance)):  # a link: both ends
        keys.add(item_key(type(instance), instance.pk))
    if details.get("pk_set") and details.get("model") is not None and _keyed(details["model"]):
        keys.update(item_key(details["model"], pk) for pk in details["pk_set"])
    return keys, reschedule


def _keyed(model: type[Model]) -> bool:
    """Whether pages hang on this model's items (its rows load as items through KeyedQuerySet)."""
    return isinstance(model._default_manager.all(), KeyedQuerySet)


def _linked_keys(instance: Model) -> set[str]:
    """The keys of the rows linked to this one, of models whose rows pages show."""
    meta = instance._meta
    linked = [relation for relation in meta.related_objects if relation.many_to_many]
    relations = [(field.name, field.related_model) for field in meta.many_to_many] + [
        (relation.get_accessor_name(), relation.related_model) for relation in linked
    ]
    keys: set[str] = set()
    with _unrecorded():
        for name, model in relations:
            if _keyed(model):
                keys.update(item_key(model, pk) for pk in getattr(instance, name).values_list("pk", flat=True))
    return keys


def _live_fields(instance: Model) -> tuple:
    names = _listed_by.get(type(instance), LIVE_FIELDS)
    values = tuple(instance.__dict__.get(name) for name in names)
    return values if any(name in instance.__dict__ for name in names) else ()


def _publish_time(live_fields: tuple) -> object:
    return live_fields[1] if live_fields else None


def _note_live_fields(sender: type[Model], instance: Model, **kwargs) -> None:
    instance._live_when_loaded = _live_fields(instance)  # type: ignore[attr-defined]


def _note_changed_fields(sender: type[Model], instance: Model, raw: bool = False, **kwargs) -> None:
    """Before a save: which fields it changes, read from the row as it is (all, for a new row or a fixture)."""
    instance._changed_fields = None  # type: ignore[attr-defined]
    if raw or instance._state.adding or instance.pk is None or not _keyed(sender):
        return
    fields = sender._meta.concrete_fields
    with _unrecorded():
        row = sender._base_manager.filter(pk=instance.pk).values(*(field.attname for field in fields)).first()
    if row is not None:
        instance._changed_fields = {  # type: ignore[attr-defined]
            field.name
            for field in fields
            if getattr(field, "auto_now", False)
            or (field.attname in instance.__dict__ and row[field.attname] != instance.__dict__[field.attname])
        }


def _after_commit(keys: set[str], *, reschedule: bool) -> None:
    """Stamp the keys again, now that the change is there for everyone to read, and purge the front caches.

    A stamp the cache would not take is tried again in the background until it takes (`_stamp_later`):
    until then a page kept from before the change could be served, and fetched again by a front cache.
    """
    stamped = keys - {SITE_KEY}
    if not (_stamp_after_building(stamped) if SITE_KEY not in keys else _stamp(stamped)):
        threading.Thread(target=_stamp_later, args=(stamped,), daemon=True, name="stamp-later").start()
    if reschedule:
        _reschedule()
    from core import purge  # noqa: PLC0415 - purge sends HTTP; only a change needs it

    purge.purge_front_caches(keys)


SHOWN_ON = "shown-on:"  # + a key: the paths of the kept pages that show it
NEXT = ":next"  # + a kept page's key: that page built again for a change whose stamps are about to land
BUILD_AHEAD_FOR = 5.0  # seconds a change may spend building its pages again before its stamps land


def _stamp_after_building(keys: set[str]) -> bool:
    """Build again every kept page that shows these keys, then stamp them: no reader waits for a page.

    Each page is built for the change count this change takes (so readers, who see the old stamps,
    go on being served the old page) and kept beside it (`NEXT`). When the stamps land, readers find
    it there and serve it. If another change took a count meanwhile, its stamp may have landed before
    ours and ours may have written over it, with pages built before its commit: the keys are then
    stamped again, afresh, and those pages are built again by their readers.
    """
    paths = _shown_on(keys)
    if not paths:
        return _stamp(keys)
    count = _next_count()
    if count is None:
        return _stamp(keys)
    _build_again(paths, dict.fromkeys(keys, count))
    _forget_request_version()
    stamps = {STAMP + key: count for key in keys}
    cache.set_many(stamps, None)
    found = cache.get_many([CHANGES, *stamps])
    if found.get(CHANGES) != count or any(found.get(key) != count for key in stamps):
        return _stamp(keys)
    return True


def _next_count() -> int | None:
    try:
        return cache.incr(CHANGES)
    except ValueError:  # no count yet
        _change_count()
        return cache.incr(CHANGES)


def _shown_on(keys: Iterable[str]) -> set[str]:
    if not settings.PAGE_CACHE:
        return set()
    return set().union(*cache.get_many([SHOWN_ON + key for key in keys]).values())


def _show_on(path: str, keys: Iterable[str], *, shown: bool = True) -> None:
    """Note that the kept page at `path` shows these keys (or no longer does), so a change to one builds it again.

    Read, then written: two processes noting pages under one key at once can lose one of them. That page is
    then built by its next reader after a change, as without the index, and noted again when it is kept.
    """
    names = [SHOWN_ON + key for key in keys]
    found = cache.get_many(names)
    changed = {
        name: (paths | {path}) if shown else (paths - {path})
        for name in names
        if (path in (paths := found.get(name, frozenset()))) != shown
    }
    if changed:
        cache.set_many(changed, STORED_FOR)


@functools.cache
def _pages() -> BaseHandler:
    """The site's middleware and views, to build pages with outside a reader's request."""
    handler = BaseHandler()
    handler.load_middleware()
    return handler


BUILD_NICENESS = 10  # how far below readers' requests a change's builds run, where the system allows (Linux)


def _build_again(paths: set[str], ahead: dict[str, int]) -> None:
    """Build these pages as an anonymous reader would get them, and keep each for the stamps `ahead`.

    In a thread that yields the CPU to readers' requests (a higher nice value), which the change waits
    for: on a busy machine readers come first, and the editor's save takes longer. The thread uses
    this thread's database connection, so it reads just what this thread would.
    """
    shared = connections[DEFAULT_DB_ALIAS]
    shared.inc_thread_sharing()

    def build() -> None:
        connections[DEFAULT_DB_ALIAS] = shared
        try:
            if sys.platform == "linux":  # elsewhere the call would lower the whole process
                with contextlib.suppress(OSError):  # not allowed here (a sandbox): at the change's own priority
                    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BUILD_NICENESS)
            _build_each(paths, ahead)
        except Exception:  # the stamps land all the same: readers build the pages
            logger.exception("Could not build pages again after a change")

    thread = threading.Thread(target=build, name="build-again")
    try:
        thread.start()
        thread.join()
    finally:
        shared.dec_thread_sharing()


def _build_each(paths: set[str], ahead: dict[str, int]) -> None:
    site = urllib.parse.urlsplit(settings.SITE_URL)
    deadline = time.monotonic() + BUILD_AHEAD_FOR
    for path in sorted(paths):
        if time.monotonic() > deadline:
            logger.warning("Built pages again for %.0f s; their readers build the rest", BUILD_AHEAD_FOR)
            return
        request = WSGIRequest(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path.encode().decode("iso-8859-1"),  # as a WSGI server passes it
                "QUERY_STRING": "",
                "SERVER_NAME": site.hostname,
                "SERVER_PORT": str(site.port or 443),
                "HTTP_HOST": site.netloc,
                "HTTP_X_FORWARDED_PROTO": "https",
                "wsgi.url_scheme": "https",
                "wsgi.input": io.BytesIO(),
            }
        )
        token = _request_version.set({"ahead": ahead})
        try:
            _pages().get_response(request)
        except Exception:  # a page that fails is left to its readers, who get the error page as ever
            logger.exception("Could not build %s again after a change", path)
        finally:
            _request_version.reset(token)


STAMP_LATER = (1.0, 600.0)  # seconds between tries, and for how long, of a stamp the cache would not take


def _stamp_later(keys: set[str]) -> None:
    """Stamp these keys once the cache takes them, then purge them from the front caches again (logged)."""
    from core import purge  # noqa: PLC0415 - as above

    wait, give_up = STAMP_LATER
    deadline = time.monotonic() + give_up
    while time.monotonic() < deadline:
        time.sleep(wait)
        if _stamp(keys):
            logger.warning("Stamped %s in the cache after all, and purged them again", " ".join(sorted(keys)))
            purge.purge_front_caches(keys)
            return
    logger.error("Gave up stamping %s in the cache: pages that show them may be stale", " ".join(sorted(keys)))


def _reschedule() -> None:
    """Carry the next publish time in the version, keeping its token when the time has not moved."""
    version = cache.get(VERSION_KEY)
    new = _new_version()
    if version is None or version.partition("@")[2] != new.partition("@")[2]:
        _move_version(new)


def _next_version() -> None:
    _move_version(_new_version())


def _move_version(version: str) -> None:
    """Set the content version, read back as `_stamp` reads its stamps (a version lost would keep every page)."""
    _forget_request_version()
    for _ in range(STAMP_TRIES):
        cache.set(VERSION_KEY, version, None)
        if cache.get(VERSION_KEY) == version:
            return
    logger.error("Could not move the content version in the cache: pages may be stale")


def _forget_request_version() -> None:
    seen = _request_version.get()
    if seen is not None:
        seen.pop("version", None)
        seen.pop("stamps", None)


_scheduled: list[type[Model]] = []  # watched models with a publish time
_next_time_hooks: list[Callable] = []  # when the next scheduled change goes live (editorial/scheduling.py)
_on_time_hooks: list[Callable] = []  # make due scheduled changes live


def schedule_changes(next_time: Callable, publish_due: Callable) -> None:
    """Let the content version carry the next scheduled change's time, and make due ones live when it comes."""
    if next_time not in _next_time_hooks:
        _next_time_hooks.append(next_time)
        _on_time_hooks.append(publish_due)


def watch(*models: type[Model], listed_by: dict[type[Model], tuple[str, ...]] | None = None) -> None:
    """Stamp a model's keys whenever one of its rows, or one of its links, changes.

    `listed_by`: fields besides LIVE_FIELDS that some page picks a model's rows by (a sign's "general"),
    so a change to one moves which rows of the model are listed, as going live does.
    """
    for model in models:
        _listed_by[model] = LIVE_FIELDS + (listed_by or {}).get(model, ())
        if any(field.name == "publish_at" for field in model._meta.fields) and model not in _scheduled:
            _scheduled.append(model)
        _tables[model._meta.db_table] = model._meta.label_lower
        post_init.connect(_note_live_fields, sender=model, dispatch_uid=f"content-init-{model._meta.label}")
        pre_save.connect(_note_changed_fields, sender=model, dispatch_uid=f"content-fields-{model._meta.label}")
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{model._meta.label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            _tables[through._meta.db_table] = through._meta.label_lower
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"content-m2m-{through._meta.label}")


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's responses as the same for every anonymous reader, so the page cache may keep them."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapped


CROSS_SITE_REFUSED = "The form was sent from another website."


def same_origin_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form on a cached page has no CSRF token; its POSTs are accepted only from this site.

    Browsers send Sec-Fetch-Site with every request, and Origin with every POST: one of them says
    whether another site sent the form (as Go's CrossOriginProtection checks). A POST with neither
    is refused too: no browser we support sends one so, and a header stripped on the way (by a
    proxy or an extension) must not pass as "this site". Only for forms whose POST changes nothing
    a reader could be harmed by on their behalf; the admin keeps Django's token.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not _sent_from_this_site(request):
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=CROSS_SITE_REFUSED)
        return view(request, *args, **kwargs)

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # the check above replaces the token
    return wrapped


def _sent_from_this_site(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")  # "none": the reader's own action, as a bookmark
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


@contextlib.contextmanager
def _request_context() -> Iterator[dict[str, Any]]:
    """This request's version, stamps and keys: made by the outermost middleware that asks."""
    seen = _request_version.get()
    if seen is not None:
        yield seen
        return
    seen = {}
    token = _request_version.set(seen)
    try:
        yield seen
    finally:
        _request_version.reset(token)


def _anonymous_plain_get(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _shared_max_age() -> int:
    """Until purged, but never past midnight (dates change pages) or the next scheduled publish time."""
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    limits = [SHARED_MAX_AGE, (midnight - now).total_seconds()]
    version = content_version()
    if version and "@" in version:
        limits.append(float(version.rpartition("@")[2]) - time.time())
    return max(1, int(min(limits)))


class CacheHeadersMiddleware:
    """Say who may keep each response: a public page any cache, for long, under its keys; anything else no one.

    Public: a `public_page` answer to an anonymous GET, 200 or 304, that sets no cookie. It gets
    `Cache-Control: public, s-maxage=..., max-age=60`, an ETag and an `xkey` header naming what it
    shows, so a front cache keeps it until a change purges one of those keys. Everything else
    (questionnaire answers, feedback, previews, staff pages, errors, redirects) is `private, no-store`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with _request_context() as seen:
            plain = _anonymous_plain_get(request)
            if plain:
                with recording():
                    response = self.get_response(request)
            else:
                response = self.get_response(request)
            if plain and self._shareable(response):
                if "ETag" not in response and response.status_code == 200:
                    response["ETag"] = _etag(response.content)
                response["xkey"] = " ".join(sorted(seen.get("keys", set()) | {SITE_KEY}))
                response["Cache-Control"] = f"public, s-maxage={_shared_max_age()}, max-age={MAX_AGE}"
            elif "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            return response

    @staticmethod
    def _shareable(response: HttpResponse) -> bool:
        return (
            getattr(response, "public_page", False)
            and response.status_code in (200, 304)
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )


def _etag(content: bytes) -> str:
    # Weak: the gzipped and the plain page are the same page to a reader.
    return f'W/"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


class PageCacheMiddleware:
    """Serve whole public pages from the cache, with an ETag so a repeat visit gets a 304.

    Sits right after CacheHeadersMiddleware: a hit skips sessions, CSRF and the view. A request with
    a query string, a session or a messages cookie, or not a GET, always goes to the view; so does
    anything not marked `public_page`, and nothing with a cookie or a private Cache-Control is stored.
    A kept page is served while none of its keys has changed since it was built.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.last_version: str | None = None  # this process's guess, always checked against the cache
        self.last_keys: dict[str, tuple[str, ...]] = {}  # each kept page's keys, as this process last saw them

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with _request_context() as seen:
            return self._respond(request, seen)

    def _respond(self, request: HttpRequest, seen: dict[str, Any]) -> HttpResponse:
        if not _anonymous_plain_get(request):
            return self.get_response(request)
        if "ahead" in seen:
            return self._build_ahead(request, seen)
        request.get_host()  # ALLOWED_HOSTS first, as for a miss: a hostile Host gets a 400, never a stored page
        # One round trip to find the page: the version, the change count, the page kept under the
        # version seen last and the stamps of the keys it had last time; the page counts only if that is
        # still the version, and its keys' stamps are still the ones it was kept with.
        guess, keys = self.last_version, self.last_keys.get(request.path, ())
        found = cache.get_many(
            [VERSION_KEY, CHANGES, *([self._key(request, guess)] if guess else []), *(STAMP + key for key in keys)]
        )
        seen["stamps"] = {key: found.get(STAMP + key, 0) for key in keys}  # read with the page: no second trip
        version = _on_time(found.get(VERSION_KEY)) or content_version()
        if version is None:  # the cache is down: serve fresh pages
            return self.get_response(request)
        self.last_version = version
        seen["version"] = version  # the view's versioned parts use this one too
        key = self._key(request, version)
        entry = found.get(key) if version == guess else cache.get(key)
        stored = _kept(entry)
        if stored is None:  # built again already, if a change's stamps have just landed
            entry = cache.get(key + NEXT)
            if (stored := _kept(entry)) is not None:
                cache.set(key, entry, STORED_FOR)
        building = False
        if stored is None:
            # One build per page at a time: a reader who asks while another process builds it waits for that page.
            building = cache.add(BUILDING + key, 1, BUILD_WAIT)
            if not building:
                stored, entry = self._built_meanwhile(key)
        if stored is None:
            started = _change_count(found)
            try:
                response = self.get_response(request)
                if not self._storable(response):
                    return response
                stored = self._store(key, response, started, request.path)
            finally:
                if building:
                    cache.delete(BUILDING + key)
        else:
            self.last_keys[request.path] = tuple(entry[1])  # type: ignore[index]
        gzipped, headers = stored  # type: ignore[misc]
        if headers["ETag"] in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            for name in ("ETag", "Vary"):
                response[name] = headers[name]
        elif "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(gzipped, headers=headers)
            response["Content-Encoding"] = "gzip"
        else:  # rare now: every browser asks for gzip
            response = HttpResponse(gzip.decompress(gzipped), headers=headers)
        if response.status_code == 200:
            response["Content-Length"] = str(len(response.content))
        response.public_page = not seen.get("changed meanwhile")  # type: ignore[attr-defined]
        return response

    def _build_ahead(self, request: HttpRequest, seen: dict[str, Any]) -> HttpResponse:
        """Build the page for a change whose stamps have not landed, and keep it beside the page readers get now."""
        version = content_version()
        response = self.get_response(request)
        ahead = seen["ahead"]
        if version is not None and self._storable(response):
            seen["version"] = version
            self._store(self._key(request, version) + NEXT, response, max(ahead.values()), request.path)
        if not (page_keys() or set()) & ahead.keys() or not self._storable(response):
            _show_on(request.path, ahead, shown=False)  # withdrawn, or it no longer shows them: no need next time
        return response

    @staticmethod
    def _built_meanwhile(key: str) -> tuple[object | None, object]:
        """The page another process was building, once it is kept; (None, None) if it is not, within BUILD_WAIT.

        Kept pages are checked against their keys' stamps as ever, so a page built from rows a change has
        since replaced is never served: the reader then builds it itself.
        """
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL)
            found = cache.get_many([BUILDING + key, key])
            if BUILDING + key not in found:
                entry = found.get(key)
                stored = _kept(entry)
                return (stored, entry) if stored is not None else (None, None)
        return None, None

    @staticmethod
    def _store(key: str, response: HttpResponse, started: int, path: str) -> tuple[bytes, dict[str, str]]:
        """Keep the page gzipped with the headers every reader gets, ready to send: a hit does no work.

        Not kept if something it shows changed while it was built: the next request builds it again, and
        this one goes out `private, no-store`.
        """
        headers = {k: v for k, v in response.items() if k.lower() not in NOT_REPLAYED}
        headers["ETag"] = _etag(response.content)
        headers["Vary"] = "Accept-Encoding"
        stored = (gzip.compress(response.content, mtime=0), headers)
        keys = page_keys() or set()
        if _keep(key, stored, keys, started) is None:
            # Nor by a front cache: its purge for that change may have come before this page reaches it.
            _request_version.get()["changed meanwhile"] = True  # type: ignore[index]
        else:
            _show_on(path, keys)
        return stored

    @staticmethod
    def _key(request: HttpRequest, version: str | None) -> str:
        path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()  # any path, a short safe key
        return f"page:{version}:{timezone.localdate().isoformat()}:{path}"

    _anonymous_plain_get = staticmethod(_anonymous_plain_get)

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
        )
