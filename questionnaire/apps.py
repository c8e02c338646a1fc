from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "questionnaire"
    verbose_name = "Symptom questionnaire"

    def ready(self) -> None:
        from core.cache import watch

        from .models import Option, OptionWeight, Question, Release

        watch(Question, Option, OptionWeight, Release)
