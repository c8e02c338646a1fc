"""What search engines and share previews read: absolute addresses, the title once, breadcrumbs and JSON-LD.

Everything here is the same for every reader (no Host header, no query string), so cached pages may
carry it. JSON-LD is escaped so that no text an editor writes can end its script element.
"""

import datetime
import json
from collections.abc import Callable
from html import unescape
from typing import Any, NamedTuple, Protocol

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


_RENDERED = "seo_once"  # in the render context: what this page has already worked out, by name


def _once(context: template.Context, name: str, work: Callable[[], Any]) -> Any:
    """`work()` done once per page render, however many tags need it."""
    done = context.render_context.setdefault(_RENDERED, {})
    if name not in done:
        done[name] = work()
    return done[name]


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    """This page's one address: its item's, else the path asked for, without a query string.

    Empty on an error page: an address that is not a page of the site has no canonical one.
    """

    def work() -> str:
        item = context.get("object")
        if item is not None and hasattr(item, "get_absolute_url"):
            return absolute(item.get_absolute_url())
        request = context.get("request")
        if request is None or request.resolver_match is None or "exception" in context:
            return ""
        return absolute(request.path)

    return _once(context, "canonical_url", work)


@register.tag
def remember(parser: template.base.Parser, token: template.base.Token) -> "RememberNode":
    """`{% remember 'title' %}...{% endremember %}`: shown here, and kept for `{% remembered 'title' %}`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% remember %} takes one argument: the name to keep its text under.")
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(nodelist, bits[1].strip("'\""))


class RememberNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> SafeString:
        text = self.nodelist.render(context)
        context.render_context.setdefault(_RENDERED, {})[f"block:{self.name}"] = mark_safe(text.strip())  # noqa: S308
        return text


@register.simple_tag(takes_context=True)
def remembered(context: template.Context, name: str) -> SafeString:
    """The text `{% remember name %}` kept earlier on this page (og:title, JSON-LD), not rendered again."""
    return context.render_context.get(_RENDERED, {}).get(f"block:{name}", SafeString(""))


def json_ld(data: dict[str, Any]) -> SafeString:
    """A JSON-LD script element whose text cannot end the element, whatever the data holds."""
    text = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_JSON_ESCAPES)))  # noqa: S308


class Titled(Protocol):
    """What a page can be about: anything with a title (a cause)."""

    title: str


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
    about: Titled | None = None,
    modified: datetime.datetime | datetime.date | None = None,
) -> SafeString:
    """MedicalWebPage for a page of health information, for patients.

    Who reviewed it: the reviewer's public name and role when a clinician approved it, else the
    publisher. A cause page is about that condition; every other page is about toe twitching.
    """
    publisher = _publisher()
    data: dict[str, Any] = {
        "@type": "MedicalWebPage",
        # The blocks are HTML-escaped text; json_ld escapes them once more, for the script element.
        "name": unescape(remembered(context, "title")),
        "description": unescape(remembered(context, "meta_description")),
        "url": canonical_url(context),
        "inLanguage": "en-GB",
        "audience": "https://schema.org/Patient",
        "reviewedBy": {"@type": "Person", "name": reviewed_by} if reviewed_by else publisher,
        "publisher": publisher,
        "about": SYMPTOM
        if about is None
        else {"@type": "MedicalCondition", "name": about.title, "signOrSymptom": SYMPTOM},
    }
    if last_reviewed is not None:  # a page no reviewer has approved yet claims no review date
        data["lastReviewed"] = last_reviewed
    if modified is not None:
        data["dateModified"] = modified
    return json_ld(data)


class Crumb(NamedTuple):
    """One step of a page's breadcrumb trail after Home; the page's own step has no address."""

    name: str
    url: str = ""


@register.simple_tag(takes_context=True)
def breadcrumb_list(context: template.Context) -> SafeString:
    """BreadcrumbList from the `breadcrumbs` the view gives, the same list base.html shows as the visible trail."""
    crumbs: list[Crumb] = context.get("breadcrumbs") or []
    if not crumbs:
        return SafeString("")
    elements = []
    for position, crumb in enumerate([Crumb("Home", reverse("causes:home")), *crumbs], start=1):
        element = {"@type": "ListItem", "position": position, "name": crumb.name}
        # The current page's crumb has no link: its address is the page's own.
        url = absolute(crumb.url) if crumb.url else canonical_url(context)
        elements.append({**element, "item": url} if url else element)
    return json_ld({"@type": "BreadcrumbList", "itemListElement": elements})
