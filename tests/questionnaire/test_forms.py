import pytest
from django.http import QueryDict

from questionnaire.forms import QuestionnaireForm
from questionnaire.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(seeded):
    return list(Question.objects.published().prefetch_related("options"))


def _option(questions, key, label):
    question = next(q for q in questions if q.key == key)
    return str(next(o.id for o in question.options.all() if o.label.startswith(label)))


def _codes(form):
    return {name: [e.code for e in errors.as_data()] for name, errors in form.errors.items()}


def test_red_flags_are_required_and_other_questions_are_optional(questions):
    form = QuestionnaireForm({}, questions=questions)
    assert _codes(form) == {"red-flags": ["required"]}


def test_unknown_answers_are_refused_with_a_code(questions):
    data = QueryDict(mutable=True)
    data.setlist("red-flags", ["424242"])
    assert _codes(QuestionnaireForm(data, questions=questions)) == {"red-flags": ["invalid_choice"]}


def test_two_answers_to_a_single_choice_question_are_refused_with_a_code(questions):
    data = QueryDict(mutable=True)
    data.setlist("red-flags", [_option(questions, "red-flags", "None")])
    data.setlist("how-long", [_option(questions, "how-long", "A few days"), _option(questions, "how-long", "Months")])
    assert _codes(QuestionnaireForm(data, questions=questions)) == {"how-long": ["too_many"]}


def test_answers_come_back_in_question_order(questions):
    data = QueryDict(mutable=True)
    days, none = _option(questions, "how-long", "A few days"), _option(questions, "red-flags", "None")
    data.setlist("how-long", [days])
    data.setlist("red-flags", [none])
    form = QuestionnaireForm(data, questions=questions)
    assert form.is_valid()
    chosen = [(question.key, [option.id for option in options]) for question, options in form.answers() if options]
    assert chosen == [("red-flags", [int(none)]), ("how-long", [int(days)])]


def test_editor_help_text_is_escaped_because_crispy_renders_it_raw(seeded):
    question = Question.objects.get(key="how-long")
    question.help_text = "<img src=x onerror=alert(1)>"
    form = QuestionnaireForm(questions=[question])
    assert "<img" not in str(form["how-long"].help_text)
