"""The one questionnaire loader: what the form, the results page and the safety cases all read."""

import datetime

import pytest
from django.utils import timezone

from causes.models import Cause
from editorial.lifecycle import Status
from questionnaire import selectors
from questionnaire.models import Option, OptionWeight, Question, Release
from tests.conftest import results_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

MAX_QUERIES = 4  # selectors.load's promise, whatever the questionnaire's size


def _keys(questionnaire: selectors.Questionnaire) -> list[str]:
    return [question.key for question in questionnaire.questions]


def _draft_question(key: str = "draft-question") -> Question:
    question = Question.objects.create(key=key, text="A question still being written?", status=Status.DRAFT)
    option = Option.objects.create(question=question, label="A draft answer")
    OptionWeight.objects.create(option=option, cause=Cause.objects.get(slug="caffeine"), weight=3)
    return question


@pytest.mark.parametrize("state", ["live", "saved", "drafts"])
def test_each_state_loads_in_a_fixed_number_of_queries_however_big(state, django_assert_max_num_queries):
    cause = Cause.objects.get(slug="caffeine")
    for n in range(30):  # 30 more questions, each with options and weights, all published
        question = Question.objects.create(key=f"extra-{n}", text=f"Extra {n}?", status=Status.PUBLISHED)
        for m in range(3):
            option = Option.objects.create(question=question, label=f"Extra answer {m}")
            OptionWeight.objects.create(option=option, cause=cause, weight=1)
    Release.objects.create(snapshot=selectors.snapshot())
    with django_assert_max_num_queries(MAX_QUERIES):
        loaded = selectors.load(state)
    assert len(loaded.questions) >= 38 and "extra-29" in _keys(loaded)


def test_before_a_first_release_the_live_state_still_loads_within_the_bound(django_assert_max_num_queries):
    Release.objects.all().delete()
    with django_assert_max_num_queries(MAX_QUERIES):
        loaded = selectors.load("live")
    assert loaded.questions and loaded.approved_at is None and loaded.reviewed_by == ""


def test_a_draft_question_is_loaded_only_in_the_drafts_state():
    question = _draft_question()
    assert question.key in _keys(selectors.load("drafts"))
    assert question.key not in _keys(selectors.load("saved"))
    assert question.key not in _keys(selectors.load("live"))


def test_a_draft_question_never_appears_live_even_after_a_release(client):
    question = _draft_question()
    Release.objects.create(snapshot=selectors.snapshot())  # as a reviewer's approval does
    assert question.key not in _keys(selectors.live_release())
    assert question.key not in [asked.key for asked, _ in selectors.published_questions()]
    assert question.text not in client.get("/check-your-symptoms/").content.decode()
    assert ("draft-question", "A draft answer") not in selectors.safety_data(state="live").answers


def test_a_released_question_scheduled_for_later_is_not_live_until_its_time():
    question = Question.objects.get(key="lifestyle")
    question.publish_at = timezone.now() + datetime.timedelta(days=2)
    question.save()
    Release.objects.create(snapshot=selectors.snapshot())
    assert "lifestyle" in [entry["key"] for entry in Release.objects.first().snapshot["questions"]]
    assert "lifestyle" not in _keys(selectors.load("live"))
    assert "lifestyle" in _keys(selectors.load("drafts"))


def test_the_live_questionnaire_is_cached_until_the_content_version_moves(django_assert_num_queries):
    first = selectors.live_release()
    with django_assert_num_queries(0):
        assert selectors.live_release() is first
        selectors.published_questions()
    question = Question.objects.get(key="lifestyle")
    question.text = "A reworded question about how you live?"
    question.save()
    Release.objects.create(snapshot=selectors.snapshot())  # each save moves the content version on
    again = selectors.live_release()
    assert again is not first
    assert next(q.text for q in again.questions if q.key == "lifestyle") == "A reworded question about how you live?"


def test_a_cause_is_one_id_from_the_release_to_the_results(client):
    """Weights name causes by id in the release, the loader and matching; a renamed cause still matches."""
    loaded = selectors.load("live")
    weighted = {cause_id for q in loaded.questions for option in q.options for cause_id, _ in option.weights}
    assert weighted == set(loaded.causes) == set(loaded.pages)
    assert all(loaded.causes[pk].id == pk for pk in loaded.causes)
    saved = set(
        OptionWeight.objects.filter(option__question__status=Status.PUBLISHED).values_list("cause_id", flat=True)
    )
    assert weighted == saved

    cause = Cause.objects.get(slug="caffeine")
    cause.slug, cause.title = "caffeine-and-energy-drinks", "Caffeine and energy drinks"
    cause.save()  # no new release: the released weights still point at the same cause, by id
    html = results_page(client, "Lots of caffeine, such as coffee, tea, energy drinks or cola")
    assert 'href="/causes/caffeine-and-energy-drinks/">Caffeine and energy drinks</a>' in html


def test_a_cause_that_is_not_live_weighs_nothing_and_is_not_loaded():
    cause = Cause.objects.get(slug="caffeine")
    cause.status = Status.DRAFT
    cause.save()
    loaded = selectors.load("live")
    assert cause.pk not in loaded.causes and cause.pk not in loaded.pages
    assert all(cause_id != cause.pk for q in loaded.questions for o in q.options for cause_id, _ in o.weights)
