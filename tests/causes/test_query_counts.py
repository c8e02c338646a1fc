"""Every page type runs a small fixed number of queries, whatever the amount of content."""

import copy

import pytest
from django.db.models.base import ModelState

from causes.models import Cause, Faq, Remedy, Status

PAGES = ["/", "/causes/", "/remedies/", "/faq/", "/about/", "/privacy/", "/check-your-symptoms/"]


@pytest.fixture(scope="module")
def ten_times_seed(seeded_module, django_db_blocker):
    """The seed plus nine more copies of every cause, remedy and FAQ, linked as the originals are.

    Built once for this module, inside the transaction `seeded_module` rolls back at its end.
    """
    with django_db_blocker.unblock():
        _copy_content_nine_times()


def _copy_content_nine_times() -> None:
    causes = list(Cause.objects.prefetch_related("remedies", "sources"))
    remedies = list(Remedy.objects.prefetch_related("sources"))
    faqs = list(Faq.objects.prefetch_related("causes"))
    for n in range(1, 10):
        copies = [_save_copy(remedy, n, "title", sources=remedy.sources.all()) for remedy in remedies]
        for cause in causes:
            _save_copy(cause, n, "title", remedies=[*cause.remedies.all(), *copies[:3]], sources=cause.sources.all())
        for faq in faqs:
            _save_copy(faq, n, "question", causes=faq.causes.all())


def _save_copy(item, n: int, title_field: str, **links):
    """Save a published copy of `item`, its title and slug numbered n, with these many-to-many links."""
    clone = copy.copy(item)
    clone.pk = clone.id = None
    clone._state = ModelState()
    setattr(clone, title_field, f"{getattr(item, title_field)} {n}")
    clone.slug = f"{item.slug}-{n}"
    clone.status = Status.PUBLISHED
    clone.save()
    for name, related in links.items():
        getattr(clone, name).set(related)
    return clone


def test_ten_times_seed_fixture_really_multiplies_the_content(ten_times_seed, db):
    assert Cause.objects.published().count() >= 170
    assert Faq.objects.published().count() >= 140


@pytest.mark.parametrize(
    "path", [*PAGES, "/causes/caffeine/", "/causes/caffeine-9/", "/remedies/drink-water/", "/remedies/drink-water-5/"]
)
def test_pages_use_a_small_fixed_number_of_queries(client, ten_times_seed, db, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200
