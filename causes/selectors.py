"""Database reads for the content pages that a plain queryset cannot express, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import IntegerField, QuerySet, Value
from django.urls import reverse

from . import urgency
from .cache import versioned
from .models import Cause, Faq, Remedy, WarningSign


@dataclass(frozen=True)
class Citation:
    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class Sign:
    text: str
    level: str
    sources: tuple[Citation, ...]


Cards = list[tuple[urgency.Level, list[Sign], list[Citation]]]


def signs_with_sources(signs: QuerySet[WarningSign]) -> list[Sign]:
    """The signs in order, each with the sources it cites, in one query (a sign without sources keeps none)."""
    rows = signs.order_by("order", "id", "sources__publisher", "sources__title").values_list(
        "id", "text", "level", "sources__publisher", "sources__title", "sources__url"
    )
    found: dict[int, tuple[str, str, list[Citation]]] = {}
    for pk, text, level, publisher, title, url in rows:
        sign = found.setdefault(pk, (text, level, []))
        if title is not None:
            sign[2].append(Citation(publisher, title, url))
    return [Sign(text, level, tuple(sources)) for text, level, sources in found.values()]


def care_cards(signs: list[Sign]) -> Cards:
    """Signs in one box per level, most urgent first, each box with the distinct sources of its signs."""
    return [
        (level, grouped, list(dict.fromkeys(source for sign in grouped for source in sign.sources)))
        for level, grouped in urgency.by_level((sign.level, sign) for sign in signs)
    ]


def general_care_cards() -> Cards:
    """The signs shown on every general page and on the questionnaire's results (1 query, cached by version)."""
    return versioned(
        "general-care-cards", lambda: care_cards(signs_with_sources(WarningSign.objects.filter(general=True)))
    )


def cause_care_cards(cause: Cause) -> Cards:
    """A cause page's signs (1 query)."""
    return care_cards(signs_with_sources(WarningSign.objects.filter(causes=cause)))


@dataclass(frozen=True)
class Link:
    """A page to link to, shaped like a model instance for `includes/item_list.html`."""

    title: str
    url: str
    summary: str = ""

    def get_absolute_url(self) -> str:
        return self.url


def cause_links(cause: Cause) -> tuple[list[Link], list[Link]]:
    """The published remedies and FAQs of a cause, in one query between them (a UNION).

    One query, not two, keeps a cause page within its budget of 4 with its sources and signs.
    """
    remedies = (
        Remedy.objects.published()
        .filter(causes=cause)
        .values_list(Value("remedy"), "slug", "title", "summary", Value(0, output_field=IntegerField()))
        .order_by()  # a compound query may not order its parts; the rows are sorted below
    )
    faqs = (
        Faq.objects.published()
        .filter(causes=cause)
        .values_list(Value("faq"), "slug", "question", Value(""), "order")
        .order_by()
    )
    rows = sorted(remedies.union(faqs, all=True), key=lambda row: (row[0], row[4], row[2]))
    return (
        [
            Link(title, reverse("causes:remedy-detail", args=[slug]), text)
            for kind, slug, title, text, _ in rows
            if kind == "remedy"
        ],
        [Link(title, f"{reverse('causes:faq')}#{slug}") for kind, slug, title, _, _ in rows if kind == "faq"],
    )
