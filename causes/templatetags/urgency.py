"""Urgency wording for templates, from the one definition in causes/urgency.py."""

from django import template

from causes import urgency

register = template.Library()


@register.filter
def urgency_level(value: str) -> urgency.Level:
    """`{% with info=cause.urgency|urgency_level %}`: the level's headings and advice."""
    return urgency.level(value)
