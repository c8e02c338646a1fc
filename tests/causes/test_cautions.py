"""The NHS's cautions travel with our advice: statins, magnesium and kidneys, numb feet in warm water, days or weeks."""

import re
import tomllib
from pathlib import Path

import pytest

from editorial import readability

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    path.name: tomllib.loads(path.read_text(encoding="utf-8"))
    for path in (
        ROOT / "causes/seed/content.toml",
        ROOT / "questionnaire/seed/questionnaire.toml",
    )
}


def _texts(value, where):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


TEXTS = [pair for name, data in SEEDS.items() for pair in _texts(data, name)]

# "Do not stop", "before you stop", "stop it on your own": said of a medicine unless the sentence is about drinking.
KEEP_TAKING = re.compile(r"\b(do not|don't|never) stop\b|\bbefore you stop\b|\bstop (it|them) on your own\b", re.I)
STATIN_EXCEPTION = re.compile(r"statin.*muscles hurt, feel tender or feel weak for no clear reason", re.I | re.S)
WARM_WATER = re.compile(r"\bsoak|\bbath\b|warm water", re.I)


def _tells_to_keep_taking_a_medicine(text: str) -> bool:
    return any(
        KEEP_TAKING.search(sentence) and not re.search(r"\bdrink", sentence, re.I)
        for sentence in readability.sentences(text)
    )


def test_the_texts_are_read_from_both_seed_files():
    assert {where.split(".")[0] for where, _ in TEXTS} == {"content", "questionnaire"}


def test_the_check_finds_advice_to_keep_taking_a_medicine_and_leaves_drinking_alone():
    assert _tells_to_keep_taking_a_medicine("Do not stop a medicine without advice.")
    assert _tells_to_keep_taking_a_medicine("Ask before you stop a medicine.")
    assert not _tells_to_keep_taking_a_medicine("If you drink a lot every day, do not stop all at once.")


def test_every_text_that_says_not_to_stop_a_medicine_names_the_statin_exception():
    found = [(where, text) for where, text in TEXTS if _tells_to_keep_taking_a_medicine(text)]
    assert len(found) >= 8  # the medicine, cramp, electrolyte, anxiety pages, the FAQ and two answers
    missing = [where for where, text in found if not STATIN_EXCEPTION.search(text)]
    assert not missing, "Says not to stop a medicine with no statin exception:\n" + "\n".join(missing)


def test_every_mention_of_magnesium_tablets_or_supplements_warns_about_kidney_disease():
    for where, text in TEXTS:
        if re.search(r"take magnesium|magnesium (supplement|tablet)|magnesium or potassium tablets", text, re.I):
            assert re.search(r"kidney disease", text, re.I), where
    supplements = next(item for item in SEEDS["content.toml"]["remedies"] if item["slug"] == "supplements")
    assert re.search(r"kidney disease, do not take magnesium unless a doctor", supplements["caution"])


def test_every_warm_soak_or_bath_tells_people_with_numb_feet_to_test_the_water_first():
    found = [(where, text) for where, text in TEXTS if WARM_WATER.search(text)]
    assert len(found) >= 5
    for where, text in found:
        assert re.search(r"numb", text, re.I) and re.search(r"hand or elbow", text, re.I), where


@pytest.mark.parametrize(
    "stale", [r"stop\w* (by themselves )?(with)?in a few days(?! or weeks)", r"stop in a few days\."]
)
def test_twitches_stop_within_days_or_weeks_as_the_nhs_says(stale):
    said = [where for where, text in TEXTS if re.search(stale, text, re.I)]
    assert not said, said
    assert sum("few days or weeks" in text for _, text in TEXTS) >= 3
