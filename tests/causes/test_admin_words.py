"""The cause form in plain words: its sign table, its relations, and who sets the go-live time."""

import pytest
from django.urls import reverse

from causes.models import Cause, WarningSign
from editorial.lifecycle import Status
from tests.conftest import cause_admin_form, person_client

pytestmark = pytest.mark.django_db


def test_the_sign_table_has_a_plain_heading(editor_client, make_cause):
    cause = make_cause()
    sign = WarningSign.objects.create(
        key="cold-pale", text="your foot goes cold and pale", level="emergency", status=Status.PUBLISHED
    )
    sign.causes.add(cause)
    page = editor_client.get(reverse("admin:causes_cause_change", args=[cause.pk])).content.decode()
    assert ">Warningsign<" not in page
    assert '<th class="column-warningsign required">Sign' in page


def test_a_cause_is_not_offered_as_related_to_itself_and_a_forged_choice_is_refused(editor_client, make_cause):
    cause, other = make_cause(), make_cause()
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    page = editor_client.get(url).content.decode()
    related = page[page.index('name="related"') : page.index("</select>", page.index('name="related"'))]
    assert f'value="{other.pk}"' in related and f'value="{cause.pk}"' not in related
    response = editor_client.post(url, cause_admin_form(cause, related=[cause.pk]))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Cause.objects.get(pk=cause.pk).related.exists()


def test_each_sign_row_is_named_by_its_sign_under_a_plain_heading(editor_client, make_cause):
    cause = make_cause()
    sign = WarningSign.objects.create(
        key="cold-pale", text="your foot goes cold and pale", level="emergency", status=Status.PUBLISHED
    )
    sign.causes.add(cause)
    page = editor_client.get(reverse("admin:causes_cause_change", args=[cause.pk])).content.decode()
    assert "WarningSign_causes object" not in page
    assert _row_titles(page) == [str(sign)]  # "Emergency: your foot goes cold and pale"
    assert "Warning signs on this page" in page


def test_each_cause_row_on_a_remedy_is_named_by_its_cause(editor_client, make_cause, make_remedy):
    cause, remedy = make_cause(), make_remedy()
    cause.remedies.add(remedy)
    page = editor_client.get(reverse("admin:causes_remedy_change", args=[remedy.pk])).content.decode()
    assert "Cause_remedies object" not in page
    assert _row_titles(page) == [cause.title]
    assert "Causes this remedy helps with" in page


def test_an_editor_is_told_how_to_ask_for_a_go_live_time_not_to_use_a_field_they_cannot_edit(
    django_user_model, editor_client, make_cause
):
    wendy = person_client(django_user_model, "wwriter", "Editors", first_name="Wendy", last_name="Writer")
    cause = make_cause()
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    page = wendy.get(url).content.decode()
    assert "To ask for a go-live time, save the item, then use “Ask a clinical reviewer”" in page
    assert "Ask a clinical reviewer:" in page
    assert "A published item with a time here goes live by itself" not in page
    # A reviewer, who can set the time, reads what it does.
    page = editor_client.get(url).content.decode()
    assert "A published item with a time here goes live by itself" in page


def _row_titles(page: str) -> list[str]:
    """The text of each saved inline row's title cell (Django's tabular inline names the row there)."""
    titles = []
    for cell in page.split('<td class="original">')[1:]:
        cell = cell.split("</td>", 1)[0]
        if "<p>" in cell:
            titles.append(" ".join(cell.split("<p>", 1)[1].split("<", 1)[0].split()))
    return titles
