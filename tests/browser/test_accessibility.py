"""WCAG 2.2 AA in a real browser: axe on every page type, plus what axe cannot see.

Each page is also screenshotted at phone and desktop widths into test-artifacts/screenshots/.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, SCREENSHOTS, horizontal_overflow, submit_questionnaire

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _questionnaire_errors(page):
    page.goto("/check-your-symptoms/all/")
    page.get_by_role("button", name="Show my results").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()


PAGES = {
    "home": lambda page: page.goto("/"),
    "causes": lambda page: page.goto("/causes/"),
    "cause": lambda page: page.goto("/causes/trapped-nerve/"),
    "remedies": lambda page: page.goto("/remedies/"),
    "remedy": lambda page: page.goto("/remedies/supplements/"),
    "faq": lambda page: page.goto("/faq/"),
    "about": lambda page: page.goto("/about/"),
    "privacy": lambda page: page.goto("/privacy/"),
    "a-z": lambda page: page.goto("/a-z/"),
    "glossary": lambda page: page.goto("/glossary/"),
    "not-found": lambda page: page.goto("/no-such-page/"),
    "questionnaire": lambda page: page.goto("/check-your-symptoms/"),
    "questionnaire-all": lambda page: page.goto("/check-your-symptoms/all/"),
    "questionnaire-errors": _questionnaire_errors,
    "results-self-care": lambda page: submit_questionnaire(page, "None of these", "A few days", "Just one toe"),
    "results-see-doctor": lambda page: submit_questionnaire(
        page, "None of these", "Numbness, where you cannot feel touch well"
    ),
    "results-urgent": lambda page: submit_questionnaire(
        page, "None of these", "Pain, swelling, warmth or redness in one leg, or veins in it that feel hard and sore"
    ),
    "results-emergency": lambda page: submit_questionnaire(page, "A foot suddenly went cold, pale or numb"),
    "admin-login": lambda page: page.goto("/admin/login/"),
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_reflows_and_is_screenshotted(shared_site, page, axe, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    PAGES[name](page)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)

    # 200% zoom of a 1280 px window is a 640 px layout; WCAG reflow asks for 320 px too.
    for width in (640, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways at {width}px"
    page.set_viewport_size(PHONE)
    page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)


def test_urgency_is_announced_in_words_at_every_level(shared_site, page):
    expectations = {
        "results-self-care": "You can probably look after this yourself",
        "results-see-doctor": "See a doctor about your twitching",
        "results-urgent": "Urgent: get help from a doctor today",
        "results-emergency": "Emergency: call 999 or your local emergency number now",
    }
    for name, words in expectations.items():
        PAGES[name](page)
        expect(page.locator("section.triage h2")).to_have_text(words)


FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.value || el.id).trim().slice(0, 40),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, bg: s.backgroundColor};
}"""


@pytest.mark.parametrize("path", ["/", "/causes/caffeine/", "/check-your-symptoms/", "/check-your-symptoms/all/"])
def test_every_interactive_element_shows_visible_focus(shared_site, page, path):
    page.goto(path)
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus["tag"] == "BODY":
            break
        assert focus["outline"], f"no visible focus on {focus}"
        seen += 1
    assert seen >= 8


def test_targets_are_at_least_24_by_24_pixels(shared_site, page):
    for path in ("/", "/check-your-symptoms/", "/causes/"):
        page.goto(path)
        small = page.evaluate(
            """() => [...document.querySelectorAll('header a, footer a, nav a, button, input, .item-list a')]
                .filter(el => el.offsetParent !== null)
                .map(el => ({text: (el.textContent || el.id).trim().slice(0, 30), box: el.getBoundingClientRect()}))
                .filter(t => t.box.width < 24 || t.box.height < 24)
                .map(t => `${t.text} ${Math.round(t.box.width)}x${Math.round(t.box.height)}`)"""
        )
        assert small == [], f"{path}: {small}"


def test_reduced_motion_turns_off_transitions(shared_site, page):
    page.emulate_media(reduced_motion="reduce")
    page.goto("/check-your-symptoms/")
    durations = page.evaluate(
        """() => [...document.querySelectorAll('.btn, .form-check-input, a')]
                .map(el => getComputedStyle(el).transitionDuration)"""
    )
    assert durations and all(d in ("0s", "") for d in durations), set(durations)


def test_care_cards_name_their_level_for_screen_readers_and_fit_a_small_phone(shared_site, page, axe):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/causes/poor-circulation/")
    cards = page.locator("main .care-card")
    levels = [cards.nth(i).get_attribute("class").split("care-")[-1] for i in range(cards.count())]
    assert levels == ["emergency", "urgent", "see_doctor", "self_care"]
    names = [cards.nth(i).get_by_role("heading").first.inner_text() for i in range(cards.count())]
    expect(cards.first.get_by_role("heading", name="Emergency: Call 999 now if:")).to_be_attached()
    assert len(set(names)) == 4
    colours = {cards.nth(i).evaluate("el => getComputedStyle(el).borderLeftColor") for i in range(cards.count())}
    assert len(colours) == 4, "each level has its own colour"
    assert horizontal_overflow(page) <= 0
    results = axe.run(page, context="main", options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
