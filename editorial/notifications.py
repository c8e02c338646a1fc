"""E-mail to editors: a reviewer hears that something waits for them, an author what became of their change.

Sent through Django's e-mail framework after the transaction commits, so nobody is told of a change
that was rolled back. An e-mail names only the item's title and kind, who acted, and its admin
address: never a reader's answer, never the medical text, never a reviewer's note (that is read in
the admin). Anyone can turn them off in the admin ("My e-mail settings", accounts/models.py).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.urls import reverse

logger = logging.getLogger(__name__)

# What became of an author's change: the subject's word, and the sentence that says who did it.
APPROVED = "approved"
SCHEDULED = "scheduled"
PUBLISHED = "published"
SENT_BACK = "sent back"
OUTCOMES = {
    APPROVED: "{by} approved your change to {what}. Readers see it now.",
    SCHEDULED: "{by} approved your change to {what} to go live at a set time.",
    PUBLISHED: "{by} published {what}. Readers see it now.",
    SENT_BACK: "{by} sent your change to {what} back to you with a note. Read the note in the admin.",
}


def name(user) -> str:
    """A person as others read it: their name, or their username if they have none."""
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def admin_url(item: models.Model) -> str:
    opts = item._meta
    return settings.SITE_URL + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(item.pk)])


def _wanting(users) -> list:
    """The people among `users` who can be e-mailed: active staff with an address who did not turn e-mail off."""
    return list(
        users.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(email_choice__send_emails=False)
        .distinct()
        .order_by("pk")
    )


def _send(users, subject: str, lines: list[str]) -> None:
    """One e-mail to each person, after the current transaction commits."""
    settings_url = settings.SITE_URL + reverse("admin:accounts_emailchoice_changelist")
    messages = [
        EmailMessage(
            subject,
            "\n\n".join([f"Hello {name(user)},", *lines, f"To stop these e-mails, turn them off here: {settings_url}"]),
            to=[user.email],
        )
        for user in _wanting(users)
    ]
    if messages:
        transaction.on_commit(lambda: _deliver(messages))


def _deliver(messages: list[EmailMessage]) -> None:
    """Send; a mail server that is down never undoes or breaks the editor's save (it is logged, without content)."""
    try:
        get_connection().send_messages(messages)
    except Exception:
        logger.exception("Could not send %d notification e-mail(s)", len(messages))


def _what(item: models.Model) -> str:
    return f"the {item._meta.verbose_name} “{item}”"


def waiting(item: models.Model, author) -> None:
    """Tell the clinical reviewers (not the author) that an item or a change to it waits for their review."""
    _send(
        _reviewers_but(author),
        f"Waiting for your review: {item}",
        [f"{name(author)} sent {_what(item)} for clinical review.", f"Review it here: {admin_url(item)}"],
    )


def told_author(item: models.Model, author_ids, outcome: str, by) -> None:
    """Tell the authors of a change (by user id; None and the person who acted are skipped) what became of it."""
    ids = {pk for pk in author_ids if pk is not None and pk != getattr(by, "pk", None)}
    if not ids:
        return
    _send(
        get_user_model().objects.filter(pk__in=ids),
        f"Your change was {outcome}: {item}",
        [OUTCOMES[outcome].format(by=name(by), what=_what(item)), f"See it here: {admin_url(item)}"],
    )


def _reviewers_but(person):
    from .review import REVIEWER_GROUP  # review.py calls this module

    reviewers = get_user_model().objects.filter(groups__name=REVIEWER_GROUP)
    return reviewers.exclude(pk=person.pk) if person is not None else reviewers


def asked(item: models.Model, by, what: str) -> None:
    """Tell the clinical reviewers (not the person asking) that an editor asks them something about an item."""
    _send(
        _reviewers_but(by),
        f"A request waits for you: {item}",
        [
            f"{name(by)} asks about {_what(item)}: {what.lower()}.",
            f"Answer it from the admin's home page: {settings.SITE_URL + reverse('admin:index')}",
        ],
    )


def request_answered(item: models.Model, requester_id, outcome: str, by) -> None:
    """Tell the person who asked that a reviewer granted or declined their request."""
    if requester_id is None or item is None:
        return
    _send(
        get_user_model().objects.filter(pk=requester_id),
        f"Your request was {outcome.lower()}: {item}",
        [f"{name(by)} {outcome.lower()} your request about {_what(item)}.", f"See it here: {admin_url(item)}"],
    )
