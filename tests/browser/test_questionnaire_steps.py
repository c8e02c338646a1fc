"""The questionnaire one question a page, in a real browser: early exit, every page, Change, Back, keyboard, axe."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from questionnaire import selectors

from .conftest import horizontal_overflow
from .test_accessibility import AXE_TAGS
from .test_questionnaire_journeys import COLD_FOOT, _tab_to

NARROW = {"width": 320, "height": 800}


def _questions() -> list[str]:
    """The questions asked of a reader whose answers open no follow-up question."""
    return [question.text for question, _ in selectors.published_questions() if question.asked_if is None]


def _on_question(page, number: int) -> None:
    questions = _questions()
    expect(page.get_by_text(f"Question {number} of {len(questions)}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(questions[number - 1])
    # A screen reader names the answers' group by the question, and reads "why we ask" with it.
    group = page.get_by_role("group", name=questions[number - 1], exact=True)
    expect(group).to_be_visible()
    assert page.locator(f"#{group.get_attribute('aria-describedby').split()[0]}").inner_text().startswith("Why we ask")


def _continue(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def _emergency_in_one_step(page) -> None:
    page.goto("/check-your-symptoms/")
    _on_question(page, 1)
    page.get_by_label(COLD_FOOT, exact=True).check()
    _continue(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Emergency: call 999 or your local emergency number now")
    expect(alert).to_contain_text(COLD_FOOT)
    expect(alert).to_be_in_viewport()
    expect(page.locator("main section").first).to_have_attribute("class", re.compile("care-emergency"))
    assert page.title().startswith("Emergency: call 999 now.")
    expect(page.get_by_role("button", name="Answer the other questions too")).to_be_visible()


def test_a_red_flag_reaches_the_emergency_result_in_one_step(shared_site, page):
    _emergency_in_one_step(page)
    page.get_by_role("button", name="Answer the other questions too").click()
    _on_question(page, 2)


def test_a_red_flag_reaches_the_emergency_result_without_javascript(shared_site, no_js_page):
    _emergency_in_one_step(no_js_page)


def test_a_full_run_through_every_page_with_one_change_from_the_check_page(shared_site, page):
    questions = _questions()
    page.goto("/check-your-symptoms/")
    answers = {1: "None of these", 2: "A few days", 3: "Just one toe"}
    for number in range(1, len(questions) + 1):
        _on_question(page, number)
        if number in answers:
            page.get_by_label(answers[number], exact=True).first.check()
        _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    rows = page.locator(".check-answers-row")
    expect(rows).to_have_count(len(questions))
    expect(rows.nth(1)).to_contain_text("A few days")
    expect(rows.nth(3)).to_contain_text("Not answered")

    page.get_by_role("button", name=f"Change your answer to: {questions[1]}").click()
    _on_question(page, 2)
    expect(page.get_by_label("A few days", exact=True)).to_be_checked()
    page.get_by_label("Up to 2 weeks", exact=True).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")  # straight back
    expect(rows.nth(1)).to_contain_text("Up to 2 weeks")
    expect(rows.nth(2)).to_contain_text("Just one toe")

    page.get_by_role("button", name="Show my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".match h3").first).to_be_visible()
    summary = page.locator(".print-summary")
    expect(summary).to_contain_text("Up to 2 weeks")
    expect(summary).to_contain_text("Just one toe")


def test_back_keeps_the_answers(shared_site, no_js_page):
    page = no_js_page  # Back is a button of the form: it needs no script
    page.goto("/check-your-symptoms/")
    page.get_by_label("None of these", exact=True).check()
    _continue(page)
    page.get_by_label("Months or longer", exact=True).check()
    _continue(page)
    page.get_by_label("Just one toe", exact=True).check()
    page.get_by_role("button", name="Back", exact=True).click()
    _on_question(page, 2)
    expect(page.get_by_label("Months or longer", exact=True)).to_be_checked()
    page.get_by_role("button", name="Back", exact=True).click()
    _on_question(page, 1)
    expect(page.get_by_label("None of these", exact=True)).to_be_checked()
    _continue(page)
    _continue(page)
    _on_question(page, 3)
    expect(page.get_by_label("Just one toe", exact=True)).to_be_checked()


def test_keyboard_only_answers_go_from_page_to_page(shared_site, page):
    page.goto("/check-your-symptoms/")
    _tab_to(page, "None of these")
    page.keyboard.press("Space")
    _tab_to(page, "Continue")
    page.keyboard.press("Enter")
    _on_question(page, 2)
    _tab_to(page, "A few days")
    page.keyboard.press("Space")
    _tab_to(page, "Continue")
    page.keyboard.press("Enter")
    _on_question(page, 3)
    _tab_to(page, "Back")
    page.keyboard.press("Enter")
    _on_question(page, 2)
    expect(page.get_by_label("A few days", exact=True)).to_be_checked()


def test_no_answer_on_the_first_page_gives_a_focused_linked_error_summary(shared_site, page):
    page.goto("/check-your-symptoms/")
    _continue(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tell us if you have any of these warning signs")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_red-flags_0"  # the first answer: "None of these", no group headings


def _axe_clean(page, axe, name: str) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways at 320 px"


def test_every_step_page_passes_axe_and_fits_320_pixels(shared_site, page):
    axe = Axe()
    page.set_viewport_size(NARROW)
    page.goto("/check-your-symptoms/")
    _continue(page)  # the first page with its error
    _axe_clean(page, axe, "question 1 with an error")
    page.get_by_label("None of these", exact=True).check()
    _continue(page)
    for number in range(2, len(_questions()) + 1):
        _on_question(page, number)
        _axe_clean(page, axe, f"question {number}")
        _continue(page)
    _axe_clean(page, axe, "check your answers")
    page.goto("/check-your-symptoms/")
    _axe_clean(page, axe, "question 1")
    page.get_by_label(COLD_FOOT, exact=True).check()
    _continue(page)
    _axe_clean(page, axe, "the early result")
