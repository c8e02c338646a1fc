"""People in the admin are named as others know them: their full name, or their user name if they have none."""

from django import template

from editorial import notifications

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name, else their user name; "" for nobody, so `|default:` can say who is unknown."""
    return notifications.name(user) if user is not None else ""
