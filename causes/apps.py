from django.apps import AppConfig


class CausesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "causes"
    verbose_name = "Site content"

    def ready(self) -> None:
        from core import cache

        from . import redirects
        from .models import Cause, Faq, Remedy, SitePage, Source, UrgencyWording, WarningSign

        cache.watch(Cause, Faq, Remedy, Source, WarningSign, SitePage, UrgencyWording)
        redirects.watch(Cause, Remedy, SitePage)
