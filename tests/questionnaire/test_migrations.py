"""Moving the questionnaire out of the causes app keeps every row of an existing database."""

import tomllib
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from questionnaire.models import Option, OptionWeight, Question

ROOT = Path(__file__).resolve().parents[2]
BEFORE_THE_MOVE = [("causes", "0002_questionnaire"), ("questionnaire", None)]


def _migrate(targets):
    """Migrate to the targets; the models as they are then, from a fresh loader."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def _seed_old_layout(apps) -> set[tuple[str, str, str, int]]:
    """Load the seed questionnaire (and the causes it weights) through the models as they were."""
    Cause = apps.get_model("causes", "Cause")
    Question = apps.get_model("causes", "Question")
    Option = apps.get_model("causes", "Option")
    OptionWeight = apps.get_model("causes", "OptionWeight")
    content = tomllib.loads((ROOT / "causes/seed/content.toml").read_text())
    seed = tomllib.loads((ROOT / "questionnaire/seed/questionnaire.toml").read_text())
    causes = {
        item["slug"]: Cause.objects.create(
            **{key: item[key] for key in ("slug", "title", "category", "summary", "body", "self_care")},
            see_doctor="See a doctor.",
            status="published",
        )
        for item in content["causes"]
    }
    rows = set()
    for item in seed["questions"]:
        fields = {key: item[key] for key in ("key", "text", "help_text", "kind", "red_flag", "order")}
        question = Question.objects.create(**fields, status="published")
        for entry in item["options"]:
            fields = {key: entry[key] for key in ("label", "order", "urgency", "advice")}
            option = Option.objects.create(question=question, **fields)
            for slug, weight in entry["weights"].items():
                OptionWeight.objects.create(option=option, cause=causes[slug], weight=weight)
                rows.add((question.key, option.label, slug, weight))
    return rows


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_a_seeded_database_migrates_across_the_move_with_every_row_and_its_history(django_user_model):
    old = _migrate(BEFORE_THE_MOVE)
    assert "causes_question" in connection.introspection.table_names()
    rows = _seed_old_layout(old)
    question_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="causes", model="question")
    editor = django_user_model.objects.create_user("editor")
    old.get_model("admin", "LogEntry").objects.create(
        user_id=editor.pk,
        content_type_id=question_type.pk,
        object_id=str(old.get_model("causes", "Question").objects.get(key="how-long").pk),
        object_repr="How long",
        action_flag=CHANGE,
        change_message="Reworded by an editor.",
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert "questionnaire_question" in tables and "causes_question" not in tables
    seeded = tomllib.loads((ROOT / "questionnaire/seed/questionnaire.toml").read_text())["questions"]
    assert Question.objects.count() == len(seeded) and Option.objects.count() > 40
    moved = {
        (w.option.question.key, w.option.label, w.cause.slug, w.weight)
        for w in OptionWeight.objects.select_related("option__question", "cause")
    }
    assert moved == rows and len(rows) > 100
    entry = LogEntry.objects.get(change_message="Reworded by an editor.")
    assert entry.get_edited_object() == Question.objects.get(key="how-long")
