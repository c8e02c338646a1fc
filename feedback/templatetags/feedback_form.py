"""`{% comment_limit %}`: the longest comment a reader may send, for the feedback box's maxlength."""

from django import template

from feedback.models import COMMENT_LIMIT

register = template.Library()


@register.simple_tag
def comment_limit() -> int:
    return COMMENT_LIMIT
