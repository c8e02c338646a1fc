"""The symptom questionnaire as a reader uses it: red flags first, results, privacy, bad input."""

import io
import re
import tomllib
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.html import escape

from causes.models import Cause
from core.cache import content_version
from editorial.lifecycle import Status
from questionnaire import selectors
from questionnaire.models import Option, OptionWeight, Question, Release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

URL = "/check-your-symptoms/"
ALL_QUESTIONS = "/check-your-symptoms/all/"  # the one-page form, which posts to URL
SEED = tomllib.loads((Path(__file__).resolve().parents[2] / "questionnaire/seed/questionnaire.toml").read_text())
RED_FLAGS = [o for q in SEED["questions"] if q["red_flag"] for o in q["options"] if o["urgency"]]


def oid(key: str, label_start: str) -> str:
    return str(Option.objects.get(question__key=key, label__startswith=label_start).id)


def none_of_these() -> dict:
    return {"red-flags": [oid("red-flags", "None of these")]}


def _html(response) -> str:
    return response.content.decode()


def _main(response) -> str:
    html = _html(response)
    return html[html.index("<main") : html.index("</main>")]


def test_questionnaire_is_linked_from_every_page(client):
    for path in ["/", "/causes/", "/causes/caffeine/", "/remedies/", "/faq/", "/about/", "/privacy/", "/nope/"]:
        assert f'href="{URL}"' in _html(client.get(path)), path


def test_one_page_form_asks_red_flags_first_each_question_in_a_fieldset_with_help(client):
    response = client.get(ALL_QUESTIONS)
    assert response.status_code == 200
    html = _main(response)
    legends = re.findall(r"<legend[^>]*>\s*([^<]+?)\s*<", html)
    assert legends[0] == "Do you need help now?"
    assert len(legends) == Question.objects.published().count() == html.count("<fieldset")
    assert html.index("First, check for warning signs") < html.index("About your twitching")
    for key in ("red-flags", "how-long"):
        assert f'<fieldset aria-describedby="id_{key}_helptext">' in html and f'id="id_{key}_helptext"' in html
        assert html.index(f'id="id_{key}_helptext"') < html.index(f'id="id_{key}_0'), "why we ask comes first"
    assert 'method="post"' in html


def test_every_question_offers_not_sure_or_none_of_these():
    for question in Question.objects.published().prefetch_related("options"):
        labels = {option.label for option in question.options.all()}
        expected = "Not sure" if question.kind == Question.Kind.SINGLE else "None of these"
        assert expected in labels, question.key


def test_every_published_cause_can_be_reached_by_some_answer():
    reachable = set(
        OptionWeight.objects.filter(weight__gt=0, option__question__status=Status.PUBLISHED).values_list(
            "cause__slug", flat=True
        )
    )
    assert set(Cause.objects.published().values_list("slug", flat=True)) <= reachable


def test_seeded_questionnaire_covers_the_asked_topics():
    text = " ".join(Option.objects.values_list("label", flat=True)).lower()
    for topic in (
        "numbness",
        "tingling",
        "weakness",
        "pain",
        "cramps",
        "urge to move",
        "cold, pale",
        "back pain",
        "thinner",
        "caffeine",
        "alcohol",
        "stress",
        "sleep",
        "exercise",
        "sweating",
        "diarrhoea",
        "diabetes",
        "pregnant",
        "vegan",
        "diuretics",
        "statin",
        "10 minutes",
        "hurt your foot",
        "a few days",
        "2 weeks",
        "months",
        "one toe",
        "spreads",
    ):
        assert topic in text, topic


def test_submitting_nothing_shows_a_linked_error_summary(client):
    response = client.post(URL, {})
    assert response.status_code == 200
    html = _html(response)
    assert "<title>Error: " in html
    summary = html[html.index('class="error-summary"') :]
    assert 'href="#id_red-flags_0"' in summary and 'id="id_red-flags_0"' in html  # the first answer: "None of these"
    assert "Tell us if you have any of these warning signs" in summary
    # Screen readers read the question's help text and its error when entering its fieldset.
    assert '<fieldset aria-describedby="id_red-flags_helptext id_red-flags_error">' in html
    assert 'id="id_red-flags_error"' in html


@pytest.mark.parametrize("flag", RED_FLAGS, ids=[f["label"][:40] for f in RED_FLAGS])
def test_each_red_flag_puts_its_call_to_action_first(client, flag):
    response = client.post(URL, {"red-flags": [oid("red-flags", flag["label"])]})
    assert response.status_code == 200
    main = _main(response)
    level = flag["urgency"]
    box = main[main.index('class="care-card care-') : main.index("Causes that may fit")]
    assert box.startswith(f'class="care-card care-{level} triage"') and 'role="alert"' in box
    assert escape(flag["advice"].split(".")[0]) in box
    assert escape(flag["label"]) in box
    prefix = "Emergency: call 999 now." if level == "emergency" else "Urgent: get help today."
    assert f"<title>{prefix}" in _html(response)
    # Nothing but the heading comes before the call to action.
    assert main.index("<h1>") < main.index(box[:40]) < main.index("Causes that may fit")


def test_red_flag_wins_even_if_none_of_these_is_also_ticked(client):
    data = {"red-flags": [oid("red-flags", "None of these"), oid("red-flags", "A foot suddenly went cold")]}
    assert "care-emergency triage" in _main(client.post(URL, data))


def test_no_symptoms_still_gives_useful_reassuring_advice(client):
    data = {**none_of_these(), "how-long": [oid("how-long", "Not sure")]}
    main = _main(client.post(URL, data))
    assert "You can probably look after this yourself" in main
    assert "do not point to anything serious" in main
    assert "did not point to one cause" in main
    assert "Things you can do now" in main and "When to get help" in main
    assert "This is not a diagnosis" in main


def test_typical_answers_show_ranked_causes_with_reasons_and_remedies(client):
    data = {
        **none_of_these(),
        "how-long": [oid("how-long", "A few days")],
        "which-toes": [oid("which-toes", "Just one toe")],
        "lifestyle": [oid("lifestyle", "Lots of caffeine"), oid("lifestyle", "Feeling stressed")],
    }
    main = _main(client.post(URL, data))
    titles = re.findall(r'<h3><a href="/causes/([\w-]+)/">', main)
    assert titles[0] == "harmless-twitches"
    assert {"caffeine", "stress-and-anxiety"} <= set(titles) and len(titles) <= 5
    first = main[main.index('<li class="match">') : main.index("</li>", main.index("Why it may fit"))]
    assert "Strong match" in first and "Why it may fit" in first and "A few days" in first
    assert 'href="/remedies/' in main


def test_nerve_symptoms_ask_for_a_doctor_and_explain_why(client):
    data = {
        **none_of_these(),
        "how-long": [oid("how-long", "Months")],
        "foot-symptoms": [oid("foot-symptoms", "Numbness"), oid("foot-symptoms", "Tingling or pins")],
        "health": [oid("health", "You have diabetes")],
    }
    main = _main(client.post(URL, data))
    assert "care-see_doctor triage" in main and "See a doctor about your twitching" in main
    assert re.findall(r'<h3><a href="/causes/([\w-]+)/">', main)[0] == "nerve-damage"
    assert "do not point to anything serious" not in main


def test_results_include_a_printable_summary_of_answers_and_questions_for_a_doctor(client):
    data = {**none_of_these(), "health": [oid("health", "You are pregnant")]}
    main = _main(client.post(URL, data))
    summary = main[main.index("Your summary to take to a doctor") :]
    assert "Do you need help now?" in summary and "None of these" in summary
    assert "You are pregnant" in summary and "Not answered" in summary
    assert "Questions you could ask your doctor" in summary


def test_results_and_a_returned_form_are_never_stored_by_browsers_or_proxies(client):
    for data in (none_of_these(), {"red-flags": ["999999"]}):
        response = client.post(URL, data)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_empty_form_is_cached_with_no_token_and_no_cookie(client, django_assert_num_queries):
    empty = client.get(URL)
    with django_assert_num_queries(0):
        again = client.get(URL)  # from the page cache
    for response in (empty, again):
        assert "csrfmiddlewaretoken" not in _html(response) and not response.cookies
        assert "public" in response["Cache-Control"]
    client.post(URL, {**none_of_these(), "how-long": [oid("how-long", "Months")]})
    assert client.get(URL).content == empty.content  # the answers changed nothing that is stored
    assert not client.cookies


def test_answers_in_the_url_are_ignored(client):
    response = client.get(URL, {"red-flags": oid("red-flags", "A foot suddenly went cold")})
    assert response.status_code == 200
    assert "care-emergency triage" not in _html(response) and "<form" in _html(response)


def _everything_stored() -> str:
    """A dump of the database and the cache, as text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    stored = out.getvalue()
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache
        stored += repr(list(backend.items()))
    else:  # Redis
        client = cache.client.get_client()
        stored += repr([(key, client.get(key)) for key in client.scan_iter("*")])
    return stored


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the schema
            counts[table] = cursor.fetchone()[0]
    return counts


def test_canary_answer_is_stored_nowhere(client, caplog):
    caplog.set_level("DEBUG")
    canary = f"canary-{uuid.uuid4()}"
    before = _row_counts()
    data = {
        "red-flags": [oid("red-flags", "None of these")],
        "foot-symptoms": [oid("foot-symptoms", "Pain, swelling, warmth")],
        "how-long": [canary],  # an answer nobody offered
        "health": [oid("health", "You are pregnant")],
        canary: canary,  # a field nobody asked for
    }
    bad = client.post(URL, data)
    good = client.post(URL, {**data, "how-long": [oid("how-long", "Up to 2 weeks")]})
    assert bad.status_code == 200 and good.status_code == 200
    assert "care-urgent triage" in _html(good)

    assert canary not in _html(bad) and canary not in _html(good)
    assert canary not in _everything_stored()
    assert canary not in caplog.text and "pregnant" not in caplog.text.lower()
    assert _row_counts() == before  # nothing was written anywhere
    assert not client.cookies  # no session, no token cookie
    assert "sessionid" not in good.cookies


def test_bad_answers_get_the_form_back_with_a_clear_message(client):
    red_flag_id = oid("red-flags", "A foot suddenly went cold")
    cases = [
        {"red-flags": ["999999"]},
        {"red-flags": ["abc"]},
        {"red-flags": ["-1"]},
        {"red-flags": ["9" * 100]},
        {"red-flags": [""]},
        {**none_of_these(), "how-long": [red_flag_id]},  # an option from another question
        {**none_of_these(), "lifestyle": ["<script>alert(1)</script>"]},
        {**none_of_these(), "how-long": ["\x00"]},
    ]
    for data in cases:
        response = client.post(URL, data)
        assert response.status_code == 200, data
        html = _html(response)
        assert "There is a problem" in html, data
        assert "<script>alert(1)</script>" not in html


def test_two_answers_to_a_one_answer_question_are_refused(client):
    data = {**none_of_these(), "how-long": [oid("how-long", "A few days"), oid("how-long", "Months")]}
    html = _html(client.post(URL, data))
    assert "Choose only one answer." in html


def test_unknown_fields_are_ignored(client):
    response = client.post(URL, {**none_of_these(), "admin": "1", "is_staff": "true", "x" * 300: "y"})
    assert response.status_code == 200 and "Your results" in _html(response)


def test_thousands_of_fields_get_a_400_not_a_500(client):
    data = {f"field{i}": "1" for i in range(3000)}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Sorry, we could not read that" in _html(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site too
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # the browser's word wins
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {},  # says nothing of where it comes from: every browser would, so it may be a forged request
    ],
)
def test_answers_sent_from_another_site_get_a_friendly_403_and_no_results(headers, caplog):
    response = Client(enforce_csrf_checks=True, headers=headers).post(URL, none_of_these())
    assert response.status_code == 403
    assert "Please send your answers again" in _html(response) and "Your results" not in _html(response)
    assert "None of these" not in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "none"},  # typed or bookmarked by the reader
        {"Origin": "http://testserver"},  # an older browser: Origin only
    ],
)
def test_answers_from_our_own_form_need_no_token(headers):
    response = Client(enforce_csrf_checks=True, headers=headers).post(URL, none_of_these())
    assert response.status_code == 200 and "Your results" in _html(response)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client, method):
    assert getattr(client, method)(URL).status_code == 405


def _release() -> None:
    """Approve what is saved, as a clinical reviewer does: readers get the questionnaire as its latest release."""
    Release.objects.create(snapshot=selectors.snapshot())


def test_questionnaire_with_no_published_questions_still_helps(client):
    Question.objects.update(status=Status.DRAFT)
    _release()
    response = client.get(URL)
    assert response.status_code == 200
    assert "not available right now" in _html(response) and "When to get help" in _html(response)


def test_draft_questions_and_their_options_are_not_asked_or_scored(client):
    Question.objects.filter(key="lifestyle").update(status=Status.DRAFT)
    _release()
    assert "Lots of caffeine" not in _html(client.get(ALL_QUESTIONS))
    data = {**none_of_these(), "lifestyle": [oid("lifestyle", "Lots of caffeine")]}
    html = _html(client.post(URL, data))
    assert "/causes/caffeine/" not in html.split("Causes that may fit")[1].split("Things you can do now")[0]


def test_results_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    few = none_of_these()
    many = {
        **few,
        **{
            q.key: [str(o.id) for o in q.options.all() if "None" not in o.label and "Not sure" not in o.label][
                : 1 if q.kind == "single" else None
            ]
            for q in Question.objects.filter(red_flag=False).prefetch_related("options")
        },
    }
    content_version()  # started once per cache lifetime, not per request
    for data in (few, many):
        with django_assert_max_num_queries(4):
            assert client.post(URL, data).status_code == 200


def test_a_warm_results_page_reads_only_published_data_from_the_cache(client, django_assert_num_queries):
    data = {**none_of_these(), "lifestyle": [oid("lifestyle", "Lots of caffeine")]}
    client.post(URL, data)
    with django_assert_num_queries(0):  # the questions, weights and signs are cached; the answers never are
        assert "Too much caffeine" in _html(client.post(URL, data))


def test_an_editors_change_to_a_weight_changes_the_next_result(client):
    data = {**none_of_these(), "lifestyle": [oid("lifestyle", "Lots of caffeine")]}
    assert "/causes/caffeine/" in _main(client.post(URL, data))
    for weight in OptionWeight.objects.filter(cause__slug="caffeine"):
        weight.delete()
    assert "/causes/caffeine/" in _main(client.post(URL, data))  # saved, not yet approved
    _release()
    assert "/causes/caffeine/" not in _main(client.post(URL, data)).split("Things you can do now")[0]
