"""History and the revert page in plain words: people by their full name, 24-hour times, no "Historical causes"."""

import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, MovedPage
from editorial import review
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import person_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def wendy(django_user_model):
    return person_client(django_user_model, "wwriter", "Editors", first_name="Wendy", last_name="Writer")


def _named_author(make_cause, django_user_model, **fields):
    cause = make_cause(status=Status.DRAFT, **fields)
    author = django_user_model.objects.create_user("jsmith", first_name="Jo", last_name="Smith")
    cause.history.update(history_user=author)
    return cause


def test_the_revision_list_names_people_not_user_names(editor_client, make_cause, django_user_model):
    cause = _named_author(make_cause, django_user_model)
    page = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk])).content.decode()
    assert "<td>Jo Smith</td>" in page and "jsmith" not in page


def test_someone_with_no_name_is_shown_by_user_name(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)  # written by "content-author", who has no name
    page = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk])).content.decode()
    assert "<td>content-author</td>" in page


def test_times_in_the_revision_list_are_24_hour(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    cause.history.update(history_date=timezone.make_aware(timezone.datetime(2026, 7, 3, 14, 42)))
    page = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk])).content.decode()
    assert "3 July 2026, 14:42" in page
    assert not re.search(r"\d(:\d\d)? ?[ap]\.m\.", page)


def test_django_own_history_names_people_by_their_full_name(editor_client, make_cause, django_user_model):
    cause = make_cause()
    moved = MovedPage.objects.create(
        old_path="/causes/old-name/", content_type=ContentType.objects.get_for_model(Cause), object_id=cause.pk
    )
    asha = django_user_model.objects.create_user("apatel", first_name="Asha", last_name="Patel")
    LogEntry.objects.create(
        user=asha,
        content_type=ContentType.objects.get_for_model(MovedPage),
        object_id=str(moved.pk),
        object_repr=str(moved),
        action_flag=CHANGE,
        change_message="Changed the address.",
    )
    page = editor_client.get(reverse("admin:causes_movedpage_history", args=[moved.pk])).content.decode()
    assert "<td>Asha Patel</td>" in page and "apatel" not in page
    assert "Changed by" in page


def test_the_revert_page_says_plainly_what_going_back_does(editor_client, make_cause, django_user_model):
    cause = _named_author(make_cause, django_user_model, body="Old body.")
    old = cause.history.first()
    cause.body = "New body."
    cause.save()
    response = editor_client.get(reverse("admin:causes_cause_simple_history", args=[cause.pk, old.history_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Historical" not in page and "revert to this version of the object" not in page
    assert f"Go back to an earlier version of “{cause.title}”" in page
    assert 'value="Go back to this version"' in page and "Change History" not in page
    assert "saved by Jo Smith" in page
    assert f'<a href="{reverse("admin:causes_cause_changelist")}">Causes</a>' in page
    assert "It is saved as a new version" in page


def test_the_history_page_says_what_its_rows_are_in_plain_words(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    page = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk])).content.decode()
    assert "revert to a previous version of this object" not in page
    assert "Each row is one saved version, newest first." in page


def test_a_scheduled_change_names_the_reviewer_who_approved_it(reviewer_client, make_faq, django_user_model):
    faq = make_faq(answer="The live answer.")
    writer = django_user_model.objects.create_user("writer", password="a-long-test-password")
    review.propose(faq, {"answer": "Changed."}, writer)
    change = Change.objects.of(faq).get(state=review.WAITING)
    url = reverse("admin:causes_faq_review", args=[faq.pk, change.pk])
    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    reviewer_client.post(url, {"_schedule": "1", "goes_live_at": f"{tomorrow:%d/%m/%Y} 09:00"})
    page = reviewer_client.get(url).content.decode()
    assert "Asha Patel approved this change to go live on" in page and "reviewer approved" not in page
