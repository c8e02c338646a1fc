"""Reader feedback: "Was this page helpful?" on articles, stored anonymously, never costing the page cache."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from causes.models import Cause, Remedy
from editorial.lifecycle import Status
from feedback.models import Feedback, PostCount
from questionnaire.models import Option
from tests.conftest import browser_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

ARTICLE = "/causes/caffeine/"
SEND = "/feedback/"


@pytest.fixture
def reader():
    """An anonymous reader, apart from `editor_client` (which logs the `client` fixture in)."""
    return browser_client()


def _send(reader, remote_addr="127.0.0.1", **data):
    return reader.post(SEND, {"page": ARTICLE, "helpful": "yes", **data}, REMOTE_ADDR=remote_addr)


def _remedy_path() -> str:
    return Remedy.objects.published().first().get_absolute_url()


@pytest.mark.parametrize(
    ("helpful", "comment"), [("yes", ""), ("no", "Nothing about night-time twitching."), ("no", "")]
)
def test_an_answer_and_comment_are_stored_and_the_reader_thanked(reader, helpful, comment):
    response = _send(reader, helpful=helpful, comment=comment)
    assert response.status_code == 303
    assert response["Location"].startswith("/feedback/thanks/")
    stored = Feedback.objects.get()
    assert (stored.page, stored.helpful, stored.comment, stored.handled) == (ARTICLE, helpful == "yes", comment, False)
    assert "Thank you" in reader.get(response["Location"]).content.decode()


def test_nothing_that_identifies_the_reader_is_stored(reader):
    reader.post(SEND, {"page": ARTICLE, "helpful": "yes", "comment": "ok"}, HTTP_USER_AGENT="Reader-Browser/1.0")
    fields = {field.name for field in Feedback._meta.fields}
    assert fields == {"id", "page", "helpful", "comment", "created", "handled"}
    assert "127.0.0.1" not in str(Feedback.objects.values().get())


@pytest.mark.parametrize("path", [ARTICLE, "remedy", "/faq/"])
def test_the_form_is_at_the_foot_of_articles_and_the_faq_page(reader, path):
    path = _remedy_path() if path == "remedy" else path
    html = reader.get(path).content.decode()
    form = html[html.index('action="/feedback/"') :]
    assert "<legend>Was this page helpful?</legend>" in form
    assert f'name="page" value="{path}"' in form
    assert 'value="yes"' in form and 'value="no"' in form
    assert "What was missing? (optional)" in form
    assert "Do not include your name, contact details or health details." in form
    assert 'maxlength="500"' in form
    assert "csrfmiddlewaretoken" not in html


def test_the_form_posts_back_to_the_page_it_is_on(reader):
    html = reader.get("/faq/").content.decode()
    assert reader.post(SEND, {"page": "/faq/", "helpful": "no"}).status_code == 303
    assert Feedback.objects.get().page == "/faq/" and 'name="page" value="/faq/"' in html


def test_an_article_with_the_form_is_still_cached_and_sets_no_cookie(reader, django_assert_num_queries):
    first = reader.get(ARTICLE)
    with django_assert_num_queries(0):
        second = reader.get(ARTICLE)
    assert second.content == first.content and "Was this page helpful?" in second.content.decode()
    assert not first.cookies and not second.cookies and not reader.cookies
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_sending_feedback_leaves_the_cached_page_cached(reader, django_assert_num_queries):
    reader.get(ARTICLE)
    assert _send(reader, comment="More on coffee, please.").status_code == 303
    with django_assert_num_queries(0):
        assert reader.get(ARTICLE).status_code == 200


def test_the_post_and_the_thank_you_page_set_no_cookie(reader):
    response = _send(reader, comment="Fine")
    thanks = reader.get(response["Location"])
    assert thanks.status_code == 200
    assert not response.cookies and not thanks.cookies and not reader.cookies


def test_the_thank_you_page_links_back_only_to_a_page_that_takes_feedback(reader):
    assert f'href="{ARTICLE}"' in reader.get("/feedback/thanks/", {"page": ARTICLE}).content.decode()
    for hostile in ["https://evil.example/", "//evil.example/", "javascript:alert(1)", '/causes/"><script>', "/admin/"]:
        html = reader.get("/feedback/thanks/", {"page": hostile}).content.decode()
        assert 'href="/">Go to the home page' in html and "evil.example" not in html and "<script>" not in html


def test_a_comment_over_500_characters_is_refused_with_the_text_kept(reader):
    text = "Too long, " + "x" * 491
    response = _send(reader, comment=text)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please keep it to 500 characters or fewer (you wrote 501)." in html
    assert f">{text}</textarea>" in html
    assert 'name="helpful" value="yes" id="feedback-yes" required checked' in html
    assert not Feedback.objects.exists()


def test_a_500_character_comment_with_line_breaks_fits(reader):
    text = "\r\n".join(["a" * 99] * 5) + "a"  # 500 characters as the browser counts them, 504 as sent
    assert _send(reader, comment=text).status_code == 303
    assert len(Feedback.objects.get().comment) == 500


def test_no_answer_is_asked_for_again(reader):
    response = reader.post(SEND, {"page": ARTICLE, "comment": "Keep me"})
    assert response.status_code == 400 and "Choose Yes or No." in response.content.decode()
    assert ">Keep me</textarea>" in response.content.decode() and not Feedback.objects.exists()


HOSTILE_COMMENTS = ["<script>alert(1)</script>", "a\x00b", "x" * 10_000, "Zehen zucken 😬 — ✓ 中文 ‮evil", "\x00" * 600]


@pytest.mark.parametrize("comment", HOSTILE_COMMENTS)
def test_hostile_comments_never_cause_an_error(reader, comment):
    response = _send(reader, comment=comment)
    assert response.status_code in (303, 400)
    html = response.content.decode()
    assert "<script>alert" not in html and "\x00" not in html
    if response.status_code == 303:
        assert "\x00" not in Feedback.objects.get().comment


def test_stored_comments_are_shown_escaped_in_the_admin(reader, editor_client):
    _send(reader, comment="<script>alert('x')</script><b>bold</b>")
    feedback = Feedback.objects.get()
    changelist = reverse("admin:feedback_feedback_changelist")
    for url in (changelist, reverse("admin:feedback_feedback_change", args=[feedback.pk])):
        html = editor_client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize(
    "page",
    [
        "/causes/no-such-cause/",
        "draft",
        "/causes/",
        "/",
        "/privacy/",
        "/check-your-symptoms/",
        "/admin/",
        "/faq/#x",
        "/causes/caffeine",
        "https://evil.example/",
        "//evil.example/causes/caffeine/",
        '/causes/"><script>alert(1)</script>/',
        "/causes/caffeine/\x00",
        "/" + "a" * 5000,
        "",
    ],
)
def test_feedback_on_anything_but_a_published_article_or_the_faq_is_refused(reader, page):
    if page == "draft":
        Cause.objects.filter(slug="caffeine").update(status=Status.DRAFT)
        page = ARTICLE
    response = reader.post(SEND, {"page": page, "helpful": "yes", "comment": "hi"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We only take feedback on our cause, remedy and question pages." in html and "<script>alert" not in html
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://evil.example"}, {}],
)
def test_a_post_from_another_website_or_from_nowhere_is_refused(headers):
    response = Client(headers=headers).post(SEND, {"page": ARTICLE, "helpful": "no", "comment": "forged"})
    assert response.status_code == 403 and not Feedback.objects.exists()
    assert "Please send your answers again" in response.content.decode()


def test_a_post_from_this_site_is_accepted():
    client = Client(headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"})
    assert client.post(SEND, {"page": ARTICLE, "helpful": "yes"}).status_code == 303


def test_the_eleventh_post_in_an_hour_from_one_address_is_refused(reader):
    for _ in range(10):
        assert _send(reader).status_code == 303
    response = _send(reader, comment="spam")
    assert response.status_code == 429 and "Too much feedback" in response.content.decode()
    assert Feedback.objects.count() == 10 and not Feedback.objects.filter(comment="spam").exists()
    assert _send(reader, remote_addr="192.0.2.7").status_code == 303


def _worker(settings, n: int) -> None:
    """Serve the next request as gunicorn worker `n` would: with its own in-process cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"w{n}"}}


def test_the_hourly_limit_is_shared_by_every_worker(reader, settings):
    for n in range(10):
        _worker(settings, n % 3)
        assert _send(reader).status_code == 303
    _worker(settings, 10 % 3)
    assert _send(reader, comment="spam").status_code == 429
    assert Feedback.objects.count() == 10


def test_the_hourly_limit_holds_when_the_cache_keeps_nothing(reader, settings):
    # What Redis does when it is down (django-redis ignores its errors): nothing is kept, nothing fails.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(10):
        assert _send(reader).status_code == 303
    assert _send(reader, comment="spam").status_code == 429
    assert Feedback.objects.count() == 10


def test_a_post_is_refused_when_the_count_cannot_be_kept(reader):
    def counter_down(execute, sql, params, many, context):
        if PostCount._meta.db_table in sql:
            raise OperationalError("could not connect to server")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter_down):
        response = _send(reader, comment="sent while the counter is down")
    html = response.content.decode()
    assert response.status_code == 503 and "Please try again in a few minutes." in html
    assert "Too much feedback" not in html and not Feedback.objects.exists()


def test_counts_keep_no_address_and_last_only_the_hour(reader):
    _send(reader, remote_addr="192.0.2.55")
    assert "192.0.2.55" not in str(list(PostCount.objects.values()))
    PostCount.objects.update(hour=timezone.now() - datetime.timedelta(hours=2))
    assert _send(reader, remote_addr="192.0.2.56").status_code == 303
    assert PostCount.objects.count() == 1  # the old hour's count is gone


def test_the_endpoint_answers_only_posts(reader):
    assert reader.get(SEND).status_code == 405
    assert reader.put(SEND).status_code == 405


def test_the_questionnaire_results_ask_for_no_feedback(reader):
    none = Option.objects.get(question__key="red-flags", label__startswith="None of these")
    response = reader.post("/check-your-symptoms/", {"red-flags": [str(none.id)]})
    assert response.status_code == 200
    assert "Was this page helpful?" not in response.content.decode() and "/feedback/" not in response.content.decode()


def test_the_privacy_page_says_feedback_is_anonymous(reader):
    assert "without anything that identifies you" in reader.get("/privacy/").content.decode()


@pytest.fixture
def some_feedback(db):
    return [
        Feedback.objects.create(page=ARTICLE, helpful=True, comment="Clear, thanks"),
        Feedback.objects.create(page=ARTICLE, helpful=False, comment="Nothing on night cramps"),
        Feedback.objects.create(page="/faq/", helpful=False, comment="Newest comment"),
    ]


def test_editors_see_feedback_newest_first_with_counts_per_page(editor_client, some_feedback):
    html = editor_client.get(reverse("admin:feedback_feedback_changelist")).content.decode()
    assert html.index("Newest comment") < html.index("Nothing on night cramps") < html.index("Clear, thanks")
    assert f"<tr><td>{ARTICLE}</td><td>1</td><td>1</td></tr>" in html
    assert "<tr><td>/faq/</td><td>0</td><td>1</td></tr>" in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"helpful__exact": "0"}, {"Nothing on night cramps", "Newest comment"}),
        ({"handled__exact": "0"}, {"Clear, thanks", "Nothing on night cramps", "Newest comment"}),
        ({"page": "/faq/"}, {"Newest comment"}),
        ({"q": "cramps"}, {"Nothing on night cramps"}),
    ],
)
def test_editors_can_filter_feedback(editor_client, some_feedback, query, shown):
    response = editor_client.get(reverse("admin:feedback_feedback_changelist"), query)
    assert response.status_code == 200
    assert {item.comment for item in response.context["cl"].result_list} == shown


def test_editors_can_mark_comments_handled_in_bulk(editor_client, some_feedback):
    first, second, third = some_feedback
    response = editor_client.post(
        reverse("admin:feedback_feedback_changelist"),
        {"action": "mark_handled", "_selected_action": [first.pk, third.pk]},
    )
    assert response.status_code == 302
    assert set(Feedback.objects.filter(handled=True)) == {first, third}


def test_an_editor_can_mark_one_handled_but_not_change_what_the_reader_wrote(editor_client, some_feedback):
    item = some_feedback[0]
    url = reverse("admin:feedback_feedback_change", args=[item.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"handled": "on", "comment": "rewritten", "helpful": "", "page": "/x/"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.handled and item.comment == "Clear, thanks" and item.helpful and item.page == ARTICLE


def test_editors_cannot_add_feedback_by_hand(editor_client):
    assert editor_client.get(reverse("admin:feedback_feedback_add")).status_code == 403


def test_hostile_admin_searches_and_selections_do_not_break(editor_client, some_feedback):
    url = reverse("admin:feedback_feedback_changelist")
    for query in ["<script>", "%", "\x00", "a" * 5000, "💥"]:
        assert editor_client.get(url, {"q": query}).status_code == 200
    response = editor_client.post(url, {"action": "mark_handled", "_selected_action": ["9" * 30]})
    assert response.status_code == 302 and not Feedback.objects.filter(handled=True).exists()
