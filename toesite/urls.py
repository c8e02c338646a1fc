from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from causes.accounts import TwoFactorLoginForm
from causes.views import health

if not settings.DEBUG:
    # Two factors for every editor: a password and a code from an authenticator app (TOTP). The
    # recipe django-otp documents; in debug the local editor signs in with a password alone.
    admin.site.__class__ = OTPAdminSite
    admin.site.login_template = "admin/login.html"  # ours: plain words for the code, and no device menu
    admin.site.login_form = TwoFactorLoginForm

admin.site.site_header = "ToeSite editors"
admin.site.site_title = "ToeSite editors"
admin.site.index_title = "Site content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("questionnaire.urls")),
    path("", include("feedback.urls")),
    path("", include("causes.urls")),
]
