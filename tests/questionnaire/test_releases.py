"""Questionnaire sign-off: readers get the last approved release; changes wait for a reviewer who made none of them."""

import pytest
from django.test import Client
from django.urls import reverse

from questionnaire import selectors
from questionnaire.models import Option, OptionWeight, Release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

URL = "/check-your-symptoms/"
ALL_QUESTIONS = "/check-your-symptoms/all/"
CHANGES = reverse("admin:questionnaire_question_changes")
STROKE = "One arm or leg is suddenly weak or numb"


def _relabel(client: Client, option: Option, label: str) -> None:
    data = {field: getattr(option, field) for field in ("order", "group", "urgency", "advice")}
    weights = list(option.weights.all())
    data.update(question=option.question_id, sign=option.sign_id or "", label=label)
    data.update({"weights-TOTAL_FORMS": str(len(weights)), "weights-INITIAL_FORMS": str(len(weights))})
    for n, weight in enumerate(weights):
        data.update({f"weights-{n}-id": weight.pk, f"weights-{n}-option": option.pk})
        data.update({f"weights-{n}-cause": weight.cause_id, f"weights-{n}-weight": weight.weight})
    assert client.post(reverse("admin:questionnaire_option_change", args=[option.pk]), data).status_code == 302


def test_the_seed_is_released_so_a_saved_change_waits(writer, client):
    assert Release.objects.count() == 1
    option = Option.objects.get(question__key="how-long", label="A few days")
    _relabel(writer, option, "Two or three days")
    assert Option.objects.get(pk=option.pk).label == "Two or three days"  # saved for editors
    assert "Two or three days" not in client.get(ALL_QUESTIONS).content.decode()  # but not live
    page = writer.get(CHANGES).content.decode()
    assert "1 change waiting for review" in page
    assert "<del>A few days</del> → <ins>Two or three days</ins>" in page
    assert "a different clinical reviewer must approve them" in page and "Approve and make live" not in page


def test_a_reviewer_who_made_none_of_the_changes_releases_them(writer, checker, client):
    option = Option.objects.get(question__key="how-long", label="A few days")
    _relabel(writer, option, "Two or three days")
    response = checker.post(CHANGES, {"_approve": "1"}, follow=True)
    assert "Readers now get this questionnaire." in response.content.decode()
    release = Release.objects.first()
    assert release.approved_by.username == "checker" and release.reviewed_by == "checker, clinical reviewer"
    page = client.get(ALL_QUESTIONS).content.decode()
    assert "Two or three days" in page and "reviewed by checker, clinical reviewer on <time" in page
    assert "No changes are waiting." in checker.get(CHANGES).content.decode()


def test_a_reviewer_cannot_release_their_own_change(checker):
    _relabel(checker, Option.objects.get(question__key="how-long", label="A few days"), "Two or three days")
    page = checker.get(CHANGES).content.decode()
    assert "You made some of these changes, so a different clinical reviewer must approve them." in page
    assert checker.post(CHANGES, {"_approve": "1"}).status_code == 403
    assert Release.objects.count() == 1


def test_live_results_use_the_released_weights_until_the_next_release(client, checker):
    stroke = Option.objects.get(question__key="red-flags", label=STROKE)
    before = client.post(URL, {"red-flags": [stroke.pk]}).content.decode()
    OptionWeight.objects.filter(option__question__key="how-long").update(weight=3)  # saved, not released
    stroke.urgency, stroke.sign = "see_doctor", None
    stroke.save()
    assert "care-emergency triage" in client.post(URL, {"red-flags": [stroke.pk]}).content.decode()
    assert selectors.safety_data(state="live") != selectors.safety_data(state="saved")
    assert client.post(URL, {"red-flags": [stroke.pk]}).content.decode() == before


def test_a_release_that_makes_an_emergency_less_urgent_is_refused(checker, django_user_model):
    stroke = Option.objects.get(question__key="red-flags", label=STROKE)
    stroke.urgency, stroke.sign = "see_doctor", None
    stroke._history_user = django_user_model.objects.create_user("another-editor")
    stroke.save()  # as if the admin's own gate had been bypassed
    page = checker.get(CHANGES).content.decode()
    assert "cannot be approved" in page and "Approve and make live" not in page
    response = checker.post(CHANGES, {"_approve": "1"}, follow=True)
    assert "Not released: these changes take these safety cases outside the levels" in response.content.decode()
    assert Release.objects.count() == 1


def test_a_change_with_no_recorded_author_cannot_be_released(checker):
    """Made outside a signed-in request (a command, the shell): nobody can say it is not the approver's own."""
    how_long = Option.objects.get(question__key="how-long", label="A few days")
    how_long.label = "A few days or less"
    how_long.save()
    page = checker.get(CHANGES).content.decode()
    assert "no recorded author" in page and "Approve and make live" not in page
    assert checker.post(CHANGES, {"_approve": "1"}).status_code == 403
    assert Release.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"_approve": "\x00"}, {"_discard": "1"}, {"_approve": "1" * 10_000}])
def test_hostile_posts_to_the_changes_page_get_no_server_error(writer, checker, data):
    assert writer.post(CHANGES, data).status_code == 403
    assert checker.post(CHANGES, data).status_code in (302, 403)


def test_readers_and_signed_out_people_cannot_see_the_changes(client):
    response = client.get(CHANGES)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_changes_page_runs_a_fixed_number_of_queries_however_many_changes(checker, django_assert_max_num_queries):
    Release.objects.all().delete()  # every seeded question, answer and weight is now a change waiting
    for weight in OptionWeight.objects.filter(option__question__key="how-long"):
        weight.weight = 1 if weight.weight != 1 else 2
        weight.save()  # changed revisions, each compared with the one before
    with django_assert_max_num_queries(25):
        page = checker.get(CHANGES).content.decode()
    assert page.count("<tr>") > 100 and "Weight: <del>" in page
