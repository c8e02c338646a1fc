"""Real varnishd (deploy/varnish/site.vcl) in front of gunicorn: pages kept until a change purges them.

Runs where DATABASE_URL and REDIS_URL point at PostgreSQL and Redis (CI's second pass), as the
two-server test does, and needs varnishd with varnish-modules (apt-get install -y varnish
varnish-modules). Without varnishd these tests skip, unless TOESITE_REQUIRE_VARNISH=1 (set by
.ci/run), which turns that skip into a failure. Changes are made in this process, which shares the
database and Redis with gunicorn and purges Varnish after each commit, as an app server does.
"""

import datetime
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.signin import SIGNED_IN_AT
from bench.bench import VCL, gunicorn, production_env, varnish
from causes.models import Category, Cause, Faq, Urgency
from editorial import publishing
from editorial.lifecycle import Status
from tests.conftest import enrol, load_seed

ROOT = Path(__file__).resolve().parents[1]
SHARED = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
VARNISHD = shutil.which("varnishd")
REQUIRED = os.environ.get("TOESITE_REQUIRE_VARNISH") == "1"
User = get_user_model()
PROXY = {"X-Forwarded-Proto": "https"}  # what the HTTPS proxy in front adds (README, Deploying)

pytestmark = pytest.mark.skipif(not SHARED, reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")


@pytest.fixture(scope="module")
def varnishd():
    if not VARNISHD:
        message = "varnishd is not installed (apt-get install -y varnish varnish-modules)"
        if REQUIRED:
            pytest.fail(f"TOESITE_REQUIRE_VARNISH=1 but {message}", pytrace=False)
        pytest.skip(message)


class Reply:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode(errors="replace")

    @property
    def hit(self) -> bool:
        return self.headers.get("X-Cache") == "hit"


def fetch(base: str, path: str, *, method: str = "GET", headers: dict | None = None, body=None, source="") -> Reply:
    """One request, on a fresh connection (from `source`, a local address, if given)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        data = urllib.parse.urlencode(body, doseq=True) if body is not None else None
        all_headers = {**PROXY, **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=all_headers)
        return Reply(conn.getresponse())
    finally:
        conn.close()


def within_a_second(check) -> bool:
    deadline = time.monotonic() + 1
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.fixture(scope="module")
def stack(varnishd, django_db_setup, django_db_blocker):
    """gunicorn (two workers, the production settings, over the test database) behind varnishd.

    Started once for the module. The same secret key as this process, so a session made here is one
    the servers accept.
    """
    db = connection.settings_dict
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=os.environ["REDIS_URL"],
        DJANGO_SECRET_KEY=django_settings.SECRET_KEY,
    )
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603
    with gunicorn(env, workers=2) as app, varnish(app) as front:
        yield front


@pytest.fixture
def front(stack, transactional_db, settings):
    """Varnish's base URL, over the seed (committed, so the servers see it), with nothing kept from an earlier test."""
    load_seed()
    # Changes made in this process purge this Varnish after they commit, as an app server's do.
    settings.FRONT_CACHES = [stack.removeprefix("http://")]
    assert fetch(stack, "/", method="PURGE", headers={"xkey-purge": "site"}).status == 200  # every page
    return stack


def test_a_page_is_a_hit_the_second_time(front):
    first = fetch(front, "/causes/nerve-damage/")
    second = fetch(front, "/causes/nerve-damage/")
    assert first.status == second.status == 200 and not first.hit and second.hit
    assert second.text == first.text and "xkey" not in second.headers  # the keys are for purging, not readers
    assert second.headers["Cache-Control"].startswith("public, s-maxage=")


def test_a_change_to_one_cause_drops_its_pages_and_leaves_an_unrelated_faq_page_a_hit(front):
    cause = Cause.objects.get(slug="foot-injury")
    assert not Faq.objects.filter(causes=cause).exists(), "the FAQ page must not show this cause"
    paths = [f"/causes/{cause.slug}/", "/causes/", "/sitemap.xml", "/faq/"]
    for path in paths * 2:
        fetch(front, path)
    assert all(fetch(front, path).hit for path in paths)

    cause.summary = "A summary changed by an editor just now."
    cause.save()
    changed_at = time.monotonic()
    page = fetch(front, f"/causes/{cause.slug}/")
    assert not page.hit and cause.summary in page.text
    assert not fetch(front, "/causes/").hit
    assert not fetch(front, "/sitemap.xml").hit
    assert time.monotonic() - changed_at < 1
    faq = fetch(front, "/faq/")
    assert faq.hit, dict(faq.headers)


def test_an_faq_edit_drops_the_pages_that_show_it_and_leaves_other_cause_pages_hits(front):
    faq = Faq.objects.published().filter(causes__isnull=False).first()
    shown_on = faq.causes.published().first()
    unlinked = Cause.objects.get(slug="foot-injury")
    assert not Faq.objects.filter(causes=unlinked).exists(), "this cause page must not show the FAQ"
    paths = [shown_on.get_absolute_url(), "/faq/", unlinked.get_absolute_url(), "/remedies/"]
    for path in paths * 2:
        fetch(front, path)
    assert all(fetch(front, path).hit for path in paths)

    faq.question = "A question reworded by an editor just now?"
    faq.save()
    changed_at = time.monotonic()
    for path in paths[:2]:
        page = fetch(front, path)
        assert not page.hit and faq.question in page.text, path
    assert time.monotonic() - changed_at < 1
    assert all(fetch(front, path).hit for path in paths[2:])  # they show nothing of that FAQ


def test_withdrawing_a_page_makes_it_a_404_through_varnish_within_a_second(front):
    reviewer = User.objects.create(username="reviewer", is_staff=True, is_superuser=True)
    cause = Cause.objects.get(slug="caffeine")
    assert fetch(front, "/causes/caffeine/").status == 200 and fetch(front, "/causes/caffeine/").hit
    publishing.set_status(cause, Status.DRAFT, reviewer, "Withdrawn: the advice is out of date.")
    assert within_a_second(lambda: fetch(front, "/causes/caffeine/").status == 404)
    gone = fetch(front, "/causes/caffeine/")
    assert gone.status == 404 and not gone.hit and "no-store" in gone.headers["Cache-Control"]
    assert "Too much caffeine" not in fetch(front, "/causes/").text


def test_a_scheduled_cause_appears_on_time_through_varnish(front):
    at = timezone.now() + datetime.timedelta(seconds=3)
    cause = Cause.objects.create(
        title="A scheduled cause",
        slug="a-scheduled-cause",
        summary="Goes live in three seconds.",
        body="Body.",
        self_care="Rest.",
        category=Category.LIFESTYLE,
        urgency=Urgency.SEE_DOCTOR,
        status=Status.PUBLISHED,
        publish_at=at,
    )
    assert cause.title not in fetch(front, "/causes/").text
    assert fetch(front, "/causes/").hit  # kept, but only until the publish time
    shared_for = int(fetch(front, "/causes/").headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert shared_for <= 3, "a front cache may keep the list only until the publish time"
    assert fetch(front, f"/causes/{cause.slug}/").status == 404
    time.sleep(max(0, (at - timezone.now()).total_seconds()))
    assert within_a_second(lambda: cause.title in fetch(front, "/causes/").text)
    assert within_a_second(lambda: fetch(front, f"/causes/{cause.slug}/").status == 200)


def _staff_cookie() -> str:
    """A signed-in superuser's session cookie, second factor verified."""
    user = User.objects.create(username="staff", is_staff=True, is_superuser=True)
    session = SessionStore()
    session.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: enrol(user).persistent_id,
            SIGNED_IN_AT: time.time(),
        }
    )
    session.create()
    return f"sessionid={session.session_key}"


def test_what_one_person_gets_is_never_served_to_anyone_else(front):
    from questionnaire.models import Option

    staff = {"Cookie": _staff_cookie()}
    cause = Cause.objects.get(slug="nerve-damage")
    preview = f"/admin/causes/cause/{cause.pk}/preview/"
    for _ in range(2):
        seen = fetch(front, preview, headers=staff)
        assert seen.status == 200, dict(seen.headers)
        assert not seen.hit and "no-store" in seen.headers["Cache-Control"]
        page = fetch(front, "/causes/nerve-damage/", headers=staff)
        assert not page.hit and "private" in page.headers["Cache-Control"]
    anonymous = fetch(front, preview)
    assert anonymous.status == 302 and "preview-banner" not in anonymous.text  # to the sign-in page

    none_of_these = Option.objects.get(question__key="red-flags", label="None of these")
    answers = {"red-flags": [str(none_of_these.pk)]}
    same_site = {"Sec-Fetch-Site": "same-origin"}
    for _ in range(2):
        results = fetch(front, "/check-your-symptoms/", method="POST", body=answers, headers=same_site)
        assert results.status == 200 and not results.hit and "no-store" in results.headers["Cache-Control"]
    empty = fetch(front, "/check-your-symptoms/")
    assert "Your results" not in empty.text

    for _ in range(2):
        sent = fetch(front, "/feedback/", method="POST", body={"page": "/faq/", "helpful": "yes"}, headers=same_site)
        assert not sent.hit and "no-store" in sent.headers["Cache-Control"]
    for _ in range(2):
        login = fetch(front, "/admin/login/")
        assert not login.hit and "private" in login.headers["Cache-Control"] and "Set-Cookie" in login.headers


def test_a_purge_from_any_other_address_is_refused(front):
    fetch(front, "/faq/")
    faq = fetch(front, "/faq/")
    assert faq.hit, dict(faq.headers)
    refused = fetch(front, "/", method="PURGE", headers={"xkey-purge": "site"}, source="127.0.0.2")
    assert refused.status == 403 and fetch(front, "/faq/").hit
    allowed = fetch(front, "/", method="PURGE", headers={"xkey-purge": "site"}, source="127.0.0.1")
    assert allowed.status == 200 and not fetch(front, "/faq/").hit


def test_the_vcl_compiles(varnishd):
    result = subprocess.run([VARNISHD, "-C", "-f", str(VCL)], capture_output=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr.decode()[-2000:]


def test_no_request_that_starts_after_a_purge_gets_the_old_text(front):
    """Readers load a page without pause while an editor saves it five times; every response is checked."""
    cause = Cause.objects.get(slug="alcohol")
    path = "/causes/alcohol/"
    stop = threading.Event()
    seen: list[tuple[float, str]] = []  # (when the request started, the version it got)

    def read() -> None:
        while not stop.is_set():
            started = time.monotonic()
            text = fetch(front, path).text
            found = [n for n in range(6) if f"Edit number {n}." in text]
            seen.append((started, str(found[0]) if found else "original"))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    purged_at: list[float] = []
    try:
        for n in range(1, 6):
            time.sleep(0.3)
            cause.summary = f"Edit number {n}."
            cause.save()  # commits, then purges Varnish before it returns
            purged_at.append(time.monotonic())
        time.sleep(0.3)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert len(seen) > 50, "the readers must really load the page"
    for n, at in enumerate(purged_at, start=1):
        later = [version for started, version in seen if started > at]
        stale = [version for version in later if version == "original" or int(version) < n]
        assert not stale, f"after edit {n}'s purge returned, {len(stale)} of {len(later)} requests got an older text"
