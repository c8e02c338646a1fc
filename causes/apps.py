from django.apps import AppConfig


class CausesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "causes"
    verbose_name = "Site content"

    def ready(self) -> None:
        from core import cache

        from . import redirects
        from .models import Cause, Faq, Remedy, SitePage, Source, UrgencyWording, WarningSign

        # Every page shows the general signs; the FAQ page lists only sources that are medical evidence.
        listed_by = {WarningSign: ("general",), Source: ("evidence",)}
        cache.watch(Cause, Faq, Remedy, Source, WarningSign, SitePage, UrgencyWording, listed_by=listed_by)
        redirects.watch(Cause, Remedy, SitePage)
