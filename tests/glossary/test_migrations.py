"""Glossary terms moved to their own app without losing a row, a revision or a permission, and back again."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("causes", "0019_site_pages_and_wording_get_scheduled_changes_and_no_draft_review_date"), ("glossary", None)]


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_terms_their_history_and_a_roles_permission_survive_the_move_both_ways():
    old = _migrate(BEFORE)
    old.get_model("causes", "GlossaryTerm").objects.create(
        term="myoclonus", slug="myoclonus", meaning="A quick jerk of a muscle.", status="published"
    )
    old.get_model("causes", "HistoricalGlossaryTerm").objects.create(
        id=1,
        term="myoclonus",
        slug="myoclonus",
        meaning="An older meaning.",
        status="draft",
        history_type="+",
        history_date="2026-12-01T10:00:00Z",
        created="2026-12-01T10:00:00Z",
        updated="2026-12-01T10:00:00Z",
    )
    approve = Permission.objects.get(codename="approve_glossaryterm")
    assert approve.content_type.app_label == "causes"
    role = Group.objects.create(name="Glossary checkers")
    role.permissions.add(approve)

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    term = new.get_model("glossary", "GlossaryTerm").objects.get(slug="myoclonus")
    assert term.meaning == "A quick jerk of a muscle."
    assert new.get_model("glossary", "HistoricalGlossaryTerm").objects.get().meaning == "An older meaning."
    assert role.permissions.filter(content_type__app_label="glossary", codename="approve_glossaryterm").exists()

    back = _migrate(BEFORE)
    assert back.get_model("causes", "GlossaryTerm").objects.get(slug="myoclonus").meaning == term.meaning
    assert role.permissions.filter(content_type__app_label="causes", codename="approve_glossaryterm").exists()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
