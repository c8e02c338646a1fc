"""Every page type runs a small fixed number of queries, whatever the amount of content."""

import pytest

from bench.bench import copy_content_nine_times
from causes.models import Cause, Faq
from core.cache import content_version

PAGES = [
    "/",
    "/causes/",
    "/remedies/",
    "/faq/",
    "/about/",
    "/privacy/",
    "/pages/accessibility/",
    "/check-your-symptoms/",
    "/a-z/",
    "/glossary/",
]


@pytest.fixture(scope="module")
def ten_times_seed(seeded_module, django_db_blocker):
    """The seed plus nine more copies of every cause, remedy and FAQ, linked as the originals are.

    Built once for this module, inside the transaction `seeded_module` rolls back at its end.
    """
    with django_db_blocker.unblock():
        copy_content_nine_times()


def test_ten_times_seed_fixture_really_multiplies_the_content(ten_times_seed, db):
    assert Cause.objects.published().count() >= 170
    assert Faq.objects.published().count() >= 140


@pytest.mark.parametrize(
    "path", [*PAGES, "/causes/caffeine/", "/causes/caffeine-9/", "/remedies/drink-water/", "/remedies/drink-water-5/"]
)
def test_pages_use_a_small_fixed_number_of_queries(client, ten_times_seed, db, django_assert_max_num_queries, path):
    content_version()  # started once per cache lifetime (it looks up the next scheduled time), not per page
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200
