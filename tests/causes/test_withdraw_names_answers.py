"""Taking a cause off the site names the questionnaire answers that still point at it, so the reviewer can fix them:
by the bulk action, by the form's status, and by granting an editor's request."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from causes import selectors
from causes.models import Cause
from editorial.lifecycle import Status
from editorial.models import EditorRequest
from questionnaire.models import OptionWeight
from tests.conftest import cause_admin_form, person_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

CHANGELIST = reverse("admin:causes_cause_changelist")


def _weighted() -> tuple[Cause, list[OptionWeight]]:
    cause = Cause.objects.published().filter(option_weights__isnull=False).distinct().first()
    return cause, list(cause.option_weights.select_related("option__question"))


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_answers_are_named_with_their_questions():
    cause, weights = _weighted()
    named = selectors.answers_pointing_at(cause)
    assert sorted(named) == sorted(f"“{w.option.label}” ({w.option.question.text})" for w in weights)
    notice = selectors.withdrawal_notice(cause)
    assert f"{len(weights)} questionnaire answer" in notice and all(name in notice for name in named)


def test_a_cause_no_answer_points_at_says_nothing(make_cause):
    assert selectors.withdrawal_notice(make_cause()) == ""


def test_the_bulk_withdrawal_names_them(reviewer_client):
    cause, weights = _weighted()
    data = {"action": "unpublish", ACTION_CHECKBOX_NAME: [cause.pk], "confirm": "withdraw"}
    response = reviewer_client.post(CHANGELIST, data, follow=True)
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT
    said = _messages(response)
    assert "1 item(s) moved back to draft." in said
    assert all(f"“{weight.option.label}”" in said for weight in weights)
    assert "Remove its weight on each answer’s page." in said


def test_withdrawing_on_the_form_names_them(reviewer_client):
    cause, weights = _weighted()
    form = cause_admin_form(cause, status=Status.DRAFT, last_reviewed=cause.last_reviewed or "")
    form.update(next_review_due=cause.next_review_due or "", related=[c.pk for c in cause.related.all()])
    response = reviewer_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form, follow=True)
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT, response.content.decode()[:3000]
    assert all(f"“{weight.option.label}”" in _messages(response) for weight in weights)


def test_granting_a_withdrawal_request_names_them(reviewer_client, django_user_model):
    writer = person_client(django_user_model, "wes", "Editors")
    cause, weights = _weighted()
    reason = "The clinic that wrote this page asked us to take it down while they check it."
    asked = writer.post(
        reverse("editorial:ask", args=["causes", "cause", cause.pk]), {"kind": "withdraw", "reason": reason}
    )
    assert asked.status_code == 302
    made = EditorRequest.objects.get()
    response = reviewer_client.post(reverse("editorial:answer", args=[made.pk]), {"_grant": "1"}, follow=True)
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT
    assert all(f"“{weight.option.label}”" in _messages(response) for weight in weights)
