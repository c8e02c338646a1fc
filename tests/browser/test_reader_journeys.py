"""A reader finds their way around: causes, remedies, questions, and every link works."""

import re

import pytest
from playwright.sync_api import expect

from causes.models import Cause


def _read_through_the_site(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Why does my toe keep moving by itself?")
    page.get_by_role("main").get_by_role("link", name="Too much caffeine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too much caffeine")
    expect(page.get_by_role("heading", name="What you can do yourself")).to_be_visible()
    expect(page.get_by_text("Page last reviewed")).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="Cut down on caffeine and alcohol").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cut down on caffeine and alcohol")
    expect(page.get_by_role("heading", name="Causes this helps with")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Common questions about toe twitching")
    first_question = page.get_by_role("navigation", name="Questions on this page").get_by_role("link").first
    first_question.click()
    expect(page).to_have_url(re.compile(r"/faq/#[\w-]+$"))

    page.get_by_role("link", name=re.compile("^ToeSite")).click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_reader_journey_home_cause_remedy_faq_home(site, page):
    _read_through_the_site(page)


def test_reader_journey_works_without_javascript(site, no_js_page):
    _read_through_the_site(no_js_page)


def test_every_navigation_and_footer_link_works(site, page):
    page.goto("/")
    hrefs = page.eval_on_selector_all(
        "nav[aria-label=Main] a, nav[aria-label=Footer] a, footer a, header a", "els => els.map(e => e.href)"
    )
    assert len(set(hrefs)) >= 7
    for href in sorted(set(hrefs)):
        response = page.request.get(href)
        assert response.status == 200, href


def test_every_cause_and_remedy_link_on_the_index_pages_works(site, page):
    for index in ("/causes/", "/remedies/"):
        page.goto(index)
        # Our own links only: a test never sends a request to another site (the NHS sources).
        hrefs = page.eval_on_selector_all(
            "main a", "els => els.map(e => e.href).filter(h => h.startsWith(location.origin + '/'))"
        )
        assert len(hrefs) >= 10
        for href in sorted(set(hrefs)):
            assert page.request.get(href).status == 200, href


def test_skip_link_is_first_and_moves_focus_to_the_main_content(site, page):
    page.goto("/causes/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("path", ["/causes/not-a-cause/", "/nothing-here/"])
def test_unknown_pages_show_the_friendly_404(site, page, path):
    response = page.goto(path)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="go to the home page")).to_be_visible()


def test_draft_cause_is_not_reachable(site, page):
    Cause.objects.filter(slug="caffeine").update(status="draft")
    page.goto("/causes/")
    expect(page.get_by_role("link", name="Too much caffeine")).to_have_count(0)
    assert page.goto("/causes/caffeine/").status == 404
