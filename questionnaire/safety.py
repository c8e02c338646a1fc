"""The questionnaire's safety cases: written answers, and the least and most urgent advice the results may give.

Pure functions over plain data, no Django: `selectors.safety_data()` loads the questionnaire as
it is (published only) or as it would be (drafts too), with the same loader as the results page;
`check()` runs every case through the same matching. The cases live in `seed/safety_cases.toml`
and are the spec: a case is changed only when the clinical expectation changes, never to make a
weight fit.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from causes.urgency import BY_VALUE, level, rank

from .matching import AnswerOption, CauseData, match

CASES_PATH = Path(__file__).parent / "seed" / "safety_cases.toml"
GATED_LEVELS = frozenset({"emergency", "urgent"})  # a change may never make these cases less urgent
TOP = 3


@dataclass(frozen=True)
class Case:
    name: str
    answers: tuple[tuple[str, str], ...]  # (question key, option label)
    at_least: str  # the least urgent overall advice level that is acceptable
    top3: tuple[str, ...] = ()  # cause slugs that must be among the first 3 matches
    at_most: str = "emergency"  # the most urgent level acceptable: sending people to A&E who need a GP is harm too

    @property
    def gated(self) -> bool:
        return self.at_least in GATED_LEVELS

    @property
    def has_ceiling(self) -> bool:
        return self.at_most != "emergency"


@dataclass(frozen=True)
class QuestionnaireData:
    """What the results page would work on: every answer by (question key, label), and the causes."""

    answers: Mapping[tuple[str, str], AnswerOption]
    causes: Mapping[int, CauseData]  # by id; only causes that can be shown
    titles: Mapping[str, str] = field(default_factory=dict)  # every cause's title, by its slug now
    moved: Mapping[str, str] = field(default_factory=dict)  # a cause's old slug -> its slug now (its moved pages)

    def slug_now(self, slug: str) -> str:
        """Where a case's cause slug points now: a renamed cause is found by its old slug."""
        return slug if slug in self.titles else self.moved.get(slug, slug)

    def title(self, slug: str) -> str:
        """A cause's title for reports, by any slug it has had; the slug itself if there is no such cause."""
        return self.titles.get(self.slug_now(slug), slug)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    passed: bool
    reason: str  # empty when the case passed
    level: str  # the overall advice level, from the answers that still exist
    top3: tuple[str, ...]  # slugs
    urgent_enough: bool  # the level is at least the case's `at_least`
    not_too_urgent: bool = True  # the level is at most the case's `at_most`
    top3_titles: tuple[str, ...] = ()  # the first matches, as reports name them
    expected_titles: tuple[str, ...] = ()  # the case's `top3`, as reports name them


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    """The cases in a TOML file; a malformed case is a ValueError naming it."""
    with path.open("rb") as file:
        raw = tomllib.load(file)
    cases = []
    for entry in raw.get("cases", []):
        name = entry.get("name", "?")
        at_least = entry.get("at_least", "")
        at_most = entry.get("at_most", "emergency")
        for given in (at_least, at_most):
            if given not in BY_VALUE:
                raise ValueError(f"case {name!r}: unknown level {given!r}")
        if rank(at_most) < rank(at_least):
            raise ValueError(f"case {name!r}: at_most ({at_most}) is less urgent than at_least ({at_least})")
        answers = entry.get("answers", [])
        if not answers or any(len(pair) != 2 for pair in answers):
            raise ValueError(f"case {name!r}: answers must be [question key, option label] pairs")
        cases.append(
            Case(
                name=name,
                answers=tuple((str(key), str(label)) for key, label in answers),
                at_least=at_least,
                top3=tuple(entry.get("top3", ())),
                at_most=at_most,
            )
        )
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise ValueError("case names must be unique")
    return cases


def run(case: Case, data: QuestionnaireData) -> CaseResult:
    """One case through the matching, as the results page would show it."""
    missing = [f"{key} / “{label}”" for key, label in case.answers if (key, label) not in data.answers]
    answers = [data.answers[pair] for pair in case.answers if pair in data.answers]
    cause_ids = {cause_id for answer in answers for cause_id, _ in answer.weights if cause_id in data.causes}
    result = match([data.causes[cause_id] for cause_id in cause_ids], answers)
    actual_level = result.triage.level
    top3 = tuple(m.cause.slug for m in result.matches[:TOP])
    urgent_enough = rank(actual_level) >= rank(case.at_least)
    not_too_urgent = rank(actual_level) <= rank(case.at_most)
    problems = []
    if missing:  # the rest of the answers still tell whether the change made the case less urgent
        problems.append("answer no longer in the questionnaire: " + "; ".join(missing))
    if not urgent_enough:
        problems.append(f"advice is “{level(actual_level).label}”, must be at least “{level(case.at_least).label}”")
    if not not_too_urgent:
        problems.append(f"advice is “{level(actual_level).label}”, must be at most “{level(case.at_most).label}”")
    absent = [slug for slug in case.top3 if data.slug_now(slug) not in top3]
    if absent:
        problems.append(f"not in the top {TOP}: {', '.join(data.title(slug) for slug in absent)}")
    return CaseResult(
        case,
        passed=not problems,
        reason="; ".join(problems),
        level=actual_level,
        top3=top3,
        urgent_enough=urgent_enough,
        not_too_urgent=not_too_urgent,
        top3_titles=tuple(data.title(slug) for slug in top3),
        expected_titles=tuple(data.title(slug) for slug in case.top3),
    )


def check(cases: Iterable[Case], data: QuestionnaireData) -> list[CaseResult]:
    return [run(case, data) for case in cases]


def made_unsafe(before: Iterable[CaseResult], after: Iterable[CaseResult]) -> list[CaseResult]:
    """Cases a change breaks: an emergency or urgent case made less urgent than its floor, or any case
    made more urgent than its ceiling (over-triage), where the case held before the change.

    A case that already failed is not blamed on the change, so one broken case does not block
    every other edit; the safety cases page shows it.
    """
    held_floor = {result.case.name for result in before if result.case.gated and result.urgent_enough}
    held_ceiling = {result.case.name for result in before if result.case.has_ceiling and result.not_too_urgent}
    return [
        result
        for result in after
        if (result.case.name in held_floor and not result.urgent_enough)
        or (result.case.name in held_ceiling and not result.not_too_urgent)
    ]
