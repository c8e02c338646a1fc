"""Two app servers, one PostgreSQL and one Redis: an edit made through one shows on the other at once.

Runs where DATABASE_URL and REDIS_URL point at PostgreSQL and Redis (CI's second pass). It starts two
gunicorn processes with the production settings over the test database, warms both page caches,
edits a cause through the admin of the first, and reads the new text from the second.
"""

import http.cookies
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from bench.bench import gunicorn, production_env
from causes.models import Cause
from editorial.models import Change
from tests.conftest import cause_admin_form, current_code, enrol, in_role, load_seed

ROOT = Path(__file__).resolve().parents[1]
SHARED = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
PASSWORD = "two-servers-test-password-9f3k"  # noqa: S105 - a throwaway account in the test database

pytestmark = pytest.mark.skipif(not SHARED, reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")


class Browser:
    """Just enough of a browser for the admin: cookies, CSRF, and the proxy's HTTPS header."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-Proto": "https", "Origin": self.base.replace("http://", "https://")}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - our server
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request)
        except urllib.error.HTTPError as error:  # 302s and errors arrive here
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        return response.status, response.read().decode()

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def _app_server():
    db = connection.settings_dict
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=os.environ["REDIS_URL"],
    )
    # The production static storage needs its manifest, as after a deploy.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603
    with gunicorn(env) as base:
        yield base


def _sign_in(browser: Browser, username: str, device) -> None:
    _, login = browser.request("/admin/login/")
    fields = {"username": username, "password": PASSWORD, "otp_token": current_code(device)}
    fields["csrfmiddlewaretoken"] = browser.csrf(login)
    status, _ = browser.request("/admin/login/?next=/admin/", fields)
    assert status == 302, f"{username} could not log in"


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_one_server_shows_on_the_other_at_once(settings, django_user_model):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    load_seed()
    editor_user = django_user_model.objects.create(
        username="editor", password=make_password(PASSWORD), is_staff=True, is_superuser=True
    )
    reviewer_user = in_role(
        django_user_model.objects.create(username="reviewer", password=make_password(PASSWORD)), "Clinical reviewers"
    )
    cause = Cause.objects.prefetch_related("remedies", "sources").get(slug="caffeine")
    new_summary = "Edited on the first server, read on the second."
    with _app_server() as first, _app_server() as second:
        for base in (first, second, first, second):  # warm both page caches
            status, html = Browser(base).request("/causes/caffeine/")
            assert status == 200 and cause.summary in html

        editor = Browser(first)
        _sign_in(editor, "editor", enrol(editor_user))
        change = f"/admin/causes/cause/{cause.pk}/change/"
        _, form = editor.request(change)
        data = cause_admin_form(cause, summary=new_summary)
        data["csrfmiddlewaretoken"] = editor.csrf(form)
        status, body = editor.request(change, data)
        assert status == 302, body[:2000]
        status, html = Browser(second).request("/causes/caffeine/")
        assert new_summary not in html  # it waits for a clinical reviewer

        reviewer = Browser(first)
        _sign_in(reviewer, "reviewer", enrol(reviewer_user))
        waiting = Change.objects.of(cause).get(state="waiting")
        review = f"/admin/causes/cause/{cause.pk}/review/{waiting.pk}/"
        _, page = reviewer.request(review)
        status, body = reviewer.request(review, {"_approve": "1", "csrfmiddlewaretoken": reviewer.csrf(page)})
        assert status == 302, body[:2000]

        status, html = Browser(second).request("/causes/caffeine/")
        assert status == 200 and new_summary in html
