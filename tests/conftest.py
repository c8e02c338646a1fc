import itertools
import os
import re
import time
from collections.abc import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model, Q
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from causes.models import Category, Cause, Faq, Remedy, SitePage, Source, Urgency, UrgencyWording
from core.cache import content_changed
from editorial.lifecycle import Status
from editorial.models import Change

_counter = itertools.count(1)


def pytest_configure(config):
    """Under pytest-xdist, each worker (gw0, gw1, ...) gets its own Redis database: REDIS_URL's, plus 1 + its number.

    A key prefix would not be enough: `cache.clear()`, which every test starts with, empties the whole
    Redis database, so one worker would wipe the pages and versions another is in the middle of using.
    pytest-django already gives each worker its own test database; servers the tests start inherit
    REDIS_URL, so they share the worker's cache, not another's.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and os.environ.get("REDIS_URL"):
        base, number = re.fullmatch(r"(.*?)(?:/(\d*))?", os.environ["REDIS_URL"]).groups()
        url = f"{base}/{int(number or 0) + 1 + int(worker[2:])}"
        os.environ["REDIS_URL"] = settings.CACHES["default"]["LOCATION"] = url


# What a browser sends with a form posted from one of our own pages; the public forms refuse a POST
# without it (or an Origin), as they would a forged one from another site.
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def browser_client(headers: dict[str, str] | None = None, **kwargs) -> Client:
    """A test client that, like every current browser, says which site a request comes from."""
    return Client(headers={**SAME_SITE, **(headers or {})}, **kwargs)


def results_page(client, *labels: str) -> str:
    """The results for "None of these" red flags and these answers (by label), posted as a reader would."""
    from questionnaire.models import Option

    data: dict[str, list[str]] = {
        "red-flags": [str(Option.objects.get(question__key="red-flags", label="None of these").id)]
    }
    for label in labels:
        option = Option.objects.select_related("question").get(label=label)
        data.setdefault(option.question.key, []).append(str(option.id))
    return client.post("/check-your-symptoms/", data, headers=SAME_SITE).content.decode()


PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/"


def https_client(headers: dict[str, str] | None = None, **kwargs) -> Client:
    """A browser reaching the site through the HTTPS proxy (which sets X-Forwarded-Proto)."""
    return browser_client(headers={"X-Forwarded-Proto": "https", **(headers or {})}, **kwargs)


def make_editor(django_user_model):
    """A superuser named "editor", with no second factor yet."""
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client: Client, username: str = "editor", password: str = PASSWORD, code: str = ""):
    """Post the admin's sign-in form: username, password and the code from an authenticator app."""
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code})


def current_code(device) -> str:
    """The code an authenticator app shows now for `device`."""
    return f"{TOTP(device.bin_key).token():06d}"


@pytest.fixture
def client() -> Client:
    """pytest-django's `client`, as a reader's browser on our own pages."""
    return browser_client()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests render templates without running collectstatic first, hash passwords fast, start with an empty cache.

    MD5 is for tests only: the admin tests would otherwise spend most of their time hashing.
    No STATIC_ROOT: every test client builds its own middleware, and WhiteNoise's would scan a
    collected staticfiles/ (561 files, about 80 ms) each time, and only where `make check` had run.
    The browser tests' live server serves static files from the finders; the test that checks
    WhiteNoise's headers collects into a folder of its own (tests/test_security.py).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # no test sees pages another test cached


def _factory(model, fields: Callable[[int], dict]):
    """A fixture that creates published `model` rows: `make(**overrides)`, numbered to stay unique.

    Content comes with a source, so it is complete enough to publish through the admin, and an
    author, as an editor's draft has.
    """

    @pytest.fixture
    def make(db, django_user_model):
        def create(**overrides):
            item = model.objects.create(**{**fields(next(_counter)), **overrides})
            if hasattr(item, "history"):  # written by an editor, as in the admin, so sign-off knows its author
                author = django_user_model.objects.get_or_create(username="content-author")[0]
                item.history.update(history_user=author)
            if hasattr(item, "missing_to_publish") and hasattr(item, "sources"):  # complete, as published items are
                item.sources.add(
                    Source.objects.get_or_create(
                        title="Factory source", publisher="Test Publisher", defaults={"status": Status.PUBLISHED}
                    )[0]
                )
            return item

        return create

    return make


make_source = _factory(
    Source,
    lambda n: {
        "title": f"Source {n}",
        "publisher": "Test Publisher",
        "url": f"https://example.org/{n}",
        "status": Status.PUBLISHED,
    },
)
make_remedy = _factory(
    Remedy,
    lambda n: {
        "title": f"Remedy {n}",
        "slug": f"remedy-{n}",
        "summary": f"Summary of remedy {n}.",
        "body": f"Body of remedy {n}.",
        "status": Status.PUBLISHED,
    },
)
make_cause = _factory(
    Cause,
    lambda n: {
        "title": f"Cause {n}",
        "slug": f"cause-{n}",
        "category": Category.LIFESTYLE,
        "summary": f"Summary of cause {n}.",
        "body": f"Body of cause {n}.",
        "self_care": f"Self-care for cause {n}.",
        "urgency": Urgency.SEE_DOCTOR,
        "status": Status.PUBLISHED,
    },
)
make_faq = _factory(
    Faq,
    lambda n: {
        "question": f"Question {n}?",
        "slug": f"question-{n}",
        "answer": f"Answer {n}.",
        "order": n,
        "status": Status.PUBLISHED,
    },
)

make_site_page = _factory(
    SitePage,
    lambda n: {
        "title": f"Page {n}",
        "slug": f"page-{n}",
        "summary": f"Summary of page {n}.",
        "body": f"Body of page {n}.",
        "status": Status.PUBLISHED,
    },
)
make_urgency_wording = _factory(
    UrgencyWording,
    lambda n: {
        "level": Urgency.EMERGENCY,
        "heading": f"Emergency heading {n}",
        "card_heading": f"Emergency box heading {n}:",
        "advice": f"Emergency advice {n}.",
        "status": Status.PUBLISHED,
    },
)


def run_the_loaders() -> None:
    """All seed content and the seed questionnaire, through the commands `make run` uses."""
    call_command("load_content", verbosity=0)
    call_command("load_glossary", verbosity=0)
    call_command("load_synonyms", verbosity=0)
    call_command("load_questionnaire", verbosity=0)


Rows = dict[type[Model], list[dict[str, object]]]
_seed_rows: Rows | None = None  # what the loaders wrote into an empty database, kept once per test process


def _rows(models) -> Rows:
    return {model: list(model._base_manager.order_by("pk").values(*_columns(model))) for model in models}


def _columns(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def seed_rows() -> Rows | None:
    """The rows the seed loaders add to a freshly migrated database, or None if they also change rows already there.

    Read by running the loaders once in a savepoint that is rolled back, so the database is left as it was.
    """
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    with transaction.atomic():
        before = _rows(models)
        run_the_loaders()
        after = _rows(models)
        transaction.set_rollback(True)
    added: Rows = {}
    for model in models:
        pk = model._meta.pk.attname
        old = {row[pk]: row for row in before[model]}
        if any(old.get(row[pk], row) != row for row in after[model]) or len(after[model]) < len(old):
            return None  # the loaders changed or removed a row that was there: only running them reproduces that
        if new := [row for row in after[model] if row[pk] not in old]:
            if old:
                return None  # the table had rows of its own: copying rows in could clash with them
            added[model] = new
    return added


def load_seed() -> None:
    """All seed content and the seed questionnaire, exactly as `make run`'s loaders leave an empty database.

    The loaders take seconds (thousands of queries); copying the rows they wrote back in takes one
    INSERT a table. So each test process runs them once to learn their rows (`seed_rows`), and then,
    into a database whose seed tables are empty, inserts those same rows, ids and history included.
    Into anything else (a database already seeded, or with content of a test's own) the loaders run,
    as they would on a real site. tests/test_seed_rows.py holds the copy to the loaders.
    """
    global _seed_rows
    if _seed_rows is None and not Cause._base_manager.exists():  # learnt from an empty database only
        _seed_rows = seed_rows() or {}
    if not _seed_rows or any(model._base_manager.exists() for model in _seed_rows):
        run_the_loaders()
        return
    with transaction.atomic():
        for model, rows in _seed_rows.items():
            model._base_manager.bulk_create(model(**row) for row in rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(_seed_rows)):
                cursor.execute(sql)
        content_changed()  # as the loaders' saves would: every kept page is stale


@pytest.fixture
def seeded(db):
    """The database as `make run` leaves it."""
    load_seed()


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The seed, loaded once for a whole module and rolled back at its end.

    Each test still runs in its own savepoint, so what one test changes the next never sees.
    Only for modules where every database test starts from the seed: mark them with
    `pytest.mark.usefixtures("seeded_module")`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_seed()
        yield
        transaction.set_rollback(True)


def enrol(user) -> TOTPDevice:
    """Give a user a confirmed authenticator app (TOTP), as `manage.py enrol_totp` does."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in_with_both_factors(client, user) -> None:
    """Log `client` in as `user` with a password and a verified second factor, as the admin requires."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrol(user).persistent_id
    session.save()


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser editor, second factor verified."""
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    sign_in_with_both_factors(client, editor)
    return client


_MIGRATED_ROLES: dict[str, list[tuple[str, str]]] = {}  # each role's permissions as the migrations left them


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated; each role's permissions are noted so a flush cannot lose a role.

    At the end, before pytest-django drops it, no other session is left on it (`_no_other_sessions`).
    """
    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            _MIGRATED_ROLES[group.name] = [(p.content_type.app_label, p.codename) for p in group.permissions.all()]
    yield
    with django_db_blocker.unblock():
        _no_other_sessions()


def _no_other_sessions(wait: float = 10.0) -> None:
    """End every other PostgreSQL session on the test database, and wait until they have gone.

    The servers some tests start (gunicorn, the live server) close their connections as they stop,
    but PostgreSQL ends each session's process a moment later. If the run ended within that moment,
    dropping the database failed ("being accessed by other users") and left it behind.
    """
    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")  # noqa: S608 - no outside input
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")  # noqa: S608
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.05)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test, the roles the data migrations made are there again, with exactly their permissions.

    A transactional test ends with a flush, which empties every table, the roles included. Without
    this, whether a later test finds a role would depend on which tests ran before it in its process.
    (A flush a test runs itself, as before a restore, still leaves the database empty for that test.)
    """
    result = yield
    if _MIGRATED_ROLES and nextitem is not None and _ends_with_a_flush(item):  # the test database stays
        with item.config.stash[blocking_manager_key].unblock():
            make_the_migrated_roles_again()
            # Closed at once: after a browser test this code runs outside the test's context (Playwright's
            # event loop), where nothing else would ever close this connection, and the test database
            # could then not be dropped at the end ("being accessed by other users").
            connection.close()
    return result


def _ends_with_a_flush(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction = bool(marker and validate_django_db(marker)[0])  # the marker's first value is `transaction`
    return transaction or "transactional_db" in item.fixturenames


def make_the_migrated_roles_again() -> None:
    """Make each role a flush removed, with exactly the permissions every role migration gave it."""
    for role, permissions in _MIGRATED_ROLES.items():
        if not Group.objects.filter(name=role).exists():
            wanted = Q()
            for app_label, codename in permissions:
                wanted |= Q(content_type__app_label=app_label, codename=codename)
            Group.objects.create(name=role).permissions.set(Permission.objects.filter(wanted))


def in_role(user, role: str):
    """Put `user` in one of the roles the data migrations make."""
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = True
    user.save()
    return user


def person_client(user_model, username: str, role: str, **names) -> Client:
    """A client signed in with both factors as a new staff member in one role."""
    user = in_role(user_model.objects.create_user(username, password=PASSWORD, **names), role)
    client = Client()
    sign_in_with_both_factors(client, user)
    return client


@pytest.fixture
def reviewer_client(django_user_model):
    """A second person, in the Clinical reviewers role, logged in with both factors."""
    return person_client(django_user_model, "reviewer", "Clinical reviewers", first_name="Asha", last_name="Patel")


def approve_waiting(reviewer_client, item) -> None:
    """Approve, as a reviewer, the change to `item` that waits for review (there must be one)."""
    revision = Change.objects.of(item).get(state="waiting")
    opts = item._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[item.pk, revision.pk])
    assert reviewer_client.post(url, {"_approve": "Approve and make live"}).status_code == 302
    item.refresh_from_db()


SIGN_ROWS = "WarningSign_causes-"  # the inline of warning signs on a cause's admin page


def cause_admin_form(cause: Cause, **changes) -> dict:
    """A cause's admin change form as an editor submits it (links kept, no sign rows), with some fields changed."""
    data = {
        name: getattr(cause, name) for name in ("title", "slug", "category", "summary", "body", "self_care", "urgency")
    }
    data.update(
        status="published",
        last_reviewed="2026-11-21",
        next_review_due="2027-11-21",
        remedies=[remedy.pk for remedy in cause.remedies.all()],
        sources=[source.pk for source in cause.sources.all()],
        **{f"{SIGN_ROWS}TOTAL_FORMS": "0", f"{SIGN_ROWS}INITIAL_FORMS": "0"},
    )
    return {**data, **changes}


# How a test reaches the database: pytest-django's fixtures (ours, such as `seeded`, build on them).
# Not django_db_blocker: pytest-django gives it to every test.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def uses_the_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    )


FIRST = {"tests/test_migration_history.py"}  # one walk of the whole migration history, 40-60 s


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With TOESITE_DATABASE_TESTS_ONLY=1 (CI's SQLite pass), only the tests that use the database run,
    and of those not the migration journeys.

    The rest cannot tell one database from another, so CI runs them once, in its PostgreSQL + Redis
    pass, as production runs. The migration journeys (marked `migrations`) walk the whole history back
    and forth, about 40 seconds; they guard the rows of a real site, whose database is PostgreSQL,
    so they run in that pass only. SQLite still migrates forward from nothing at the start of its pass.
    """
    # The longest module first: pytest-xdist hands out whole modules in this order (`--dist loadfile`),
    # so one that came last could leave one process working alone for most of a minute at the end.
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in FIRST)  # stable: the rest keep their order
    if os.environ.get("TOESITE_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if uses_the_database(item) and not item.get_closest_marker("migrations")]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept
