"""Issue 17 in a real browser: a scheduled cause is nowhere before its time; the home text passes sign-off."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from causes.models import Cause
from tests.browser.test_editor_journey import _log_in


def test_a_scheduled_cause_appears_nowhere_before_its_time(site, page):
    cause = Cause.objects.get(slug="caffeine")
    cause.publish_at = timezone.now() + datetime.timedelta(days=2)
    cause.save()
    for path in ("/", "/causes/", "/a-z/", "/search/?q=caffeine", "/remedies/cut-down-caffeine-alcohol/"):
        page.goto(path)
        expect(page.locator(f'main a[href="{cause.get_absolute_url()}"]')).to_have_count(0)
    page.goto("/check-your-symptoms/")
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
    inbox.get_by_role("link", name="Site page: Why does my toe keep moving by itself?").click()
    expect(reviewer.get_by_text("Toes often twitch for a moment.").first).to_be_visible()
    reviewer.get_by_role("button", name="Approve and make live").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You approved the change")

    reader.reload()
    expect(reader.locator(".lead")).to_have_text("Toes often twitch for a moment. It is rarely serious.")
    assert console_errors == []
