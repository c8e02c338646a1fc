"""The admin home page's inbox of content waiting for review, scheduled, or due a review."""

from django import template

from editorial.inbox import inbox

register = template.Library()


@register.inclusion_tag("admin/includes/inbox.html", takes_context=True)
def content_inbox(context) -> dict:
    return {"box": inbox(context["request"].user)}
