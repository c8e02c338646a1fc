"""Headers for shared caches, pages kept by what they show, and purges sent to the front caches after a commit.

The same behaviour against real Varnish is in tests/test_varnish.py; here a small HTTP server stands
in for Varnish, so these run everywhere.
"""

import contextlib
import datetime
import http.server
import os
import socket
import sys
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Faq, Remedy, WarningSign
from core import cache as page_cache
from editorial import publishing
from editorial.lifecycle import Status
from tests.conftest import SAME_SITE, in_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

UNLINKED = "foot-injury"  # a cause no FAQ links to


class FakeVarnish(http.server.ThreadingHTTPServer):
    """Answers PURGE with `status` and notes the keys of each one."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.purged: list[set[str]] = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self) -> None:  # noqa: N802 - the HTTP method's name
        self.server.purged.append(set(self.headers["xkey-purge"].split()))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def varnish(settings):
    server = FakeVarnish()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONT_CACHES = [server.address]
    yield server
    server.shutdown()
    server.server_close()


def _shared_max_age(response) -> int:
    return int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])


def test_a_public_page_may_be_kept_by_a_shared_cache_under_the_keys_of_what_it_shows(client):
    response = client.get(f"/causes/{UNLINKED}/")
    cause = Cause.objects.get(slug=UNLINKED)
    assert response["Cache-Control"] == f"public, s-maxage={_shared_max_age(response)}, max-age=60"
    midnight = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0)
    assert 0 < _shared_max_age(response) <= (midnight - timezone.localtime()).total_seconds() + 1
    assert response["ETag"].startswith('W/"')
    keys = response["xkey"].split()
    assert f"causes.cause:{cause.pk}" in keys and "site" in keys
    assert not any(key.startswith("causes.faq:") for key in keys)


def _private(response) -> bool:
    control = response.get("Cache-Control", "")
    return "no-store" in control and "private" in control and "public" not in control and "xkey" not in response


def test_what_is_for_one_person_says_no_cache_may_keep_it(client, editor_client):
    reader = Client(headers=SAME_SITE)
    cause = Cause.objects.get(slug=UNLINKED)
    assert _private(reader.post("/check-your-symptoms/", {"red-flags": []}))
    assert _private(reader.post("/feedback/", {"page": "/faq/", "helpful": "yes"}))
    assert _private(reader.get("/causes/no-such-cause/"))  # an error
    assert _private(reader.get(f"/causes/{UNLINKED}/?utm_source=news"))
    assert _private(reader.get("/admin/login/"))  # sets the CSRF cookie
    assert _private(editor_client.get(reverse("admin:causes_cause_changelist")))
    assert _private(editor_client.get(reverse("admin:causes_cause_preview", args=[cause.pk])))
    assert _private(editor_client.get(f"/causes/{UNLINKED}/"))  # a public page, seen by signed-in staff


@pytest.fixture
def built_again(monkeypatch) -> list[str]:
    """The paths that changes build again after their commit, before their stamps land."""
    paths: list[str] = []
    build = page_cache._build_again

    def noted(found: set[str], ahead: dict[str, int]) -> None:
        paths.extend(sorted(found))
        build(found, ahead)

    monkeypatch.setattr(page_cache, "_build_again", noted)
    return paths


def test_a_change_to_one_cause_builds_its_pages_again_and_leaves_the_faq_page_kept(
    client, built_again, django_capture_on_commit_callbacks
):
    paths = [f"/causes/{UNLINKED}/", "/causes/", "/sitemap.xml", "/faq/"]
    for path in paths:
        client.get(path)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A retitled cause"
        cause.save()
    assert set(paths[:3]) <= set(built_again) and "/faq/" not in built_again  # it shows nothing of that cause
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            text = client.get(path).content.decode()
        assert not queries, f"{path} was built before the change's stamps landed: its reader waits for nothing"
        if path != "/faq/":
            assert ("A retitled cause" in text) != (path == "/sitemap.xml"), path  # the sitemap shows addresses only


def test_a_summary_edit_leaves_the_lists_that_show_only_titles_kept_and_a_title_edit_does_not(
    client, built_again, django_capture_on_commit_callbacks
):
    faq = Faq.objects.published().filter(causes__isnull=False).first()
    cause = faq.causes.published().first()
    titles_only, with_summaries = ["/", "/faq/", "/a-z/"], [cause.get_absolute_url(), "/causes/", "/sitemap.xml"]
    for path in titles_only + with_summaries:
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        cause.summary = "A summary only its own page and the lists of summaries show."
        cause.save()
    assert not set(titles_only) & set(built_again) and set(with_summaries) <= set(built_again)  # the sitemap: its date
    assert all(_kept(client, path) for path in titles_only)
    assert cause.summary in client.get("/causes/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause with a new title"
        cause.save()
    for path in titles_only:
        assert "A cause with a new title" in client.get(path).content.decode(), path


def test_a_row_saved_from_a_fixture_or_deleted_moves_its_set_rather_than_each_of_its_fields(
    varnish, django_capture_on_commit_callbacks
):
    """Every list of fields hangs on its set too: a seed load or a restore stamps a few keys a row, not dozens."""
    remedy = Remedy.objects.published().first()
    item = f"causes.remedy:{remedy.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        remedy.save_base(raw=True)  # as loaddata saves a row: what changed is not known
    with django_capture_on_commit_callbacks(execute=True):
        remedy.delete()
    for keys in varnish.purged:
        assert {"causes.remedy:set", item} <= keys
        assert not any(key.count(".") > 1 for key in keys), "no field's key"


def test_a_long_list_of_titles_hangs_on_those_fields_of_the_table(client, monkeypatch):
    """Too many rows to name each in the header: the list hangs on the titles of the whole table instead."""
    monkeypatch.setattr(page_cache, "ITEMS_PER_MODEL", 3)
    keys = client.get("/")["xkey"].split()
    assert {"causes.cause.title", "causes.cause.slug", "causes.cause:set"} <= set(keys)
    assert "causes.cause" not in keys and not any(key.startswith("causes.cause:") for key in keys if key[-3:] != "set")


def test_a_withdrawn_page_is_built_again_once_and_then_no_more(client, built_again, django_capture_on_commit_callbacks):
    cause = Cause.objects.get(slug=UNLINKED)
    client.get(cause.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        cause.status = Status.DRAFT
        cause.save()
    assert built_again.count(cause.get_absolute_url()) == 1  # a 404 now: nothing kept, and not noted again
    with django_capture_on_commit_callbacks(execute=True):
        cause.summary = "Edited while withdrawn."
        cause.save()
    assert built_again.count(cause.get_absolute_url()) == 1


def test_while_a_change_builds_its_pages_readers_are_served_the_kept_page_without_waiting(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    path = f"/causes/{UNLINKED}/"
    client.get(path)
    build = page_cache._build_again
    meanwhile = []

    def reader_meanwhile(found: set[str], ahead: dict[str, int]) -> None:
        build(found, ahead)
        with CaptureQueriesContext(connection) as queries:
            Client().get(path)  # built for the change, which has not stamped its keys yet
        meanwhile.append(len(queries))

    monkeypatch.setattr(page_cache, "_build_again", reader_meanwhile)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause retitled while a reader asked"
        cause.save()
        client.get(path)  # a reader while the transaction runs builds the page and keeps it
    assert meanwhile == [0], "the kept page, from the cache: the one built for the change waits beside it"
    assert _kept(client, path) and "A cause retitled while a reader asked" in client.get(path).content.decode()


def test_a_change_that_another_change_overtakes_while_its_pages_are_built_is_stamped_afresh(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """Its stamps could land after the other change's, with pages built before that change committed."""
    path = f"/causes/{UNLINKED}/"
    client.get(path)
    build = page_cache._build_again

    def overtaken(found: set[str], ahead: dict[str, int]) -> None:
        build(found, ahead)
        page_cache._next_count()  # another server's change takes the next count meanwhile

    monkeypatch.setattr(page_cache, "_build_again", overtaken)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause retitled while another change landed"
        cause.save()
    assert not _kept(client, path), "the pages built ahead are not served: their reader builds the page again"
    assert "A cause retitled while another change landed" in client.get(path).content.decode()


def test_a_change_of_many_rows_builds_each_page_once_and_purges_once(
    client, varnish, built_again, django_capture_on_commit_callbacks
):
    """An approval saves the item, its links and its history in one transaction: one build and one purge."""
    cause = Cause.objects.get(slug=UNLINKED)
    sign = WarningSign.objects.published().exclude(causes=cause).first()
    client.get(cause.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        cause.title = "A cause approved with a new sign"
        cause.save()
        cause.warning_signs.add(sign)
        cause.save()
    assert built_again.count(cause.get_absolute_url()) == 1
    assert len(varnish.purged) == 1
    assert {f"causes.cause:{cause.pk}", f"causes.warningsign:{sign.pk}"} <= varnish.purged[0]
    assert sign.text in client.get(cause.get_absolute_url()).content.decode()


def test_a_savepoint_rolled_back_takes_its_keys_with_it(varnish, django_capture_on_commit_callbacks):
    cause, other = Cause.objects.published()[:2]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        cause.save()
        with contextlib.suppress(RuntimeError), transaction.atomic():
            other.save()
            raise RuntimeError("this part of the change is undone")
    assert varnish.purged == [
        {"causes.cause", "causes.cause.updated", *(f"causes.cause:{cause.pk}{f}" for f in ("", ".updated"))}
    ]


def test_a_page_that_fails_to_build_again_is_logged_and_left_to_its_readers(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    path = f"/causes/{UNLINKED}/"
    client.get(path)

    class Broken:
        def get_response(self, request):
            raise ConnectionError("the database went away")

    monkeypatch.setattr(page_cache, "_pages", Broken)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause saved while its page would not build"
        cause.save()
    assert f"Could not build {path} again after a change" in caplog.text
    assert "A cause saved while its page would not build" in client.get(path).content.decode()


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority is Linux's")
def test_pages_are_built_again_in_a_thread_that_yields_the_cpu_to_readers(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    client.get(f"/causes/{UNLINKED}/")
    seen = []
    build = page_cache._build_each

    def noted(*args) -> None:
        seen.append((threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        build(*args)

    monkeypatch.setattr(page_cache, "_build_each", noted)
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause built again below readers"
        cause.save()
    [(thread, niceness)] = seen
    assert thread != threading.get_native_id() and niceness == min(19, own + page_cache.BUILD_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own, "the change's own thread is as it was"
    assert _kept(client, f"/causes/{UNLINKED}/"), "the thread read the change, in this test's transaction"


def test_a_build_that_fails_as_a_whole_is_logged_and_the_stamps_land(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    client.get(f"/causes/{UNLINKED}/")
    monkeypatch.setattr(page_cache, "_build_each", lambda *args: 1 / 0)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause whose pages would not build"
        cause.save()
    assert "Could not build pages again after a change" in caplog.text
    assert "A cause whose pages would not build" in client.get(f"/causes/{UNLINKED}/").content.decode()


def test_a_change_stops_building_pages_when_its_time_is_up_and_leaves_the_rest_to_their_readers(
    client, monkeypatch, built_again, caplog, django_capture_on_commit_callbacks
):
    path = f"/causes/{UNLINKED}/"
    client.get(path)
    monkeypatch.setattr(page_cache, "BUILD_AHEAD_FOR", -1)
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.title = "A cause saved with no time to build"
        cause.save()
    assert "their readers build the rest" in caplog.text
    assert not _kept(client, path) and "A cause saved with no time to build" in client.get(path).content.decode()


def _kept(client, path: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return not queries


def test_an_faq_edit_drops_the_cause_page_that_shows_it_and_leaves_other_cause_pages_kept(
    client, django_capture_on_commit_callbacks
):
    faq = Faq.objects.published().filter(causes__isnull=False).first()
    shown_on = faq.causes.published().first()
    assert not Faq.objects.filter(causes__slug=UNLINKED).exists()
    paths = [shown_on.get_absolute_url(), f"/causes/{UNLINKED}/", "/faq/", "/remedies/"]
    for path in paths:
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        faq.question = "A reworded question?"
        faq.save()
    assert _kept(client, f"/causes/{UNLINKED}/") and _kept(client, "/remedies/")  # they show nothing of it
    for path in (shown_on.get_absolute_url(), "/faq/"):
        assert "A reworded question?" in client.get(path).content.decode(), path


def test_a_new_link_or_a_newly_live_row_shows_on_the_cause_page_at_once(client, django_capture_on_commit_callbacks):
    cause = Cause.objects.get(slug=UNLINKED)
    faq = Faq.objects.published().exclude(causes=cause).first()
    client.get(cause.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        faq.causes.add(cause)  # a link: the cause's own key moves
    assert faq.question in client.get(cause.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        faq.status = Status.DRAFT
        faq.save()  # withdrawn: every page that showed it drops it
    assert faq.question not in client.get(cause.get_absolute_url()).content.decode()
    assert faq.question not in client.get("/faq/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        faq.status = Status.PUBLISHED
        faq.save()  # live again: the pages of the causes it is linked to show it
    assert faq.question in client.get(cause.get_absolute_url()).content.decode()


def test_a_sign_edit_reaches_every_page_only_if_the_sign_is_on_every_page(client, django_capture_on_commit_callbacks):
    cause = Cause.objects.get(slug=UNLINKED)
    sign = WarningSign.objects.published().filter(general=False).exclude(causes=cause).first()
    client.get(cause.get_absolute_url())
    client.get("/faq/")
    with django_capture_on_commit_callbacks(execute=True):
        sign.text = "you see a reworded sign"
        sign.save()
    assert _kept(client, cause.get_absolute_url()) and _kept(client, "/faq/")
    with django_capture_on_commit_callbacks(execute=True):
        sign.general = True  # now shown on every general page
        sign.save()
    assert "you see a reworded sign" in client.get("/faq/").content.decode()


def test_a_change_purges_the_front_caches_after_it_commits(varnish, django_capture_on_commit_callbacks):
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.summary = "Changed."
        cause.save()
        assert varnish.purged == []  # not before the commit: a reader could fetch the old text again
    item = f"causes.cause:{cause.pk}"  # and the fields the save changed, of the item and of the table
    fields = {f"{key}.{name}" for key in ("causes.cause", item) for name in ("summary", "updated")}
    assert varnish.purged == [{"causes.cause", item, *fields}]


def test_withdrawing_a_page_purges_it_and_every_list_of_its_kind(
    varnish, django_capture_on_commit_callbacks, django_user_model
):
    cause = Cause.objects.get(slug="caffeine")
    reviewer = in_role(django_user_model.objects.create_user("withdrawer"), "Clinical reviewers")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(cause, Status.DRAFT, reviewer, "Withdrawn.")
    assert {f"causes.cause:{cause.pk}", "causes.cause:set"} <= varnish.purged[0]


def test_a_link_change_purges_both_ends(varnish, django_capture_on_commit_callbacks):
    faq = Faq.objects.filter(causes__isnull=False).first()
    cause = faq.causes.first()
    with django_capture_on_commit_callbacks(execute=True):
        faq.causes.remove(cause)
    assert {f"causes.faq:{faq.pk}", f"causes.cause:{cause.pk}", "causes.faq_causes"} <= set().union(*varnish.purged)


def test_a_failed_purge_is_tried_again_and_logged(varnish, caplog, django_capture_on_commit_callbacks):
    varnish.status = 500
    cause = Cause.objects.get(slug=UNLINKED)
    with django_capture_on_commit_callbacks(execute=True):
        cause.save()
    assert len(varnish.purged) == 3
    keys = f"causes.cause causes.cause.updated causes.cause:{cause.pk} causes.cause:{cause.pk}.updated"
    assert f"Could not purge {keys} from front cache {varnish.address}" in caplog.text


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


def test_the_health_check_reports_a_front_cache_that_cannot_be_purged(client, settings, varnish):
    assert client.get("/health/").status_code == 200
    varnish.status = 403  # the cache refuses this server: its address is not in the VCL's acl
    assert client.get("/health/").status_code == 503
    settings.FRONT_CACHES = [_closed_port()]
    assert client.get("/health/").status_code == 503


def test_a_scheduled_item_limits_how_long_a_shared_cache_keeps_pages(
    client, make_cause, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_cause(publish_at=timezone.now() + datetime.timedelta(minutes=10))
    assert 0 < _shared_max_age(client.get("/causes/")) <= 600


def test_a_page_built_while_its_content_changed_is_not_kept(client, monkeypatch):
    """A reader's page built from the old rows while an edit committed must not be kept for the next reader."""
    render = page_cache.PageCacheMiddleware._store

    def edited_meanwhile(key, *details):
        Cause.objects.get(slug=UNLINKED).save()  # another server's edit lands during this request
        return render(key, *details)

    monkeypatch.setattr(page_cache.PageCacheMiddleware, "_store", staticmethod(edited_meanwhile))
    built = client.get(f"/causes/{UNLINKED}/")
    monkeypatch.undo()
    # Nor kept by a front cache: the purge for that edit may have reached it before this page does.
    assert _private(built), built["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/causes/{UNLINKED}/")
    assert queries, "built again, not served from the cache"
