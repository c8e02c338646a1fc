"""The seed content: complete, published, plain English, and loaded without overwriting editors."""

import re
import tomllib
from pathlib import Path

import pytest

from causes.models import Cause, Faq, Remedy, Source, Urgency, WarningSign
from editorial import readability
from editorial.lifecycle import Status
from glossary.models import GlossaryTerm
from questionnaire.models import Option, OptionWeight, Question
from search.models import Synonym
from tests.conftest import load_seed

pytestmark = pytest.mark.usefixtures("seeded_module")  # the seed, loaded once; each test in its own savepoint

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = [ROOT / "causes/seed/content.toml", ROOT / "questionnaire/seed/questionnaire.toml"]
MAX_WORDS = 20


def _is_a_table(value) -> bool:
    """A list of tables ([[causes]]), walked like any text; only lists of slugs and keys are skipped."""
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def _seed_texts():
    """Every piece of reader-facing text in the seed files, with where it came from."""
    for path in SEED_FILES:
        name = path.name
        data = tomllib.loads(path.read_text(encoding="utf-8"))  # a missing seed file fails every test here

        def walk(value, where):
            if isinstance(value, str):
                yield where, value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if _is_a_table(item) or key not in {
                        "slug",
                        "key",
                        "kind",
                        "urgency",
                        "category",
                        "url",
                        "sources",
                        "remedies",
                        "causes",
                    }:
                        yield from walk(item, f"{where}.{key}")
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield from walk(item, f"{where}[{index}]")

        yield from walk(data, name)


def test_seed_texts_are_read_from_both_files():
    places = {where.split(".")[0] for where, _ in _seed_texts()}
    assert places == {"content", "questionnaire"}
    assert sum(1 for _ in _seed_texts()) > 100


def test_every_seed_sentence_has_20_words_or_fewer():
    long = [
        f"{where}: {sentence}"
        for where, text in _seed_texts()
        for sentence in readability.sentences(text)
        if len(sentence.split()) > MAX_WORDS
    ]
    assert not long, "Sentences over 20 words:\n" + "\n".join(long)


def test_seed_text_has_none_of_the_source_articles_junk():
    for where, text in _seed_texts():
        for junk in ("See also", "Scroll to Top", "Related Articles", "askvity.com", "<"):
            assert junk not in text, f"{junk!r} in {where}"


def test_seed_text_never_claims_to_diagnose():
    for where, text in _seed_texts():
        assert not re.search(r"\byou have (a |an )?(nerve|neuropathy|restless|deficiency)", text, re.I), where


@pytest.mark.django_db
def test_seed_loads_every_cause_remedy_and_faq_published():
    assert Cause.objects.published().count() >= 17
    assert Remedy.objects.published().count() >= 10
    assert Faq.objects.published().count() == 14
    assert not Cause.objects.exclude(status=Status.PUBLISHED).exists()


@pytest.mark.django_db
def test_both_source_articles_are_listed():
    titles = set(Source.objects.values_list("title", flat=True))
    assert "Why Does My Toe Keep Moving By Itself?" in titles
    assert "Why Does My Toes Twitch: Understanding the Causes and Remedies" in titles


@pytest.mark.django_db
def test_every_cause_has_summary_advice_urgency_sources_and_remedies():
    for cause in Cause.objects.prefetch_related("sources", "remedies"):
        assert cause.summary and cause.body and cause.self_care, cause.slug
        assert cause.urgency in Urgency.values, cause.slug
        assert cause.sources.exists(), f"{cause.slug} has no source"
        assert cause.remedies.exists(), f"{cause.slug} has no remedy"
        for heading in ("## What it is", "## Why it can make your toes twitch", "## Other signs"):
            assert heading in cause.body, f"{cause.slug} lacks {heading!r}"


@pytest.mark.django_db
def test_every_remedy_helps_a_cause_and_supplements_carry_a_caution():
    for remedy in Remedy.objects.prefetch_related("causes"):
        assert remedy.causes.exists(), f"{remedy.slug} helps no cause"
        assert remedy.sources.exists(), f"{remedy.slug} has no source"
    assert Remedy.objects.get(slug="supplements").caution


@pytest.mark.django_db
def test_emergency_warning_signs_are_on_the_pages_that_need_them():
    for slug in ("poor-circulation", "trapped-nerve"):
        assert WarningSign.objects.filter(causes__slug=slug, level="emergency").exists(), slug
    assert WarningSign.objects.filter(text__contains="2 weeks", level="see_doctor", general=True).exists()
    assert WarningSign.objects.filter(text__contains="10 minutes", level="see_doctor").exists()
    assert WarningSign.objects.filter(text__icontains="thinner", causes__slug="weak-foot-muscles").exists()


ALLOWED_PUBLISHERS = {"NHS", "MedlinePlus", "NINDS", "Diabetes UK", "Mayo Clinic"}
MEDICAL_SITES = (
    "https://www.nhs.uk/",
    "https://medlineplus.gov/",
    "https://www.ninds.nih.gov/",
    "https://www.diabetes.org.uk/",
    "https://www.mayoclinic.org/",
)


@pytest.mark.django_db
def test_every_published_item_and_sign_has_a_linked_medical_source():
    for source in Source.objects.filter(evidence=True):
        assert source.publisher in ALLOWED_PUBLISHERS and source.url.startswith(MEDICAL_SITES), source.title
    for model in (Cause, Remedy, Faq):
        for item in model.objects.published().prefetch_related("sources"):
            assert any(s.evidence for s in item.sources.all()), f"{model.__name__} {item} has no medical source"
    for sign in WarningSign.objects.prefetch_related("sources"):
        assert any(s.evidence for s in sign.sources.all()), f"sign {sign.key} cites no medical source"


@pytest.mark.django_db
def test_the_original_articles_are_topics_not_evidence():
    articles = Source.objects.filter(title__startswith="Why Does My")
    assert articles.count() == 2 and not articles.filter(evidence=True).exists()
    assert not Source.objects.filter(publisher__icontains="not named").exists()


def _reader_texts():
    """Every text a reader reads as a whole: bodies, advice, answers, signs, site pages and urgency wording."""
    content = tomllib.loads(SEED_FILES[0].read_text(encoding="utf-8"))
    questionnaire = tomllib.loads(SEED_FILES[1].read_text(encoding="utf-8"))
    for kind, fields in (
        ("causes", ("summary", "body", "self_care")),
        ("remedies", ("summary", "body", "caution")),
        ("faqs", ("answer",)),
    ):
        for item in content[kind]:
            for field in fields:
                if item.get(field):
                    yield f"{kind} {item['slug']} {field}", item[field]
    for sign in content["signs"]:
        yield f"sign {sign['key']}", sign["text"]
        if sign.get("action"):
            yield f"sign {sign['key']} action", sign["action"]
    for page in content["pages"]:
        yield f"page {page['slug']} summary", page["summary"]
        yield f"page {page['slug']} text", f"{page['lead']}\n{page['body']}"
    for level in content["urgency"]:  # the results box at each level, read as a whole
        words = (level["title_prefix"], level["heading"], level["advice"], level["where"], level["insist"])
        yield f"urgency {level['level']} results box", "\n".join(text for text in words if text)
    for question in questionnaire["questions"]:
        yield f"question {question['key']} why we ask", question["help_text"]
        for option in question["options"]:
            if option["advice"]:
                yield f"answer {option['label']!r} advice", option["advice"]


def test_every_reader_text_is_at_reading_grade_6_or_below():
    texts = list(_reader_texts())
    assert len(texts) > 100
    hard = [
        f"{where}: grade {grade}"
        for where, text in texts
        if (grade := readability.grade(text)) > readability.TARGET_GRADE
    ]
    assert not hard, f"Above {readability.TARGET} (Flesch-Kincaid):\n" + "\n".join(hard)


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new():
    models = (Cause, Remedy, Faq, Source, Question, Option, OptionWeight, GlossaryTerm, Synonym)
    counts = [Model.objects.count() for Model in models]
    load_seed()
    assert [Model.objects.count() for Model in models] == counts


@pytest.mark.django_db
def test_loading_never_overwrites_an_editors_change():
    cause = Cause.objects.get(slug="caffeine")
    cause.summary = "An editor rewrote this."
    cause.status = Status.DRAFT
    cause.save()
    cause.remedies.clear()
    term = GlossaryTerm.objects.get(slug="neuropathy")
    term.meaning = "An editor rewrote this meaning."
    term.save()
    Synonym.objects.filter(phrase="pins and needles").update(means="prickling")
    load_seed()
    cause.refresh_from_db()
    assert cause.summary == "An editor rewrote this."
    assert GlossaryTerm.objects.get(slug="neuropathy").meaning == "An editor rewrote this meaning."
    assert Synonym.objects.get(phrase="pins and needles").means == "prickling"
    assert cause.status == Status.DRAFT
    assert not cause.remedies.exists()


@pytest.mark.django_db
def test_every_seeded_page_renders(client):
    for item in [*Cause.objects.all(), *Remedy.objects.all()]:
        assert client.get(item.get_absolute_url()).status_code == 200
