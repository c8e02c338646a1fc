"""Every reader-facing text of every model is judged: prose by grade and sentence length, titles by length.

`editorial.readability.READER_FIELDS` names them; the admin's reading check reads the same list.
"""

import statistics
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from causes import selectors
from causes.models import Cause, WarningSign
from editorial import readability
from questionnaire.models import Question

# Every other text field of the site's models, with why a grade would mean nothing there.
NOT_FOR_READERS = {
    "editorial.Change.object_id": "a database key",
    "editorial.Change.title": "staff only: the item's title when the change was made",
    "editorial.Change.note": "staff only: why the change was made or decided",
    "editorial.Change.state": "a choice, worded in code",
    "editorial.SendBack.object_id": "a database key",
    "editorial.SendBack.title": "staff only: the item's title when it was sent back",
    "editorial.SendBack.note": "staff only: a reviewer's note to an editor",
    "editorial.EditorRequest.object_id": "a database key",
    "editorial.EditorRequest.title": "staff only",
    "editorial.EditorRequest.kind": "a choice, worded in code",
    "editorial.EditorRequest.reason": "staff only: an editor's reason",
    "editorial.EditorRequest.state": "a choice, worded in code",
    "editorial.EditorRequest.answer": "staff only: a reviewer's answer",
    "causes.Source.title": "the publisher's own title, quoted as they name it",
    "causes.Source.publisher": "the publisher's own name",
    "causes.MovedPage.old_path": "an address",
    "questionnaire.Release.note": "staff only: what a release changed",
    "questionnaire.Release.reviewed_by": "a person's name and role",
    "feedback.Feedback.page": "an address",
    "feedback.Feedback.comment": "written by a reader, not by us",
    "feedback.PostCount.sender": "a hashed sender, never shown",
}
COMMON = {  # on every publishable model
    "status": "a choice, worded in code (editorial/lifecycle.py)",
    "reviewed_by": "a person's name and role",
}
CHOICES = {"causes.Cause.category", "causes.Cause.urgency", "causes.WarningSign.level", "causes.UrgencyWording.level"}
CHOICES |= {"questionnaire.Question.kind", "questionnaire.Option.urgency"}  # worded once, in code


def _text_fields():
    """Every text field ("app_label.Model.field") of the models in this project's own apps."""
    base = Path(settings.BASE_DIR).resolve()
    for model in apps.get_models():
        app = apps.get_app_config(model._meta.app_label)
        if Path(app.path).resolve().parent != base or model.__name__.startswith("Historical"):  # ours, not Django's
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not isinstance(
                field, models.SlugField | models.URLField | models.EmailField | models.GenericIPAddressField
            ):
                yield f"{model._meta.label}.{field.name}", field


def test_every_text_field_of_every_model_is_judged_or_named_as_not_for_readers():
    unnamed = [
        name
        for name, field in _text_fields()
        if name not in readability.READER_FIELDS
        and name not in NOT_FOR_READERS
        and name not in CHOICES
        and field.name not in COMMON
    ]
    assert not unnamed, "Text fields nobody grades: add each to READER_FIELDS, or say why readers never read it"


def test_the_list_names_only_fields_that_exist():
    fields = {name for name, _ in _text_fields()}
    assert set(readability.READER_FIELDS) <= fields
    assert set(NOT_FOR_READERS) | CHOICES <= fields
    assert len(readability.READER_FIELDS) >= 30


def test_a_new_text_field_nobody_grades_is_found(monkeypatch):
    monkeypatch.delitem(readability.READER_FIELDS, "questionnaire.Option.advice")
    with pytest.raises(AssertionError, match="nobody grades"):
        test_every_text_field_of_every_model_is_judged_or_named_as_not_for_readers()


def test_each_kind_is_judged_as_it_is_read():
    assert readability.check(readability.TITLE, "Nerve damage (neuropathy)").ok
    assert not readability.check(readability.TITLE, " ".join(["word"] * 11)).ok
    sign = " ".join(["you"] * 16)
    assert readability.check(readability.SIGN, sign, heading="See a GP if:").ok
    assert not readability.check(readability.SIGN, sign, heading="Get help today from 111 or a GP if:").ok
    # Short enough, but over grade 6 read alone with its heading: each sign is graded one by one.
    hard = "you have diabetes, and your foot has a new shape or colour, or shiny skin"
    assert readability.check(readability.SIGN, hard, heading="Get help today if:").report.grade > 6
    assert not readability.check(readability.SIGN, hard, heading="Get help today if:").ok
    assert not readability.check(readability.TEXT, "Peripheral neuropathy manifests as fasciculations.").ok
    assert readability.check(readability.ANSWER, "Another medicine").ok  # a grade means nothing for two words


pytestmark = pytest.mark.usefixtures("seeded_module")  # the seed, loaded once


def _reader_texts():
    """Every reader text in the database as editors left it (the seed here): (where, kind, text, heading)."""
    levels = selectors.urgency_levels()
    for name, kind in readability.READER_FIELDS.items():
        label, field = name.rsplit(".", 1)
        model = apps.get_model(label)
        rows = model.objects.published() if hasattr(model.objects, "published") else model.objects.all()
        for item in rows:
            text = getattr(item, field)
            if text:
                heading = levels[item.level].card_heading if isinstance(item, WarningSign) else ""
                yield f"{name} {item.pk} ({item})", kind, text, heading


def _cards():
    """Each box of warning signs as a reader reads it: its heading, its signs, what to do and where to go."""
    levels = selectors.urgency_levels()
    pages = {"general": WarningSign.objects.published().filter(general=True)}
    for cause in Cause.objects.published():
        pages[cause.slug] = WarningSign.objects.published().filter(causes=cause)
    for page, signs in pages.items():
        found = [selectors.Sign(sign.text, sign.level, sign.action, ()) for sign in signs.order_by("order", "id")]
        for card in selectors.care_cards(found, levels):
            lines = [card.level.card_heading, *(f"- {sign.text}" for sign in card.signs), *card.actions]
            yield f"{page} {card.level.value} box", "\n".join([*lines, card.level.where])


def _question_pages():
    """Each question as a reader meets it: the question, why we ask, and its answers."""
    for question in Question.objects.published().prefetch_related("options"):
        answers = [f"- {option.label}" for option in question.options.all()]
        yield f"question {question.key}", "\n".join([question.text, question.help_text, *answers])


@pytest.mark.django_db
def test_every_reader_text_meets_its_kinds_target():
    texts = list(_reader_texts())
    assert len(texts) > 400
    failed = [
        f"{where}: grade {found.report.grade:.1f}, {found.words} words; longest {found.report.longest[:1]}"
        for where, kind, text, heading in texts
        if not (found := readability.check(kind, text, heading)).ok
    ]
    assert not failed, f"Over {readability.TARGET}, or too long:\n" + "\n".join(failed)


@pytest.mark.django_db
def test_every_box_of_warning_signs_reads_at_grade_6_or_lower_as_a_whole():
    cards = list(_cards())
    assert len(cards) > 30
    hard = [f"{where}: grade {grade:.1f}" for where, text in cards if (grade := readability.grade(text)) > 6]
    assert not hard, "\n".join(hard)


@pytest.mark.django_db
def test_every_question_page_reads_at_grade_6_or_lower_as_a_whole():
    pages = list(_question_pages())
    assert len(pages) > 20
    hard = [f"{where}: grade {grade:.1f}" for where, text in pages if (grade := readability.grade(text)) > 6]
    assert not hard, "\n".join(hard)


@pytest.mark.django_db
def test_the_median_and_highest_grade_over_every_reader_text():
    """The figures the issue asks for, over every graded text as read (prose, boxes, question pages)."""
    grades = [readability.grade(text) for _, kind, text, _ in _reader_texts() if kind == readability.TEXT]
    grades += [readability.grade(text) for _, text in [*_cards(), *_question_pages()]]
    print(f"\n{len(grades)} reader texts: median grade {statistics.median(grades):.1f}, highest {max(grades):.1f}")
    assert statistics.median(grades) <= 4.5 and max(grades) <= readability.TARGET_GRADE
