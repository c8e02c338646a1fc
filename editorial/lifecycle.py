"""What "live" means for everything readers see: one definition, as a query and as a predicate.

An item is live when it is published and its publish time, if it has one, has come. Every reader-
facing query filters with `live_q` (through a `published()` queryset or a path to a related item);
code holding an item asks `is_live`. Both are built from `LIVE_STATUS` and the publish time, so they
cannot disagree. The database's clock decides in queries, so a queryset built once stays right and
a scheduled item goes live at its time with no job to run.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "Ready for clinical review"
    PUBLISHED = "published", "Published"


LIVE_STATUS = Status.PUBLISHED


def live_q(path: str = "") -> Q:
    """Live, as a filter; `path` leads from the queried model to the item ("cause__", "option__question__")."""
    return Q(**{f"{path}status": LIVE_STATUS}) & (
        Q(**{f"{path}publish_at__isnull": True}) | Q(**{f"{path}publish_at__lte": Now()})
    )


def is_live(status: str, publish_at: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
    """Live, for an item already in hand: the same rule as `live_q`."""
    return is_published(status) and (publish_at is None or publish_at <= (now or timezone.now()))


def is_published(status: str) -> bool:
    """Published: signed off to be live, now or from its publish time (so live, or scheduled).

    Sign-off treats both alike: a change to a published item's medical text waits for review, and
    only a clinical reviewer takes it back to draft. Readers see it only once it is live (`is_live`).
    """
    return status == LIVE_STATUS


def scheduled_q(path: str = "") -> Q:
    """Published but not live yet: its publish time is still ahead (the other half of published)."""
    return Q(**{f"{path}status": LIVE_STATUS, f"{path}publish_at__gt": Now()})


def next_review(day: datetime.date) -> datetime.date:
    """The same day one review period (REVIEW_PERIOD_MONTHS) later, or the month's last day when it has no such
    day (31 Jan -> 28 Feb). The one definition of the review period."""
    month_index = day.month - 1 + settings.REVIEW_PERIOD_MONTHS
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def state(
    status: str,
    publish_at: datetime.datetime | None,
    *,
    waiting: bool,
    change_at: datetime.datetime | None = None,
    was_live: bool = False,
    now: datetime.datetime | None = None,
) -> str:
    """Where an item is in its lifecycle, in words for editors' lists.

    `change_at` is when the item's next approved change is scheduled to replace its live version;
    `was_live` says a draft was published once and then taken off the site.
    """
    now = now or timezone.now()
    if status == Status.DRAFT:
        return "Withdrawn (a draft again)" if was_live else "Draft"
    if status == Status.REVIEW:
        return "Waiting for review"
    if not is_live(status, publish_at, now):
        return f"Scheduled for {_when(publish_at)}"
    if change_at is not None:
        return f"Live, a change scheduled for {_when(change_at)}"
    return "Live with a change waiting" if waiting else "Live"


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %H:%M}"
