"""Editor Markdown to safe HTML: rendered, then cleaned with an allow-list."""

from functools import lru_cache

import markdown as md
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "code",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Render Markdown and keep only the allow-listed tags, attributes and URL schemes.

    A '#' heading becomes an h2 so each page keeps its one h1; raw HTML, scripts, event
    handlers and javascript: URLs are stripped by nh3.
    """
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - cleaned by nh3 above
