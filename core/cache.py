"""Whole public pages cached for anonymous readers, never stale.

Every cached page is keyed by the content version: one number in the cache that every change to
what readers see moves on once the change is committed. With REDIS_URL every app server reads the
same number, so an edit made through one server shows on every server's next request, with no
timeout. Without Redis the cache is the process's own, which is right for one process only: the
settings switch the page cache off in production unless Redis is there. The day is in the key too,
so what changes with the date alone (review dates) appears on time.

Only views wrapped in `public_page` are ever stored. A form on such a page carries no per-reader
token, so its endpoint is wrapped in `same_origin_post` instead; what a form posts is never stored.
"""

import contextvars
import functools
import gzip
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Min, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import get_callable
from django.utils import timezone

T = TypeVar("T")

MAX_AGE = 300  # seconds a browser or proxy may reuse a page before asking again (a 304 is cheap)
STORED_FOR = 60 * 60 * 24  # an entry outlives its day only by mistake; a new version or day replaces it
NOT_REPLAYED = {"set-cookie", "date", "vary", "content-length", "content-encoding", "etag", "cache-control"}


VERSION_KEY = "content-version"

# The version as this request first read it, so a page built from several versioned parts reads the
# cache once. Set afresh by PageCacheMiddleware for each request (a context variable: each thread has
# its own) and emptied by every change, so a request that edits content sees its own change.
_request_version: contextvars.ContextVar[dict[str, str | None] | None] = contextvars.ContextVar(
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
        now = timezone.now()
        times = [model.objects.filter(publish_at__gt=now).aggregate(at=Min("publish_at"))["at"] for model in _scheduled]
        times += [next_time(now) for next_time in _next_time_hooks]
    except DatabaseError:  # the database is down: pages already kept stay served
        return token
    upcoming = [at for at in times if at is not None]
    return f"{token}@{min(upcoming).timestamp():.6f}" if upcoming else token


_copies: dict[str, tuple[str, object]] = {}  # this process's copy of each name's latest value, by key


def versioned(name: str, load: Callable[[], T]) -> T:
    """Published data that does not depend on who asks, kept under the content version.

    Loaded afresh when the version has moved on, and every time when the cache is down. The process
    keeps its own copy under the same key, so a request need not unpickle it: never stale, because
    the key holds the version. Callers must not change what they get.
    """
    version = content_version()
    if version is None:
        return load()
    key = f"{name}:{version}:{timezone.localdate().isoformat()}"  # the day too, as for pages
    copy = _copies.get(name)
    if copy is not None and copy[0] == key:
        return copy[1]  # type: ignore[return-value]
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, STORED_FOR)
    _copies[name] = (key, value)
    return value


def content_changed(**kwargs) -> None:
    """The one place every change to readers' content reaches: move the content version on.

    At once, so the change's own transaction sees it, and again after the commit: a page another
    reader cached from the old content while the transaction ran is then never served.
    """
    cache.set(VERSION_KEY, secrets.token_hex(8), None)  # at once: no schedule needed for a moment
    _forget_request_version()
    # Once per transaction, however many rows it changes: the new version with the next publish time.
    if not any(func is _next_version for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_next_version)


def _next_version() -> None:
    cache.set(VERSION_KEY, _new_version(), None)
    _forget_request_version()


def _forget_request_version() -> None:
    seen = _request_version.get()
    if seen is not None:
        seen.clear()


_scheduled: list[type[Model]] = []  # watched models with a publish time
_next_time_hooks: list[Callable] = []  # when the next scheduled change goes live (editorial/scheduling.py)
_on_time_hooks: list[Callable] = []  # make due scheduled changes live


def schedule_changes(next_time: Callable, publish_due: Callable) -> None:
    """Let the content version carry the next scheduled change's time, and make due ones live when it comes."""
    if next_time not in _next_time_hooks:
        _next_time_hooks.append(next_time)
        _on_time_hooks.append(publish_due)


def watch(*models: type[Model]) -> None:
    """Move the content version on whenever one of these models, or one of its links, changes."""
    for model in models:
        if any(field.name == "publish_at" for field in model._meta.fields) and model not in _scheduled:
            _scheduled.append(model)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{model._meta.label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
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


class PageCacheMiddleware:
    """Serve whole public pages from the cache, with an ETag so a repeat visit gets a 304.

    Sits right after WhiteNoise: a hit skips sessions, CSRF and the view. A request with a query
    string, a session or a messages cookie, or not a GET, always goes to the view; so does anything
    not marked `public_page`, and nothing with a cookie or a private Cache-Control is stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.last_version: str | None = None  # this process's guess, always checked against the cache

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen: dict[str, str | None] = {}
        token = _request_version.set(seen)
        try:
            return self._respond(request, seen)
        finally:
            _request_version.reset(token)

    def _respond(self, request: HttpRequest, seen: dict[str, str | None]) -> HttpResponse:
        if not self._anonymous_plain_get(request):
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS first, as for a miss: a hostile Host gets a 400, never a stored page
        # One round trip on a hit: fetch the version and the page stored under the version seen last;
        # the page counts only if that is still the version.
        guess = self.last_version
        found = cache.get_many([VERSION_KEY, self._key(request, guess)]) if guess else {}
        version = _on_time(found.get(VERSION_KEY)) or content_version()
        if version is None:  # the cache is down: serve fresh pages
            return self.get_response(request)
        self.last_version = version
        seen["version"] = version  # the view's versioned parts use this one too
        key = self._key(request, version)
        stored = found.get(key) if version == guess else cache.get(key)
        if stored is None:
            response = self.get_response(request)
            if not self._storable(response):
                return response
            stored = self._store(key, response)
        gzipped, headers = stored
        if headers["ETag"] in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            for name in ("ETag", "Cache-Control", "Vary"):
                response[name] = headers[name]
            return response
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(gzipped, headers=headers)
            response["Content-Encoding"] = "gzip"
        else:  # rare now: every browser asks for gzip
            response = HttpResponse(gzip.decompress(gzipped), headers=headers)
        response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def _store(key: str, response: HttpResponse) -> tuple[bytes, dict[str, str]]:
        """Keep the page gzipped with the headers every reader gets, ready to send: a hit does no work."""
        headers = {k: v for k, v in response.items() if k.lower() not in NOT_REPLAYED}
        # Weak: the gzipped and the plain page are the same page to a reader.
        headers["ETag"] = f'W/"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        headers["Vary"] = "Accept-Encoding"
        headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        stored = (gzip.compress(response.content, mtime=0), headers)
        cache.set(key, stored, STORED_FOR)
        return stored

    @staticmethod
    def _key(request: HttpRequest, version: str | None) -> str:
        path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()  # any path, a short safe key
        return f"page:{version}:{timezone.localdate().isoformat()}:{path}"

    @staticmethod
    def _anonymous_plain_get(request: HttpRequest) -> bool:
        return (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
        )
