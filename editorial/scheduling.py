"""Scheduled changes: a reviewer approves a change to go live at a set time; the live version stays until then.

The one home of the rule, called by the review page, `manage.py publish_scheduled` and the page
cache alike. A scheduled change is a revision marked "scheduled" with the time it goes live and
the reviewer who approved it. At that time `publish_due` copies it onto the live row through
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
from .models import Publishable, Revision

SCHEDULED = Revision.Review.SCHEDULED


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


def schedule(item: Publishable, revision, at: datetime.datetime, reviewer) -> None:
    """Approve a waiting change to go live at `at`; until then readers see the live version.

    Refused (PermissionDenied) as an approval now would be (`review.refuse_approval`), or for a time
    outside the window (`refuse_time`), for every caller.
    """
    item.refresh_from_db()
    if why := review.refuse_approval(item, revision, reviewer) or refuse_time(at):
        raise PermissionDenied(why)
    revision.review = SCHEDULED
    revision.goes_live_at = at
    revision.scheduled_by = reviewer
    revision.history_change_reason = (
        f"Approved by {reviewer.get_username()} to go live on {timezone.localtime(at):%-d %B %Y at %H:%M}."
    )
    revision.save(update_fields=["review", "goes_live_at", "scheduled_by", "history_change_reason"])
    notifications.told_author(item, [revision.history_user_id], notifications.SCHEDULED, reviewer)
    cache.content_changed()  # the content version carries the next scheduled time


def refuse_cancel(item: Publishable, revision, user) -> str:
    """A scheduled change comes off the schedule by whoever scheduled it, or a reviewer who may approve it."""
    if revision.review != SCHEDULED or revision.id != item.pk:
        return "That change is not scheduled."
    if revision.scheduled_by_id is not None and revision.scheduled_by_id == user.pk:
        return ""
    if not review.may_review(user, item, revision):
        return "Only whoever scheduled this change, or a clinical reviewer who may approve it, can cancel it."
    return ""


def cancel(item: Publishable, revision, user) -> None:
    """Take a scheduled change off the schedule: it waits for review again, and the live version stays."""
    if why := refuse_cancel(item, revision, user):
        raise PermissionDenied(why)
    revision.review = review.WAITING
    revision.goes_live_at = None
    revision.scheduled_by = None
    revision.history_change_reason = f"Schedule cancelled by {user.get_username()}: waiting for review again."
    revision.save(update_fields=["review", "goes_live_at", "scheduled_by", "history_change_reason"])
    cache.content_changed()  # the content version no longer carries its time


def next_time(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the next scheduled change goes live, or None (one query per reviewed model)."""
    now = now or timezone.now()
    times = [
        model.history.filter(review=SCHEDULED, goes_live_at__gt=now).aggregate(at=Min("goes_live_at"))["at"]
        for model in reviewed_models()
    ]
    return min((at for at in times if at is not None), default=None)


def publish_due(now: datetime.datetime | None = None) -> list[str]:
    """Put every scheduled change whose time has come live; return what went live, in words.

    Safe to run from two servers at once: each change is claimed by one conditional update first.
    """
    now = now or timezone.now()
    done = []
    for model in reviewed_models():
        history = model.history.model
        for revision in history.objects.filter(review=SCHEDULED, goes_live_at__lte=now).order_by("goes_live_at"):
            with transaction.atomic():
                claimed = history.objects.filter(history_id=revision.history_id, review=SCHEDULED).update(
                    review=Revision.Review.APPROVED
                )
                item = model.objects.filter(pk=revision.id).first()
                if not claimed or item is None:
                    continue
                reviewer = revision.scheduled_by
                if reviewer is None or review.refuse_approval(item, revision, reviewer, scheduled=True):
                    # The approval is checked again at its time, as if it were given now.
                    history.objects.filter(history_id=revision.history_id).update(
                        review=review.WAITING,
                        goes_live_at=None,
                        history_change_reason="Not made live: its approval no longer stands. Waiting for review again.",
                    )
                    continue
                author = revision.history_user.get_username() if revision.history_user else "someone"
                review.apply(item, revision, reviewer, f"Scheduled change by {author} went live, as approved.")
                notifications.told_author(item, [revision.history_user_id], notifications.PUBLISHED, reviewer)
                history.objects.filter(history_id=revision.history_id).update(
                    history_change_reason=f"Went live on {timezone.localtime(now):%-d %B %Y at %H:%M}, as scheduled."
                )
                done.append(f"{model._meta.verbose_name} “{item}”")
    return done
