from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from causes.templatetags.seo import Crumb
from core.cache import public_page, same_origin_post

from . import selectors
from .forms import QuestionnaireForm

CRUMBS = [Crumb("Check your symptoms")]


@public_page  # the empty form is the same for every reader: no token, no cookie, so it is cached
@same_origin_post
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The symptom questionnaire. Answers live only in this request: never saved, logged or cached."""
    questions = selectors.published_questions()
    if request.method == "GET":
        form = QuestionnaireForm(None, questions=questions)
        context = {"form": form, "release": selectors.live_release(), "breadcrumbs": CRUMBS}
        return render(request, "questionnaire/questionnaire.html", context)
    form = QuestionnaireForm(request.POST, questions=questions)
    if form.is_valid():
        crumbs = [Crumb("Check your symptoms", reverse("questionnaire:check-your-symptoms")), Crumb("Your results")]
        context = {**selectors.results(form.answers()), "breadcrumbs": crumbs}
        response = render(request, "questionnaire/results.html", context)
    else:
        context = {"form": form, "release": selectors.live_release(), "breadcrumbs": CRUMBS}
        response = render(request, "questionnaire/questionnaire.html", context)
    add_never_cache_headers(response)  # answers are health data: no browser or proxy may keep them
    return response
