from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from core.cache import public_page, same_origin_post

from . import selectors
from .forms import QuestionnaireForm


@public_page  # the empty form is the same for every reader: no token, no cookie, so it is cached
@same_origin_post
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The symptom questionnaire. Answers live only in this request: never saved, logged or cached."""
    questions = selectors.published_questions()
    if request.method == "GET":
        form = QuestionnaireForm(None, questions=questions)
        return render(request, "questionnaire/questionnaire.html", {"form": form, "release": selectors.live_release()})
    form = QuestionnaireForm(request.POST, questions=questions)
    if form.is_valid():
        response = render(request, "questionnaire/results.html", selectors.results(form.answers()))
    else:
        context = {"form": form, "release": selectors.live_release()}
        response = render(request, "questionnaire/questionnaire.html", context)
    add_never_cache_headers(response)  # answers are health data: no browser or proxy may keep them
    return response
