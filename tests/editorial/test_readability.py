"""How hard a text is to read: the grade and long sentences an editor is shown; the site's own words (no database)."""

import tomllib
from pathlib import Path

import pytest

from causes import urgency
from editorial import readability

EASY = "The cat sat on the mat. It was warm. The dog ran to the cat. They had fun in the sun."
HARD = (
    "Peripheral neuropathy, characterised by progressive degeneration of sensory and motor axons, "
    "frequently manifests as involuntary fasciculations accompanied by paraesthesia and proprioceptive deficits."
)


def test_plain_text_keeps_the_words_and_drops_the_markdown():
    markdown = "## What it is\n- **Bold** item\n1. Step one\n> A quote\n[NHS](https://www.nhs.uk) says *rest*."
    assert readability.plain_text(markdown) == "What it is. Bold item. Step one. A quote. NHS says rest."


def test_plain_text_drops_raw_html_and_nul_characters():
    assert readability.plain_text("<script>alert(1)</script>\x00 Hi <b>there</b>") == " Hi there."


def test_a_line_that_ends_with_a_colon_runs_on_into_the_next():
    assert readability.plain_text("Try these:\n- rest\n- water") == "Try these: rest. water."


def test_sentences_end_at_full_stops_and_at_line_breaks():
    assert readability.sentences("One two. Three four!\n- Five six\n\nSeven? Eight") == [
        "One two.",
        "Three four!",
        "Five six",
        "Seven?",
        "Eight",
    ]


def test_markdown_marks_do_not_change_the_grade():
    plain = f"{EASY} {HARD}"
    assert readability.grade(f"## {EASY}\n\n- **{HARD}**") == pytest.approx(readability.grade(plain), abs=1)
    assert readability.grade("The cat sat on the mat. It was warm.") < 3 < readability.grade(HARD)


def test_easy_text_meets_the_target_and_hard_text_does_not():
    easy, hard = readability.report(EASY), readability.report(HARD)
    assert easy.ok and easy.grade <= readability.TARGET_GRADE
    assert not hard.ok and hard.grade > readability.TARGET_GRADE


def test_the_report_names_the_three_longest_sentences_longest_first():
    words = {n: " ".join(["word"] * n) + "." for n in (3, 21, 20, 5)}
    report = readability.report(" ".join(words.values()))
    assert [(sentence.text, sentence.words) for sentence in report.longest] == [
        (words[21], 21),
        (words[20], 20),
        (words[5], 5),
    ]
    assert [sentence.too_long for sentence in report.longest] == [True, False, False]


def test_an_empty_text_has_no_sentences():
    report = readability.report("")
    assert report.longest == () and report.grade == 0


def test_a_huge_text_with_no_full_stop_is_one_long_sentence():
    report = readability.report("x " * 50_000)
    assert report.longest == (readability.Sentence(" ".join(["x"] * 50_000), 50_000),)
    assert report.longest[0].too_long and not report.ok


def _levels_results_box(level: urgency.Level) -> str:
    """What the results box at a level says, read as a whole."""
    words = (level.title_prefix, level.heading, level.advice, level.where, level.insist)
    return "\n".join(text for text in words if text)


@pytest.mark.parametrize("level", urgency.LEVELS, ids=lambda level: level.value)
def test_the_default_urgency_wording_is_plain(level):
    report = readability.report(_levels_results_box(level))
    assert report.grade <= readability.TARGET_GRADE, report
    for name in urgency.WORDS:
        for sentence in readability.sentences(getattr(level, name)):
            assert len(sentence.split()) <= readability.MAX_WORDS, f"{level.value} {name}: {sentence}"


SEED = tomllib.loads((Path(__file__).resolve().parents[2] / "causes/seed/content.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", SEED["pages"], ids=lambda page: page["slug"])
def test_the_seeded_site_pages_read_at_the_target_with_short_sentences(page):
    for text in (page["summary"], f"{page['lead']}\n{page['body']}"):
        report = readability.report(text)
        assert report.ok and not any(sentence.too_long for sentence in report.longest), (page["slug"], report)


@pytest.mark.parametrize("level", SEED["urgency"], ids=lambda level: level["level"])
def test_the_seeded_urgency_wording_reads_at_the_target_with_short_sentences(level):
    box = "\n".join(level[name] for name in ("title_prefix", "heading", "advice", "where", "insist") if level[name])
    report = readability.report(box)
    assert report.ok and not any(sentence.too_long for sentence in report.longest), (level["level"], report)
