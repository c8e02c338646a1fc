"""ToeSite settings: one file, read from the environment, failing closed.

DEBUG is on only when DJANGO_DEBUG=1. Without debug, DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS must be set or start-up stops with a clear message, and so must
DJANGO_SITE_URL, the site's public address.
DATABASE_URL (PostgreSQL) and REDIS_URL switch on the production services.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-development-only-not-secret")
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # what `check --deploy` asks for
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY to a random string of at least 50 characters "
            "(or DJANGO_DEBUG=1 for local development)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Set DJANGO_ALLOWED_HOSTS to a comma-separated list of host names "
            "(or DJANGO_DEBUG=1 for local development)."
        )

# The site's public address, for canonical links, sharing tags, the sitemap and robots.txt. Never read
# from a request's Host header: cached pages are the same for every reader, whatever host they asked.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")) or "/" in SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(
        "Set DJANGO_SITE_URL to the site's public address, with no path: https://toesite.example.org "
        "(or DJANGO_DEBUG=1 for local development)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "core",  # the page cache and content version, health, backups
    "accounts",  # staff sessions, two factors, sign-in logging, the local editor
    "editorial",  # the lifecycle: live, sign-off, publishing rules, scheduling, inbox, previews, readability
    "causes",  # the content: causes, remedies, FAQs, sources, warning signs, the site's pages
    "search",
    "glossary",
    "questionnaire",
    "feedback",
]

# Whole public pages cached for anonymous readers (core/cache.py). Its content version must be
# shared by every process that serves the site: on with Redis, or in debug (one runserver process);
# otherwise off unless DJANGO_PAGE_CACHE=1 says this deployment runs a single process.
PAGE_CACHE = os.environ.get("DJANGO_PAGE_CACHE", "1" if DEBUG or os.environ.get("REDIS_URL") else "0") == "1"

# Front caches (Varnish) to purge after every change, as "host:port" (FRONT_CACHES, comma-separated):
# empty by default. core/purge.py; deploy/varnish/site.vcl accepts purges only from the app servers.
FRONT_CACHES = [address.strip() for address in os.environ.get("FRONT_CACHES", "").split(",") if address.strip()]

MIDDLEWARE = [
    # Compresses HTML. Safe from BREACH: public pages hold no secret, and the admin's only one is the
    # CSRF token, which Django masks afresh on every response. Cached pages and static files arrive
    # already compressed.
    "django.middleware.gzip.GZipMiddleware",
    # The security headers come before WhiteNoise and the page cache, so static files and cached
    # pages carry them too.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Says who may keep each response (a front cache such as Varnish, a browser), and what it shows.
    "core.cache.CacheHeadersMiddleware",
    *(["core.cache.PageCacheMiddleware"] if PAGE_CACHE else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "toesite.middleware.AdminInputMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.signin.StaffSessionMiddleware",
    # Every save in a request is recorded with its author: inline forms and deletes too, not only
    # the saves that go through a ModelAdmin's save_model. Sign-off relies on it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, so it sees every login attempt the views handle.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toesite.urls"
WSGI_APPLICATION = "toesite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down answers with the error page within 3 seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
else:
    # Tests use a file, not SQLite's shared in-memory database: there, a write that meets another
    # thread's lock fails at once ("table is locked") where a file waits its turn, and the live
    # browser tests' parallel requests (a page and its admin scripts) meet such locks.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "toesite",
            "OPTIONS": {
                # Fail open: a Redis outage makes pages slower, never broken.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Room for every page, stamp and index entry of the site (Django's default, 300, drops a third of
    # them whenever it fills: the content version with them, which then costs a page its queries again).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
# One way to write a time everywhere in the admin (history, lists): 24-hour "14:42", day before month.
FORMAT_MODULE_PATH = ["toesite.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# "Mark reviewed today" sets the next review this many months on.
REVIEW_PERIOD_MONTHS = 12

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers: on every response, static files and cached pages included (see MIDDLEWARE).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (templates and the admin alike), so nothing needs a nonce and
# a cached page is the same for every reader. The admin's TOTP QR code is an image from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Every powerful browser feature off: the site uses none of them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Cookies exist for editors only (readers get none). Sessions end after 30 minutes idle (the expiry
# moves on with each request) and 8 hours after sign-in whatever happens (accounts/signin.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
STAFF_SESSION_MAX_AGE = 8 * 60 * 60

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
    # HTTPS only. The site runs behind a proxy that ends TLS and sets X-Forwarded-Proto itself,
    # overwriting whatever the client sent: only then may the header be trusted (README, Deploying).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a promise about the whole domain, made by its owner on hstspreload.org; the
    # one-year HSTS with subdomains above is what the site itself can set.
    "security.W021",
]

# Sign-in attempts: after 5 failures for one username from one address, that pair gets a 429 for
# an hour. The address is the connection's own unless DJANGO_CLIENT_IP_HEADER names a header that
# the proxy in front sets itself (README, Deploying).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "429_lockout.html"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"
AXES_USERNAME_CALLABLE = "accounts.signin.attempted_username"
AXES_RESET_ON_SUCCESS = True
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
# Two factors for every editor when DEBUG is off (toesite/urls.py); `make run`'s local accounts sign
# in with a password alone, in debug only.
OTP_TOTP_ISSUER = "ToeSite editors"
# An app's secret is shown once, by `manage.py enrol_totp`, never again in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# E-mail to editors (editorial/notifications.py): what waits for them, what happened to their change.
# Locally it is printed on the console. On a server it goes over SMTP to DJANGO_EMAIL_HOST, with TLS
# unless DJANGO_EMAIL_USE_TLS=0 says the relay is on the same machine; without DJANGO_EMAIL_HOST no
# e-mail is sent at all. With a host, the sender's address must be set too.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "1") == "1"
    EMAIL_TIMEOUT = 10
    if not os.environ.get("DJANGO_EMAIL_FROM"):
        raise ImproperlyConfigured("Set DJANGO_EMAIL_FROM to the address editors' e-mail comes from.")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "toesite@localhost")

# Requests are logged without bodies or query strings: questionnaire answers never reach a log.
# Sign-ins are logged (username and address, never a password) by accounts.signin and by axes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"accounts.signin": {"level": "INFO"}},
}
