"""One meaning of "live": a draft or scheduled item of every kind is nowhere a reader can reach."""

import datetime

import pytest
from django.utils import timezone

from causes.models import Cause, Faq, Remedy, Source, WarningSign
from editorial import lifecycle
from editorial.lifecycle import Status
from glossary.models import GlossaryTerm
from questionnaire import selectors as questionnaire_selectors
from questionnaire.models import Question, Release
from search import engine
from search.models import Synonym
from tests.conftest import results_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

IN_TWO_DAYS = datetime.timedelta(days=2)
LISTS = [
    "/",
    "/causes/",
    "/remedies/",
    "/faq/",
    "/a-z/",
    "/sitemap.xml",
    "/check-your-symptoms/",
    "/check-your-symptoms/all/",
]


def _hide(item, state: str) -> None:
    """Make an item a draft, or published but scheduled two days ahead, through its save (as the admin does)."""
    if state == "draft":
        item.status = Status.DRAFT
    else:
        item.status, item.publish_at = Status.PUBLISHED, timezone.now() + IN_TWO_DAYS
    item.save()


def _pages(client, *extra: str) -> dict[str, str]:
    return {path: client.get(path).content.decode() for path in [*LISTS, *extra]}


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_cause_is_on_no_page_in_no_search_and_not_in_the_questionnaire(client, state):
    cause = Cause.objects.get(slug="caffeine")
    address, title = cause.get_absolute_url(), cause.title
    assert address in results_page(client, "Lots of caffeine, such as coffee, tea, energy drinks or cola")
    _hide(cause, state)

    assert client.get(address).status_code == 404
    for path, html in _pages(client, "/causes/lack-of-sleep/", "/remedies/cut-down-caffeine-alcohol/").items():
        assert address not in html, f"{state} cause linked from {path}"
    assert title not in client.get("/search/", {"q": "caffeine coffee"}).content.decode()
    results = results_page(client, "Lots of caffeine, such as coffee, tea, energy drinks or cola")
    assert address not in results and title not in results
    for safety_state in ("live", "saved"):
        causes = questionnaire_selectors.safety_data(state=safety_state).causes.values()
        assert cause.pk not in {found.id for found in causes} and "caffeine" not in {found.slug for found in causes}


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_remedy_is_on_no_page_and_in_no_search(client, state):
    remedy = Remedy.objects.get(slug="cut-down-caffeine-alcohol")
    address = remedy.get_absolute_url()
    _hide(remedy, state)
    assert client.get(address).status_code == 404
    for path, html in _pages(client, "/causes/caffeine/", "/causes/alcohol/").items():
        assert address not in html, f"{state} remedy linked from {path}"
    assert address not in results_page(client, "Lots of caffeine, such as coffee, tea, energy drinks or cola")
    assert remedy.title not in client.get("/search/", {"q": "cut down caffeine"}).content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_faq_is_not_on_the_faq_page_its_json_ld_or_its_causes_pages(client, state):
    faq = Faq.objects.get(slug="can-stress-make-it-worse")
    _hide(faq, state)
    for path, html in _pages(client, "/causes/stress-and-anxiety/").items():
        assert faq.question not in html, f"{state} FAQ on {path}"
    assert faq.question not in client.get("/search/", {"q": "stress worse"}).content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_question_is_not_asked_once_released_and_its_answers_count_for_nothing(client, state):
    question = Question.objects.get(key="lifestyle")
    _hide(question, state)
    assert ("lifestyle", "Drinking alcohol often") not in questionnaire_selectors.safety_data(state="saved").answers
    Release.objects.create(snapshot=questionnaire_selectors.snapshot())  # as a reviewer's approval does
    assert question.text not in client.get("/check-your-symptoms/all/").content.decode()
    assert ("lifestyle", "Drinking alcohol often") not in questionnaire_selectors.safety_data(state="live").answers


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_source_is_cited_nowhere(client, state):
    cause = Cause.objects.get(slug="caffeine")
    cited = cause.sources.filter(evidence=True).first()
    general = Source.objects.filter(warning_signs__general=True, warning_signs__status=Status.PUBLISHED).first()
    assert cited.url in client.get(cause.get_absolute_url()).content.decode()
    assert general.url in client.get("/").content.decode()
    for source in {cited, general}:
        _hide(source, state)
    paths = ["/", cause.get_absolute_url(), "/faq/", "/check-your-symptoms/"]
    for path in paths:
        html = client.get(path).content.decode()
        assert cited.url not in html and general.url not in html, f"{state} source cited on {path}"
    assert general.url not in results_page(client, "Lots of caffeine, such as coffee, tea, energy drinks or cola")


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_glossary_term_is_not_explained_or_linked(client, state):
    term = GlossaryTerm.objects.get(slug="neuropathy")
    anchor = f'href="/glossary/#{term.slug}"'
    assert anchor in client.get("/causes/nerve-damage/").content.decode()
    _hide(term, state)
    assert f'id="{term.slug}"' not in client.get("/glossary/").content.decode()
    for path, html in _pages(client, "/causes/nerve-damage/", "/glossary/").items():
        assert anchor not in html, f"{state} glossary term linked from {path}"


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_synonym_is_not_in_the_a_to_z_or_search(client, make_cause, state):
    address = make_cause(title="Glimmering toes").get_absolute_url()
    synonym = Synonym.objects.create(phrase="sparkly", means="glimmering", status=Status.PUBLISHED)
    assert [hit.url for hit in engine.search(engine.clean("sparkly"))] == [address]
    assert "sparkly" in client.get("/a-z/").content.decode()
    _hide(synonym, state)
    assert "sparkly" not in client.get("/a-z/").content.decode()
    assert engine.search(engine.clean("sparkly")) == []


def test_every_kind_of_reader_facing_content_has_the_lifecycle():
    kinds = {Cause, Remedy, Faq, WarningSign, Source, GlossaryTerm, Synonym, Question}
    for model in kinds:
        assert hasattr(model.objects, "published"), model
        assert model.objects.published().query.where, model  # filtered, not all rows


def test_live_means_the_same_as_a_query_and_as_a_predicate():
    now = timezone.now()
    cases = [
        (Status.PUBLISHED, None, True),
        (Status.PUBLISHED, now - IN_TWO_DAYS, True),
        (Status.PUBLISHED, now + IN_TWO_DAYS, False),
        (Status.REVIEW, None, False),
        (Status.DRAFT, now - IN_TWO_DAYS, False),
    ]
    for index, (status, publish_at, live) in enumerate(cases):
        cause = Cause.objects.create(
            title=f"Case {index}", slug=f"case-{index}", category="muscles", status=status, publish_at=publish_at
        )
        assert lifecycle.is_live(status, publish_at) is live
        assert cause.is_live is live
        assert Cause.objects.published().filter(pk=cause.pk).exists() is live


def test_published_and_live_have_one_definition_each():
    """No module outside editorial/lifecycle.py compares a status with "published" itself: it asks
    `lifecycle.is_published` (live or scheduled) or `is_live` / `live_q` (readers see it now)."""
    import re
    from pathlib import Path

    from django.conf import settings

    compared = re.compile(r"[!=]=\s*(Status\.PUBLISHED|lifecycle\.LIVE_STATUS|LIVE_STATUS|\"published\")")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for app in ("core", "editorial", "causes", "questionnaire", "glossary", "search", "feedback", "accounts")
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "lifecycle.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compared.search(line)
    ]
    assert not found, f"compare through editorial.lifecycle instead: {found}"
