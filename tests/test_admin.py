"""Every admin page editors use, across the content apps: it opens, survives any search, and is staff-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

MODELS = [
    f"{model._meta.app_label}_{model._meta.model_name}"
    for model in admin.site._registry
    if model._meta.app_label in ("causes", "glossary", "questionnaire")
]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_open(editor_client, model):
    assert editor_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:{model}_add")).status_code == 200


HOSTILE_SEARCHES = [
    "caffeine",
    "",
    "'; DROP TABLE causes_cause; --",
    "%",
    "_",
    "\\",
    "<script>",
    "a" * 5000,
    "💥",
    "\x00",
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_admin_search_survives_any_text(editor_client, model, query):
    response = editor_client.get(reverse(f"admin:{model}_changelist"), {"q": query})
    assert response.status_code == 200


def test_public_is_sent_to_login(client):
    response = client.get(reverse("admin:causes_cause_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
