from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from causes.selectors import site_review_dates
from core.templatetags.seo import Crumb

from . import engine, selectors


@require_http_methods(["GET", "HEAD"])
def search(request: HttpRequest) -> HttpResponse:
    """Search results for ?q=. Never cached, stored or logged: a reader's health question is private."""
    query = engine.clean(request.GET.get("q"))
    hits = engine.search(query)
    context = {"query": query, "search_query": query.text, "hits": hits, "breadcrumbs": [Crumb("Search")]}
    if not hits:
        context["causes"] = engine.all_causes()
    response = render(request, "search/search.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


class AToZView(TemplateView):
    """Every published cause and remedy by first letter, with readers' own words as "see" entries."""

    template_name = "search/a_z.html"

    def get_context_data(self, **kwargs):
        index = selectors.a_to_z()
        dates = (
            {"last_reviewed": index.last_reviewed, "next_review_due": index.next_review_due}
            if index.last_reviewed
            else site_review_dates()
        )
        context = super().get_context_data(**kwargs)
        return {**context, "letters": index.letters, **dates, "breadcrumbs": [Crumb("A to Z")]}
