"""Follow-up questions in a real browser: asked only when an answer opens them, on the steps and on one page."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from questionnaire import selectors

from .conftest import PHONE
from .test_questionnaire_steps import NARROW, _axe_clean

PREGNANT = "You are pregnant or just had a baby"
HEADACHE = "A bad headache, or blurred sight or flashing lights"
CONTEXT = "Do any of these apply to you?"
PREGNANCY = "Since you are pregnant or just had a baby, do you have any of these?"


def _shortest() -> list[str]:
    return [question.text for question in selectors.live_release().shortest]


def _continue(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def _heading(page):
    return page.get_by_role("heading", level=1)


def _to_context_page(page, total: int) -> None:
    """From page 1 ("None of these") to the context question, leaving each page between blank."""
    page.goto("/check-your-symptoms/")
    page.get_by_label("None of these", exact=True).check()
    _continue(page)
    while page.locator("h1").inner_text() != CONTEXT:
        expect(page.get_by_text(re.compile(rf"^Question \d+ of {total}$"))).to_be_visible()
        _continue(page)


def test_a_reader_with_no_emergency_and_no_context_answers_sees_no_follow_up(shared_site, page):
    shortest = _shortest()
    page.goto("/check-your-symptoms/")
    expect(page.get_by_text(f"There are {len(shortest)} short questions, and a few more")).to_be_visible()
    page.get_by_label("None of these", exact=True).check()
    _continue(page)
    seen = [shortest[0]]
    for number in range(2, len(shortest) + 1):
        expect(page.get_by_text(f"Question {number} of {len(shortest)}", exact=True)).to_be_visible()
        seen.append(_heading(page).inner_text())
        expect(page.get_by_text("We ask this because")).to_have_count(0)
        _continue(page)
    assert seen == shortest
    expect(_heading(page)).to_have_text("Check your answers")
    expect(page.locator(".check-answers-row")).to_have_count(len(shortest))
    page.get_by_role("button", name="Show my results").click()
    expect(_heading(page)).to_have_text("Your results")


def test_choosing_pregnant_opens_the_pregnancy_page_and_its_sign_reaches_its_level(shared_site, page):
    total = len(_shortest())
    _to_context_page(page, total)
    page.get_by_label(PREGNANT, exact=True).check()
    _continue(page)
    expect(_heading(page)).to_have_text(PREGNANCY)
    expect(page.get_by_text(f"We ask this because you chose “{PREGNANT}”.")).to_be_visible()
    expect(page.get_by_text(f"Question {total + 1} of {total + 1}", exact=True)).to_be_visible()
    page.get_by_label(HEADACHE, exact=True).check()
    _continue(page)  # an urgent sign: straight to what to do
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Urgent")
    expect(alert).to_contain_text(HEADACHE)
    expect(page.locator("main section").first).to_have_attribute("class", re.compile("care-urgent"))


def test_change_on_the_check_page_adds_and_then_removes_a_follow_up(shared_site, no_js_page):
    page = no_js_page
    total = len(_shortest())
    _to_context_page(page, total)
    while _heading(page).inner_text() != "Check your answers":
        _continue(page)
    rows = page.locator(".check-answers-row")
    expect(rows).to_have_count(total)
    page.get_by_role("button", name=f"Change your answer to: {CONTEXT}").click()
    page.get_by_label(PREGNANT, exact=True).check()
    _continue(page)
    expect(_heading(page)).to_have_text(PREGNANCY)  # the new follow-up is asked before going back
    page.get_by_label("Leg cramps, often at night", exact=True).check()
    _continue(page)
    expect(_heading(page)).to_have_text("Check your answers")
    expect(rows).to_have_count(total + 1)
    expect(page.locator(".check-answers-list")).to_contain_text("Leg cramps, often at night")
    page.get_by_role("button", name=f"Change your answer to: {CONTEXT}").click()
    page.get_by_label(PREGNANT, exact=True).uncheck()
    _continue(page)
    expect(_heading(page)).to_have_text("Check your answers")
    expect(rows).to_have_count(total)
    expect(page.locator(".check-answers-list")).not_to_contain_text("Leg cramps")


def test_the_one_page_form_shows_follow_ups_under_their_answer_without_javascript(shared_site, no_js_page):
    page = no_js_page
    page.goto("/check-your-symptoms/all/")
    expect(page.get_by_text(f"Answer this only if you chose “{PREGNANT}”.")).to_be_visible()
    page.get_by_label("None of these", exact=True).first.check()
    page.get_by_label(HEADACHE, exact=True).check()  # a follow-up answered, but its trigger not chosen
    page.get_by_role("button", name="Show my results").click()
    expect(_heading(page)).to_have_text("Your results")
    expect(page.locator(".care-urgent")).to_have_count(0)


def test_follow_up_pages_pass_axe_and_page_one_fits_two_phone_screens(shared_site, page):
    page.set_viewport_size(PHONE)
    page.goto("/check-your-symptoms/")
    # The question, its answers and Continue, from the top of the page: at most two screens at 390 px.
    bottom = page.evaluate("document.querySelector('main form').getBoundingClientRect().bottom")
    assert bottom <= 2 * PHONE["height"], f"page 1's question ends at {bottom} px"
    expect(page.get_by_label("None of these", exact=True)).to_be_in_viewport()
    axe = Axe()
    page.set_viewport_size(NARROW)
    _to_context_page(page, len(_shortest()))
    page.get_by_label(PREGNANT, exact=True).check()
    _continue(page)
    _axe_clean(page, axe, "the pregnancy follow-up")
    page.goto("/check-your-symptoms/all/")
    _axe_clean(page, axe, "the one-page form with its follow-ups")
