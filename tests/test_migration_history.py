"""The migration history keeps every row: walked as a real site's database would be, back to nothing and forward.

Django re-renders the models after each step of a walk, so one walk of the whole history takes it
tens of seconds. The module walks it once (`walk`), and each test checks what one migration must keep:

1. From a seeded database back to nothing (every migration reverses, over real rows).
2. Forward, stopping before each move to write rows the old way and to deploy as `manage.py migrate`
   does (content types and permissions after each step): the questionnaire leaving the causes app, old
   advice becoming warning signs, site pages, glossary terms and synonyms moving to their apps, and
   changes waiting for review leaving the history tables.
3. Back across the moves to before the site pages, checking each move's rows on the way, and forward.

Marked `migrations`: CI runs them once, on PostgreSQL (see tests/conftest.py).
"""

import datetime
import tomllib
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from causes.models import Cause, Faq, Remedy, Source, WarningSign
from questionnaire.models import Option, OptionWeight, Question
from tests.conftest import load_seed, make_the_migrated_roles_again

# The django_db mark makes pytest-django set up the test database, which the module's walk uses.
pytestmark = [pytest.mark.migrations, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[1]

# Where the walk stops: the database as walking back from the latest migrations to these would leave it.
BEFORE_THE_QUESTIONNAIRE_MOVE = [("causes", "0002_questionnaire"), ("questionnaire", None)]
BEFORE_THE_SIGNS = [("causes", "0003_questionnaire_moved_to_its_own_app")]
BEFORE_THE_SITE_PAGES = [("causes", "0014_moved_pages_lead_only_to_pages")]
BEFORE_THE_GLOSSARY_MOVE = [
    ("causes", "0019_site_pages_and_wording_get_scheduled_changes_and_no_draft_review_date"),
    ("glossary", None),
]
BEFORE_THE_SYNONYM_MOVE = [("causes", "0020_glossary_terms_move_to_their_app"), ("search", None)]
BEFORE_THE_CHANGES = [  # issue 26: changes waiting for review move out of the items' history tables
    ("editorial", "0002_changes_apart_from_history"),
    ("causes", "0023_source_accessed_may_be_empty"),
    ("glossary", "0001_glossary_terms_move_to_their_app"),
    ("search", "0001_synonyms_move_to_search"),
    ("questionnaire", "0011_question_asked_if"),
]
LATEST: list[tuple[str, str | None]] = []  # the latest migration of each app (no app is walked back)

NEW_TABLES = {"editorial_sendback", "editorial_editorrequest", "accounts_emailchoice"}
OLD_ADVICE = """See a doctor if the twitching lasts more than **2 weeks**.

- you have numbness in your foot
- it keeps coming back

Call 999 if your foot suddenly goes cold and pale.

Get help today from 111 if weakness gets worse."""
STATES = ("waiting", "scheduled", "approved", "discarded")


def _go(targets):
    """Migrate, from wherever the database is, to where walking back from the latest migrations to `targets`
    would leave it; then run what `manage.py migrate` runs after (content types, permissions). The models then."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    dropped = set()
    for app, name in targets:
        firsts = graph.root_nodes(app) if name is None else [n.key for n in graph.node_map[(app, name)].children]
        for first in firsts:
            if first[0] == app:
                dropped.update(graph.backwards_plan(first))
    kept = set(graph.nodes) - dropped
    ends = [
        (app, max((name for a, name in kept if a == app), default=None)) for app in sorted({a for a, _ in graph.nodes})
    ]
    plan = executor.migration_plan(ends)
    executor.migrate(ends, plan=plan)
    loader = MigrationExecutor(connection).loader
    state = loader.project_state(list(loader.applied_migrations))
    emit_post_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
    return state.apps


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def _schema() -> dict[str, tuple]:
    """Every table's columns and constraints, as the database describes them."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return {
            table: (
                sorted(
                    (column.name, str(column.type_code), column.null_ok)
                    for column in introspection.get_table_description(cursor, table)
                ),
                introspection.get_constraints(cursor, table),
            )
            for table in introspection.table_names(cursor)
        }


def _content_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Source, Remedy, Cause, Faq, WarningSign, Question, Option, OptionWeight)
    }


def _codenames(role: str, app_label: str | None = None) -> set[str]:
    permissions = Permission.objects.filter(group__name=role)
    if app_label:
        permissions = permissions.filter(content_type__app_label=app_label)
    return set(permissions.values_list("codename", flat=True))


def _seed_old_layout(apps) -> set[tuple[str, str, str, int]]:
    """Load the seed questionnaire (and the causes it weights) through the models as they were before the move."""
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


def _changes_in_the_history(apps, author, reviewer) -> tuple[int, list[dict], int]:
    """A live cause whose history holds a saved version and a change in each review state, one of them sent back."""
    fields = {"category": "nerves", "body": "b", "self_care": "c", "reviewed_by": "", "status": "published"}
    cause = apps.get_model("causes", "Cause").objects.create(
        slug="waiting-changes", title="Waiting changes", summary="The live summary.", **fields
    )
    history = apps.get_model("causes", "HistoricalCause")
    names = {field.attname for field in history._meta.concrete_fields}
    values = {f.attname: getattr(cause, f.attname) for f in cause._meta.concrete_fields if f.attname in names}
    saved = history.objects.create(**values, history_date=timezone.now(), history_type="+", history_user_id=author.pk)
    later = timezone.now() + datetime.timedelta(days=3)
    rows = []
    for n, state in enumerate(STATES):
        row = history.objects.create(
            **{
                **values,
                "summary": f"A {state} summary.",
                "history_date": saved.history_date + datetime.timedelta(minutes=n + 1),
                "history_type": "~",
                "history_user_id": author.pk,
                "history_change_reason": f"Reason for the {state} change.",
                "review": state,
                "goes_live_at": later if state == "scheduled" else None,
                "scheduled_by_id": reviewer.pk if state in ("scheduled", "approved") else None,
            }
        )
        kept = ("history_id", "history_user_id", "history_date", "history_change_reason", "goes_live_at")
        rows.append({name: getattr(row, name) for name in (*kept, "scheduled_by_id", "body", "review", "summary")})
    content_type = apps.get_model("contenttypes", "ContentType").objects.get(app_label="causes", model="cause")
    apps.get_model("editorial", "SendBack").objects.create(
        content_type=content_type, object_id=str(cause.pk), title="t", history_id=rows[0]["history_id"], note="Rework."
    )
    return cause.pk, rows, content_type.pk


def _moving(apps, model: str, names: dict[str, str], field: str, values: tuple[str, str]) -> None:
    """A published causes item about to move to its own app, and an older draft of it in its history."""
    live, older = values
    item = apps.get_model("causes", model).objects.create(**names, **{field: live}, status="published")
    when = "2026-12-01T10:00:00Z"
    apps.get_model("causes", f"Historical{model}").objects.create(
        id=item.pk,
        **names,
        **{field: older},
        status="draft",
        history_type="+",
        history_date=when,
        created=when,
        updated=when,
    )


def _role_holding(role: str, codename: str) -> str:
    """A role of the site's own holding one permission of the items about to move; the app the permission is in."""
    permission = Permission.objects.get(codename=codename)
    Group.objects.create(name=role).permissions.add(permission)
    return permission.content_type.app_label


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    """Walk the history once, writing old rows at each stop; what each stop found, for the tests to check."""
    seen: dict[str, object] = {}
    with django_db_blocker.unblock():
        load_seed()  # the data migrations' reverse functions run over real rows
        seen["seeded"], seen["schema"] = _content_counts(), _schema()

        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        MigrationExecutor(connection).migrate([(app, None) for app in sorted({app for app, _ in leaves})])
        seen["tables at zero"] = sorted(_tables())

        old = _go(BEFORE_THE_QUESTIONNAIRE_MOVE)
        seen["new tables before the move"] = NEW_TABLES & _tables()
        seen["old questionnaire table"] = "causes_question" in _tables()
        seen["weights"] = _seed_old_layout(old)
        question_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="causes", model="question")
        editor = get_user_model().objects.create_user("editor")
        old.get_model("admin", "LogEntry").objects.create(
            user_id=editor.pk,
            content_type_id=question_type.pk,
            object_id=str(old.get_model("causes", "Question").objects.get(key="how-long").pk),
            object_repr="How long",
            action_flag=CHANGE,
            change_message="Reworded by an editor.",
        )

        old = _go(BEFORE_THE_SIGNS)
        fields = {"category": "nerves", "summary": "s", "body": "b", "self_care": "c", "status": "published"}
        old.get_model("causes", "Cause").objects.create(
            slug="cold-feet", title="Cold feet", see_doctor=OLD_ADVICE, **fields
        )

        _go(BEFORE_THE_SITE_PAGES)
        for role in ("Editors", "Clinical reviewers"):
            Group.objects.get_or_create(name=role)
        seen["site pages before, going forward"] = _site_pages()

        old = _go(BEFORE_THE_GLOSSARY_MOVE)
        _moving(
            old,
            "GlossaryTerm",
            {"term": "myoclonus", "slug": "myoclonus"},
            "meaning",
            ("A quick jerk of a muscle.", "An older meaning."),
        )
        seen["glossary permission's app before"] = _role_holding("Glossary checkers", "approve_glossaryterm")

        old = _go(BEFORE_THE_SYNONYM_MOVE)
        _moving(old, "Synonym", {"phrase": "pins and needles"}, "means", ("tingling", "prickling"))
        seen["synonym permission's app before"] = _role_holding("Synonym keepers", "change_synonym")

        old = _go(BEFORE_THE_CHANGES)
        author = get_user_model().objects.create_user("author")
        reviewer = get_user_model().objects.create_user("reviewer")
        cause_id, rows, cause_type = _changes_in_the_history(old, author, reviewer)
        seen["history rows"], seen["cause"] = rows, (cause_type, str(cause_id))

        new = _go(LATEST)
        seen["new tables"] = NEW_TABLES & _tables()
        seen["schema after"] = _schema()
        tables = _tables()
        seen["questionnaire tables"] = ("questionnaire_question" in tables, "causes_question" in tables)
        seen["questions"] = (Question.objects.count(), Option.objects.count())
        seen["moved weights"] = {
            (w.option.question.key, w.option.label, w.cause.slug, w.weight)
            for w in OptionWeight.objects.select_related("option__question", "cause")
        }
        entry = LogEntry.objects.get(change_message="Reworded by an editor.")
        seen["edited question"] = entry.get_edited_object() == Question.objects.get(key="how-long")
        signs = WarningSign.objects.filter(causes=Cause.objects.get(slug="cold-feet")).order_by("order")
        seen["signs"] = [(sign.level, sign.text) for sign in signs]
        seen["site pages after, going forward"] = _site_pages()
        seen["glossary after"] = (
            new.get_model("glossary", "GlossaryTerm").objects.get(slug="myoclonus").meaning,
            new.get_model("glossary", "HistoricalGlossaryTerm").objects.get().meaning,
            _codenames("Glossary checkers", "glossary"),
        )
        seen["synonyms after"] = (
            new.get_model("search", "Synonym").objects.get(phrase="pins and needles").means,
            new.get_model("search", "HistoricalSynonym").objects.get().means,
            _codenames("Synonym keepers", "search"),
            _codenames("Clinical reviewers", "search"),
        )
        seen["saved versions after"] = new.get_model("causes", "HistoricalCause").objects.filter(id=cause_id).count()
        seen["changes"] = list(new.get_model("editorial", "Change").objects.order_by("created").values())
        seen["sent back change"] = new.get_model("editorial", "SendBack").objects.get().change_id

        old = _go(BEFORE_THE_CHANGES)
        history = old.get_model("causes", "HistoricalCause")
        seen["history rows back"] = list(
            history.objects.filter(id=cause_id).exclude(review="").order_by("history_date").values()
        )
        seen["saved versions back"] = history.objects.filter(id=cause_id, review="").count()
        seen["changes back"] = old.get_model("editorial", "Change").objects.count()
        seen["sent back row back"] = old.get_model("editorial", "SendBack").objects.get().history_id

        old = _go(BEFORE_THE_SYNONYM_MOVE)
        seen["synonyms back"] = (
            old.get_model("causes", "Synonym").objects.get(phrase="pins and needles").means,
            old.get_model("causes", "HistoricalSynonym").objects.get().means,
            _codenames("Synonym keepers", "causes"),
        )

        old = _go(BEFORE_THE_GLOSSARY_MOVE)
        seen["glossary back"] = (
            old.get_model("causes", "GlossaryTerm").objects.get(slug="myoclonus").meaning,
            _codenames("Glossary checkers", "causes"),
        )

        _go(BEFORE_THE_SITE_PAGES)
        seen["site pages before, going back"] = _site_pages()
        new = _go(LATEST)
        seen["site pages after, going back"] = _site_pages()
        seen["changes after going back past scheduling"] = list(
            new.get_model("editorial", "Change").objects.order_by("created").values_list("state", "goes_live_at")
        )
        seen["schema at the end"] = _schema()

        call_command("flush", interactive=False, verbosity=0)  # the seed loads as onto a new site
        make_the_migrated_roles_again()
        load_seed()
        seen["seeded again"] = _content_counts()
        yield seen
        call_command("flush", interactive=False, verbosity=0)
        make_the_migrated_roles_again()


def _site_pages() -> dict[str, object]:
    tables = _tables()
    return {
        "tables": {"causes_sitepage", "causes_urgencywording"} & tables,
        "editors": _codenames("Editors"),
        "reviewers": _codenames("Clinical reviewers"),
    }


def test_every_app_migrates_to_nothing_and_back_on_a_seeded_database(walk):
    assert walk["tables at zero"] == ["django_migrations"]
    assert walk["schema after"] == walk["schema"]
    assert walk["schema at the end"] == walk["schema"]
    assert walk["seeded again"] == walk["seeded"]


def test_the_send_back_request_and_email_tables_come_and_go_with_their_migrations(walk):
    assert not NEW_TABLES & set(walk["tables at zero"])
    assert walk["new tables before the move"] == NEW_TABLES  # their migrations come before the first stop
    assert walk["new tables"] == NEW_TABLES


def test_a_seeded_database_migrates_across_the_questionnaire_move_with_every_row_and_its_history(walk):
    assert walk["old questionnaire table"]
    assert walk["questionnaire tables"] == (True, False)
    seeded = tomllib.loads((ROOT / "questionnaire/seed/questionnaire.toml").read_text())["questions"]
    questions, options = walk["questions"]
    assert questions == len(seeded) and options > 40
    assert walk["moved weights"] == walk["weights"] and len(walk["weights"]) > 100
    assert walk["edited question"]


def test_old_advice_becomes_signs_at_their_own_levels_without_losing_a_word(walk):
    assert walk["signs"] == [
        ("see_doctor", "See a doctor if the twitching lasts more than **2 weeks**."),
        ("see_doctor", "you have numbness in your foot"),
        ("see_doctor", "it keeps coming back"),
        ("emergency", "Call 999 if your foot suddenly goes cold and pale."),
        ("urgent", "Get help today from 111 if weakness gets worse."),
    ]
    words = " ".join(text for _, text in walk["signs"]).split()
    assert words == OLD_ADVICE.replace("- ", "").split()


@pytest.mark.parametrize("way", ["going forward", "going back"])
def test_the_site_pages_migration_reverses_and_gives_the_roles_the_new_permissions(walk, way):
    before, after = walk[f"site pages before, {way}"], walk[f"site pages after, {way}"]
    assert not before["tables"] and "approve_sitepage" not in before["reviewers"]
    assert after["tables"] == {"causes_sitepage", "causes_urgencywording"}
    assert {"add_sitepage", "change_sitepage", "change_urgencywording"} <= after["editors"]
    assert not {"approve_sitepage", "approve_urgencywording", "delete_sitepage"} & after["editors"]
    assert {"approve_sitepage", "approve_urgencywording", "delete_urgencywording"} <= after["reviewers"]


def test_glossary_terms_their_history_and_a_roles_permission_survive_the_move_both_ways(walk):
    assert walk["glossary permission's app before"] == "causes"
    meaning, older, permissions = walk["glossary after"]
    assert (meaning, older) == ("A quick jerk of a muscle.", "An older meaning.")
    assert "approve_glossaryterm" in permissions
    assert walk["glossary back"] == ("A quick jerk of a muscle.", {"approve_glossaryterm"})


def test_synonyms_their_history_and_a_roles_permission_survive_the_move_both_ways(walk):
    assert walk["synonym permission's app before"] == "causes"
    means, older, permissions, reviewers = walk["synonyms after"]
    assert (means, older) == ("tingling", "prickling")
    assert "change_synonym" in permissions
    assert "approve_synonym" in reviewers  # synonyms pass sign-off (0021): the grant moves too
    assert walk["synonyms back"] == ("tingling", "prickling", {"change_synonym"})


def test_every_waiting_and_scheduled_change_moves_out_of_the_history_and_back(walk):
    rows, changes = walk["history rows"], walk["changes"]
    assert walk["saved versions after"] == 1  # only the saved version stays in the history
    assert [(change["state"], change["text"]["summary"]) for change in changes] == [
        (state, f"A {state} summary.") for state in STATES
    ]
    for change, row in zip(changes, rows, strict=True):
        assert (change["author_id"], change["created"], change["note"]) == (
            row["history_user_id"],
            row["history_date"],
            row["history_change_reason"],
        )
        assert (change["goes_live_at"], change["scheduled_by_id"]) == (row["goes_live_at"], row["scheduled_by_id"])
        assert (change["content_type_id"], change["object_id"]) == walk["cause"]
        assert change["text"]["body"] == row["body"]  # the whole medical text as proposed
    assert walk["sent back change"] == changes[0]["id"]

    back = walk["history rows back"]
    assert [(row["review"], row["summary"]) for row in back] == [(row["review"], row["summary"]) for row in rows]
    kept = ("history_user_id", "history_date", "history_change_reason", "goes_live_at", "scheduled_by_id", "body")
    for row, was in zip(back, rows, strict=True):
        assert [row[name] for name in kept] == [was[name] for name in kept]
    assert walk["saved versions back"] == 1
    assert walk["changes back"] == 0
    assert walk["sent back row back"] == back[0]["history_id"]


def test_a_scheduled_change_taken_back_to_before_scheduling_waits_for_review_again(walk):
    """Its time goes with the column that held it: it comes forward waiting, never scheduled with no time."""
    assert walk["changes after going back past scheduling"] == [
        ("waiting", None),
        ("waiting", None),
        ("approved", None),
        ("discarded", None),
    ]
