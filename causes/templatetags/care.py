"""The "when to get help" box shared by the general pages, from the warning-sign register."""

from django import template

from causes import selectors

register = template.Library()


@register.inclusion_tag("includes/get_help.html")
def get_help(cards: list | None = None) -> dict:
    """The general warning signs, a box per level; pass `cards` where the page already loaded them."""
    return {"cards": selectors.general_care_cards() if cards is None else cards}
