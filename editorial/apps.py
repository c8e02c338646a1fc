from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from core import cache

        from . import scheduling

        cache.schedule_changes(scheduling.next_time, scheduling.publish_due)
