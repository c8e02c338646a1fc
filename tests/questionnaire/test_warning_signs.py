"""The warning signs on every page are the published red-flag answers an editor controls."""

import pytest

from causes.models import Status
from questionnaire.models import Option, Question

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

PAGES = ["/", "/causes/", "/remedies/", "/remedies/drink-water/", "/faq/", "/about/"]
EMERGENCY_INTRO = "Call 999 or your local emergency number now if you have:"
URGENT_INTRO = "Get help today from 111 or an urgent doctor&#x27;s appointment if you have:"


def _box(client, path: str) -> str:
    html = client.get(path).content.decode()
    return html[html.index('<section class="urgency') : html.index("</section>", html.index('<section class="urgency'))]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_lists_emergency_then_urgent_red_flag_answers(client, path):
    box = _box(client, path)
    assert box.index(EMERGENCY_INTRO) < box.index("Sudden weakness or numbness on one side of your body")
    assert box.index("A foot or toes that suddenly became cold, pale and painful") < box.index(URGENT_INTRO)
    assert box.index(URGENT_INTRO) < box.index("Weakness in your foot or leg that is getting worse")
    assert "None of these" not in box


def test_an_editors_change_to_a_red_flag_answer_shows_on_the_pages(client):
    option = Option.objects.get(question__key="red-flags", label__startswith="A foot or toes")
    option.label = "A foot that suddenly turns cold, pale or numb, or that you cannot move"
    option.save()
    Option.objects.filter(question__key="red-flags", label__startswith="Twitching that is spreading").update(
        urgency="", advice=""
    )
    box = _box(client, "/")
    assert "A foot that suddenly turns cold, pale or numb, or that you cannot move" in box
    assert "suddenly became cold, pale and painful" not in box
    assert "Twitching that is spreading" not in box


def test_without_a_published_red_flag_question_the_box_still_says_when_to_call_999(client):
    Question.objects.filter(red_flag=True).update(status=Status.DRAFT)
    box = _box(client, "/")
    assert EMERGENCY_INTRO not in box and "Sudden weakness" not in box
    assert "In an emergency, call 999 or your local emergency number." in box


def test_results_list_the_same_signs_without_another_query(client, django_assert_max_num_queries):
    none = Option.objects.get(question__key="red-flags", label="None of these").id
    with django_assert_max_num_queries(3):  # questions, options, weights: nothing matched, nothing more
        html = client.post("/check-your-symptoms/", {"red-flags": [none]}).content.decode()
    when = html[html.index('id="when-heading"') :]
    assert EMERGENCY_INTRO in when and "Muscles in your foot or leg getting thinner (muscle wasting)" in when
