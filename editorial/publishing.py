"""Who may put an item live, take it off the site or give it a publish time: the one home of those rules.

The admin's form and bulk actions only call these; a command or the shell that publishes calls
them too. Each check returns a `Refusal` (what to tell the person, on a form and in a list) or None.
What "live" means is causes/lifecycle.py; who may approve medical text is causes/review.py;
scheduling a change to a live item is causes/scheduling.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone

from . import notifications, review
from .lifecycle import Status
from .models import Publishable


@dataclass(frozen=True)
class Refusal:
    code: str
    form: str  # said on the item's form
    listing: str  # finishes "“Title” was not published: ..." under a bulk action


def is_live_row(live: Publishable | None) -> bool:
    return live is not None and live.status == Status.PUBLISHED


def sources_cited(item: Publishable, sources: Collection | None = None) -> int:
    """How many live sources the item cites (as chosen on a form, or as saved): a draft source is never cited."""
    if not item.NEEDS_A_SOURCE:
        return 0
    if sources is not None:
        return sum(source.is_published for source in sources)
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
    if not item.REVIEWED_FIELDS or is_live_row(_stored(item, live)):
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


def refuse_withdraw(item: Publishable, user, new_status: str, *, live=LOOK_UP) -> Refusal | None:
    """Taking a live medical page offline is a clinical reviewer's action, as publishing it is."""
    if (
        new_status != Status.PUBLISHED
        and item.REVIEWED_FIELDS
        and is_live_row(_stored(item, live))
        and not review.can_approve(user, type(item))
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
    if live is not None and live.is_published and publish_at and publish_at > timezone.now():
        return Refusal(
            "would_hide",
            "This page is live. A publish time in the future would take it off the site until then. "
            "Leave “publish at” empty. To make a change go live later, save it: a clinical reviewer can approve "
            "it to go live at a set time. To take the page offline, unpublish it.",
            "a future publish time would take it off the site",
        )
    return None


def refuse_mark_reviewed(item: Publishable, user) -> Refusal | None:
    if item.REVIEWED_FIELDS and not review.may_approve(user, item):
        return Refusal(
            "own_change",
            "You wrote some of its text since it was last approved.",
            "you wrote some of its text since it was last approved",
        )
    return None


def set_status(item: Publishable, status: str, user, reason: str) -> None:
    """Publish or withdraw an item already checked; publishing medical text stamps the reviewer's approval."""
    item.status = status
    if status == Status.PUBLISHED and item.REVIEWED_FIELDS:
        review.stamp(item, user)
        notifications.told_author(item, review.authors_since_approval(item), notifications.PUBLISHED, user)
    review.save(item, user, reason)


def mark_reviewed(item: Publishable, user) -> str:
    """Record a clinical review today (already checked with `refuse_mark_reviewed`); returns what was recorded."""
    review.stamp(item, user)
    reason = f"Marked reviewed on {item.last_reviewed:%d %B %Y}."
    review.save(item, user, reason)
    return reason


def save_edit(item: Publishable, user, *, change: bool, save, note: str = "", shown_waiting=None) -> str:
    """Save an edit through `save()`, holding back a published item's medical changes for review.

    The live page keeps its approved text and the rest is saved at once, so nothing typed is lost.
    An author's new waiting change replaces their earlier one (`review.propose`); if their form showed
    them their waiting change (`shown_waiting`) and they put the live text back, it is withdrawn.
    Publishing a draft stamps the reviewer's approval. Returns "waiting", "withdrawn" or "".
    """
    live = review.live_version(item) if change else None
    held = review.hold_back(item, live)
    if item.REVIEWED_FIELDS and item.status == Status.PUBLISHED and not is_live_row(live):
        review.stamp(item, user)
        notifications.told_author(item, review.authors_since_approval(item), notifications.PUBLISHED, user)
    save()
    if item.REVIEWED_FIELDS and item.status == Status.REVIEW and getattr(live, "status", None) != Status.REVIEW:
        notifications.waiting(item, user)
    if held:
        review.propose(item, held, user, note)
        return "waiting"
    if shown_waiting is not None and is_live_row(live) and item.status == Status.PUBLISHED:
        review.discard(shown_waiting, user)
        return "withdrawn"
    return ""
