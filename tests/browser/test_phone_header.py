"""The header on a phone: at most 120 px at 390 px wide, so each page's own heading is in view on load.

The links fold into a Menu (<details>, so no script is needed); on a wider screen they show in a row.
"""

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

MOST = 120  # px at 390 px wide
PAGES = ["/", "/check-your-symptoms/", "/causes/caffeine/", "/faq/", "/search/?q=cramp"]


def _header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def test_on_a_phone_the_header_is_short_and_the_heading_is_in_view(shared_site, page):
    page.set_viewport_size(PHONE)
    for path in PAGES:
        page.goto(path)
        assert _header_height(page) <= MOST, path
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    page.goto("/check-your-symptoms/")
    expect(page.locator("main form").get_by_role("checkbox").first).to_be_in_viewport()


def test_on_a_phone_the_menu_opens_without_javascript_and_leads_everywhere(shared_site, no_js_page):
    page = no_js_page
    page.set_viewport_size(PHONE)
    page.goto("/faq/")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_count(0)  # folded away: only the Menu button shows
    page.get_by_text("Menu", exact=True).click()
    expect(links).to_have_count(5)
    links.filter(has_text="Causes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Causes")
    page.get_by_role("searchbox").fill("cramp")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".search-message")).to_contain_text("cramp")


def test_on_a_wide_screen_the_links_show_in_a_row_with_no_menu(shared_site, page):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(5)
