"""The admin home page's line about questionnaire changes waiting for a release."""

from django import template
from django.urls import reverse

from questionnaire import releases

register = template.Library()


@register.inclusion_tag("admin/includes/inbox_line.html")
def questionnaire_inbox() -> dict:
    count = len(releases.waiting())
    return {
        "heading": "Questionnaire changes waiting for review",
        "text": f"{count} change(s) since the last release." if count else "No questionnaire changes are waiting.",
        "url": reverse("admin:questionnaire_question_changes") if count else "",
    }
