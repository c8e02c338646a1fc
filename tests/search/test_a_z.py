"""The A to Z: every published cause and remedy by first letter, with readers' own words as "see" entries."""

import re

import pytest
from django.urls import resolve, reverse

from causes.models import Cause, Remedy
from editorial.lifecycle import Status
from search import selectors
from search.models import Synonym

# --- The A to Z -----------------------------------------------------------------------------


@pytest.fixture
def a_to_z(db, make_cause, make_remedy):
    make_cause(slug="cramp", title="Cramp")
    make_cause(slug="draft", title="Drafted cause", status=Status.DRAFT)
    make_remedy(slug="rest", title="Rest your feet")
    Synonym.objects.create(phrase="pins and needles", means="tingling", status="published")
    Synonym.objects.create(phrase="charley horse", means="cramp", status="published")


def test_a_to_z_lists_published_causes_and_remedies_by_letter(client, a_to_z):
    html = client.get(reverse("search:a-z")).content.decode()
    assert 'href="#letter-c"' in html and '<h2 id="letter-c">C</h2>' in html
    assert '<a href="/causes/cramp/">Cramp</a>' in html and '<a href="/remedies/rest/">Rest your feet</a>' in html
    assert "Drafted" not in html
    assert html.index('id="letter-c"') < html.index('id="letter-p"') < html.index('id="letter-r"')


def test_a_to_z_see_entries_search_for_the_word_the_site_uses(client, a_to_z):
    html = client.get("/a-z/").content.decode()
    search = reverse("search:search")
    assert f'pins and needles: see <a href="{search}?q=tingling">tingling</a>' in html


def test_a_to_z_see_entry_goes_to_the_page_named_by_its_word(client, a_to_z):
    assert 'charley horse: see <a href="/causes/cramp/">cramp</a>' in client.get("/a-z/").content.decode()


def test_a_to_z_lists_every_seeded_page_and_synonym(seeded):
    entries = [entry for _, group in selectors.a_to_z().letters for entry in group]
    assert len(entries) == Cause.objects.published().count() + Remedy.objects.published().count() + 8
    assert selectors.a_to_z().last_reviewed is not None


def test_a_to_z_is_a_cached_public_page_in_the_footer(client, seeded):
    path = reverse("search:a-z")
    assert resolve(path).func.view_class.__name__ == "AToZView"
    response = client.get(path)
    assert re.fullmatch(r"public, s-maxage=\d+, max-age=60", response["Cache-Control"])  # issue 27
    assert re.search(rf'<ul class="footer-nav">.*href="{path}"', response.content.decode(), re.S)
