"""Services own their rules: every action that changes what readers see, called as each role outside the admin.

Each action is one function that decides who may do it and raises PermissionDenied otherwise, so a
management command, the shell or a scheduled job meets the same rule as the admin. In each scenario
"author" is a clinical reviewer who wrote the text in question; "reviewer" is a second clinical
reviewer who wrote none of it; "editor" is in the Editors role.
"""

import ast
import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from causes.models import Cause, Source
from editorial import publishing, review, scheduling
from editorial.lifecycle import Status
from editorial.models import Change
from questionnaire import releases
from questionnaire.models import Option, Release
from tests.conftest import in_role

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "author", "reviewer")
TOMORROW = datetime.timedelta(days=1)


@pytest.fixture
def people(django_user_model) -> dict:
    def person(name: str, role: str):
        return in_role(django_user_model.objects.create_user(name), role)

    return {
        "anonymous": AnonymousUser(),
        "editor": person("editor", "Editors"),
        "author": person("author", "Clinical reviewers"),
        "reviewer": person("reviewer", "Clinical reviewers"),
    }


def _fresh(cause: Cause) -> Cause:
    return Cause.objects.get(pk=cause.pk)


def _authors_draft(make_cause, people) -> Cause:
    draft = make_cause(status=Status.DRAFT)
    draft.body = "The author's body."
    review.save(draft, people["author"], "Draft edit.")
    return draft


def _authors_waiting_change(make_cause, people):
    cause = make_cause()
    review.propose(cause, {"summary": "The author's summary."}, people["author"])
    return cause, Change.objects.of(cause).get(state="waiting")


def publish(make_cause, people) -> Callable:
    draft = _authors_draft(make_cause, people)
    return lambda user: publishing.set_status(_fresh(draft), Status.PUBLISHED, user, "Published.")


def withdraw(make_cause, people) -> Callable:
    cause = make_cause()
    return lambda user: publishing.set_status(_fresh(cause), Status.DRAFT, user, "Withdrawn.")


def approve(make_cause, people) -> Callable:
    cause, revision = _authors_waiting_change(make_cause, people)
    return lambda user: review.approve(_fresh(cause), revision, user)


def approve_and_schedule(make_cause, people) -> Callable:
    cause, revision = _authors_waiting_change(make_cause, people)
    return lambda user: scheduling.schedule(_fresh(cause), revision, timezone.now() + TOMORROW, user)


def cancel(make_cause, people) -> Callable:
    """The author's change, scheduled by the reviewer: the reviewer may take it off the schedule."""
    cause, revision = _authors_waiting_change(make_cause, people)
    scheduling.schedule(cause, revision, timezone.now() + TOMORROW, people["reviewer"])
    return lambda user: scheduling.cancel(_fresh(cause), Change.objects.get(pk=revision.pk), user)


def discard(make_cause, people) -> Callable:
    cause, revision = _authors_waiting_change(make_cause, people)
    return lambda user: review.discard(_fresh(cause), revision, user)


def _put_back(cause: Cause, change: Change, user, status: str | None = None) -> str:
    """A discarded change is not a version to revert to: its text is put back as an edit, as a revert saves one."""
    item = _fresh(cause)
    for name, value in change.text.items():
        setattr(item, name, value)
    item.status = status or item.status
    return publishing.save_edit(item, user, change=True, save=lambda: review.save(item, user, "Put back."))


def put_back_discarded_text(make_cause, people) -> Callable:
    """A live page given the author's discarded text again: on a live page it waits for review."""
    cause, revision = _authors_waiting_change(make_cause, people)
    review.discard(cause, revision, people["author"])

    def act(user):
        assert _put_back(cause, revision, user) == "waiting"

    return act


def put_back_discarded_text_and_publish(make_cause, people) -> Callable:
    """A withdrawn page given the author's discarded text again and published in one step: the text is the
    author's and the one who put it back, so nobody here may; a reviewer who did neither approves it later."""
    cause, revision = _authors_waiting_change(make_cause, people)
    review.discard(cause, revision, people["author"])
    publishing.set_status(cause, Status.DRAFT, people["reviewer"], "Withdrawn.")
    return lambda user: _put_back(cause, revision, user, status=Status.PUBLISHED)


def _authors_unapproved_version(make_cause, people):
    """A live page with an older saved version holding the author's text, never approved (a draft edit)."""
    cause = make_cause(status=Status.DRAFT)
    cause.summary, original = "The author's summary.", cause.summary
    review.save(cause, people["author"], "Draft edit.")
    version = cause.history.first()
    cause.summary = original
    review.save(cause, cause.history.last().history_user, "Draft edit undone.")
    publishing.set_status(_fresh(cause), Status.PUBLISHED, people["reviewer"], "Published.")
    return cause, version


def revert(make_cause, people) -> Callable:
    """A live page put back to the author's unapproved version: on a live page it waits for review."""
    cause, version = _authors_unapproved_version(make_cause, people)

    def act(user):
        assert publishing.revert(_fresh(cause), version, user) == "waiting"

    return act


def revert_and_publish(make_cause, people) -> Callable:
    """A withdrawn page put back to the author's unapproved version and published in one step: the text is the
    author's and the reverter's, so nobody here may; a reviewer who did neither approves it later."""
    cause, version = _authors_unapproved_version(make_cause, people)
    publishing.set_status(_fresh(cause), Status.DRAFT, people["reviewer"], "Withdrawn.")
    return lambda user: publishing.revert(_fresh(cause), version, user, status=Status.PUBLISHED)


def mark_reviewed(make_cause, people) -> Callable:
    draft = _authors_draft(make_cause, people)
    return lambda user: publishing.mark_reviewed(_fresh(draft), user)


def set_a_publish_time(make_cause, people) -> Callable:
    draft = make_cause(status=Status.DRAFT)
    return lambda user: publishing.set_publish_time(_fresh(draft), timezone.now() + TOMORROW, user)


def publish_new_with_its_draft_source(make_cause, people) -> Callable:
    """The author's new cause with a draft source the author added: both published in one step."""
    draft = _authors_draft(make_cause, people)
    source = make_source_draft(people["author"])
    draft.sources.add(source)
    return lambda user: publishing.publish_new(_fresh(draft), user, linked=[source])


def make_source_draft(author) -> Source:
    source = Source.objects.create(title="A draft source", publisher="NHS", url="https://www.nhs.uk/x/")
    source.history.update(history_user=author)
    return source


def release_the_questionnaire(make_cause, people) -> Callable:
    from tests.conftest import load_seed

    load_seed()
    option = Option.objects.get(question__key="how-long", label="A few days")
    option.label = "Two or three days"
    option._history_user = people["author"]
    option.save()
    return releases.release


# Each action, the one function that decides it, and the roles it allows (the rest are refused).
ACTIONS = {
    publish: ("publishing.set_status", {"reviewer"}),
    withdraw: ("publishing.set_status", {"author", "reviewer"}),
    approve: ("review.approve", {"reviewer"}),
    approve_and_schedule: ("scheduling.schedule", {"reviewer"}),
    cancel: ("scheduling.cancel", {"reviewer"}),
    discard: ("review.discard", {"author", "reviewer"}),
    revert: ("publishing.revert", {"editor", "author", "reviewer"}),
    revert_and_publish: ("publishing.revert", set()),
    put_back_discarded_text: ("publishing.save_edit", {"editor", "author", "reviewer"}),
    put_back_discarded_text_and_publish: ("publishing.save_edit", set()),
    mark_reviewed: ("publishing.mark_reviewed", {"reviewer"}),
    publish_new_with_its_draft_source: ("publishing.publish_new", {"reviewer"}),
    set_a_publish_time: ("publishing.set_publish_time", {"author", "reviewer"}),
    release_the_questionnaire: ("releases.release", {"reviewer"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
def test_each_action_decides_for_each_role_outside_the_admin(action, role, make_cause, people):
    act = action(make_cause, people)
    if role in ACTIONS[action][1]:
        act(people[role])
    else:
        with pytest.raises(PermissionDenied):
            act(people[role])


def test_a_refused_action_changes_nothing(make_cause, people):
    cause, revision = _authors_waiting_change(make_cause, people)
    before = [list(cause.history.values_list("history_id")), list(Change.objects.of(cause).values_list("pk", "state"))]
    for user in (people["anonymous"], people["editor"], people["author"]):
        for act in (review.approve, lambda item, rev, who: scheduling.schedule(item, rev, timezone.now(), who)):
            with pytest.raises(PermissionDenied):
                act(_fresh(cause), revision, user)
    assert [
        list(cause.history.values_list("history_id")),
        list(Change.objects.of(cause).values_list("pk", "state")),
    ] == before
    assert _fresh(cause).summary != "The author's summary." and Release.objects.count() == 0


def test_a_schedule_outside_its_window_is_refused_for_every_caller(make_cause, people):
    cause, revision = _authors_waiting_change(make_cause, people)
    for at in (timezone.now() - TOMORROW, timezone.now() + 400 * TOMORROW):
        with pytest.raises(PermissionDenied):
            scheduling.schedule(_fresh(cause), revision, at, people["reviewer"])


def test_a_future_publish_time_on_a_live_page_is_refused_even_for_a_reviewer(make_cause, people):
    cause = make_cause()
    with pytest.raises(PermissionDenied):
        publishing.set_publish_time(cause, timezone.now() + TOMORROW, people["reviewer"])
    assert _fresh(cause).is_live


# --- The admin decides nothing on its own -------------------------------------------------------

ADMINS = ("editorial/admin.py", "questionnaire/admin.py")
# What only a service may look at: who has which permission, and who wrote or scheduled what.
DECIDING = {
    "has_perm",
    "has_perms",
    "is_superuser",
    "groups",
    "history_user_id",
    "author_id",
    "scheduled_by_id",
    "by_id",
}


@pytest.mark.parametrize("path", ADMINS)
def test_the_admin_checks_no_permission_on_its_own(path):
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text(encoding="utf-8"))
    found = sorted(
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in DECIDING
    )
    assert not found, f"{path} decides who may act itself; call the service that decides: {found}"


def test_the_check_above_finds_an_admin_that_decides_for_itself():
    tree = ast.parse("if request.user.has_perm('causes.approve_cause') and revision.history_user_id != 1: pass")
    assert {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} & DECIDING
