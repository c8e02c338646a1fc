"""Clinical sign-off: a change to a published item's medical content waits for a reviewer who did not write it.

The item's django-simple-history record holds only versions saved to the item, each marked if it
was a reviewer's approval. A change that waits is a `Change` (editorial/models.py), kept apart from
the history and from the live row; approving it copies its text onto the row through `save`, so
the approval is a new version by the reviewer, naming the author, and moves the page cache on, as
every other change does. The `Change` keeps the decision: who made it and when.
"""

import copy
import difflib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from . import lifecycle, notifications
from .models import Change, Publishable

WAITING, SCHEDULED = Change.State.WAITING, Change.State.SCHEDULED

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
    """Who wrote the item's medical text since a reviewer last approved it, and what that approval approved (2 queries).

    Every version saved to the item counts, and every change proposed to it, in the order they were
    made: waiting, scheduled, approved and discarded alike, so discarding a change never clears its
    author. Text taken back from an older revision (a revert) counts its first author as well as
    whoever put it back, unless an approval has approved those words since. An item created live
    (the reviewed seed) starts approved. None stands for a change with no recorded author.
    """
    if not item.pk or not item.REVIEWED_FIELDS:
        return SignOff(frozenset(), None)
    fields = item.REVIEWED_FIELDS
    saved = item.history.values_list(
        "history_date", "history_id", "history_user_id", "approval", "history_type", "status", *fields
    )
    rows = [
        (when, 0, pk, user_id, approval, kind, status, values)
        for when, pk, user_id, approval, kind, status, *values in saved
    ]
    rows += [
        (when, 1, pk, user_id, False, "~", None, [text.get(name) for name in fields])
        for when, pk, user_id, text in Change.objects.of(item).values_list("created", "pk", "author_id", "text")
    ]
    authors: set[int | None] = set()
    approved: dict[str, object] | None = None
    base: tuple | None = None
    written: dict[tuple[int, object], set[int | None]] = {}  # (field, words) -> who first wrote them, unapproved
    for _when, proposed_only, _pk, user_id, approval, kind, status, values in sorted(rows, key=lambda row: row[:3]):
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
        if not proposed_only:  # a saved version is the text that later changes differ from
            base = text
    return SignOff(frozenset(authors), approved)


def authors_since_approval(item: Publishable) -> set[int | None]:
    """Everyone who wrote any of the item's medical content since a reviewer last approved it (2 queries)."""
    return set(sign_off(item).authors)


def may_approve(user, item: Publishable) -> bool:
    """A clinical reviewer who wrote none of the item's medical content since its last approval."""
    return can_approve(user, type(item)) and not (authors_since_approval(item) & {user.pk, None})


def unseen_edits(item: Publishable, change: Change) -> list[str]:
    """The medical fields the change leaves alone whose stored text is neither the last approved text nor the change's.

    Approving the change would approve them too, though the reviewer was never shown them: the
    review page shows only the fields the change makes new (3 queries).
    """
    approved = sign_off(item).approved or {}
    shown = proposed(item, change)
    return [
        name
        for name in item.REVIEWED_FIELDS
        if name not in shown
        and not same_words(getattr(item, name), approved.get(name))
        and not same_words(getattr(item, name), change.text.get(name))
    ]


def is_change_of(change: Change, item: Publishable) -> bool:
    """The change was proposed to this item (not to another item that happens to share its id)."""
    kind = ContentType.objects.get_for_model(type(item))
    return change.content_type_id == kind.pk and change.object_id == str(item.pk)


def refuse_approval(item: Publishable, change: Change, reviewer, *, scheduled: bool = False) -> str:
    """Why `reviewer` may not approve this change to the item as it is stored now, or "" if they may.

    The one rule for approving now, approving to go live later, and the scheduled job at its time:
    a clinical reviewer who wrote none of the text since its last approval, not the change's author,
    and nothing on the item that the change would approve unseen.
    """
    if change.state != (SCHEDULED if scheduled else WAITING) or not is_change_of(change, item):
        return "That change is no longer waiting for review."
    if change.author_id is None or change.author_id == reviewer.pk or not may_approve(reviewer, item):
        return (
            "Only a clinical reviewer who wrote none of this text since it was last approved can approve this change."
        )
    if unseen := unseen_edits(item, change):
        names = " and ".join(str(item._meta.get_field(name).verbose_name) for name in unseen)
        return (
            f"This change cannot be approved yet. Since the last approval, someone also edited the {names}, "
            "and that edit is not part of this change. A reviewer must check that edit first."
        )
    return ""


def wrote(user, change: Change) -> bool:
    """Whether `user` made this change."""
    return change.author_id is not None and change.author_id == user.pk


def may_review(user, item: Publishable, change: Change) -> bool:
    """May approve, schedule or discard someone else's change: a reviewer who wrote none of the text."""
    return (
        can_approve(user, type(item))
        and change.author_id is not None
        and change.author_id != user.pk
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


def waiting_changes(item: Publishable):
    """The changes to the item that wait for review or are scheduled, oldest first, with their authors."""
    if not item.pk or not item.REVIEWED_FIELDS:
        return Change.objects.none()
    return Change.objects.of(item).filter(state__in=[WAITING, SCHEDULED]).select_related("author", "scheduled_by")


def own_waiting(item: Publishable, user) -> Change | None:
    """The newest change this person made to the item that still waits for review, or None."""
    if not item.pk or not item.REVIEWED_FIELDS or user.pk is None:
        return None
    return Change.objects.of(item).filter(state=WAITING, author_id=user.pk).order_by("-created", "-pk").first()


def propose(item: Publishable, changes: dict[str, object], author, note: str = "") -> Change:
    """Keep these changes as a `Change` that waits for review; the live row and its history are not touched.

    It replaces the author's earlier waiting change to the item (their form showed it to them), so
    a reviewer has one change per author to read, never a pile of drafts.
    """
    if author is not None:
        Change.objects.of(item).filter(state=WAITING, author=author).update(
            state=Change.State.DISCARDED, decided_by=author, decided_at=timezone.now()
        )
    text = {name: changes.get(name, getattr(item, name)) for name in item.REVIEWED_FIELDS}
    shown = copy.copy(item)
    for name, value in changes.items():
        setattr(shown, name, value)
    made = Change.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=str(item.pk),
        title=str(shown)[:300],
        text=text,
        author=author,
        note=note,
    )
    notifications.waiting(item, author)
    return made


def proposed(item: Publishable, change: Change) -> dict[str, object]:
    """The fields a change makes new, against the version saved to the item when it was made."""
    base = item.history.filter(history_date__lte=change.created).first()
    return {
        name: change.text[name]
        for name in item.REVIEWED_FIELDS
        if name in change.text and (base is None or change.text[name] != getattr(base, name))
    }


@dataclass(frozen=True)
class Difference:
    field: str
    live: str
    proposed: str
    lines: list[tuple[str, str]]  # ("-", removed line) / ("+", added line) / (" ", same line)


def difference(model: type[models.Model], name: str, old: object, new: object) -> Difference:
    """One field's two values, with the line-by-line difference between them."""
    old_text, new_text = ("" if value is None else str(value) for value in (old, new))
    lines = [
        (line[0], line[2:])
        for line in difflib.ndiff(old_text.splitlines(), new_text.splitlines())
        if not line.startswith("?")
    ]
    return Difference(str(model._meta.get_field(name).verbose_name), old_text, new_text, lines)


def differences(older, newer) -> list[Difference]:
    """Each field that differs between two revisions of one item, in the form's order, line by line."""
    model = newer.instance_type
    order = {field.name: index for index, field in enumerate(model._meta.fields)}
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    return [
        difference(model, found.field, found.old, found.new)
        for found in sorted(delta.changes, key=lambda found: order.get(found.field, len(order)))
    ]


def compare(item: Publishable, change: Change) -> list[Difference]:
    """Each field the change makes new: the live text, the proposed text, and a line-by-line difference."""
    return [difference(type(item), name, getattr(item, name), value) for name, value in proposed(item, change).items()]


def approve(item: Publishable, change: Change, reviewer) -> None:
    """Make a waiting change live now, as a new revision by the reviewer that names its author.

    Refused (PermissionDenied) unless `refuse_approval` allows it, for every caller.
    """
    with transaction.atomic():
        item.refresh_from_db()  # the stored row: only the change and the approved text are approved
        if why := refuse_approval(item, change, reviewer):
            raise PermissionDenied(why)
        note = f" Their note: “{change.note}”" if change.note else ""
        apply(item, change, reviewer, f"Approved a change by {author_name(change)}.{note}")
        change.decide(Change.State.APPROVED, reviewer)
        notifications.told_author(item, [change.author_id], notifications.APPROVED, reviewer)


def author_name(change: Change) -> str:
    """The change's author as a saved version's reason names them: their name, as people read it."""
    return notifications.name(change.author)


def apply(item: Publishable, change: Change, reviewer, reason: str) -> None:
    """Copy an approved change onto the stored row, stamped as the reviewer's approval (checked by the caller,
    `approve` or the scheduled job, with `refuse_approval`)."""
    for name, value in proposed(item, change).items():
        setattr(item, name, value)
    stamp(item, reviewer)
    save(item, reviewer, reason)
    item.approved(reviewer)


def refuse_discard(item: Publishable, change: Change, user) -> str:
    """Only a change still waiting is discarded, by its author or by a reviewer who may approve it ("" if allowed)."""
    if change.state != WAITING or not is_change_of(change, item):
        return (
            "Only a change that is waiting for review can be discarded. Take a scheduled change off the schedule first."
        )
    if wrote(user, change):
        return ""
    if not may_review(user, item, change):
        return "Only its author, or a clinical reviewer who may approve it, can discard this change."
    return ""


def discard(item: Publishable, change: Change, user) -> None:
    """Discard a waiting change: it never goes live, and its author still counts as one (`sign_off`)."""
    if why := refuse_discard(item, change, user):
        raise PermissionDenied(why)
    change.decide(Change.State.DISCARDED, user)
