"""Search engines and share previews find every public page: sitemap.xml, robots.txt, each page's
title, description, canonical address, sharing tags and icons, and its JSON-LD."""

import datetime
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Faq, Remedy, SitePage
from core.cache import content_changed
from editorial.lifecycle import Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

SITE = "http://testserver"  # DJANGO_SITE_URL in the Makefile's TEST_ENV
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# One page of each public type that is not one item's own (URL name), then one cause and one remedy.
PAGES = [
    "causes:home",
    "causes:cause-list",
    "causes:remedy-list",
    "causes:faq",
    "search:a-z",
    "glossary:glossary",
    "causes:about",
    "causes:privacy",
    "questionnaire:check-your-symptoms",
]
MEDICAL_PAGES = ["causes:home", "causes:cause-list", "causes:remedy-list", "causes:faq", "causes:about"]


class Page(HTMLParser):
    """What a crawler reads in a page: its head's tags, its JSON-LD, and its visible breadcrumbs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.scripts: list[tuple[str, str]] = []  # (type, text) of every script element
        self.breadcrumbs: list[tuple[str, str]] = []  # (name, href) of each visible breadcrumb
        self._in: str | None = None
        self._script_type = ""
        self._in_breadcrumb_nav = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content", ""))
        elif tag == "link":
            for rel in attrs.get("rel", "").split():
                self.links.setdefault(rel, []).append(attrs.get("href", ""))
        elif tag == "script":
            self._in, self._script_type = "script", attrs.get("type", "")
            self.scripts.append((self._script_type, ""))
        elif tag == "nav" and attrs.get("aria-label") == "Breadcrumb":
            self._in_breadcrumb_nav = True
        elif self._in_breadcrumb_nav and tag == "li":
            self._in = "crumb"
            self.breadcrumbs.append(("", ""))
        elif self._in == "crumb" and tag == "a":
            self.breadcrumbs[-1] = (self.breadcrumbs[-1][0], attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("title", "script", "li"):
            self._in = None
        elif tag == "nav":
            self._in_breadcrumb_nav = False

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.scripts[-1] = (self._script_type, self.scripts[-1][1] + data)
        elif self._in == "crumb":
            self.breadcrumbs[-1] = (self.breadcrumbs[-1][0] + data, self.breadcrumbs[-1][1])

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def json_ld(self) -> dict[str, dict]:
        """Each JSON-LD block by its @type; every one must parse."""
        blocks = [json.loads(text) for kind, text in self.scripts if kind == "application/ld+json"]
        by_type = {block["@type"]: block for block in blocks}
        assert len(by_type) == len(blocks), "one block of each type"
        return by_type


def _page(client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, path
    return Page(response.content.decode())


def _public_paths() -> list[str]:
    return [
        *(reverse(name) for name in PAGES),
        *(cause.get_absolute_url() for cause in Cause.objects.published()),
        *(remedy.get_absolute_url() for remedy in Remedy.objects.published()),
        *(page.get_absolute_url() for page in SitePage.objects.published().exclude(slug__in=list(SitePage.PARTS))),
    ]


# --- sitemap.xml and robots.txt -----------------------------------------------------------------


def _sitemap(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_every_published_page_with_its_last_change_and_nothing_else(client, make_cause, make_remedy):
    make_cause(slug="a-draft-cause", status=Status.DRAFT)
    make_cause(slug="a-cause-for-later", publish_at=timezone.now() + datetime.timedelta(days=2))
    make_remedy(slug="a-draft-remedy", status=Status.DRAFT)
    entries = _sitemap(client)
    assert set(entries) == {SITE + path for path in _public_paths()}
    assert all(lastmod for lastmod in entries.values()), "every address has its last-modified date"
    caffeine = Cause.objects.get(slug="caffeine")
    assert entries[f"{SITE}/causes/caffeine/"].startswith(timezone.localtime(caffeine.updated).date().isoformat())


def test_sitemap_leaves_out_search_results_the_admin_and_unpublished_pages(client, make_cause):
    make_cause(slug="not-yet", status=Status.DRAFT)
    text = client.get("/sitemap.xml").content.decode()
    for absent in ("/search/", "/admin/", "/not-yet/", "/feedback/", "/health/"):
        assert absent not in text, absent


def test_sitemap_addresses_come_from_the_site_url_not_the_host_asked_for(client, settings):
    settings.SITE_URL = "https://toesite.example.org"
    entries = _sitemap(client.__class__(HTTP_HOST="localhost"))
    assert entries and all(loc.startswith("https://toesite.example.org/") for loc in entries)


def test_robots_txt_points_at_the_sitemap_and_keeps_out_the_admin_and_search_results(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert {line for line in lines if line.startswith("Disallow:")} == {"Disallow: /admin/", "Disallow: /search/"}
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


# --- Every page's head ----------------------------------------------------------------------


def test_every_public_page_has_its_own_title_description_and_canonical_address(client):
    titles, descriptions = {}, {}
    for path in _public_paths():
        page = _page(client, path)
        assert page.lang == "en-GB", path
        assert page.title.strip().endswith("| ToeSite"), path
        description = page.one("description")
        assert len(description) >= 50, (path, description)
        assert titles.setdefault(page.title, path) == path, f"{path} has the title of {titles[page.title]}"
        assert descriptions.setdefault(description, path) == path, (
            f"{path} has the description of {descriptions[description]}"
        )
        assert page.links["canonical"] == [SITE + path], path


def test_every_public_page_has_sharing_tags_with_the_site_image(client):
    for path in _public_paths():
        page = _page(client, path)
        assert page.one("og:url") == SITE + path
        assert page.one("og:title") and page.one("og:title") in page.title, path
        assert page.one("og:description") == page.one("description"), path
        image = page.one("og:image")
        assert image.startswith(SITE + settings.STATIC_URL) and image.endswith("share.png"), image
        assert (page.one("og:image:width"), page.one("og:image:height")) == ("1200", "630")
        assert page.one("twitter:card") == "summary_large_image"


def test_share_image_is_a_1200_by_630_png():
    data = open(finders.find("img/share.png"), "rb").read()  # noqa: SIM115
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20]), int.from_bytes(data[20:24])) == (1200, 630)


def test_icons_and_the_manifest_are_linked_and_exist(client):
    page = _page(client, "/")
    icons = page.links["icon"] + page.links["apple-touch-icon"]
    assert len(icons) == 3
    manifest = client.get(page.links["manifest"][0])
    assert manifest["Content-Type"] == "application/manifest+json"
    manifest = json.loads(manifest.content)
    assert manifest["name"] and manifest["short_name"] == "ToeSite" and manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 302
    for url in [*icons, *(icon["src"] for icon in manifest["icons"]), favicon["Location"]]:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


# --- JSON-LD --------------------------------------------------------------------------------


def _assert_medical_web_page(block: dict, path: str) -> None:
    assert block["@context"] == "https://schema.org"
    assert block["url"] == SITE + path
    assert block["audience"] == "https://schema.org/Patient"
    datetime.date.fromisoformat(block["lastReviewed"])
    assert block["reviewedBy"]["name"]
    assert block["publisher"] == {**block["publisher"], "@type": "Organization", "name": "ToeSite editorial team"}
    assert block["name"] and block["description"]


def test_general_pages_are_medical_web_pages_about_toe_twitching(client):
    for name in MEDICAL_PAGES:
        path = reverse(name)
        block = _page(client, path).json_ld()["MedicalWebPage"]
        _assert_medical_web_page(block, path)
        assert block["about"] == {"@type": "MedicalSignOrSymptom", "name": "Toe twitching"}


def test_a_cause_page_is_about_its_condition_and_names_who_reviewed_it(client):
    cause = Cause.objects.published().get(slug="caffeine")
    block = _page(client, cause.get_absolute_url()).json_ld()["MedicalWebPage"]
    _assert_medical_web_page(block, cause.get_absolute_url())
    assert block["about"]["@type"] == "MedicalCondition" and block["about"]["name"] == cause.title
    assert block["lastReviewed"] == cause.last_reviewed.isoformat()
    assert block["name"] == cause.title and block["description"] == cause.summary
    assert block["reviewedBy"]["@type"] == "Organization"  # no clinician has approved the seed yet
    Cause.objects.filter(pk=cause.pk).update(reviewed_by="Dr Ann Lee, GP")
    content_changed()  # as a reviewer's approval does
    assert _page(client, cause.get_absolute_url()).json_ld()["MedicalWebPage"]["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Ann Lee, GP",
    }


def test_every_cause_and_remedy_page_is_a_medical_web_page(client):
    for item in [*Cause.objects.published(), *Remedy.objects.published()]:
        blocks = _page(client, item.get_absolute_url()).json_ld()
        _assert_medical_web_page(blocks["MedicalWebPage"], item.get_absolute_url())
        assert blocks["MedicalWebPage"]["lastReviewed"] == item.last_reviewed.isoformat()


def test_faq_page_lists_every_published_question_with_its_answer(client, make_faq):
    make_faq(question="A draft question?", status=Status.DRAFT)
    faq_page = _page(client, reverse("causes:faq")).json_ld()["FAQPage"]
    questions = {entry["name"]: entry["acceptedAnswer"]["text"] for entry in faq_page["mainEntity"]}
    published = Faq.objects.published()
    assert list(questions) == [faq.question for faq in published]
    assert all(
        entry["@type"] == "Question" and entry["acceptedAnswer"]["@type"] == "Answer"
        for entry in faq_page["mainEntity"]
    )
    first = published.first()
    assert questions[first.question] and "<" not in questions[first.question]
    assert questions[first.question].split()[:3] == first.answer.split()[:3]


def test_breadcrumb_list_matches_the_visible_breadcrumbs_on_every_page(client):
    for path in _public_paths():
        page = _page(client, path)
        blocks = page.json_ld()
        if not page.breadcrumbs:  # the home page shows none
            assert "BreadcrumbList" not in blocks, path
            continue
        items = blocks["BreadcrumbList"]["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(page.breadcrumbs) + 1))
        assert [item["name"] for item in items] == [" ".join(name.split()) for name, _ in page.breadcrumbs], path
        assert [item["item"] for item in items] == [SITE + (href or path) for _, href in page.breadcrumbs], path


def test_a_hostile_title_cannot_break_out_of_the_json_ld(client, make_cause):
    hostile = '</script><script>alert(1)</script><!-- " & x'
    cause = make_cause(title=hostile, summary=hostile)
    html = client.get(cause.get_absolute_url()).content.decode()
    page = Page(html)
    assert all(kind == "application/ld+json" or not text.strip() for kind, text in page.scripts), page.scripts
    assert "<script>alert(1)" not in html
    block = page.json_ld()["MedicalWebPage"]
    assert block["name"] == hostile and block["about"]["name"] == hostile
    assert [item["name"] for item in page.json_ld()["BreadcrumbList"]["itemListElement"]][-1] == " ".join(
        hostile.split()
    )
