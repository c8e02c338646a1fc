"""Editors' requests: ask for a go-live time or for a page to go offline; another reviewer grants or declines."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause
from editorial import asks
from editorial.lifecycle import Status
from editorial.models import Change, EditorRequest
from tests.conftest import cause_admin_form, person_client

pytestmark = pytest.mark.django_db

CHANGE = "admin:causes_cause_change"
REASON = "The clinic that wrote this page asked us to take it down while they check it."


@pytest.fixture
def second_reviewer(django_user_model):
    return person_client(django_user_model, "ben", "Clinical reviewers", first_name="Ben", last_name="Okafor")


def _ask(client, cause, **data):
    return client.post(reverse("editorial:ask", args=["causes", "cause", cause.pk]), data)


def _later(hours: int = 24) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_an_editor_asks_for_a_withdrawal_and_a_reviewer_grants_it(
    writer, reviewer_client, make_cause, client, django_user_model, django_capture_on_commit_callbacks
):
    cause = make_cause()
    django_user_model.objects.filter(username="reviewer").update(email="asha@example.org")
    form = writer.get(reverse(CHANGE, args=[cause.pk])).content.decode()
    assert "to take this page off the site" in form
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(writer, cause, kind="withdraw", reason=REASON).status_code == 302
    (made,) = EditorRequest.objects.all()
    assert mail.outbox[0].to == ["asha@example.org"] and REASON not in mail.outbox[0].body
    home = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "Take the page off the site, asked by Wes Writer" in home
    answer = reverse("editorial:answer", args=[made.pk])
    assert REASON in reviewer_client.get(answer).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reviewer_client.post(answer, {"_grant": "1"}).status_code == 302
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT
    assert client.get(cause.get_absolute_url()).status_code == 404
    made.refresh_from_db()
    assert made.state == "granted" and made.answered_by.username == "reviewer"
    assert [m.to for m in mail.outbox] == [["writer@example.org"]]
    assert "Your request was granted" in mail.outbox[0].subject
    assert "Granted by Asha Patel" in writer.get(reverse("admin:index")).content.decode()


def test_an_editor_asks_for_a_go_live_time_for_their_change_and_a_reviewer_schedules_it(
    writer, reviewer_client, make_cause
):
    cause = make_cause(summary="The approved summary.")
    writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary="New words for Monday."))
    assert (
        _ask(writer, cause, kind="go_live", goes_live_at=_later(), reason="The clinic launches on Monday.").status_code
        == 302
    )
    made = EditorRequest.objects.get()
    reviewer_client.post(reverse("editorial:answer", args=[made.pk]), {"_grant": "1"})
    revision = Change.objects.of(cause).get(state="scheduled")
    assert revision.text["summary"] == "New words for Monday." and revision.scheduled_by.username == "reviewer"
    assert Cause.objects.get(pk=cause.pk).summary == "The approved summary."


def test_a_go_live_time_for_a_draft_publishes_it_then_by_the_publishing_rules(
    writer, reviewer_client, make_cause, client
):
    draft = make_cause(status=Status.DRAFT)
    writer.post(reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, status="review"))
    _ask(writer, draft, kind="go_live", goes_live_at=_later(2), reason="Ready for launch.")
    reviewer_client.post(reverse("editorial:answer", args=[EditorRequest.objects.get().pk]), {"_grant": "1"})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.publish_at > timezone.now() and not draft.is_live
    assert client.get(draft.get_absolute_url()).status_code == 404  # not until its time


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "withdraw", "reason": ""}, "Write a reason"),
        ({"kind": "withdraw", "reason": "   "}, "Write a reason"),
        ({"kind": "withdraw", "reason": "x" * 5000}, "at most 1000 characters"),
        ({"kind": "delete-everything", "reason": "Because."}, "Select a valid choice"),
        ({"kind": "go_live", "reason": "Soon.", "goes_live_at": ""}, "Choose a go-live time in the future"),
        ({"kind": "go_live", "reason": "Soon.", "goes_live_at": "2020-01-01T09:00"}, "in the future"),
        ({"kind": "go_live", "reason": "Soon.", "goes_live_at": "not a time"}, "as day/month/year"),
        ({"kind": "go_live", "reason": "Soon.", "goes_live_at": _later()}, "you have no change to it waiting"),
    ],
)
def test_a_request_that_could_never_be_granted_is_refused_plainly(writer, make_cause, data, error):
    cause = make_cause()
    response = _ask(writer, cause, **data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not EditorRequest.objects.exists()


def test_a_withdrawal_of_a_page_not_live_and_a_second_open_request_are_refused(writer, make_cause):
    draft = make_cause(status=Status.DRAFT)
    assert "nothing to take offline" in _ask(writer, draft, kind="withdraw", reason=REASON).content.decode()
    cause = make_cause()
    _ask(writer, cause, kind="withdraw", reason=REASON)
    assert "already waits for a reviewer" in _ask(writer, cause, kind="withdraw", reason=REASON).content.decode()
    assert EditorRequest.objects.count() == 1


def test_nobody_grants_their_own_request(reviewer_client, second_reviewer, make_cause):
    cause = make_cause()
    assert _ask(reviewer_client, cause, kind="withdraw", reason=REASON).status_code == 302
    answer = reverse("editorial:answer", args=[EditorRequest.objects.get().pk])
    page = reviewer_client.post(answer, {"_grant": "1"}).content.decode()
    assert "a different clinical reviewer must answer it" in page
    assert Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED
    assert second_reviewer.post(answer, {"_grant": "1"}).status_code == 302
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT


def test_an_editor_cannot_answer_a_request_and_nobody_asks_about_what_they_cannot_edit(
    writer, make_cause, django_user_model
):
    cause = make_cause()
    _ask(writer, cause, kind="withdraw", reason=REASON)
    answer = reverse("editorial:answer", args=[EditorRequest.objects.get().pk])
    assert writer.post(answer, {"_grant": "1"}).status_code == 403
    assert Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED
    stranger = django_user_model.objects.create_user("stranger", is_staff=True)  # staff, in no role
    with pytest.raises(asks.Refused):
        asks.ask(cause, stranger, "withdraw", REASON)
    assert writer.post(reverse("editorial:ask", args=["auth", "user", 1]), {"kind": "withdraw"}).status_code == 404


def test_a_reviewer_declines_with_a_reason_and_the_editor_sees_it(writer, reviewer_client, make_cause):
    cause = make_cause()
    _ask(writer, cause, kind="withdraw", reason=REASON)
    made = EditorRequest.objects.get()
    answer = reverse("editorial:answer", args=[made.pk])
    assert "Write a reason" in reviewer_client.post(answer, {"_decline": "1", "answer": ""}).content.decode()
    assert reviewer_client.post(answer, {"_decline": "1", "answer": "The page is right as it is."}).status_code == 302
    made.refresh_from_db()
    assert made.state == "declined" and Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED
    assert "Declined by Asha Patel" in writer.get(reverse("admin:index")).content.decode()
    assert "already answered" in reviewer_client.post(answer, {"_grant": "1"}).content.decode()


@pytest.mark.parametrize("object_id", ["not-a-number", "999999", "-1"])
def test_a_made_up_item_address_is_not_found_never_an_error(writer, object_id):
    url = reverse("editorial:ask", args=["causes", "cause", "0"]).replace("/0/", f"/{object_id}/")
    assert writer.get(url).status_code == 404
    assert writer.post(url, {"kind": "withdraw", "reason": REASON}).status_code == 404
