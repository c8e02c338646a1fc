"""Site search: ranking, stemming, synonyms, misspellings, hostile queries and a fixed query count.

The same tests run on SQLite (ranked in Python) and PostgreSQL (full-text search and pg_trgm).
"""

import io
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from causes.models import Cause, Faq, Remedy
from core.cache import content_version
from editorial.lifecycle import Status
from search import engine
from search.engine import BODY, MAX_LENGTH, SUMMARY, TITLE, clean, excerpt, expand, stem, within_one_edit
from search.models import Synonym

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]


def _titles(q: str) -> list[str]:
    return [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in engine.search(clean(q))]


def _page(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


# --- The pure parts ---------------------------------------------------------------------------


def test_a_query_is_cleaned_of_control_characters_and_extra_spaces():
    assert clean("  Pins\x00 and\t\u200b  needles\n").text == "Pins and needles"


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x01", None, "the and of"])
def test_an_empty_query_or_only_little_words_gets_a_message(raw):
    assert clean(raw).problem


def test_a_query_over_the_length_cap_gets_a_message_and_no_search():
    query = clean("toe " * 1250)
    assert "too long" in query.problem
    assert len(query.text) == MAX_LENGTH
    assert engine.search(query) == []


@pytest.mark.parametrize(
    ("words", "one_stem"),
    [(["cramping", "cramps", "cramped", "cramp"], "cramp"), (["neuropathy", "neuropathies"], "neuropathi")],
)
def test_the_stemmer_gives_word_forms_one_stem(words, one_stem):
    assert {stem(word) for word in words} == {one_stem}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL's own stemmer (CI's second pass)"
)
def test_the_sqlite_stemmer_stems_every_seeded_word_as_postgresql_does():
    texts = [*Cause.objects.values_list("title", "summary"), *Remedy.objects.values_list("title", "summary")]
    words = sorted({word for text in texts for part in text for word in engine.words_of(part)} - engine.STOP_WORDS)
    assert len(words) > 100
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ts_lexize('english_stem', word) FROM unnest(%s::text[]) AS word", [words])
        postgresql = {word: lexemes[0] for word, lexemes in cursor.fetchall() if lexemes}
    assert len(postgresql) == len(words)  # every word has a stem: none is one of PostgreSQL's stop words
    assert {word: stem(word) for word in postgresql} == postgresql


@pytest.mark.parametrize(
    ("typed", "title_word", "close"),
    [
        ("twiching", "twitching", True),
        ("neuropaty", "neuropathy", True),
        ("crmap", "cramp", True),
        ("nerrve", "nerve", True),
        ("twchng", "twitching", False),
        ("sleep", "sheep", True),
        ("sleep", "steer", False),
    ],
)
def test_within_one_edit(typed, title_word, close):
    assert within_one_edit(typed, title_word) is close


def test_a_synonym_phrase_adds_what_it_means_however_the_apostrophe_is_typed():
    synonyms = {"can't feel": "numbness", "pins and needles": "tingling"}
    assert "numbness" in expand(clean("I can\u2019t feel my toe").words, synonyms)
    assert "tingling" in expand(clean("Pins and NEEDLES").words, synonyms)
    assert "tingling" not in expand(clean("needles and pins").words, synonyms)


def test_an_excerpt_is_escaped_then_marked():
    text = "Drink <b>water</b> if your muscles cramp & twitch."
    marked = "Drink &lt;b&gt;water&lt;/b&gt; if your muscles <mark>cramp</mark> &amp; twitch."
    assert excerpt(text, ["cramping"]) == marked


def test_a_long_excerpt_starts_near_the_first_match():
    text = "Filler words here. " * 40 + "Then a cramp. " + "More words. " * 40
    shown = excerpt(text, ["cramp"])
    assert shown.startswith("\u2026 ") and shown.endswith(" \u2026")
    assert "<mark>cramp</mark>" in shown
    assert len(shown) < 250


# --- Ranking, stemming, synonyms and misspellings, on the database ------------------------------------


def test_a_title_match_comes_before_a_summary_match_before_a_body_match(make_cause):
    make_cause(title="Something else", summary="Nothing here.", body="A zorbly feeling in the body.")
    make_cause(title="Another thing", summary="A zorbly summary.")
    make_cause(title="Zorbly toes")
    hits = engine.search(clean("zorbly"))
    assert [hit.tier for hit in hits] == [TITLE, SUMMARY, BODY]
    assert _titles("zorbly") == ["Zorbly toes", "Another thing", "Something else"]


def test_causes_remedies_and_faqs_are_all_found_and_an_faq_links_to_its_answer(make_cause, make_remedy, make_faq):
    make_cause(title="Quibbly cause")
    make_remedy(title="Quibbly remedy")
    make_faq(question="Is quibbly serious?", slug="is-quibbly-serious")
    hits = engine.search(clean("quibbly"))
    assert {hit.kind for hit in hits} == {"Cause", "Remedy", "Question"}
    assert "/faq/#is-quibbly-serious" in {hit.url for hit in hits}


def test_drafts_and_scheduled_items_are_never_found(make_cause, make_faq):
    make_cause(title="Wibbly draft", status=Status.DRAFT)
    make_faq(question="Wibbly for review?", status=Status.REVIEW)
    assert _titles("wibbly") == []


def test_an_edit_shows_in_the_next_search(make_cause):
    cause = make_cause(title="Flumpy toes")
    assert _titles("flumpy") == ["Flumpy toes"]
    cause.status = Status.DRAFT
    cause.save()
    assert _titles("flumpy") == []


def test_cramping_finds_the_pages_about_cramps():
    titles = _titles("cramping")
    assert titles[0] == "Muscle cramps"
    assert "Pregnancy: leg cramps and restless legs" in titles[:4]


@pytest.mark.parametrize(
    ("phrase", "means"),
    [
        ("pins and needles", "tingling"),
        ("jerking", "twitching"),
        ("jumping", "twitching"),
        ("spasm", "twitching"),
        ("flickering", "twitching"),
        ("can't feel", "numbness"),
        ("foot drop", "weakness"),
        ("B12", "vitamin B12"),
    ],
)
def test_a_readers_word_finds_what_we_call_it(monkeypatch, phrase, means):
    monkeypatch.setattr(engine, "LIMIT", 1000)  # every result, so one list can hold the other
    assert Synonym.objects.filter(phrase=phrase.lower(), means=means).exists()
    found = set(_titles(phrase))
    assert found >= set(_titles(means)) > set()


def test_a_synonym_added_in_the_admin_works_at_once(make_cause):
    make_cause(title="Glimmering toes")
    assert _titles("sparkly") == []
    Synonym.objects.create(phrase="sparkly", means="glimmering", status="published")
    assert _titles("sparkly") == ["Glimmering toes"]


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("twiching", "Twitching with weakness or muscle wasting"),
        ("neuropaty", "Nerve damage (peripheral neuropathy)"),
        ("dehidration", "Not drinking enough (dehydration)"),
    ],
)
def test_a_misspelt_title_word_still_finds_it(monkeypatch, typed, title):
    monkeypatch.setattr(engine, "LIMIT", 1000)  # every result: many titles share "twitching"
    hits = {hit.title.replace("<mark>", "").replace("</mark>", ""): hit for hit in engine.search(clean(typed))}
    assert hits[title].tier == TITLE


def test_a_misspelt_word_is_marked_where_it_matched():
    page = engine.search(clean("neuropaty"))[0]
    assert "<mark>neuropathy</mark>" in page.title


# --- The page ---------------------------------------------------------------------------------


def test_results_show_kind_link_and_a_marked_excerpt(client):
    page = _page(client, "cramping")
    assert '<p class="search-kind">Cause</p>' in page
    assert "<mark>" in page
    assert 'class="search-results"' in page


def test_results_are_private_never_cached_and_not_indexed(client, django_assert_max_num_queries):
    response = client.get("/search/", {"q": "twitching"})
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    with django_assert_max_num_queries(5):  # the page cache never serves a search: it runs again
        assert client.get("/search/", {"q": "twitching"})["Cache-Control"] == "private, no-store"


def test_the_header_of_every_page_has_a_labelled_search_box(client):
    page = client.get("/").content.decode()
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'action="/search/"' in header and 'method="get"' in header
    assert '<label class="visually-hidden" for="site-search-q">Search ToeSite</label>' in header
    assert 'name="q"' in header and 'type="submit"' in header


def test_no_result_gives_the_causes_the_questionnaire_and_the_emergency_signs(client):
    page = _page(client, "xylophone")
    assert "We found nothing for <q>xylophone</q>." in page
    assert 'href="/causes/caffeine/"' in page
    assert 'href="/check-your-symptoms/"' in page
    assert "care-emergency" in page and "999" in page


HOSTILE = [
    "",
    "   ",
    "x" * 5000,
    "toe " * 1250,
    "'; DROP TABLE causes_cause; --",
    '" OR 1=1 --',
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "cramp & | ! :* <-> (",
    "\x00cramp\x00",
    "\u202etwitch\u202c \u200b\ufeff",
    "t\u0335o\u0334e\u0336 \U0001f9b6\U0001f3fd \u0627\u0644\u0642\u062f\u0645",
    "\ufffd\ufffd",
    "%00%27",
    "twitch" * 40,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_a_hostile_or_odd_query_gets_a_normal_page(client, q):
    page = _page(client, q)
    assert "<h1>Search</h1>" in page
    assert "<script>" not in page and "<img src=x" not in page
    assert 'class="search-message"' in page


def test_the_query_is_escaped_everywhere_it_appears(client):
    page = _page(client, '<b>cramp</b> "quoted"')
    assert "<b>cramp</b>" not in page
    assert 'value="&lt;b&gt;cramp&lt;/b&gt; &quot;quoted&quot;"' in page  # the header's search box
    assert "<q>&lt;b&gt;cramp&lt;/b&gt; &quot;quoted&quot;</q>" in page


def test_a_search_is_logged_and_stored_nowhere(client, caplog):
    caplog.set_level("DEBUG")
    canary = f"canary{uuid.uuid4().hex}"
    assert client.get("/search/", {"q": f"cramp {canary}"}).status_code == 200
    assert canary not in caplog.text
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache
        stored = repr(list(backend.items()))
    else:  # Redis
        redis = cache.client.get_client()
        stored = repr([(key, redis.get(key)) for key in redis.scan_iter("*")])
    assert canary not in out.getvalue() + stored


# --- A fixed number of queries ------------------------------------------------------------------


@pytest.mark.parametrize("q", ["twitching", "cramping", "pins and needles", "neuropaty", "xylophone", "a b c d e f"])
def test_a_search_runs_a_fixed_number_of_queries(q, django_assert_num_queries):
    content_version()
    engine.search(clean("warm"))  # the synonyms and, on SQLite, the published text, kept under the version
    expected = 4 if engine.connection.vendor == "postgresql" else 0  # a SET and one per model, or none once warm
    with django_assert_num_queries(expected):
        engine.search(clean(q))


def test_a_search_page_runs_at_most_five_queries_with_many_results(client, make_faq, django_assert_max_num_queries):
    for n in range(60):
        make_faq(question=f"Twitching question {n}?")
    content_version()
    client.get("/search/", {"q": "warm"})
    with django_assert_max_num_queries(5):
        page = _page(client, "twitching")
    assert page.count('<p class="search-kind">') == engine.LIMIT
    assert Faq.objects.published().filter(question__startswith="Twitching question").count() == 60
