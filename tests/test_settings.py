"""Settings fail closed: production needs its secrets from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEY = "test-only-not-secret-" + "0123456789abcdef" * 3  # long and varied enough to start
SITE = "https://example.org"
PROBE = "import toesite.settings as s; print(s.DEBUG, s.CACHES['default']['BACKEND'], s.DATABASES['default']['ENGINE'])"


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "example.org"}, "DJANGO_SITE_URL"),
        (
            {"DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "example.org", "DJANGO_SITE_URL": "example.org"},
            "https://",
        ),
        ({"DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "example.org", "DJANGO_SITE_URL": SITE + "/x"}, "no path"),
    ],
)
def test_production_without_secrets_refuses_to_start(env, message):
    result = _settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_is_on_only_with_django_debug_1():
    assert _settings(DJANGO_DEBUG="1").stdout.startswith("True")
    assert _settings(DJANGO_SECRET_KEY=KEY, DJANGO_ALLOWED_HOSTS="example.org", DJANGO_SITE_URL=SITE).stdout.startswith(
        "False"
    )


def test_database_url_and_redis_url_switch_on_production_services():
    result = _settings(
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SITE_URL=SITE,
        DATABASE_URL="postgres://user@db.example/toesite",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert result.stdout.split() == ["False", "django_redis.cache.RedisCache", "django.db.backends.postgresql"]


def test_embedded_default_is_sqlite_with_a_local_cache():
    assert _settings(DJANGO_DEBUG="1").stdout.split()[1:] == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.db.backends.sqlite3",
    ]


def test_cache_fails_open_when_redis_is_down():
    """A dead Redis makes the cache miss; it never raises into a page."""
    probe = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('k', 'v'); print(repr(cache.get('k')))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "toesite.settings",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="runs where REDIS_URL points at a live Redis (CI's second pass)"
)
def test_cache_round_trips_through_live_redis(settings):
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("toesite-test-key", "kept", 30)
    assert cache.get("toesite-test-key") == "kept"
    cache.delete("toesite-test-key")


def test_manage_py_without_secrets_stops_with_one_clear_line():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("manage.py: Set DJANGO_SECRET_KEY")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "on"),
    [
        ({}, False),  # production, one cache per process: a shared version is not possible
        ({"REDIS_URL": "redis://cache.example:6379/0"}, True),
        ({"DJANGO_PAGE_CACHE": "1"}, True),  # the operator says one process serves the site
    ],
)
def test_page_cache_is_on_only_where_its_version_is_shared(env, on):
    probe = "import toesite.settings as s; print(s.PAGE_CACHE, 'core.cache.PageCacheMiddleware' in s.MIDDLEWARE)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env = {**clean, "DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "example.org", "DJANGO_SITE_URL": SITE, **env}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [str(on), str(on)], result.stderr


# The latest Django 5.2 release when it was last checked (`pip index versions django`): later 5.2
# releases fix security issues, so the pin never stays behind one. Raise this when a new one comes out.
LATEST_DJANGO_5_2 = (5, 2, 20)


def test_django_is_pinned_at_the_latest_5_2_release_and_installed():
    import django

    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("Django==")]
    assert len(pins) == 1
    pinned = tuple(int(part) for part in pins[0].removeprefix("Django==").split("."))
    assert pinned[:2] == (5, 2) and pinned >= LATEST_DJANGO_5_2
    assert django.VERSION[:3] == pinned


def test_email_goes_over_smtp_only_with_a_sender_and_tls_by_default():
    probe = "import toesite.settings as s; print(s.EMAIL_BACKEND.rsplit('.', 2)[1], getattr(s, 'EMAIL_USE_TLS', '-'))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    server = {**clean, "DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "example.org", "DJANGO_SITE_URL": SITE}

    def run(**env):
        return subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )

    assert run(**clean, DJANGO_DEBUG="1").stdout.split() == ["console", "-"]
    assert run(**server).stdout.split() == ["dummy", "-"]  # no mail server named: no e-mail at all
    refused = run(**server, DJANGO_EMAIL_HOST="mail.example.org")
    assert refused.returncode != 0 and "DJANGO_EMAIL_FROM" in refused.stderr
    smtp = run(**server, DJANGO_EMAIL_HOST="mail.example.org", DJANGO_EMAIL_FROM="site@example.org")
    assert smtp.stdout.split() == ["smtp", "True"]
