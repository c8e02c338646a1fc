import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, TemplateView

from .forms import QuestionnaireForm
from .matching import match_answers
from .models import Category, Cause, Faq, Question, Remedy

# Review dates of the pages written in templates (home, about, privacy).
STATIC_PAGE_REVIEW = {
    "last_reviewed": datetime.date(2026, 11, 21),
    "next_review_due": datetime.date(2027, 11, 21),
}


def _oldest_review(items) -> dict:
    """A page made of many items is only as fresh as its least recently reviewed one."""
    if not items:
        return STATIC_PAGE_REVIEW
    return {
        "last_reviewed": min(item.last_reviewed for item in items),
        "next_review_due": min(item.next_review_due for item in items),
    }


class HomeView(TemplateView):
    template_name = "causes/home.html"
    extra_context = STATIC_PAGE_REVIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["causes"] = Cause.objects.published()
        return context


class CauseListView(ListView):
    queryset = Cause.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        causes = list(context["object_list"])
        context["groups"] = [
            (label, [cause for cause in causes if cause.category == value])
            for value, label in Category.choices
            if any(cause.category == value for cause in causes)
        ]
        context.update(_oldest_review(causes))
        return context


class CauseDetailView(DetailView):
    queryset = Cause.objects.published().prefetch_related(
        Prefetch("remedies", queryset=Remedy.objects.published()),
        Prefetch("faqs", queryset=Faq.objects.published()),
        "sources",
    )


class RemedyListView(ListView):
    queryset = Remedy.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_oldest_review(context["object_list"]))
        return context


class RemedyDetailView(DetailView):
    queryset = Remedy.objects.published().prefetch_related(
        Prefetch("causes", queryset=Cause.objects.published()),
        "sources",
    )


class FaqListView(ListView):
    queryset = Faq.objects.published().prefetch_related(Prefetch("causes", queryset=Cause.objects.published()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_oldest_review(context["object_list"]))
        return context


@never_cache  # answers are health data: no browser or proxy may keep the results
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The symptom questionnaire. Answers live only in this request: never saved, logged or cached."""
    questions = Question.objects.published().prefetch_related("options")
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, questions=questions)
    if not form.is_valid():
        return render(request, "causes/questionnaire.html", {"form": form})

    result = match_answers(option_ids=form.chosen_option_ids())
    causes = Cause.objects.published().filter(slug__in=[m.cause.slug for m in result.matches])
    by_slug = {
        cause.slug: cause
        for cause in causes.prefetch_related(Prefetch("remedies", queryset=Remedy.objects.published()))
    }
    return render(
        request,
        "causes/questionnaire_results.html",
        {
            "result": result,
            "matches": [(match, by_slug[match.cause.slug]) for match in result.matches if match.cause.slug in by_slug],
            "answers": form.answer_summary(),
        },
    )
