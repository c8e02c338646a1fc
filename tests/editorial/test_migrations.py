"""The send-back, request and e-mail setting tables come and go with their migrations, and the changes waiting for
review move out of the history tables and back with no row lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

NEW = [("editorial", "0001_send_backs_and_requests"), ("accounts", "0001_staff_choose_whether_to_get_email")]


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_new_tables_migrate_back_and_forward():
    names = {"editorial_sendback", "editorial_editorrequest", "accounts_emailchoice"}
    assert names <= _tables()
    MigrationExecutor(connection).migrate([("editorial", None), ("accounts", None)])
    assert not names & _tables()
    MigrationExecutor(connection).migrate(NEW)
    assert names <= _tables()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # what depends on them, for the tests after


# Issue 26: changes waiting for review move out of the items' history tables into their own model.
BEFORE_CHANGES = [
    ("editorial", "0002_changes_apart_from_history"),
    ("causes", "0023_source_accessed_may_be_empty"),
    ("glossary", "0001_glossary_terms_move_to_their_app"),
    ("search", "0001_synonyms_move_to_search"),
    ("questionnaire", "0011_question_asked_if"),
]
STATES = ("waiting", "scheduled", "approved", "discarded")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return [
        key
        for key in MigrationExecutor(connection).loader.graph.leaf_nodes()
        if key[0] in {t[0] for t in BEFORE_CHANGES}
    ]


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_every_waiting_and_scheduled_change_moves_out_of_the_history_and_back(make_cause, django_user_model):
    author = django_user_model.objects.create_user("author")
    reviewer = django_user_model.objects.create_user("reviewer")
    cause = make_cause(summary="The live summary.")
    later = timezone.now() + datetime.timedelta(days=3)

    old = _migrate(BEFORE_CHANGES)  # the history tables hold the review states again
    history = old.get_model("causes", "HistoricalCause")
    saved = history.objects.get(id=cause.pk)
    values = {field.attname: getattr(saved, field.attname) for field in history._meta.concrete_fields}
    values.pop("history_id")
    rows = []
    for n, state in enumerate(STATES):
        when = saved.history_date + datetime.timedelta(minutes=n + 1)
        rows.append(
            history.objects.create(
                **{
                    **values,
                    "summary": f"A {state} summary.",
                    "history_date": when,
                    "history_type": "~",
                    "history_user_id": author.pk,
                    "history_change_reason": f"Reason for the {state} change.",
                    "review": state,
                    "goes_live_at": later if state == "scheduled" else None,
                    "scheduled_by_id": reviewer.pk if state in ("scheduled", "approved") else None,
                }
            )
        )
    content_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="causes", model="cause")
    old.get_model("editorial", "SendBack").objects.create(
        content_type=content_type, object_id=str(cause.pk), title="t", history_id=rows[0].history_id, note="Rework."
    )

    new = _migrate(_latest())
    assert new.get_model("causes", "HistoricalCause").objects.filter(id=cause.pk).count() == 1  # only the saved one
    changes = list(new.get_model("editorial", "Change").objects.order_by("created"))
    assert [(change.state, change.text["summary"]) for change in changes] == [(s, f"A {s} summary.") for s in STATES]
    for change, row in zip(changes, rows, strict=True):
        assert (change.author_id, change.created, change.note) == (
            author.pk,
            row.history_date,
            row.history_change_reason,
        )
        assert (change.goes_live_at, change.scheduled_by_id) == (row.goes_live_at, row.scheduled_by_id)
        assert change.content_type_id == content_type.pk and change.object_id == str(cause.pk)
        assert change.text["body"] == saved.body  # the whole medical text as proposed
    assert new.get_model("editorial", "SendBack").objects.get().change_id == changes[0].pk

    old = _migrate(BEFORE_CHANGES)
    history = old.get_model("causes", "HistoricalCause")
    back = list(history.objects.filter(id=cause.pk).exclude(review="").order_by("history_date"))
    assert [(row.review, row.summary) for row in back] == [(row.review, row.summary) for row in rows]
    for row, was in zip(back, rows, strict=True):
        kept = ("history_user_id", "history_date", "history_change_reason", "goes_live_at", "scheduled_by_id", "body")
        assert [getattr(row, name) for name in kept] == [getattr(was, name) for name in kept]
    assert history.objects.filter(id=cause.pk, review="").count() == 1
    assert not old.get_model("editorial", "Change").objects.exists()
    assert old.get_model("editorial", "SendBack").objects.get().history_id == back[0].history_id

    _migrate(_latest())  # and forward again, for the tests that follow
