"""The seed questionnaire's shape (issue 25): a short front door, every sign on some page, every cause reachable.

Pure checks over the seed files and `questionnaire.matching`: no database.
"""

import itertools
import tomllib
from pathlib import Path

from questionnaire.matching import AnswerOption, CauseData, score_causes

ROOT = Path(__file__).resolve().parents[2]
SEED = tomllib.loads((ROOT / "questionnaire" / "seed" / "questionnaire.toml").read_text(encoding="utf-8"))
CONTENT = tomllib.loads((ROOT / "causes" / "seed" / "content.toml").read_text(encoding="utf-8"))
QUESTIONS = {question["key"]: question for question in SEED["questions"]}
FRONT_DOOR = QUESTIONS["red-flags"]
NONE = "None of these"
CAUSES = [CauseData(i, cause["slug"], cause["title"], cause["urgency"]) for i, cause in enumerate(CONTENT["causes"])]
CAUSE_ID = {cause.slug: cause.id for cause in CAUSES}


def _answer(number: int, option: dict) -> AnswerOption:
    weights = tuple((CAUSE_ID[slug], weight) for slug, weight in option["weights"].items())
    return AnswerOption(number, option["label"], option["urgency"], weights=weights)


ANSWERS = [
    (question, _answer(number, option))
    for number, (question, option) in enumerate(
        (question, option) for question in SEED["questions"] for option in question["options"]
    )
]


def _first(answers) -> str:
    ranked = score_causes(CAUSES, answers, limit=3)
    return ranked[0].cause.slug if ranked else ""


def _words(text: str) -> int:
    return len(text.split())


def test_the_front_door_has_at_most_12_answers_and_150_words():
    options = FRONT_DOOR["options"]
    words = _words(FRONT_DOOR["text"]) + _words(FRONT_DOOR.get("help_text", ""))
    words += sum(_words(option["label"]) for option in options)
    words += sum(_words(group) for group in {option.get("group", "") for option in options})
    assert len(options) <= 12
    assert words <= 150


def test_the_front_door_puts_none_of_these_first_and_holds_only_999_signs():
    options = sorted(FRONT_DOOR["options"], key=lambda option: option["order"])
    assert FRONT_DOOR["red_flag"] and FRONT_DOOR["text"] == "Do you need help now?"
    assert options[0]["label"] == NONE and not options[0]["urgency"]
    assert [option["urgency"] for option in options[1:]] == ["emergency"] * (len(options) - 1)
    assert [question["key"] for question in SEED["questions"] if question.get("red_flag")] == ["red-flags"]


def test_every_register_sign_is_an_answer_somewhere_at_its_level():
    levels = {sign["key"]: sign["level"] for sign in CONTENT["signs"]}
    offered: dict[str, set[str]] = {}
    for question in SEED["questions"]:
        for option in question["options"]:
            if "sign" in option:
                offered.setdefault(option["sign"], set()).add(option["urgency"])
    assert set(levels) - set(offered) == set()
    assert {key: urgencies for key, urgencies in offered.items() if urgencies != {levels[key]}} == {}


def test_a_follow_up_opens_from_an_earlier_answer_and_offers_none_of_these():
    follow_ups = [question for question in SEED["questions"] if "asked_if" in question]
    assert len(follow_ups) >= 6
    for question in follow_ups:
        trigger_key, trigger_label = question["asked_if"]
        trigger = QUESTIONS[trigger_key]
        assert trigger["order"] < question["order"], question["key"]
        assert trigger_label in [option["label"] for option in trigger["options"]], question["key"]
        assert NONE in [option["label"] for option in question["options"]], question["key"]


def test_the_context_question_opens_the_follow_ups_the_issue_names():
    opened = {tuple(question["asked_if"]) for question in SEED["questions"] if "asked_if" in question}
    health = [option["label"] for option in QUESTIONS["health"]["options"]]
    for start in ("You are pregnant", "You have diabetes", "You have a cut", "You stopped or cut down heavy drinking"):
        assert any(("health", label) in opened for label in health if label.startswith(start)), start
    assert any(("health", label) in opened for label in health if "medicine" in label)
    assert any(("health", label) in opened for label in health if "diarrhoea" in label)
    kinds = [option["label"] for option in QUESTIONS["medicine-kind"]["options"] if option["label"] != NONE]
    assert len(kinds) == 6 and all(("medicine-kind", kind) in opened for kind in kinds)


def test_every_cause_can_rank_first_from_some_answers():
    """Some answer, or pair of answers from different questions, puts each cause first."""
    reached = {_first([answer]) for _, answer in ANSWERS}
    for (one_question, one), (other_question, other) in itertools.combinations(ANSWERS, 2):
        if len(reached) == len(CAUSES):
            break
        if one_question is not other_question or one_question["kind"] == "multiple":
            reached.add(_first([one, other]))
    assert {cause.slug for cause in CAUSES} - reached == set()


def test_naming_a_medicine_kind_puts_side_effects_of_medicines_in_the_top_3():
    started = [answer for question, answer in ANSWERS if question["key"] == "health" and "medicine" in answer.label]
    for question, kind in ANSWERS:
        if question["key"] == "medicine-kind" and kind.label != NONE:
            top3 = [match.cause.slug for match in score_causes(CAUSES, [*started, kind], limit=3)]
            assert "medicine-side-effects" in top3, kind.label


def test_low_minerals_and_body_salts_are_told_apart_by_their_own_answers():
    first = {"low-minerals": [], "electrolyte-imbalance": []}
    for _, answer in ANSWERS:
        slug = _first([answer])
        if slug in first:
            first[slug].append(answer.label)
    assert first["low-minerals"] and first["electrolyte-imbalance"]


def test_no_answer_asks_the_reader_to_judge_whether_a_medicine_is_the_cause():
    labels = [option["label"].lower() for question in SEED["questions"] for option in question["options"]]
    assert not [label for label in labels if "medicine might be causing" in label]


def test_an_answer_levels_with_its_sign_and_a_plain_answer_has_no_level():
    levels = {sign["key"]: sign["level"] for sign in CONTENT["signs"]}
    for question in SEED["questions"]:
        for option in question["options"]:
            expected = levels.get(option.get("sign", ""), "")
            assert option["urgency"] == expected, option["label"]
