"""A source's name, linked to its address only when that address is a web page."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def source_link(url: str | None, *text: str) -> SafeString:
    """`text` as a link to `url` when it is an http or https address, else as plain text.

    Checked where it is shown, not only in the admin's form: an address written straight to the
    database ("javascript:...") must never become a link a reader can click.
    """
    label = "".join(str(part) for part in text)
    # The scheme as the browser reads it: the address starts with it, so nothing it strips can change it.
    if (url or "").lower().startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, label)
    return conditional_escape(label)
