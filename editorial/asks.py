"""Sending a waiting change back with a note, and editors' requests to reviewers: the one home of those rules.

A clinical reviewer who may approve a change may instead send it back to its author with a note. The
change stays the author's own waiting change: their form shows their wording to rework, and their
next save replaces it (review.propose), which ends the send-back.

An editor may ask for a go-live time (for their waiting change to a live page, or for a page not
live yet) or for a live page to be taken offline, with a reason. A clinical reviewer other than the
one who asked grants it, through the same functions and checks as if they had done it themself
(scheduling.schedule, publishing.set_status), or declines it.

Each function checks who may act and raises `Refused` with what to tell them. E-mail goes through
editorial/notifications.py.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import notifications, publishing, review, scheduling
from .lifecycle import Status
from .models import NOTE_MAX, Change, EditorRequest, Publishable, SendBack


class Refused(Exception):
    """What to tell the person why they may not do this (plain words, shown as it is)."""


def clean_note(text: object, what: str = "a note") -> str:
    """A note or reason as given: not empty, and no longer than a few sentences."""
    text = str(text or "").strip()
    if not text:
        raise Refused(f"Write {what}, so the other person knows why.")
    if len(text) > NOTE_MAX:
        raise Refused(f"Make {what} shorter: at most {NOTE_MAX} characters. It has {len(text)}.")
    return text


def _about(item: Publishable) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(type(item)),
        "object_id": str(item.pk),
        "title": str(item)[:300],
    }


def may_review(user, item: Publishable, change: Change) -> bool:
    """A clinical reviewer who may approve this waiting change: not its author, nor an author of the item's text."""
    return (
        change.state == review.WAITING and review.is_change_of(change, item) and review.may_review(user, item, change)
    )


# -- Send back with a note ----------------------------------------------------------------------


def send_back(item: Publishable, change: Change, reviewer, note: object) -> SendBack:
    if not may_review(reviewer, item, change):
        raise Refused("Only a clinical reviewer who did not write this change can send it back.")
    if open_send_back(change) is not None:
        raise Refused("This change was already sent back to its author.")
    with transaction.atomic():
        sent = SendBack.objects.create(
            **_about(item), change=change, author_id=change.author_id, sent_by=reviewer, note=clean_note(note)
        )
        notifications.told_author(item, [change.author_id], notifications.SENT_BACK, reviewer)
    return sent


def may_send_back_new(user, item: Publishable) -> bool:
    """A clinical reviewer who may approve this new item (ready for review, and they wrote none of it)."""
    return item.status == Status.REVIEW and review.can_approve(user, type(item)) and review.may_approve(user, item)


def send_back_new(item: Publishable, reviewer, note: object) -> SendBack:
    """A new item ready for review goes back to its author as a draft, with the reviewer's note.

    Its author is whoever saved it last (who sent it for review); they hear by e-mail if they chose to,
    and see the note in their inbox and on the item until they send it for review again.
    """
    if not may_send_back_new(reviewer, item):
        raise Refused("Only a clinical reviewer who wrote none of it can send back an item that is ready for review.")
    note = clean_note(note)
    author_id = item.history.values_list("history_user_id", flat=True).first()  # the newest version's
    with transaction.atomic():
        reason = f"Sent back to its author as a draft by {notifications.name(reviewer)}."
        publishing.set_status(item, Status.DRAFT, reviewer, reason)
        sent = SendBack.objects.create(**_about(item), change=None, author_id=author_id, sent_by=reviewer, note=note)
        notifications.told_author(item, [author_id], notifications.SENT_BACK, reviewer)
    return sent


def open_send_back_of_new(item: Publishable) -> SendBack | None:
    """The note that sent this new item back, while it is still a draft (its author has not sent it again)."""
    if item.status != Status.DRAFT:
        return None
    newest = SendBack.objects.filter(**_where(item)).select_related("sent_by").order_by("-created", "-pk").first()
    return newest if newest is not None and newest.change_id is None else None


def new_items_sent_back(user) -> list[tuple[Publishable, SendBack]]:
    """This person's new items sent back to them that are still drafts, each with its note (newest first)."""
    newest: dict[tuple[int, str], SendBack] = {}  # each item once, by its newest note to this person
    sent_back = SendBack.objects.filter(change__isnull=True, author=user).select_related("content_type", "sent_by")
    for sent in sent_back.order_by("-created", "-pk"):
        newest.setdefault((sent.content_type_id, sent.object_id), sent)
    found = []
    for sent in newest.values():
        item = sent.item
        if item is not None and open_send_back_of_new(item) == sent:
            found.append((item, sent))
    return found


def open_send_back(change: Change | None) -> SendBack | None:
    """The note that sent this change back, while the change still waits (its author has not saved again)."""
    if change is None or change.state != review.WAITING:
        return None
    return change.send_backs.first()


def sent_back_ids() -> dict[int, SendBack]:
    """Every send-back by the id of the change it sent back: one query, for the inbox."""
    return {sent.change_id: sent for sent in SendBack.objects.filter(change__isnull=False).select_related("sent_by")}


def _where(item: Publishable) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(item)), "object_id": str(item.pk)}


# -- Requests -----------------------------------------------------------------------------------


def may_ask(user, item: Publishable) -> bool:
    opts = item._meta
    return (
        bool(item.REVIEWED_FIELDS)
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def ask(item: Publishable, user, kind: str, reason: object, goes_live_at: datetime.datetime | None = None):
    """An editor's request to the clinical reviewers, refused when it could never be granted."""
    if not may_ask(user, item):
        raise Refused("You cannot make requests about this item.")
    if kind not in EditorRequest.Kind.values:
        raise Refused("Choose what you are asking for.")
    reason = clean_note(reason, "a reason")
    live = publishing.is_published_row(item) and item.is_live
    if kind == EditorRequest.Kind.WITHDRAW:
        goes_live_at = None
        if not live:
            raise Refused("This page is not on the site, so there is nothing to take offline.")
    else:
        if goes_live_at is None or goes_live_at <= timezone.now():
            raise Refused("Choose a go-live time in the future.")
        if live and review.own_waiting(item, user) is None:
            raise Refused("This page is live and you have no change to it waiting, so nothing can go live later.")
    if EditorRequest.objects.filter(**_where(item), kind=kind, state=EditorRequest.State.OPEN).exists():
        raise Refused("A request like this one already waits for a reviewer.")
    with transaction.atomic():
        made = EditorRequest.objects.create(
            **_about(item), kind=kind, goes_live_at=goes_live_at, reason=reason, requested_by=user
        )
        notifications.asked(item, user, EditorRequest.Kind(kind).label)
    return made


def _check_answer(made: EditorRequest, reviewer) -> Publishable:
    item = made.item
    if made.state != EditorRequest.State.OPEN:
        raise Refused("This request was already answered.")
    if item is None:
        raise Refused("The item this request is about no longer exists.")
    if made.requested_by_id == reviewer.pk:
        raise Refused("You made this request, so a different clinical reviewer must answer it.")
    if not review.can_approve(reviewer, type(item)):
        raise Refused("Only a clinical reviewer can answer this request.")
    return item


def _answered(made: EditorRequest, reviewer, state: str, answer: str) -> None:
    made.state, made.answered_by, made.answered_at, made.answer = state, reviewer, timezone.now(), answer
    made.save(update_fields=["state", "answered_by", "answered_at", "answer"])
    notifications.request_answered(made.item, made.requested_by_id, EditorRequest.State(state).label, reviewer)


def grant(made: EditorRequest, reviewer) -> None:
    """Do what was asked, with every rule that applies had the reviewer done it unasked."""
    with transaction.atomic():
        made = EditorRequest.objects.select_for_update().get(pk=made.pk)
        item = _check_answer(made, reviewer)
        if made.kind == EditorRequest.Kind.WITHDRAW:
            if not item.is_live:
                raise Refused("This page is no longer on the site.")
            if refusal := publishing.refuse_withdraw(item, reviewer, Status.DRAFT):
                raise Refused(refusal.form)
            publishing.set_status(item, Status.DRAFT, reviewer, f"Taken offline at {made.requested_by}'s request.")
        else:
            _grant_go_live(made, item, reviewer)
        _answered(made, reviewer, EditorRequest.State.GRANTED, "")


def _grant_go_live(made: EditorRequest, item: Publishable, reviewer) -> None:
    at = made.goes_live_at
    if at is None or at <= timezone.now():
        raise Refused("The time asked for has passed. Decline this request; the editor can ask again.")
    waiting = review.own_waiting(item, made.requested_by) if made.requested_by else None
    if publishing.is_published_row(item):
        if waiting is None:
            raise Refused("The change this request was about no longer waits for review.")
        if not may_review(reviewer, item, waiting):
            raise Refused("You wrote some of this text, so a different clinical reviewer must approve it.")
        scheduling.schedule(item, waiting, at, reviewer)
        return
    if refusal := publishing.refuse_publish(item, reviewer):
        raise Refused(refusal.form)
    item.publish_at = at
    publishing.set_status(item, Status.PUBLISHED, reviewer, f"Approved to go live at {made.requested_by}'s request.")


def decline(made: EditorRequest, reviewer, answer: object) -> None:
    with transaction.atomic():
        made = EditorRequest.objects.select_for_update().get(pk=made.pk)
        _check_answer(made, reviewer)
        _answered(made, reviewer, EditorRequest.State.DECLINED, clean_note(answer, "a reason"))
