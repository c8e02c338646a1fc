"""Site search: readers' words in, published causes, remedies and FAQs out, best first.

The top half is pure, typed Python that uses nothing from Django: cleaning a query, synonyms, one-edit
spelling fixes against title words (rapidfuzz), English stemming (Snowball, as PostgreSQL's), ranking
and excerpts (escaped, then marked). The bottom half reads the database. On PostgreSQL it uses
full-text search (weighted vectors, English stemming, GIN indexes) and pg_trgm for misspellings;
elsewhere (SQLite) it ranks in Python over the published text, kept under the content version, so a
warm search runs no query.

Both backends rank the same way: a title match first, then a summary match, then the rest.
A query is never logged, stored or put in a cache key: it is a reader's health question.
"""

from __future__ import annotations

import functools
import html
import operator
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils.safestring import mark_safe
from rapidfuzz.distance import OSA

from causes.models import Cause, Faq, Remedy
from core.cache import versioned
from editorial import readability

from .models import Synonym

MAX_LENGTH = 200  # characters; a longer query gets a message, not a search
EXCERPT_LENGTH = 180  # characters of text around the first match
MIN_FUZZY_LENGTH = 4  # shorter words have too many neighbours one edit away
LIMIT = 20  # results shown, best first
WORD_SIMILARITY = 0.5  # PostgreSQL: pg_trgm word similarity from which a title word counts as misspelt

TITLE, SUMMARY, BODY = 3, 2, 1  # tiers: a title match outranks any summary match, and so on

# PostgreSQL's English stop words (Snowball's list, its tsearch_data/english.stop), so both backends
# ignore the same little words, plus the pieces our word pattern makes of "can't", "you'll" and "I'd".
# Written out: no package ships this list (nltk downloads it at run time; stop-words' list is longer).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can d did do does doing don down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just ll m me more most my myself no nor not now
    o of off on once only or other our ours ourselves out over own re s same she should so some such t than that
    the their theirs them themselves then there these they this those through to too under until up ve very was we
    were what when where which while who whom why will with you your yours yourself yourselves""".split()
)

_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True)
class Query:
    """A reader's query, cleaned: the text to show back, its words, and why it cannot run (if so)."""

    text: str
    words: tuple[str, ...]
    problem: str = ""  # a plain sentence for the reader; empty when the search can run


def clean(raw: str | None) -> Query:
    """Normalise what the reader typed: Unicode NFKC, no control characters, single spaces, a length cap."""
    text = unicodedata.normalize("NFKC", raw or "").translate(_APOSTROPHES)
    # Control, format, surrogate and unassigned characters (NUL included) are dropped: nothing reads them.
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        return Query("", (), "Type a word or two to search for, such as \u201ccramp\u201d or \u201ctingling\u201d.")
    if len(text) > MAX_LENGTH:
        return Query(
            text[:MAX_LENGTH],
            (),
            f"Your search is too long. Please use fewer than {MAX_LENGTH} letters, such as \u201ctoe cramp\u201d.",
        )
    words = tuple(words_of(text))
    if not any(word not in STOP_WORDS for word in words):
        return Query(text, words, "Please use a word about your toes or symptoms, such as \u201ccramp\u201d.")
    return Query(text, words)


def words_of(text: str) -> list[str]:
    """The words of a text, in lower case ("Can't feel" is "can", "t", "feel")."""
    return _WORD.findall(text.casefold())


_ENGLISH = snowballstemmer.stemmer("english")
_ENGLISH_LOCK = threading.Lock()  # a Snowball stemmer keeps the word it works on in itself


@functools.lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """English Snowball stemming, as PostgreSQL's english configuration does: "cramping" and "cramps" are "cramp"."""
    with _ENGLISH_LOCK:
        return _ENGLISH.stemWord(word)


def expand(words: Sequence[str], synonyms: Mapping[str, str]) -> list[str]:
    """The reader's words plus what each synonym phrase found in them means: "pins and needles" adds "tingling"."""
    found = list(words)
    for phrase, means in synonyms.items():
        phrase_words = words_of(phrase)
        n = len(phrase_words)
        if n and any(list(words[i : i + n]) == phrase_words for i in range(len(words) - n + 1)):
            found.extend(word for word in words_of(means) if word not in found)
    return found


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one letter added, removed or changed, or two side by side swapped."""
    return OSA.distance(a, b, score_cutoff=1) <= 1


def spelling_fixes(words: Iterable[str], vocabulary: Iterable[str]) -> list[str]:
    """Title words one edit away from a query word that is not itself a title word ("twiching" finds "twitching")."""
    known = vocabulary if isinstance(vocabulary, frozenset | set) else frozenset(vocabulary)
    fixes: list[str] = []
    for word in words:
        if word in known or len(word) < MIN_FUZZY_LENGTH or word in STOP_WORDS or word.isdigit():
            continue
        close = (c for c in known if abs(len(c) - len(word)) <= 1 and len(c) >= MIN_FUZZY_LENGTH - 1)
        fixes.extend(sorted(c for c in close if c not in fixes and within_one_edit(word, c)))
    return fixes


def search_terms(words: Sequence[str]) -> list[str]:
    """The words worth looking for: no stop words, each once, in the reader's order."""
    terms: list[str] = []
    for word in words:
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms


@dataclass(frozen=True)
class Document:
    """One published item as search sees it: plain text, and the stems of each part."""

    kind: str  # "Cause", "Remedy" or "Question"
    title: str
    url: str
    summary: str
    body: str
    title_stems: frozenset[str] = field(default=frozenset(), compare=False)
    summary_stems: frozenset[str] = field(default=frozenset(), compare=False)
    body_stems: Mapping[str, int] = field(default_factory=dict, compare=False)  # each stem's count

    @classmethod
    def of(cls, kind: str, title: str, url: str, summary: str, body: str) -> Document:
        return cls(
            kind,
            title,
            url,
            summary,
            body,
            frozenset(map(stem, words_of(title))),
            frozenset(map(stem, words_of(summary))),
            Counter(map(stem, words_of(body))),
        )


@dataclass(frozen=True)
class Hit:
    """A result: what the results page shows, in order, with how it was ranked."""

    kind: str
    title: str
    url: str
    excerpt: str  # HTML: the text escaped, then the matching words marked
    tier: int
    score: float


Ranked = list[tuple[Document, int, float]]  # each document with its tier and score, best first


def rank(documents: Iterable[Document], terms: Sequence[str], limit: int | None = None) -> Ranked:
    """Documents with any term, best first: by tier (title, summary, body), then a weighted count of matches."""
    stems = {stem(term) for term in terms}
    ranked = []
    for doc in documents:
        in_title = len(stems & doc.title_stems)
        in_summary = len(stems & doc.summary_stems)
        in_body = sum(doc.body_stems.get(s, 0) for s in stems)
        if not (in_title or in_summary or in_body):
            continue
        tier = TITLE if in_title else SUMMARY if in_summary else BODY
        score = in_title + 0.4 * in_summary + 0.1 * min(in_body, 10)
        ranked.append((doc, tier, score))
    ranked.sort(key=lambda item: (-item[1], -item[2], item[0].title.casefold()))
    return ranked[: limit or LIMIT]


def _matches(text: str, stems: set[str]) -> list[re.Match[str]]:
    return [m for m in _WORD.finditer(text) if stem(m.group().casefold()) in stems]


def excerpt(text: str, terms: Sequence[str], length: int = EXCERPT_LENGTH) -> str:
    """A short piece of text around the first matching word, escaped, with each matching word in <mark>."""
    return _excerpt(text, _matches(text, {stem(term) for term in terms}), length)


def _excerpt(text: str, matches: list[re.Match[str]], length: int) -> str:
    start = 0
    if matches and len(text) > length and matches[0].start() > length // 3:
        start = text.rfind(" ", 0, matches[0].start() - length // 3) + 1
    end = len(text) if len(text) - start <= length else text.rfind(" ", start, start + length)
    end = end if end > start else min(len(text), start + length)
    pieces, at = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        pieces += [html.escape(text[at : m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
        at = m.end()
    pieces.append(html.escape(text[at:end]))
    return ("\u2026 " if start else "") + "".join(pieces) + (" \u2026" if end < len(text) else "")


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees, on one line (for matching and excerpts): readability's rule."""
    return " ".join(" ".join(readability.lines(markdown)).split())


def best_excerpt(summary: str, body: str, terms: Sequence[str]) -> str:
    """The summary's excerpt if it has a matching word, else the body's, else the summary's opening."""
    stems = {stem(term) for term in terms}
    for text in (summary, body):
        matches = _matches(text, stems)
        if matches:
            return _excerpt(text, matches, EXCERPT_LENGTH)
    return _excerpt(summary or body, [], EXCERPT_LENGTH)


# --- The database ---------------------------------------------------------------------------


def synonyms() -> dict[str, str]:
    """Every synonym phrase and what it means (1 query, kept under the content version)."""
    return versioned("search-synonyms", lambda: dict(Synonym.objects.published().values_list("phrase", "means")))


def search(query: Query) -> list[Hit]:
    """The published causes, remedies and FAQs that match, best first; runs a fixed number of queries."""
    if query.problem:
        return []
    words = expand(query.words, synonyms())
    terms = search_terms(words)
    if connection.vendor == "postgresql":
        found = _postgres(terms)
    else:
        corpus, vocabulary = _corpus()
        terms += spelling_fixes(terms, vocabulary)
        found = rank(corpus, terms)
    hits = []
    for doc, tier, score in found:
        shown = terms + spelling_fixes(terms, words_of(doc.title))
        text = best_excerpt(doc.summary, doc.body, shown)
        title = excerpt(doc.title, shown, length=len(doc.title))
        hits.append(Hit(doc.kind, mark_safe(title), doc.url, mark_safe(text), tier, score))  # noqa: S308 - escaped
    return hits


def all_causes() -> list[tuple[str, str]]:
    """Every published cause's title and address, for a search that found nothing (1 query, kept under the version)."""
    return versioned(
        "search-all-causes", lambda: [(cause.title, cause.get_absolute_url()) for cause in Cause.objects.published()]
    )


def _documents():
    """Each published model with its kind, title field, and summary and body fields."""
    return [
        (Cause, "Cause", "title", "summary", ("body", "self_care")),
        (Remedy, "Remedy", "title", "summary", ("body", "caution")),
        (Faq, "Question", "question", None, ("answer",)),
    ]


def _document(item, kind: str, title: str, summary: str | None, body: tuple[str, ...], stems: bool = True) -> Document:
    text = plain_text("\n\n".join(getattr(item, name) for name in body))
    fields = (kind, getattr(item, title), item.get_absolute_url(), getattr(item, summary) if summary else "", text)
    return Document.of(*fields) if stems else Document(*fields)  # PostgreSQL needs no stems: it has ranked already


def _corpus() -> tuple[list[Document], frozenset[str]]:
    """Every published item as plain text with its stems, and the title words (3 queries, kept under the version)."""

    def load() -> tuple[list[Document], frozenset[str]]:
        docs = [_document(item, *fields) for model, *fields in _documents() for item in model.objects.published()]
        return docs, frozenset(word for doc in docs for word in words_of(doc.title))

    return versioned("search-corpus", load)


class _WordSimilar(Func):
    """pg_trgm's `word <% text`: the word is close to a word of the text. A trigram GIN index can answer it."""

    arg_joiner = " <%% "
    template = "%(expressions)s"
    output_field = BooleanField()


def _postgres(terms: list[str]) -> Ranked:
    """Full-text search with weighted vectors and pg_trgm for misspelt title words: 4 queries (a SET, one per model)."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        SearchVectorField,
        TrigramWordSimilarity,
    )

    if not terms:
        return []
    query = functools.reduce(operator.or_, (SearchQuery(t, config="english", search_type="plain") for t in terms))
    fuzzy_words = [term for term in terms if len(term) >= MIN_FUZZY_LENGTH and not term.isdigit()]
    with connection.cursor() as cursor:
        # `<%` counts a word as close from pg_trgm's threshold, 0.6 by default: "twiching" is 0.58 from "twitching".
        # JIT off: the vectors' cost estimates would make PostgreSQL compile each query, which costs more than it runs.
        # Set on every search (one query), as a rolled-back transaction would undo it.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false), set_config('jit', 'off', false)",
            [str(WORD_SIMILARITY)],
        )
    found = []
    for model, kind, title, summary, body in _documents():
        # The stored, weighted vector of migration 0010, with its GIN index: never rebuilt from the text here.
        column = f'"{model._meta.db_table}"."search_vector"'  # a fixed name from our own models, no reader input
        vector = RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611
        misspelt = Q(pk__in=[])  # matches nothing
        fuzzy: Func | Value = Value(0.0)
        if fuzzy_words:  # misspelt title words, through the trigram GIN index on the title
            misspelt = functools.reduce(operator.or_, (Q(_WordSimilar(Value(w), F(title))) for w in fuzzy_words))
            similarity = [TrigramWordSimilarity(Value(word), title) for word in fuzzy_words]
            fuzzy = Greatest(*similarity) if len(similarity) > 1 else similarity[0]
        tiers = [When(Q(title_vector=query) | misspelt, then=Value(TITLE))]
        extra = {"title_vector": SearchVector(title, config="english")}
        if summary:
            extra["summary_vector"] = SearchVector(summary, config="english")
            tiers.append(When(summary_vector=query, then=Value(SUMMARY)))
        rows = (
            model.objects.published()
            .alias(vector=vector, fuzzy=fuzzy, **extra)  # used in the query, never sent back
            .filter(Q(vector=query) | misspelt)
            .annotate(tier=Case(*tiers, default=Value(BODY)), score=SearchRank(F("vector"), query) + F("fuzzy"))
            .order_by("-tier", "-score", title)[:LIMIT]
        )
        found += [(_document(item, kind, title, summary, body, stems=False), item.tier, item.score) for item in rows]
    found.sort(key=lambda entry: (-entry[1], -entry[2], entry[0].title.casefold()))
    return found[:LIMIT]
