"""Editors publish safely: scheduled publishing, the completeness rule, the review action, moved pages."""

import datetime
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Faq, MovedPage, Remedy
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import cause_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def _text(response) -> str:
    return response.content.decode()


# --- Scheduled publishing -------------------------------------------------------------------


def test_a_scheduled_item_is_hidden_until_its_time_then_shows_with_no_job(reader, make_cause):
    cause = make_cause(title="Scheduled cause", publish_at=timezone.now() + datetime.timedelta(days=1))
    assert reader.get(cause.get_absolute_url()).status_code == 404
    assert "Scheduled cause" not in _text(reader.get("/causes/"))
    assert not cause.is_live and cause not in Cause.objects.published()
    Cause.objects.filter(pk=cause.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Cause.objects.published().filter(pk=cause.pk).exists()  # the database reads the time


def test_a_scheduled_item_appears_on_time_on_pages_already_cached(
    reader, make_cause, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the editor's save commits
        make_cause(title="Goes live in a moment", publish_at=timezone.now() + datetime.timedelta(seconds=1.5))
    for _ in range(2):  # rendered, then served from the page cache
        assert "Goes live in a moment" not in _text(reader.get("/causes/"))
    time.sleep(1.6)  # nobody saves anything: only the clock moves on
    assert "Goes live in a moment" in _text(reader.get("/causes/"))


def test_a_draft_with_a_past_publish_time_stays_hidden(reader, make_cause):
    cause = make_cause(status=Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(days=1))
    assert reader.get(cause.get_absolute_url()).status_code == 404


# --- Completeness ---------------------------------------------------------------------------


def test_publishing_an_incomplete_cause_is_refused_naming_what_is_missing(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT, self_care="")
    cause.sources.clear()
    form = cause_admin_form(cause, status="published", sources=[])
    response = editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form)
    assert response.status_code == 200
    html = _text(response)
    assert "This cannot be published yet. It still needs: what you can do, at least one source." in html
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT

    form["status"] = "draft"  # a draft may be incomplete
    assert editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form).status_code == 302


def test_a_complete_cause_publishes(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT)
    form = cause_admin_form(cause, status="published")
    assert editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form).status_code == 302
    cause.refresh_from_db()
    assert cause.status == Status.PUBLISHED


def test_bulk_publish_publishes_the_complete_and_names_what_the_others_lack(editor_client, make_cause, make_faq):
    complete = make_cause(status=Status.DRAFT, title="Complete one")
    incomplete = make_cause(status=Status.DRAFT, title="Incomplete one", body="")
    incomplete.sources.clear()
    response = editor_client.post(
        reverse("admin:causes_cause_changelist"),
        {"action": "publish", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )
    html = _text(response)
    assert "1 item(s) published." in html
    assert "“Incomplete one” was not published: it still needs body, at least one source." in html
    assert Cause.objects.get(pk=complete.pk).status == Status.PUBLISHED
    assert Cause.objects.get(pk=incomplete.pk).status == Status.DRAFT

    faq = make_faq(status=Status.DRAFT)
    faq.sources.clear()
    response = editor_client.post(
        reverse("admin:causes_faq_changelist"), {"action": "publish", "_selected_action": [faq.pk]}, follow=True
    )
    assert "it still needs at least one source" in _text(response)


def test_every_seeded_item_is_complete(seeded):
    for model in (Cause, Remedy, Faq):
        for item in model.objects.published():
            assert item.missing_to_publish(item.sources.count()) == [], item


# --- Mark reviewed today --------------------------------------------------------------------


def test_mark_reviewed_today_sets_both_dates_records_it_and_shows_at_once(editor_client, make_cause, reader):
    cause = make_cause(last_reviewed=datetime.date(2025, 1, 31), next_review_due=datetime.date(2026, 1, 31))
    assert "31 January 2025" in _text(reader.get(cause.get_absolute_url()))
    editor_client.post(
        reverse("admin:causes_cause_changelist"), {"action": "mark_reviewed_today", "_selected_action": [cause.pk]}
    )
    cause.refresh_from_db()
    today = timezone.localdate()
    assert cause.last_reviewed == today
    assert cause.next_review_due == _a_year_on(today)
    assert LogEntry.objects.filter(object_id=str(cause.pk), change_message__startswith="Marked reviewed").exists()
    assert "31 January 2025" not in _text(reader.get(cause.get_absolute_url()))


def test_the_review_period_is_a_setting(editor_client, make_remedy, settings):
    settings.REVIEW_PERIOD_MONTHS = 6
    remedy = make_remedy()
    editor_client.post(
        reverse("admin:causes_remedy_changelist"), {"action": "mark_reviewed_today", "_selected_action": [remedy.pk]}
    )
    remedy.refresh_from_db()
    assert 180 <= (remedy.next_review_due - remedy.last_reviewed).days <= 184


def _a_year_on(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- Moved pages ----------------------------------------------------------------------------


def _rename(editor_client, cause: Cause, slug: str) -> None:
    form = cause_admin_form(cause, slug=slug)
    assert editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), form).status_code == 302
    cause.refresh_from_db()


def test_a_changed_slug_keeps_the_old_address_working_for_good(editor_client, seeded, reader):
    cause = Cause.objects.get(slug="caffeine")
    reader.get("/causes/caffeine/")  # in the page cache
    _rename(editor_client, cause, "too-much-caffeine")
    response = reader.get("/causes/caffeine/")
    assert response.status_code == 301 and response["Location"] == "/causes/too-much-caffeine/"
    assert reader.get("/causes/too-much-caffeine/").status_code == 200

    _rename(editor_client, cause, "caffeine-and-energy-drinks")  # renamed again: no chain of hops
    assert reader.get("/causes/caffeine/")["Location"] == "/causes/caffeine-and-energy-drinks/"
    assert reader.get("/causes/too-much-caffeine/")["Location"] == "/causes/caffeine-and-energy-drinks/"


def test_a_slug_renamed_by_a_plain_save_redirects_from_the_old_address(seeded, reader):
    """As a management command, a data migration or the shell would rename it: no admin involved."""
    cause = Cause.objects.get(slug="caffeine")
    cause.slug = "too-much-caffeine"
    cause.save()
    response = reader.get("/causes/caffeine/")
    assert response.status_code == 301 and response["Location"] == "/causes/too-much-caffeine/"
    remedy = Remedy.objects.get(slug="drink-water")
    remedy.slug = "drink-enough-water"
    remedy.save()
    assert reader.get("/remedies/drink-water/")["Location"] == "/remedies/drink-enough-water/"


def test_a_moved_page_of_an_unpublished_item_is_a_404(editor_client, seeded, reader):
    cause = Cause.objects.get(slug="caffeine")
    _rename(editor_client, cause, "too-much-caffeine")
    Cause.objects.filter(pk=cause.pk).update(status=Status.DRAFT)
    assert reader.get("/causes/caffeine/?x=1").status_code == 404


def test_an_old_address_taken_back_shows_the_item_again(editor_client, seeded, reader):
    cause = Cause.objects.get(slug="caffeine")
    _rename(editor_client, cause, "too-much-caffeine")
    _rename(editor_client, Cause.objects.get(slug="too-much-caffeine"), "caffeine")  # and back
    assert not MovedPage.objects.filter(old_path="/causes/caffeine/").exists()
    assert reader.get("/causes/caffeine/").status_code == 200
    assert reader.get("/causes/too-much-caffeine/")["Location"] == "/causes/caffeine/"


def _moved(old_path: str, model, object_id: int) -> None:
    """An old address written straight to the database, as a script or a bad restore could."""
    MovedPage.objects.create(
        old_path=old_path, content_type=ContentType.objects.get_for_model(model), object_id=object_id
    )


@pytest.mark.parametrize("target", ["user", "group", "a model that no longer exists", "a missing cause"])
def test_an_old_address_that_leads_to_no_page_is_a_404(seeded, reader, django_user_model, target):
    if target == "user":
        _moved("/causes/old-name/", django_user_model, django_user_model.objects.create_user("someone").pk)
    elif target == "group":
        _moved("/causes/old-name/", Group, Group.objects.create(name="Some group").pk)
    elif target == "a model that no longer exists":
        gone = ContentType.objects.create(app_label="causes", model="retiredpage")
        MovedPage.objects.create(old_path="/causes/old-name/", content_type=gone, object_id=1)
    else:
        _moved("/causes/old-name/", Cause, 999_999)
    assert reader.get("/causes/old-name/").status_code == 404


def test_an_old_address_may_lead_to_any_kind_of_page(seeded, reader):
    remedy, faq = Remedy.objects.published().first(), Faq.objects.published().first()
    _moved("/causes/old-name/", Remedy, remedy.pk)
    _moved("/remedies/old-name/", Faq, faq.pk)
    assert reader.get("/causes/old-name/")["Location"] == remedy.get_absolute_url()
    assert reader.get("/remedies/old-name/")["Location"] == faq.get_absolute_url()


def _add_moved_page(editor_client, model, object_id: int):
    content_type = ContentType.objects.get_for_model(model)
    form = {"old_path": "/causes/old-name/", "content_type": content_type.pk, "object_id": object_id}
    return editor_client.post(reverse("admin:causes_movedpage_add"), form)


def test_the_admin_refuses_an_old_address_for_anything_but_a_page(editor_client, seeded, django_user_model):
    user = django_user_model.objects.get(username="editor")
    offered = editor_client.get(reverse("admin:causes_movedpage_add")).content.decode()
    assert ">Site content | cause<" in offered and ">Authentication and Authorization | user<" not in offered
    for model, object_id in [(django_user_model, user.pk), (Group, Group.objects.create(name="Some group").pk)]:
        response = _add_moved_page(editor_client, model, object_id)
        assert response.status_code == 200
        assert "Choose a cause, remedy, FAQ or site page" in response.content.decode()
    response = _add_moved_page(editor_client, Cause, 999_999)
    assert response.status_code == 200 and "There is no cause with the ID 999999." in response.content.decode()
    assert not MovedPage.objects.exists()
    assert _add_moved_page(editor_client, Cause, Cause.objects.first().pk).status_code == 302


# --- The rules outside the admin (editorial/publishing.py) -----------------------------------


def test_the_publishing_rules_hold_for_a_command_or_the_shell_as_for_the_admin(make_cause, django_user_model):
    from editorial import publishing
    from tests.conftest import in_role

    editor = in_role(django_user_model.objects.create_user("shell-editor"), "Editors")
    reviewer = in_role(django_user_model.objects.create_user("shell-reviewer"), "Clinical reviewers")
    draft = make_cause(status=Status.DRAFT)
    assert publishing.refuse_publish(draft, editor).code == "needs_reviewer"
    assert publishing.refuse_publish(draft, reviewer) is None
    live = make_cause()
    assert publishing.refuse_withdraw(live, editor, Status.DRAFT).code == "needs_reviewer"
    assert publishing.refuse_publish_time(live, timezone.now() + datetime.timedelta(days=1)).code == "would_hide"

    live.summary = "Typed in the shell."
    assert publishing.save_edit(live, editor, change=True, save=live.save)
    assert Cause.objects.get(pk=live.pk).summary != "Typed in the shell."
    assert Change.objects.of(live).filter(state="waiting", text__summary="Typed in the shell.").exists()
