from django import forms
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

from causes.models import Cause, Remedy

from .models import COMMENT_LIMIT

# The pages that ask for feedback: URL name -> the model whose published item the page shows (None: the FAQ page).
PAGES = {"causes:cause-detail": Cause, "causes:remedy-detail": Remedy, "causes:faq": None}


def is_feedback_page(path: str) -> bool:
    """Whether `path` is exactly the address of a published cause or remedy, or the FAQ page."""
    if not isinstance(path, str) or not path.startswith("/") or "\x00" in path or len(path) > 200:
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.view_name not in PAGES:
        return False
    model = PAGES[match.view_name]
    if model is None:
        return True
    item = model.objects.published().filter(slug=match.kwargs.get("slug")).first()
    return item is not None and item.get_absolute_url() == path


class CommentField(forms.CharField):
    """Free text as the reader typed it: NUL characters dropped, line breaks counted as one character each.

    Browsers count a line break as one character against maxlength but send it as two.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", "").replace("\r\n", "\n")
        return super().to_python(value)


class FeedbackForm(forms.Form):
    page = forms.CharField(max_length=200)
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )
    comment = CommentField(
        max_length=COMMENT_LIMIT,
        required=False,
        error_messages={
            "max_length": f"Please keep it to {COMMENT_LIMIT} characters or fewer (you wrote %(show_value)d)."
        },
    )

    def clean_page(self) -> str:
        page = self.cleaned_data["page"]
        if not is_feedback_page(page):
            raise ValidationError("We do not take feedback on that page.", code="unknown_page")
        return page
