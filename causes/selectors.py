"""Database reads for the content pages that a plain queryset cannot express, each in a fixed number of queries."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import CharField, Count, FilteredRelation, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse

from core.cache import rows_of, versioned
from editorial import lifecycle

from . import sign_audit, urgency
from .models import Cause, Faq, Remedy, SitePage, Source, UrgencyWording, WarningSign


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
# After a "sign" row's SIGN_COLUMNS in a compound query: the id of the source it cites (text, as that column is).
CITED_ID = 9


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
    levels: dict[str, urgency.Level]  # every level by value, with the live words editors gave it
    parts: dict[str, Part]  # the live site pages shown inside other pages, by slug
    added: dict[str, list[tuple]]  # the rows of each ADDED_PARTS kind: their text columns


# What apps above this one add to the site-wide query, so a page still reads it in one query: a kind
# and a function that gives its `union_part` (the glossary's words). Set in those apps' ready().
ADDED_PARTS: dict[str, Callable[[], QuerySet]] = {}


def general_care_cards() -> Cards:
    """The signs shown on every general page and on the questionnaire's results (cached by version)."""
    return _site_wide().cards


def urgency_levels() -> dict[str, urgency.Level]:
    """Every urgency level by value, worded as its live UrgencyWording says, else as the code says (cached)."""
    return _site_wide().levels


def urgency_level(value: str) -> urgency.Level:
    """The level with this value, in its live words; self-care for an empty or unknown one."""
    return urgency_levels()[urgency.level(value).value]


def wording_card(value: str, words: dict[str, str]) -> Card:
    """A page's box at one level as readers would see it with these words (an urgency wording row, saved or
    with a waiting change): the live general signs at that level in it, with their sources and actions."""
    level = urgency.worded({urgency.level(value).value: words})[urgency.level(value).value]
    shown = next((card for card in general_care_cards() if card.level.value == level.value), None)
    return Card(level, shown.signs, shown.sources, shown.actions) if shown else Card(level, [], [], [])


def answers_pointing_at(cause: Cause) -> list[str]:
    """The questionnaire answers that still weight this cause, as “answer” (question), in the form’s order (1 query).

    Through the reverse name of the questionnaire's weights: the content app never imports it.
    """
    rows = cause.option_weights.order_by("option__question__order", "option__question_id", "option__order", "option_id")
    return [
        f"“{label}” ({question})" for label, question in rows.values_list("option__label", "option__question__text")
    ]


def withdrawal_notice(cause: Cause) -> str:
    """What a reviewer who took this cause off the site must still fix: the answers that point at it; "" if none."""
    answers = answers_pointing_at(cause)
    if not answers:
        return ""
    return (
        f"“{cause.title}” is off the site, but {len(answers)} questionnaire answer{'s' if len(answers) != 1 else ''} "
        f"still point{'s' if len(answers) == 1 else ''} at it: {'; '.join(answers)}. "
        "Its weights do not count while it is off the site. Remove its weight on each answer’s page."
    )


def page_part(slug: str) -> Part | None:
    """The live site page with this slug in SitePage.PARTS, or None (cached with the site-wide data)."""
    return _site_wide().parts.get(slug)


def added_rows(kind: str) -> list[tuple]:
    """The site-wide rows of a kind in ADDED_PARTS: each row's text columns (cached with the site-wide data)."""
    return _site_wide().added.get(kind, [])


def _site_wide() -> SiteWide:
    """What general pages share: the general signs' boxes, the urgency wording, the parts and ADDED_PARTS.

    One query between them (a UNION), once per version, so a page that shows them stays within its
    query budget.
    """
    return versioned("site-wide", _load_site_wide)


WIDTH = 10  # columns in each part of a compound query: its kind, two numbers, then text


def union_part(queryset: QuerySet, kind: str, numbers: tuple = (), texts: tuple = ()) -> QuerySet:
    """One part of a compound (UNION) query: its kind, two numbers (0 unless given), then text, padded to WIDTH."""
    zero = Value(0, output_field=IntegerField())
    columns = [Value(kind), *numbers, *[zero] * (2 - len(numbers)), *texts]
    return queryset.values_list(*columns, *[Value("")] * (WIDTH - len(columns))).order_by()


def _sign_rows(signs: QuerySet[WarningSign]) -> QuerySet:
    """The "sign" part of a compound query: SIGN_COLUMNS, then the cited source's id (CITED_ID)."""
    cited = Cast("live_source__id", CharField())
    return union_part(with_live_sources(signs), "sign", ("order", "id"), (*SIGN_COLUMNS[1:], cited))


def _shown_signs(rows: list[tuple], shown: dict) -> None:
    """The page hangs on the signs in these rows and the sources they cite, not on every sign and source."""
    signs = [row for row in rows if row[0] == "sign"]
    shown[WarningSign].update(row[2] for row in signs)
    shown[Source].update(int(row[CITED_ID]) for row in signs if row[CITED_ID])


def _load_site_wide() -> SiteWide:
    signs = _sign_rows(WarningSign.objects.published().filter(general=True))
    wording = union_part(UrgencyWording.objects.published(), "wording", texts=("level", *urgency.WORDS))
    parts = union_part(
        SitePage.objects.published().filter(slug__in=list(SitePage.PARTS)),
        "part",
        (Value(0, output_field=IntegerField()), "id"),
        ("slug", "title", "body"),
    )
    added = [make() for make in ADDED_PARTS.values()]
    # Every page shows these: it hangs on the general signs, their sources and the parts, not on every row.
    with rows_of(WarningSign, Source, SitePage, listed=(WarningSign, SitePage)) as shown:
        rows = list(signs.union(wording, parts, *added, all=True))
        _shown_signs(rows, shown)
        shown[SitePage].update(row[2] for row in rows if row[0] == "part")
    levels = urgency.worded(
        {row[3]: dict(zip(urgency.WORDS, row[4:], strict=True)) for row in rows if row[0] == "wording"}
    )
    cards = _cards(rows, levels)
    found = {slug: Part(title, body) for kind, _, _, slug, title, body, *_ in rows if kind == "part"}
    return SiteWide(cards, levels, found, {kind: [row[3:] for row in rows if row[0] == kind] for kind in ADDED_PARTS})


def _cards(rows: list[tuple], levels: dict[str, urgency.Level]) -> Cards:
    """The boxes of the "sign" rows (`union_part`), in the register's order, sources by publisher, title."""
    sign_rows = sorted(
        (row[1:9] for row in rows if row[0] == "sign"), key=lambda row: (row[0], row[1], row[5] or "", row[6] or "")
    )
    return care_cards(_signs(row[1:] for row in sign_rows), levels)


def site_page(slug: str) -> SitePage | None:
    """The live site page with one of the slugs the site names, or None (1 query, once per version).

    For the pages the site shows by a fixed slug (SitePage.FIXED_ADDRESSES), never for a slug from a request.
    """
    return versioned(f"site-page:{slug}", lambda: SitePage.objects.published().filter(slug=slug).first())


def site_review_dates() -> dict[str, datetime.date | None]:
    """The review dates of the pages with none of their own (an empty list, the glossary, the A to Z).

    They are the live home page's: the page that says what the whole site is, whose dates only a
    clinical reviewer's sign-off sets. Without a live home page, no dates (never made-up ones). A
    page that shows them hangs on the home page's row in the page cache (`site_page`).
    """
    page = site_page("home")
    if page is None:
        return {}
    return {"last_reviewed": page.last_reviewed, "next_review_due": page.next_review_due}


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
    self_care: urgency.Level  # the self-care box's level, in its live words like the others
    remedies: list[Link]
    faqs: list[Link]
    related: list[Link]
    sources: list[Citation]  # its live sources, medical evidence first


def cause_page(cause: Cause) -> CausePage:
    """A cause page's signs, sources and links: its published remedies, FAQs and related causes (1 query).

    One compound query (a UNION), so a cause page stays within its budget of 4 even with the cache
    down; the levels' words come from the site-wide data, the glossary's words with it. Related causes are the
    ones editors chose, by title, then others that the same questionnaire answers point to (a
    positive weight), most answers shared first, up to RELATED_SHOWN in all.
    """
    page = ("slug", "title", "summary")
    zero = Value(0, output_field=IntegerField())
    # Each row's id in the second number column, so the page hangs on the rows it shows, not on their tables.
    remedies = union_part(Remedy.objects.published().filter(causes=cause), "remedy", (zero, "id"), page)
    faqs = union_part(Faq.objects.published().filter(causes=cause), "faq", ("order", "id"), ("slug", "question"))
    chosen = union_part(
        Cause.objects.published().filter(related_to=cause).exclude(pk=cause.pk), "chosen", (zero, "id"), page
    )
    # Through the reverse name of the questionnaire's weights: the content app never imports it.
    answers = cause.option_weights.filter(_positive_weight()).values("option")
    sharing = union_part(
        Cause.objects.published()
        .exclude(pk=cause.pk)
        .filter(_positive_weight("option_weights__"), option_weights__option__in=answers)
        .annotate(shared=Count("option_weights__option", distinct=True)),
        "sharing",
        ("shared", "id"),
        page,
    )
    signs = _sign_rows(WarningSign.objects.published().filter(causes=cause))
    sources = union_part(
        cause.sources.published(),
        "source",
        (Cast("evidence", IntegerField()), "id"),
        ("url", "title", "publisher", Cast("accessed", CharField())),
    )
    # Causes sharing answers are picked by the questionnaire's weights, not a link: the page hangs on which are live.
    with rows_of(Cause, Remedy, Faq, WarningSign, Source, listed=(Cause,)) as shown:
        rows = list(remedies.union(faqs, chosen, sharing, signs, sources, all=True))
        for model, kind in ((Remedy, "remedy"), (Faq, "faq"), (Source, "source")):
            shown[model].update(row[2] for row in rows if row[0] == kind)
        shown[Cause].update(_related_in_reach(rows))
        _shown_signs(rows, shown)
    links = sorted((row for row in rows if row[0] in ("remedy", "faq", "chosen", "sharing")), key=_row_order)
    cited = [
        Citation(publisher, title, url, datetime.date.fromisoformat(accessed) if accessed else None, bool(evidence))
        for kind, evidence, _, url, title, publisher, accessed, *_ in rows
        if kind == "source"
    ]
    levels = urgency_levels()
    return CausePage(
        cards=_cards(rows, levels),
        self_care=levels[urgency.SELF_CARE],
        remedies=[
            Link(title, reverse("causes:remedy-detail", args=[slug]), text)
            for kind, _, _, slug, title, text, *_ in links
            if kind == "remedy"
        ],
        faqs=[Link(title, f"{reverse('causes:faq')}#{slug}") for kind, _, _, slug, title, *_ in links if kind == "faq"],
        related=_related(links),
        sources=sorted(cited, key=lambda source: (not source.evidence, source.publisher, source.title)),
    )


def _related_in_reach(rows: list[tuple]) -> set[int]:
    """The related causes shown, and those a new title alone could bring in (as many answers shared as the last)."""
    chosen = {row[2] for row in rows if row[0] == "chosen"}
    sharing = sorted((row for row in rows if row[0] == "sharing" and row[2] not in chosen), key=_row_order)
    room = max(0, RELATED_SHOWN - len(chosen))
    least = sharing[room - 1][1] if 0 < room <= len(sharing) else 0
    return chosen | {row[2] for row in sharing if room and row[1] >= least}


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
