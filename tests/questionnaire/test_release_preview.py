"""The questionnaire preview: the saved, unreleased questionnaire with the safety cases and sample answers tried on it,
beside the live release; staff with the questionnaire's permissions only; the answers kept nowhere."""

import logging
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from questionnaire import releases, selectors
from questionnaire.models import Option, OptionWeight, Release
from tests.conftest import sign_in_with_both_factors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

PREVIEW = reverse("admin:questionnaire_question_release_preview")
CHANGES = reverse("admin:questionnaire_question_changes")
STROKE = "One arm or leg is suddenly weak or numb"


def _stroke() -> Option:
    return Option.objects.get(question__key="red-flags", label=STROKE)


def _rows(page: str) -> str:
    return page.split('id="sample-results"', 1)[1].split("</table>", 1)[0]


def test_the_changes_page_links_to_the_preview(checker):
    assert PREVIEW in checker.get(CHANGES).content.decode()


def test_editors_and_reviewers_see_every_safety_case_passing_on_the_seed(writer, checker):
    for person in (writer, checker):
        response = person.get(PREVIEW)
        page = response.content.decode()
        assert response.status_code == 200
        cases = releases.preview_cases(selectors.load("live"), selectors.load("saved"))
        assert cases and all(now.passed and after.passed for now, after in cases)
        assert f"{len(cases)} cases. After the release: 0 failing." in page
        assert all(now.case.name in page for now, _ in cases)
        # each case's ceiling is shown beside its floor, as on the safety cases page
        ceilings = [now.case for now, _ in cases if now.case.has_ceiling]
        assert ceilings and page.count(", at most ") == len(ceilings)


def test_a_waiting_urgency_change_shows_in_the_preview_not_in_the_live_results(checker):
    """An answer's urgency changed and saved, not released: the preview's column differs from the live one."""
    stroke = _stroke()
    stroke.urgency, stroke.sign = "see_doctor", None
    stroke.save()
    assert Release.objects.count() == 1  # nothing released
    page = checker.post(PREVIEW, {"answers": [stroke.pk]}).content.decode()
    rows = _rows(page)
    live, after = rows.split("After the release", 1)
    assert "Emergency" in live and "Emergency" not in after and "See a doctor" in after
    # and the safety gate says so: the stroke cases fail after the release, not now
    assert "cannot be approved" in page and "Failed:" in page.split('id="preview-safety-cases"', 1)[1]


def test_a_waiting_weight_change_moves_the_matched_causes(checker):
    option = Option.objects.filter(weights__weight__gt=0, question__red_flag=False).first()
    weight = option.weights.order_by("-weight").first()
    live_before, _ = releases.try_answers({option.pk}, selectors.load("live"), selectors.load("saved"))
    assert weight.cause.title in [found.cause.title for found in live_before.matches]
    OptionWeight.objects.filter(option=option).update(weight=-3)  # saved, not released
    live, after = releases.try_answers({option.pk}, selectors.load("live"), selectors.load("saved"))
    assert live == live_before and after.matches == ()
    rows = _rows(checker.post(PREVIEW, {"answers": [option.pk]}).content.decode())
    now_cell, after_cell = rows.split("After the release", 1)
    assert weight.cause.title in now_cell and weight.cause.title not in after_cell


def test_an_answer_added_since_the_release_is_named_as_missing_from_the_live_column(checker):
    stroke = _stroke()
    added = Option.objects.create(
        question=stroke.question, label="Sudden loss of speech", urgency="emergency", advice="Call 999 now.", order=99
    )
    now, after = releases.try_answers({added.pk}, selectors.load("live"), selectors.load("saved"))
    assert now.missing == ("Sudden loss of speech",) and now.level == "self_care"
    assert after.missing == () and after.level == "emergency"
    live_cell = _rows(checker.post(PREVIEW, {"answers": [added.pk]}).content.decode()).split("After the release")[0]
    assert "Not in this questionnaire: Sudden loss of speech" in live_cell


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"answers": ""},
        {"answers": "abc"},
        {"answers": "99999999"},
        {"answers": "-1"},
        {"answers": "1e9"},
        {"answers": "\x00"},
        {"answers": "9" * 400},
        {"answers": ["1", "1", "1"]},
    ],
)
def test_hostile_answers_get_a_clear_message_never_a_server_error(checker, data):
    response = checker.post(PREVIEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Tick at least one answer" in page
        or "We did not recognise one of those answers" in page
        or ('id="sample-results"' in page)
    )


def test_no_permission_no_preview(django_user_model, client):
    assert client.get(PREVIEW).status_code == 302  # signed out: the sign-in page
    assert Client().post(PREVIEW, {"answers": [_stroke().pk]}).status_code == 302
    staff = django_user_model.objects.create_user("outsider", password="a-long-test-password", is_staff=True)
    outsider = Client()
    sign_in_with_both_factors(outsider, staff)
    assert outsider.get(PREVIEW).status_code == 403
    assert outsider.post(PREVIEW, {"answers": [_stroke().pk]}).status_code == 403
    staff.groups.add(Group.objects.get(name="Editors"))
    assert outsider.get(PREVIEW).status_code == 200


def test_the_answers_are_kept_nowhere(checker, caplog):
    """Not in the database, the cache, the session or the log; and the page itself is never cached."""
    stroke, other = _stroke(), Option.objects.get(question__key="how-long", label="A few days")
    checker.post(PREVIEW, {"answers": [other.pk]})  # anything a first visit fills in
    before, session = _stored(), dict(checker.session)
    with caplog.at_level(logging.DEBUG):
        response = checker.post(PREVIEW, {"answers": [stroke.pk]})
    assert response.status_code == 200 and "Emergency" in _rows(response.content.decode())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert STROKE not in caplog.text and f"'{stroke.pk}'" not in caplog.text
    assert _stored() == before and dict(checker.session) == session  # saved again with each request, unchanged


def _stored() -> tuple[str, dict]:
    """The whole database as a dump (less the sessions, signed again on every request), and every cache entry."""
    dump = StringIO()
    call_command("dumpdata", exclude=["sessions"], stdout=dump)
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):  # LocMemCache
        return dump.getvalue(), dict(backend)
    client = cache.client.get_client()  # Redis
    return dump.getvalue(), {key: client.get(key) for key in client.scan_iter("*")}
