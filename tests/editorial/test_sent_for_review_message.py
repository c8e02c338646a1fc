"""After a save that waits for review, one message says "Sent for clinical review", never "changed successfully"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from editorial.lifecycle import Status
from tests.conftest import cause_admin_form, person_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_change_that_waits_gets_one_message(writer, make_cause):
    cause = make_cause()
    response = writer.post(
        reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, summary="New.")
    )
    (message,) = _messages(response)
    assert message.startswith("Sent for clinical review.") and "successfully" not in message


def test_a_draft_sent_for_review_gets_one_message(writer, make_cause):
    draft = make_cause(status=Status.DRAFT)
    response = writer.post(
        reverse("admin:causes_cause_change", args=[draft.pk]), cause_admin_form(draft, status="review")
    )
    assert _messages(response) == [
        "Sent for clinical review. A clinical reviewer who did not write it checks it before it goes live."
    ]


def test_a_plain_draft_save_still_says_it_was_saved(writer, make_cause):
    draft = make_cause(status=Status.DRAFT)
    response = writer.post(
        reverse("admin:causes_cause_change", args=[draft.pk]), cause_admin_form(draft, status="draft")
    )
    assert any("was changed successfully" in message for message in _messages(response))
