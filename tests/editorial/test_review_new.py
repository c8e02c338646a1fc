"""A review page for an item never published (issue 28): its text with reading checks, the drafts it links to,
and one step that publishes it with the ticked drafts, each under the two-person rule."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Source
from editorial import publishing
from editorial.inbox import inbox
from editorial.lifecycle import Status
from tests.conftest import in_role, sign_in_with_both_factors

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_cause(make_cause, django_user_model):
    """An editor's new cause, ready for review, citing only a source the editor added as a draft (the "+" popup)."""
    editor = django_user_model.objects.get_or_create(username="content-author")[0]
    cause = make_cause(status=Status.REVIEW, title="Cold toes", body="Cold toes can twitch. Warm them up.")
    cause.sources.clear()
    source = Source.objects.create(title="Cold feet", publisher="NHS", url="https://www.nhs.uk/conditions/cold-feet/")
    source.history.update(history_user=editor)
    cause.sources.add(source)
    return cause, source


def _url(item) -> str:
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_review_new", args=[item.pk])


def _linked(item) -> str:
    return f"{item._meta.label_lower}:{item.pk}"


def test_the_page_shows_the_new_text_its_reading_check_and_the_draft_it_links_to(new_cause, reviewer_client):
    cause, source = new_cause
    page = reviewer_client.get(_url(cause)).content.decode()
    assert "there is no live version to compare it with" in page
    assert "Cold toes can twitch. Warm them up." in page and "Reading grade" in page
    assert "Linked drafts that are not live yet" in page and "Cold feet (NHS) (source, draft)" in page
    assert 'name="_approve"' in page and 'name="_schedule"' in page
    assert "It still needs" not in page  # its draft source, ticked, would be cited


def test_one_step_publishes_the_cause_and_its_ticked_draft_source(new_cause, reviewer_client):
    cause, source = new_cause
    response = reviewer_client.post(_url(cause), {"_approve": "1", "linked": [_linked(source)]}, follow=True)
    assert (
        "You approved and published “Cold feet (NHS)” and “Cold toes”. Readers see them now."
        in response.content.decode()
    )
    cause.refresh_from_db()
    source.refresh_from_db()
    assert cause.is_live and source.is_live and cause.reviewed_by == "Asha Patel, clinical reviewer"
    page = Cause.objects.get(pk=cause.pk).get_absolute_url()
    assert "Cold feet" in reviewer_client.get(page).content.decode()


def test_without_its_only_source_ticked_nothing_is_published_and_the_reason_is_said(new_cause, reviewer_client):
    cause, source = new_cause
    response = reviewer_client.post(_url(cause), {"_approve": "1"}, follow=True)
    assert "Nothing was published. “Cold toes” (cause): This cannot be published yet." in response.content.decode()
    cause.refresh_from_db()
    source.refresh_from_db()
    assert cause.status == Status.REVIEW and source.status == Status.DRAFT


def test_a_reviewer_who_wrote_the_linked_draft_publishes_nothing(new_cause, make_cause, django_user_model, client):
    from tests.conftest import in_role, sign_in_with_both_factors

    cause, source = new_cause
    reviewer = in_role(django_user_model.objects.create_user("reviewer"), "Clinical reviewers")
    source.history.update(history_user=reviewer)  # the reviewer added the source
    sign_in_with_both_factors(client, reviewer)
    response = client.post(_url(cause), {"_approve": "1", "linked": [_linked(source)]}, follow=True)
    assert "Nothing was published. “Cold feet (NHS)” (source)" in response.content.decode()
    assert not Cause.objects.get(pk=cause.pk).is_live and not Source.objects.get(pk=source.pk).is_live


def test_an_editor_sees_no_button_and_a_forged_approval_is_refused(new_cause, writer):
    cause, source = new_cause
    page = writer.get(_url(cause)).content.decode()
    assert 'name="_approve"' not in page and "Only a clinical reviewer can approve this." in page
    assert writer.post(_url(cause), {"_approve": "1", "linked": [_linked(source)]}).status_code == 403
    assert not Cause.objects.get(pk=cause.pk).is_live


@pytest.mark.parametrize(
    "linked", [["x"], ["causes.source:999999"], ["causes.cause:1"], ["../../"], ["causes.source:" + "9" * 400], []]
)
def test_hostile_ticks_publish_only_real_linked_drafts_and_never_fail(new_cause, reviewer_client, linked):
    cause, source = new_cause
    response = reviewer_client.post(_url(cause), {"_approve": "1", "linked": linked}, follow=True)
    assert response.status_code == 200
    assert not Source.objects.get(pk=source.pk).is_live and not Cause.objects.get(pk=cause.pk).is_live


def test_a_bad_time_is_said_on_the_page_and_a_good_one_schedules_the_cause_with_the_source_live_now(
    new_cause, reviewer_client
):
    cause, source = new_cause
    bad = reviewer_client.post(_url(cause), {"_schedule": "1", "goes_live_at": "12/31/2026 09:00"})
    assert bad.status_code == 200 and "day/month/year" in bad.content.decode()
    assert Cause.objects.get(pk=cause.pk).status == Status.REVIEW
    at = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    data = {"_schedule": "1", "goes_live_at": at.strftime("%d/%m/%Y %H:%M"), "linked": [_linked(source)]}
    response = reviewer_client.post(_url(cause), data, follow=True)
    assert "goes live on" in response.content.decode()
    cause.refresh_from_db()
    assert cause.status == Status.PUBLISHED and cause.publish_at == at and not cause.is_live
    assert Source.objects.get(pk=source.pk).is_live


def test_the_service_refuses_a_draft_the_item_does_not_link_to_and_a_live_item(
    new_cause, make_cause, django_user_model
):
    from tests.conftest import in_role

    cause, source = new_cause
    reviewer = in_role(django_user_model.objects.create_user("reviewer"), "Clinical reviewers")
    stranger = Source.objects.create(title="Not linked", publisher="NHS")
    with pytest.raises(publishing.PermissionDenied, match="Only drafts this item links to"):
        publishing.publish_new(cause, reviewer, linked=[stranger])
    with pytest.raises(publishing.PermissionDenied, match="published already"):
        publishing.publish_new(make_cause(), reviewer)


def test_a_live_items_review_page_goes_to_its_form(make_cause, reviewer_client):
    cause = make_cause()
    response = reviewer_client.get(_url(cause))
    assert response.status_code == 302 and response["Location"].endswith(f"/causes/cause/{cause.pk}/change/")


def test_the_reviewers_inbox_takes_them_to_the_review_page(new_cause, django_user_model):
    from tests.conftest import in_role

    cause, _ = new_cause
    reviewer = in_role(django_user_model.objects.create_user("reviewer"), "Clinical reviewers")
    assert _url(cause) in [entry.url for entry in inbox(reviewer).for_review]


def test_the_drafts_own_form_points_to_its_review_page(new_cause, reviewer_client):
    cause, _ = new_cause
    page = reviewer_client.get(reverse("admin:causes_cause_change", args=[cause.pk])).content.decode()
    assert f'<a href="{_url(cause)}">Review it before it goes live</a>' in page


# --- Send back with a note (issue 28) ----------------------------------------------------------


def test_a_reviewer_sends_a_new_item_back_and_its_author_sees_the_note(
    new_cause, reviewer_client, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    cause, _ = new_cause
    author = in_role(django_user_model.objects.get(username="content-author"), "Editors")
    author.email, author.first_name = "author@example.org", "Cara"
    author.save()
    send_url = reverse("editorial:send-back-new", args=["causes", "cause", cause.pk])
    assert f'href="{send_url}"' in reviewer_client.get(_url(cause)).content.decode()
    assert reviewer_client.post(send_url, {"note": ""}).status_code == 200  # a note is needed: nothing happens
    assert Cause.objects.get(pk=cause.pk).status == Status.REVIEW
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes after the commit
        response = reviewer_client.post(send_url, {"note": "Say how long it lasts."}, follow=True)
    assert "You sent “Cold toes” back to Cara as a draft, with your note." in response.content.decode()
    assert Cause.objects.get(pk=cause.pk).status == Status.DRAFT
    assert [message.to for message in mailoutbox] == [["author@example.org"]]
    assert "Say how long" not in mailoutbox[0].body  # the note stays in the admin

    client = Client()
    sign_in_with_both_factors(client, author)
    home = client.get(reverse("admin:index")).content.decode()
    assert "Sent back by Asha Patel: “Say how long it lasts.”" in home
    form = client.get(reverse("admin:causes_cause_change", args=[cause.pk])).content.decode()
    assert "Asha Patel sent this back as a draft: “Say how long it lasts.”" in form


def test_only_a_reviewer_who_may_approve_it_can_send_a_new_item_back(new_cause, writer):
    cause, _ = new_cause
    send_url = reverse("editorial:send-back-new", args=["causes", "cause", cause.pk])
    assert writer.get(send_url).status_code == 403
    assert writer.post(send_url, {"note": "Rework it."}).status_code == 403
    assert Cause.objects.get(pk=cause.pk).status == Status.REVIEW


@pytest.mark.parametrize("path", ["causes/cause/999999", "causes/cause/abc", "auth/user/1", "causes/nothing/1"])
def test_sending_back_something_that_is_not_there_is_a_404(reviewer_client, path):
    assert reviewer_client.get(f"/admin/work/send-back/{path}/").status_code == 404


def test_saving_an_item_that_links_to_a_draft_names_it_and_its_preview_marks_it(new_cause, writer):
    from tests.conftest import cause_admin_form

    cause, source = new_cause
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    saved = writer.post(url, cause_admin_form(cause, status="review"), follow=True).content.decode()
    assert "It links to drafts readers cannot see yet: “Cold feet (NHS)” (source)." in saved
    preview = writer.get(reverse("admin:causes_cause_preview", args=[cause.pk])).content.decode()
    assert "<strong>Not shown, as they are drafts:</strong> Cold feet (NHS) (source)." in preview
