"""A cause page is computed once per content version: its article (signs, sources, links, glossary
words) comes from one query and is kept under the version, so an edit shows at once."""

import pytest

from causes import selectors
from causes.models import Cause, Remedy
from core.cache import content_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

UNCACHED = "?uncached=1"  # a query string always bypasses the page cache, as `make bench` does


def test_the_selector_reads_signs_sources_and_links_in_one_query(django_assert_num_queries):
    cause = Cause.objects.published().get(slug="caffeine")
    selectors.urgency_levels()  # the levels' words come with the site-wide data, once per version
    with django_assert_num_queries(1):
        page = selectors.cause_page(cause)
    assert page.cards and page.remedies and page.sources
    assert [source.title for source in page.sources] == [
        source.title for source in cause.sources.published().order_by("-evidence", "publisher", "title")
    ]


def test_a_warm_uncached_cause_page_runs_only_the_query_for_the_cause(client, django_assert_num_queries):
    content_version()
    path = Cause.objects.published().get(slug="caffeine").get_absolute_url() + UNCACHED
    first = client.get(path).content
    with django_assert_num_queries(1):
        assert client.get(path).content == first


def test_an_edit_shows_on_the_next_uncached_cause_page(client):
    cause = Cause.objects.published().get(slug="caffeine")
    path = cause.get_absolute_url() + UNCACHED
    client.get(path)
    cause.body = "A new sentence an editor just wrote."
    cause.save()
    assert "A new sentence an editor just wrote." in client.get(path).content.decode()
    remedy = Remedy.objects.published().filter(causes=cause).first()
    remedy.title = "A remedy renamed"
    remedy.save()
    assert "A remedy renamed" in client.get(path).content.decode()


def test_a_cause_page_links_its_glossary_words_inside_the_kept_article(client, make_cause):
    cause = make_cause(body="It can come from neuropathy.", self_care="Rest.")
    html = client.get(cause.get_absolute_url() + UNCACHED).content.decode()
    assert 'class="glossary-link" href="/glossary/#neuropathy"' in html
