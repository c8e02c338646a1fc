"""The admin home page's inbox: what waits for whom, so a reviewer finds work without opening every item.

Built from the same rules the pages use: waiting revisions (causes/review.py), the one meaning of
live (causes/lifecycle.py), scheduled changes (causes/scheduling.py) and the review dates. Five
queries for each model with medical text.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone

from . import lifecycle, review, scheduling
from .lifecycle import Status


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
    return [model for model in apps.get_app_config("causes").get_models() if getattr(model, "REVIEWED_FIELDS", ())]


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M")


def inbox(user) -> Inbox:
    box = Inbox()
    now, today = timezone.now(), timezone.localdate()
    for model in _reviewed_models():
        opts = model._meta
        kind = str(opts.verbose_name)

        def change_url(pk, opts=opts) -> str:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(pk)])

        for revision in model.history.filter(review=review.WAITING).select_related("history_user"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[quote(revision.id), revision.pk])
            by = revision.history_user.get_username() if revision.history_user else "no recorded author"
            entry = Entry(kind, str(revision.instance), url, f"Change by {by}, {_when(revision.history_date)}")
            (box.mine if revision.history_user_id == user.pk else box.for_review).append(entry)
        for item in model.objects.filter(status=Status.REVIEW).order_by("-updated"):
            last = item.history.values_list("history_user_id", flat=True).first()
            entry = Entry(kind, str(item), change_url(item.pk), f"Draft ready for review since {_when(item.updated)}")
            (box.mine if last == user.pk else box.for_review).append(entry)
        for item in model.objects.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at"):
            box.scheduled.append(Entry(kind, str(item), change_url(item.pk), f"Goes live {_when(item.publish_at)}"))
        for revision in scheduling.scheduled_changes_of(model):
            note = f"A change goes live {_when(revision.goes_live_at)}"
            box.scheduled.append(Entry(kind, str(revision.instance), change_url(revision.id), note))
        for item in model.objects.filter(lifecycle.live_q(), next_review_due__lt=today).order_by("next_review_due"):
            note = f"Review was due {item.next_review_due:%d %b %Y}"
            box.overdue.append(Entry(kind, str(item), change_url(item.pk), note))
    return box
