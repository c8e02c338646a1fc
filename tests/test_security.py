"""Safe on the open internet: headers on every response, HTTPS, cookies, the deployment checklist, the
health check, and hostile input the database cannot take. Signing in: tests/accounts/test_sign_in.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from causes.models import Source, WarningSign
from questionnaire.models import Option
from tests.conftest import LOGIN, current_code, enrol, https_client, log_in, make_editor

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "test-only-not-secret-" + "0123456789abcdef" * 3,
    "DJANGO_ALLOWED_HOSTS": "toesite.example",
    "DJANGO_SITE_URL": "https://toesite.example",
}


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

    make_editor(django_user_model)
    for _ in range(5):
        log_in(client, password="wrong-password-here")
    assert_security_headers(log_in(client))


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
    device = enrol(make_editor(django_user_model))
    client = https_client()
    csrf = client.get(LOGIN).cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = log_in(client, code=current_code(device))
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 30 * 60  # idle expiry; each request moves it on


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
    make_editor(django_user_model)
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
