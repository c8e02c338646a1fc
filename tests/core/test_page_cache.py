"""Whole public pages come from the cache for anonymous readers, and are never stale."""

import datetime
import gzip
import time

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from causes.models import Cause, Remedy, Source, WarningSign
from core import cache as page_cache
from editorial.lifecycle import Status
from tests.conftest import approve_waiting, cause_admin_form, results_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

ARTICLE = "/causes/caffeine/"


@pytest.fixture
def reader():
    """An anonymous reader, apart from `editor_client` (which logs the `client` fixture in)."""
    return Client()


def _text(response) -> str:
    return response.content.decode()


def test_a_second_visit_is_served_from_the_cache_without_a_query(client, django_assert_num_queries):
    first = client.get(ARTICLE)
    with django_assert_num_queries(0):
        second = client.get(ARTICLE)
    assert second.status_code == 200 and second.content == first.content
    # Issue 27: a front cache keeps it until purged; a browser asks again after a minute, with the ETag.
    assert second["Cache-Control"].startswith("public, s-maxage=") and second["Cache-Control"].endswith(", max-age=60")
    assert second["xkey"] == first["xkey"] and "causes.cause:" in second["xkey"]
    assert not second.cookies and second["X-Frame-Options"] == "DENY"  # the same headers as the first


def test_a_repeat_visit_with_the_etag_gets_a_304(client):
    etag = client.get("/")["ETag"]
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response["ETag"] == etag and not response.content


def test_an_approved_admin_change_shows_on_the_very_next_request(reader, editor_client, reviewer_client):
    cause = Cause.objects.get(slug="caffeine")
    assert "An editor rewrote this summary." not in _text(reader.get(ARTICLE))
    form = cause_admin_form(cause, summary="An editor rewrote this summary.")
    assert editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form).status_code == 302
    assert "An editor rewrote this summary." not in _text(reader.get(ARTICLE))  # waiting for review
    approve_waiting(reviewer_client, cause)
    for path in (ARTICLE, "/causes/"):
        assert "An editor rewrote this summary." in _text(reader.get(path)), path


def test_a_bulk_unpublish_and_a_delete_show_at_once(reader, editor_client):
    assert "Too much caffeine" in _text(reader.get("/causes/"))
    cause = Cause.objects.get(slug="caffeine")
    editor_client.post(
        reverse("admin:causes_cause_changelist"),
        {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw"},
    )
    assert "Too much caffeine" not in _text(reader.get("/causes/"))
    assert reader.get(ARTICLE).status_code == 404
    remedy = Remedy.objects.get(slug="drink-water")
    assert remedy.title in _text(reader.get("/remedies/"))
    remedy.delete()
    assert remedy.title not in _text(reader.get("/remedies/"))


def test_a_change_to_a_linked_source_or_sign_shows_on_the_pages_that_show_it(client):
    assert client.get(ARTICLE).status_code == 200
    source = Source.objects.filter(causes__slug="caffeine", evidence=True).first()
    source.title = "A renamed source page"
    source.save()
    assert "A renamed source page" in _text(client.get(ARTICLE))
    sign = WarningSign.objects.filter(causes__slug="caffeine").first()
    sign.causes.remove(Cause.objects.get(slug="caffeine"))
    assert sign.text not in _text(client.get(ARTICLE))


def test_an_editor_is_never_served_from_or_stored_in_the_cache(reader, editor_client, django_assert_max_num_queries):
    reader.get(ARTICLE)  # cached for the public
    Cause.objects.filter(slug="caffeine").update(summary="Changed behind the back of the cache.")  # no signal
    seen = editor_client.get(ARTICLE)
    assert "Changed behind the back of the cache." in _text(seen) and "public" not in seen.get("Cache-Control", "")
    assert "Changed behind the back of the cache." not in _text(reader.get(ARTICLE))  # the editor stored nothing


@pytest.mark.parametrize("path", ["/causes/caffeine/?utm=1", "/causes/no-such-cause/", "/check-your-symptoms/?a=1"])
def test_query_strings_and_errors_are_never_cached(client, path, django_assert_max_num_queries):
    first = client.get(path)
    second = client.get(path)
    assert "public" not in second.get("Cache-Control", "")
    assert first.status_code == second.status_code


def test_a_new_day_gets_fresh_pages(client, monkeypatch, django_assert_max_num_queries):
    client.get(ARTICLE)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    Cause.objects.filter(slug="caffeine").update(status=Status.DRAFT)  # no signal: only the date moves on
    assert client.get(ARTICLE).status_code == 404


def test_pages_still_answer_when_the_cache_is_down(client, settings, django_assert_max_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    for _ in range(2):
        with django_assert_max_num_queries(4):  # the page's own queries, no version lookups on top
            response = client.get(ARTICLE)
        assert response.status_code == 200 and "Too much caffeine" in _text(response)


def test_pages_are_sent_gzipped_to_browsers_that_accept_it(client):
    plain = client.get(ARTICLE).content
    for _ in range(2):  # the first answer is stored, the second comes from the cache
        zipped = client.get(ARTICLE, headers={"Accept-Encoding": "gzip, br"})
        assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
        assert gzip.decompress(zipped.content) == plain and len(zipped.content) < len(plain) / 2
        assert zipped["Content-Length"] == str(len(zipped.content))


def test_the_admin_login_is_compressed_with_a_fresh_csrf_token_each_time(reader):
    tokens = set()
    for _ in range(2):
        response = reader.get("/admin/login/", headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        tokens.add(html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
    assert len(tokens) == 2  # masked afresh, so compression reveals nothing about the secret


def test_with_the_page_cache_off_nothing_is_kept_under_the_version(client, settings):
    """Off means the version is not shared by every process, so no page or published data may hang on it."""
    from questionnaire.models import Option, Release

    Release.objects.all().delete()  # readers get the questionnaire as saved, read from its rows
    settings.PAGE_CACHE = False
    client.get(ARTICLE)
    client.get("/check-your-symptoms/all/")
    Cause.objects.filter(slug="caffeine").update(summary="Changed with no signal.")
    Option.objects.filter(label__startswith="Months").update(label="Months and months")  # no signal
    assert "Changed with no signal." in _text(client.get(ARTICLE))
    assert "Months and months" in _text(client.get("/check-your-symptoms/all/"))


def _count_version_reads(monkeypatch) -> list[None]:
    reads: list[None] = []
    read = page_cache._read_version

    def counted():
        reads.append(None)
        return read()

    monkeypatch.setattr(page_cache, "_read_version", counted)
    return reads


def test_a_questionnaire_post_reads_the_content_version_once(client, monkeypatch):
    """Its parts (questions, urgency words, tips, site-wide links) all hang on the version: one read serves them."""
    results_page(client)  # warm: every part is kept under the version
    reads = _count_version_reads(monkeypatch)
    assert "Your results" in results_page(client)
    assert len(reads) == 1
    results_page(client)
    assert len(reads) == 2, "each request reads the version afresh"


def test_a_change_made_during_a_request_is_seen_by_the_rest_of_that_request():
    versions = []

    def view(request):
        versions.append(page_cache.content_version())
        versions.append(page_cache.content_version())
        page_cache.content_changed()  # as an admin save does
        versions.append(page_cache.content_version())
        return HttpResponse("saved")

    page_cache.PageCacheMiddleware(view)(RequestFactory().post("/admin/"))
    assert versions[0] == versions[1] != versions[2]
    assert page_cache.content_version() == versions[2], "outside a request the version is read each time"


def test_a_version_moved_by_another_server_shows_on_the_next_request(client):
    """Nothing of a request's version outlives the request."""
    client.get(ARTICLE)
    Cause.objects.filter(slug="caffeine").update(summary="Changed on another server.")  # no signal
    assert "Changed on another server." not in _text(client.get(ARTICLE))
    page_cache.cache.set(page_cache.VERSION_KEY, "moved-by-another-server", None)
    assert "Changed on another server." in _text(client.get(ARTICLE))


def test_a_hostile_host_gets_a_400_on_a_hit_as_on_a_miss(client, settings):
    settings.ALLOWED_HOSTS = ["toesite.example"]
    assert client.get(ARTICLE, headers={"Host": "toesite.example"}).status_code == 200  # now stored
    etag = client.get(ARTICLE, headers={"Host": "toesite.example"})["ETag"]
    for headers in ({"Host": "evil.example"}, {"Host": "evil.example", "If-None-Match": etag}):
        response = client.get(ARTICLE, headers=headers)
        assert response.status_code == 400 and b"Body of" not in response.content


class Dropping:
    """The cache as a slow Redis leaves it behind django-redis's fail-open: its first `drops` writes come
    back as nothing (incr gives None, set and set_many are lost), while reads still work."""

    def __init__(self, real, drops: int):
        self.real, self.drops, self.dropped = real, drops, 0

    def _drop(self) -> bool:
        if self.dropped < self.drops:
            self.dropped += 1
            return True
        return False

    def incr(self, key, *args, **kwargs):
        return None if self._drop() else self.real.incr(key, *args, **kwargs)

    def set_many(self, values, *args, **kwargs):
        return None if self._drop() else self.real.set_many(values, *args, **kwargs)

    def set(self, key, value, *args, **kwargs):
        return None if self._drop() else self.real.set(key, value, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("drops", [1, 2])  # the count lost; then the count and the stamps lost
def test_a_change_whose_stamp_the_cache_drops_is_stamped_again_and_never_served_stale(client, monkeypatch, drops):
    assert "A summary written while Redis was slow." not in _text(client.get(ARTICLE))
    dropping = Dropping(page_cache.cache, drops)
    monkeypatch.setattr(page_cache, "cache", dropping)
    cause = Cause.objects.get(slug="caffeine")
    cause.summary = "A summary written while Redis was slow."
    cause.save()
    monkeypatch.setattr(page_cache, "cache", dropping.real)
    assert dropping.dropped == drops
    assert "A summary written while Redis was slow." in _text(client.get(ARTICLE))


def test_a_site_wide_change_whose_version_the_cache_drops_is_set_again(client, monkeypatch):
    client.get(ARTICLE)
    before = page_cache.content_version()
    dropping = Dropping(page_cache.cache, drops=1)
    monkeypatch.setattr(page_cache, "cache", dropping)
    page_cache._next_version()
    monkeypatch.setattr(page_cache, "cache", dropping.real)
    assert dropping.dropped == 1 and page_cache.content_version() != before


def test_a_stamp_or_version_the_cache_never_takes_is_logged_as_an_error(monkeypatch, caplog):
    monkeypatch.setattr(page_cache, "cache", Dropping(page_cache.cache, drops=10))
    assert page_cache._stamp({"causes.cause:1"}) is False
    assert "Could not stamp causes.cause:1 in the cache: pages that show them may be stale" in caplog.text
    page_cache._move_version("a-version")
    assert "Could not move the content version in the cache: pages may be stale" in caplog.text


def test_a_stamp_the_cache_does_not_take_after_the_commit_is_tried_in_the_background_and_purged_again(
    client, monkeypatch, caplog
):
    """A Redis slow for longer than a save's three tries: the stamp lands later, and the front caches
    are purged again then, as they may have fetched the stale page from this server meanwhile."""
    client.get(ARTICLE)
    key = page_cache.item_key(Cause, Cause.objects.get(slug="caffeine").pk)
    purged: list[list[str]] = []
    monkeypatch.setattr("core.purge.purge_front_caches", lambda keys: purged.append(sorted(keys)))
    monkeypatch.setattr(page_cache, "STAMP_LATER", (0.01, 5.0))
    before = page_cache._stamps([key], fresh=True)[key]
    monkeypatch.setattr(page_cache, "cache", Dropping(page_cache.cache, drops=4))  # three tries, and one later
    page_cache._after_commit({key}, reschedule=False)
    assert purged == [[key]]  # at once, as ever
    deadline = time.monotonic() + 5
    while len(purged) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert purged == [[key], [key]] and page_cache._stamps([key], fresh=True)[key] > before
    assert f"Stamped {key} in the cache after all, and purged them again" in caplog.text


def test_a_kept_page_is_found_and_checked_in_one_round_trip_to_the_cache(client, monkeypatch):
    """The version, the page and the stamps of what it shows come back together: a hit asks the cache once."""
    client.get(ARTICLE)
    client.get(ARTICLE)  # kept, and its keys known to this process
    calls: list[str] = []
    real = page_cache.cache

    class Counted:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)

    monkeypatch.setattr(page_cache, "cache", Counted())
    assert client.get(ARTICLE).status_code == 200
    assert calls == ["get_many"]


def _building(path: str) -> str:
    """The key a process holds while it builds this page (PageCacheMiddleware)."""
    key = page_cache.PageCacheMiddleware._key(RequestFactory().get(path), page_cache.content_version())
    return page_cache.BUILDING + key


def test_a_reader_waits_for_a_page_another_process_is_building_rather_than_build_it_too(client, monkeypatch):
    """Sixteen readers missing the same page at once after a save build it once, not sixteen times."""
    client.get(ARTICLE)
    cause = Cause.objects.get(slug="caffeine")
    cause.summary = "Saved while readers were asking."
    cause.save()
    page_cache.cache.add(_building(ARTICLE), 1, page_cache.BUILD_WAIT)  # another process is building it
    builds = []
    store = page_cache.PageCacheMiddleware._store

    def counted(key, *details):
        builds.append(key)
        return store(key, *details)

    def the_other_process_finishes(seconds):
        page_cache.cache.delete(_building(ARTICLE))
        Client().get(ARTICLE)  # its build, kept for every reader

    monkeypatch.setattr(page_cache.PageCacheMiddleware, "_store", staticmethod(counted))
    monkeypatch.setattr(page_cache.time, "sleep", the_other_process_finishes)
    assert "Saved while readers were asking." in _text(client.get(ARTICLE))
    assert len(builds) == 1, "the waiting reader served the page the other process built"


def test_a_reader_builds_the_page_itself_if_the_other_build_is_not_kept(client, monkeypatch):
    client.get(ARTICLE)
    cause = Cause.objects.get(slug="caffeine")
    cause.summary = "Saved while another process built the old page."
    cause.save()
    page_cache.cache.add(_building(ARTICLE), 1, page_cache.BUILD_WAIT)
    monkeypatch.setattr(page_cache.time, "sleep", lambda seconds: page_cache.cache.delete(_building(ARTICLE)))
    assert "Saved while another process built the old page." in _text(client.get(ARTICLE))
    assert page_cache.cache.get(_building(ARTICLE)) is None, "its build is over: no one waits for it"
