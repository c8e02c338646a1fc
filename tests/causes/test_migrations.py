"""The warning-sign register migration keeps every word editors wrote in "when to see a doctor"."""

import pytest
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
