"""Urgency wording for templates: the levels as readers see them, with editors' live words."""

from django import template

from causes import selectors, urgency

register = template.Library()


@register.filter
def urgency_level(value: str) -> urgency.Level:
    """`{% with info=cause.urgency|urgency_level %}`: the level's headings and advice, as editors last approved them."""
    return selectors.urgency_level(value)
