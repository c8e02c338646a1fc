from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView
from django_otp.admin import OTPAdminSite

from accounts.signin import TwoFactorLoginForm
from causes.sitemaps import CauseSitemap, PageSitemap, RemedySitemap, SitePageSitemap
from core.cache import public_page
from core.views import health
from glossary.sitemaps import GlossarySitemap
from questionnaire.sitemaps import QuestionnaireSitemap
from search.sitemaps import AToZSitemap

if not settings.DEBUG:
    # Two factors for every editor: a password and a code from an authenticator app (TOTP). The
    # recipe django-otp documents; in debug the local editor signs in with a password alone.
    admin.site.__class__ = OTPAdminSite
    admin.site.login_template = "admin/login.html"  # ours: plain words for the code, and no device menu
    admin.site.login_form = TwoFactorLoginForm

admin.site.site_header = "ToeSite editors"
admin.site.site_title = "ToeSite editors"
admin.site.index_title = "Site content"

SITEMAPS = {
    "pages": PageSitemap,
    "site-pages": SitePageSitemap,
    "a-z": AToZSitemap,
    "glossary": GlossarySitemap,
    "questionnaire": QuestionnaireSitemap,
    "causes": CauseSitemap,
    "remedies": RemedySitemap,
}


def favicon(request):
    """Browsers and crawlers that ask for /favicon.ico get the static file (its name changes with it)."""
    return redirect(static("img/favicon.ico"))


# sitemap.xml, robots.txt and the manifest are the same for every reader, so the page cache may keep them.
urlpatterns = [
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        public_page(TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8")),
        name="robots",
    ),
    path(
        "manifest.webmanifest",
        public_page(
            TemplateView.as_view(template_name="manifest.webmanifest", content_type="application/manifest+json")
        ),
        name="manifest",
    ),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/work/", include("editorial.urls")),  # send back with a note; editors' requests
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("questionnaire.urls")),
    path("", include("feedback.urls")),
    path("", include("causes.urls")),
    path("", include("search.urls")),
    path("", include("glossary.urls")),
]
