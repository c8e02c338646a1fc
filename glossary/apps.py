from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self) -> None:
        from core import cache

        from .models import GlossaryTerm

        cache.watch(GlossaryTerm)
