"""An editor's change that waits for review: they see their own words in the form, with the live text beside them."""

import pytest
from django.urls import reverse

from causes.models import Cause
from editorial.models import Change
from tests.conftest import cause_admin_form, person_client

pytestmark = pytest.mark.django_db

CHANGE = "admin:causes_cause_change"


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _field(response, name: str):
    return response.context["adminform"].form[name].value()


def test_the_author_sees_their_waiting_words_and_the_live_text(editor, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="A clearer summary."))

    response = editor.get(url)
    page = response.content.decode()
    assert _field(response, "summary") == "A clearer summary."
    assert "A clearer summary.</textarea>" in page  # the summary box shows the waiting words
    assert "Your change is waiting for clinical review" in page
    assert "Live text:" in page and "The approved summary." in page
    assert _field(response, "body") == cause.body  # a field the change leaves alone shows as it is


def test_a_reviewer_opening_the_item_sees_the_live_text_and_the_change_to_review(editor, reviewer_client, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="A clearer summary."))

    response = reviewer_client.get(url)
    page = response.content.decode()
    assert _field(response, "summary") == "The approved summary."
    assert "Your change is waiting" not in page
    assert "A change by writer" in page and "Compare it with the live page" in page


def test_saving_again_replaces_the_authors_earlier_waiting_change(editor, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="First try."))
    editor.post(url, cause_admin_form(cause, summary="Second try."))

    waiting = Change.objects.of(cause).filter(state="waiting")
    assert [revision.text["summary"] for revision in waiting] == ["Second try."]
    assert Change.objects.of(cause).filter(state="discarded", text__summary="First try.").exists()
    assert Cause.objects.get(pk=cause.pk).summary == "The approved summary."


def test_another_authors_waiting_change_is_left_alone(editor, reviewer_client, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="The editor's words."))
    reviewer_client.post(url, cause_admin_form(cause, summary="The reviewer's words."))
    assert sorted(Change.objects.of(cause).filter(state="waiting").values_list("text__summary", flat=True)) == [
        "The editor's words.",
        "The reviewer's words.",
    ]


def test_saving_the_live_text_back_withdraws_the_waiting_change(editor, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="A change of mind."))
    response = editor.post(url, cause_admin_form(cause, summary="The approved summary."), follow=True)
    assert "Your waiting change was withdrawn" in response.content.decode()
    assert not Change.objects.of(cause).filter(state="waiting").exists()


def test_saving_the_form_untouched_keeps_the_waiting_words(editor, make_cause):
    cause = make_cause(summary="The approved summary.")
    url = reverse(CHANGE, args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="Keep these words."))
    shown = editor.get(url)
    resubmitted = cause_admin_form(cause, summary=_field(shown, "summary"))
    editor.post(url, resubmitted)
    assert list(Change.objects.of(cause).filter(state="waiting").values_list("text__summary", flat=True)) == [
        "Keep these words."
    ]


def test_a_revert_form_shows_the_old_version_not_the_waiting_words(editor, make_cause):
    cause = make_cause(summary="The first summary.")
    first = cause.history.first()
    cause.summary = "The approved summary."
    cause.save()
    editor.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary="Waiting words."))
    revert_url = reverse("admin:causes_cause_simple_history", args=[cause.pk, first.history_id])
    assert _field(editor.get(revert_url), "summary") == "The first summary."
