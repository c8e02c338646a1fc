"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No test downloads a browser. Without Chromium these tests skip with a reason, unless
TOESITE_REQUIRE_BROWSER=1 (set by .ci/run), which turns every such skip into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.conftest import load_seed, make_the_migrated_roles_again

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("TOESITE_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        message = "Chromium is not installed (apt-get install -y chromium); see docs/developers.md, 'Browser tests'."
        if REQUIRED:
            pytest.fail(f"TOESITE_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRED and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Browser test skipped while TOESITE_REQUIRE_BROWSER=1: {report.longrepr}"


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with its seed content, as `make run` serves it; the database is emptied after the test."""
    load_seed()
    return live_server


@pytest.fixture(scope="module")
def _seed_for_the_module(django_db_setup, django_db_blocker):
    """The seed, committed once for a module's tests and emptied at its end, as a transactional test would be.

    Fails at the module's end if its tests changed how many rows any table holds: they must use `site`.
    """
    with django_db_blocker.unblock():
        load_seed()
        counts = _row_counts()
        yield
        assert _row_counts() == counts, "a test on the shared_site changed rows: give it its own `site`"
        call_command("flush", interactive=False, verbosity=0)
        make_the_migrated_roles_again()
        connection.close()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


@pytest.fixture
def shared_site(live_server, _seed_for_the_module):
    """The live site with its seed content, shared by the tests of a module that change no rows.

    Emptying the database after each test (`site`) costs about half a second on PostgreSQL; the
    modules whose tests only read pages and answer the questionnaire (which stores nothing) use this.
    """
    return live_server


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's own, except that a test on the `shared_site` keeps its module's seed (no flush)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if "shared_site" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture
def no_js_page(browser, live_server):
    """A page in a browser context with JavaScript switched off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def choose(page, *labels: str) -> None:
    """Tick or select the answers with these exact labels (the first, where several questions share one)."""
    for label in labels:
        page.get_by_label(label, exact=True).first.check()


def submit_questionnaire(page, *labels: str) -> None:
    """Answer on the one-page form, as a reader who chose "Show all questions on one page"."""
    page.goto("/check-your-symptoms/all/")
    choose(page, *labels)
    page.get_by_role("button", name="Show my results").click()


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 means no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
