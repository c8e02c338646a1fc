"""The symptom questionnaire: one question a page (as NHS 111 online asks), or every question on one page.

Answers live only in the request. From page to page they travel in the form's hidden fields, never
in a session, cookie, cache, log or database row, and every answer page is sent `no-store`.
"""

import re

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from causes.urgency import rank
from core.cache import public_page, same_origin_post
from core.templatetags.seo import Crumb

from . import selectors
from .forms import QuestionnaireForm
from .matching import AnswerOption, AskedQuestion, asked
from .models import Question

Questions = selectors.Questions
Answers = dict[str, list[str]]  # option ids by question key, for the questions a reader has passed

CHECK = "check"  # the `step` of the check-your-answers page
BAD_STEP = "We could not tell which question you were on. Please carry on from here."
NOT_SEEN = "You have not answered this question yet. Answer it, or leave it blank if you are not sure."
NOT_SEEN_RED_FLAG = "You have not answered this question yet. Tick any you have, or “None of these”."


@public_page  # the first question is the same for every reader: no token, no cookie, so it is cached
@same_origin_post
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The first question; a POST with `step` goes on a page, a POST without it is the one-page form's."""
    questions = selectors.published_questions()
    if not questions:
        return _one_page(request, QuestionnaireForm(None, questions=questions))
    if request.method == "GET":
        return _step(request, questions, {}, 1)
    if "step" in request.POST:
        response = _next_page(request, questions)
    else:
        form = QuestionnaireForm(request.POST, questions=questions)
        response = _results(request, form.answers()) if form.is_valid() else _one_page(request, form)
    add_never_cache_headers(response)  # answers are health data: no browser or proxy may keep them
    return response


@public_page
@require_http_methods(["GET"])
def all_questions(request: HttpRequest) -> HttpResponse:
    """Every question on one page, for readers who prefer it and for printing; it posts to the same place."""
    return _one_page(request, QuestionnaireForm(None, questions=selectors.published_questions()))


def _crumbs(page: str) -> list[Crumb]:
    """The trail of a page after the first question's: back to the start, then this page."""
    return [Crumb("Check your symptoms", reverse("questionnaire:check-your-symptoms")), Crumb(page)]


def _one_page(request: HttpRequest, form: QuestionnaireForm) -> HttpResponse:
    context = {"form": form, "release": selectors.live_release(), "breadcrumbs": _crumbs("All questions")}
    return render(request, "questionnaire/questionnaire.html", context)


def _results(request: HttpRequest, answers: Questions, more: dict | None = None) -> HttpResponse:
    context = {**selectors.results(answers), "more": more, "breadcrumbs": _crumbs("Your results")}
    return render(request, "questionnaire/results.html", context)


# --- One question a page ----------------------------------------------------------------------------


def _next_page(request: HttpRequest, questions: Questions) -> HttpResponse:
    """Where a step's button leads: the next question asked, back, the check page, a change, or the results.

    Steps are numbered by the question's place in the whole questionnaire; a reader is asked only
    the questions on their path (`_path`): every question, and each follow-up their answers open.
    """
    data = request.POST
    answers = _carried(data, questions)
    return_to_check = data.get("return") == CHECK
    if data["step"] == CHECK:
        answers = _pruned(questions, answers)
        if "change" not in data:
            return _go_to(request, questions, answers, upto=len(questions), then="results")
        number = _number(data["change"], questions)
        if number is None or number not in _path(questions, answers):
            return _go_to(request, questions, answers, upto=len(questions), then=CHECK, notice=BAD_STEP)
        return _step(request, questions, answers, number, return_to_check=True)
    number = _number(data["step"], questions)
    if number is None:
        return _go_to(request, questions, answers, upto=len(questions), then=CHECK, notice=BAD_STEP)
    question, _ = questions[number - 1]
    answers.setdefault(question.key, [])  # this page's question is answered, if only with a blank
    answers = _pruned(questions, answers)
    path = _path(questions, answers)
    if number not in path:  # a page this reader is not asked: an edited form, or its opening answer was changed
        return _go_to(request, questions, answers, upto=len(questions), then=CHECK, notice=BAD_STEP)
    if data.get("go") == "back":
        back = path[max(path.index(number) - 1, 0)]
        return _go_to(request, questions, answers, upto=back - 1, then=back, return_to_check=return_to_check)
    if data.get("go") != "more":
        form = _whole_form(questions, answers)
        chosen = next((options for asked, options in form.answers() if asked.key == question.key), [])
        if question.key not in form.errors and any(_needs_help_soon(question, option) for option in chosen):
            # A warning sign goes straight to what to do: the other questions can wait.
            return _go_to(request, questions, answers, upto=number, then="results")
    unanswered = [n for n in path if questions[n - 1][0].key not in answers]
    if return_to_check and unanswered:  # a changed answer opened a follow-up: ask it, then back to the check
        return _step(request, questions, answers, unanswered[0], return_to_check=True)
    if return_to_check or number == path[-1]:
        return _go_to(request, questions, answers, upto=len(questions), then=CHECK)
    return _go_to(request, questions, answers, upto=number, then=path[path.index(number) + 1])


def _needs_help_soon(question: AskedQuestion, option: AnswerOption) -> bool:
    """An answer that means getting help: any on the red-flag screen, and urgent or emergency ones elsewhere."""
    return bool(option.urgency) and (question.red_flag or rank(option.urgency) >= rank("urgent"))


def _carried(data: QueryDict, questions: Questions) -> Answers:
    """The answers the form carries: a question is there once passed ("" marks one left blank)."""
    return {q.key: [value for value in data.getlist(q.key) if value] for q, _ in questions if q.key in data}


def _path(questions: Questions, answers: Answers) -> list[int]:
    """The step numbers of the questions this reader is asked, given their answers so far."""
    offered = {str(option.id): option.id for _, options in questions for option in options}
    chosen = {offered[value] for values in answers.values() for value in values if value in offered}
    on_path = {question.id for question in asked([question for question, _ in questions], chosen)}
    return [number for number, (question, _) in enumerate(questions, start=1) if question.id in on_path]


def _pruned(questions: Questions, answers: Answers) -> Answers:
    """The answers less those to follow-ups no longer asked (their opening answer was changed)."""
    asked_keys = {questions[number - 1][0].key for number in _path(questions, answers)}
    return {key: values for key, values in answers.items() if key in asked_keys}


def _number(text: str, questions: Questions) -> int | None:
    """A question's page number from a form, or None if it is not one."""
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= len(questions):
        return None
    return int(text)


def _whole_form(questions: Questions, answers: Answers) -> QuestionnaireForm:
    """The one-page form over these answers: the same validation and the same matching for both ways."""
    form = QuestionnaireForm(MultiValueDict(answers), questions=questions)
    form.is_valid()
    return form


def _go_to(
    request: HttpRequest,
    questions: Questions,
    answers: Answers,
    *,
    upto: int,
    then: int | str,
    notice: str = "",
    return_to_check: bool = False,
) -> HttpResponse:
    """Show `then`, once the first `upto` questions are answered and valid; else the first that is not.

    A question not passed (a page skipped by editing the form) or an answer that is not one of its
    options (edited, or removed since the reader started) sends the reader back to that question.
    """
    form = _whole_form(questions, answers)
    path = _path(questions, answers)
    for number in path:
        question = questions[number - 1][0]
        if number > upto:
            break
        if question.key not in answers:
            unseen = NOT_SEEN_RED_FLAG if question.red_flag else NOT_SEEN
            return _step(request, questions, answers, number, notice=notice or unseen)
        if question.key in form.errors:
            return _step(request, questions, answers, number, notice=notice, bound=True)
    if then == CHECK:
        return render(request, "questionnaire/check.html", _check_context(questions, answers, form, notice))
    if then == "results":
        seen = [(question, options) for question, options in form.answers() if question.key in answers]
        more = None if len(seen) == len(path) else {"step": upto, "hidden": _hidden(questions, answers)}
        return _results(request, seen, more)
    return _step(request, questions, answers, int(then), notice=notice, return_to_check=return_to_check)


def _hidden(questions: Questions, answers: Answers, *, leave_out: str = "") -> list[tuple[str, str]]:
    """The answers to carry as hidden fields: offered option ids only, so nothing a reader typed is echoed."""
    hidden = []
    for question, options in questions:
        if question.key in answers and question.key != leave_out:
            offered = {str(option.id) for option in options}
            values = [value for value in answers[question.key] if value in offered]
            hidden += [(question.key, value) for value in values or [""]]
    return hidden


def _step(
    request: HttpRequest,
    questions: Questions,
    answers: Answers,
    number: int,
    *,
    notice: str = "",
    bound: bool = False,
    return_to_check: bool = False,
) -> HttpResponse:
    """One question's page, with the other answers carried in hidden fields."""
    question, options = questions[number - 1]
    values = answers.get(question.key, [])
    if bound:  # shows why this answer was not accepted
        form = QuestionnaireForm(MultiValueDict({question.key: values}), questions=[(question, options)])
        form.is_valid()
    else:
        initial = values if question.kind == Question.Kind.MULTIPLE else next(iter(values), None)
        form = QuestionnaireForm(None, questions=[(question, options)], initial={question.key: initial})
    path = _path(questions, answers)
    context = {
        "form": form,
        "field": form[question.key],
        "question": question,
        "number": number,
        "position": path.index(number) + 1 if number in path else number,
        "total": len(path),
        "hidden": _hidden(questions, answers, leave_out=question.key),
        "notice": notice,
        "return_to_check": return_to_check,
        "release": selectors.live_release() if number == 1 else None,
        "breadcrumbs": [Crumb("Check your symptoms")],
    }
    return render(request, "questionnaire/step.html", context)


def _check_context(questions: Questions, answers: Answers, form: QuestionnaireForm, notice: str) -> dict:
    numbers = {question.key: number for number, (question, _) in enumerate(questions, start=1)}
    rows = [(numbers[q.key], q, [option.label for option in options]) for q, options in form.answers()]
    return {
        "rows": rows,
        "hidden": _hidden(questions, answers),
        "notice": notice,
        "breadcrumbs": _crumbs("Check your answers"),
    }
