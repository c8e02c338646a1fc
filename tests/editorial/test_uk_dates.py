"""Dates in the admin are typed and shown day first, as in the UK ("24/12/2026 09:00"); a US-style or hostile
date gets a clear message in the form, never a server error, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Source
from editorial import review
from editorial.admin import ScheduleForm
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import cause_admin_form

pytestmark = pytest.mark.django_db

UNREADABLE = "Enter a day and time as day/month/year and a 24-hour time, for example 24/12/2026 09:00."
HOSTILE = [
    "12/24/2026",  # US order: month first
    "2026-13-45",
    "31/02/2027",
    "99/99/9999",
    "tomorrow",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\x00",
    "１２/０１/２０２７",
    "1" * 5000,
]


def _tomorrow() -> datetime.datetime:
    return timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


def test_the_schedule_box_is_typed_day_first_with_a_24_hour_time():
    at = _tomorrow()
    form = ScheduleForm({"goes_live_at": f"{at:%d/%m/%Y} 09:00"})
    assert form.is_valid(), form.errors
    assert timezone.localtime(form.cleaned_data["goes_live_at"]) == at
    box = str(form["goes_live_at"])
    assert 'type="text"' in box and "datetime-local" not in box  # not the browser's picker in the reader's locale
    assert f'value="{at:%d/%m/%Y} 09:00"' in box and 'placeholder="dd/mm/yyyy hh:mm"' in box
    assert "for example 24/12/2026 09:00" in form["goes_live_at"].help_text


@pytest.mark.parametrize("value", [*HOSTILE, "24/12/2026 9pm", "24/12/2026 25:00"])
def test_a_month_first_or_hostile_schedule_time_is_refused_plainly(value):
    form = ScheduleForm({"goes_live_at": value})
    assert not form.is_valid()
    (error,) = form.errors["goes_live_at"]
    # A digit string Python reads as a date long past is refused as in the past: either way, plainly.
    assert error in (UNREADABLE, "Choose a time in the future. To make it live now, use “Approve and make live”.")
    if "/" in value:
        assert error == UNREADABLE


def test_the_review_page_offers_the_day_first_box(reviewer_client, make_faq, django_user_model):
    faq = make_faq(answer="The live answer.")
    writer = django_user_model.objects.create_user("writer", password="a-long-test-password")
    review.propose(faq, {"answer": "Changed."}, writer)
    change = Change.objects.of(faq).get(state=review.WAITING)
    url = reverse("admin:causes_faq_review", args=[faq.pk, change.pk])
    page = reviewer_client.get(url).content.decode()
    assert 'placeholder="dd/mm/yyyy hh:mm"' in page and "datetime-local" not in page
    response = reviewer_client.post(url, {"_schedule": "1", "goes_live_at": "12/24/2026 09:00"})
    assert response.status_code == 200 and "Enter a day and time as day/month/year" in response.content.decode()
    change.refresh_from_db()
    assert change.state == review.WAITING


def _source_form(source: Source, **changes) -> dict:
    data = {"title": source.title, "publisher": source.publisher, "url": source.url, "evidence": "on"}
    return {**data, "status": "draft", **changes}


def test_the_admin_shows_and_reads_dates_day_first(editor_client, make_source):
    source = make_source(status=Status.DRAFT, accessed=datetime.date(2026, 11, 2))
    url = reverse("admin:causes_source_change", args=[source.pk])
    assert 'value="02/11/2026"' in editor_client.get(url).content.decode()
    assert editor_client.post(url, _source_form(source, accessed="24/12/2026")).status_code == 302
    assert Source.objects.get(pk=source.pk).accessed == datetime.date(2026, 12, 24)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_month_first_or_hostile_date_in_the_admin_gets_a_form_error(editor_client, make_source, value):
    source = make_source(status=Status.DRAFT, accessed=datetime.date(2026, 11, 2))
    url = reverse("admin:causes_source_change", args=[source.pk])
    response = editor_client.post(url, _source_form(source, accessed=value))
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert Source.objects.get(pk=source.pk).accessed == datetime.date(2026, 11, 2)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_publish_at_gets_a_form_error(editor_client, make_cause, value):
    cause = make_cause(status=Status.DRAFT)
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    data = cause_admin_form(cause, status="draft", publish_at_0=value, publish_at_1="09:00")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert Cause.objects.get(pk=cause.pk).publish_at is None
