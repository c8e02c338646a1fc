"""The admin lists find what waits: drafts and changes waiting for review, and what is scheduled to go live."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial import scheduling
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import cause_admin_form

pytestmark = pytest.mark.django_db

LIST = "admin:causes_cause_changelist"


def _titles(client, value: str) -> set[str]:
    response = client.get(reverse(LIST), {"waiting": value})
    return {cause.title for cause in response.context["cl"].queryset}


def test_the_list_filters_waiting_and_scheduled_items(editor_client, reviewer_client, make_cause, django_user_model):
    plain = make_cause(title="Plain")
    ready = make_cause(title="Ready draft", status=Status.REVIEW)
    changed = make_cause(title="Changed")
    editor_client.post(
        reverse("admin:causes_cause_change", args=[changed.pk]), cause_admin_form(changed, summary="New.")
    )
    later = make_cause(title="Goes live later", publish_at=timezone.now() + datetime.timedelta(days=2))
    moved = make_cause(title="Change scheduled")
    editor_client.post(reverse("admin:causes_cause_change", args=[moved.pk]), cause_admin_form(moved, summary="Soon."))
    reviewer = django_user_model.objects.get(username="reviewer")
    scheduling.schedule(
        moved, Change.objects.of(moved).get(state="waiting"), timezone.now() + datetime.timedelta(days=1), reviewer
    )

    assert _titles(reviewer_client, "review") == {ready.title, changed.title}
    assert _titles(reviewer_client, "scheduled") == {later.title, moved.title}
    assert plain.title in _titles(reviewer_client, "")
    assert reviewer_client.get(reverse(LIST), {"waiting": "<script>"}).status_code == 200
