"""Related causes on a cause page, and the causes a remedy helps with on a remedy page."""

import tomllib
from pathlib import Path

import pytest

from causes import selectors
from causes.models import Cause
from editorial.lifecycle import Status
from questionnaire.models import Option, OptionWeight, Question
from tests.conftest import load_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(db):
    """An answer to a published question, weighting causes: `answer(cause=weight, ...)`."""
    made = iter(range(1, 100))

    def create(question_status=Status.PUBLISHED, **weights):
        n = next(made)
        question = Question.objects.create(key=f"question-{n}", text=f"Question {n}?", status=question_status)
        option = Option.objects.create(question=question, label=f"Answer {n}")
        for cause, weight in weights.items():
            OptionWeight.objects.create(option=option, cause=Cause.objects.get(slug=cause), weight=weight)
        return option

    return create


def related_titles(cause: Cause) -> list[str]:
    return [link.title for link in selectors.cause_page(cause).related]


@pytest.fixture
def causes(make_cause):
    """Six published causes, a to f, titled so that title order and slug order differ."""
    titles = {"a": "Zinc", "b": "Yawning", "c": "Xylitol", "d": "Walking", "e": "Vinegar", "f": "Umami"}
    return {slug: make_cause(slug=slug, title=title) for slug, title in titles.items()}


def test_editor_chosen_causes_come_first_by_title_then_those_sharing_answers(causes, answer):
    causes["a"].related.set([causes["b"], causes["c"]])
    answer(a=2, d=1)
    assert related_titles(causes["a"]) == ["Xylitol", "Yawning", "Walking"]


def test_causes_sharing_more_answers_come_first(causes, answer):
    answer(a=1, d=1, e=1)
    answer(a=1, e=2)
    answer(a=3, f=1, e=1)
    answer(a=1, f=1)
    answer(a=1, f=1)
    assert related_titles(causes["a"]) == ["Umami", "Vinegar", "Walking"]


def test_at_most_four_are_suggested_unless_editors_chose_more(causes, answer):
    answer(a=1, b=1, c=1, d=1, e=1, f=1)
    assert len(related_titles(causes["a"])) == 4
    causes["a"].related.set([causes[slug] for slug in "bcdef"])
    assert related_titles(causes["a"]) == ["Umami", "Vinegar", "Walking", "Xylitol", "Yawning"]


def test_a_chosen_cause_that_also_shares_answers_is_listed_once(causes, answer):
    causes["a"].related.set([causes["b"]])
    answer(a=1, b=1)
    assert related_titles(causes["a"]) == ["Yawning"]


def test_a_cause_is_never_related_to_itself(causes, answer):
    causes["a"].related.set([causes["a"]])
    answer(a=1)
    answer(a=2, b=1)
    assert "Zinc" not in related_titles(causes["a"])


def test_draft_and_scheduled_causes_are_never_suggested(causes, answer):
    causes["a"].related.set([causes["b"], causes["c"]])
    answer(a=1, d=1, e=1)
    Cause.objects.filter(slug__in=["b", "d"]).update(status=Status.DRAFT)
    Cause.objects.filter(slug="e").update(publish_at="2999-01-01T00:00Z")
    assert related_titles(causes["a"]) == ["Xylitol"]


def test_negative_weights_and_unpublished_questions_do_not_relate(causes, answer):
    answer(a=2, b=-1)
    answer(a=-1, c=2)
    answer(question_status=Status.DRAFT, a=2, d=2)
    assert related_titles(causes["a"]) == []


def test_related_choices_are_one_way(causes):
    causes["a"].related.set([causes["b"]])
    assert related_titles(causes["b"]) == []


def test_cause_page_shows_related_causes_with_their_links(client, causes, answer):
    causes["a"].related.set([causes["c"]])
    answer(a=1, d=1)
    html = client.get("/causes/a/").content.decode()
    section = html[html.index('id="related-heading"') :]
    assert section.index('href="/causes/c/"') < section.index('href="/causes/d/"')
    assert "Summary of" in section


def test_cause_page_without_related_causes_has_no_empty_section(client, causes):
    assert "Related causes" not in client.get("/causes/a/").content.decode()


def test_seeded_editor_choices_lead_the_related_causes(seeded):
    nerve_damage = Cause.objects.get(slug="nerve-damage")
    titles = related_titles(nerve_damage)
    chosen = sorted(cause.title for cause in nerve_damage.related.all())
    assert len(chosen) == 3 and titles[:3] == chosen


def test_every_seeded_cause_page_suggests_related_causes(client, seeded):
    for cause in Cause.objects.published():
        assert related_titles(cause), f"{cause.slug} suggests no related cause"


def test_remedy_page_lists_only_published_causes_it_helps_with(client, make_remedy, causes):
    remedy = make_remedy(slug="rest")
    remedy.causes.set([causes["a"], causes["b"]])
    Cause.objects.filter(slug="b").update(status=Status.DRAFT)
    html = client.get("/remedies/rest/").content.decode()
    assert "Causes this helps with" in html
    assert 'href="/causes/a/"' in html and 'href="/causes/b/"' not in html


def test_every_seeded_related_slug_names_a_seeded_cause():
    content = tomllib.loads((Path(__file__).resolve().parents[2] / "causes/seed/content.toml").read_text("utf-8"))
    slugs = {cause["slug"] for cause in content["causes"]}
    chosen = [(cause["slug"], slug) for cause in content["causes"] for slug in cause.get("related", [])]
    assert len(chosen) >= 10
    assert [pair for pair in chosen if pair[1] not in slugs or pair[1] == pair[0]] == []


def test_loading_again_keeps_an_editors_related_choices(seeded):
    cause = Cause.objects.get(slug="nerve-damage")
    cause.related.clear()
    load_seed()
    assert not cause.related.exists()
