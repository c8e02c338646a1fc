import datetime
import re

import pytest

from causes.models import Urgency, WarningSign
from editorial.lifecycle import Status

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_home_links_to_causes_remedies_and_faq(client, make_cause, make_site_page):
    make_cause(title="Too much caffeine", slug="caffeine")
    make_site_page(slug="home", body="## Is it serious?\n\nMost toe twitches are harmless.")
    html = _text(client.get("/"))
    assert "Is it serious?" in html
    for url in ("/causes/", "/remedies/", "/faq/", "/causes/caffeine/"):
        assert f'href="{url}"' in html


def test_causes_index_groups_published_causes_by_category(client, make_cause):
    make_cause(title="Too much caffeine", category="lifestyle")
    make_cause(title="Nerve damage (neuropathy)", category="nerves")
    make_cause(title="Secret draft", category="nerves", status=Status.DRAFT)
    html = _text(client.get("/causes/"))
    assert html.index("Lifestyle") < html.index("Too much caffeine") < html.index("Nerves and circulation")
    assert html.index("Nerves and circulation") < html.index("Nerve damage (neuropathy)")
    assert "Secret draft" not in html
    assert "Muscles</h2>" not in html  # empty categories are not shown


def test_cause_page_shows_article_advice_remedies_review_dates_and_sources(
    client, make_cause, make_remedy, make_source, make_faq
):
    cause = make_cause(
        title="Too much caffeine",
        summary="Coffee and energy drinks can make muscles twitch.",
        body="## What it is\n\nCaffeine wakes up your nerves.",
        self_care="- Drink less coffee",
        urgency=Urgency.SELF_CARE,
        last_reviewed=datetime.date(2026, 11, 1),
        next_review_due=datetime.date(2027, 11, 1),
    )
    cause.remedies.add(make_remedy(title="Cut down on caffeine"), make_remedy(title="Hidden", status=Status.DRAFT))
    cause.sources.add(make_source(title="Toe article", publisher="Askvity"))
    make_faq(question="Can coffee cause it?").causes.add(cause)
    make_faq(question="Draft question?", status=Status.DRAFT).causes.add(cause)
    nhs = make_source(title="Twitching eyes and muscles", publisher="NHS")
    sign = WarningSign.objects.create(
        key="two-weeks", text="your twitch lasts more than 2 weeks", level="see_doctor", status=Status.PUBLISHED
    )
    sign.causes.add(cause)
    sign.sources.add(nhs)

    html = _text(client.get(cause.get_absolute_url()))
    assert "<h1>Too much caffeine</h1>" in html
    assert '<meta name="description" content="Coffee and energy drinks can make muscles twitch.">' in html
    assert "<h2>What it is</h2>" in html
    assert "<li>Drink less coffee</li>" in html
    assert html.index('class="care-card care-see_doctor"') < html.index('class="care-card care-self_care"')
    assert "See a GP if:" in html and "your twitch lasts more than 2 weeks" in html
    assert "NHS: Twitching eyes and muscles" in html  # the advice cites its source
    assert "What you can do yourself" in html
    assert "Cut down on caffeine" in html and "Hidden" not in html
    assert "Can coffee cause it?" in html and "Draft question?" not in html
    assert "Toe article" in html and "Askvity" in html
    assert "1 November 2026" in html and "1 November 2027" in html
    assert 'aria-current="page">Too much caffeine' in html


def test_a_cause_page_has_a_box_per_level_most_urgent_first_each_named_in_words(client, make_cause):
    cause = make_cause()
    for n, level in enumerate(["see_doctor", "emergency", "urgent", "see_doctor"]):
        WarningSign.objects.create(
            key=f"sign-{n}", text=f"sign {n} at {level}", level=level, status="published"
        ).causes.add(cause)
    html = _text(client.get(cause.get_absolute_url()))
    boxes = re.findall(r'class="care-card care-(\w+)"', html)
    assert boxes == ["emergency", "urgent", "see_doctor", "self_care"]
    for level, heading in [
        ("Emergency", "Call 999 now if:"),
        ("Urgent", "Get help today if:"),
        ("See a doctor", "See a GP if:"),
        ("Self-care", "What you can do yourself"),
    ]:
        assert f'<span class="visually-hidden">{level}: </span>{heading}' in html
    emergency = html[html.index("care-emergency") : html.index("care-urgent")]
    assert "sign 1 at emergency" in emergency and "at see_doctor" not in emergency


def test_remedy_page_shows_caution_and_only_published_causes(client, make_cause, make_remedy):
    remedy = make_remedy(title="Supplements: ask first", caution="Ask a **pharmacist** first.")
    make_cause(title="Low vitamin B12").remedies.add(remedy)
    make_cause(title="Draft cause", status=Status.DRAFT).remedies.add(remedy)
    html = _text(client.get(remedy.get_absolute_url()))
    assert "Important: read this first" in html and "<strong>pharmacist</strong>" in html
    assert "Low vitamin B12" in html and "Draft cause" not in html
    assert "When to get help" in html


def test_remedies_index_lists_published_remedies(client, make_remedy):
    make_remedy(title="Drink enough water")
    make_remedy(title="Draft remedy", status=Status.DRAFT)
    html = _text(client.get("/remedies/"))
    assert "Drink enough water" in html and "Draft remedy" not in html


def test_faq_page_has_anchored_questions_in_order_without_drafts(client, make_faq):
    make_faq(question="Second?", slug="second", order=2)
    make_faq(question="First?", slug="first", order=1)
    make_faq(question="Draft?", slug="draft", order=0, status=Status.DRAFT)
    html = _text(client.get("/faq/"))
    assert '<h2 id="first">First?</h2>' in html and 'href="#first"' in html
    assert html.index('id="first"') < html.index('id="second"')
    assert "Draft?" not in html


def test_faq_page_shows_its_oldest_review_date(client, make_faq):
    make_faq(last_reviewed=datetime.date(2026, 3, 1), next_review_due=datetime.date(2027, 3, 1))
    make_faq(last_reviewed=datetime.date(2026, 9, 1), next_review_due=datetime.date(2027, 9, 1))
    html = _text(client.get("/faq/"))
    assert "1 March 2026" in html and "1 March 2027" in html


def test_empty_site_still_renders_helpful_pages(client):
    for path in ("/", "/causes/", "/remedies/", "/faq/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "When to get help" in _text(response) and "Call 999" in _text(response)


@pytest.mark.parametrize("model_path", ["cause", "remedy"])
def test_draft_pages_are_404_for_the_public(client, make_cause, make_remedy, model_path):
    item = (make_cause if model_path == "cause" else make_remedy)(status=Status.DRAFT)
    assert client.get(item.get_absolute_url()).status_code == 404
