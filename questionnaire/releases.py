"""Releasing the questionnaire: the one home of what changed since the last release, who may release
it, the safety gate, and making the release.

Readers get the questionnaire as the latest release approved it. The admin's changes page, the
admin home page's inbox line, `manage.py load_questionnaire` and the tests all call these; none
decides on its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from editorial import review

from . import safety, selectors
from .matching import CauseMatch, match
from .models import Option, OptionWeight, Question, Release

APPROVE = "questionnaire.approve_questionnaire"


@dataclass(frozen=True)
class Change:
    kind: str  # "question", "answer option", ...
    item: str
    action: str  # Added, Changed, Deleted
    by: str
    by_id: int | None
    at: datetime.datetime
    fields: list[tuple[str, str, str]]  # (field, old, new)


def _question_name(record) -> str:
    return record.text


def _option_name(record) -> str:
    return f"{record.question.key if record.question else '(deleted question)'}: {record.label}"


def _weight_name(record) -> str:
    option = record.option.label if record.option else "(deleted answer)"
    cause = record.cause.title if record.cause else "(deleted cause)"
    return f"{option} → {cause}: {record.weight:+d}"


# Each revision's name, from its own row and the rows it points to (joined in the same query).
NAMED = (
    (Question, _question_name, ()),
    (Option, _option_name, ("question",)),
    (OptionWeight, _weight_name, ("option", "cause")),
)


def changes_since(released: Release | None) -> list[Change]:
    """Every saved change to questions, answers and weights after this release, newest first (2 queries a model)."""
    changes = []
    for model, name, joined in NAMED:
        records = model.history.select_related("history_user", *joined)
        if released is not None:
            records = records.filter(history_date__gt=released.approved_at)
        records = list(records)
        # Each changed revision's previous one, from one query over the same items' whole history.
        earlier = model.history.filter(id__in={r.id for r in records if r.history_type == "~"})
        previous, last = {}, {}
        for revision in earlier.order_by("id", "history_date", "history_id"):
            previous[revision.history_id] = last.get(revision.id)
            last[revision.id] = revision
        for record in records:
            before = previous.get(record.history_id) if record.history_type == "~" else None
            fields = [
                (str(model._meta.get_field(c.field).verbose_name), str(c.old), str(c.new))
                for c in (record.diff_against(before).changes if before is not None else [])
            ]
            if record.history_type == "~" and not fields:
                continue  # saved with nothing changed
            changes.append(
                Change(
                    kind=str(model._meta.verbose_name),
                    item=name(record),
                    action=record.get_history_type_display(),
                    by=str(record.history_user or "no recorded author"),
                    by_id=record.history_user_id,
                    at=record.history_date,
                    fields=fields,
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes


def latest() -> Release | None:
    return Release.objects.first()


def waiting() -> list[Change]:
    """Every change since the latest release, newest first."""
    return changes_since(latest())


def made_unsafe() -> list[safety.CaseResult]:
    """The safety cases the saved questionnaire takes outside their levels, held as readers get it now (the gate)."""
    cases = safety.load_cases()
    return safety.made_unsafe(
        safety.check(cases, selectors.safety_data(state="live")),
        safety.check(cases, selectors.safety_data(state="saved")),
    )


def names(results: list[safety.CaseResult]) -> str:
    return "; ".join(f"“{r.case.name}” ({r.reason})" for r in results)


def authorship(user, changes: list[Change]) -> tuple[bool, bool]:
    """(whether `user` made any of these changes, whether any has no recorded author), for the changes page."""
    authors = {change.by_id for change in changes}
    return user.pk in authors, None in authors


def refuse_release(user, changes: list[Change]) -> str:
    """Why `user` may not release these changes (the safety gate apart), or "": a clinical reviewer who made none.

    A change with no recorded author (made outside a signed-in request) could be anyone's: it is
    saved again in the admin first.
    """
    if not changes:
        return "No changes are waiting."
    if not user.has_perm(APPROVE):
        return "Only a clinical reviewer can approve questionnaire changes."
    authors = {change.by_id for change in changes}
    if None in authors:
        return "Some changes have no recorded author. Save them again in the admin first."
    if user.pk in authors:
        return "You made some of these changes, so a different clinical reviewer must approve them."
    return ""


def release(user) -> Release:
    """Release the questionnaire as saved, approved by `user`: refused (PermissionDenied) by
    `refuse_release`, or while it breaks a safety case, for every caller."""
    with transaction.atomic():
        changes = waiting()
        if why := refuse_release(user, changes):
            raise PermissionDenied(why)
        if refused := made_unsafe():
            raise PermissionDenied(
                "Not released: these changes take these safety cases outside the levels they must keep: "
                f"{names(refused)}."
            )
        return Release.objects.create(
            approved_by=user,
            reviewed_by=review.public_name(user),
            note=f"{len(changes)} change(s)",
            snapshot=selectors.snapshot(),
        )


def release_seed() -> Release:
    """The loader's release of the seed it has just loaded: the seed was reviewed before it was written.

    Refused (PermissionDenied) if any change since the last release has a recorded author (a
    person's change waits for a reviewer, whoever runs the loader), or past the safety gate.
    """
    with transaction.atomic():
        if any(change.by_id is not None for change in waiting()):
            raise PermissionDenied("Some changes were made by people: a clinical reviewer must release them.")
        if refused := made_unsafe():
            raise PermissionDenied(
                f"Not released: the seed takes these safety cases outside their levels: {names(refused)}."
            )
        return Release.objects.create(note="Loaded from the seed file.", snapshot=selectors.snapshot())


# --- The preview: the questionnaire as the next release would make it, before anyone releases it ---------


@dataclass(frozen=True)
class Tried:
    """What one questionnaire gives for a set of sample answers: the level, the matched causes, and
    the chosen answers it does not have (added or deleted since)."""

    level: str
    matches: tuple[CauseMatch, ...]
    missing: tuple[str, ...]


def preview_cases(
    live: selectors.Questionnaire, saved: selectors.Questionnaire
) -> list[tuple[safety.CaseResult, safety.CaseResult]]:
    """Each safety case run on the questionnaire as readers get it now (`load("live")`) and as the next release
    would make it (`load("saved")`)."""
    cases = safety.load_cases()
    now = safety.check(cases, selectors.safety_data(questionnaire=live))
    after = safety.check(cases, selectors.safety_data(questionnaire=saved))
    return list(zip(now, after, strict=True))


def try_answers(
    option_ids: set[int], live: selectors.Questionnaire, saved: selectors.Questionnaire
) -> tuple[Tried, Tried]:
    """The sample answers (option ids) through the live questionnaire and the saved one: (live, saved).

    Staff test input, but answers all the same: nothing here keeps, logs or caches them.
    """
    labels = {option.id: option.label for question in saved.questions for option in question.options}
    return _tried(option_ids, live, labels), _tried(option_ids, saved, labels)


def _tried(option_ids: set[int], questionnaire: selectors.Questionnaire, labels: dict[int, str]) -> Tried:
    """The chosen answers this questionnaire has, in its own order, through the matching the results page uses."""
    chosen = [option for question in questionnaire.questions for option in question.options if option.id in option_ids]
    found = {option.id for option in chosen}
    cause_ids = {cause_id for option in chosen for cause_id, _ in option.weights}
    result = match([questionnaire.causes[pk] for pk in cause_ids if pk in questionnaire.causes], chosen)
    missing = tuple(labels.get(pk, f"answer {pk}") for pk in sorted(option_ids - found))
    return Tried(level=result.triage.level, matches=result.matches, missing=missing)
