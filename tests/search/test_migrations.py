"""Search synonyms moved to the search app without losing a row, a revision or a permission, and back again."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("causes", "0020_glossary_terms_move_to_their_app"), ("search", None)]


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_synonyms_their_history_and_a_roles_permission_survive_the_move_both_ways():
    old = _migrate(BEFORE)
    old.get_model("causes", "Synonym").objects.create(phrase="pins and needles", means="tingling", status="published")
    old.get_model("causes", "HistoricalSynonym").objects.create(
        id=1,
        phrase="pins and needles",
        means="prickling",
        status="draft",
        history_type="+",
        history_date="2026-12-01T10:00:00Z",
        created="2026-12-01T10:00:00Z",
        updated="2026-12-01T10:00:00Z",
    )
    change = Permission.objects.get(codename="change_synonym")
    assert change.content_type.app_label == "causes"
    role = Group.objects.create(name="Synonym keepers")
    role.permissions.add(change)

    new = _migrate(_latest())

    synonym = new.get_model("search", "Synonym").objects.get(phrase="pins and needles")
    assert synonym.means == "tingling"
    assert new.get_model("search", "HistoricalSynonym").objects.get().means == "prickling"
    assert role.permissions.filter(content_type__app_label="search", codename="change_synonym").exists()
    reviewers = Group.objects.get(name="Clinical reviewers")  # synonyms pass sign-off (0021): the grant moves too
    assert reviewers.permissions.filter(content_type__app_label="search", codename="approve_synonym").exists()

    back = _migrate(BEFORE)
    assert back.get_model("causes", "Synonym").objects.get(phrase="pins and needles").means == "tingling"
    assert back.get_model("causes", "HistoricalSynonym").objects.get().means == "prickling"
    assert role.permissions.filter(content_type__app_label="causes", codename="change_synonym").exists()
    _migrate(_latest())
