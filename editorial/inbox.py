"""The admin home page's inbox: what waits for whom, so a reviewer finds work without opening every item.

Built from the same rules the pages use: waiting revisions (editorial/review.py), the one meaning of
live (editorial/lifecycle.py), scheduled changes (editorial/scheduling.py) and the review dates. Two
queries for each model with medical text.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.utils import quote
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from editorial.lifecycle import Status

from . import lifecycle, review, scheduling


@dataclass(frozen=True)
class Entry:
    kind: str
    title: str
    url: str
    note: str = ""


@dataclass
class Inbox:
    for_review: list[Entry] = field(default_factory=list)  # other people's changes and drafts ready for review
    mine: list[Entry] = field(default_factory=list)  # my changes and drafts still waiting
    scheduled: list[Entry] = field(default_factory=list)
    overdue: list[Entry] = field(default_factory=list)


def _reviewed_models():
    return scheduling.reviewed_models()  # every app's models with medical text


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M")


def inbox(user) -> Inbox:
    """Two queries per model with medical text: its waiting and scheduled changes, and its items needing a look."""
    box = Inbox()
    now, today = timezone.now(), timezone.localdate()
    for model in _reviewed_models():
        opts = model._meta
        kind = str(opts.verbose_name)

        def change_url(pk, opts=opts) -> str:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(pk)])

        changes = model.history.filter(review__in=[review.WAITING, scheduling.SCHEDULED]).select_related("history_user")
        for revision in changes.order_by("goes_live_at", "history_date"):
            if revision.review == scheduling.SCHEDULED:
                note = f"A change goes live {_when(revision.goes_live_at)}"
                box.scheduled.append(Entry(kind, str(revision.instance), change_url(revision.id), note))
                continue
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[quote(revision.id), revision.pk])
            by = revision.history_user.get_username() if revision.history_user else "no recorded author"
            entry = Entry(kind, str(revision.instance), url, f"Change by {by}, {_when(revision.history_date)}")
            (box.mine if revision.history_user_id == user.pk else box.for_review).append(entry)

        last_author = model.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        items = model.objects.filter(
            Q(status=Status.REVIEW) | lifecycle.scheduled_q() | (lifecycle.live_q() & Q(next_review_due__lt=today))
        ).annotate(last_author=Subquery(last_author.values("history_user_id")[:1]))
        for item in sorted(items, key=lambda item: (item.publish_at or now, item.next_review_due or today)):
            if item.status == Status.REVIEW:
                entry = Entry(
                    kind, str(item), change_url(item.pk), f"Draft ready for review since {_when(item.updated)}"
                )
                (box.mine if item.last_author == user.pk else box.for_review).append(entry)
            elif not item.is_live:
                box.scheduled.append(Entry(kind, str(item), change_url(item.pk), f"Goes live {_when(item.publish_at)}"))
            else:
                note = f"Review was due {item.next_review_due:%d %b %Y}"
                box.overdue.append(Entry(kind, str(item), change_url(item.pk), note))
    return box
