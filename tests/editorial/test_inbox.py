"""The admin home page is an inbox: a reviewer finds what waits for them without opening every item."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Faq
from editorial import review
from editorial.lifecycle import Status
from editorial.models import Change
from feedback.models import Feedback
from questionnaire.models import Option
from tests.conftest import cause_admin_form, in_role, person_client, sign_in_with_both_factors

User = get_user_model()

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

HOME = reverse("admin:index")


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    return html[start : html.find("<h2>", start + 1)]


@pytest.fixture
def editor(django_user_model):
    return person_client(django_user_model, "writer", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    return person_client(django_user_model, "checker", "Clinical reviewers")


def test_a_waiting_change_is_in_the_reviewers_inbox_and_the_authors_own_list(editor, reviewer):
    cause = Cause.objects.get(slug="caffeine")
    editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, summary="New words."))
    waiting = Change.objects.of(cause).get(state="waiting")
    review_url = reverse("admin:causes_cause_review", args=[cause.pk, waiting.pk])

    home = reviewer.get(HOME).content.decode()
    assert f'<a href="{review_url}">Cause: {cause.title}</a>' in _section(home, "Waiting for your review")
    assert "Change by writer" in _section(home, "Waiting for your review")
    mine = editor.get(HOME).content.decode()
    assert review_url in _section(mine, "Your changes waiting for review")
    assert "Waiting for your review" not in mine and review_url not in mine.replace(  # nothing waits for an editor
        _section(mine, "Your changes waiting for review"), ""
    )


def test_scheduled_overdue_feedback_and_questionnaire_changes_are_listed(reviewer, editor):
    faq = Faq.objects.get(slug="can-stress-make-it-worse")
    faq.publish_at = timezone.now() + datetime.timedelta(days=2)
    faq.save()
    Cause.objects.filter(slug="alcohol").update(
        next_review_due=datetime.date(2026, 1, 1), last_reviewed=datetime.date(2025, 1, 1)
    )
    Feedback.objects.create(page="/causes/caffeine/", helpful=False, comment="The page did not say enough.")
    option = Option.objects.get(question__key="how-long", label="A few days")
    option.label = "A few days or less"
    option.save()

    home = reviewer.get(HOME).content.decode()
    assert faq.question in _section(home, "Scheduled to go live")
    assert "Drinking too much alcohol" in _section(home, "Review overdue")
    assert "1 comment(s) from readers not yet handled." in home
    assert "1 change(s) since the last release." in home


def test_a_draft_ready_for_review_is_waiting_for_reviewers(editor, reviewer, make_cause):
    make_cause(status=Status.REVIEW, title="A draft to check")
    assert "A draft to check" in _section(reviewer.get(HOME).content.decode(), "Waiting for your review")


def test_the_inbox_runs_a_fixed_number_of_queries(reviewer, django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        assert reviewer.get(HOME).status_code == 200


def test_lists_say_each_items_state_in_words(editor, reviewer, make_cause):
    cause = Cause.objects.get(slug="caffeine")
    editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, summary="New words."))
    make_cause(status=Status.DRAFT, title="A plain draft")
    later = timezone.now() + datetime.timedelta(days=1)
    make_cause(title="A scheduled cause", publish_at=later)
    withdrawn = make_cause(title="A withdrawn cause")
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    html = reviewer.get(reverse("admin:causes_cause_changelist")).content.decode()
    assert "Live with a change waiting" in html and ">Draft<" in html and ">Live<" in html
    assert ">Withdrawn (a draft again)<" in html
    assert f"Scheduled for {timezone.localtime(later):%-d %b %H:%M}" in html


def test_a_future_publish_time_on_a_live_page_is_refused_so_it_stays_on_the_site(reviewer, client):
    faq = Faq.objects.get(slug="can-stress-make-it-worse")
    data = {"question": faq.question, "slug": faq.slug, "answer": faq.answer, "order": faq.order, "status": "published"}
    data.update(causes=[c.pk for c in faq.causes.all()], sources=[s.pk for s in faq.sources.all()])
    data.update(last_reviewed=faq.last_reviewed, next_review_due=faq.next_review_due)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    data.update(publish_at_0=f"{tomorrow:%Y-%m-%d}", publish_at_1=f"{tomorrow:%H:%M:%S}")
    response = reviewer.post(reverse("admin:causes_faq_change", args=[faq.pk]), data)
    assert "A publish time in the future would take it off the site" in response.content.decode()
    assert faq.question in client.get("/faq/").content.decode()


# --- Shaped by role, and several approved at once (issue 28) -----------------------------------


def test_an_editor_sees_their_drafts_and_nothing_that_waits_for_a_reviewer(editor, reviewer):
    draft = Cause.objects.get(slug="caffeine")
    draft.status = "draft"
    draft._history_user = User.objects.get(username="writer")
    draft.save()
    mine = editor.get(HOME).content.decode()
    assert f"Cause: {draft.title}" in _section(mine, "Your drafts")
    for heading in ("Waiting for your review", "Requests for a reviewer", "Review overdue"):
        assert f"<h2>{heading}</h2>" not in mine
    theirs = reviewer.get(HOME).content.decode()
    assert f"Cause: {draft.title}" not in theirs  # another person's draft, not sent for review
    assert "<h2>Review overdue</h2>" in theirs


def test_a_reviewer_approves_several_ticked_changes_at_once_and_hears_of_each(editor, reviewer):
    causes = [Cause.objects.get(slug=slug) for slug in ("caffeine", "alcohol")]
    for cause in causes:
        editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, summary="New."))
    picks = [f"change:{Change.objects.of(cause).get(state='waiting').pk}" for cause in causes]
    assert f'value="{picks[0]}"' in reviewer.get(HOME).content.decode()
    response = reviewer.post(reverse("editorial:approve-many"), {"pick": picks}, follow=True)
    page = response.content.decode()
    assert f"You approved “{causes[0].title}”, “{causes[1].title}”. Readers see them now." in page
    assert [Cause.objects.get(pk=cause.pk).summary for cause in causes] == ["New.", "New."]


def test_from_the_inbox_an_author_still_cannot_approve_their_own_change(django_user_model, reviewer):
    author = in_role(django_user_model.objects.create_user("author"), "Clinical reviewers")
    cause = Cause.objects.get(slug="caffeine")
    review.propose(cause, {"summary": "The author's words."}, author)
    change = Change.objects.of(cause).get(state="waiting")
    client = Client()
    sign_in_with_both_factors(client, author)
    page = client.post(reverse("editorial:approve-many"), {"pick": [f"change:{change.pk}"]}, follow=True)
    refusal = f"“{cause.title}” was not approved: Only a clinical reviewer who wrote none of this text"
    assert refusal in page.content.decode()
    assert Cause.objects.get(pk=cause.pk).summary != "The author's words."


@pytest.mark.parametrize(
    "picks",
    [[], ["change:x"], ["change:999999"], ["new:causes.cause:abc"], ["new:auth.user:1"], ["new::"], ["x" * 5000]],
)
def test_hostile_ticks_approve_nothing_and_never_fail(reviewer, picks):
    before = list(Cause.objects.values_list("pk", "summary", "status"))
    response = reviewer.post(reverse("editorial:approve-many"), {"pick": picks}, follow=True)
    assert response.status_code == 200
    assert list(Cause.objects.values_list("pk", "summary", "status")) == before


def test_an_editor_cannot_approve_from_the_inbox(editor, django_user_model):
    cause = Cause.objects.get(slug="caffeine")
    editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), cause_admin_form(cause, summary="New."))
    change = Change.objects.of(cause).get(state="waiting")
    page = editor.post(reverse("editorial:approve-many"), {"pick": [f"change:{change.pk}"]}, follow=True)
    assert "was not approved" in page.content.decode() and Cause.objects.get(pk=cause.pk).summary != "New."
