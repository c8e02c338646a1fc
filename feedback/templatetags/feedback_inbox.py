"""The admin home page's line about readers' comments still to handle."""

from django import template
from django.urls import reverse

from feedback.models import Feedback

register = template.Library()


@register.inclusion_tag("admin/includes/inbox_line.html")
def feedback_inbox() -> dict:
    count = Feedback.objects.filter(handled=False).exclude(comment="").count()
    return {
        "heading": "Feedback to handle",
        "text": f"{count} comment(s) from readers not yet handled." if count else "No comments are waiting.",
        "url": reverse("admin:feedback_feedback_changelist") + "?handled__exact=0" if count else "",
    }
