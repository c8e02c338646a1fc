"""Issue 17's paths in a real browser: a sign's change waits until a reviewer finds it from the admin home page,
a scheduled FAQ change leaves the live answer on the page until its time, a scheduled cause is nowhere, and the
home page text passes sign-off."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from causes.models import Cause, Faq
from editorial.models import Change
from tests.browser.test_editor_journey import _log_in


def test_an_editors_change_to_a_warning_sign_waits_until_a_reviewer_finds_and_approves_it(
    site, page, django_user_model, browser
):
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    page.goto("/admin/causes/warningsign/?q=foot+or+leg+went+cold")
    page.get_by_role("link", name="your foot or leg went cold").first.click()
    page.get_by_label("Text").fill("suddenly, in the last hours or days, your foot or leg went cold and white")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a clinical reviewer")

    reader = browser.new_context(base_url=site.url).new_page()
    reader.goto("/causes/poor-circulation/")
    expect(reader.locator(".care-emergency")).to_contain_text("your foot or leg went cold, pale")
    expect(reader.locator("main")).not_to_contain_text("cold and white")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    inbox = reviewer.locator(".inbox")
    inbox.get_by_role("link", name="your foot or leg went cold").first.click()
    expect(reviewer.get_by_text("cold and white")).to_be_visible()
    reviewer.get_by_role("button", name="Approve and make live").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You approved the change")

    reader.reload()
    expect(reader.locator(".care-emergency")).to_contain_text("your foot or leg went cold and white")
    assert console_errors == []


def test_a_scheduled_faq_change_leaves_the_live_answer_until_its_time(site, page, django_user_model, browser):
    faq = Faq.objects.get(slug="is-toe-twitching-serious")
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    page.goto(f"/admin/causes/faq/{faq.pk}/change/")
    page.get_by_label("Answer").fill("A new answer that starts on Monday.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a clinical reviewer")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    reviewer.locator(".inbox").get_by_role("link", name=faq.question).first.click()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    reviewer.get_by_label("Go live on").fill(f"{tomorrow:%d/%m/%Y} 09:00")
    reviewer.get_by_role("button", name="Approve and schedule").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You approved the change to go live on")
    reviewer.goto("/admin/causes/faq/")
    expect(reviewer.get_by_role("row", name=faq.question)).to_contain_text("Live, a change scheduled for")

    reader = browser.new_context(base_url=site.url).new_page()
    reader.goto("/faq/")
    expect(reader.locator(f"#{faq.slug}")).to_be_visible()
    expect(reader.locator("main")).to_contain_text("Usually not. Twitches are common")
    expect(reader.locator("main")).not_to_contain_text("starts on Monday")

    # The clock reaches the time: as cron would, or the first request once the shared cache's version expires.
    Change.objects.of(faq).filter(state="scheduled").update(goes_live_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("publish_scheduled")
    reader.reload()
    expect(reader.locator("main")).to_contain_text("A new answer that starts on Monday.")
    assert console_errors == []


def test_a_scheduled_cause_appears_nowhere_before_its_time(site, page):
    cause = Cause.objects.get(slug="caffeine")
    cause.publish_at = timezone.now() + datetime.timedelta(days=2)
    cause.save()
    for path in ("/", "/causes/", "/a-z/", "/search/?q=caffeine", "/remedies/cut-down-caffeine-alcohol/"):
        page.goto(path)
        expect(page.locator(f'main a[href="{cause.get_absolute_url()}"]')).to_have_count(0)
    page.goto("/check-your-symptoms/all/")
    page.get_by_label("None of these").first.check()
    page.get_by_label("Lots of caffeine, such as coffee, tea, energy drinks or cola").check()
    page.get_by_role("button", name="Show my results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(f'main a[href="{cause.get_absolute_url()}"]')).to_have_count(0)
    assert page.goto(cause.get_absolute_url()).status == 404


def test_an_editors_change_to_the_home_text_shows_once_a_reviewer_approves_it(site, page, django_user_model, browser):
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    page.goto("/admin/causes/sitepage/")
    page.get_by_role("link", name="Why does my toe keep moving by itself?").click()
    page.get_by_label("Lead").fill("Toes often twitch for a moment. It is rarely serious.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a clinical reviewer")

    reader = browser.new_context(base_url=site.url).new_page()
    reader.goto("/")
    expect(reader.locator(".lead")).to_contain_text("A toe that twitches, jerks or moves on its own is common.")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    inbox = reviewer.locator(".inbox").filter(has_text="Waiting for your review")
    inbox.get_by_role("link", name="Site page: Home page").click()
    expect(reviewer.get_by_text("Toes often twitch for a moment.").first).to_be_visible()
    reviewer.get_by_role("button", name="Approve and make live").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You approved the change")

    reader.reload()
    expect(reader.locator(".lead")).to_have_text("Toes often twitch for a moment. It is rarely serious.")
    assert console_errors == []
