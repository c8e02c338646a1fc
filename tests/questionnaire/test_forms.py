import pytest
from django.http import QueryDict

from questionnaire.forms import QuestionnaireForm
from questionnaire.models import Question
from questionnaire.selectors import published_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(seeded):
    return published_questions()


def _option(questions, key, label):
    options = next(options for question, options in questions if question.key == key)
    return str(next(o.id for o in options if o.label.startswith(label)))


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
    form = QuestionnaireForm(questions=[(question, list(question.options.all()))])
    assert "<img" not in str(form["how-long"].help_text)


def test_the_front_door_lists_none_of_these_first_with_no_group_headings(questions):
    form = QuestionnaireForm(questions=questions)
    choices = form.fields["red-flags"].choices
    assert not [choice for choice in choices if isinstance(choice[1], list)]  # headings cost words on page 1
    assert choices[0][1] == "None of these"


def test_the_form_runs_no_query_of_its_own(questions, django_assert_num_queries):
    with django_assert_num_queries(0):
        form = QuestionnaireForm({"red-flags": [_option(questions, "red-flags", "None")]}, questions=questions)
        assert form.is_valid() and form.answers()


def test_the_prepared_choices_render_and_validate_as_a_plain_list_of_them_would(questions):
    """The form hands its fields choices ready-made (so they are not re-walked); nothing a reader sees may differ."""
    form = QuestionnaireForm(questions=questions)
    for name, field in form.fields.items():
        plain = type(field)(choices=[*field.choices], widget=type(field.widget), required=field.required)
        assert field.widget.render(name, None) == plain.widget.render(name, None)
        for value in [*(str(option.id) for option in next(o for q, o in questions if q.key == name)), "424242"]:
            assert field.valid_value(value) == plain.valid_value(value)
