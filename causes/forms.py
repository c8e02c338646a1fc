from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape

from .models import Question

NOT_RECOGNISED = "We did not recognise that answer. Please choose from the list."


class QuestionnaireForm(forms.Form):
    """One field per published question, named by its key; values are option ids.

    Red-flag questions must be answered ("None of these" is an answer); every other question
    may be left blank, which counts as "not sure".
    """

    def __init__(self, *args, questions: Sequence[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            options = list(question.options.all())
            field_class, widget = (
                (forms.ChoiceField, forms.RadioSelect)
                if question.kind == Question.Kind.SINGLE
                else (forms.MultipleChoiceField, forms.CheckboxSelectMultiple)
            )
            self.fields[question.key] = field_class(
                label=question.text,
                # crispy renders help text unescaped, and this is editor text.
                help_text=conditional_escape(question.help_text),
                choices=[(str(option.id), option.label) for option in options],
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict:
        cleaned = super().clean()
        for question in self.questions:
            if question.kind == Question.Kind.SINGLE and len(self._values(question.key)) > 1:
                self.add_error(question.key, ValidationError("Choose only one answer.", code="too_many"))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Point each fieldset's inputs at its help text and its error, so screen readers read both.
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                self.fields[name].widget.attrs["aria-describedby"] = f"{bound.auto_id}_helptext {bound.auto_id}_error"

    def _values(self, name: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        return getlist(name) if getlist else [self.data[name]] if name in self.data else []

    def questions_and_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[question.key]) for question in self.questions]

    def chosen_option_ids(self) -> list[int]:
        """The option ids of every answer given, in question order."""
        ids: list[int] = []
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            values = value if isinstance(value, list) else [value] if value else []
            ids.extend(int(v) for v in values)
        return ids

    def answer_summary(self) -> list[tuple[str, list[str]]]:
        """Each question with the labels of the answers given, for the printable summary."""
        chosen = set(self.chosen_option_ids())
        return [
            (
                question.text,
                [option.label for option in question.options.all() if option.id in chosen] or ["Not answered"],
            )
            for question in self.questions
        ]
