"""Pages with no review dates of their own show the live home page's, and the sitemap dates them so too.

One source, set only by a clinical reviewer's sign-off: nothing is written down for a year.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes import selectors
from editorial import publishing
from editorial.lifecycle import Status, next_review
from tests.conftest import in_role

pytestmark = pytest.mark.django_db

REVIEWED = datetime.date(2026, 3, 4)
DUE = datetime.date(2027, 3, 4)
# The pages with no review dates of their own, while they list nothing dated.
UNDATED = ["glossary:glossary", "search:a-z", "causes:cause-list", "causes:remedy-list", "causes:faq"]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _dates_shown(html: str) -> tuple[bool, bool]:
    return (
        f'Page last reviewed: <time datetime="{REVIEWED.isoformat()}">' in html,
        f'Next review due: <time datetime="{DUE.isoformat()}">' in html,
    )


@pytest.fixture
def home(make_site_page):
    return make_site_page(slug="home", last_reviewed=REVIEWED, next_review_due=DUE)


def _sitemap(client) -> dict[str, str | None]:
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_the_site_dates_are_the_live_home_pages(home):
    assert selectors.site_review_dates() == {"last_reviewed": REVIEWED, "next_review_due": DUE}


@pytest.mark.parametrize("name", UNDATED)
def test_a_page_with_no_dates_of_its_own_shows_the_home_pages(client, home, name):
    assert _dates_shown(client.get(reverse(name)).content.decode()) == (True, True)


@pytest.mark.parametrize("name", UNDATED)
def test_without_a_live_home_page_those_pages_show_no_dates_rather_than_made_up_ones(client, home, name):
    home.status = Status.DRAFT
    home.save()
    assert selectors.site_review_dates() == {}
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Page last reviewed" not in html and "Next review due" not in html


def test_the_sitemap_dates_the_undated_pages_by_the_home_pages_review(client, home):
    entries = _sitemap(client)
    for path in (reverse("glossary:glossary"), reverse("questionnaire:check-your-symptoms")):
        assert entries[f"http://testserver{path}"].startswith(REVIEWED.isoformat()), path


def test_without_a_live_home_page_the_sitemap_gives_those_pages_no_date(client, home):
    home.status = Status.DRAFT
    home.save()
    assert not _sitemap(client)[f"http://testserver{reverse('glossary:glossary')}"]


def test_marking_the_home_page_reviewed_shows_at_once_on_every_kept_page_that_shows_its_dates(
    home, django_assert_num_queries
):
    reader = Client()
    paths = [reverse(name) for name in UNDATED]
    for path in paths:
        assert _dates_shown(reader.get(path).content.decode()) == (True, True), path
    with django_assert_num_queries(0):  # kept by the page cache
        reader.get(paths[0])
    assert reader.get("/sitemap.xml").status_code == 200
    reviewer = in_role(get_user_model().objects.create_user("reviewer", first_name="Asha"), "Clinical reviewers")

    publishing.mark_reviewed(home, reviewer)

    today = timezone.localdate()
    assert (home.last_reviewed, home.next_review_due) == (today, next_review(today))
    for path in paths:
        html = reader.get(path).content.decode()
        assert f'Page last reviewed: <time datetime="{today.isoformat()}">' in html, path
        assert f'Next review due: <time datetime="{next_review(today).isoformat()}">' in html, path
    glossary = f"http://testserver{reverse('glossary:glossary')}"
    assert _sitemap(reader)[glossary].startswith(today.isoformat())
