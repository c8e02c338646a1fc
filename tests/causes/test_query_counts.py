"""Every page type runs a small fixed number of queries, whatever the amount of content."""

import pytest

from causes.models import Cause, Faq, Remedy, Status

PAGES = ["/", "/causes/", "/remedies/", "/faq/", "/about/", "/privacy/"]


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
    for copy in range(1, 10):
        for remedy in remedies:
            clone = Remedy.objects.create(
                title=f"{remedy.title} {copy}",
                slug=f"{remedy.slug}-{copy}",
                summary=remedy.summary,
                body=remedy.body,
                status=Status.PUBLISHED,
            )
            clone.sources.set(remedy.sources.all())
        for cause in causes:
            clone = Cause.objects.create(
                title=f"{cause.title} {copy}",
                slug=f"{cause.slug}-{copy}",
                category=cause.category,
                summary=cause.summary,
                body=cause.body,
                self_care=cause.self_care,
                see_doctor=cause.see_doctor,
                urgency=cause.urgency,
                status=Status.PUBLISHED,
            )
            clone.remedies.set([*cause.remedies.all(), *Remedy.objects.filter(slug__endswith=f"-{copy}")[:3]])
            clone.sources.set(cause.sources.all())
        for faq in faqs:
            clone = Faq.objects.create(
                question=f"{faq.question} {copy}",
                slug=f"{faq.slug}-{copy}",
                answer=faq.answer,
                order=faq.order,
                status=Status.PUBLISHED,
            )
            clone.causes.set(faq.causes.all())


def test_ten_times_seed_fixture_really_multiplies_the_content(ten_times_seed, db):
    assert Cause.objects.published().count() >= 170
    assert Faq.objects.published().count() >= 140


@pytest.mark.parametrize(
    "path", [*PAGES, "/causes/caffeine/", "/causes/caffeine-9/", "/remedies/drink-water/", "/remedies/drink-water-5/"]
)
def test_pages_use_a_small_fixed_number_of_queries(client, ten_times_seed, db, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200
