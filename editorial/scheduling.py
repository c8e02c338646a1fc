"""Scheduled changes: a reviewer approves a change to go live at a set time; the live version stays until then.

The one home of the rule, called by the review page, `manage.py publish_scheduled` and the page
cache alike. A scheduled change is a `Change` in the "scheduled" state, with the time it goes live
and the reviewer who approved it. At that time `publish_due` copies it onto the live row through
`review.apply`, as that reviewer's approval, so the page cache moves on as for any change. With
the shared cache up, the first request after the time does it (the content version carries the
next scheduled time, as it does for a new item's publish time); `publish_scheduled` run from cron
does it when there is no shared cache.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from core import cache

from . import notifications, review
from .models import Change, Publishable

SCHEDULED = Change.State.SCHEDULED


def reviewed_models() -> list[type[Publishable]]:
    """Every model whose medical content passes sign-off: the ones a change can be scheduled on."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and model.REVIEWED_FIELDS and hasattr(model, "history")
    ]


def refuse_time(at: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """Why a change may not be scheduled to go live at `at`, or "": later than now, and within a year."""
    now = now or timezone.now()
    if at <= now:
        return "Choose a time in the future. To make it live now, use “Approve and make live”."
    if at > now + datetime.timedelta(days=366):
        return "Choose a time within the next year."
    return ""


def schedule(item: Publishable, change: Change, at: datetime.datetime, reviewer) -> None:
    """Approve a waiting change to go live at `at`; until then readers see the live version.

    Refused (PermissionDenied) as an approval now would be (`review.refuse_approval`), or for a time
    outside the window (`refuse_time`), for every caller.
    """
    item.refresh_from_db()
    if why := review.refuse_approval(item, change, reviewer) or refuse_time(at):
        raise PermissionDenied(why)
    change.decide(SCHEDULED, reviewer, goes_live_at=at, scheduled_by=reviewer)
    notifications.told_author(item, [change.author_id], notifications.SCHEDULED, reviewer)
    cache.content_changed()  # the content version carries the next scheduled time


def refuse_cancel(item: Publishable, change: Change, user) -> str:
    """A scheduled change comes off the schedule by whoever scheduled it, or a reviewer who may approve it."""
    if change.state != SCHEDULED or not review.is_change_of(change, item):
        return "That change is not scheduled."
    if change.scheduled_by_id is not None and change.scheduled_by_id == user.pk:
        return ""
    if not review.may_review(user, item, change):
        return "Only whoever scheduled this change, or a clinical reviewer who may approve it, can cancel it."
    return ""


def cancel(item: Publishable, change: Change, user) -> None:
    """Take a scheduled change off the schedule: it waits for review again, and the live version stays."""
    if why := refuse_cancel(item, change, user):
        raise PermissionDenied(why)
    change.decide(review.WAITING, user, goes_live_at=None, scheduled_by=None)
    cache.content_changed()  # the content version no longer carries its time


def next_time(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the next scheduled change goes live, or None (one query)."""
    now = now or timezone.now()
    return Change.objects.filter(state=SCHEDULED, goes_live_at__gt=now).aggregate(at=Min("goes_live_at"))["at"]


def publish_due(now: datetime.datetime | None = None) -> list[str]:
    """Put every scheduled change whose time has come live; return what went live, in words.

    Safe to run from two servers at once: each change is claimed by one conditional update first.
    """
    now = now or timezone.now()
    done = []
    due = Change.objects.filter(state=SCHEDULED, goes_live_at__lte=now).select_related("content_type", "author")
    for change in due.order_by("goes_live_at", "pk"):
        with transaction.atomic():
            claimed = Change.objects.filter(pk=change.pk, state=SCHEDULED).update(
                state=Change.State.APPROVED, decided_at=now
            )
            model = change.content_type.model_class()
            item = model.objects.filter(pk=change.object_id).first() if model in reviewed_models() else None
            if not claimed or item is None:
                continue
            reviewer = change.scheduled_by
            if reviewer is None or review.refuse_approval(item, change, reviewer, scheduled=True):
                # The approval is checked again at its time, as if it were given now.
                Change.objects.filter(pk=change.pk).update(state=review.WAITING, goes_live_at=None)
                continue
            reason = f"Scheduled change by {review.author_name(change)} went live, as approved."
            review.apply(item, change, reviewer, reason)
            notifications.told_author(item, [change.author_id], notifications.PUBLISHED, reviewer)
            done.append(f"{model._meta.verbose_name} “{item}”")
    return done
