"""Migrations: the warning-sign register keeps every word editors wrote; the site pages migration reverses."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from causes.models import Cause, WarningSign

BEFORE = [("causes", "0003_questionnaire_moved_to_its_own_app")]
OLD_ADVICE = """See a doctor if the twitching lasts more than **2 weeks**.

- you have numbness in your foot
- it keeps coming back

Call 999 if your foot suddenly goes cold and pale.

Get help today from 111 if weakness gets worse."""


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_old_advice_becomes_signs_at_their_own_levels_without_losing_a_word():
    old = _migrate(BEFORE)
    fields = {"category": "nerves", "summary": "s", "body": "b", "self_care": "c", "status": "published"}
    old.get_model("causes", "Cause").objects.create(
        slug="cold-feet", title="Cold feet", see_doctor=OLD_ADVICE, **fields
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    signs = WarningSign.objects.filter(causes=Cause.objects.get(slug="cold-feet")).order_by("order")
    assert [(sign.level, sign.text) for sign in signs] == [
        ("see_doctor", "See a doctor if the twitching lasts more than **2 weeks**."),
        ("see_doctor", "you have numbness in your foot"),
        ("see_doctor", "it keeps coming back"),
        ("emergency", "Call 999 if your foot suddenly goes cold and pale."),
        ("urgent", "Get help today from 111 if weakness gets worse."),
    ]
    words = " ".join(sign.text for sign in signs).split()
    assert words == OLD_ADVICE.replace("- ", "").split()


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_site_pages_migration_reverses_and_gives_the_roles_the_new_permissions():
    for role in ("Editors", "Clinical reviewers"):
        Group.objects.get_or_create(name=role)
    _migrate([("causes", "0014_moved_pages_lead_only_to_pages")])
    assert "causes_sitepage" not in connection.introspection.table_names()
    assert not Permission.objects.filter(group__name="Clinical reviewers", codename="approve_sitepage").exists()

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert {"causes_sitepage", "causes_urgencywording"} <= set(connection.introspection.table_names())
    editors = set(Permission.objects.filter(group__name="Editors").values_list("codename", flat=True))
    reviewers = set(Permission.objects.filter(group__name="Clinical reviewers").values_list("codename", flat=True))
    assert {"add_sitepage", "change_sitepage", "change_urgencywording"} <= editors
    assert not {"approve_sitepage", "approve_urgencywording", "delete_sitepage"} & editors
    assert {"approve_sitepage", "approve_urgencywording", "delete_urgencywording"} <= reviewers
