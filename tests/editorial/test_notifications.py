"""E-mail to editors: a reviewer hears that something waits, an author what became of their change; no health data."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailChoice
from causes.models import Cause
from editorial import notifications, publishing, review, scheduling
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import approve_waiting, cause_admin_form, in_role, person_client

pytestmark = pytest.mark.django_db

CHANGE = "admin:causes_cause_change"
SECRET_WORDS = "A new summary only the admin may show."


@pytest.fixture
def people(django_user_model):
    """An editor and two reviewers, each with an address; the clients are signed in with both factors."""
    writer = person_client(django_user_model, "writer", "Editors", first_name="Wes", last_name="Writer")
    asha = person_client(django_user_model, "asha", "Clinical reviewers", first_name="Asha", last_name="Patel")
    ben = person_client(django_user_model, "ben", "Clinical reviewers", first_name="Ben", last_name="Okafor")
    for user in django_user_model.objects.filter(username__in=["writer", "asha", "ben"]):
        user.email = f"{user.username}@example.org"
        user.save()
    return writer, asha, ben


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_a_waiting_change_tells_the_reviewers_not_its_author_and_names_no_text(
    people, make_cause, django_capture_on_commit_callbacks
):
    writer, _, _ = people
    cause = make_cause(summary="The approved summary.")
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary=SECRET_WORDS))
    assert {tuple(message.to) for message in mail.outbox} == {("asha@example.org",), ("ben@example.org",)}
    message = _to("asha@example.org")[0]
    assert message.subject == f"Waiting for your review: {cause.title}"
    assert "Hello Asha Patel," in message.body and "Wes Writer sent the cause" in message.body
    assert f"http://testserver/admin/causes/cause/{cause.pk}/change/" in message.body
    assert SECRET_WORDS not in message.body and "approved summary" not in message.body


def test_nothing_is_sent_before_the_change_commits(people, make_cause, django_capture_on_commit_callbacks):
    cause = make_cause()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                review.propose(cause, {"summary": "Changed."}, None)
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_the_author_hears_when_their_change_is_approved(people, make_cause, django_capture_on_commit_callbacks):
    writer, asha, _ = people
    cause = make_cause()
    writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary=SECRET_WORDS))
    with django_capture_on_commit_callbacks(execute=True):
        approve_waiting(asha, cause)
    (message,) = mail.outbox
    assert message.to == ["writer@example.org"]
    assert message.subject == f"Your change was approved: {cause.title}"
    assert "Asha Patel approved your change" in message.body and SECRET_WORDS not in message.body


def test_the_author_hears_when_their_change_is_scheduled_and_when_it_goes_live(
    people, make_cause, django_user_model, django_capture_on_commit_callbacks
):
    writer, _, _ = people
    cause = make_cause()
    writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary=SECRET_WORDS))
    revision = Change.objects.of(cause).get(state="waiting")
    asha = django_user_model.objects.get(username="asha")
    at = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule(cause, revision, at, asha)
    assert [message.subject for message in mail.outbox] == [f"Your change was scheduled: {cause.title}"]
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish_due(at + datetime.timedelta(minutes=1))
    assert mail.outbox[-1].subject == f"Your change was published: {cause.title}"
    assert mail.outbox[-1].to == ["writer@example.org"]


def test_a_draft_sent_for_review_tells_reviewers_and_its_publishing_tells_its_author(
    people, make_cause, django_capture_on_commit_callbacks
):
    writer, asha, _ = people
    draft = make_cause(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, status="review", summary="Ready."))
    assert sorted(message.to[0] for message in mail.outbox) == ["asha@example.org", "ben@example.org"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # saved again, still waiting: nobody is told twice
        writer.post(reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, status="review", summary="Ready!"))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        asha.post(reverse("admin:causes_cause_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    assert Cause.objects.get(pk=draft.pk).status == Status.PUBLISHED
    (message,) = mail.outbox
    assert message.to == ["writer@example.org"] and "Asha Patel published the cause" in message.body


def test_someone_who_turned_email_off_gets_none(
    people, make_cause, django_user_model, django_capture_on_commit_callbacks
):
    writer, _, _ = people
    EmailChoice.objects.create(user=django_user_model.objects.get(username="ben"), send_emails=False)
    cause = make_cause()
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary=SECRET_WORDS))
    assert [message.to for message in mail.outbox] == [["asha@example.org"]]


def test_people_without_an_address_or_access_get_none(
    make_cause, django_user_model, django_capture_on_commit_callbacks
):
    in_role(django_user_model.objects.create_user("no-address"), "Clinical reviewers")
    gone = in_role(django_user_model.objects.create_user("gone", email="gone@example.org"), "Clinical reviewers")
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.waiting(make_cause(), None)
    assert mail.outbox == []


def test_a_mail_server_that_is_down_never_breaks_the_save(
    people, make_cause, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    writer, _, _ = people
    cause = make_cause()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = writer.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, summary=SECRET_WORDS))
    assert response.status_code == 302 and Change.objects.of(cause).filter(state="waiting").exists()
    assert "Could not send 2 notification e-mail(s)" in caplog.text and SECRET_WORDS not in caplog.text


def test_each_person_sees_and_changes_only_their_own_email_setting(people, django_user_model):
    writer, asha, _ = people
    setting = writer.get(reverse("admin:accounts_emailchoice_changelist"))
    own = EmailChoice.objects.get(user__username="writer")
    assert setting.status_code == 200 and list(setting.context["cl"].queryset) == [own]
    assert (
        writer.post(reverse("admin:accounts_emailchoice_change", args=[own.pk]), {"send_emails": ""}).status_code == 302
    )
    own.refresh_from_db()
    assert own.send_emails is False

    asha.get(reverse("admin:accounts_emailchoice_changelist"))
    hers = EmailChoice.objects.get(user__username="asha")
    url = reverse("admin:accounts_emailchoice_change", args=[hers.pk])
    assert writer.post(url, {"send_emails": ""}).status_code in {302, 403}
    hers.refresh_from_db()
    assert hers.send_emails is True  # nobody turns off someone else's e-mail
    assert writer.post(reverse("admin:accounts_emailchoice_add"), {"send_emails": "on"}).status_code == 403
    assert writer.post(reverse("admin:accounts_emailchoice_delete", args=[own.pk]), {"post": "yes"}).status_code in {
        302,
        403,
    }
    assert EmailChoice.objects.filter(pk=own.pk).exists()


def test_publishing_by_service_tells_the_draft_authors(
    people, make_cause, django_user_model, django_capture_on_commit_callbacks
):
    writer, _, _ = people
    draft = make_cause(status=Status.DRAFT)
    writer.post(reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, status="review", summary="Ready."))
    mail.outbox.clear()
    asha = django_user_model.objects.get(username="asha")
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(draft, Status.PUBLISHED, asha, "Published.")
    assert [message.to for message in mail.outbox] == [["writer@example.org"]]
