"""Questionnaire scoring: which causes fit the chosen answers, why, and how urgently to get help.

Pure functions: plain frozen dataclasses in and out, no database, no Django. `selectors.load()`
builds the published data they work on into these same dataclasses, keyed by id, once per content
version. It informs and signposts; it does not diagnose.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from causes.urgency import SELF_CARE, most_urgent, rank

STRONG_AT = 4  # a total weight of 4 or more reads as a strong match
MAX_MATCHES = 5

Strength = Literal["strong", "possible"]


@dataclass(frozen=True)
class CauseData:
    id: int
    slug: str
    title: str
    urgency: str


@dataclass(frozen=True)
class AnswerOption:
    """One answer a reader can choose, with the weights it gives causes: (cause id, weight)."""

    id: int
    label: str
    urgency: str = ""
    advice: str = ""
    red_flag: bool = False  # its question is a red-flag screen
    weights: tuple[tuple[int, int], ...] = ()
    group: str = ""  # the heading the form lists it under; matching does not use it
    asked_if: int | None = None  # its question is a follow-up, asked only when this answer id was chosen


@dataclass(frozen=True)
class AskedQuestion:
    """One question as readers get it, with its answers in order."""

    id: int
    key: str
    text: str
    help_text: str
    kind: str  # Question.Kind
    red_flag: bool
    options: tuple[AnswerOption, ...]
    asked_if: int | None = None  # a follow-up: asked only when the answer with this id was chosen
    opened_by: str = ""  # that answer's label, for "Answer this if ..."


@dataclass(frozen=True)
class CauseMatch:
    cause: CauseData
    score: int
    strength: Strength
    raised_by: tuple[str, ...]  # labels of the answers that made it more likely
    lowered_by: tuple[str, ...]  # labels of the answers that made it less likely


@dataclass(frozen=True)
class Card:
    """One box of advice on the results page: a level, what the chosen answers at it say to do, and which
    answers they are ("You told us: ..."; for self-care, every answer it rests on)."""

    level: str
    advice: tuple[str, ...]
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Triage:
    level: str
    advice: tuple[str, ...]  # advice of the chosen answers at that level, in answer order
    red_flags: tuple[str, ...]  # labels of red-flag answers chosen
    cards: tuple[Card, ...] = ()  # one per level present, most urgent (the triage level) first


@dataclass(frozen=True)
class Result:
    triage: Triage
    matches: tuple[CauseMatch, ...]

    @property
    def reassuring(self) -> bool:
        """Nothing chosen or matched needs more than self-care."""
        return self.triage.level == SELF_CARE


def asked(questions: Sequence[AskedQuestion], chosen: Collection[int]) -> tuple[AskedQuestion, ...]:
    """The questions a reader is asked, in order: each question for everyone, and each follow-up
    whose opening answer was chosen on a question they were asked."""
    path = []
    opened: set[int] = set()
    for question in questions:
        if question.asked_if is None or question.asked_if in opened:
            path.append(question)
            opened.update(option.id for option in question.options if option.id in chosen)
    return tuple(path)


def applicable(answers: Iterable[AnswerOption]) -> tuple[AnswerOption, ...]:
    """The answers that count: an answer to a follow-up counts only if the answer that opens it does.

    So a follow-up answered on the one-page form, and then left behind when its trigger is unticked,
    changes nothing. Order does not matter: a follow-up's trigger may itself be a follow-up's answer.
    """
    answers = tuple(answers)
    counted = {answer.id for answer in answers if answer.asked_if is None}
    while True:
        more = {a.id for a in answers if a.id not in counted and a.asked_if in counted}
        if not more:
            return tuple(answer for answer in answers if answer.id in counted)
        counted |= more


def without_repeats(advice: Iterable[str]) -> tuple[str, ...]:
    """Each piece of advice minus the sentences an earlier piece already said."""
    seen: set[str] = set()
    kept = []
    for text in advice:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s and s not in seen]
        seen.update(sentences)
        if sentences:
            kept.append(" ".join(sentences))
    return tuple(kept)


def score_causes(
    causes: Iterable[CauseData], answers: Iterable[AnswerOption], *, limit: int | None = None
) -> tuple[CauseMatch, ...]:
    """The causes that the answers made more likely overall, ranked best first (the first `limit`).

    Ties go to the more urgent cause, so a worrying possibility is never hidden below a
    harmless one with the same score; then to the title, so results are deterministic.
    """
    by_id = {cause.id: cause for cause in causes}
    scores: dict[int, int] = {}
    raised: dict[int, list[str]] = {}
    lowered: dict[int, list[str]] = {}
    for answer in answers:
        for cause_id, weight in answer.weights:
            if cause_id not in by_id:
                continue
            scores[cause_id] = scores.get(cause_id, 0) + weight
            (raised if weight > 0 else lowered).setdefault(cause_id, []).append(answer.label)

    ranked = [
        (-score, -rank(by_id[cause_id].urgency), by_id[cause_id].title, cause_id)
        for cause_id, score in scores.items()
        if score > 0
    ]
    ranked = heapq.nsmallest(limit, ranked) if limit is not None else sorted(ranked)
    return tuple(
        CauseMatch(
            cause=by_id[cause_id],
            score=-negative_score,
            strength="strong" if -negative_score >= STRONG_AT else "possible",
            raised_by=tuple(raised[cause_id]),
            lowered_by=tuple(lowered.get(cause_id, ())),
        )
        for negative_score, _, _, cause_id in ranked
    )


def triage(answers: Iterable[AnswerOption]) -> Triage:
    """The most urgent level among the chosen answers, and a card per level present.

    The level comes from what the reader told us, never from a guessed cause: a cause's own level
    stays on its card and its page. Advice stays in the card of its own level, so emergency advice
    is never shown in a lower box. With no answer that needs help, one self-care card names the
    answers it rests on.
    """
    answers = tuple(answers)
    level = most_urgent(a.urgency for a in answers)
    levels = sorted({level, *(a.urgency for a in answers if a.urgency)}, key=rank, reverse=True)
    cards = tuple(
        Card(
            value,
            without_repeats(a.advice for a in answers if a.advice and a.urgency == value),
            because=tuple(dict.fromkeys(a.label for a in answers if (a.urgency or SELF_CARE) == value and _tells(a))),
        )
        for value in levels
    )
    red_flags = tuple(a.label for a in answers if a.red_flag and a.urgency)
    return Triage(level=level, advice=cards[0].advice, red_flags=red_flags, cards=cards)


def _tells(answer: AnswerOption) -> bool:
    """An answer that says something about the result: one with a level or a weight, not "None of these"."""
    return bool(answer.urgency or answer.weights)


def match(causes: Iterable[CauseData], answers: Iterable[AnswerOption], *, limit: int = MAX_MATCHES) -> Result:
    """Score the causes and triage the answers that count (`applicable`): the causes never set the level."""
    answers = applicable(answers)
    return Result(triage=triage(answers), matches=score_causes(causes, answers, limit=limit))
