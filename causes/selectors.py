"""Database reads for the content pages that a plain queryset cannot express, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import CharField, Count, FilteredRelation, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse

from core.cache import rows_of, versioned
from editorial import lifecycle
from glossary import linking
from glossary.models import GlossaryTerm

from . import sign_audit, urgency
from .models import Cause, Faq, Remedy, SitePage, Synonym, UrgencyWording, WarningSign


class Citation(NamedTuple):
    """A live source as a page cites it; `accessed` and `evidence` only in a page's own list of sources."""

    publisher: str
    title: str
    url: str
    accessed: datetime.date | None = None
    evidence: bool = True


@dataclass(frozen=True)
class Sign:
    text: str
    level: str
    action: str
    sources: tuple[Citation, ...]


class Card(NamedTuple):
    """One box of a page's signs at one level: what to do at once is said once per box, after its signs."""

    level: urgency.Level
    signs: list[Sign]
    sources: list[Citation]
    actions: list[str]


Cards = list[Card]


SIGN_COLUMNS = ("id", "text", "level", "action", "live_source__publisher", "live_source__title", "live_source__url")


def with_live_sources(signs: QuerySet[WarningSign]) -> QuerySet[WarningSign]:
    """Signs joined only to the live sources they cite (`live_source__`, for SIGN_COLUMNS): drafts are never cited."""
    return signs.annotate(live_source=FilteredRelation("sources", condition=lifecycle.live_q("sources__")))


def _signs(rows) -> list[Sign]:
    found: dict[int, tuple[str, str, str, list[Citation]]] = {}
    for pk, text, level, action, publisher, title, url in rows:
        sign = found.setdefault(pk, (text, level, action, []))
        if title is not None:
            sign[3].append(Citation(publisher, title, url))
    return [Sign(text, level, action, tuple(sources)) for text, level, action, sources in found.values()]


def register_signs() -> list[sign_audit.RegisterSign]:
    """The live warning-sign register, for checking against its audit record (1 query)."""
    cites: dict[tuple[str, str], set[str]] = {}
    for key, level, url in WarningSign.objects.published().values_list("key", "level", "sources__url"):
        cites.setdefault((key, level), set()).update([url] if url else [])
    return [sign_audit.RegisterSign(key, level, frozenset(urls)) for (key, level), urls in cites.items()]


def sign_audit_problems() -> list[str]:
    """How the register in the database and its audit record (seed/sign_audit.toml) disagree."""
    return sign_audit.problems(sign_audit.load(), register_signs())


def care_cards(signs: list[Sign], levels: dict[str, urgency.Level] | None = None) -> Cards:
    """Signs in one box per level, most urgent first, each with the distinct sources and actions of its signs.

    `levels` carries the live words of each level (`urgency.worded`); the code's defaults without it.
    """
    return [
        Card(
            level,
            grouped,
            list(dict.fromkeys(source for sign in grouped for source in sign.sources)),
            list(dict.fromkeys(sign.action for sign in grouped if sign.action)),
        )
        for level, grouped in urgency.by_level(((sign.level, sign) for sign in signs), levels)
    ]


@dataclass(frozen=True)
class Part:
    """A site page shown inside another page (SitePage.PARTS): its heading and its Markdown."""

    title: str
    body: str


class SiteWide(NamedTuple):
    cards: Cards  # the general signs' boxes
    glossary: tuple[linking.Term, ...]
    levels: dict[str, urgency.Level]  # every level by value, with the live words editors gave it
    parts: dict[str, Part]  # the live site pages shown inside other pages, by slug


def general_care_cards() -> Cards:
    """The signs shown on every general page and on the questionnaire's results (cached by version)."""
    return _site_wide().cards


def urgency_levels() -> dict[str, urgency.Level]:
    """Every urgency level by value, worded as its live UrgencyWording says, else as the code says (cached)."""
    return _site_wide().levels


def urgency_level(value: str) -> urgency.Level:
    """The level with this value, in its live words; self-care for an empty or unknown one."""
    return urgency_levels()[urgency.level(value).value]


def page_part(slug: str) -> Part | None:
    """The live site page with this slug in SitePage.PARTS, or None (cached with the site-wide data)."""
    return _site_wide().parts.get(slug)


def _site_wide() -> SiteWide:
    """What general pages share: the general signs' boxes, the glossary's words, the urgency wording and the parts.

    One query between them (a UNION), once per version, so a page that shows them stays within its
    query budget.
    """
    return versioned("site-wide", _load_site_wide)


WIDTH = 10  # columns in each part of a compound query: its kind, two numbers, then text


def _part(queryset: QuerySet, kind: str, numbers: tuple = (), texts: tuple = ()) -> QuerySet:
    """One part of a compound (UNION) query: its kind, two numbers (0 unless given), then text, padded to WIDTH."""
    zero = Value(0, output_field=IntegerField())
    columns = [Value(kind), *numbers, *[zero] * (2 - len(numbers)), *texts]
    return queryset.values_list(*columns, *[Value("")] * (WIDTH - len(columns))).order_by()


def _load_site_wide() -> SiteWide:
    signs = _part(
        with_live_sources(WarningSign.objects.published().filter(general=True)),
        "sign",
        ("order", "id"),
        SIGN_COLUMNS[1:],
    )
    words = _part(GlossaryTerm.objects.published(), "glossary", texts=("term", "slug", "also"))
    wording = _part(UrgencyWording.objects.published(), "wording", texts=("level", *urgency.WORDS))
    parts = _part(
        SitePage.objects.published().filter(slug__in=list(SitePage.PARTS)), "part", texts=("slug", "title", "body")
    )
    rows = list(signs.union(words, wording, parts, all=True))
    terms = tuple(linking.Term(term, slug, also) for kind, _, _, term, slug, also, *_ in rows if kind == "glossary")
    levels = urgency.worded(
        {row[3]: dict(zip(urgency.WORDS, row[4:], strict=True)) for row in rows if row[0] == "wording"}
    )
    cards = _cards(rows, levels)
    found = {slug: Part(title, body) for kind, _, _, slug, title, body, *_ in rows if kind == "part"}
    return SiteWide(cards, tuple(sorted(terms, key=lambda t: t.term)), levels, found)


def _cards(rows: list[tuple], levels: dict[str, urgency.Level]) -> Cards:
    """The boxes of a compound query's "sign" rows (`_part`), in the register's order, sources by publisher, title."""
    sign_rows = sorted(
        (row[1:9] for row in rows if row[0] == "sign"), key=lambda row: (row[0], row[1], row[5] or "", row[6] or "")
    )
    return care_cards(_signs(row[1:] for row in sign_rows), levels)


def site_page(slug: str) -> SitePage | None:
    """The live site page with one of the slugs the site names, or None (1 query, once per version).

    For the pages the site shows by a fixed slug (SitePage.FIXED_ADDRESSES), never for a slug from a request.
    """
    return versioned(f"site-page:{slug}", lambda: SitePage.objects.published().filter(slug=slug).first())


@dataclass(frozen=True)
class Link:
    """A page to link to, shaped like a model instance for `includes/item_list.html`."""

    title: str
    url: str
    summary: str = ""

    def get_absolute_url(self) -> str:
        return self.url


RELATED_SHOWN = 4  # a cause page suggests up to this many related causes, more only if editors chose more


class CausePage(NamedTuple):
    """What a cause page shows besides the cause's own fields."""

    cards: Cards  # its warning signs, a box per level, in the levels' live words
    remedies: list[Link]
    faqs: list[Link]
    related: list[Link]
    sources: list[Citation]  # its live sources, medical evidence first


def cause_page(cause: Cause) -> CausePage:
    """A cause page's signs, sources and links: its published remedies, FAQs and related causes (1 query).

    One compound query (a UNION), so a cause page stays within its budget of 4 even with the cache
    down; the levels' words and the glossary come from the site-wide data. Related causes are the
    ones editors chose, by title, then others that the same questionnaire answers point to (a
    positive weight), most answers shared first, up to RELATED_SHOWN in all.
    """
    page = ("slug", "title", "summary")
    remedies = _part(Remedy.objects.published().filter(causes=cause), "remedy", texts=page)
    faqs = _part(Faq.objects.published().filter(causes=cause), "faq", ("order",), ("slug", "question"))
    zero = Value(0, output_field=IntegerField())
    # The related causes' ids in the second number column, so the page hangs on those causes, not on every cause.
    chosen = _part(
        Cause.objects.published().filter(related_to=cause).exclude(pk=cause.pk), "chosen", (zero, "id"), page
    )
    # Through the reverse name of the questionnaire's weights: the content app never imports it.
    answers = cause.option_weights.filter(_positive_weight()).values("option")
    sharing = _part(
        Cause.objects.published()
        .exclude(pk=cause.pk)
        .filter(_positive_weight("option_weights__"), option_weights__option__in=answers)
        .annotate(shared=Count("option_weights__option", distinct=True)),
        "sharing",
        ("shared", "id"),
        page,
    )
    signs = _part(
        with_live_sources(WarningSign.objects.published().filter(causes=cause)),
        "sign",
        ("order", "id"),
        SIGN_COLUMNS[1:],
    )
    sources = _part(
        cause.sources.published(),
        "source",
        (Cast("evidence", IntegerField()),),
        ("url", "title", "publisher", Cast("accessed", CharField())),
    )
    with rows_of(Cause) as shown:
        rows = list(remedies.union(faqs, chosen, sharing, signs, sources, all=True))
        shown.update(row[2] for row in rows if row[0] in ("chosen", "sharing"))
    links = sorted((row for row in rows if row[0] in ("remedy", "faq", "chosen", "sharing")), key=_row_order)
    cited = [
        Citation(publisher, title, url, datetime.date.fromisoformat(accessed), bool(evidence))
        for kind, evidence, _, url, title, publisher, accessed, *_ in rows
        if kind == "source"
    ]
    return CausePage(
        cards=_cards(rows, urgency_levels()),
        remedies=[
            Link(title, reverse("causes:remedy-detail", args=[slug]), text)
            for kind, _, _, slug, title, text, *_ in links
            if kind == "remedy"
        ],
        faqs=[Link(title, f"{reverse('causes:faq')}#{slug}") for kind, _, _, slug, title, *_ in links if kind == "faq"],
        related=_related(links),
        sources=sorted(cited, key=lambda source: (not source.evidence, source.publisher, source.title)),
    )


def _row_order(row: tuple) -> tuple:
    """By kind; FAQs by their order, causes sharing answers by how many (most first); then by title."""
    kind, number, _, _, title, *_ = row
    return (kind, -number if kind == "sharing" else number, title)


def _positive_weight(where: str = "") -> Q:
    """A positive weight on an answer to a question readers can see; `where` leads from a cause to its weights."""
    return Q(**{f"{where}weight__gt": 0}) & lifecycle.live_q(f"{where}option__question__")


def _related(rows) -> list[Link]:
    """Editors' choices by title, then causes sharing the most answers: RELATED_SHOWN in all, or what editors chose."""
    chosen = [(slug, title, text) for kind, _, _, slug, title, text, *_ in rows if kind == "chosen"]
    taken = {slug for slug, _, _ in chosen}
    sharing = [
        (slug, title, text) for kind, _, _, slug, title, text, *_ in rows if kind == "sharing" and slug not in taken
    ]
    shown = chosen + sharing[: max(0, RELATED_SHOWN - len(chosen))]
    return [Link(title, reverse("causes:cause-detail", args=[slug]), text) for slug, title, text in shown]


def glossary_terms() -> tuple[linking.Term, ...]:
    """Every glossary word and its other forms, for linking pages (with the general signs: 1 query a version)."""
    return _site_wide().glossary


@dataclass(frozen=True)
class Entry:
    """One line of the A to Z: a cause or remedy page, or a reader's word that means another ("see")."""

    title: str
    url: str
    kind: str  # "cause", "remedy" or "see"
    see: str = ""  # for a reader's word: the word the site uses


@dataclass(frozen=True)
class AToZ:
    letters: list[tuple[str, list[Entry]]]  # each first letter, in order, with its entries by title
    last_reviewed: datetime.date | None  # the least recently reviewed page listed, as on the list pages
    next_review_due: datetime.date | None


def a_to_z() -> AToZ:
    """Every published cause and remedy, and every search synonym as a "see" entry, by first letter (2 queries).

    A synonym points at the page whose title is the word it means, or else at a search for that word.
    """
    causes = Cause.objects.published().values_list(Value("cause"), "slug", "title", "last_reviewed", "next_review_due")
    remedies = Remedy.objects.published().values_list(
        Value("remedy"), "slug", "title", "last_reviewed", "next_review_due"
    )
    rows = list(causes.order_by().union(remedies.order_by(), all=True))
    pages = {title.casefold(): reverse(f"causes:{kind}-detail", args=[slug]) for kind, slug, title, _, _ in rows}
    entries = [Entry(title, reverse(f"causes:{kind}-detail", args=[slug]), kind) for kind, slug, title, _, _ in rows]
    search = reverse("search:search")
    entries += [
        Entry(phrase, pages.get(means.casefold()) or f"{search}?{urlencode({'q': means})}", "see", means)
        for phrase, means in Synonym.objects.published().values_list("phrase", "means")
    ]
    letters: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda entry: entry.title.casefold()):
        first = entry.title[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(entry)
    return AToZ(
        letters=sorted(letters.items(), key=lambda item: (item[0] == "#", item[0])),
        last_reviewed=min((row[3] for row in rows if row[3]), default=None),
        next_review_due=min((row[4] for row in rows if row[4]), default=None),
    )
