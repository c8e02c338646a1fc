"""Search in a real browser: from the header with the keyboard alone, and results pages checked with axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, SCREENSHOTS, horizontal_overflow
from .test_accessibility import AXE_TAGS


def _tab_to(page, element_id: str, most: int = 30) -> None:
    """Press Tab until the element with this id has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def test_a_reader_searches_from_the_header_with_the_keyboard(shared_site, page):
    page.goto("/causes/caffeine/")
    _tab_to(page, "site-search-q")
    page.keyboard.type("cramping")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=cramping$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("searchbox", name="Search ToeSite")).to_have_value("cramping")
    first = page.locator(".search-results > li").first
    expect(first.get_by_role("link")).to_have_text("Muscle cramps")
    expect(first.locator("mark").first).to_be_visible()

    # The button works from the keyboard too.
    page.get_by_role("searchbox", name="Search ToeSite").fill("xylophone")
    page.get_by_role("searchbox", name="Search ToeSite").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("We found nothing for")).to_be_visible()
    expect(page.get_by_role("link", name="Answer a few questions about your symptoms")).to_be_visible()


@pytest.mark.parametrize(
    ("name", "q"),
    [("search-results", "pins and needles"), ("search-no-result", "xylophone"), ("search-empty", "")],
)
def test_search_pages_have_no_axe_violations_and_reflow(shared_site, page, name, q):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/search/?q={q}")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    for width in (640, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways at {width}px"
