import datetime

import pytest
from django.db import IntegrityError

from causes.models import Cause, Faq, Remedy
from editorial.lifecycle import Status

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts(make_cause, make_remedy, make_faq):
    live = make_cause()
    make_cause(status=Status.DRAFT)
    assert list(Cause.objects.published()) == [live]
    make_remedy(status=Status.DRAFT)
    assert not Remedy.objects.published().exists()
    make_faq(status=Status.DRAFT)
    assert not Faq.objects.published().exists()


def test_new_content_starts_as_a_draft_no_one_has_reviewed():
    remedy = Remedy.objects.create(title="Rest", slug="rest", summary="s", body="b")
    assert remedy.status == Status.DRAFT
    assert remedy.last_reviewed is None and remedy.next_review_due is None


@pytest.mark.parametrize(
    ("last", "next_due"), [(None, None), (datetime.date(2026, 1, 2), None), (None, datetime.date(2026, 1, 1))]
)
def test_a_missing_review_date_passes_the_date_order_check(make_cause, last, next_due):
    cause = make_cause(status=Status.DRAFT, last_reviewed=last, next_review_due=next_due)
    cause.full_clean()  # the constraint's own check in Python agrees with the database's


def test_next_review_cannot_come_before_last_review(make_cause):
    with pytest.raises(IntegrityError):
        make_cause(last_reviewed=datetime.date(2026, 1, 2), next_review_due=datetime.date(2026, 1, 1))


def test_absolute_urls_point_at_public_pages(make_cause, make_remedy, make_faq):
    assert make_cause(slug="caffeine").get_absolute_url() == "/causes/caffeine/"
    assert make_remedy(slug="drink-water").get_absolute_url() == "/remedies/drink-water/"
    assert make_faq(slug="is-it-serious").get_absolute_url() == "/faq/#is-it-serious"


def test_str_is_what_editors_recognise(make_cause, make_faq, make_source):
    assert str(make_cause(title="Too much caffeine")) == "Too much caffeine"
    assert str(make_faq(question="Is it serious?")) == "Is it serious?"
    assert str(make_source(title="Toe article", publisher="Askvity")) == "Toe article (Askvity)"
