import datetime

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from . import selectors
from .models import Category, Cause, Faq, Remedy, Source


class PageView(TemplateView):
    """A page written in its template (home, about, privacy), with the review dates all of them share."""

    extra_context = {
        "last_reviewed": datetime.date(2026, 11, 21),
        "next_review_due": datetime.date(2027, 11, 21),
    }


class HomeView(PageView):
    template_name = "causes/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "causes": Cause.objects.published()}


class IndexView(ListView):
    """A list page. It is only as fresh as its least recently reviewed item."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = context["object_list"]
        if items:
            context["last_reviewed"] = min(item.last_reviewed for item in items)
            context["next_review_due"] = min(item.next_review_due for item in items)
        else:
            context.update(PageView.extra_context)
        return context


class CauseListView(IndexView):
    queryset = Cause.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        causes = context["object_list"]
        context["groups"] = [
            (label, [cause for cause in causes if cause.category == value])
            for value, label in Category.choices
            if any(cause.category == value for cause in causes)
        ]
        return context


class CauseDetailView(DetailView):
    queryset = Cause.objects.published().prefetch_related("sources")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["remedies"], context["faqs"] = selectors.cause_links(self.object)
        context["cards"] = selectors.cause_care_cards(self.object)
        return context


class RemedyListView(IndexView):
    queryset = Remedy.objects.published()


class RemedyDetailView(DetailView):
    queryset = Remedy.objects.published().prefetch_related(
        Prefetch("causes", queryset=Cause.objects.published()),
        "sources",
    )


class FaqListView(IndexView):
    queryset = Faq.objects.published().prefetch_related(
        Prefetch("causes", queryset=Cause.objects.published()),
        Prefetch("sources", queryset=Source.objects.filter(evidence=True)),
    )
