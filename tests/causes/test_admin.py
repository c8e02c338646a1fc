import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from causes.models import Cause, WarningSign
from editorial.lifecycle import Status
from tests.conftest import SIGN_ROWS, approve_waiting, cause_admin_form

pytestmark = pytest.mark.django_db


def test_admin_search_finds_by_words_in_the_text(editor_client, make_cause):
    make_cause(title="Too much caffeine", body="Coffee and energy drinks.")
    make_cause(title="Nerve damage")
    response = editor_client.get(reverse("admin:causes_cause_changelist"), {"q": "energy drinks"})
    assert "Too much caffeine" in response.content.decode()
    assert "Nerve damage" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"review": "<script>"}, {"category__exact": "x" * 300}, {"o": "99.-x"}, {"p": "-1"}],
)
def test_admin_bad_filters_never_500(editor_client, seeded, params):
    response = editor_client.get(reverse("admin:causes_cause_changelist"), params)
    assert response.status_code in (200, 302)


def test_editor_can_add_a_cause_as_a_draft(editor_client, make_remedy, make_source):
    remedy, source = make_remedy(), make_source()
    sign = WarningSign.objects.create(
        key="cold-pale", text="your foot goes cold and pale", level="emergency", status=Status.PUBLISHED
    )
    response = editor_client.post(
        reverse("admin:causes_cause_add"),
        {
            "title": "Cold feet",
            "slug": "cold-feet",
            "category": "nerves",
            "summary": "Cold feet can twitch.",
            "body": "Body.",
            "self_care": "Keep warm.",
            "urgency": "see_doctor",
            "remedies": [remedy.pk],
            "sources": [source.pk],
            "status": "draft",
            "last_reviewed": "2026-11-21",
            "next_review_due": "2027-11-21",
            f"{SIGN_ROWS}TOTAL_FORMS": "1",
            f"{SIGN_ROWS}INITIAL_FORMS": "0",
            f"{SIGN_ROWS}0-warningsign": str(sign.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cause = Cause.objects.get(slug="cold-feet")
    assert cause.status == Status.DRAFT
    assert list(cause.remedies.all()) == [remedy]
    assert list(cause.warning_signs.all()) == [sign]
    assert LogEntry.objects.filter(object_id=str(cause.pk)).exists()  # shows in the history


def test_editor_change_is_saved_and_recorded_in_history(editor_client, reviewer_client, make_cause):
    cause = make_cause(title="Caffeine")
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    assert editor_client.get(url).status_code == 200
    data = cause_admin_form(cause, title="Too much caffeine", summary="New summary.")
    assert editor_client.post(url, data).status_code == 302
    cause.refresh_from_db()
    assert cause.summary != "New summary."  # published: it waits for a clinical reviewer
    approve_waiting(reviewer_client, cause)
    assert (cause.title, cause.summary) == ("Too much caffeine", "New summary.")
    history = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk])).content.decode()
    assert "Approved a change by editor." in history  # the approval is a revision of its own, and one row:
    assert "<td>Approved</td>" not in history  # the change it made live is not listed again below the versions
    assert "<td>Asha Patel</td>" in history  # the reviewer who saved it, by name, not user name
    assert "New summary." in history


def test_review_dates_typed_into_the_form_change_nothing(editor_client, make_cause):
    """Only a review sets them (mark reviewed, an approval): any date typed in, even a hostile one, is not kept."""
    cause = make_cause(last_reviewed=datetime.date(2026, 11, 1), next_review_due=datetime.date(2027, 11, 1))
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    for typed in (
        {"next_review_due": "2020-01-01"},
        {"next_review_due": "2030-01-01"},
        {"last_reviewed": "31/02/2026"},
    ):
        assert editor_client.post(url, cause_admin_form(cause, **typed)).status_code == 302
        cause.refresh_from_db()
        assert (cause.last_reviewed, cause.next_review_due) == (datetime.date(2026, 11, 1), datetime.date(2027, 11, 1))


@pytest.mark.parametrize(
    "bad",
    [
        {"slug": "has spaces & <tags>"},
        {"category": "not-a-category"},
        {"urgency": "panic"},
        {"publish_at_0": "31/02/2026", "publish_at_1": "25:61"},
        {"title": "x" * 500},
        {"remedies": ["999999"]},
        {"remedies": ["not-a-number"]},
    ],
)
def test_hostile_admin_input_gets_a_form_error(editor_client, make_cause, bad):
    cause = make_cause()
    data = cause_admin_form(cause, **bad)
    response = editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), data)
    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "factory"), [("cause", "make_cause"), ("remedy", "make_remedy"), ("faq", "make_faq")]
)
def test_bulk_publish_and_unpublish_actions(editor_client, request, model, factory):
    make = request.getfixturevalue(factory)
    items = [make(status=Status.DRAFT), make(status=Status.DRAFT)]
    url = reverse(f"admin:causes_{model}_changelist")
    ids = [str(item.pk) for item in items]
    editor_client.post(url, {"action": "publish", "_selected_action": ids})
    assert all(type(i).objects.get(pk=i.pk).status == Status.PUBLISHED for i in items)
    history = editor_client.get(reverse(f"admin:causes_{model}_history", args=[items[0].pk])).content.decode()
    assert "Status set to Published with a bulk action." in history
    warning = editor_client.post(url, {"action": "unpublish", "_selected_action": ids}).content.decode()
    assert "Take these pages off the site?" in warning  # withdrawing live pages is its own step
    assert all(type(i).objects.get(pk=i.pk).status == Status.PUBLISHED for i in items)
    editor_client.post(url, {"action": "unpublish", "_selected_action": ids, "confirm": "withdraw"})
    assert all(type(i).objects.get(pk=i.pk).status == Status.DRAFT for i in items)


@pytest.mark.parametrize("selected", [["999999"], ["abc"], ["<script>"], []])
def test_bulk_action_with_hostile_selection_never_500(editor_client, seeded, selected):
    response = editor_client.post(
        reverse("admin:causes_cause_changelist"), {"action": "publish", "_selected_action": selected}
    )
    assert response.status_code in (200, 302)


def test_remedy_admin_edits_the_causes_it_helps_inline(editor_client, make_remedy, make_cause):
    remedy, cause = make_remedy(), make_cause()
    url = reverse("admin:causes_remedy_change", args=[remedy.pk])
    assert "causes this remedy helps with" in editor_client.get(url).content.decode().lower()
    prefix = "Cause_remedies-"
    data = {
        "title": remedy.title,
        "slug": remedy.slug,
        "summary": remedy.summary,
        "body": remedy.body,
        "caution": "",
        "sources": [source.pk for source in remedy.sources.all()],
        "status": "published",
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-11-21",
        f"{prefix}TOTAL_FORMS": "1",
        f"{prefix}INITIAL_FORMS": "0",
        f"{prefix}0-cause": str(cause.pk),
        f"{prefix}0-remedy": str(remedy.pk),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(remedy.causes.all()) == [cause]


def test_models_are_all_registered(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    for name in ("Causes", "Remedies", "FAQs", "Sources"):
        assert name in html


def test_an_editor_cannot_withdraw_a_live_page_even_with_a_crafted_confirmation(django_user_model, make_cause):
    from tests.conftest import person_client

    editor = person_client(django_user_model, "writer", "Editors")
    cause = make_cause()
    data = {"action": "unpublish", "_selected_action": [cause.pk], "confirm": "withdraw", "index": "0"}
    editor.post(reverse("admin:causes_cause_changelist"), data, follow=True)
    assert Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("selected", [["999999"], ["abc"], ["<script>"], []])
def test_a_hostile_withdrawal_never_500s_and_changes_nothing(editor_client, seeded, selected):
    data = {"action": "unpublish", "_selected_action": selected, "confirm": "withdraw"}
    response = editor_client.post(reverse("admin:causes_cause_changelist"), data, follow=True)
    assert response.status_code == 200
    assert not Cause.objects.exclude(status=Status.PUBLISHED).exists()
