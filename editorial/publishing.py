"""Who may put an item live, take it off the site or give it a publish time: the one home of those rules.

The admin's form and bulk actions only call these; a command or the shell that publishes calls
them too. Each check returns a `Refusal` (what to tell the person, on a form and in a list) or None.
What "live" means is editorial/lifecycle.py; who may approve medical text is editorial/review.py;
scheduling a change to a live item is editorial/scheduling.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import lifecycle, notifications, review, scheduling
from .lifecycle import Status
from .models import Publishable


@dataclass(frozen=True)
class Refusal:
    code: str
    form: str  # said on the item's form
    listing: str  # finishes "“Title” was not published: ..." under a bulk action


class Refused(PermissionDenied):
    """A service's refusal, in words: `str()` as on a form, `listing` under a bulk action."""

    def __init__(self, refusal: Refusal):
        super().__init__(refusal.form)
        self.refusal = refusal


def in_a_list(refused: PermissionDenied) -> str:
    """How a refusal finishes "“Title” was not published: ..." under a bulk action."""
    return f"{refused.refusal.listing}." if isinstance(refused, Refused) else str(refused)


def is_published_row(live: Publishable | None) -> bool:
    """The stored row is published: live, or scheduled (`lifecycle.is_published`)."""
    return live is not None and lifecycle.is_published(live.status)


def sources_cited(item: Publishable, sources: Collection | None = None) -> int:
    """How many live sources the item cites (as chosen on a form, or as saved): a draft source is never cited."""
    if not item.NEEDS_A_SOURCE:
        return 0
    if sources is not None:
        return sum(source.is_live for source in sources)
    return item.sources.published().count() if item.pk else 0


LOOK_UP = object()  # `live` not given: the checks read the stored version themselves


def _stored(item: Publishable, live):
    return review.live_version(item) if live is LOOK_UP else live


def refuse_publish(
    item: Publishable, user, *, sources: Collection | None = None, changed: Collection[str] = (), live=LOOK_UP
) -> Refusal | None:
    """Why `user` may not publish `item` as it stands (with `changed` medical fields edited just now), or None.

    An incomplete item never publishes. Medical text publishes only by a clinical reviewer who wrote none
    of it since its last approval. A change to an item already published is not refused: it waits for review.
    `live` is the item as stored, when the caller has it (a form checks three rules with one read).
    """
    missing = item.missing_to_publish(sources_cited(item, sources))
    if missing:
        return Refusal(
            "incomplete",
            f"This cannot be published yet. It still needs: {', '.join(missing)}. Save it as a draft for now.",
            f"it still needs {', '.join(missing)}",
        )
    if not item.REVIEWED_FIELDS or is_published_row(_stored(item, live)):
        return None
    if not review.can_approve(user, type(item)):
        return Refusal(
            "needs_reviewer",
            "Only a clinical reviewer can publish this. Choose “Ready for clinical review” and save: "
            "a reviewer will check it.",
            "only a clinical reviewer can publish it",
        )
    if changed or not review.may_approve(user, item):
        return Refusal(
            "own_change",
            "You wrote some of this text since it was last approved, or its author is not known, so a "
            "different clinical reviewer must approve it. Choose “Ready for clinical review” and save.",
            "you wrote some of its text since it was last approved, so a different clinical reviewer must approve it",
        )
    return None


def may_withdraw(user, model: type[Publishable]) -> bool:
    """Taking a live medical page offline is a clinical reviewer's action, as publishing it is."""
    return not model.REVIEWED_FIELDS or review.can_approve(user, model)


def refuse_withdraw(item: Publishable, user, new_status: str, *, live=LOOK_UP) -> Refusal | None:
    """Why `user` may not take `item` off the site (`may_withdraw`), or None."""
    if (
        not lifecycle.is_published(new_status)
        and not may_withdraw(user, type(item))
        and is_published_row(_stored(item, live))
    ):
        return Refusal(
            "needs_reviewer",
            "Only a clinical reviewer can take a live page offline. Leave it published; "
            "your changes to its text wait for review.",
            "only a clinical reviewer can take it offline",
        )
    return None


def refuse_publish_time(item: Publishable, publish_at: datetime.datetime | None, *, live=LOOK_UP) -> Refusal | None:
    """A publish time in the future would take a live item off the site until then."""
    live = _stored(item, live)
    if live is not None and live.is_live and publish_at and publish_at > timezone.now():
        return Refusal(
            "would_hide",
            "This page is live. A publish time in the future would take it off the site until then. "
            "Leave “publish at” empty. To make a change go live later, save it: a clinical reviewer can approve "
            "it to go live at a set time. To take the page offline, unpublish it.",
            "a future publish time would take it off the site",
        )
    return None


def edited(item: Publishable, live: Publishable | None) -> list[str]:
    """The medical fields whose text on `item` differs from the stored row (each one filled in, for a new item).

    A revert is an edit like any other: its text is compared with the stored row, not with the
    revision it came from.
    """
    if live is None:
        return [name for name in item.REVIEWED_FIELDS if getattr(item, name) not in (None, "")]
    return [name for name in item.REVIEWED_FIELDS if not review.same_words(getattr(item, name), getattr(live, name))]


def _may_edit(user, item: Publishable) -> bool:
    opts = item._meta
    return user.has_perm(f"{opts.app_label}.{'change' if item.pk else 'add'}_{opts.model_name}")


NO_PERMISSION = Refusal("no_permission", "You do not have permission to change this.", "you may not change it")


def refuse_status(item: Publishable, status: str, user, *, live=LOOK_UP, sources: Collection | None = None):
    """Why `user` may not save `item` with this status (and its text as it is on `item`), or None.

    One rule for every caller: the form, the bulk actions, `set_status`, `save_edit`.
    """
    live = _stored(item, live)
    if not _may_edit(user, item):
        return NO_PERMISSION
    if lifecycle.is_published(status):
        if is_published_row(live):
            return None  # already published: a change to its text waits for review (`save_edit`)
        return refuse_publish(item, user, sources=sources, changed=edited(item, live), live=live)
    return refuse_withdraw(item, user, status, live=live)


def set_status(item: Publishable, status: str, user, reason: str) -> None:
    """Publish or withdraw an item, as it is stored; publishing medical text stamps the reviewer's approval.

    Refused (PermissionDenied) by `refuse_status`, for every caller. A status change saves no text:
    an item carrying unsaved medical edits is refused, so an edit always goes through `save_edit`.
    """
    live = review.live_version(item)
    if refusal := refuse_status(item, status, user, live=live):
        raise Refused(refusal)
    if is_published_row(live) and edited(item, live):
        raise PermissionDenied("Save changes to the text as an edit: on a live page they wait for review.")
    item.status = status
    if lifecycle.is_published(status) and item.REVIEWED_FIELDS:
        review.stamp(item, user)
        notifications.told_author(item, review.authors_since_approval(item), notifications.PUBLISHED, user)
    review.save(item, user, reason)


def linked_drafts(item: Publishable) -> list[Publishable]:
    """The items shown on `item`'s page (its `LINKED`: sources, remedies, signs) that are not published yet.

    Readers would not see them: a draft source is never cited, a draft sign never shown.
    """
    if not item.pk:
        return []
    return [
        linked
        for accessor in item.LINKED
        for linked in getattr(item, accessor).order_by("pk")
        if not lifecycle.is_published(linked.status)
    ]


def publish_new(
    item: Publishable, user, *, linked: Collection[Publishable] = (), at: datetime.datetime | None = None
) -> list[Publishable]:
    """Publish an item never published before, with the linked drafts chosen, in one step: all of them or none.

    Each goes through `set_status`, so each is refused to anyone who may not publish it alone (for
    medical text, a clinical reviewer who wrote none of it since its last approval). The linked drafts
    go live now, first, so the item can cite them; the item goes live at `at` (`scheduling.refuse_time`
    says which times may be chosen), or now. Returns what was published, the item last.
    """
    item.refresh_from_db()
    if lifecycle.is_published(item.status):
        raise PermissionDenied("This is published already. A change to it is reviewed as a change.")
    drafts = {(type(draft), draft.pk) for draft in linked_drafts(item)}
    if any((type(draft), draft.pk) not in drafts for draft in linked):
        raise PermissionDenied("Only drafts this item links to can be published with it.")
    if at is not None and (why := scheduling.refuse_time(at)):
        raise PermissionDenied(why)
    published = [*linked, item]
    with transaction.atomic():
        for each in published:
            each.refresh_from_db()
            if each is item:
                each.publish_at = at
                when = f" to go live {timezone.localtime(at):%-d %B %Y at %H:%M}" if at else ""
                reason = f"Approved{when} on its review page."
            else:
                each.publish_at = None
                reason = f"Approved with “{item}”, which links to it."
            try:
                set_status(each, Status.PUBLISHED, user, reason)
            except PermissionDenied as refused:
                what = f"“{each}” ({each._meta.verbose_name})"
                raise PermissionDenied(f"Nothing was published. {what}: {refused}") from None
    return published


def refuse_mark_reviewed(item: Publishable, user) -> Refusal | None:
    """Only a clinical reviewer who wrote none of its text since its last approval marks an item reviewed."""
    if not review.can_approve(user, type(item)):
        return Refusal(
            "needs_reviewer", "Only a clinical reviewer can mark this reviewed.", "only a clinical reviewer can"
        )
    if not review.may_approve(user, item):
        return Refusal(
            "own_change",
            "You wrote some of its text since it was last approved.",
            "you wrote some of its text since it was last approved",
        )
    return None


def mark_reviewed(item: Publishable, user) -> str:
    """Record a clinical review today of the item as it is stored; returns what was recorded.

    The one way review dates are set: today, and one review period on (`lifecycle.next_review`).
    Refused (PermissionDenied) by `refuse_mark_reviewed`, for every caller.
    """
    item.refresh_from_db()  # the stored text is what is marked reviewed, never unsaved edits
    if refusal := refuse_mark_reviewed(item, user):
        raise Refused(refusal)
    review.stamp(item, user)
    reason = f"Marked reviewed on {item.last_reviewed:%d %B %Y}."
    review.save(item, user, reason)
    return reason


# Set only by a clinical review (`review.stamp`), never typed in: an edit keeps the stored ones.
REVIEW_STAMP = ("last_reviewed", "next_review_due", "reviewed_by")


def save_edit(
    item: Publishable,
    user,
    *,
    change: bool,
    save,
    note: str = "",
    shown_waiting=None,
    sources: Collection | None = None,
) -> str:
    """Save an edit through `save()`, holding back a published item's medical changes for review.

    Refused (PermissionDenied) by `refuse_status` and `refuse_publish_time`, for every caller; the
    form shows the same refusals first, in words. Review dates stay as stored (or empty, for a new
    item): only a review sets them. The live page keeps its approved text and the rest is saved at
    once, so nothing typed is lost. An author's new waiting change replaces their earlier one
    (`review.propose`); if their form showed them their waiting change (`shown_waiting`) and they
    put the live text back, it is withdrawn. Publishing a draft stamps the reviewer's approval.
    Returns "waiting", "withdrawn" or "".
    """
    live = review.live_version(item) if change else None
    refusal = refuse_status(item, item.status, user, live=live, sources=sources) or refuse_publish_time(
        item, item.publish_at, live=live
    )
    if refusal is None and item.REVIEWED_FIELDS and not review.can_approve(user, type(item)):
        if item.publish_at != (live.publish_at if live is not None else None):
            refusal = Refusal("needs_reviewer", "Only a clinical reviewer can set a publish time.", "")
    if refusal is not None:
        raise Refused(refusal)
    for name in REVIEW_STAMP:
        setattr(item, name, getattr(live, name) if live is not None else type(item)._meta.get_field(name).get_default())
    held = review.hold_back(item, live)
    if item.REVIEWED_FIELDS and lifecycle.is_published(item.status) and not is_published_row(live):
        review.stamp(item, user)
        notifications.told_author(item, review.authors_since_approval(item), notifications.PUBLISHED, user)
    save()
    if item.REVIEWED_FIELDS and item.status == Status.REVIEW and getattr(live, "status", None) != Status.REVIEW:
        notifications.waiting(item, user)
    if held:
        review.propose(item, held, user, note)
        return "waiting"
    if shown_waiting is not None and is_published_row(live) and lifecycle.is_published(item.status):
        review.discard(item, shown_waiting, user)
        return "withdrawn"
    return ""


def revert(item: Publishable, revision, user, *, status: str | None = None) -> str:
    """Put an older revision's text back, as an edit by `user` through `save_edit` (so every rule applies).

    Its text is compared with the stored row, never with the revision it came from: on a live page
    it waits for review; publishing it is refused to anyone who wrote any of it since its last
    approval, its first author included (`review.sign_off`).
    """
    if revision.id != item.pk:
        raise PermissionDenied("That revision is not one of this item's.")
    item.refresh_from_db()
    for field in item._meta.concrete_fields:
        if field.editable and not field.primary_key and field.attname not in (*REVIEW_STAMP, "status", "publish_at"):
            setattr(item, field.attname, getattr(revision, field.attname))
    if status is not None:
        item.status = status
    when = timezone.localtime(revision.history_date).strftime("%-d %b %H:%M")
    reason = f"Reverted to the version of {when} by {revision.history_user or 'someone unknown'}."
    return save_edit(item, user, change=True, save=lambda: review.save(item, user, reason), note=reason)


def set_publish_time(item: Publishable, publish_at: datetime.datetime | None, user) -> None:
    """Give an item (as stored) a time to go live by itself, through `save_edit`: a clinical reviewer's to set
    on medical text, and never a future time on a live page (it would take the page off the site)."""
    item.refresh_from_db()
    item.publish_at = publish_at
    save_edit(item, user, change=True, save=lambda: review.save(item, user, "Publish time set."))
