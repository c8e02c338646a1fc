"""The warning signs box shared by every page, listing the published red-flag answers."""

from django import template

from questionnaire import selectors

register = template.Library()


@register.inclusion_tag("includes/general_advice.html")
def warning_signs(signs: selectors.Signs | None = None) -> dict:
    """Render the general advice; pass `signs` where the page already loaded them, to save the query."""
    return {"signs": selectors.warning_signs() if signs is None else signs}
