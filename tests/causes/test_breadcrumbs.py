"""Breadcrumbs are data: each view names its trail, and base.html draws the visible trail and the
BreadcrumbList JSON-LD from that one list, so the two can never differ and no HTML is parsed back."""

import json
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from causes.models import Cause, Remedy, SitePage
from core.templatetags.seo import Crumb
from tests.conftest import results_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

SITE = "http://testserver"  # DJANGO_SITE_URL in the test settings
TRAIL = re.compile(r'<nav aria-label="Breadcrumb">(.*?)</nav>', re.S)


def _crumbs_shown(html: str) -> list[tuple[str, str]]:
    """(name, href) of each visible breadcrumb; the current page's has no href."""
    trail = TRAIL.search(html)
    assert trail, "the page shows no breadcrumb trail"
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail.group(1), re.S)
    found = []
    for item in items:
        link = re.fullmatch(r'<a href="([^"]*)">(.*)</a>', item.strip(), re.S)
        found.append((link.group(2), link.group(1)) if link else (item.strip(), ""))
    return found


def _breadcrumb_list(html: str) -> list[dict] | None:
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        block = json.loads(text)
        if block["@type"] == "BreadcrumbList":
            return block["itemListElement"]
    return None


def _pages(client) -> dict[str, tuple[str, list[Crumb]]]:
    """Every page type that shows a trail: its HTML and the trail it should show after Home."""
    cause = Cause.objects.published().get(slug="caffeine")
    remedy = Remedy.objects.published().first()
    titles = dict(SitePage.objects.values_list("slug", "title"))
    get = lambda path: client.get(path).content.decode()  # noqa: E731
    return {
        "cause": (get(cause.get_absolute_url()), [Crumb("Causes", "/causes/"), Crumb(cause.title)]),
        "remedy": (get(remedy.get_absolute_url()), [Crumb("Remedies", "/remedies/"), Crumb(remedy.title)]),
        "causes": (get("/causes/"), [Crumb("Causes")]),
        "remedies": (get("/remedies/"), [Crumb("Remedies")]),
        "faq": (get("/faq/"), [Crumb("Common questions")]),
        "a-z": (get("/a-z/"), [Crumb("A to Z")]),
        "about": (get("/about/"), [Crumb(titles["about"])]),
        "privacy": (get("/privacy/"), [Crumb(titles["privacy"])]),
        "added page": (get("/pages/accessibility/"), [Crumb(titles["accessibility"])]),
        "glossary": (get("/glossary/"), [Crumb("Glossary")]),
        "search": (get("/search/?q=cramp"), [Crumb("Search")]),
        "questionnaire": (get("/check-your-symptoms/"), [Crumb("Check your symptoms")]),
        "all questions": (
            get("/check-your-symptoms/all/"),
            [Crumb("Check your symptoms", "/check-your-symptoms/"), Crumb("All questions")],
        ),
        "results": (
            results_page(client),
            [Crumb("Check your symptoms", "/check-your-symptoms/"), Crumb("Your results")],
        ),
    }


def test_every_page_with_a_trail_shows_home_then_the_crumbs_its_view_gives(client):
    for name, (html, crumbs) in _pages(client).items():
        assert _crumbs_shown(html) == [("Home", "/"), *crumbs], name


def test_the_breadcrumb_list_has_the_same_names_and_addresses_as_the_visible_trail(client):
    for name, (html, _) in _pages(client).items():
        shown = _crumbs_shown(html)
        items = _breadcrumb_list(html)
        assert items is not None, name
        assert [item["position"] for item in items] == list(range(1, len(shown) + 1)), name
        assert [item["name"] for item in items] == [crumb_name for crumb_name, _ in shown], name
        linked = [SITE + href for _, href in shown[:-1]]
        assert [item["item"] for item in items[:-1]] == linked, name
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert items[-1]["item"] == canonical, name  # the page's own crumb: its one address


def test_the_home_page_and_an_error_page_show_no_trail_and_no_breadcrumb_list(client):
    for html in (client.get("/").content.decode(), client.get("/causes/no-such-cause/").content.decode()):
        assert 'aria-label="Breadcrumb"' not in html
        assert _breadcrumb_list(html) is None


def test_a_title_with_markup_is_escaped_in_the_trail_and_exact_in_the_breadcrumb_list(client, make_cause):
    cause = make_cause(title='Cramps & "spasms" <b>now</b>')
    html = client.get(cause.get_absolute_url()).content.decode()
    assert _crumbs_shown(html)[-1] == ("Cramps &amp; &quot;spasms&quot; &lt;b&gt;now&lt;/b&gt;", "")
    assert _breadcrumb_list(html)[-1]["name"] == 'Cramps & "spasms" <b>now</b>'


class Counted:
    """Text that counts how often a template renders it."""

    def __init__(self) -> None:
        self.renders = 0

    def __str__(self) -> str:
        self.renders += 1
        return "Counted title"


def test_the_title_block_is_rendered_once_for_the_title_og_title_and_json_ld():
    title = Counted()
    page = Template(
        '{% extends "base.html" %}{% load seo %}{% block title %}{{ title }}{% endblock %}'
        "{% block structured_data %}{% medical_web_page last_reviewed=None %}{% endblock %}"
    )
    html = page.render(Context({"title": title, "request": RequestFactory().get("/about/")}))
    assert title.renders == 1
    assert "<title>Counted title | ToeSite</title>" in html
    assert '<meta property="og:title" content="Counted title">' in html
    assert '"name": "Counted title"' in html
