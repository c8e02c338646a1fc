"""Clinical sign-off: a change to a published item's medical content waits for a reviewer who did not write it.

Each change is a revision in the item's django-simple-history record. A change that waits is a
revision marked waiting (`review` is "waiting"), kept beside the live row; approving it copies its fields onto
the row through `save`, so the approval is itself a revision and moves the page cache on, as every
other change does.
"""

import difflib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from . import lifecycle, notifications
from .models import Publishable, Revision

SAVED, WAITING, SCHEDULED = Revision.Review.NONE, Revision.Review.WAITING, Revision.Review.SCHEDULED

REVIEWER_GROUP = "Clinical reviewers"


def can_approve(user: AbstractBaseUser | AnonymousUser, model: type[Publishable]) -> bool:
    opts = model._meta
    return bool(model.REVIEWED_FIELDS) and user.has_perm(f"{opts.app_label}.approve_{opts.model_name}")


def public_name(user) -> str:
    """How a reviewer is named on the pages: their name and role, never their user name if they have a name."""
    name = user.get_full_name() or user.get_username()
    role = "clinical reviewer" if user.groups.filter(name=REVIEWER_GROUP).exists() else "site editor"
    return f"{name}, {role}"


def stamp(item: Publishable, reviewer) -> None:
    """Record a clinical review today by this reviewer (not saved); the next save is marked as an approval."""
    today = timezone.localdate()
    item.last_reviewed, item.next_review_due = today, lifecycle.next_review(today)
    if item.REVIEWED_FIELDS:
        item.reviewed_by = public_name(reviewer)
        item._approval = True


@receiver(pre_create_historical_record, dispatch_uid="review-mark-approvals")
def _mark_approval(sender, instance, history_instance, **kwargs) -> None:
    history_instance.approval = instance.__dict__.pop("_approval", False)


def save(item: models.Model, user, reason: str) -> None:
    """Save with who and why in the item's history (the save signal tells the page cache)."""
    item._history_user = user
    item._change_reason = reason
    item.save()


def live_version(item: Publishable) -> Publishable | None:
    """The item as it is stored now, or None for a new one."""
    return type(item).objects.filter(pk=item.pk).first() if item.pk else None


def _words(value: object) -> object:
    """Text as sign-off compares it: line endings and spacing do not count (a browser sends them back changed)."""
    return " ".join(value.split()) if isinstance(value, str) else value


@dataclass(frozen=True)
class SignOff:
    authors: frozenset[int | None]  # everyone who wrote any medical text since the last approval
    approved: dict[str, object] | None  # the medical text as last approved, or None if never


def sign_off(item: Publishable) -> SignOff:
    """Who wrote the item's medical text since a reviewer last approved it, and what that approval approved (1 query).

    Every revision counts: saved, waiting, scheduled and discarded alike, so discarding a change never
    clears its author. Text taken back from an older revision (a revert) counts its first author as
    well as whoever put it back, unless an approval has approved those words since. An item created
    live (the reviewed seed) starts approved. None stands for a change with no recorded author.
    """
    if not item.pk or not item.REVIEWED_FIELDS:
        return SignOff(frozenset(), None)
    fields = item.REVIEWED_FIELDS
    rows = item.history.order_by("history_date", "history_id").values_list(
        "history_user_id", "approval", "history_type", "status", "review", *fields
    )
    authors: set[int | None] = set()
    approved: dict[str, object] | None = None
    base: tuple | None = None
    written: dict[tuple[int, object], set[int | None]] = {}  # (field, words) -> who first wrote them, unapproved
    for user_id, approval, kind, status, state, *values in rows:
        text = tuple(_words(value) for value in values)
        if approval or (kind == "+" and lifecycle.is_published(status)):
            authors, base, approved = set(), text, dict(zip(fields, values, strict=True))
            for pair in enumerate(text):
                written.pop(pair, None)
            continue
        for pair in enumerate(text):
            if base is None or pair[1] != base[pair[0]]:
                authors |= written.setdefault(pair, set()) | {user_id}
                written[pair].add(user_id)
        if state == SAVED:
            base = text
    return SignOff(frozenset(authors), approved)


def authors_since_approval(item: Publishable) -> set[int | None]:
    """Everyone who wrote any of the item's medical content since a reviewer last approved it (1 query)."""
    return set(sign_off(item).authors)


def may_approve(user, item: Publishable) -> bool:
    """A clinical reviewer who wrote none of the item's medical content since its last approval."""
    return can_approve(user, type(item)) and not (authors_since_approval(item) & {user.pk, None})


def unseen_edits(item: Publishable, revision) -> list[str]:
    """The medical fields the change leaves alone whose stored text is neither the last approved text nor the change's.

    Approving the change would approve them too, though the reviewer was never shown them: the
    review page shows only the fields the change makes new (2 queries).
    """
    approved = sign_off(item).approved or {}
    shown = proposed(item, revision)
    return [
        name
        for name in item.REVIEWED_FIELDS
        if name not in shown
        and not same_words(getattr(item, name), approved.get(name))
        and not same_words(getattr(item, name), getattr(revision, name))
    ]


def refuse_approval(item: Publishable, revision, reviewer, *, scheduled: bool = False) -> str:
    """Why `reviewer` may not approve this change to the item as it is stored now, or "" if they may.

    The one rule for approving now, approving to go live later, and the scheduled job at its time:
    a clinical reviewer who wrote none of the text since its last approval, not the change's author,
    and nothing on the item that the change would approve unseen.
    """
    if revision.review != (SCHEDULED if scheduled else WAITING) or revision.id != item.pk:
        return "That change is no longer waiting for review."
    if revision.history_user_id is None or revision.history_user_id == reviewer.pk or not may_approve(reviewer, item):
        return (
            "Only a clinical reviewer who wrote none of this text since it was last approved can approve this change."
        )
    if unseen := unseen_edits(item, revision):
        names = " and ".join(str(item._meta.get_field(name).verbose_name) for name in unseen)
        return (
            f"This change cannot be approved yet. Since the last approval, someone also edited the {names}, "
            "and that edit is not part of this change. A reviewer must check that edit first."
        )
    return ""


def wrote(user, revision) -> bool:
    """Whether `user` made this change."""
    return revision.history_user_id is not None and revision.history_user_id == user.pk


def may_review(user, item: Publishable, revision) -> bool:
    """May approve, schedule or discard someone else's change: a reviewer who wrote none of the text."""
    return (
        can_approve(user, type(item))
        and revision.history_user_id is not None
        and revision.history_user_id != user.pk
        and may_approve(user, item)
    )


def hold_back(item: Publishable, live: Publishable | None) -> dict[str, object]:
    """Take a published item's medical changes off `item` before it is saved; return them, to wait for review.

    The approval stamp stays as it is live too: it belongs to the approved text.
    """
    if live is None or not lifecycle.is_published(live.status) or not lifecycle.is_published(item.status):
        return {}
    held = {
        name: getattr(item, name)
        for name in item.REVIEWED_FIELDS
        if not same_words(getattr(item, name), getattr(live, name))
    }
    for name in item.REVIEWED_FIELDS:  # held, or the same words: the approved text stays as it is stored
        setattr(item, name, getattr(live, name))
    if held:
        item.reviewed_by = live.reviewed_by
    return held


def same_words(new: object, old: object) -> bool:
    """The same value, or text that differs only in line endings and spacing (as a browser sends it back)."""
    if isinstance(new, str) and isinstance(old, str):
        return new.split() == old.split()
    return new == old


def own_waiting(item: Publishable, user):
    """The newest change this person made to the item that still waits for review, or None."""
    if not item.pk or not item.REVIEWED_FIELDS or user.pk is None:
        return None
    return item.history.filter(review=WAITING, history_user_id=user.pk).order_by("-history_date", "-history_id").first()


def propose(item: Publishable, changes: dict[str, object], author, note: str = "") -> None:
    """Keep these changes as a revision that waits for review; the live row is not touched.

    It replaces the author's earlier waiting change to the item (their form showed it to them), so
    a reviewer has one change per author to read, never a pile of drafts.
    """
    if author is not None:
        item.history.filter(review=WAITING, history_user=author).update(
            review=Revision.Review.DISCARDED,
            history_change_reason=f"Replaced by a later change by {author.get_username()}: never live.",
        )
    history = item.history.model
    values = {field.attname: getattr(item, field.attname) for field in item._meta.concrete_fields}
    record = history(
        **{name: value for name, value in values.items() if name in {f.attname for f in history._meta.fields}},
        history_date=timezone.now(),
        history_type="~",
        history_user=author,
        history_change_reason=" ".join(filter(None, ["Waiting for clinical review: not live yet.", note])),
        review=WAITING,
    )
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()
    notifications.waiting(item, author)


def proposed(item: Publishable, revision) -> dict[str, object]:
    """The fields a waiting revision changes, against the live version it was made from."""
    base = item.history.filter(review=SAVED, history_date__lte=revision.history_date).first()
    return {
        name: getattr(revision, name)
        for name in item.REVIEWED_FIELDS
        if base is None or getattr(revision, name) != getattr(base, name)
    }


@dataclass(frozen=True)
class Change:
    field: str
    live: str
    proposed: str
    lines: list[tuple[str, str]]  # ("-", removed line) / ("+", added line) / (" ", same line)


def change(model: type[models.Model], name: str, old: object, new: object) -> Change:
    """One field's two values, with the line-by-line difference between them."""
    old_text, new_text = ("" if value is None else str(value) for value in (old, new))
    lines = [
        (line[0], line[2:])
        for line in difflib.ndiff(old_text.splitlines(), new_text.splitlines())
        if not line.startswith("?")
    ]
    return Change(str(model._meta.get_field(name).verbose_name), old_text, new_text, lines)


def differences(older, newer) -> list[Change]:
    """Each field that differs between two revisions of one item, in the form's order, line by line."""
    model = newer.instance_type
    order = {field.name: index for index, field in enumerate(model._meta.fields)}
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    return [
        change(model, found.field, found.old, found.new)
        for found in sorted(delta.changes, key=lambda found: order.get(found.field, len(order)))
    ]


def compare(item: Publishable, revision) -> list[Change]:
    """Each field the waiting revision changes: the live text, the proposed text, and a line-by-line difference."""
    return [change(type(item), name, getattr(item, name), value) for name, value in proposed(item, revision).items()]


def approve(item: Publishable, revision, reviewer) -> None:
    """Make a waiting change live now, as a new revision by the reviewer that names its author.

    Refused (PermissionDenied) unless `refuse_approval` allows it, for every caller.
    """
    with transaction.atomic():
        item.refresh_from_db()  # the stored row: only the change and the approved text are approved
        if why := refuse_approval(item, revision, reviewer):
            raise PermissionDenied(why)
        author = revision.history_user.get_username() if revision.history_user else "someone"
        apply(item, revision, reviewer, f"Approved a change by {author}.")
        revision.review = Revision.Review.APPROVED
        revision.history_change_reason = f"Approved by {reviewer.get_username()} and made live."
        revision.save(update_fields=["review", "history_change_reason"])
        notifications.told_author(item, [revision.history_user_id], notifications.APPROVED, reviewer)


def apply(item: Publishable, revision, reviewer, reason: str) -> None:
    """Copy an approved change onto the stored row, stamped as the reviewer's approval (checked by the caller,
    `approve` or the scheduled job, with `refuse_approval`)."""
    for name, value in proposed(item, revision).items():
        setattr(item, name, value)
    stamp(item, reviewer)
    save(item, reviewer, reason)
    item.approved(reviewer)


def refuse_discard(item: Publishable, revision, user) -> str:
    """Only a change still waiting is discarded, by its author or by a reviewer who may approve it ("" if allowed)."""
    if revision.review != WAITING or revision.id != item.pk:
        return (
            "Only a change that is waiting for review can be discarded. Take a scheduled change off the schedule first."
        )
    if wrote(user, revision):
        return ""
    if not may_review(user, item, revision):
        return "Only its author, or a clinical reviewer who may approve it, can discard this change."
    return ""


def discard(item: Publishable, revision, user) -> None:
    """Discard a waiting change: it never goes live, and its author still counts as one (`sign_off`)."""
    if why := refuse_discard(item, revision, user):
        raise PermissionDenied(why)
    revision.review = Revision.Review.DISCARDED
    revision.history_change_reason = f"Discarded by {user.get_username()}: never live."
    revision.save(update_fields=["review", "history_change_reason"])
