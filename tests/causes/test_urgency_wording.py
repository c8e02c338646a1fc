"""Urgency wording: editors change what each level tells readers, under sign-off; the code's words are the fallback."""

import pytest
from django.urls import reverse

from causes import urgency
from causes.models import Urgency, UrgencyWording
from editorial.lifecycle import Status
from editorial.models import Change
from questionnaire.models import Option
from tests.conftest import approve_waiting, person_client, results_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

CHANGE = "admin:causes_urgencywording_change"
CAUSE = "/causes/poor-circulation/"  # a cause page with an emergency box


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


def _form(wording: UrgencyWording, **changes) -> dict:
    data = {name: getattr(wording, name) for name in urgency.WORDS}
    data.update(status=wording.status, last_reviewed=wording.last_reviewed, next_review_due=wording.next_review_due)
    return {**data, **changes}


def _an_emergency_answer() -> str:
    option = Option.objects.filter(question__key="red-flags", urgency=Urgency.EMERGENCY).first()
    assert option is not None, "the seed has an emergency red flag"
    return option.label


def test_the_seed_words_are_the_codes_words():
    for level in urgency.LEVELS:
        wording = UrgencyWording.objects.published().get(level=level.value)
        assert {name: getattr(wording, name) for name in urgency.WORDS} == {
            name: getattr(level, name) for name in urgency.WORDS
        }


def test_an_editors_change_to_the_emergency_wording_waits_for_review_and_then_shows(client, editor, reviewer_client):
    emergency = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    form = _form(emergency, card_heading="Dial 999 at once if:", insist="Do not wait.")
    assert editor.post(reverse(CHANGE, args=[emergency.pk]), form).status_code == 302
    emergency.refresh_from_db()
    assert emergency.card_heading == "Call 999 now if:"
    page = client.get(CAUSE).content.decode()
    assert "Call 999 now if:" in page and "Dial 999 at once if:" not in page
    results = results_page(client, _an_emergency_answer())
    assert "Do not wait to see if it gets better." in results and "<strong>Do not wait.</strong>" not in results

    approve_waiting(reviewer_client, emergency)
    page = client.get(CAUSE).content.decode()
    assert "Dial 999 at once if:" in page and "Call 999 now if:" not in page
    assert "Dial 999 at once if:" in client.get("/").content.decode()  # the general boxes too
    assert "<strong>Do not wait.</strong>" in results_page(client, _an_emergency_answer())


def test_a_reviewer_cannot_approve_their_own_change_to_the_wording(client, reviewer_client):
    urgent = UrgencyWording.objects.get(level=Urgency.URGENT)
    reviewer_client.post(reverse(CHANGE, args=[urgent.pk]), _form(urgent, heading="Get help today"))
    revision = Change.objects.of(urgent).get(state="waiting")
    url = reverse("admin:causes_urgencywording_review", args=[urgent.pk, revision.pk])
    assert reviewer_client.post(url, {"_approve": "Approve and make live"}).status_code == 403
    urgent.refresh_from_db()
    assert urgent.heading == "Urgent: get help from a doctor today"


def test_with_no_wording_rows_the_code_defaults_show(client):
    UrgencyWording.objects.all().delete()
    page = client.get(CAUSE).content.decode()
    assert urgency.level("emergency").card_heading.replace("&", "&amp;") in page
    results = results_page(client, _an_emergency_answer())
    assert urgency.level("emergency").heading in results and urgency.level("emergency").insist in results
    assert f"<title>{urgency.level('emergency').title_prefix} Your results" in results


@pytest.mark.parametrize("state", ["draft", "review"])
def test_wording_that_is_not_live_is_never_shown(client, state):
    UrgencyWording.objects.filter(level=Urgency.EMERGENCY).update(
        status=state, card_heading="Not yet approved if:", heading="Not yet approved"
    )
    UrgencyWording.objects.get(level=Urgency.EMERGENCY).save()  # through save, so the page cache moves on
    assert "Not yet approved" not in client.get(CAUSE).content.decode()
    assert "Not yet approved" not in client.get("/").content.decode()
    assert "Not yet approved" not in results_page(client, _an_emergency_answer())
    assert urgency.level("emergency").card_heading.replace("&", "&amp;") in client.get(CAUSE).content.decode()


def test_a_saved_wording_moves_the_page_cache_on(client):
    before = client.get(CAUSE).content.decode()
    assert "Call 999 now if:" in before
    wording = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    wording.card_heading = "Phone 999 now if:"
    wording.save()
    assert "Phone 999 now if:" in client.get(CAUSE).content.decode()


def test_a_rows_level_cannot_be_changed_in_the_admin(editor_client):
    emergency = UrgencyWording.objects.get(level=Urgency.EMERGENCY)
    form = {**_form(emergency), "level": Urgency.SELF_CARE}
    assert editor_client.post(reverse(CHANGE, args=[emergency.pk]), form).status_code == 302
    assert UrgencyWording.objects.get(pk=emergency.pk).level == Urgency.EMERGENCY


def test_worded_lays_an_editors_words_over_the_defaults_and_keeps_the_rest():
    levels = urgency.worded({"urgent": {"heading": "Today, please", "label": "ignored"}})
    assert levels["urgent"].heading == "Today, please"
    assert levels["urgent"].label == "Urgent" and levels["urgent"].alert
    assert levels["urgent"].advice == urgency.level("urgent").advice
    assert levels["emergency"] == urgency.level("emergency")
    assert list(levels) == list(urgency.ORDER)


def test_the_list_of_levels_in_the_admin_says_which_are_live(editor_client):
    UrgencyWording.objects.filter(level=Urgency.SELF_CARE).update(status=Status.DRAFT)
    html = editor_client.get(reverse("admin:causes_urgencywording_changelist")).content.decode()
    assert "Emergency wording" in html and "Draft" in html and "Live" in html


def test_an_approved_change_to_the_self_care_wording_reaches_the_cause_pages(client, editor, reviewer_client):
    self_care = UrgencyWording.objects.get(level=Urgency.SELF_CARE)
    form = _form(self_care, card_heading="Things to try at home")
    assert editor.post(reverse(CHANGE, args=[self_care.pk]), form).status_code == 302
    assert "Things to try at home" not in client.get(CAUSE).content.decode()  # waiting for review

    approve_waiting(reviewer_client, self_care)
    page = client.get(CAUSE).content.decode()
    assert "Things to try at home" in page and "What you can do yourself" not in page
