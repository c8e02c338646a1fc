"""Scheduling applies to an approved change: the live version stays on the page until the change takes its place."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes.models import Faq
from core import cache
from editorial import review, scheduling
from editorial.models import Change
from tests.conftest import in_role, person_client

pytestmark = pytest.mark.django_db

TOMORROW = datetime.timedelta(days=1)


@pytest.fixture
def writer(django_user_model):
    return django_user_model.objects.create_user("writer", password="a-long-test-password")


def _waiting_change(faq: Faq, writer, answer: str):
    """An editor's change to a live FAQ's answer, waiting for review (as the admin's save leaves it)."""
    review.propose(faq, {"answer": answer}, writer)
    return Change.objects.of(faq).get(state="waiting")


def _review_url(faq: Faq, revision) -> str:
    return reverse("admin:causes_faq_review", args=[faq.pk, revision.pk])


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_reviewer_schedules_a_change_and_the_live_answer_stays_until_then(reviewer_client, make_faq, writer):
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "The scheduled answer.")
    at = timezone.now() + TOMORROW

    response = reviewer_client.post(_review_url(faq, revision), {"_schedule": "1", "goes_live_at": _local(at)})

    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.state == Change.State.SCHEDULED and revision.scheduled_by.username == "reviewer"
    page = Client().get("/faq/").content.decode()
    assert "The live answer." in page and "The scheduled answer." not in page
    listing = reviewer_client.get(reverse("admin:causes_faq_changelist")).content.decode()
    assert f"Live, a change scheduled for {timezone.localtime(at):%-d %b}" in listing
    home = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "A change goes live" in home and faq.question in home


def test_at_its_time_the_change_replaces_the_live_version_as_the_reviewers_approval(
    make_faq, writer, django_user_model
):
    reviewer = in_role(
        django_user_model.objects.create_user("rev", first_name="Ben", last_name="Okafor"), "Clinical reviewers"
    )
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "The scheduled answer.")
    scheduling.schedule(faq, revision, timezone.now() + TOMORROW, reviewer)
    assert scheduling.publish_due() == []  # not yet

    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == [f"FAQ “{faq.question}”"]

    faq.refresh_from_db()
    assert faq.answer == "The scheduled answer."
    assert faq.reviewed_by == "Ben Okafor, clinical reviewer"
    newest = faq.history.first()
    assert newest.approval and newest.history_user == reviewer
    assert Change.objects.get(pk=revision.pk).state == Change.State.APPROVED
    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []  # once only
    assert "The scheduled answer." in Client().get("/faq/").content.decode()


def test_a_cached_faq_page_shows_the_change_at_its_time_with_no_job(
    make_faq, writer, django_user_model, django_capture_on_commit_callbacks, monkeypatch
):
    reviewer = in_role(django_user_model.objects.create_user("rev"), "Clinical reviewers")
    reader = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the saves commit, as in the admin
        faq = make_faq(answer="The live answer.")
        revision = _waiting_change(faq, writer, "The scheduled answer.")
        scheduling.schedule(faq, revision, timezone.now() + TOMORROW, reviewer)
    for _ in range(2):  # rendered, then served from the page cache
        assert "The live answer." in reader.get("/faq/").content.decode()
    # Nobody saves anything: only the clock moves on, two days (moved by hand, so no test waits on a real clock).
    later = timezone.now() + 2 * TOMORROW
    monkeypatch.setattr(cache.time, "time", lambda: later.timestamp())
    monkeypatch.setattr(scheduling.timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        page = reader.get("/faq/").content.decode()
    assert "The scheduled answer." in page and "The live answer." not in page


def test_the_command_makes_due_changes_live(make_faq, writer, django_user_model, capsys):
    reviewer = in_role(django_user_model.objects.create_user("rev"), "Clinical reviewers")
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "The scheduled answer.")
    scheduling.schedule(faq, revision, timezone.now() + TOMORROW, reviewer)
    Change.objects.filter(pk=revision.pk).update(goes_live_at=timezone.now() - TOMORROW)

    call_command("publish_scheduled")

    assert "1 scheduled change(s) made live." in capsys.readouterr().out
    faq.refresh_from_db()
    assert faq.answer == "The scheduled answer."


def test_a_change_scheduled_by_someone_no_longer_a_reviewer_waits_again(make_faq, writer, django_user_model):
    reviewer = in_role(django_user_model.objects.create_user("rev"), "Clinical reviewers")
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "The scheduled answer.")
    scheduling.schedule(faq, revision, timezone.now() + TOMORROW, reviewer)
    reviewer.groups.clear()

    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []

    faq.refresh_from_db()
    assert faq.answer == "The live answer."
    assert Change.objects.get(pk=revision.pk).state == review.WAITING


def test_the_author_cannot_schedule_their_own_change(django_user_model, make_faq):
    author = person_client(django_user_model, "author-reviewer", "Clinical reviewers")
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, django_user_model.objects.get(username="author-reviewer"), "Mine.")

    response = author.post(
        _review_url(faq, revision), {"_schedule": "1", "goes_live_at": _local(timezone.now() + TOMORROW)}
    )

    assert response.status_code == 403
    assert Change.objects.get(pk=revision.pk).state == review.WAITING


def test_an_editor_cannot_schedule(django_user_model, make_faq, writer):
    editor = person_client(django_user_model, "editor2", "Editors")
    faq = make_faq()
    revision = _waiting_change(faq, writer, "Changed.")

    response = editor.post(
        _review_url(faq, revision), {"_schedule": "1", "goes_live_at": _local(timezone.now() + TOMORROW)}
    )

    assert response.status_code == 403
    assert Change.objects.get(pk=revision.pk).state == review.WAITING


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose the day and time the change should go live."),
        ("tomorrow", "Enter a day and time"),
        ("2026-13-45T25:61", "Enter a day and time"),
        ("99999-01-01T00:00", "Enter a day and time"),
        ("2001-01-01T09:00", "Choose a time in the future."),
        ("2099-01-01T09:00", "Choose a time within the next year."),
        ("<script>alert(1)</script>", "Enter a day and time"),
    ],
)
def test_a_bad_schedule_time_gets_a_message_and_nothing_changes(reviewer_client, make_faq, writer, value, message):
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "Changed.")

    response = reviewer_client.post(_review_url(faq, revision), {"_schedule": "1", "goes_live_at": value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Change.objects.get(pk=revision.pk).state == review.WAITING


def test_a_scheduled_change_can_be_taken_off_the_schedule(reviewer_client, make_faq, writer):
    faq = make_faq(answer="The live answer.")
    revision = _waiting_change(faq, writer, "Changed.")
    reviewer_client.post(
        _review_url(faq, revision), {"_schedule": "1", "goes_live_at": _local(timezone.now() + TOMORROW)}
    )

    assert reviewer_client.post(_review_url(faq, revision), {"_unschedule": "1"}).status_code == 302

    revision.refresh_from_db()
    assert revision.state == review.WAITING and revision.goes_live_at is None
    assert scheduling.publish_due(timezone.now() + 2 * TOMORROW) == []
