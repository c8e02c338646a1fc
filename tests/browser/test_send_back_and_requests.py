"""Issue 28's paths in a real browser: a reviewer sends a change back with a note and the editor reworks it; an
editor asks for a page to be taken offline and a reviewer grants it."""

from playwright.sync_api import expect

from causes.models import Cause
from editorial.lifecycle import Status
from tests.browser.test_editor_journey import _log_in

NOTE = "Say when to see a GP before the self-care advice."


def test_a_change_sent_back_with_a_note_is_reworked_and_approved(site, page, django_user_model, browser):
    cause = Cause.objects.get(slug="caffeine")
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    page.goto(f"/admin/causes/cause/{cause.pk}/change/")
    page.get_by_label("Summary").fill("Too much coffee can make a toe twitch.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Sent for clinical review.")
    expect(page.locator(".messagelist")).not_to_contain_text("successfully")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    reviewer.locator(".inbox").get_by_role("link", name=cause.title).first.click()
    reviewer.get_by_role("link", name="Send back with a note").click()
    reviewer.get_by_label("Your note to the author").fill(NOTE)
    reviewer.get_by_role("button", name="Send back with this note").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You sent the change back")

    page.goto("/admin/")
    sent_back = page.locator(".inbox li", has_text=NOTE)
    expect(sent_back).to_be_visible()
    sent_back.get_by_role("link").click()
    expect(page.locator(".sent-back")).to_contain_text(NOTE)
    expect(page.get_by_label("Summary")).to_have_value("Too much coffee can make a toe twitch.")
    page.get_by_label("Summary").fill("Too much coffee can make a toe twitch. See a GP if it lasts.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.goto("/admin/")
    expect(page.locator(".inbox").first).to_contain_text("Nothing was sent back to you.")

    reviewer.goto("/admin/")
    reviewer.locator(".inbox").get_by_role("link", name=cause.title).first.click()
    reviewer.get_by_role("button", name="Approve and make live").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You approved the change")
    cause.refresh_from_db()
    assert cause.summary == "Too much coffee can make a toe twitch. See a GP if it lasts."
    assert console_errors == []


def test_an_editor_asks_for_a_withdrawal_and_a_reviewer_grants_it(site, page, django_user_model, browser):
    cause = Cause.objects.get(slug="caffeine")
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    page.goto(f"/admin/causes/cause/{cause.pk}/change/")
    page.get_by_role("link", name="to take this page off the site").click()
    page.get_by_label("Why").fill("The clinic asked us to check this page first.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".messagelist")).to_contain_text("Your request waits for a clinical reviewer")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    reviewer.locator(".inbox").get_by_role("link", name=cause.title).first.click()
    expect(reviewer.get_by_text("The clinic asked us to check this page first.")).to_be_visible()
    reviewer.get_by_role("button", name="Grant it").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You granted the request")
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT

    reader = browser.new_context(base_url=site.url).new_page()
    assert reader.goto("/causes/caffeine/").status == 404
    assert console_errors == []
