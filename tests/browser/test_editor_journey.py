"""Editors and reviewers in the admin: a draft is previewed, sent for review, approved, published and reverted."""

from playwright.sync_api import expect

from tests.conftest import current_code, enrol, in_role

PASSWORD = "a-long-browser-test-password"


def _log_in(page, django_user_model, username="editor", role=None):
    """Sign in with both factors; returns the Content-Security-Policy errors the console will show.

    Without a role the person is a superuser; with one, a staff member in that role.
    """
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    if role:
        user = in_role(django_user_model.objects.create_user(username, password=PASSWORD, first_name="Asha"), role)
    else:
        user = django_user_model.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    device = enrol(user)
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site content")).to_be_visible()
    return errors


def _write_a_new_cause(page) -> None:
    """Open the form for a new cause and write "Cold feet" (typed, so the slug script fills its address)."""
    page.goto("/admin/causes/cause/add/")
    page.get_by_label("Title").press_sequentially("Cold feet")
    page.get_by_label("Category").select_option(label="Lifestyle")
    page.get_by_label("Summary").fill("Cold feet may twitch.")
    page.get_by_label("Body").fill("Cold muscles can twitch. They stop when they warm up.")
    page.get_by_label("What you can do").fill("Keep your feet warm.")


def test_draft_preview_review_approval_publishing_and_revert(site, page, django_user_model, browser):
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    _write_a_new_cause(page)
    page.locator("#id_sources_from").select_option(index=0)
    page.locator("#id_sources_add").click()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.get_by_text("Draft preview:")).to_be_visible()
    expect(page.get_by_text("Cold muscles can twitch.")).to_be_visible()
    page.go_back()
    page.get_by_label("Status").select_option(label="Ready for clinical review")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_have_text(
        "Sent for clinical review. A clinical reviewer who did not write it checks it before it goes live."
    )

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    reviewer.goto("/admin/causes/cause/?status__exact=review")
    reviewer.get_by_role("checkbox", name="Select this object for an action - Cold feet").check()
    reviewer.get_by_label("Action:").select_option(label="Publish the selected items")
    reviewer.get_by_role("button", name="Go").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("1 item(s) published.")
    reviewer.goto("/causes/cold-feet/")
    expect(reviewer.get_by_text("Reviewed by Asha, clinical reviewer on")).to_be_visible()

    page.goto("/admin/causes/cause/?q=Cold+feet")
    page.get_by_role("link", name="Cold feet").click()
    page.get_by_label("Summary").fill("Cold feet often twitch.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a clinical reviewer")
    reviewer.goto("/causes/cold-feet/")
    expect(reviewer.locator(".lead")).to_have_text("Cold feet may twitch.")

    reviewer.goto("/admin/causes/cause/?q=Cold+feet")
    reviewer.get_by_role("link", name="Cold feet").click()
    reviewer.get_by_role("link", name="Compare it with the live page").click()
    expect(reviewer.locator("ins")).to_have_text("Cold feet often twitch.")
    reviewer.get_by_role("button", name="Approve and make live").click()
    reviewer.goto("/causes/cold-feet/")
    expect(reviewer.locator(".lead")).to_have_text("Cold feet often twitch.")

    # The writer reverts to the version the reviewer published; it waits, and the reviewer approves it.
    page.goto("/admin/causes/cause/?q=Cold+feet")
    page.get_by_role("link", name="Cold feet").click()
    page.get_by_role("link", name="History").first.click()
    page.locator("#change-history tbody tr").filter(has_text="Status set to Published").get_by_role(
        "link"
    ).first.click()
    page.get_by_role("button", name="Go back to this version").first.click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a clinical reviewer")
    reviewer.goto("/admin/causes/cause/?q=Cold+feet")
    reviewer.get_by_role("link", name="Cold feet").click()
    reviewer.get_by_role("link", name="Compare it with the live page").click()
    reviewer.get_by_role("button", name="Approve and make live").click()
    reviewer.goto("/causes/cold-feet/")
    expect(reviewer.locator(".lead")).to_have_text("Cold feet may twitch.")
    reviewer.context.close()
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


def test_a_cause_and_the_source_added_from_its_popup_go_live_from_one_review_page(
    site, page, django_user_model, browser
):
    """Issue 28: the editor adds a source from the cause form's "+" popup; a reviewer publishes both in one step."""
    console_errors = _log_in(page, django_user_model, "writer", "Editors")
    _write_a_new_cause(page)
    with page.expect_popup() as opened:
        page.locator("#add_id_sources").click()
    popup = opened.value
    popup.locator("#id_title").fill("Cold feet and hands")
    popup.locator("#id_publisher").fill("NHS")
    popup.locator("#id_url").fill("https://www.nhs.uk/conditions/cold-feet/")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator("#id_sources_to option")).to_have_text(["Cold feet and hands (NHS)"])
    page.get_by_label("Status").select_option(label="Ready for clinical review")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Sent for clinical review")

    reviewer = browser.new_context(base_url=site.url).new_page()
    console_errors += _log_in(reviewer, django_user_model, "checker", "Clinical reviewers")
    reviewer.get_by_role("link", name="Cause: Cold feet", exact=True).click()  # the inbox on the admin home page
    expect(reviewer.get_by_text("Cold feet and hands (NHS) (source, draft)")).to_be_visible()
    reviewer.get_by_role("button", name="Approve and publish with the ticked drafts").click()
    expect(reviewer.locator(".messagelist")).to_contain_text(
        "You approved and published “Cold feet and hands (NHS)” and “Cold feet”. Readers see them now."
    )
    reviewer.goto("/causes/cold-feet/")
    expect(reviewer.get_by_text("Cold feet and hands")).to_be_visible()
    reviewer.context.close()
    assert console_errors == []
