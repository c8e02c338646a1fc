"""The urgency wording's box preview: the level's box as readers see it on a page, in the site's own template,
with the row's words or its waiting change; staff who may see the wording only; a bad id or change, never a 500."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from causes import urgency
from causes.models import Urgency, UrgencyWording
from editorial.models import Change
from tests.conftest import person_client, sign_in_with_both_factors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

CHANGE = "admin:causes_urgencywording_change"
PREVIEW = "admin:causes_urgencywording_preview"


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _form(wording: UrgencyWording, **changes) -> dict:
    data = {name: getattr(wording, name) for name in urgency.WORDS}
    data.update(status=wording.status, last_reviewed=wording.last_reviewed, next_review_due=wording.next_review_due)
    return {**data, **changes}


def test_the_change_page_links_to_a_box_as_readers_see_it(editor, client):
    emergency = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    url = reverse(PREVIEW, args=[emergency.pk])
    assert url in editor.get(reverse(CHANGE, args=[emergency.pk])).content.decode()
    response = editor.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    box = page.split('<section class="care-card care-emergency"', 1)[1].split("</section>", 1)[0]
    assert emergency.card_heading in box and emergency.where in box
    # the same box the home page shows, general signs and all
    home = client.get("/").content.decode()
    home_box = home.split('<section class="care-card care-emergency"', 1)[1].split("</section>", 1)[0]
    assert box.split("<ul>", 1)[1] == home_box.split("<ul>", 1)[1]
    assert '<meta name="robots" content="noindex">' in page and "Back to editing" in page


def test_a_waiting_change_is_previewed_in_its_box_while_readers_keep_the_live_words(editor, client):
    emergency = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    form = _form(emergency, card_heading="Dial 999 at once if:")
    assert editor.post(reverse(CHANGE, args=[emergency.pk]), form).status_code == 302
    change = Change.objects.of(emergency).filter(state="waiting").first()
    assert change is not None
    page = editor.get(reverse(PREVIEW, args=[emergency.pk]) + f"?change={change.pk}").content.decode()
    assert "Dial 999 at once if:" in page and "Waiting change by" in page
    assert "Dial 999 at once if:" not in editor.get(reverse(PREVIEW, args=[emergency.pk])).content.decode()
    assert "Dial 999 at once if:" not in client.get("/").content.decode()


@pytest.mark.parametrize("change", ["abc", "-1", "99999999", "9" * 40, "\x00"])
def test_a_bad_change_is_refused(editor, change):
    emergency = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    assert editor.get(reverse(PREVIEW, args=[emergency.pk]), {"change": change}).status_code in (400, 404)


@pytest.mark.parametrize("object_id", ["99999999", "abc", "1%00", "-1"])
def test_a_bad_id_goes_back_to_the_list_with_a_message(editor, object_id):
    response = editor.get(f"/admin/causes/urgencywording/{object_id}/preview/", follow=True)
    assert response.status_code == 200 and "doesn’t exist" in response.content.decode()


def test_no_permission_no_preview(django_user_model):
    url = reverse(PREVIEW, args=[UrgencyWording.objects.get(level=Urgency.URGENT).pk])
    assert Client().get(url).status_code == 302
    staff = django_user_model.objects.create_user("outsider", password="a-long-test-password", is_staff=True)
    outsider = Client()
    sign_in_with_both_factors(outsider, staff)
    assert outsider.get(url).status_code == 403
    staff.groups.add(Group.objects.get(name="Editors"))
    assert outsider.get(url).status_code == 200
