"""Urgency levels: the one definition of their values, order and reader-facing words.

Plain Python with no Django import, so the questionnaire's pure matching can rank levels too.
`causes.models.Urgency` (the database choices) and every template read from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    value: str
    label: str  # the editors' name for the level, in the admin
    summary: str  # the strong line in a cause page's "when to see a doctor" box
    heading: str  # the heading of the questionnaire's triage box
    advice: str  # one line of advice when nothing more specific was given
    signs_intro: str = ""  # leads the list of warning signs at this level
    title_prefix: str = ""  # starts the results page's title, so it is the first thing read
    insist: str = ""  # said in bold after the advice, whatever the advice was
    alert: bool = False  # announced at once to screen readers (role="alert") on the results page


LEVELS: tuple[Level, ...] = (  # least to most urgent
    Level(
        value="self_care",
        label="Self-care",
        summary="Usually you can look after this yourself",
        heading="You can probably look after this yourself",
        advice="Most toe twitches are harmless and stop by themselves. Try the things below for a week or two.",
    ),
    Level(
        value="see_doctor",
        label="See a doctor",
        summary="See a doctor if this sounds like you",
        heading="See a doctor about your twitching",
        advice=(
            "Book an appointment with a doctor. It is not an emergency, but a doctor should check what is causing it."
        ),
    ),
    Level(
        value="urgent",
        label="Urgent",
        summary="Urgent: get help today",
        heading="Urgent: get help from a doctor today",
        advice="Get an urgent appointment with a doctor today, or call 111.",
        signs_intro="Get help today from 111 or an urgent doctor's appointment if you have:",
        title_prefix="Urgent: get help today.",
        alert=True,
    ),
    Level(
        value="emergency",
        label="Emergency",
        summary="Emergency: get help now",
        heading="Emergency: call 999 or your local emergency number now",
        advice="Call 999 or your local emergency number now.",
        signs_intro="Call 999 or your local emergency number now if you have:",
        title_prefix="Emergency: call 999 now.",
        insist="Do not wait to see if it gets better.",
        alert=True,
    ),
)
# The levels whose red-flag answers are listed as warning signs on every page, most urgent first.
ALERT_LEVELS: tuple[Level, ...] = tuple(level for level in reversed(LEVELS) if level.alert)
BY_VALUE: dict[str, Level] = {level.value: level for level in LEVELS}
ORDER: tuple[str, ...] = tuple(level.value for level in LEVELS)


def rank(value: str) -> int:
    """Rank of a level, 0 for self-care; an empty or unknown level ranks as self-care."""
    return ORDER.index(value) if value in BY_VALUE else 0


def most_urgent(values: Iterable[str]) -> str:
    """The most urgent of the levels; self-care when there are none."""
    return ORDER[max(map(rank, values), default=0)]


def level(value: str) -> Level:
    """The level with this value; self-care for an empty or unknown one."""
    return BY_VALUE.get(value, LEVELS[0])
