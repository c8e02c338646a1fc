"""The admin home page's inbox: what waits for whom, so a reviewer finds work without opening every item.

Built from the same rules the pages use: changes waiting for review (editorial/review.py), the one
meaning of live (editorial/lifecycle.py), scheduled changes (editorial/scheduling.py) and the review
dates. One query for every waiting and scheduled change, and one for each model with medical text.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from editorial.lifecycle import Status

from . import asks, lifecycle, review, scheduling
from .models import Change, EditorRequest


@dataclass(frozen=True)
class Entry:
    kind: str
    title: str
    url: str
    note: str = ""
    pick: str = ""  # for a reviewer's tick box: "change:<id>", or "new:<app.model>:<id>" for a new item


@dataclass
class Inbox:
    reviewer: bool = False  # may approve some kind of item: sees what waits for a reviewer, scheduled and overdue
    for_review: list[Entry] = field(default_factory=list)  # other people's changes and drafts ready for review
    drafts: list[Entry] = field(default_factory=list)  # my drafts, not sent for review yet
    mine: list[Entry] = field(default_factory=list)  # my changes and drafts still waiting
    scheduled: list[Entry] = field(default_factory=list)
    overdue: list[Entry] = field(default_factory=list)
    sent_back: list[Entry] = field(default_factory=list)  # my changes a reviewer sent back to me, with their note
    requests: list[Entry] = field(default_factory=list)  # other people's requests waiting for a reviewer
    my_requests: list[Entry] = field(default_factory=list)  # my requests, open or answered in the last 30 days


def _reviewed_models():
    return scheduling.reviewed_models()  # every app's models with medical text


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M")


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def _requests(box: Inbox, user, now: datetime.datetime) -> None:
    """Open requests for the reviewers; a person's own requests, open or answered this month (one query)."""
    recent = now - datetime.timedelta(days=30)
    rows = EditorRequest.objects.filter(
        Q(state=EditorRequest.State.OPEN) | Q(requested_by=user, answered_at__gte=recent)
    ).select_related("requested_by", "answered_by", "content_type")
    may_answer = {model: review.can_approve(user, model) for model in _reviewed_models()}
    for made in rows:
        url = reverse("editorial:answer", args=[made.pk])
        kind = str(made.content_type.model_class()._meta.verbose_name) if made.content_type.model_class() else "item"
        what = made.get_kind_display()
        if made.goes_live_at:
            what += f" ({_when(made.goes_live_at)})"
        if made.requested_by_id == user.pk:
            state = made.get_state_display()
            if made.answered_by:
                state += f" by {_name(made.answered_by)}"
            box.my_requests.append(Entry(kind, made.title, url, f"{what}: {state}"))
        elif may_answer.get(made.content_type.model_class(), False):
            box.requests.append(Entry(kind, made.title, url, f"{what}, asked by {_name(made.requested_by)}"))


def _url(opts, page: str, *args) -> str:
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[quote(arg) for arg in args])


def _changes(box: Inbox, user) -> None:
    """Every change waiting for review or scheduled, each where it belongs for this person (two queries)."""
    sent_back = asks.sent_back_ids()
    models = {ContentType.objects.get_for_model(model).pk: model._meta for model in _reviewed_models()}
    approves = {pk: review.can_approve(user, opts.model) for pk, opts in models.items()}
    changes = Change.objects.filter(state__in=[review.WAITING, scheduling.SCHEDULED], content_type__in=models)
    for change in changes.select_related("author").order_by("goes_live_at", "created", "pk"):
        opts = models[change.content_type_id]
        kind, change_url = str(opts.verbose_name), _url(opts, "change", change.object_id)
        if change.state == scheduling.SCHEDULED:
            box.scheduled.append(
                Entry(kind, change.title, change_url, f"A change goes live {_when(change.goes_live_at)}")
            )
            continue
        mine = change.author_id == user.pk
        if sent := sent_back.get(change.pk):
            if mine:  # with the reviewer, it waits for its author: the author's form shows their wording
                note = f"Sent back by {_name(sent.sent_by)}: “{sent.note}”"
                box.sent_back.append(Entry(kind, change.title, change_url, note))
            continue
        by = _name(change.author) if change.author else "no recorded author"
        url = _url(opts, "review", change.object_id, change.pk)
        note = f"Change by {by}, {_when(change.created)}"
        if mine:
            box.mine.append(Entry(kind, change.title, url, note))
        elif approves[change.content_type_id]:  # a change waits for a reviewer, never for an editor
            box.for_review.append(Entry(kind, change.title, url, note, f"change:{change.pk}"))


def inbox(user) -> Inbox:
    """Its waiting and scheduled changes (two queries), and per model with medical text, its items needing a look."""
    box = Inbox(reviewer=any(review.can_approve(user, model) for model in _reviewed_models()))
    now, today = timezone.now(), timezone.localdate()
    _requests(box, user, now)
    _changes(box, user)
    for item, sent in asks.new_items_sent_back(user):
        note = f"Sent back by {_name(sent.sent_by)}: “{sent.note}”"
        box.sent_back.append(Entry(str(item._meta.verbose_name), str(item), _url(item._meta, "change", item.pk), note))
    for model in _reviewed_models():
        opts = model._meta
        kind = str(opts.verbose_name)

        def change_url(pk, opts=opts) -> str:
            return _url(opts, "change", pk)

        last_author = model.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        items = model.objects.annotate(last_author=Subquery(last_author.values("history_user_id")[:1])).filter(
            Q(status=Status.REVIEW)
            | lifecycle.scheduled_q()
            | (lifecycle.live_q() & Q(next_review_due__lt=today))
            | (Q(status=Status.DRAFT, last_author=user.pk) if user.pk else Q(pk__in=[]))
        )
        approves = review.can_approve(user, model)
        for item in sorted(items, key=lambda item: (item.publish_at or now, item.next_review_due or today)):
            if item.status == Status.DRAFT:
                box.drafts.append(Entry(kind, str(item), change_url(item.pk), f"Last saved {_when(item.updated)}"))
            elif item.status == Status.REVIEW:
                url, note = _url(opts, "review_new", item.pk), f"Draft ready for review since {_when(item.updated)}"
                if item.last_author == user.pk:
                    box.mine.append(Entry(kind, str(item), url, note))
                elif approves:
                    box.for_review.append(Entry(kind, str(item), url, note, f"new:{opts.label_lower}:{item.pk}"))
            elif not item.is_live:
                box.scheduled.append(Entry(kind, str(item), change_url(item.pk), f"Goes live {_when(item.publish_at)}"))
            elif approves:
                note = f"Review was due {item.next_review_due:%d %b %Y}"
                box.overdue.append(Entry(kind, str(item), change_url(item.pk), note))
    return box
