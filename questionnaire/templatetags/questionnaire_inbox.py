"""The admin home page's line about questionnaire changes waiting for a release."""

from django import template
from django.urls import reverse

from questionnaire.admin import _changes_since
from questionnaire.models import Release

register = template.Library()


@register.inclusion_tag("admin/includes/inbox_line.html")
def questionnaire_inbox() -> dict:
    count = len(_changes_since(Release.objects.first()))
    return {
        "heading": "Questionnaire changes waiting for review",
        "text": f"{count} change(s) since the last release." if count else "No questionnaire changes are waiting.",
        "url": reverse("admin:questionnaire_question_changes") if count else "",
    }
