"""Sources, glossary terms and search synonyms go through the same lifecycle as pages: draft, review, live."""

import pytest
from django.test import Client
from django.urls import reverse

from causes.models import Source
from editorial.lifecycle import Status
from editorial.models import Change
from glossary.models import GlossaryTerm
from search.models import Synonym
from tests.conftest import approve_waiting, person_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _term(**changes) -> dict:
    return {"term": "myoclonus", "slug": "myoclonus", "also": "", "meaning": "A quick jerk of a muscle.", **changes}


def test_a_new_glossary_term_is_a_draft_the_editor_cannot_publish(editor, client):
    response = editor.post(reverse("admin:glossary_glossaryterm_add"), _term(status="published"))
    assert "Only a clinical reviewer can publish this." in response.content.decode()
    assert editor.post(reverse("admin:glossary_glossaryterm_add"), _term(status="review")).status_code == 302
    assert GlossaryTerm.objects.get(slug="myoclonus").status == Status.REVIEW
    assert 'id="myoclonus"' not in client.get("/glossary/").content.decode()


def test_an_editors_change_to_a_live_meaning_waits_for_a_reviewer(editor, reviewer_client, django_user_model):
    term = GlossaryTerm.objects.create(**_term(), status=Status.PUBLISHED)
    url = reverse("admin:glossary_glossaryterm_change", args=[term.pk])
    assert editor.post(url, _term(meaning="A wrong meaning.", status="published")).status_code == 302

    assert "A quick jerk of a muscle." in Client().get("/glossary/").content.decode()
    assert "A wrong meaning." not in Client().get("/glossary/").content.decode()
    approve_waiting(reviewer_client, term)
    assert "A wrong meaning." in Client().get("/glossary/").content.decode()
    assert term.reviewed_by == "Asha Patel, clinical reviewer"


def _source(source: Source, **changes) -> dict:
    data = {name: getattr(source, name) for name in ("title", "publisher", "url", "accessed")}
    return {**data, "evidence": "on", "status": "published", **changes}


def test_an_editors_change_to_a_live_sources_address_waits(editor, make_cause, client):
    cause = make_cause()
    source = cause.sources.get()
    source.url = "https://www.nhs.uk/conditions/"
    source.save()
    url = reverse("admin:causes_source_change", args=[source.pk])

    assert editor.post(url, _source(source, url="https://evil.example/")).status_code == 302

    source.refresh_from_db()
    assert source.url == "https://www.nhs.uk/conditions/"
    assert Change.objects.of(source).filter(state="waiting", text__url="https://evil.example/").exists()
    assert "evil.example" not in client.get(cause.get_absolute_url()).content.decode()


def test_an_editor_cannot_take_a_live_source_offline(editor, make_source):
    source = make_source()
    url = reverse("admin:causes_source_change", args=[source.pk])
    response = editor.post(url, _source(source, status="draft"))
    assert "Only a clinical reviewer can take a live page offline." in response.content.decode()
    assert Source.objects.get(pk=source.pk).status == Status.PUBLISHED


def test_a_page_citing_only_a_draft_source_cannot_be_published(reviewer_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    cause.sources.update(status=Status.DRAFT)
    changelist = reverse("admin:causes_cause_changelist")
    response = reviewer_client.post(changelist, {"action": "publish", "_selected_action": [cause.pk]}, follow=True)
    assert "it still needs at least one source" in response.content.decode()


def test_a_synonym_readers_see_on_the_a_to_z_is_published_by_a_reviewer_not_an_editor(editor, reviewer_client):
    """Issue 26: a synonym is a "see" entry on the A to Z ("chest pain: see cramp"), so it passes sign-off."""
    data = {"phrase": "jumpy toe", "means": "twitching", "status": "published"}
    response = editor.post(reverse("admin:search_synonym_add"), data)
    assert response.status_code == 200 and "Only a clinical reviewer can publish this" in response.content.decode()
    assert editor.post(reverse("admin:search_synonym_add"), {**data, "status": "review"}).status_code == 302
    synonym = Synonym.objects.get(phrase="jumpy toe")
    reviewer_client.post(
        reverse("admin:search_synonym_changelist"), {"action": "publish", "_selected_action": [synonym.pk]}
    )
    assert Synonym.objects.published().filter(phrase="jumpy toe").exists()
