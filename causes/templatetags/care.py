"""The "when to get help" box shared by the general pages, from the warning-sign register."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from causes import selectors
from core.cache import versioned

register = template.Library()


@register.simple_tag
def get_help() -> SafeString:
    """The general warning signs, a box per level: the same on every page, so rendered once per content version."""
    return versioned("get-help-html", _render_get_help)


def _render_get_help() -> SafeString:
    return render_to_string("includes/get_help.html", {"cards": selectors.general_care_cards()})
