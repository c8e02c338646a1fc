"""What search engines and share previews read: absolute addresses, a block shown twice, and JSON-LD.

Everything here is the same for every reader (no Host header, no query string), so cached pages may
carry it. JSON-LD is escaped so that no text an editor writes can end its script element.
"""

import datetime
import json
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.templatetags.static import static
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from ..models import Cause
from .markdown import render_markdown

register = template.Library()

PUBLISHER = "ToeSite editorial team"
SYMPTOM = {"@type": "MedicalSignOrSymptom", "name": "Toe twitching"}
# What json.dumps leaves that could close the script element or start markup: as json_script escapes.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    """An address on the public site, from SITE_URL: never from the request's Host header."""
    return settings.SITE_URL + path


@register.simple_tag
def site_url(path: str = "/") -> str:
    return absolute(path)


@register.simple_tag
def static_url(path: str) -> str:
    """A static file's absolute address (for share images and the manifest's icons)."""
    return absolute(static(path))


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    """This page's one address: its item's, else the path asked for, without a query string.

    Empty on an error page: an address that is not a page of the site has no canonical one.
    """
    item = context.get("object")
    if item is not None and hasattr(item, "get_absolute_url"):
        return absolute(item.get_absolute_url())
    request = context.get("request")
    if request is None or request.resolver_match is None or "exception" in context:
        return ""
    return absolute(request.path)


@register.simple_tag(takes_context=True)
def render_block(context: template.Context, name: str) -> SafeString:
    """A block of the page rendered again, so the title also feeds og:title without being written twice."""
    block = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = block.get_block(name) if block is not None else None
    return mark_safe(node.render(context).strip()) if node is not None else SafeString("")  # noqa: S308


def json_ld(data: dict[str, Any]) -> SafeString:
    """A JSON-LD script element whose text cannot end the element, whatever the data holds."""
    text = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_JSON_ESCAPES)))  # noqa: S308


def _publisher() -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": PUBLISHER,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute(static("img/icon-512.png")), "width": 512, "height": 512},
    }


@register.simple_tag(takes_context=True)
def medical_web_page(
    context: template.Context,
    *,
    last_reviewed: datetime.date | None,
    reviewed_by: str = "",
    about: Cause | None = None,
    modified: datetime.datetime | datetime.date | None = None,
) -> SafeString:
    """MedicalWebPage for a page of health information, for patients.

    Who reviewed it: the reviewer's public name and role when a clinician approved it, else the
    publisher. A cause page is about that condition; every other page is about toe twitching.
    """
    data: dict[str, Any] = {
        "@type": "MedicalWebPage",
        # The blocks are HTML-escaped text; json_ld escapes them once more, for the script element.
        "name": unescape(render_block(context, "title")),
        "description": unescape(render_block(context, "meta_description")),
        "url": canonical_url(context),
        "inLanguage": "en-GB",
        "audience": "https://schema.org/Patient",
        "reviewedBy": {"@type": "Person", "name": reviewed_by} if reviewed_by else _publisher(),
        "publisher": _publisher(),
        "about": SYMPTOM
        if about is None
        else {"@type": "MedicalCondition", "name": about.title, "signOrSymptom": SYMPTOM},
    }
    if last_reviewed is not None:  # a page no reviewer has approved yet claims no review date
        data["lastReviewed"] = last_reviewed
    if modified is not None:
        data["dateModified"] = modified
    return json_ld(data)


@register.simple_tag
def faq_page(faqs) -> SafeString:
    """FAQPage with every question on the page and its answer as plain text."""
    return json_ld(
        {
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": faq.question,
                    "acceptedAnswer": {"@type": "Answer", "text": strip_tags(render_markdown(faq.answer)).strip()},
                }
                for faq in faqs
            ],
        }
    )


class _Crumbs(HTMLParser):
    """The names and links of the breadcrumb items in some HTML, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []
        self._inside = False  # within a breadcrumb item

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and "breadcrumb-item" in classes:
            self.items.append({"name": "", "href": ""})
            self._inside = True
        elif self._inside and tag == "a":
            self.items[-1]["href"] = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.items[-1]["name"] += data


@register.simple_tag(takes_context=True)
def breadcrumb_list(context: template.Context) -> SafeString:
    """BreadcrumbList read from the page's own visible breadcrumbs, so the two can never differ."""
    parser = _Crumbs()
    parser.feed(str(render_block(context, "breadcrumbs_nav")))
    if not parser.items:
        return SafeString("")
    elements = []
    for position, crumb in enumerate(parser.items, start=1):
        element = {"@type": "ListItem", "position": position, "name": " ".join(crumb["name"].split())}
        # The current page's crumb has no link: its address is the page's own.
        url = absolute(crumb["href"]) if crumb["href"].startswith("/") else canonical_url(context)
        elements.append({**element, "item": url} if url else element)
    return json_ld({"@type": "BreadcrumbList", "itemListElement": elements})
