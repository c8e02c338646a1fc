"""Urgency levels: the one definition of their values and order, and the default words readers see.

Plain Python with no Django import, so the questionnaire's pure matching can rank levels too.
`causes.models.Urgency` (the database choices) is made from here. Editors may change a level's
words (causes.models.UrgencyWording, after sign-off); templates get levels with those words laid
over these through `causes.selectors.urgency_levels`, never from here directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Level:
    value: str
    label: str  # the level's name: in the admin, and said to screen readers before each box heading
    heading: str  # the heading of the questionnaire's box at this level
    card_heading: str  # the heading of a page's box at this level, finished by its signs
    advice: str  # one line of advice when nothing more specific was given
    where: str = ""  # where to get help at this level, anywhere in the UK: shown in every box at this level
    title_prefix: str = ""  # starts the results page's title, so it is the first thing read
    insist: str = ""  # said in bold after the advice, whatever the advice was
    alert: bool = False  # announced at once to screen readers (role="alert") on the results page


LEVELS: tuple[Level, ...] = (  # least to most urgent
    Level(
        value="self_care",
        label="Self-care",
        heading="You can probably look after this yourself",
        card_heading="What you can do yourself",
        advice="Most toe twitches are harmless and stop by themselves. Try the things below for a week or two.",
    ),
    Level(
        value="see_doctor",
        label="See a doctor",
        heading="See a doctor about your twitching",
        card_heading="See a GP if:",
        advice=(
            "Book an appointment with a doctor. It is not an emergency, but a doctor should check what is causing it."
        ),
    ),
    Level(
        value="urgent",
        label="Urgent",
        heading="Urgent: get help from a doctor today",
        card_heading="Get help today if:",
        advice="Get an urgent appointment with a doctor today, or get help from 111.",
        where=(
            "Ask your GP for an urgent appointment. Or use 111 online, or call 111, day or night. "
            "In Northern Ireland, call your GP, or their out-of-hours service if they are closed."
        ),
        title_prefix="Urgent: get help today.",
        alert=True,
    ),
    Level(
        value="emergency",
        label="Emergency",
        heading="Emergency: call 999 or your local emergency number now",
        card_heading="Call 999 now if:",
        advice="Call 999 now, or the emergency number where you are.",
        title_prefix="Emergency: call 999 now.",
        insist="Do not wait to see if it gets better.",
        alert=True,
    ),
)
# The words an editor may change; the value, label, order and alert stay in code.
WORDS: tuple[str, ...] = ("heading", "card_heading", "advice", "where", "title_prefix", "insist")

BY_VALUE: dict[str, Level] = {level.value: level for level in LEVELS}
ORDER: tuple[str, ...] = tuple(level.value for level in LEVELS)
# The level sets other modules use, each derived from LEVELS: never restated as literals.
SELF_CARE: str = ORDER[0]  # the least urgent: a reader can look after it themselves
NEEDS_HELP: frozenset[str] = frozenset(ORDER[1:])  # every level a warning sign can have
SAME_DAY: frozenset[str] = frozenset(level.value for level in LEVELS if level.alert)  # help today: urgent, emergency


def rank(value: str) -> int:
    """Rank of a level, 0 for self-care; an empty or unknown level ranks as self-care."""
    return ORDER.index(value) if value in BY_VALUE else 0


def most_urgent(values: Iterable[str]) -> str:
    """The most urgent of the levels; self-care when there are none."""
    return ORDER[max(map(rank, values), default=0)]


def level(value: str) -> Level:
    """The level with this value; self-care for an empty or unknown one."""
    return BY_VALUE.get(value, LEVELS[0])


def worded(words: dict[str, dict[str, str]]) -> dict[str, Level]:
    """Every level by value, with an editor's words (by level value, then by WORDS name) in place of the defaults.

    A level with no words keeps the defaults; so does any word not given.
    """
    levels = {}
    for lvl in LEVELS:
        given: dict[str, Any] = {name: text for name, text in words.get(lvl.value, {}).items() if name in WORDS}
        levels[lvl.value] = replace(lvl, **given)
    return levels


def by_level(items: Iterable[tuple[str, T]], levels: dict[str, Level] | None = None) -> list[tuple[Level, list[T]]]:
    """Items grouped under their level, most urgent level first, keeping their order within a level.

    `levels` (from `worded`) gives the words each group's level carries; the defaults without it.
    """
    groups: dict[str, list[T]] = defaultdict(list)
    for value, item in items:
        groups[level(value).value].append(item)
    levels = levels or BY_VALUE
    return [(levels.get(lvl.value, lvl), groups[lvl.value]) for lvl in reversed(LEVELS) if groups[lvl.value]]
