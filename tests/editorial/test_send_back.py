"""Send back with a note: a reviewer returns a waiting change to its author, who sees the note and reworks it."""

import pytest
from django.core import mail
from django.urls import reverse

from editorial.models import Change, SendBack
from tests.conftest import approve_waiting, cause_admin_form

pytestmark = pytest.mark.django_db

CHANGE = "admin:causes_cause_change"
NOTE = "Say “see a GP” before the self-care advice."


@pytest.fixture
def waiting(writer, make_cause):
    cause = make_cause(summary="The approved summary.")
    writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary="A first try."))
    revision = Change.objects.of(cause).get(state="waiting")
    url = reverse("editorial:send-back", args=["causes", "cause", cause.pk, revision.pk])
    return cause, revision, url


def test_a_reviewer_sends_a_change_back_and_the_author_sees_the_note_and_reworks_it(
    writer, reviewer_client, waiting, django_capture_on_commit_callbacks
):
    cause, revision, url = waiting
    review_page = reverse("admin:causes_cause_review", args=[cause.pk, revision.pk])
    assert url in reviewer_client.get(review_page).content.decode()
    assert reviewer_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(url, {"note": NOTE})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["writer@example.org"] and "Asha Patel sent your change" in message.body
    assert NOTE not in message.body and "A first try." not in message.body  # the note is read in the admin

    reviewer_home = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "Nothing is waiting for you." in reviewer_home  # it waits for its author now
    home = writer.get(reverse("admin:index")).content.decode()
    assert f"Sent back by Asha Patel: “{NOTE}”" in home
    form = writer.get(reverse(CHANGE, args=[cause.pk])).content.decode()
    assert "sent your change back" in form and "A first try." in form  # their wording, to rework

    writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary="A second try, see a GP first."))
    assert "Nothing was sent back to you." in writer.get(reverse("admin:index")).content.decode()
    assert "A second try" not in reviewer_home
    assert "Change by Wes Writer" in reviewer_client.get(reverse("admin:index")).content.decode()
    approve_waiting(reviewer_client, cause)
    assert cause.summary == "A second try, see a GP first."


@pytest.mark.parametrize(
    ("note", "error"),
    [("", "Write a note"), ("   ", "Write a note"), ("x" * 1001, "at most 1000 characters")],
)
def test_a_send_back_needs_a_short_note(reviewer_client, waiting, note, error):
    _, _, url = waiting
    response = reviewer_client.post(url, {"note": note})
    assert response.status_code == 200 and error in response.content.decode()
    assert not SendBack.objects.exists()


def test_only_a_reviewer_who_did_not_write_it_can_send_a_change_back(writer, waiting, django_user_model):
    cause, revision, url = waiting
    assert writer.post(url, {"note": NOTE}).status_code == 403  # the author, an editor
    assert not SendBack.objects.exists()


def test_a_reviewer_cannot_send_back_their_own_change(reviewer_client, make_cause):
    cause = make_cause()
    reviewer_client.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary="Mine."))
    revision = Change.objects.of(cause).get(state="waiting")
    url = reverse("editorial:send-back", args=["causes", "cause", cause.pk, revision.pk])
    assert reviewer_client.post(url, {"note": NOTE}).status_code == 403
    assert not SendBack.objects.exists()


def test_a_change_no_longer_waiting_or_a_made_up_address_is_refused_plainly(reviewer_client, waiting):
    cause, revision, url = waiting
    approve_waiting(reviewer_client, cause)
    response = reviewer_client.post(url, {"note": NOTE}, follow=True)
    assert "no longer waiting for review" in response.content.decode()
    bad = reverse("editorial:send-back", args=["auth", "user", 1, revision.pk])
    assert reviewer_client.post(bad, {"note": NOTE}).status_code == 404
    assert reviewer_client.get(url.replace(f"/{cause.pk}/", "/999999/")).status_code == 404
    assert not SendBack.objects.exists()


def test_a_change_is_sent_back_once(reviewer_client, waiting):
    _, _, url = waiting
    reviewer_client.post(url, {"note": NOTE})
    response = reviewer_client.post(url, {"note": "Again."})
    assert "already sent back" in response.content.decode()
    assert SendBack.objects.count() == 1
