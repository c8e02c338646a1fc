"""An editor changes content in the admin and sees it on the site; drafts stay private."""

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import enrol

PASSWORD = "a-long-browser-test-password"


def _log_in(page, django_user_model):
    """Sign in with both factors; returns the Content-Security-Policy errors the console will show."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    device = enrol(django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD))
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site content")).to_be_visible()
    return errors


def test_editor_edits_a_summary_and_sees_it_on_the_public_page(site, page, django_user_model):
    console_errors = _log_in(page, django_user_model)
    page.get_by_role("link", name="Causes").first.click()
    page.get_by_role("link", name="Too much caffeine").click()
    page.get_by_label("Summary").fill("An editor checked and rewrote this summary today.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/causes/caffeine/")
    expect(page.locator(".lead")).to_have_text("An editor checked and rewrote this summary today.")
    assert console_errors == []  # no CSP violation on the admin's pages, scripts or styles


def test_editor_creates_a_draft_that_the_public_cannot_see(site, page, django_user_model, browser):
    console_errors = _log_in(page, django_user_model)
    page.goto("/admin/causes/cause/add/")
    page.get_by_label("Title").press_sequentially("Cold weather")  # the slug script listens for key presses
    expect(page.get_by_label("Slug")).to_have_value("cold-weather")  # filled in from the title
    page.get_by_label("Category").select_option(label="Lifestyle")
    page.get_by_label("Summary").fill("Cold feet may twitch.")
    page.get_by_label("Body").fill("## What it is\n\nCold muscles can twitch.")
    page.get_by_label("What you can do").fill("Keep your feet warm.")
    expect(page.get_by_label("Status")).to_have_value("draft")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    public = browser.new_context(base_url=site.url).new_page()
    assert public.goto("/causes/cold-weather/").status == 404
    public.goto("/causes/")
    expect(public.get_by_text("Cold weather")).to_have_count(0)
    public.context.close()
    assert console_errors == []  # the slug script and the admin's widgets ran under the CSP
