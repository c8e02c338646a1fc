"""Summary, "one or two sentences", is written in a box of a few lines on every model that has one, and saved as one
paragraph."""

import pytest
from django.apps import apps
from django.urls import reverse

from causes.models import Cause, Remedy, SitePage
from editorial.lifecycle import Status
from tests.conftest import cause_admin_form

pytestmark = pytest.mark.django_db

MODELS_WITH_A_SUMMARY = [Cause, Remedy, SitePage]


def test_every_model_with_a_summary_is_checked_here():
    have_one = {m for m in apps.get_models() if "summary" in {f.name for f in m._meta.concrete_fields}}
    have_one = {m for m in have_one if not m.__name__.startswith("Historical")}
    assert have_one == set(MODELS_WITH_A_SUMMARY)


@pytest.mark.parametrize("model", MODELS_WITH_A_SUMMARY, ids=lambda model: model.__name__)
def test_the_summary_is_a_box_of_a_few_lines(editor_client, model):
    page = editor_client.get(reverse(f"admin:causes_{model._meta.model_name}_add")).content.decode()
    start = page.index('name="summary"')
    box = page[page.rindex("<", 0, start) : page.index(">", start)]
    assert box.startswith("<textarea") and 'rows="3"' in box and 'maxlength="200"' in box


def test_a_line_break_in_the_summary_is_saved_as_a_space(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    data = cause_admin_form(cause, status="draft", summary="Your toe moves.\r\nIt is often harmless.  ")
    assert editor_client.post(url, data).status_code == 302
    assert Cause.objects.get(pk=cause.pk).summary == "Your toe moves. It is often harmless."


def test_a_summary_too_long_is_refused_in_the_form(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    response = editor_client.post(url, cause_admin_form(cause, status="draft", summary="x" * 201))
    assert response.status_code == 200 and "at most 200 characters" in response.content.decode()
