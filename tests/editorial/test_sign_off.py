"""Clinical sign-off, the two roles and revisions: a medical change goes live only when someone else approves it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import approve_waiting, cause_admin_form, person_client

CHANGE = "admin:causes_cause_change"


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


@pytest.fixture
def second_reviewer(django_user_model):
    return person_client(django_user_model, "reviewer2", "Clinical reviewers", first_name="Ben", last_name="Okafor")


def _codes(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_the_roles_have_exactly_the_permissions_they_need():
    editors, reviewers = _codes("Editors"), _codes("Clinical reviewers")
    assert {"causes.change_cause", "causes.add_faq", "questionnaire.change_optionweight"} <= editors
    assert not any(code.startswith("auth.") for code in editors | reviewers)  # a superuser manages accounts
    assert not any(".delete_" in code or ".approve_" in code for code in editors)
    assert {"causes.approve_cause", "causes.approve_remedy", "causes.approve_faq", "causes.delete_cause"} <= reviewers
    assert editors < reviewers


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_an_editor_cannot_open_user_management(editor, path):
    assert editor.get(path).status_code == 403


@pytest.mark.django_db
def test_an_editor_cannot_publish_and_does_not_see_the_approval_actions(editor, make_cause):
    draft = make_cause(status=Status.DRAFT)
    response = editor.post(reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, status="published"))
    assert response.status_code == 200
    assert "Only a clinical reviewer can publish this." in response.content.decode()
    assert Cause.objects.get(pk=draft.pk).status == Status.DRAFT
    actions = editor.get(reverse("admin:causes_cause_changelist")).content.decode()
    assert 'value="publish"' not in actions and 'value="mark_reviewed_today"' not in actions
    assert 'value="unpublish"' not in actions  # taking a page offline is a reviewer's action too


@pytest.mark.django_db
def test_a_draft_sent_for_review_is_published_by_a_reviewer_and_names_them(editor, reviewer_client, make_cause, client):
    draft = make_cause(status=Status.DRAFT, last_reviewed=datetime.date(2026, 1, 5))
    form = cause_admin_form(draft, status="review", summary="Checked and ready.")
    assert editor.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 404

    changelist = reverse("admin:causes_cause_changelist")
    reviewer_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.reviewed_by == "Asha Patel, clinical reviewer"
    assert draft.last_reviewed == timezone.localdate()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'Reviewed by Asha Patel, clinical reviewer on <time datetime="{timezone.localdate():%Y-%m-%d}">' in page


@pytest.mark.django_db
def test_a_reviewer_cannot_publish_what_they_wrote(reviewer_client, make_cause):
    draft = make_cause(status=Status.DRAFT)
    response = reviewer_client.post(
        reverse(CHANGE, args=[draft.pk]), cause_admin_form(draft, body="Mine.", status="published")
    )
    assert "You wrote some of this text since it was last approved" in response.content.decode()

    form = cause_admin_form(draft, body="Mine.", status="review")
    assert reviewer_client.post(reverse(CHANGE, args=[draft.pk]), form).status_code == 302
    response = reviewer_client.post(
        reverse("admin:causes_cause_changelist"), {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "you wrote some of its text since it was last approved" in response.content.decode()
    assert Cause.objects.get(pk=draft.pk).status == Status.REVIEW


@pytest.mark.django_db
def test_a_change_to_a_live_page_waits_and_only_someone_else_can_approve_it(
    reviewer_client, second_reviewer, make_cause, client
):
    cause = make_cause(summary="The approved summary.")
    change = reverse(CHANGE, args=[cause.pk])
    response = reviewer_client.post(change, cause_admin_form(cause, summary="A new summary.", order=1), follow=True)
    assert "waiting for a clinical reviewer" in response.content.decode()
    assert "The approved summary." in client.get(cause.get_absolute_url()).content.decode()

    waiting = Change.objects.of(cause).get(state="waiting")
    review_url = reverse("admin:causes_cause_review", args=[cause.pk, waiting.pk])
    page = reviewer_client.get(review_url).content.decode()
    assert "You made this change, so a different clinical reviewer must approve it." in page
    assert "<del>The approved summary.</del>" in page and "<ins>A new summary.</ins>" in page
    assert reviewer_client.post(review_url, {"_approve": "1"}).status_code == 403
    assert "compare it with the live page" in second_reviewer.get(change).content.decode().lower()

    approve_waiting(second_reviewer, cause)
    assert cause.summary == "A new summary."
    assert cause.reviewed_by == "Ben Okafor, clinical reviewer"
    assert "A new summary." in client.get(cause.get_absolute_url()).content.decode()
    assert Change.objects.get(pk=waiting.pk).state == "approved"


@pytest.mark.django_db
def test_the_author_can_discard_a_waiting_change(editor, make_cause, client):
    cause = make_cause(body="Live body.")
    editor.post(reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, body="A mistake."))
    waiting = Change.objects.of(cause).get(state="waiting")
    review_url = reverse("admin:causes_cause_review", args=[cause.pk, waiting.pk])
    assert editor.post(review_url, {"_approve": "1"}).status_code == 403  # no approval permission
    assert editor.post(review_url, {"_discard": "1"}).status_code == 302
    assert Change.objects.get(pk=waiting.pk).state == "discarded"
    assert Cause.objects.get(pk=cause.pk).body == "Live body."


@pytest.mark.django_db
def test_a_revert_is_a_new_revision_that_waits_for_review_on_a_live_page(
    editor_client, second_reviewer, make_cause, django_user_model
):
    cause = make_cause(summary="First words.")
    first = cause.history.first()
    cause.summary = "Second words."
    cause._history_user = django_user_model.objects.get(username="content-author")
    cause.save()
    before = cause.history.count()

    revert_url = reverse("admin:causes_cause_simple_history", args=[cause.pk, first.history_id])
    assert editor_client.get(revert_url).status_code == 200
    form = cause_admin_form(Cause.objects.get(pk=cause.pk), summary="First words.")
    assert editor_client.post(revert_url, form).status_code == 302
    assert Cause.objects.get(pk=cause.pk).summary == "Second words."  # live until approved
    assert cause.history.count() > before

    approve_waiting(second_reviewer, cause)
    assert cause.summary == "First words."


@pytest.mark.django_db
def test_a_revert_of_a_draft_applies_at_once(editor_client, make_cause):
    draft = make_cause(status=Status.DRAFT, body="Old body.")
    old = draft.history.first()
    draft.body = "New body."
    draft.save()
    revert_url = reverse("admin:causes_cause_simple_history", args=[draft.pk, old.history_id])
    form = cause_admin_form(draft, body="Old body.", status="draft")
    assert editor_client.post(revert_url, form).status_code == 302
    assert Cause.objects.get(pk=draft.pk).body == "Old body."
    assert draft.history.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/causes/cause/abc/review/1/",
        "/admin/causes/cause/999999999999999999999999/review/1/",
        "/admin/causes/cause/1/review/99999999/",
        "/admin/causes/cause/%00/history/",
        "/admin/causes/cause/1/history/abc/",
        "/admin/causes/cause/1/history/99999999999999999999999/",
    ],
)
def test_hostile_review_and_history_addresses_get_no_server_error(editor_client, make_cause, path):
    make_cause()
    assert editor_client.get(path).status_code in (302, 400, 404)
    assert editor_client.post(path, {"_approve": "1"}).status_code in (302, 400, 403, 404, 405)


@pytest.mark.django_db
def test_a_save_that_changes_no_words_makes_no_review_item(editor, seeded):
    cause = Cause.objects.get(slug="caffeine")
    crlf = {name: getattr(cause, name).replace("\n", "\r\n") + "  " for name in ("body", "self_care")}
    response = editor.post(
        reverse(CHANGE, args=[cause.pk]), cause_admin_form(cause, slug="caffeine-2", **crlf), follow=True
    )
    assert "waiting for a clinical reviewer" not in response.content.decode()
    assert not Change.objects.of(cause).filter(state="waiting").exists()
    cause.refresh_from_db()
    assert cause.slug == "caffeine-2" and "\r" not in cause.body


@pytest.mark.django_db(transaction=True)
def test_a_role_made_again_after_a_flush_has_every_permission_the_migrations_gave_it(django_user_model):
    """Browser journeys flush the database; a reviewer made after that must still approve warning signs."""
    from django.core.management import call_command

    from tests.conftest import in_role, make_the_migrated_roles_again

    call_command("flush", "--noinput")
    make_the_migrated_roles_again()  # as after every test (conftest's pytest_runtest_teardown)
    user = in_role(django_user_model.objects.create_user("after-flush"), "Clinical reviewers")
    assert user.has_perm("causes.approve_warningsign") and user.has_perm("glossary.approve_glossaryterm")
    assert user.has_perm("questionnaire.approve_questionnaire")
