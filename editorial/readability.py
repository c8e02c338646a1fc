"""How hard a text is to read: its Flesch-Kincaid grade and its longest sentences.

Pure functions over Markdown as editors write it. The admin's text preview (causes/preview.py) and
the seed content's tests both judge text here, so an editor sees the grade the tests would give.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import textstat

TARGET_GRADE = 6.0  # Flesch-Kincaid grade 6 is reading age 11
TARGET = "grade 6 or lower (reading age 9 to 11)"
MAX_WORDS = 20  # a sentence longer than this is too long
SHOWN = 3  # how many of the longest sentences a report names

_BLOCK_MARK = re.compile(r"^\s*(#+|-|\*|\+|>|\d+\.)\s+")  # a heading, list item or quote
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # [words](address): the words are read
# Raw HTML is never shown to readers (causes/templatetags/markdown.py), nor a script's or a style's content.
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>\n]*>")
_INLINE_MARK = re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)")  # emphasis and code; a_word keeps its _
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class Sentence(NamedTuple):
    text: str
    words: int

    @property
    def too_long(self) -> bool:
        return self.words > MAX_WORDS


@dataclass(frozen=True)
class Readability:
    grade: float
    longest: tuple[Sentence, ...]  # longest first, at most SHOWN
    target: float = TARGET_GRADE

    @property
    def ok(self) -> bool:
        return self.grade <= self.target


def lines(markdown: str) -> list[str]:
    """Each line that has words, without its Markdown marks: the one Markdown-to-text rule (search uses it too)."""
    lines = []
    for line in markdown.replace("\x00", "").splitlines():
        line = _BLOCK_MARK.sub("", line).replace("**", "")
        line = _INLINE_MARK.sub("", _TAG.sub("", _HIDDEN.sub("", _LINK.sub(r"\1", line))))
        if line.strip():
            lines.append(line)
    return lines


def plain_text(markdown: str) -> str:
    """The words a reader reads, as one text. Each line (a list item, a heading) ends a sentence."""
    return " ".join(line if line.rstrip().endswith((".", "!", "?", ":")) else f"{line}." for line in lines(markdown))


def sentences(markdown: str) -> list[str]:
    """The sentences of a text, in order. A line break ends one too."""
    return [part.strip() for line in lines(markdown) for part in _SENTENCE_END.split(line) if part.strip()]


def grade(markdown: str) -> float:
    """The Flesch-Kincaid grade of a text."""
    return float(textstat.flesch_kincaid_grade(plain_text(markdown)))


def report(markdown: str) -> Readability:
    """A text's grade against the target, and its longest sentences."""
    counted = [Sentence(text, len(text.split())) for text in sentences(markdown)]
    longest = sorted(counted, key=lambda sentence: sentence.words, reverse=True)[:SHOWN]
    return Readability(grade=grade(markdown), longest=tuple(longest))


# How each kind of reader text is judged.
TEXT = "text"  # read as prose: grade 6 or lower, every sentence 20 words or fewer
TITLE = "title"  # a title, heading or label: judged by its length, as a grade means nothing for a few words
ANSWER = "answer"  # a questionnaire answer: 20 words or fewer, graded with its question as the reader meets it
SIGN = "sign"  # a warning sign, read alone after its level's heading ("Call 999 now if: ..."): grade 6, 20 words
MAX_TITLE_WORDS = 10

# Every reader-facing text field of every model ("app_label.Model.field") and how it is judged: the one
# list the seed tests, the model-field test and the editors' reading check in the admin all read.
READER_FIELDS: dict[str, str] = {
    "causes.Cause.title": TITLE,
    "causes.Cause.summary": TEXT,
    "causes.Cause.body": TEXT,
    "causes.Cause.self_care": TEXT,
    "causes.Remedy.title": TITLE,
    "causes.Remedy.summary": TEXT,
    "causes.Remedy.body": TEXT,
    "causes.Remedy.caution": TEXT,
    "causes.Faq.question": TITLE,
    "causes.Faq.answer": TEXT,
    "causes.WarningSign.text": SIGN,
    "causes.WarningSign.action": TEXT,
    "causes.SitePage.title": TITLE,
    "causes.SitePage.summary": TEXT,
    "causes.SitePage.lead": TEXT,
    "causes.SitePage.body": TEXT,
    "causes.UrgencyWording.heading": TITLE,
    "causes.UrgencyWording.card_heading": TITLE,
    "causes.UrgencyWording.advice": TEXT,
    "causes.UrgencyWording.where": TEXT,
    "causes.UrgencyWording.title_prefix": TITLE,
    "causes.UrgencyWording.insist": TEXT,
    "glossary.GlossaryTerm.term": TITLE,
    "glossary.GlossaryTerm.also": TITLE,
    "glossary.GlossaryTerm.meaning": TEXT,
    "search.Synonym.phrase": TITLE,
    "search.Synonym.means": TITLE,
    "questionnaire.Question.text": TEXT,
    "questionnaire.Question.help_text": TEXT,
    "questionnaire.Option.label": ANSWER,
    "questionnaire.Option.advice": TEXT,
    "questionnaire.Option.group": TITLE,
}


def reader_fields(label: str) -> dict[str, str]:
    """The reader-facing text fields of one model (by its label, "causes.Cause"), each with its kind."""
    return {key.rsplit(".", 1)[1]: kind for key, kind in READER_FIELDS.items() if key.rsplit(".", 1)[0] == label}


@dataclass(frozen=True)
class Check:
    """One text judged as its kind is judged: the grade and longest sentences, and its length against the limit."""

    kind: str
    report: Readability
    words: int
    limit: int

    @property
    def graded(self) -> bool:
        """Whether this text's own grade is the test: prose, and a sign read alone after its heading.

        Titles are judged by length, and answers with their question, as a grade means nothing for a few words.
        """
        return self.kind in (TEXT, SIGN)

    @property
    def by_length(self) -> bool:
        """Whether the text has a word limit of its own (titles, answers and signs as read after their heading)."""
        return self.kind != TEXT

    @property
    def short_enough(self) -> bool:
        return self.words <= self.limit and not any(sentence.too_long for sentence in self.report.longest)

    @property
    def ok(self) -> bool:
        return self.short_enough and (self.report.ok or not self.graded)


def check(kind: str, markdown: str, heading: str = "") -> Check:
    """A reader text judged by its kind; a sign is read after `heading`, its level's heading, as readers read it."""
    text = f"{heading} {markdown}" if kind == SIGN and heading else markdown
    words = len(plain_text(text).split())
    limit = MAX_TITLE_WORDS if kind == TITLE else MAX_WORDS if kind in (ANSWER, SIGN) else words
    return Check(kind, report(text), words, limit)
