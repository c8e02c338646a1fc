"""The pure matching functions, tested with tables and no database."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causes.urgency import rank
from questionnaire import matching
from questionnaire.matching import STRONG_AT, AnswerOption, CauseData, match, score_causes, triage, without_repeats

CAUSES = (
    CauseData(1, "harmless", "Harmless twitches", "self_care"),
    CauseData(2, "caffeine", "Too much caffeine", "self_care"),
    CauseData(3, "nerves", "Nerve damage", "see_doctor"),
    CauseData(4, "circulation", "Poor circulation", "see_doctor"),
)
ID = {cause.slug: cause.id for cause in CAUSES}


def answer(option_id, label, *weights, urgency="", advice="", red_flag=False):
    """An option whose weights are written with cause slugs, for reading; matching gets cause ids."""
    weights = tuple((ID.get(slug, 99), weight) for slug, weight in weights)
    return AnswerOption(option_id, label, urgency=urgency, advice=advice, red_flag=red_flag, weights=weights)


FEW_DAYS = answer(1, "A few days", ("harmless", 2), ("nerves", -1))
COFFEE = answer(2, "Lots of coffee", ("caffeine", 3), ("harmless", 1))
NUMB = answer(3, "Numbness", ("nerves", 3), ("harmless", -1), urgency="see_doctor", advice="See a doctor soon.")
DIABETES = answer(4, "Diabetes", ("nerves", 2), ("circulation", 2), urgency="see_doctor", advice="Tell your doctor.")
COLD_FOOT = answer(
    5, "Cold, pale, painful foot", ("circulation", 3), urgency="emergency", advice="Call 999 now.", red_flag=True
)
WORSE = answer(6, "Weakness getting worse", ("nerves", 2), urgency="urgent", advice="Get help today.", red_flag=True)
NONE = answer(7, "None of these")


def test_matching_is_pure_python_with_no_django_import():
    tree = ast.parse(Path(matching.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.startswith(("django", "causes.models", "questionnaire."))}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # (slug, score, strength) best first
        ([], []),
        ([NONE], []),
        ([FEW_DAYS], [("harmless", 2, "possible")]),
        ([COFFEE], [("caffeine", 3, "possible"), ("harmless", 1, "possible")]),
        ([FEW_DAYS, COFFEE], [("harmless", 3, "possible"), ("caffeine", 3, "possible")]),
        ([NUMB, DIABETES], [("nerves", 5, "strong"), ("circulation", 2, "possible")]),
        ([FEW_DAYS, NUMB], [("nerves", 2, "possible"), ("harmless", 1, "possible")]),
        (
            [FEW_DAYS, NUMB, DIABETES, COFFEE],
            [
                ("nerves", 4, "strong"),
                ("caffeine", 3, "possible"),
                ("circulation", 2, "possible"),
                ("harmless", 2, "possible"),
            ],
        ),
    ],
)
def test_scores_rank_and_strength(answers, expected):
    got = [(m.cause.slug, m.score, m.strength) for m in score_causes(CAUSES, answers)]
    assert got == expected


def test_each_match_says_which_answers_raised_and_lowered_it():
    nerves = next(m for m in score_causes(CAUSES, [FEW_DAYS, NUMB, DIABETES]) if m.cause.slug == "nerves")
    assert nerves.raised_by == ("Numbness", "Diabetes")
    assert nerves.lowered_by == ("A few days",)


def test_a_cause_pushed_to_zero_or_below_is_not_shown():
    only_lowered = answer(9, "Spreads", ("harmless", -1))
    assert score_causes(CAUSES, [only_lowered]) == ()
    cancelled = answer(10, "Odd", ("caffeine", 1), ("caffeine", -1))
    assert score_causes(CAUSES, [cancelled]) == ()


def test_weights_for_unknown_or_unpublished_causes_are_ignored():
    assert score_causes(CAUSES, [answer(11, "X", ("retired-cause", 3))]) == ()


def test_ties_put_the_more_urgent_cause_first_then_sort_by_title():
    tie = answer(12, "Tie", ("harmless", 2), ("nerves", 2), ("caffeine", 2))
    assert [m.cause.slug for m in score_causes(CAUSES, [tie])] == ["nerves", "harmless", "caffeine"]


def test_ranking_is_deterministic_whatever_the_input_order():
    answers = [FEW_DAYS, COFFEE, NUMB, DIABETES]
    first = match(CAUSES, answers)
    assert first == match(CAUSES, answers)
    shuffled = match(reversed(CAUSES), list(reversed(answers)))
    assert [(m.cause, m.score) for m in shuffled.matches] == [(m.cause, m.score) for m in first.matches]
    assert shuffled.triage.level == first.triage.level


def test_strength_threshold():
    at = answer(13, "At", ("caffeine", STRONG_AT))
    below = answer(14, "Below", ("caffeine", STRONG_AT - 1))
    assert score_causes(CAUSES, [at])[0].strength == "strong"
    assert score_causes(CAUSES, [below])[0].strength == "possible"


def test_match_shows_at_most_the_limit():
    many = answer(15, "Many", *[(c.slug, 1) for c in CAUSES])
    assert len(match(CAUSES, [many], limit=2).matches) == 2


@pytest.mark.parametrize(
    ("answers", "level", "advice", "red_flags"),
    [
        ([], "self_care", (), ()),
        ([NONE, FEW_DAYS, COFFEE], "self_care", (), ()),
        ([NUMB], "see_doctor", ("See a doctor soon.",), ()),
        ([NUMB, DIABETES], "see_doctor", ("See a doctor soon.", "Tell your doctor."), ()),
        ([NUMB, WORSE], "urgent", ("Get help today.",), ("Weakness getting worse",)),
        (
            [WORSE, COLD_FOOT, NUMB],
            "emergency",
            ("Call 999 now.",),
            ("Weakness getting worse", "Cold, pale, painful foot"),
        ),
    ],
)
def test_triage_takes_the_most_urgent_answer_and_its_advice(answers, level, advice, red_flags):
    result = triage(answers)
    assert (result.level, result.advice, result.red_flags) == (level, advice, red_flags)


def test_a_strong_cause_never_raises_the_level_above_what_the_reader_told_us():
    # A cause's level is what to do if it is the cause: it stays on its card, never lifting the result (issue 30).
    result = match(CAUSES, [answer(16, "Odd feeling", ("nerves", 3), ("nerves", 2))])
    assert result.matches[0].cause.urgency == "see_doctor" and result.matches[0].strength == "strong"
    assert result.triage.level == "self_care"
    assert result.reassuring


def test_a_weak_best_match_does_not_set_the_level_either():
    result = match(CAUSES, [answer(18, "Both feet", ("circulation", 1))])
    assert result.triage.level == "self_care"


CAUSE_LEVELS = ("self_care", "see_doctor", "urgent", "emergency")


@given(
    answers=st.lists(
        st.builds(
            AnswerOption,
            id=st.integers(1, 40),
            label=st.text(min_size=1, max_size=5),
            urgency=st.sampled_from(("", *CAUSE_LEVELS[1:])),
            weights=st.lists(st.tuples(st.integers(1, 6), st.integers(-3, 3).filter(bool)), max_size=3).map(tuple),
        ),
        max_size=8,
        unique_by=lambda answer: answer.id,
    ),
    cause_levels=st.lists(st.sampled_from(CAUSE_LEVELS), min_size=6, max_size=6),
)
def test_a_results_level_never_exceeds_the_most_urgent_chosen_answer(answers, cause_levels):
    causes = [CauseData(n, f"c{n}", f"Cause {n}", level) for n, level in enumerate(cause_levels, start=1)]
    result = match(causes, answers)
    assert rank(result.triage.level) == max((rank(a.urgency) for a in answers), default=0)


def test_no_answers_gives_no_matches_and_self_care():
    result = match(CAUSES, [])
    assert result.matches == ()
    assert result.triage.level == "self_care"


@pytest.mark.parametrize(
    ("advice", "expected"),
    [
        ([], ()),
        (["Call 999 now."], ("Call 999 now.",)),
        (
            ["See a GP soon. Numbness matters.", "See a GP soon. Tingling matters."],
            ("See a GP soon. Numbness matters.", "Tingling matters."),
        ),
        (["Same.", "Same."], ("Same.",)),
    ],
)
def test_advice_is_shown_without_repeated_sentences(advice, expected):
    assert without_repeats(advice) == expected


def test_each_level_chosen_gets_its_own_card_with_only_its_own_advice():
    result = triage([NUMB, COLD_FOOT, WORSE, NONE])
    assert [(card.level, card.advice) for card in result.cards] == [
        ("emergency", ("Call 999 now.",)),
        ("urgent", ("Get help today.",)),
        ("see_doctor", ("See a doctor soon.",)),
    ]
    assert result.advice == result.cards[0].advice


def test_every_card_names_the_answers_that_set_it():
    result = triage([NUMB, COLD_FOOT, WORSE, NONE, COFFEE])
    assert [(card.level, card.because) for card in result.cards] == [
        ("emergency", ("Cold, pale, painful foot",)),
        ("urgent", ("Weakness getting worse",)),
        ("see_doctor", ("Numbness",)),
    ]


def test_a_self_care_result_names_the_answers_it_rests_on_and_not_none_of_these():
    result = match(CAUSES, [NONE, FEW_DAYS, COFFEE, answer(16, "Odd feeling", ("nerves", 3), ("nerves", 2))])
    assert [(card.level, card.advice, card.because) for card in result.triage.cards] == [
        ("self_care", (), ("A few days", "Lots of coffee", "Odd feeling"))
    ]
    assert triage([NONE]).cards[0].because == ()
