"""An item's history reads plainly: who, why, its review state, every changed line, and any two revisions compared."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import approve_waiting, cause_admin_form, person_client, sign_in_with_both_factors

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors", first_name="Wendy", last_name="Writer")


def _history(client, item) -> str:
    response = client.get(reverse("admin:causes_cause_history", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _compare_url(item) -> str:
    return reverse("admin:causes_cause_history_compare", args=[item.pk])


def test_a_revision_with_no_reason_says_so_and_names_its_author_as_plain_text(editor_client, make_cause):
    cause = make_cause()
    page = _history(editor_client, cause)
    assert "No reason given" in page and "<td>None</td>" not in page
    assert "content-author" in page
    assert not re.search(r"/admin/auth/user/\d+/", page)  # user pages are not for editors: a link to a 403


def test_a_long_field_is_shown_line_by_line_in_full(editor_client, make_cause):
    long_body = "\n".join(f"Line {n} of a long body that runs on well past any cut." for n in range(60))
    cause = make_cause(status=Status.DRAFT, body=long_body)
    cause.body = long_body.replace("Line 30 of", "Line thirty of")
    cause.save()
    page = _history(editor_client, cause)
    assert " chars]" not in page
    assert "<del>Line 30 of a long body that runs on well past any cut.</del>" in page
    assert "<ins>Line thirty of a long body that runs on well past any cut.</ins>" in page


def test_each_revision_shows_its_review_state(editor, editor_client, reviewer_client, make_cause):
    cause = make_cause(summary="Live words.")
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    editor.post(url, cause_admin_form(cause, summary="Words to discard."))
    waiting = Change.objects.of(cause).get(state="waiting")
    discard_url = reverse("admin:causes_cause_review", args=[cause.pk, waiting.pk])
    editor.post(discard_url, {"_discard": "1"})
    editor.post(url, cause_admin_form(cause, summary="Words to approve."))
    approve_waiting(reviewer_client, cause)
    editor.post(url, cause_admin_form(cause, summary="Words that wait."))

    page = _history(editor_client, cause)
    for state in ("<td>Saved</td>", "<td>Discarded</td>", "<td>Waiting for review</td>"):
        assert state in page
    # The approval is one row, a version marked as the reviewer's approval naming the change's author: not two.
    assert "Saved (a clinical reviewer's approval)" in page and "<td>Approved</td>" not in page
    assert page.count("Approved a change by") == 1


def test_a_revert_is_labelled_with_the_version_it_went_back_to(editor_client, make_cause, django_user_model):
    draft = make_cause(status=Status.DRAFT, body="Old body.")
    old = draft.history.first()
    draft.body = "New body."
    draft.save()
    revert_url = reverse("admin:causes_cause_simple_history", args=[draft.pk, old.history_id])
    assert editor_client.post(revert_url, cause_admin_form(draft, body="Old body.", status="draft")).status_code == 302
    when = timezone.localtime(old.history_date).strftime("%-d %b %H:%M")
    reason = f"Reverted to the version of {when} by content-author."
    assert draft.history.first().history_change_reason == reason
    assert reason in _history(editor_client, draft)


def test_a_revert_of_a_live_page_waits_and_its_waiting_change_says_it_is_a_revert(editor_client, make_cause):
    cause = make_cause(summary="First words.")
    first = cause.history.first()
    cause.summary = "Second words."
    cause.save()
    revert_url = reverse("admin:causes_cause_simple_history", args=[cause.pk, first.history_id])
    editor_client.post(revert_url, cause_admin_form(Cause.objects.get(pk=cause.pk), summary="First words."))
    waiting = Change.objects.of(cause).get(state="waiting")
    assert waiting.note.startswith("Reverted to the version of")
    assert waiting.state == "waiting" and waiting.get_state_display() == "Waiting for review"


def test_a_plain_save_records_no_revert_reason(editor, make_cause):
    cause = make_cause(status=Status.DRAFT)
    editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, status="draft"))
    assert not (cause.history.first().history_change_reason or "").startswith("Reverted")


def test_any_two_revisions_are_compared_field_by_field(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT, summary="One.", body="Para one.\nPara two.")
    first = cause.history.first()
    cause.summary, cause.body = "Two.", "Para one.\nPara 2."
    cause.save()
    cause.title = "A new title"
    cause.save()
    last = cause.history.first()

    assert 'name="older"' in _history(editor_client, cause)
    # in either order: the older one is always "from"
    response = editor_client.get(_compare_url(cause), {"older": last.history_id, "newer": first.history_id})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>One.</del>" in page and "<ins>Two.</ins>" in page
    assert "<del>Para two.</del>" in page and "<ins>Para 2.</ins>" in page and "Para one." in page
    assert f"<del>{first.title}</del>" in page and "<ins>A new title</ins>" in page
    assert "Updated" not in page  # the clock's fields are not an editor's change


def test_the_same_revision_twice_has_no_differences(editor_client, make_cause):
    cause = make_cause()
    revision = cause.history.first().history_id
    page = editor_client.get(_compare_url(cause), {"older": revision, "newer": revision}).content.decode()
    assert "These two revisions have the same content." in page


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"older": "1"},
        {"older": "abc", "newer": "1"},
        {"older": "-1", "newer": "1"},
        {"older": "１", "newer": "1"},
        {"older": "9" * 18, "newer": "1"},
        {"older": "1 OR 1=1", "newer": "1"},
    ],
)
def test_hostile_or_missing_revisions_get_a_clear_message(editor_client, make_cause, query):
    cause = make_cause()
    query = {name: (str(cause.history.first().history_id) if value == "1" else value) for name, value in query.items()}
    response = editor_client.get(_compare_url(cause), query, follow=True)
    assert response.status_code == 200
    assert "Choose two revisions of this item to compare." in response.content.decode()


def test_a_revision_of_another_item_cannot_be_compared(editor_client, make_cause):
    cause, other = make_cause(), make_cause()
    query = {"older": other.history.first().history_id, "newer": cause.history.first().history_id}
    response = editor_client.get(_compare_url(cause), query, follow=True)
    assert "Choose two revisions of this item to compare." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/causes/cause/abc/history/compare/?older=1&newer=1",
        "/admin/causes/cause/99999999/history/compare/",
        "/admin/causes/cause/1/history/compare/?older=99999999999999999999999999&newer=1",
        "/admin/causes/cause/1/history/compare/?older=%00&newer=1",
    ],
)
def test_hostile_compare_addresses_get_no_server_error(editor_client, make_cause, path):
    make_cause()
    assert editor_client.get(path).status_code in (302, 400, 404)


def test_staff_who_may_not_view_causes_cannot_compare(client, django_user_model, make_cause):
    user = django_user_model.objects.create_user("staff", password="a-long-test-password", is_staff=True)
    sign_in_with_both_factors(client, user)
    cause = make_cause()
    revision = cause.history.first().history_id
    response = client.get(_compare_url(cause), {"older": revision, "newer": revision})
    assert response.status_code in (302, 403)
    assert "Compare two revisions" not in response.content.decode()


def test_revisions_of_an_item_with_no_sign_off_compare_too(editor_client, make_source):
    source = make_source(title="Old title")
    first = source.history.first()
    source.title = "New title"
    source.save()
    url = reverse("admin:causes_source_history_compare", args=[source.pk])
    page = editor_client.get(url, {"older": first.history_id, "newer": source.history.first().history_id})
    assert "<del>Old title</del>" in page.content.decode() and "<ins>New title</ins>" in page.content.decode()
    assert (
        "No reason given"
        in editor_client.get(reverse("admin:causes_source_history", args=[source.pk])).content.decode()
    )
