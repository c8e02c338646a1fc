"""A page claims a review date only once a clinical reviewer has approved it; publishing sets the date."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Faq
from editorial.lifecycle import Status, next_review
from tests.conftest import cause_admin_form, person_client

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> list[dict]:
    """Every JSON-LD object on the page (there must be some)."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert scripts
    entries = []
    for data in map(json.loads, scripts):
        entries += data.get("@graph", [data])
    return entries


def test_a_new_draft_has_no_review_dates():
    cause = Cause.objects.create(title="New", slug="new", category="lifestyle")
    assert cause.last_reviewed is None and cause.next_review_due is None


def test_a_page_with_no_review_date_does_not_claim_one(client, make_cause):
    cause = make_cause(reviewed_by="")  # published outside the admin, as from the shell: never stamped
    assert cause.last_reviewed is None
    html = client.get(cause.get_absolute_url()).content.decode()
    assert "Page last reviewed" not in html and "Next review due" not in html
    assert all("lastReviewed" not in entry for entry in _json_ld(html))
    assert "Page last reviewed" not in client.get(reverse("causes:cause-list")).content.decode()
    assert client.get(reverse("search:a-z")).status_code == 200


def test_a_reviewed_page_shows_its_dates_on_the_page_and_in_json_ld(client, make_cause):
    cause = make_cause(last_reviewed=datetime.date(2026, 3, 4), next_review_due=datetime.date(2027, 3, 4))
    html = client.get(cause.get_absolute_url()).content.decode()
    assert 'Page last reviewed: <time datetime="2026-03-04">4 March 2026</time>' in html
    assert any(entry.get("lastReviewed") == "2026-03-04" for entry in _json_ld(html))


def test_an_faq_reviewed_with_no_date_names_its_reviewer_without_a_date(client, make_faq):
    make_faq(reviewed_by="Asha Patel, clinical reviewer")
    html = client.get(reverse("causes:faq")).content.decode()
    assert "Reviewed by Asha Patel, clinical reviewer.</p>" in html


def test_a_reviewer_publishes_a_draft_with_no_dates_and_publishing_sets_them(reviewer_client, make_cause):
    draft = make_cause(status=Status.DRAFT)
    form = cause_admin_form(draft, last_reviewed="", next_review_due="")
    response = reviewer_client.post(reverse("admin:causes_cause_change", args=[draft.pk]), form)
    assert response.status_code == 302
    draft.refresh_from_db()
    today = timezone.localdate()
    assert draft.status == Status.PUBLISHED
    assert (draft.last_reviewed, draft.next_review_due) == (today, next_review(today))


def test_the_bulk_publish_action_publishes_an_undated_draft_and_dates_it(reviewer_client, make_faq):
    draft = make_faq(status=Status.DRAFT)
    reviewer_client.post(reverse("admin:causes_faq_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft = Faq.objects.get(pk=draft.pk)
    assert draft.status == Status.PUBLISHED and draft.last_reviewed == timezone.localdate()


def test_an_editor_sending_a_draft_for_review_sets_no_date(django_user_model, make_cause):
    editor = person_client(django_user_model, "writer", "Editors")
    draft = make_cause(status=Status.DRAFT)
    editor.post(reverse("admin:causes_cause_change", args=[draft.pk]), cause_admin_form(draft, status="review"))
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW and draft.last_reviewed is None


def test_the_seed_content_keeps_its_review_dates(seeded):
    assert not Cause.objects.filter(last_reviewed__isnull=True).exists()
    assert not Faq.objects.filter(next_review_due__isnull=True).exists()
