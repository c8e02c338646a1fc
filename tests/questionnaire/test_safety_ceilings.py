"""Safety cases guard the ceiling as well as the floor: over-triage sends people to A&E who need a GP."""

import dataclasses
from pathlib import Path

import pytest

from questionnaire import safety
from questionnaire.matching import AnswerOption

FAINT = AnswerOption(id=1, label="A one-off faint, and you felt fine again", urgency="see_doctor", advice="See a GP.")
CRAMP = AnswerOption(id=2, label="Cramps at night")
DATA = safety.QuestionnaireData(answers={("q", FAINT.label): FAINT, ("q", CRAMP.label): CRAMP}, causes={})


def _case(*labels: str, at_least: str = "self_care", at_most: str = "emergency") -> safety.Case:
    return safety.Case("A case", tuple(("q", label) for label in labels), at_least=at_least, at_most=at_most)


def test_a_case_within_its_ceiling_passes_and_one_above_it_fails_saying_why():
    assert safety.run(_case(FAINT.label, at_most="see_doctor"), DATA).passed
    over = safety.run(_case(FAINT.label, at_most="self_care"), DATA)
    assert not over.passed and not over.not_too_urgent and over.urgent_enough
    assert over.reason == "advice is “See a doctor”, must be at most “Self-care”"


def test_a_change_that_over_triages_a_guarded_case_is_refused_and_one_already_over_is_not_blamed():
    cases = [_case(FAINT.label, at_most="see_doctor"), dataclasses.replace(_case(CRAMP.label), name="Unguarded")]
    before = safety.check(cases, DATA)
    to_999 = dataclasses.replace(FAINT, urgency="emergency")
    after = safety.check(cases, dataclasses.replace(DATA, answers={**DATA.answers, ("q", FAINT.label): to_999}))
    assert [result.case.name for result in safety.made_unsafe(before, after)] == ["A case"]
    assert safety.made_unsafe(after, after) == []  # already over its ceiling: not this change's fault


def test_a_case_may_not_set_its_ceiling_below_its_floor_or_name_an_unknown_level(tmp_path: Path):
    def load(text: str) -> list[safety.Case]:
        path = tmp_path / "cases.toml"
        path.write_text(text)
        return safety.load_cases(path)

    answers = 'answers = [["q", "x"]]'
    assert load(f'[[cases]]\nname = "a"\nat_least = "urgent"\nat_most = "urgent"\n{answers}\n')[0].at_most == "urgent"
    assert load(f'[[cases]]\nname = "a"\nat_least = "urgent"\n{answers}\n')[0].has_ceiling is False
    with pytest.raises(ValueError, match="less urgent than at_least"):
        load(f'[[cases]]\nname = "a"\nat_least = "urgent"\nat_most = "see_doctor"\n{answers}\n')
    with pytest.raises(ValueError, match="unknown level"):
        load(f'[[cases]]\nname = "a"\nat_least = "self_care"\nat_most = "soon"\n{answers}\n')
