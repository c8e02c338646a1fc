from django.apps import AppConfig


class CausesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "causes"
    verbose_name = "Site content"
