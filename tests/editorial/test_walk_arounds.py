"""The two-person rule tried as a hostile insider would: each way around it a probe found, by the role that tried it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause
from editorial import publishing, review, scheduling
from editorial.lifecycle import Status
from editorial.models import Change
from questionnaire.models import Option, Release
from search.models import Synonym
from tests.conftest import approve_waiting, cause_admin_form, in_role, person_client

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
    waiting = Change.objects.of(cause).get(state="waiting")
    reviewer_b.post(CHANGELIST, {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw"})
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT

    # A waiting change is not a version in the history, so the way back to its text is to type it in again.
    assert not cause.history.filter(summary=waiting.text["summary"]).exists()
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), summary=waiting.text["summary"], status="published")
    response = reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form)
    assert response.status_code == 200 and "different clinical reviewer must approve it" in response.content.decode()
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != waiting.text["summary"]


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


# Issue 26's probe: two ways one clinical reviewer alone still got their own text live. Each is
# replayed by the role that tried it, through the admin and through the services directly.

TOMORROW = datetime.timedelta(days=1)


def _user(django_user_model, username: str):
    return django_user_model.objects.get(username=username)


def _review_url(cause: Cause, revision) -> str:
    return reverse("admin:causes_cause_review", args=[cause.pk, revision.pk])


def _withdraw(client, cause: Cause) -> None:
    client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw"})
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT


def test_a_reviewer_cannot_discard_withdraw_and_revert_their_own_text_live(reviewer_a, make_cause, client):
    cause = make_cause()  # text with no closing newline, so nothing in the form happens to differ by accident
    form = cause_admin_form(cause, summary="Reviewer A's own words, never approved.")
    assert reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    waiting = Change.objects.of(cause).get(state="waiting")
    assert reviewer_a.post(_review_url(cause, waiting), {"_discard": "1"}).status_code == 302
    _withdraw(reviewer_a, cause)

    # The discarded change is not a version in the history, so the way back to its text is to type it in again.
    assert not cause.history.filter(summary=waiting.text["summary"]).exists()
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), summary=waiting.text["summary"], status="published")
    response = reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form)

    assert response.status_code == 200 and "different clinical reviewer must approve it" in response.content.decode()
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != waiting.text["summary"]
    assert client.get(cause.get_absolute_url()).status_code == 404


def test_the_discard_withdraw_revert_walk_around_is_refused_by_the_services(reviewer_a, make_cause, django_user_model):
    ann = _user(django_user_model, "reviewer-a")
    cause = make_cause()
    review.propose(cause, {"summary": "Reviewer A's own words, never approved."}, ann)
    waiting = Change.objects.of(cause).get(state="waiting")
    review.discard(cause, waiting, ann)
    publishing.set_status(cause, Status.DRAFT, ann, "Withdrawn.")
    assert not review.may_approve(ann, cause)  # a discarded change's author still counts

    reverted = Cause.objects.get(pk=cause.pk)
    reverted.summary = waiting.text["summary"]  # a revert copies the change's text onto the stored row
    with pytest.raises(PermissionDenied):
        publishing.set_status(reverted, Status.PUBLISHED, ann, "Reverted and published.")
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != waiting.text["summary"]


def test_a_revert_to_someone_elses_discarded_text_counts_them_as_an_author(make_cause, django_user_model):
    writer = django_user_model.objects.create_user("writer")
    cause = make_cause()
    review.propose(cause, {"body": "The writer's body, never approved."}, writer)
    review.discard(cause, Change.objects.of(cause).get(state="waiting"), writer)
    cause.status, cause.body = Status.DRAFT, "The writer's body, never approved."
    review.save(cause, None, "Reverted by someone whose name was not kept.")
    assert {writer.pk, None} <= review.authors_since_approval(cause)


def _scheduled_then_rewritten(reviewer_a, editor, cause: Cause) -> None:
    """An editor's change waits; reviewer A schedules it, withdraws the page and rewrites its draft body."""
    form = cause_admin_form(cause, summary="The editor's new summary.")
    assert editor.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    waiting = Change.objects.of(cause).get(state="waiting")
    at = timezone.localtime() + TOMORROW
    response = reviewer_a.post(_review_url(cause, waiting), {"_schedule": "1", "goes_live_at": f"{at:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    assert Change.objects.get(pk=waiting.pk).state == "scheduled"
    _withdraw(reviewer_a, cause)
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), body="Reviewer A's unseen body.", status="draft")
    assert reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    assert Cause.objects.get(pk=cause.pk).body == "Reviewer A's unseen body."


def test_a_scheduled_approval_does_not_launder_a_reviewers_unseen_draft_edit(reviewer_a, editor, make_cause, client):
    cause = make_cause()
    _scheduled_then_rewritten(reviewer_a, editor, cause)

    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []  # as any request after its time would
    response = reviewer_a.post(CHANGELIST, {"action": "publish", "_selected_action": [cause.pk]}, follow=True)

    assert "was not published" in response.content.decode()
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != "The editor's new summary."
    assert client.get(cause.get_absolute_url()).status_code == 404


def test_a_second_reviewers_approval_does_not_launder_the_first_reviewers_unseen_draft_edit(
    reviewer_a, reviewer_b, editor, make_cause, client
):
    cause = make_cause()
    form = cause_admin_form(cause, summary="The editor's new summary.")
    assert editor.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    waiting = Change.objects.of(cause).get(state="waiting")
    _withdraw(reviewer_a, cause)
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), body="Reviewer A's unseen body.", status="draft")
    assert reviewer_a.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302

    response = reviewer_b.post(_review_url(cause, waiting), {"_approve": "1"}, follow=True)
    assert "cannot be approved" in response.content.decode()
    reviewer_a.post(CHANGELIST, {"action": "publish", "_selected_action": [cause.pk]})

    cause.refresh_from_db()
    assert cause.status == Status.DRAFT and cause.summary != "The editor's new summary."
    assert Change.objects.get(pk=waiting.pk).state == "waiting"
    assert client.get(cause.get_absolute_url()).status_code == 404


def test_approval_laundering_is_refused_by_the_services(make_cause, django_user_model):
    writer = django_user_model.objects.create_user("writer")
    ann = in_role(django_user_model.objects.create_user("ann"), "Clinical reviewers")
    ben = in_role(django_user_model.objects.create_user("ben"), "Clinical reviewers")
    cause = make_cause()
    review.propose(cause, {"summary": "The editor's new summary."}, writer)
    waiting = Change.objects.of(cause).get(state="waiting")
    publishing.set_status(cause, Status.DRAFT, ann, "Withdrawn.")
    cause.body = "Reviewer A's unseen body."
    review.save(cause, ann, "Draft edit.")

    with pytest.raises(PermissionDenied):
        review.approve(Cause.objects.get(pk=cause.pk), waiting, ben)
    with pytest.raises(PermissionDenied):
        scheduling.schedule(Cause.objects.get(pk=cause.pk), waiting, timezone.now() + TOMORROW, ben)

    cause.refresh_from_db()
    assert cause.summary != "The editor's new summary."
    assert not cause.history.filter(approval=True).exclude(history_type="+").exists()
    with pytest.raises(PermissionDenied):
        publishing.set_status(cause, Status.PUBLISHED, ann, "Published.")


def test_the_scheduled_job_refuses_a_change_whose_page_was_rewritten_since_it_was_approved(
    make_cause, django_user_model
):
    writer = django_user_model.objects.create_user("writer")
    ann = in_role(django_user_model.objects.create_user("ann"), "Clinical reviewers")
    cause = make_cause()
    review.propose(cause, {"summary": "The editor's new summary."}, writer)
    waiting = Change.objects.of(cause).get(state="waiting")
    scheduling.schedule(cause, waiting, timezone.now() + TOMORROW, ann)
    publishing.set_status(cause, Status.DRAFT, ann, "Withdrawn.")
    cause.body = "Reviewer A's unseen body."
    review.save(cause, ann, "Draft edit.")

    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []

    cause.refresh_from_db()
    assert cause.summary != "The editor's new summary."
    assert Change.objects.get(pk=waiting.pk).state == "waiting"
    with pytest.raises(PermissionDenied):
        publishing.set_status(cause, Status.PUBLISHED, ann, "Published.")


def test_the_scheduled_job_re_checks_the_approver(make_cause, django_user_model):
    """Ann schedules a writer's change, then writes text of her own: at its time her approval no longer stands."""
    writer = django_user_model.objects.create_user("writer")
    ann = in_role(django_user_model.objects.create_user("ann"), "Clinical reviewers")
    cause = make_cause()
    review.propose(cause, {"summary": "The editor's new summary."}, writer)
    waiting = Change.objects.of(cause).get(state="waiting")
    scheduling.schedule(cause, waiting, timezone.now() + TOMORROW, ann)
    review.propose(Cause.objects.get(pk=cause.pk), {"body": "Ann's own body."}, ann)

    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []
    assert Cause.objects.get(pk=cause.pk).summary != "The editor's new summary."


# Issue 26's smaller findings, each by the role that tried it.


def test_a_reviewer_cannot_type_review_dates_onto_their_own_draft(reviewer_a, make_cause):
    draft = make_cause(status=Status.DRAFT)
    form = cause_admin_form(draft, body="Reviewer A's own body.", status="draft")
    form.update(last_reviewed=f"{timezone.localdate():%Y-%m-%d}", next_review_due="2030-01-01")
    assert reviewer_a.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Reviewer A's own body." and (draft.last_reviewed, draft.next_review_due) == (None, None)


def test_an_editor_cannot_publish_a_search_synonym_readers_see(editor, client, django_user_model):
    synonym = Synonym.objects.create(phrase="chest pain", means="cramp", status=Status.DRAFT)
    url = reverse("admin:search_synonym_change", args=[synonym.pk])
    response = editor.post(url, {"phrase": "chest pain", "means": "cramp", "status": "published"})
    assert response.status_code == 200 and "Only a clinical reviewer can publish this" in response.content.decode()
    with pytest.raises(PermissionDenied):
        publishing.set_status(synonym, Status.PUBLISHED, _user(django_user_model, "writer"), "Published.")
    assert Synonym.objects.get(pk=synonym.pk).status == Status.DRAFT
    assert "chest pain" not in client.get(reverse("search:a-z")).content.decode()


def test_an_editors_change_to_a_live_synonym_waits_for_review(editor, reviewer_b, client):
    synonym = Synonym.objects.create(phrase="pins and needles", means="tingling", status=Status.PUBLISHED)
    url = reverse("admin:search_synonym_change", args=[synonym.pk])
    assert editor.post(url, {"phrase": "chest pain", "means": "cramp", "status": "published"}).status_code == 302
    assert Synonym.objects.get(pk=synonym.pk).phrase == "pins and needles"
    assert "chest pain" not in client.get(reverse("search:a-z")).content.decode()
    approve_waiting(reviewer_b, synonym)
    assert synonym.phrase == "chest pain"


def test_the_author_cannot_discard_a_scheduled_approved_change(editor, make_cause, django_user_model):
    ann = in_role(django_user_model.objects.create_user("ann"), "Clinical reviewers")
    cause = make_cause()
    form = cause_admin_form(cause, summary="The editor's new summary.")
    assert editor.post(reverse(CHANGE, args=[cause.pk]), form).status_code == 302
    waiting = Change.objects.of(cause).get(state="waiting")
    scheduling.schedule(cause, waiting, timezone.now() + TOMORROW, ann)

    page = editor.get(_review_url(cause, waiting)).content.decode()
    assert "Discard this change" not in page
    assert editor.post(_review_url(cause, waiting), {"_discard": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        review.discard(cause, Change.objects.get(pk=waiting.pk), _user(django_user_model, "writer"))
    assert Change.objects.get(pk=waiting.pk).state == "scheduled"


def test_in_the_shell_an_author_cannot_approve_their_own_change_nor_an_editor_publish(make_cause, django_user_model):
    ann = in_role(django_user_model.objects.create_user("ann"), "Clinical reviewers")
    writer = in_role(django_user_model.objects.create_user("writer"), "Editors")
    cause = make_cause()
    review.propose(cause, {"summary": "Ann's own words."}, ann)
    with pytest.raises(PermissionDenied):
        review.approve(cause, Change.objects.of(cause).get(state="waiting"), ann)
    with pytest.raises(PermissionDenied):
        scheduling.schedule(cause, Change.objects.of(cause).get(state="waiting"), timezone.now() + TOMORROW, ann)
    draft = make_cause(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        publishing.set_status(draft, Status.PUBLISHED, writer, "Published from the shell.")
    with pytest.raises(PermissionDenied):
        publishing.set_status(cause, Status.DRAFT, writer, "Withdrawn from the shell.")
    assert Cause.objects.get(pk=cause.pk).summary != "Ann's own words."
    assert Cause.objects.get(pk=draft.pk).status == Status.DRAFT
