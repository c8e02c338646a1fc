"""What a question's form checks holds on a plain save too: the shell, a command, a revert.

A fixed key once published; a follow-up after the question that opens it, seen from either end;
never the red-flag screen as a follow-up. (`QuerySet.update` skips `save()`, as Django's does for
every model: no code of the site updates these fields so, and it is not covered here.)
"""

import pytest
from django.core.exceptions import ValidationError

from editorial.lifecycle import Status
from questionnaire.models import Option, Question

pytestmark = pytest.mark.django_db


def _question(key: str, order: int, *, status=Status.PUBLISHED, **fields) -> Question:
    question = Question.objects.create(key=key, text=f"Question {key}?", order=order, status=status, **fields)
    Option.objects.create(question=question, label=f"{key} yes", order=1)
    return question


@pytest.fixture
def opened():
    """A question for everyone (order 2) whose answer "context yes" opens a follow-up (order 3)."""
    context = _question("context", 2)
    follow_up = _question("follow-up", 3, asked_if=Option.objects.get(label="context yes"))
    return context, follow_up


def _refused(check, field: str) -> str:
    """The code of the error `check()` raises on `field` (it must raise one)."""
    with pytest.raises(ValidationError) as refused:
        check()
    return refused.value.error_dict[field][0].code


def test_a_published_question_keeps_its_key_on_a_plain_save():
    question = _question("how-long", 1)
    question.key = "duration"
    assert _refused(question.save, "key") == "fixed_key"
    assert Question.objects.get(pk=question.pk).key == "how-long"


def test_a_question_withdrawn_after_it_was_published_keeps_its_key_too():
    question = _question("how-long", 1)
    question.status = Status.DRAFT
    question.save()
    question.key = "duration"
    assert _refused(question.save, "key") == "fixed_key"


def test_a_draft_never_published_may_change_its_key():
    question = _question("how-long", 1, status=Status.DRAFT)
    question.key = "duration"
    question.save()
    assert Question.objects.get(pk=question.pk).key == "duration"


def test_a_follow_up_cannot_be_saved_before_the_question_that_opens_it(opened):
    context, follow_up = opened
    follow_up.order = 1
    assert _refused(follow_up.save, "asked_if") == "trigger_not_earlier"
    assert Question.objects.get(pk=follow_up.pk).order == 3


def test_a_question_cannot_open_itself(opened):
    context, _ = opened
    context.asked_if = Option.objects.get(label="context yes")
    assert _refused(context.save, "asked_if") == "trigger_not_earlier"


def test_a_question_that_opens_a_follow_up_cannot_be_moved_after_it(opened):
    context, _ = opened
    context.order = 5
    assert _refused(context.save, "order") == "follow_up_not_later"
    assert _refused(context.full_clean, "order") == "follow_up_not_later"  # the form says so too, on the field
    assert Question.objects.get(pk=context.pk).order == 2


def test_the_red_flag_screen_cannot_be_a_follow_up_on_a_plain_save(opened):
    screen = _question("red-flags", 1, red_flag=True)
    screen.asked_if = Option.objects.get(label="context yes")
    assert _refused(screen.save, "asked_if") == "red_flag_follow_up"
    assert Question.objects.get(pk=screen.pk).asked_if is None


def test_a_follow_up_made_as_a_red_flag_question_is_refused(opened):
    _, follow_up = opened
    follow_up.red_flag = True
    assert _refused(follow_up.save, "asked_if") == "red_flag_follow_up"


def test_a_right_edit_still_saves(opened):
    context, follow_up = opened
    context.order, follow_up.text = 1, "Question follow-up, reworded?"
    context.save()
    follow_up.save()
    assert Question.objects.get(pk=context.pk).order == 1
