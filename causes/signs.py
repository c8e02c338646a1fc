"""Who may take a live warning sign off a page: the register's own rule, beside editorial/publishing.py's.

A sign on a page is a care box readers rely on, so removing one is a clinical reviewer's action;
an editor may add a sign to more pages. The admin's sign form and the cause page's inline call these.
"""

from __future__ import annotations

from collections.abc import Collection

from editorial import review
from editorial.publishing import Refusal, is_published_row

from .models import WarningSign


def may_unlink_signs(user) -> bool:
    """Taking a warning sign off a page removes a care box readers rely on: a clinical reviewer's action."""
    return review.can_approve(user, WarningSign)


def refuse_sign_changes(sign: WarningSign, user, causes: Collection | None, general: bool | None) -> Refusal | None:
    """An editor may put a live sign on more pages, never take it off one (or off the general list)."""
    live = review.live_version(sign)
    if not is_published_row(live) or may_unlink_signs(user):
        return None
    kept = {cause.pk for cause in causes} if causes is not None else None
    dropped = kept is not None and live.causes.exclude(pk__in=kept).exists()
    if dropped or (general is False and live.general):
        return Refusal(
            "needs_reviewer",
            "Only a clinical reviewer can take a live warning sign off a page or off the general list. "
            "You can add it to more pages.",
            "only a clinical reviewer can take it off a page",
        )
    return None
