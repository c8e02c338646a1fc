"""The two-person rule tried as a hostile insider would: each way around it a probe found, by the role that tried it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause
from editorial.lifecycle import Status
from questionnaire.models import Option, Release
from tests.conftest import approve_waiting, cause_admin_form, person_client

pytestmark = pytest.mark.django_db

CHANGE = "admin:causes_cause_change"
CHANGELIST = reverse("admin:causes_cause_changelist")
CHANGES = reverse("admin:questionnaire_question_changes")


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


@pytest.fixture
def reviewer_a(django_user_model):
    return person_client(django_user_model, "reviewer-a", "Clinical reviewers", first_name="Ann", last_name="Ames")


@pytest.fixture
def reviewer_b(django_user_model):
    return person_client(django_user_model, "reviewer-b", "Clinical reviewers", first_name="Ben", last_name="Okafor")


def _weights_form(option: Option, **changes) -> dict:
    """The option's admin page as submitted, with its weights inline; `changes` by weight row: a number or "delete"."""
    data = {field: getattr(option, field) for field in ("label", "order", "group", "urgency", "advice")}
    data.update(question=option.question_id, sign=option.sign_id or "")
    weights = list(option.weights.all())
    data.update({"weights-TOTAL_FORMS": str(len(weights)), "weights-INITIAL_FORMS": str(len(weights))})
    for n, weight in enumerate(weights):
        change = changes.get(f"row{n}")
        data.update({f"weights-{n}-id": weight.pk, f"weights-{n}-option": option.pk})
        data.update({f"weights-{n}-cause": weight.cause_id, f"weights-{n}-weight": change or weight.weight})
        if change == "delete":
            data.update({f"weights-{n}-weight": weight.weight, f"weights-{n}-DELETE": "on"})
    return data


@pytest.mark.usefixtures("seeded")
def test_a_reviewers_inline_edit_and_delete_are_theirs_so_they_cannot_release_them(reviewer_a, reviewer_b):
    option = Option.objects.get(question__key="how-long", label="A few days")
    url = reverse("admin:questionnaire_option_change", args=[option.pk])
    assert reviewer_a.post(url, _weights_form(option, row0=1, row1="delete")).status_code == 302

    page = reviewer_a.get(CHANGES).content.decode()
    assert "reviewer-a" in page and "no recorded author" not in page
    assert "Approve and make live" not in page
    assert reviewer_a.post(CHANGES, {"_approve": "1"}).status_code == 403
    assert Release.objects.count() == 1
    assert reviewer_b.post(CHANGES, {"_approve": "1"}).status_code == 302  # a second person may
    assert Release.objects.count() == 2


@pytest.mark.usefixtures("seeded")
def test_a_reviewer_cannot_publish_their_own_waiting_text_by_reverting_to_it(reviewer_a, reviewer_b):
    cause = Cause.objects.get(slug="caffeine")
    form = cause_admin_form(cause, summary="Reviewer A's own words, never approved.")
    assert reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    waiting = cause.history.get(review="waiting")
    reviewer_b.post(CHANGELIST, {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw"})
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT

    revert_url = reverse("admin:causes_cause_simple_history", args=[cause.pk, waiting.history_id])
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), summary=waiting.summary, status="published")
    response = reviewer_a.post(revert_url, form)
    assert response.status_code == 200 and "different clinical reviewer must approve it" in response.content.decode()
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != waiting.summary


def test_a_reviewers_draft_stays_theirs_after_an_editor_changes_something_else(reviewer_a, editor, make_cause):
    draft = make_cause(status=Status.DRAFT)
    form = cause_admin_form(draft, body="Reviewer A's own body.", status="review")
    assert reviewer_a.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302
    form = cause_admin_form(Cause.objects.get(pk=draft.pk), slug="a-new-address", status="review")
    assert editor.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302  # not the medical text

    response = reviewer_a.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "was not published" in response.content.decode()
    assert Cause.objects.get(pk=draft.pk).status == Status.REVIEW


def test_a_reviewer_cannot_mark_their_own_text_reviewed(reviewer_a, make_cause):
    draft = make_cause(status=Status.DRAFT)
    form = cause_admin_form(draft, body="Reviewer A's own body.", status="review")
    assert reviewer_a.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302
    before = Cause.objects.get(pk=draft.pk).last_reviewed
    response = reviewer_a.post(
        CHANGELIST, {"action": "mark_reviewed_today", "_selected_action": [draft.pk]}, follow=True
    )
    assert "was not marked reviewed" in response.content.decode()
    assert Cause.objects.get(pk=draft.pk).last_reviewed == before != timezone.localdate()


@pytest.mark.usefixtures("seeded")
def test_an_editor_cannot_set_review_dates_or_a_publish_time_on_a_live_page(editor):
    cause = Cause.objects.get(slug="caffeine")
    before = (cause.last_reviewed, cause.next_review_due, cause.publish_at)
    later = timezone.localtime() + datetime.timedelta(days=2)
    form = cause_admin_form(cause, last_reviewed="2026-12-01", next_review_due="2030-01-01")
    form.update(publish_at_0=f"{later:%Y-%m-%d}", publish_at_1=f"{later:%H:%M:%S}")
    assert editor.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    cause.refresh_from_db()
    assert (cause.last_reviewed, cause.next_review_due, cause.publish_at) == before


@pytest.mark.usefixtures("seeded")
def test_an_editor_cannot_take_a_live_page_offline(editor, client):
    cause = Cause.objects.get(slug="caffeine")
    editor.post(CHANGELIST, {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw"})
    response = editor.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, status="draft"))
    assert "Only a clinical reviewer can take a live page offline" in response.content.decode()
    assert Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED
    assert client.get(cause.get_absolute_url()).status_code == 200


@pytest.mark.usefixtures("seeded")
def test_an_approval_by_a_second_reviewer_still_works_after_all_this(reviewer_a, reviewer_b):
    cause = Cause.objects.get(slug="caffeine")
    form = cause_admin_form(cause, summary="New words from reviewer A.")
    assert reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    approve_waiting(reviewer_b, cause)
    assert cause.summary == "New words from reviewer A." and cause.reviewed_by == "Ben Okafor, clinical reviewer"
