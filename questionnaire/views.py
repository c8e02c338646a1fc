from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from causes.cache import content_version

from . import selectors
from .forms import QuestionnaireForm


@never_cache  # answers are health data: no browser or proxy may keep the results
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The symptom questionnaire. Answers live only in this request: never saved, logged or cached."""
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None, questions=selectors.published_questions()
    )
    if not form.is_valid():
        context = {"form": form, "content_version": content_version()}  # keys the cached empty form
        return render(request, "questionnaire/questionnaire.html", context)
    return render(request, "questionnaire/results.html", selectors.results(form.answers()))
