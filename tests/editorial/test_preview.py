"""Editors' previews: the saved item on its public page whatever its status, and the typed text with its reading
level before a save, which saves nothing."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import NoReverseMatch, reverse

from causes.models import Cause, Source, WarningSign
from core.cache import PageCacheMiddleware
from editorial import readability
from editorial.lifecycle import Status
from editorial.models import Change
from tests.conftest import SIGN_ROWS, cause_admin_form, sign_in_with_both_factors

pytestmark = pytest.mark.django_db

BANNER = '<section class="preview-banner" aria-labelledby="preview-banner-text">'
NOINDEX = '<meta name="robots" content="noindex">'


def _preview_url(item) -> str:
    return reverse(f"admin:causes_{item._meta.model_name}_preview", args=[item.pk])


def _change_url(item) -> str:
    return reverse(f"admin:causes_{item._meta.model_name}_change", args=[item.pk])


def _text(response) -> str:
    return response.content.decode()


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def staff(client, django_user_model):
    """A client signed in (both factors) as staff with no permissions; add them with `staff.user.user_permissions`."""
    user = django_user_model.objects.create_user("staff", "staff@example.org", "a-long-test-password", is_staff=True)
    sign_in_with_both_factors(client, user)
    client.user = user
    return client


def test_a_draft_cause_is_shown_on_its_public_page_with_a_draft_banner(editor_client, make_cause):
    cause = make_cause(status=Status.DRAFT, body="Only editors can read this draft body.")
    response = editor_client.get(_preview_url(cause))
    html = _text(response)
    assert response.status_code == 200
    assert "causes/cause_detail.html" in [template.name for template in response.templates]
    assert "Only editors can read this draft body." in html and f"<h1>{cause.title}</h1>" in html
    assert BANNER in html and "<strong>Draft preview:</strong> readers cannot see this page yet." in html
    assert html.index(BANNER) < html.index('<header class="site-header">')
    assert f'<a href="{_change_url(cause)}">Back to editing</a>' in html
    assert NOINDEX in html


@pytest.mark.parametrize("factory", ["make_cause", "make_remedy"])
def test_a_published_item_is_previewed_exactly_as_readers_see_it(editor_client, request, factory):
    item = request.getfixturevalue(factory)()
    public = _text(Client().get(item.get_absolute_url()))
    html = _text(editor_client.get(_preview_url(item)))
    assert "<strong>Preview:</strong> this is how readers see this page." in html
    assert _main(html) == _main(public)


def test_a_draft_faq_is_previewed_on_the_faq_page_among_the_published_ones(editor_client, make_faq):
    published, draft = make_faq(question="Is it serious?"), make_faq(question="A draft question?", status=Status.DRAFT)
    html = _text(editor_client.get(_preview_url(draft)))
    assert published.question in html and f'<h2 id="{draft.slug}">A draft question?</h2>' in html
    assert "readers cannot see this question yet" in html and f'<a href="#{draft.slug}">Go to this question</a>' in html
    assert "A draft question?" not in _text(Client().get(reverse("causes:faq")))


@pytest.mark.parametrize("factory", ["make_cause", "make_remedy"])
def test_the_public_address_of_a_previewed_draft_is_still_404(editor_client, request, factory):
    item = request.getfixturevalue(factory)(status=Status.DRAFT)
    assert editor_client.get(_preview_url(item)).status_code == 200
    assert Client().get(item.get_absolute_url()).status_code == 404


def test_a_preview_is_never_stored_by_a_browser_a_proxy_or_the_page_cache(editor_client, make_cause):
    response = editor_client.get(_preview_url(make_cause(status=Status.DRAFT)))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control and "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert not getattr(response, "public_page", False) and not PageCacheMiddleware._storable(response)


def test_previewing_drafts_leaks_nothing_to_readers(editor_client, make_cause, make_faq):
    cause = make_cause(status=Status.DRAFT, title="Secret draft cause")
    faq = make_faq(status=Status.DRAFT, question="Secret draft question?")
    for item in (cause, faq):
        assert editor_client.get(_preview_url(item)).status_code == 200
    reader = Client()
    for _ in range(2):  # the second visit comes from the page cache
        assert "Secret draft cause" not in _text(reader.get(reverse("causes:cause-list")))
        assert "Secret draft question?" not in _text(reader.get(reverse("causes:faq")))


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, make_cause):
    response = client.get(_preview_url(make_cause(status=Status.DRAFT)))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_reader_who_is_not_staff_is_sent_to_the_admin_login(client, django_user_model, make_cause):
    sign_in_with_both_factors(client, django_user_model.objects.create_user("reader", password="a-long-password-1"))
    response = client.get(_preview_url(make_cause(status=Status.DRAFT)))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_staff_without_view_permission_get_403(staff, make_cause):
    response = staff.get(_preview_url(make_cause(status=Status.DRAFT, body="Draft body.")))
    assert response.status_code == 403 and "Draft body." not in _text(response)


def test_staff_with_view_permission_see_the_preview_and_its_link_but_no_text_preview_button(staff, make_cause):
    staff.user.user_permissions.add(Permission.objects.get(codename="view_cause"))
    cause = make_cause(status=Status.DRAFT, body="Draft body.")
    html = _text(staff.get(_preview_url(cause)))
    assert BANNER in html and "Draft body." in html
    form = _text(staff.get(_change_url(cause)))
    assert f'href="{_preview_url(cause)}"' in form and 'name="_preview"' not in form


@pytest.mark.parametrize("bad_id", ["999999", "abc", "99999999999999999999999999999", "-1", "1.5", "%00", "1%2F2"])
def test_an_unknown_or_hostile_id_gets_the_admins_not_found_answer(editor_client, make_cause, bad_id):
    make_cause()
    response = editor_client.get(f"/admin/causes/cause/{bad_id}/preview/")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("factory", ["make_cause", "make_remedy", "make_faq"])
def test_the_change_form_links_to_the_preview_and_has_the_text_preview_button(editor_client, request, factory):
    item = request.getfixturevalue(factory)()
    html = _text(editor_client.get(_change_url(item)))
    assert f'<li><a href="{_preview_url(item)}">Preview</a></li>' in html
    assert '<input type="submit" value="Preview text and reading level" name="_preview"' in html


def test_models_without_a_public_page_have_no_preview_and_only_those_with_reader_text_a_reading_check(
    editor_client, seeded
):
    from questionnaire.models import Question

    with pytest.raises(NoReverseMatch):
        reverse("admin:questionnaire_question_preview", args=[1])
    with pytest.raises(NoReverseMatch):
        reverse("admin:causes_source_preview", args=[1])
    question = Question.objects.first()
    html = _text(editor_client.get(reverse("admin:questionnaire_question_change", args=[question.pk])))
    assert "/preview/" not in html
    assert 'name="_preview"' in html  # its text is read by readers: the reading check (issue 29)
    source = Source.objects.first()
    html = _text(editor_client.get(reverse("admin:causes_source_change", args=[source.pk])))
    assert 'name="_preview"' not in html and "/preview/" not in html  # the publisher's own words: no check


def test_the_text_preview_saves_nothing_and_shows_the_typed_text_again(editor_client, make_cause):
    cause = make_cause(body="The saved body.")
    sign = WarningSign.objects.create(
        key="cold-foot", text="your foot goes cold", level="emergency", status="published"
    )
    before = (LogEntry.objects.count(), cause.history.count(), Cause.objects.get(pk=cause.pk).updated)
    data = cause_admin_form(
        cause,
        title="A typed title",
        body="A typed body that is not saved.",
        _preview="1",
        **{f"{SIGN_ROWS}TOTAL_FORMS": "1", f"{SIGN_ROWS}0-warningsign": str(sign.pk)},
    )
    response = editor_client.post(_change_url(cause), data)
    html = _text(response)
    assert response.status_code == 200 and "Please correct" not in html
    assert 'value="A typed title"' in html and ">\nA typed body that is not saved.</textarea>" in html
    assert f'<option value="{sign.pk}" selected>' in html  # the inline row typed is kept too
    assert '<h2 id="text-preview-heading">Preview of your text</h2>' in html
    assert "<p>A typed body that is not saved.</p>" in html  # rendered as readers will see it
    saved = Cause.objects.get(pk=cause.pk)
    assert (saved.title, saved.body) == (cause.title, "The saved body.") and not saved.warning_signs.exists()
    assert (LogEntry.objects.count(), cause.history.count(), saved.updated) == before


def test_the_text_preview_on_the_add_form_creates_nothing(editor_client):
    data = {"title": "New cause", "slug": "new-cause", "category": "nerves", "body": "A new body.", "_preview": "1"}
    data.update(status="draft", urgency="see_doctor", last_reviewed="2026-11-21", next_review_due="2027-11-21")
    data.update({f"{SIGN_ROWS}TOTAL_FORMS": "0", f"{SIGN_ROWS}INITIAL_FORMS": "0"})
    response = editor_client.post(reverse("admin:causes_cause_add"), data)
    assert response.status_code == 200 and "<p>A new body.</p>" in _text(response)
    assert not Cause.objects.exists() and not LogEntry.objects.exists()


def test_an_invalid_form_shows_its_errors_with_the_text_preview_and_saves_nothing(editor_client, make_cause):
    cause = make_cause()
    data = cause_admin_form(cause, slug="has spaces", body="A typed body.", _preview="1")
    html = _text(editor_client.post(_change_url(cause), data))
    assert "Please correct the error below." in html and "<p>A typed body.</p>" in html
    assert Cause.objects.get(pk=cause.pk).slug == cause.slug


def _preview_text(client, item, **fields) -> str:
    return _text(client.post(_change_url(item), cause_admin_form(item, _preview="1", **fields)))


def test_easy_text_is_shown_as_meeting_the_reading_level(editor_client, make_cause):
    body = "The cat sat on the mat. It was warm. The dog ran to the cat."
    html = _preview_text(editor_client, make_cause(), body=body)
    grade = floatformat(readability.report(body).grade, 1)
    assert f"Reading level: grade {grade}. Good: the target is grade 6 or lower (reading age 9 to 11)." in html


def test_hard_text_is_shown_as_over_the_reading_level(editor_client, make_cause):
    hard = "Peripheral neuropathy frequently manifests as involuntary fasciculations accompanied by paraesthesia."
    html = _preview_text(editor_client, make_cause(), self_care=hard)
    grade = floatformat(readability.report(hard).grade, 1)
    assert f"Reading level: grade {grade}. This is too hard: the target is grade 6 or lower" in html
    assert '<h3 id="text-preview-self_care">What you can do</h3>' in html


def test_the_longest_sentences_are_highlighted_and_those_over_20_words_called_too_long(editor_client, make_cause):
    long = " ".join(["word"] * 23) + "."
    html = _preview_text(editor_client, make_cause(), body=f"A short one here. {long}")
    assert f"<mark>{long}</mark> (23 words: too long. Aim for 20 words or fewer)" in html
    assert "<mark>A short one here.</mark> (4 words)" in html


def test_a_remedy_and_an_faq_preview_their_own_markdown_fields(editor_client, make_remedy, make_faq):
    remedy = make_remedy()
    data = {
        "title": remedy.title,
        "slug": remedy.slug,
        "summary": "A remedy summary.",
        "body": "A remedy body.",
        "caution": "A caution.",
        "status": "draft",
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-11-21",
        "Cause_remedies-TOTAL_FORMS": "0",
        "Cause_remedies-INITIAL_FORMS": "0",
        "_preview": "1",
    }
    html = _text(editor_client.post(_change_url(remedy), data))
    for name in ("summary", "body", "caution"):
        assert f'id="text-preview-{name}"' in html
    faq = make_faq()
    data = {"question": faq.question, "slug": faq.slug, "answer": "An answer.", "order": "1", "status": "draft"}
    data.update(last_reviewed="2026-11-21", next_review_due="2027-11-21", _preview="1")
    html = _text(editor_client.post(_change_url(faq), data))
    assert 'id="text-preview-answer"' in html and "<p>An answer.</p>" in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
        "Before\x00after.",
        "x " * 50_000,
        "x" * 100_000,
        "**" * 1000 + "[" * 1000 + "<" * 1000,
    ],
)
def test_hostile_text_in_the_preview_is_never_a_500_and_never_runs(editor_client, make_cause, body):
    cause = make_cause()
    response = editor_client.post(_change_url(cause), cause_admin_form(cause, body=body, _preview="1"))
    html = _text(response)
    assert response.status_code == 200
    assert "<script>alert(1)" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert Cause.objects.get(pk=cause.pk).body == cause.body


def _wait(client, cause, **changes):
    """Save a change to a live cause through the admin, as an editor does; it waits for review."""
    client.post(_change_url(cause), cause_admin_form(cause, **changes))
    return Change.objects.of(cause).get(state="waiting")


def test_a_waiting_change_is_previewed_on_the_page_with_a_banner_naming_its_author(editor_client, make_cause):
    cause = make_cause(body="The live body.")
    revision = _wait(editor_client, cause, body="The waiting body.")
    response = editor_client.get(f"{_preview_url(cause)}?change={revision.pk}")
    html = _text(response)
    assert response.status_code == 200
    assert "The waiting body." in _main(html) and "The live body." not in _main(html)
    assert "<strong>Waiting change by editor:</strong>" in html and "It is not live" in html
    assert f'<a href="{cause.get_absolute_url()}">See the live page</a>' in html
    assert NOINDEX in html
    assert "The live body." in _text(Client().get(cause.get_absolute_url()))  # readers still get the live text
    assert "The waiting body." in _text(editor_client.get(_change_url(cause)))  # the author's form has it


def test_a_waiting_change_to_an_faq_is_previewed_among_the_others(editor_client, make_faq):
    faq, other = make_faq(answer="Live answer."), make_faq(answer="Another answer.")
    data = {"question": faq.question, "slug": faq.slug, "answer": "Waiting answer.", "order": faq.order}
    data.update(status="published", last_reviewed="2026-11-21", next_review_due="2027-11-21")
    data["sources"] = [source.pk for source in faq.sources.all()]
    editor_client.post(_change_url(faq), data)
    revision = Change.objects.of(faq).get(state="waiting")
    html = _text(editor_client.get(f"{_preview_url(faq)}?change={revision.pk}"))
    assert "Waiting answer." in html and "Live answer." not in html and "Another answer." in html
    assert other.question in html


def test_the_review_page_and_the_authors_form_link_to_the_preview_of_the_change(editor_client, make_cause):
    cause = make_cause()
    revision = _wait(editor_client, cause, summary="Waiting words.")
    link = f"{_preview_url(cause)}?change={revision.pk}"
    review_url = reverse("admin:causes_cause_review", args=[cause.pk, revision.pk])
    assert f'<a href="{link}">Preview the page with this change</a>' in _text(editor_client.get(review_url))
    assert f'<a href="{link}">Preview the page with your change</a>' in _text(editor_client.get(_change_url(cause)))


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("", 404),
        ("abc", 404),
        ("-1", 404),
        ("1.5", 404),
        ("0x10", 404),
        ("１２", 404),
        ("%00", 404),
        ("1 OR 1=1", 404),
        ("999999", 404),
        ("9" * 18, 404),
        ("9" * 26, 400),  # the admin's input guard (toesite/middleware.py) says the number is too large
        ("1\x00", 400),
    ],
)
def test_a_hostile_or_unknown_change_gets_a_clear_answer_never_a_500(editor_client, make_cause, value, status):
    cause = make_cause()
    _wait(editor_client, cause, summary="Waiting words.")
    assert editor_client.get(_preview_url(cause), {"change": value}).status_code == status


def test_a_change_to_another_item_or_one_no_longer_waiting_gets_404(editor_client, make_cause):
    cause, other = make_cause(), make_cause()
    elsewhere = _wait(editor_client, other, summary="Another page's change.")
    assert editor_client.get(f"{_preview_url(cause)}?change={elsewhere.pk}").status_code == 404
    saved = cause.history.first()  # a saved version, not a waiting change
    assert editor_client.get(f"{_preview_url(cause)}?change={saved.history_id}").status_code == 404
    elsewhere.state = "discarded"
    elsewhere.save()
    assert editor_client.get(f"{_preview_url(other)}?change={elsewhere.pk}").status_code == 404
