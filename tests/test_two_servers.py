"""Two app servers, one PostgreSQL and one Redis: an edit made through one shows on the other at once.

Runs where DATABASE_URL and REDIS_URL point at PostgreSQL and Redis (CI's second pass). It starts two
gunicorn processes with the production settings over the test database, warms both page caches,
edits a cause through the admin of the first, and reads the new text from the second.
"""

import http.cookies
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from causes.models import Cause
from tests.conftest import load_seed

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _app_server():
    port = _free_port()
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": "two-servers-test-key-0123456789abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    # The production static storage needs its manifest, as after a deploy.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "toesite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # until it answers at all
            with suppress(ConnectionError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_one_server_shows_on_the_other_at_once(settings, django_user_model):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    load_seed()
    django_user_model.objects.create(
        username="editor", password=make_password(PASSWORD), is_staff=True, is_superuser=True
    )
    cause = Cause.objects.prefetch_related("remedies", "sources").get(slug="caffeine")
    with _app_server() as first, _app_server() as second:
        for base in (first, second, first, second):  # warm both page caches
            status, html = Browser(base).request("/causes/caffeine/")
            assert status == 200 and cause.summary in html

        editor = Browser(first)
        _, login = editor.request("/admin/login/")
        fields = {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": editor.csrf(login)}
        status, _ = editor.request("/admin/login/?next=/admin/", fields)
        assert status == 302, "the editor could not log in"
        change = f"/admin/causes/cause/{cause.pk}/change/"
        _, form = editor.request(change)
        data = {
            **{f: getattr(cause, f) for f in ("title", "slug", "category", "body", "self_care", "urgency")},
            "summary": "Edited on the first server, read on the second.",
            "status": "published",
            "last_reviewed": "2026-11-23",
            "next_review_due": "2027-11-23",
            "remedies": [r.pk for r in cause.remedies.all()],
            "sources": [s.pk for s in cause.sources.all()],
            "WarningSign_causes-TOTAL_FORMS": "0",
            "WarningSign_causes-INITIAL_FORMS": "0",
            "csrfmiddlewaretoken": editor.csrf(form),
        }
        status, body = editor.request(change, data)
        assert status == 302, body[:2000]

        status, html = Browser(second).request("/causes/caffeine/")
        assert status == 200 and "Edited on the first server, read on the second." in html
