"""The site's own pages: editors change home, about and privacy under sign-off; readers see only live pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from causes.models import MovedPage, SitePage
from editorial.lifecycle import Status
from editorial.models import Change
from questionnaire.models import Option
from tests.conftest import approve_waiting, person_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

CHANGE = "admin:causes_sitepage_change"
REVIEW = "admin:causes_sitepage_review"


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _form(page: SitePage, **changes) -> dict:
    """A site page's admin form as an editor sends it, with some fields changed."""
    data = {name: getattr(page, name) for name in ("title", "slug", "summary", "lead", "body")}
    data.update(status=page.status, last_reviewed=page.last_reviewed, next_review_due=page.next_review_due)
    return {**data, **changes}


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _hide(page: SitePage, state: str) -> None:
    if state == "draft":
        page.status = Status.DRAFT
    else:
        page.status, page.publish_at = Status.PUBLISHED, timezone.now() + datetime.timedelta(days=2)
    page.save()


def test_the_seeded_home_about_and_privacy_text_is_shown_from_the_pages(client):
    assert "A toe that twitches, jerks or moves on its own is common." in _main(client.get("/"))
    assert "Is it serious?" in _main(client.get("/"))
    about = _main(client.get(reverse("causes:about")))
    assert "<h1>About us and how we write our pages</h1>" in about and "When to get help" in about
    assert 'href="/privacy/"' in about
    assert "Your symptom answers" in _main(client.get(reverse("causes:privacy")))
    assert "<h1>Accessibility</h1>" in _main(client.get("/pages/accessibility/"))


def test_an_editors_change_to_the_home_text_waits_until_another_person_approves_it(client, editor, reviewer_client):
    home = SitePage.objects.get(slug="home")
    response = editor.post(reverse(CHANGE, args=[home.pk]), _form(home, lead="Toes twitch. It is usually nothing."))
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.lead.startswith("A toe that twitches")
    assert Change.objects.of(home).filter(state="waiting").exists()
    assert "Toes twitch. It is usually nothing." not in client.get("/").content.decode()
    assert "A toe that twitches" in client.get("/").content.decode()

    approve_waiting(reviewer_client, home)
    assert home.lead == "Toes twitch. It is usually nothing."
    assert "Toes twitch. It is usually nothing." in _main(client.get("/"))
    assert "Reviewed by Asha Patel, clinical reviewer" in client.get("/").content.decode()


def test_a_reviewer_cannot_approve_their_own_change_to_a_page(client, reviewer_client, django_user_model):
    other = person_client(django_user_model, "reviewer2", "Clinical reviewers")
    about = SitePage.objects.get(slug="about")
    response = reviewer_client.post(reverse(CHANGE, args=[about.pk]), _form(about, title="About ToeSite"))
    assert response.status_code == 302
    revision = Change.objects.of(about).get(state="waiting")
    url = reverse(REVIEW, args=[about.pk, revision.pk])
    assert "Approve and make live" not in reviewer_client.get(url).content.decode()
    assert reviewer_client.post(url, {"_approve": "Approve and make live"}).status_code == 403
    assert "About us and how we write our pages" in _main(client.get("/about/"))
    assert other.post(url, {"_approve": "Approve and make live"}).status_code == 302
    assert "<h1>About ToeSite</h1>" in _main(client.get("/about/"))


def test_an_editor_cannot_publish_a_new_page(editor):
    form = {
        "title": "Contact us",
        "slug": "contact",
        "summary": "",
        "lead": "",
        "body": "Write to us.",
        "status": "published",
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-11-21",
    }
    response = editor.post(reverse("admin:causes_sitepage_add"), form)
    assert "Only a clinical reviewer can publish this." in response.content.decode()
    assert not SitePage.objects.filter(slug="contact").exists()


def test_an_added_page_is_at_its_own_address_and_in_the_sitemap(client, make_site_page):
    page = make_site_page(title="Using ToeSite", slug="using-toesite", body="You can make the text bigger.")
    assert page.get_absolute_url() == "/pages/using-toesite/"
    assert "You can make the text bigger." in _main(client.get("/pages/using-toesite/"))
    assert "/pages/using-toesite/" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_page_is_not_found_and_not_in_the_sitemap(client, make_site_page, state):
    page = make_site_page(slug="using-toesite")
    _hide(page, state)
    assert client.get("/pages/using-toesite/").status_code == 404
    assert "/pages/using-toesite/" not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
@pytest.mark.parametrize("slug", ["about", "privacy"])
def test_a_hidden_about_or_privacy_page_is_not_found_and_not_in_the_sitemap(client, slug, state):
    _hide(SitePage.objects.get(slug=slug), state)
    assert client.get(f"/{slug}/").status_code == 404
    assert f"/{slug}/</loc>" not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_without_a_live_home_page_the_home_page_still_shows_its_lists(client, state):
    _hide(SitePage.objects.get(slug="home"), state)
    response = client.get("/")
    assert response.status_code == 200
    assert "A toe that twitches" not in response.content.decode()
    assert "Common causes" in _main(response) and "When to get help" in _main(response)


def test_pages_the_site_shows_elsewhere_have_no_pages_address(client):
    for slug in ("home", "about", "privacy", "results-tips"):
        assert client.get(f"/pages/{slug}/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/about/</loc>" in sitemap and "/privacy/</loc>" in sitemap and "results-tips" not in sitemap


@pytest.mark.parametrize(
    "path",
    [
        "/pages/no-such-page/",
        "/pages/" + "a" * 5000 + "/",
        "/pages/%00/",
        "/pages/..%2F..%2Fetc%2Fpasswd/",
        "/pages/about'%20OR%201=1--/",
        "/about/?slug=../../privacy",
        "/privacy/?%00=%ff",
        "/pages/%F0%9F%98%80/",
    ],
)
def test_hostile_addresses_and_query_strings_are_not_found_or_ignored_never_a_server_error(client, path):
    assert client.get(path).status_code in (200, 404)


def test_a_fixed_pages_slug_cannot_be_changed_but_an_added_pages_slug_moves_with_a_redirect(
    client, editor_client, make_site_page
):
    about = SitePage.objects.get(slug="about")
    response = editor_client.post(reverse(CHANGE, args=[about.pk]), _form(about, slug="about-us"))
    assert response.status_code == 200 and "Keep that slug." in response.content.decode()
    assert SitePage.objects.get(pk=about.pk).slug == "about"

    page = make_site_page(slug="using-toesite", status=Status.DRAFT)
    page.slug = "using"
    page.status = Status.PUBLISHED
    page.save()
    assert MovedPage.objects.filter(old_path="/pages/using-toesite/").exists()
    response = client.get("/pages/using-toesite/")
    assert response.status_code == 301 and response["Location"] == "/pages/using/"


def test_a_site_page_can_be_previewed_as_readers_would_see_it(editor_client, make_site_page):
    page = make_site_page(slug="using-toesite", body="Draft words for readers.", status=Status.DRAFT)
    response = editor_client.get(reverse("admin:causes_sitepage_preview", args=[page.pk]))
    assert response.status_code == 200 and "Draft words for readers." in response.content.decode()


def test_the_roles_may_edit_pages_and_only_reviewers_approve_them():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name="Clinical reviewers").permissions.values_list("codename", flat=True))
    assert {"add_sitepage", "change_sitepage", "change_urgencywording"} <= editors
    assert not {"approve_sitepage", "approve_urgencywording", "delete_sitepage"} & editors
    assert {"approve_sitepage", "approve_urgencywording", "delete_sitepage"} <= reviewers


def test_a_waiting_change_to_a_page_is_in_a_reviewers_inbox(editor, reviewer_client):
    privacy = SitePage.objects.get(slug="privacy")
    editor.post(reverse(CHANGE, args=[privacy.pk]), _form(privacy, lead="We keep nothing."))
    html = reviewer_client.get(reverse("admin:index")).content.decode()
    waiting = html.split("Waiting for your review")[1].split("Your changes waiting for review")[0]
    revision = Change.objects.of(privacy).get(state="waiting")
    assert f'href="{reverse(REVIEW, args=[privacy.pk, revision.pk])}">Site page: Privacy</a>' in waiting


def _results(client) -> str:
    none = Option.objects.get(question__key="red-flags", label="None of these")
    return client.post("/check-your-symptoms/", {"red-flags": [str(none.id)]}).content.decode()


def test_the_results_tips_are_the_live_pages_and_a_change_waits_for_review(client, editor, reviewer_client):
    tips = SitePage.objects.get(slug="results-tips")
    assert "<li>Drink enough water through the day.</li>" in _results(client)
    body = tips.body.replace("Drink enough water", "Sip water")
    assert editor.post(reverse(CHANGE, args=[tips.pk]), _form(tips, body=body)).status_code == 302
    assert "Sip water" not in _results(client) and "Drink enough water" in _results(client)
    approve_waiting(reviewer_client, tips)
    assert "<li>Sip water through the day.</li>" in _results(client)


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_hidden_results_tips_are_not_shown_and_the_results_still_work(client, state):
    _hide(SitePage.objects.get(slug="results-tips"), state)
    results = _results(client)
    assert "Your results" in results and "Drink enough water" not in results


@pytest.mark.parametrize("slug", ["home", "about", "privacy", "results-tips"])
def test_a_page_the_site_finds_by_its_slug_keeps_it_on_a_plain_save(slug):
    page = SitePage.objects.get(slug=slug)
    page.slug = "somewhere-else"
    with pytest.raises(ValidationError) as error:
        page.save()
    assert error.value.error_dict["slug"][0].code == "fixed_slug"
    assert SitePage.objects.filter(slug=slug).exists()


def test_the_home_page_is_called_home_page_in_the_admin():
    assert str(SitePage.objects.get(slug="home")) == "Home page"
    assert str(SitePage.objects.get(slug="about")) == SitePage.objects.get(slug="about").title
