from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.templatetags.seo import Crumb

from . import engine


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
