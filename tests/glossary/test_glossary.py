"""The glossary page, and glossary links on the content pages."""

import datetime
import re
import tomllib
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from editorial import readability
from glossary.linking import Term, link_first_uses
from glossary.models import GlossaryTerm

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "causes/seed"
URL = "/glossary/"
NEUROPATHY = (Term("neuropathy", "neuropathy", "neuropathies, neuropathic"),)


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="glossary-link" href="([^"]*)">(.*?)</a>', html)


# --- Linking, without a database ------------------------------------------------------------


def test_only_the_first_use_on_a_page_is_linked():
    html = "<p>Neuropathy is nerve damage.</p><p>Neuropathy can be treated.</p>"
    assert links(link_first_uses(html, NEUROPATHY, URL)) == [("/glossary/#neuropathy", "Neuropathy")]
    assert link_first_uses(html, NEUROPATHY, URL).endswith("<p>Neuropathy can be treated.</p>")


def test_other_forms_link_to_the_same_entry_and_count_as_a_use():
    html = "<p>Some neuropathic pain.</p><p>Neuropathies vary. So does neuropathy.</p>"
    assert links(link_first_uses(html, NEUROPATHY, URL)) == [("/glossary/#neuropathy", "neuropathic")]


def test_only_whole_words_are_linked():
    html = "<p>Polyneuropathy and neuropathyish are not the word; NEUROPATHY is.</p>"
    assert links(link_first_uses(html, NEUROPATHY, URL)) == [("/glossary/#neuropathy", "NEUROPATHY")]


def test_words_in_links_headings_code_and_navigation_stay_plain():
    html = (
        '<h1>Neuropathy</h1><h2 id="x">About <em>neuropathy</em></h2><a href="/n/">neuropathy</a>'
        "<code>neuropathy</code><nav><ul><li>neuropathy</li></ul></nav><p>Then neuropathy.</p>"
    )
    result = link_first_uses(html, NEUROPATHY, URL)
    assert links(result) == [("/glossary/#neuropathy", "neuropathy")]
    assert result.endswith('<p>Then <a class="glossary-link" href="/glossary/#neuropathy">neuropathy</a>.</p>')


def test_a_page_with_no_glossary_word_is_unchanged_byte_for_byte():
    html = '<p title="a &gt; b">Tom&#x27;s &amp; Jo&#39;s <br/>toes &lt;twitch&gt;</p><!-- neuropathy -->'
    assert link_first_uses(html, NEUROPATHY, URL) == html


def test_regex_characters_in_a_term_match_only_themselves():
    terms = (Term("a.*", "a-star"), Term("b+", "b-plus"))
    html = "<p>abc bbb b+ and a.* here</p>"
    assert links(link_first_uses(html, terms, URL)) == [("/glossary/#b-plus", "b+"), ("/glossary/#a-star", "a.*")]


def test_a_hostile_term_is_linked_as_escaped_text_never_as_markup():
    terms = (Term("<script>", "script", 'x" onmouseover="alert(1)'),)
    html = "<p>Type &lt;script&gt; here. x&quot; onmouseover=&quot;alert(1)</p>"
    result = link_first_uses(html, terms, URL)
    assert "<script>" not in result and not re.search(r"<[^>]*onmouseover", result)
    assert links(result) == [("/glossary/#script", "&lt;script&gt;")]


def test_empty_forms_are_ignored():
    assert Term("cramp", "cramp", " , ,cramps,").forms == ("cramp", "cramps")
    assert link_first_uses("<p>a , b</p>", (Term("cramp", "cramp", " , "),), URL) == "<p>a , b</p>"


# --- The glossary on the site ---------------------------------------------------------------


@pytest.fixture
def page_with_words(db, make_cause):
    GlossaryTerm.objects.create(
        term="neuropathy", slug="neuropathy", also="neuropathic", meaning="Nerve damage.", status="published"
    )
    body = "## Neuropathy\n\nA [neuropathy](https://example.org/) link. Then neuropathy again. And neuropathy."
    return make_cause(slug="nerves", title="Nerves", body=body, self_care="Neuropathic pain eases.")


def test_cause_page_links_the_first_use_outside_headings_and_links(client, page_with_words):
    html = client.get("/causes/nerves/").content.decode()
    assert links(html) == [("/glossary/#neuropathy", "neuropathy")]
    assert "<h2>Neuropathy</h2>" in html and "Then <a class" in html


def test_a_new_glossary_word_links_on_pages_at_once(client, page_with_words):
    assert "#cramps" not in client.get("/causes/nerves/").content.decode()
    GlossaryTerm.objects.create(term="eases", slug="cramps", meaning="Gets better.", status="published")
    assert ("/glossary/#cramps", "eases") in links(client.get("/causes/nerves/").content.decode())


def test_seeded_pages_link_their_medical_words(client, seeded):
    assert ("/glossary/#neuropathy", "neuropathy") in links(client.get("/causes/nerve-damage/").content.decode())
    faq = client.get("/faq/").content.decode()
    assert ("/glossary/#restless-legs-syndrome", "Restless legs syndrome") in links(faq)
    assert ("/glossary/#neurologist", "neurologist") in links(client.get("/remedies/see-a-doctor/").content.decode())


def test_glossary_is_loaded_once_per_content_version_not_per_page(client, seeded):
    client.get("/remedies/see-a-doctor/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/remedies/drink-water/")
        client.get("/faq/")
    assert not [query for query in queries if "causes_glossaryterm" in query["sql"]]


def test_a_cause_page_reads_no_glossary_of_its_own_once_the_site_wide_data_is_loaded(client, seeded):
    client.get("/faq/")  # loads the site-wide data, the glossary with it, for this content version
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/causes/trapped-nerve/").status_code == 200
    assert len(queries) > 1  # the page was rendered, not served from the page cache
    assert not [query for query in queries if "causes_glossaryterm" in query["sql"]]


@pytest.mark.django_db
def test_glossary_page_lists_every_word_by_name_with_its_anchor(client, make_site_page):
    # Terms have no review dates of their own: the page shows the live home page's.
    make_site_page(slug="home", last_reviewed=datetime.date(2026, 3, 4), next_review_due=datetime.date(2027, 3, 4))
    GlossaryTerm.objects.create(term="zeta word", slug="zeta", meaning="Last **one**.", status="published")
    GlossaryTerm.objects.create(term="Alpha word", slug="alpha", meaning="First one.", status="published")
    GlossaryTerm.objects.create(
        term="beta <b>word</b>", slug="beta", meaning="<script>alert(1)</script>Middle.", status="published"
    )
    response = client.get(reverse("glossary:glossary"))
    html = response.content.decode()
    assert html.index('id="alpha"') < html.index('id="beta"') < html.index('id="zeta"')
    assert "<strong>one</strong>" in html and "Beta &lt;b&gt;word&lt;/b&gt;" in html
    assert "<script>alert" not in html
    assert 'Page last reviewed: <time datetime="2026-03-04">' in html and "<title>Glossary" in html
    assert re.fullmatch(r"public, s-maxage=\d+, max-age=60", response["Cache-Control"])  # issue 27


def test_seed_glossary_meanings_are_plain_english():
    terms = tomllib.loads((ROOT / "glossary/seed/glossary.toml").read_text(encoding="utf-8"))["glossary"]
    assert len(terms) >= 10
    for term in terms:
        sentences = readability.sentences(term["meaning"])
        assert 1 <= len(sentences) <= 2, term["term"]
        assert max(len(sentence.split()) for sentence in sentences) <= 20, term["term"]
        assert readability.grade(term["meaning"]) <= 6, term["term"]


def test_every_seed_glossary_word_is_used_by_the_seed_content():
    content = (SEED / "content.toml").read_text(encoding="utf-8")
    for term in tomllib.loads((ROOT / "glossary/seed/glossary.toml").read_text(encoding="utf-8"))["glossary"]:
        forms = Term(term["term"], term["slug"], term.get("also", "")).forms
        assert any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", content, re.I) for form in forms), term["term"]


def test_glossary_is_a_cached_public_page_in_the_footer(client, seeded):
    path = reverse("glossary:glossary")
    assert resolve(path).func.view_class.__name__ == "GlossaryView"
    response = client.get(path)
    assert re.fullmatch(r"public, s-maxage=\d+, max-age=60", response["Cache-Control"])  # issue 27
    assert re.search(rf'<ul class="footer-nav">.*href="{path}"', response.content.decode(), re.S)
