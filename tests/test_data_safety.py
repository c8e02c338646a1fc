"""Data safety: backups bring back every row, deletes never cascade silently (migrations: test_migration_history.py)."""

import json
import re

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.urls import reverse

from causes.models import Cause, Faq, MovedPage, Remedy, Source, WarningSign
from questionnaire.models import Option, OptionWeight, Question
from tests.conftest import load_seed

# --- Backup and restore -------------------------------------------------------------------------

# What a backup must bring back: every model of these apps, many-to-many links included (by the pair
# of rows they join; a link row's own id means nothing). Permissions and content types are made by
# migrate, so rows are compared by their natural keys.
KEPT_APPS = ["causes", "questionnaire", "auth", "admin"]
MADE_BY_MIGRATE = (ContentType, Permission)


def _every_row() -> dict[str, list[dict]]:
    natural = {model: {row.pk: row.natural_key() for row in model.objects.all()} for model in MADE_BY_MIGRATE}
    every = {}
    for label in KEPT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model in MADE_BY_MIGRATE:
                continue
            by_key = [field.attname for field in model._meta.fields if field.related_model in MADE_BY_MIGRATE]
            rows = [
                {**row, **{name: natural[model._meta.get_field(name).related_model].get(row[name]) for name in by_key}}
                for row in model._base_manager.order_by("pk").values()
            ]
            if model._meta.auto_created:
                rows = sorted(({k: v for k, v in row.items() if k != "id"} for row in rows), key=str)
            every[model._meta.label] = rows
    return every


def _editors_and_history() -> None:
    """Rows for every model the seed leaves empty: an editor in a group, with a permission and a history."""
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password")
    group, _ = Group.objects.get_or_create(name="Clinical reviewers")
    group.permissions.set(Permission.objects.filter(content_type__app_label="causes"))
    editor.groups.add(group)
    editor.user_permissions.add(Permission.objects.get(codename="change_question"))
    cause = Cause.objects.first()
    cause.related.add(Cause.objects.last())
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Cause),
        object_id=str(cause.pk),
        object_repr=str(cause),
        action_flag=CHANGE,
        change_message="Reviewed the self-care advice.",
    )


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_back_every_row_identical(tmp_path, make_cause):
    load_seed()
    _editors_and_history()
    MovedPage.objects.create(old_path="/causes/an-old-name/", item=Cause.objects.first())
    before = _every_row()
    assert [label for label, rows in before.items() if not rows] == []  # every model has rows to lose
    path = tmp_path / "toesite.json"

    call_command("backup", path, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert Cause.objects.count() == 0
    call_command("restore", path, verbosity=0)

    assert _every_row() == before
    make_cause()  # the ids carry on after the restored ones (PostgreSQL's sequences were reset)


def test_restore_refuses_a_database_that_already_has_content(seeded, tmp_path):
    path = tmp_path / "toesite.json"
    call_command("backup", path, verbosity=0)
    Cause.objects.filter(slug="harmless-twitches").update(title="Changed after the backup")

    with pytest.raises(CommandError, match="already holds .*causes"):
        call_command("restore", path, verbosity=0)
    assert Cause.objects.get(slug="harmless-twitches").title == "Changed after the backup"


@pytest.mark.django_db(transaction=True)  # flush and restore as on a real database, not inside a test's transaction
def test_a_restore_that_fails_part_way_loads_nothing(tmp_path):
    load_seed()
    path = tmp_path / "toesite.json"
    call_command("backup", path, verbosity=0)
    rows = json.loads(path.read_text())
    path.write_text(json.dumps([*rows, {"model": "causes.cause", "pk": 1, "fields": {"no_such_field": 1}}]))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(DeserializationError, match="no_such_field"):
        call_command("restore", path, verbosity=0)
    assert (Source.objects.count(), Cause.objects.count(), OptionWeight.objects.count()) == (0, 0, 0)


def test_backup_never_overwrites_and_only_its_owner_can_read_it(db, tmp_path):
    path = tmp_path / "toesite.json"
    call_command("backup", path, verbosity=0)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds password hashes

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", path, verbosity=0)


# --- Deleting content never cascades silently -----------------------------------------------------


def _text(response) -> str:
    """The page as a person reads it: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" ”", "”").replace("“ ", "“")


@pytest.fixture
def weighted_cause(make_cause):
    """A cause two questionnaire answers point to."""
    cause = make_cause(title="Cramp")
    question = Question.objects.create(key="when", text="When does it happen?", status="published")
    for label in ("After exercise", "At night"):
        OptionWeight.objects.create(option=Option.objects.create(question=question, label=label), cause=cause, weight=2)
    return cause


def _delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def _bulk_delete(client, model, pks, **extra):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: pks, **extra})


@pytest.mark.django_db
def test_deleting_a_cause_the_questionnaire_weights_is_refused_naming_the_answers(editor_client, weighted_cause):
    page = _text(editor_client.get(_delete_url(weighted_cause)))
    assert "The cause “Cramp” can’t be deleted: the questionnaire answers below still weight it." in page
    assert "Cause weight on answer option “when: After exercise”" in page
    assert "Cause weight on answer option “when: At night”" in page
    assert "Yes, I’m sure" not in page

    response = editor_client.post(_delete_url(weighted_cause), {"post": "yes"})
    assert response.status_code == 200 and "can’t be deleted" in _text(response)
    assert Cause.objects.filter(pk=weighted_cause.pk).exists()
    assert weighted_cause.option_weights.count() == 2


@pytest.mark.django_db
def test_bulk_delete_with_a_weighted_cause_deletes_nothing_and_names_the_answers(
    editor_client, weighted_cause, make_cause
):
    unweighted = make_cause(title="Caffeine")
    response = _bulk_delete(editor_client, Cause, [weighted_cause.pk, unweighted.pk], post="yes")

    page = _text(response)
    assert response.status_code == 200
    assert "The selected causes can’t be deleted: the questionnaire answers below still weight them." in page
    assert "Cause weight on answer option “when: After exercise”" in page
    assert "Cause weight on answer option “when: At night”" in page
    assert Cause.objects.filter(pk__in=[weighted_cause.pk, unweighted.pk]).count() == 2


@pytest.mark.django_db
def test_confirmation_names_every_remedy_faq_sign_and_source_that_loses_its_link(
    editor_client, make_cause, make_remedy, make_faq, make_source
):
    cause, remedy, faq, source = (
        make_cause(title="Low magnesium"),
        make_remedy(title="Eat greens"),
        make_faq(),
        make_source(title="NHS magnesium"),
    )
    sign = WarningSign.objects.create(key="weak", text="your foot feels weak", level="see_doctor", status="published")
    cause.remedies.add(remedy)
    cause.sources.add(source)
    faq.causes.add(cause)
    sign.causes.add(cause)
    lines = [
        "Link to remedy “Eat greens” (the remedy itself stays)",
        f"Link to FAQ “{faq.question}” (the FAQ itself stays)",
        "Link to warning sign “See a doctor: your foot feels weak” (the warning sign itself stays)",
        "Link to source “NHS magnesium (Test Publisher)” (the source itself stays)",
        "Links to remedies: 1",
        "Links to FAQs: 1",
    ]
    assert "Remedies:" not in _text(editor_client.get(_delete_url(cause)))  # no remedy goes

    single = _text(editor_client.get(_delete_url(cause)))
    bulk = _text(_bulk_delete(editor_client, Cause, [cause.pk]))
    assert [line for line in lines if line not in single] == []
    assert [line for line in lines if line not in bulk] == []

    assert editor_client.post(_delete_url(cause), {"post": "yes"}).status_code == 302
    assert not Cause.objects.filter(pk=cause.pk).exists()
    assert Remedy.objects.filter(pk=remedy.pk).exists() and Faq.objects.filter(pk=faq.pk).exists()
    assert WarningSign.objects.filter(pk=sign.pk).exists() and list(remedy.causes.all()) == []


@pytest.mark.django_db
def test_an_answer_with_weights_cannot_be_deleted_unseen_from_its_questions_page(editor_client, weighted_cause):
    question = Question.objects.get(key="when")
    options = list(question.options.all())
    form = {"text": question.text, "key": question.key, "kind": question.kind, "order": "0", "status": "published"}
    form |= {"last_reviewed": "2026-11-21", "next_review_due": "2027-11-21"}
    form |= {"options-TOTAL_FORMS": str(len(options)), "options-INITIAL_FORMS": str(len(options))}
    for n, option in enumerate(options):
        form |= {f"options-{n}-{name}": getattr(option, name) for name in ("id", "label", "order", "group")}
        form |= {f"options-{n}-question": question.pk, f"options-{n}-DELETE": "on"}

    response = editor_client.post(reverse("admin:questionnaire_question_change", args=[question.pk]), form)
    assert response.status_code == 302
    assert question.options.count() == 2 and weighted_cause.option_weights.count() == 2

    page = _text(editor_client.get(_delete_url(options[0])))  # its own page lists what goes with it
    assert "Cause weight “After exercise → Cramp: +2”" in page


@pytest.mark.django_db
def test_confirmation_for_a_warning_sign_names_the_answers_that_lose_it(editor_client):
    sign = WarningSign.objects.create(key="cold", text="your foot goes cold", level="emergency", status="published")
    question = Question.objects.create(key="red-flags", text="Any of these?", red_flag=True)
    Option.objects.create(question=question, label="Cold foot", urgency="emergency", advice="Call 999.", sign=sign)

    page = _text(editor_client.get(_delete_url(sign)))
    assert "Answer option “red-flags: Cold foot” stays, without its sign" in page


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "abc", "9" * 30, "-1", "1%00"])
def test_delete_page_of_an_item_that_does_not_exist_is_no_error(editor_client, pk):
    url = reverse("admin:causes_cause_delete", args=["0"]).replace("/0/", f"/{pk}/")
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("pks", [["abc"], ["9" * 30], ["", "1"], ["1 OR 1=1"], ["999999"]])
def test_bulk_delete_with_hostile_ids_is_no_error_and_deletes_nothing(editor_client, weighted_cause, make_cause, pks):
    make_cause()
    response = _bulk_delete(editor_client, Cause, pks, post="yes")
    assert response.status_code < 500
    assert Cause.objects.count() == 2


def test_every_model_editors_write_is_backed_up_wherever_its_app_is():
    """A model moved to another app (glossary terms, from causes) must not drop out of the backup, nor the
    changes waiting for review now that they are apart from the history."""
    from django.apps import apps

    from core.management.commands.backup import backed_up_models
    from editorial.models import Change, Publishable, SendBack

    written = {model for model in apps.get_models() if issubclass(model, Publishable)}
    history = {model.history.model for model in written}
    assert written | history | {Change, SendBack} <= set(backed_up_models())
