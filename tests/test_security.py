"""Safe on the open internet: headers on every response, HTTPS, cookies, sign-in lockout, two factors,
session limits, the deployment checklist, and the health check."""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from accounts.signin import SIGNED_IN_AT
from causes.models import Source, WarningSign
from questionnaire.models import Option
from tests.conftest import browser_client, enrol, sign_in_with_both_factors

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/"
SIGN_IN_FAILED = "Your username, password or code is wrong. Check them and try again."
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "test-only-not-secret-" + "0123456789abcdef" * 3,
    "DJANGO_ALLOWED_HOSTS": "toesite.example",
    "DJANGO_SITE_URL": "https://toesite.example",
}


def https_client(headers: dict[str, str] | None = None, **kwargs) -> Client:
    """A browser reaching the site through the HTTPS proxy (which sets X-Forwarded-Proto)."""
    return browser_client(headers={"X-Forwarded-Proto": "https", **(headers or {})}, **kwargs)


def assert_security_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    hsts = response["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 60 * 60 and "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def _editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def _log_in(client: Client, username: str = "editor", password: str = PASSWORD, code: str = ""):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code})


def _code(device) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


# --- The deployment checklist ---------------------------------------------------------------


def test_production_settings_pass_the_deployment_checklist_with_no_warning():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_is_redirected_to_https_and_the_proxy_header_is_believed(settings, seeded):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/causes/?page=1")
    assert response.status_code == 301 and response["Location"] == "https://testserver/causes/?page=1"
    assert https_client().get("/causes/").status_code == 200  # the proxy says the reader used HTTPS


# --- Headers on every kind of response ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/causes/caffeine/", "/faq/", "/check-your-symptoms/", "/no-such-page/", LOGIN, "/health/"],
)
def test_every_response_carries_the_security_headers(seeded, path):
    client = https_client()
    for _ in range(2):  # rendered, then (for public pages) from the page cache
        assert_security_headers(client.get(path))


def test_static_files_a_post_the_500_page_and_the_lockout_carry_them_too(seeded, settings, django_user_model, tmp_path):
    settings.STORAGES = {  # WhiteNoise serves the built files, as in production
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path  # its own copy: another test worker may be collecting into staticfiles/
    call_command("collectstatic", interactive=False, verbosity=0)
    client = https_client()
    css = client.get("/").content.decode().split('rel="stylesheet" href="')[1].split('"')[0]
    static = client.get(css)
    assert static.status_code == 200 and "immutable" in static["Cache-Control"]
    assert_security_headers(static)
    assert_security_headers(client.post("/check-your-symptoms/", {}))

    _editor(django_user_model)
    for _ in range(5):
        _log_in(client, password="wrong-password-here")
    assert_security_headers(_log_in(client))


def test_the_500_page_carries_the_headers(seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("causes.views.selectors.cause_page", broken)
    response = https_client(raise_request_exception=False).get("/causes/caffeine/")
    assert response.status_code == 500 and "Sorry, something went wrong" in response.content.decode()
    assert_security_headers(response)


# --- Cookies --------------------------------------------------------------------------------


def test_readers_get_no_cookie_on_any_page(seeded):
    client = https_client()
    for path in ("/", "/causes/", "/causes/caffeine/", "/remedies/", "/faq/", "/about/", "/privacy/"):
        assert not client.get(path).cookies, path
    assert not client.get("/check-your-symptoms/").cookies
    assert not client.post("/check-your-symptoms/", {}).cookies
    assert not client.cookies


def test_editor_cookies_are_secure_httponly_and_same_site_lax(django_user_model):
    device = enrol(_editor(django_user_model))
    client = https_client()
    csrf = client.get(LOGIN).cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = _log_in(client, code=_code(device))
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 30 * 60  # idle expiry; each request moves it on


# --- Sign-in: two factors, lockout, logging -------------------------------------------------


def test_a_password_alone_does_not_open_the_admin(django_user_model):
    user = _editor(django_user_model)
    client = https_client()
    response = _log_in(client)
    assert response.status_code == 200 and SIGN_IN_FAILED in response.content.decode()
    client.force_login(user)  # a password-only session, as from a stolen password
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused_and_the_right_one_signs_in(django_user_model):
    device = enrol(_editor(django_user_model))
    client = https_client()
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    for code in (wrong, "<script>", "9" * 500):  # each a failed sign-in: a fifth would lock out (below)
        response = _log_in(client, code=code)
        assert response.status_code == 200 and "errornote" in response.content.decode()
    throttled = _log_in(client, code=_code(device))  # guessing codes slows the app's checks down
    assert throttled.status_code == 200 and SIGN_IN_FAILED in throttled.content.decode()
    assert "temporarily" not in throttled.content.decode()  # which would say the password was right
    device.refresh_from_db()
    device.throttle_reset()  # time passes
    assert _log_in(client, code=_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def _sign_in_page(response) -> str:
    """The page a sign-in attempt gets back, without the token that differs on every page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_wrong_password_and_a_wrong_code_get_the_same_answer(django_user_model):
    device = enrol(_editor(django_user_model))
    wrong_code = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    attempts = [
        ("editor", "not-the-password", wrong_code),
        ("editor", PASSWORD, wrong_code),  # only the code is wrong
        ("nobody", PASSWORD, wrong_code),
        ("editor", "not-the-password", ""),
        ("editor", PASSWORD, ""),  # only the code is missing
    ]
    answers = [_log_in(https_client(), username, password, code) for username, password, code in attempts]
    assert {response.status_code for response in answers} == {200}
    pages = {_sign_in_page(response).replace('value="nobody"', 'value="editor"') for response in answers}
    assert len(pages) == 1, "the page differs when only the code is wrong"
    page = pages.pop()
    assert page.count('class="errornote"') == 1 and SIGN_IN_FAILED in page
    assert PASSWORD not in page and "not-the-password" not in page  # the password box is never filled in again


def test_the_sixth_attempt_is_locked_out_for_an_hour_with_a_clear_429(django_user_model, caplog, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"  # the proxy's own header, as documented
    device = enrol(_editor(django_user_model))
    attacker = https_client(headers={"X-Real-IP": "203.0.113.9"})
    for _ in range(4):
        assert _log_in(attacker, password="not-the-password-1").status_code == 200
    assert _log_in(attacker, password="not-the-password-1").status_code == 429  # the fifth failure locks
    locked = _log_in(attacker, code=_code(device))  # then even the right password and code
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many sign-in attempts" in html and "1 hour" in html and "Skip to main content" in html

    elsewhere = https_client(headers={"X-Real-IP": "198.51.100.7"})
    assert _log_in(elsewhere, code=_code(device)).status_code == 302  # the editor, from their own address
    assert "not-the-password-1" not in caplog.text and PASSWORD not in caplog.text
    assert "Failed sign-in: user='editor' ip=203.0.113.9" in caplog.text
    assert "Sign-in: user='editor' ip=198.51.100.7" in caplog.text


def test_a_wrong_code_after_the_right_password_is_a_failed_sign_in_and_locks_out(django_user_model, caplog):
    device = enrol(_editor(django_user_model))
    attacker = https_client()
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    answers = [_log_in(attacker, code=code) for code in (wrong, "\x00", "<script>", "", wrong)]
    assert [response.status_code for response in answers] == [200, 200, 200, 200, 429]  # as for wrong passwords
    assert caplog.text.count("Failed sign-in: user='editor'") == 5
    device.refresh_from_db()
    device.throttle_reset()  # the app's own slowing down is not what refuses the next attempt
    assert _log_in(attacker, code=_code(device)).status_code == 429  # even the right code, for an hour
    assert _log_in(https_client(), password="not-the-password", code=wrong).status_code == 429


def test_the_client_address_comes_only_from_the_configured_header(django_user_model, settings):
    _editor(django_user_model)
    settings.CLIENT_IP_HEADER = ""
    for n in range(6):  # a spoofed header changes nothing: the connection's address is locked out
        response = https_client(headers={"X-Forwarded-For": f"10.0.0.{n}"}).post(
            LOGIN, {"username": "editor", "password": "wrong-password"}
        )
    assert response.status_code == 429


def test_the_lockout_lifts_by_itself_after_an_hour(django_user_model):
    from axes.models import AccessAttempt

    device = enrol(_editor(django_user_model))
    client = https_client()
    for _ in range(5):
        _log_in(client, password="wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=59))
    assert _log_in(client, code=_code(device)).status_code == 429  # still within the hour
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert _log_in(client, code=_code(device)).status_code == 302


def test_lockout_can_be_reset_by_the_operator(django_user_model):
    device = enrol(_editor(django_user_model))
    client = https_client()
    for _ in range(6):
        _log_in(client, password="wrong-password")
    assert _log_in(client, code=_code(device)).status_code == 429
    call_command("axes_reset_username", "editor", verbosity=0)
    assert _log_in(client, code=_code(device)).status_code == 302


# --- Sessions -------------------------------------------------------------------------------


def test_a_session_ends_eight_hours_after_sign_in(django_user_model):
    client = https_client()
    sign_in_with_both_factors(client, _editor(django_user_model))
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 8 * 60 * 60 - 1
    session.save()
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302  # and stays ended


def test_logout_invalidates_the_session_on_the_server(django_user_model):
    device = enrol(_editor(django_user_model))
    client = https_client()
    _log_in(client, code=_code(device))
    stolen = client.cookies["sessionid"].value
    assert client.post("/admin/logout/").status_code == 200
    replay = https_client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/admin/").status_code == 302


def test_enrol_totp_gives_an_editor_one_app(django_user_model, capsys):
    _editor(django_user_model)
    call_command("enrol_totp", "editor")
    assert "otpauth://totp/" in capsys.readouterr().out
    with pytest.raises(Exception, match="already has"):
        call_command("enrol_totp", "editor")
    call_command("enrol_totp", "editor", "--replace")
    with pytest.raises(Exception, match="No staff account"):
        call_command("enrol_totp", "nobody")


# --- Health ---------------------------------------------------------------------------------


def test_health_says_up_and_nothing_more():
    response = https_client().get("/health/")
    assert response.status_code == 200 and response.content == b"up\n"
    assert "no-cache" in response["Cache-Control"]


def test_health_says_down_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    response = https_client().get("/health/")
    assert response.status_code == 503 and response.content == b"down\n"
    assert "redis" not in response.content.decode().lower()


def test_the_login_form_and_health_check_have_named_urls():
    assert reverse("health") == "/health/" and reverse("admin:login") == LOGIN


# --- Admin input the database cannot take ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "a+" * 60, "50 words or fewer"),
        ("category__exact=%00", "character we cannot read"),
        ("id__in=1," + "9" * 30, "number too large"),
        ("ip_address=1", "whole address"),
    ],
)
def test_admin_input_the_database_cannot_take_gets_a_clear_400(editor_client, query, message):
    path = "/admin/axes/accessattempt/" if "ip_address" in query else "/admin/causes/cause/"
    response = editor_client.get(f"{path}?{query}", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_client_address_header_that_is_not_an_address_falls_back_to_the_connection(settings, django_user_model):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    _editor(django_user_model)
    response = https_client(headers={"X-Forwarded-For": "garbage"}).post(LOGIN, {"username": "editor", "password": "x"})
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# --- Hostile data written straight to the database -------------------------------------------


def test_a_source_address_that_is_not_a_web_page_is_never_a_link(
    seeded, make_source, make_cause, make_remedy, make_faq
):
    hostile = make_source(title="Hostile source", publisher="Nobody")
    Source.objects.filter(pk=hostile.pk).update(url="javascript:alert(1)")  # past the form's validation
    good = make_source(title="Good source", url="https://www.nhs.uk/conditions/")
    cause, remedy, faq = make_cause(), make_remedy(), make_faq()
    for item in (cause, remedy, faq):
        item.sources.add(hostile, good)
    sign = WarningSign.objects.create(
        key="hostile", text="a sign citing a hostile source", level="urgent", general=True, status="published"
    )
    sign.causes.add(cause)
    sign.sources.add(hostile)
    client = https_client()
    paths = ["/", "/about/", "/causes/", "/remedies/", "/search/?q=twitch", "/faq/"]
    pages = {path: client.get(path) for path in [*paths, cause.get_absolute_url(), remedy.get_absolute_url()]}
    none = Option.objects.get(question__key="red-flags", label__startswith="None of these")
    pages["results"] = client.post("/check-your-symptoms/", {"red-flags": [str(none.pk)]})
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200 and "Hostile source" in html, name  # still named, as plain text
        assert "javascript:" not in html.lower(), name
    for name in (cause.get_absolute_url(), remedy.get_absolute_url(), "/faq/"):
        assert '<a href="https://www.nhs.uk/conditions/" rel="noopener noreferrer">' in pages[name].content.decode()
