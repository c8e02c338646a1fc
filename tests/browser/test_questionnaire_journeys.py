"""Using the symptom questionnaire in a real browser: keyboard only, red flags, errors, results."""

import re

from playwright.sync_api import expect

from .conftest import submit_questionnaire

TYPICAL = (
    "None of these",
    "A few days",
    "Just one toe",
    "Lots of caffeine, such as coffee, tea, energy drinks or cola",
    "Feeling stressed or anxious",
)
COLD_FOOT = "A foot suddenly went cold, pale or numb"


def _tab_to(page, accessible_name: str, limit: int = 150) -> None:
    """Press Tab until the element with this label or text has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(
            """() => { const el = document.activeElement;
                 const label = el.labels && el.labels[0];
                 return (label ? label.textContent : el.textContent).trim(); }"""
        )
        if name == accessible_name:
            return
    raise AssertionError(f"Tab never reached {accessible_name!r}")


def test_keyboard_only_answers_reach_the_results(shared_site, page):
    page.goto("/check-your-symptoms/all/")
    _tab_to(page, "None of these")
    page.keyboard.press("Space")
    _tab_to(page, "A few days")  # Tab enters the radio group on its first option
    page.keyboard.press("Space")
    _tab_to(page, "Lots of caffeine, such as coffee, tea, energy drinks or cola")
    page.keyboard.press("Space")
    _tab_to(page, "Show my results")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.get_by_role("heading", name="Causes that may fit your answers")).to_be_visible()


def _emergency_comes_first(page):
    submit_questionnaire(page, COLD_FOOT)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Emergency: call 999 or your local emergency number now")
    expect(alert).to_contain_text(COLD_FOOT)
    expect(alert).to_be_in_viewport()
    assert page.title().startswith("Emergency: call 999 now.")
    # The call to action is the first thing in the main content after the page heading.
    first_section = page.locator("main section").first
    expect(first_section).to_have_attribute("class", re.compile("care-emergency"))


def test_emergency_red_flag_shows_the_call_to_action_first(shared_site, page):
    _emergency_comes_first(page)


def test_emergency_red_flag_works_without_javascript(shared_site, no_js_page):
    _emergency_comes_first(no_js_page)


def test_red_flag_button_gets_advice_without_the_other_questions(shared_site, page):
    page.goto("/check-your-symptoms/all/")
    page.get_by_label("Chest pain now, or it lasted more than 15 minutes").check()
    page.get_by_role("button", name="Get advice now").click()
    expect(page.get_by_role("alert")).to_contain_text("Emergency: call 999")


def test_submitting_nothing_gives_a_linked_error_summary(shared_site, page):
    page.goto("/check-your-symptoms/all/")
    page.get_by_role("button", name="Show my results").click()
    expect(page).to_have_title(re.compile(r"^Error: "))  # waits for the answer page, unlike page.title()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()  # so the next Tab lands on the first error link
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("None of these", exact=True).first).to_be_in_viewport()
    assert page.evaluate("location.hash") == "#id_red-flags_0"  # the first answer: "None of these" comes first


def _typical_answers_rank_causes(page):
    submit_questionnaire(page, *TYPICAL)
    matches = page.locator(".match h3")
    expect(matches.first).to_have_text("Harmless muscle twitches (benign fasciculations)")
    assert 2 <= matches.count() <= 5
    first = page.locator(".match").first
    expect(first).to_contain_text("Strong match")
    expect(first).to_contain_text("Why it may fit")
    expect(first).to_contain_text("Lots of caffeine")
    expect(page.get_by_text("do not point to anything serious")).to_be_visible()
    first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harmless muscle twitches (benign fasciculations)")


def test_typical_answers_show_ranked_causes_with_reasons(shared_site, page):
    _typical_answers_rank_causes(page)


def test_typical_answers_work_without_javascript(shared_site, no_js_page):
    _typical_answers_rank_causes(no_js_page)


def test_print_button_appears_with_javascript_only(shared_site, page, no_js_page):
    submit_questionnaire(page, "None of these")
    expect(page.get_by_role("button", name="Print this summary")).to_be_visible()
    submit_questionnaire(no_js_page, "None of these")
    expect(no_js_page.get_by_role("button", name="Print this summary")).to_be_hidden()
    expect(no_js_page.get_by_text("To keep a copy, print this page")).to_be_visible()


def test_print_stylesheet_keeps_the_summary_and_drops_the_navigation(shared_site, page):
    submit_questionnaire(page, *TYPICAL)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Your summary to take to a doctor")).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Show my results")).to_have_count(0)
