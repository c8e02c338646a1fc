"""Input the admin's own code cannot take, refused with a clear 400 before it reaches a query."""

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import smart_split

MAX_SEARCH_WORDS = 50  # the admin ANDs one OR-group a word: SQLite refuses ~1,000 (expression depth)
# Lookups on an address field that compare it as text; any other needs a whole address (PostgreSQL).
TEXT_LOOKUPS = ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "isnull")


class AdminInputMiddleware:
    """A filter the database cannot compare (a NUL, a huge number, a partial address) or an endless
    search: a 400 page that says which, instead of a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.prefix):
            filters = [value for name, values in request.GET.lists() if name != "q" for value in values]
            if any("\x00" in value for value in filters):  # a search for one simply finds nothing
                return self._refuse(request, "A filter held a character we cannot read.")
            if len(list(smart_split(request.GET.get("q", "")))) > MAX_SEARCH_WORDS:
                return self._refuse(request, f"Please search for {MAX_SEARCH_WORDS} words or fewer.")
            if any(_too_big(value) for value in filters):
                return self._refuse(request, "A filter held a number too large to look up.")
            if not all(_addresses(name, value) for name, value in request.GET.items()):
                return self._refuse(request, "An address filter needs a whole address, such as 203.0.113.9.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, message: str) -> HttpResponse:
        return render(request, "400.html", {"message": message}, status=400)


def _too_big(value: str) -> bool:
    """A whole number past what a database integer holds (SQLite cannot even compare one)."""
    digits = (part.strip().lstrip("+-") for part in value.split(","))
    return any(d.isdigit() and (len(d) > 19 or int(d) >= 2**63) for d in digits)


def _addresses(name: str, value: str) -> bool:
    """Whether a filter on the sign-in records' address field holds what the database can compare."""
    field, _, lookup = name.partition("__")
    if field != "ip_address" or lookup.split("__")[-1] in TEXT_LOOKUPS:
        return True
    try:
        for part in value.split(",") if lookup == "in" else [value]:
            ipaddress.ip_address(part.strip())
    except ValueError:
        return False
    return True
