from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self) -> None:
        from causes.selectors import ADDED_PARTS
        from core import cache

        from .models import GlossaryTerm
        from .selectors import site_wide_part

        cache.watch(GlossaryTerm)
        ADDED_PARTS["glossary"] = site_wide_part
