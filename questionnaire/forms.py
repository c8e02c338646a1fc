from collections import defaultdict
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape

from .matching import AnswerOption, asked
from .models import Question
from .selectors import AskedQuestion

NOT_RECOGNISED = "We did not recognise that answer. Please choose from the list."


class _Normalised(BaseChoiceIterator):
    """Choices already in Django's normal form, so the field and its widget take them as they are.

    Handed a plain list, each walks it again to normalise it: most of the cost of building the form.
    """

    def __init__(self, choices: list) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


def _grouped_choices(options: Sequence[AnswerOption]) -> _Normalised:
    """Choices with neighbouring options of the same group under that group's heading."""
    choices: list = []
    for option in options:
        if option.group and choices and choices[-1][0] == option.group:
            choices[-1][1].append((str(option.id), option.label))
        elif option.group:
            choices.append((option.group, [(str(option.id), option.label)]))
        else:
            choices.append((str(option.id), option.label))
    return _Normalised(choices)


class QuestionnaireForm(forms.Form):
    """One field per published question, named by its key; values are option ids.

    Red-flag questions must be answered ("None of these" is an answer); every other question
    may be left blank, which counts as "not sure". The questions come paired with their loaded
    options, and the answers are built from those: the form never queries.
    """

    def __init__(self, *args, questions: Sequence[tuple[AskedQuestion, list[AnswerOption]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if self.is_bound:  # a follow-up whose opening answer was not chosen is not asked: its answers are ignored
            self.data = self._asked_only(self.data)
        for question, options in self.questions:
            field_class, widget = (
                (forms.ChoiceField, forms.RadioSelect)
                if question.kind == Question.Kind.SINGLE
                else (forms.MultipleChoiceField, forms.CheckboxSelectMultiple)
            )
            self.fields[question.key] = field_class(
                label=question.text,
                # crispy renders help text unescaped, and this is editor text.
                help_text=conditional_escape(question.help_text),
                choices=_grouped_choices(options),
                widget=widget,
                required=question.red_flag and bool(options),
                error_messages={
                    "required": (
                        "Tell us if you have any of these warning signs. If you do not, choose “None of these”."
                    ),
                    "invalid_choice": NOT_RECOGNISED,
                    "invalid_list": NOT_RECOGNISED,
                },
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        for question, _ in self.questions:
            if question.kind == Question.Kind.SINGLE and len(self._values(question.key)) > 1:
                self.add_error(question.key, ValidationError("Choose only one answer.", code="too_many"))
        return cleaned

    def _values(self, name: str) -> list:
        getlist = getattr(self.data, "getlist", None)
        if getlist:
            return getlist(name)
        value = self.data.get(name)
        return [] if value is None else list(value) if isinstance(value, list | tuple) else [value]

    def _asked_only(self, data) -> MultiValueDict:
        """The submitted data less the answers to follow-ups that this reader's answers did not open."""
        offered = {str(option.id): option.id for _, options in self.questions for option in options}
        chosen = {offered[str(value)] for name in data for value in self._values(name) if str(value) in offered}
        path = {question.key for question in asked([question for question, _ in self.questions], chosen)}
        dropped = {question.key for question, _ in self.questions} - path
        return MultiValueDict({name: self._values(name) for name in data if name not in dropped})

    def questions_and_fields(self) -> list[tuple[AskedQuestion, forms.BoundField]]:
        """Every question in the order the one-page form shows them: each follow-up under the question
        whose answer opens it (after that question, in its own order), so no script is needed."""
        follow_ups: dict[int, list[AskedQuestion]] = defaultdict(list)
        for question, _ in self.questions:
            if question.asked_if is not None:
                follow_ups[question.asked_if].append(question)
        shown: list[tuple[AskedQuestion, forms.BoundField]] = []

        def show(question: AskedQuestion) -> None:
            shown.append((question, self[question.key]))
            for option in question.options:
                for follow_up in follow_ups.pop(option.id, ()):
                    show(follow_up)

        for question, _ in self.questions:
            if question.asked_if is None:
                show(question)
        return shown

    def answers(self) -> list[tuple[AskedQuestion, list[AnswerOption]]]:
        """Each question this reader was asked with the options chosen for it (none when left blank), in order."""
        answers = []
        for question, options in self.questions:
            value = self.cleaned_data.get(question.key)
            chosen = set(value if isinstance(value, list) else [value] if value else [])
            answers.append((question, [option for option in options if str(option.id) in chosen]))
        chosen_ids = {option.id for _, options in answers for option in options}
        path = {question.id for question in asked([question for question, _ in answers], chosen_ids)}
        return [(question, options) for question, options in answers if question.id in path]


class SampleAnswersForm(forms.Form):
    """A reviewer's sample answers for the questionnaire preview: any answers of the saved questionnaire,
    as tick boxes under each question. Never stored: the view renders from it and forgets it."""

    answers = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={
            "required": "Tick at least one answer to try.",
            "invalid_choice": "We did not recognise one of those answers. It may have been deleted. Tick them again.",
        },
    )

    def __init__(self, *args, questions: Sequence[AskedQuestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = [
            (question.text, [(option.id, option.label) for option in question.options]) for question in questions
        ]
