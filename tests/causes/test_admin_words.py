"""The cause form in plain words: its sign table has a plain heading, and a cause is not its own relation."""

import pytest
from django.urls import reverse

from causes.models import Cause, WarningSign
from editorial.lifecycle import Status
from tests.conftest import cause_admin_form

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
