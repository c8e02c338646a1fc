"""The questionnaire one question a page: progress, Back, check your answers, early exit, bad input, privacy."""

import html as html_lib
import re
import uuid
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from questionnaire import selectors
from questionnaire.models import Option, Question, Release
from questionnaire.views import BAD_STEP, NOT_SEEN, NOT_SEEN_RED_FLAG
from tests.questionnaire.test_views import _row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

URL = "/check-your-symptoms/"
NOT_RECOGNISED = "We did not recognise that answer. Please choose from the list."
RED_FLAG_REQUIRED = "Tell us if you have any of these warning signs"
COLD_FOOT = "A foot suddenly went cold, pale or numb"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _h1(response) -> str:
    return html_lib.unescape(re.search(r"<h1>(.*?)</h1>", _main(response), re.S).group(1).strip())


def _questions() -> list[Question]:
    """The questions asked of a reader whose answers open no follow-up question."""
    return [question for question, _ in selectors.published_questions() if question.asked_if is None]


def submit(client, response, *labels: str, button: str = "Continue", untick: bool = False):
    """Press a button on a page as a browser does: the form's hidden fields, its ticked boxes, the button.

    `labels` are answers to tick (a radio replaces its group's choice); with `untick`, every box the
    page had ticked is cleared first.
    """
    main = _main(response)
    form = next(f for f in re.findall(r"<form .*?</form>", main, re.S) if re.search(rf">\s*{re.escape(button)}\b", f))
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        data.setdefault(name, []).append(value)
    inputs = re.findall(r'<input type="(checkbox|radio)"[^>]*name="([^"]+)" value="(\d+)"([^>]*)>', form)
    ticked = {(name, value) for _, name, value, rest in inputs if " checked" in rest and not untick}
    for label in labels:
        found = re.search(rf'id="([^"]+)">\s*<label for="\1" class="form-check-label">\s*{re.escape(label)}\s*<', form)
        assert found, f"no answer {label!r} on this page"
        kind, name, value, _ = next(i for i in inputs if f'id="{found.group(1)}"' in i[3])
        if kind == "radio":
            ticked = {(n, v) for n, v in ticked if n != name}
        ticked.add((name, value))
    for name, value in sorted(ticked):
        data.setdefault(name, []).append(value)
    pressed = re.search(rf'<button type="submit"(?: name="(\w+)" value="(\w+)")?[^>]*>\s*{re.escape(button)}\b', form)
    if pressed.group(1):
        data[pressed.group(1)] = [pressed.group(2)]
    return client.post(URL, data)


def _walk_to_check(client, answers: dict[int, tuple[str, ...]] | None = None):
    """Every page from the first, answering page n with answers[n] ("None of these" on the first by default)."""
    answers = {1: ("None of these",), **(answers or {})}
    response = client.get(URL)
    pages = [response]
    for number in range(1, len(_questions()) + 1):
        response = submit(client, response, *answers.get(number, ()))
        pages.append(response)
    return response, pages


def test_first_question_is_a_cached_public_page_with_no_cookie(client, django_assert_num_queries):
    first = client.get(URL)
    with django_assert_num_queries(0):
        again = client.get(URL)
    for response in (first, again):
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        assert not response.cookies and "csrfmiddlewaretoken" not in response.content.decode()
    total = len(_questions())
    assert f"Question 1 of {total}" in _main(first)
    assert _h1(first) == _questions()[0].text and _questions()[0].red_flag
    assert 'href="/check-your-symptoms/all/">Show all questions on one page</a>' in _main(first)


def test_each_page_asks_one_question_in_the_admins_order_with_progress_help_and_back(client):
    check, pages = _walk_to_check(client)
    questions = [(question, options) for question, options in selectors.published_questions() if not question.asked_if]
    assert len(pages) == len(questions) + 1
    for number, ((question, options), page) in enumerate(zip(questions, pages, strict=False), start=1):
        main = _main(page)
        assert page.status_code == 200
        assert f"Question {number} of {len(questions)}" in main and _h1(page) == question.text
        assert main.count("<fieldset") == 1 and main.count("<h1>") == 1
        assert html_lib.escape(question.help_text) in main  # why we ask
        assert main.count('class="form-check-input') == len(options)
        assert (">\n      Back" in main or "Back</button>" in main) == (number > 1)
        if number > 1:
            assert "no-store" in page["Cache-Control"] and not page.cookies
    assert _h1(check) == "Check your answers" and "no-store" in check["Cache-Control"]


def test_the_step_pages_give_the_same_results_as_the_one_page_form(client):
    labels = {2: ("A few days",), 3: ("Just one toe",), 8: ("Lots of caffeine", "Feeling stressed or anxious")}
    labels = {n: tuple(_full_label(n, start) for start in starts) for n, starts in labels.items()}
    check, _ = _walk_to_check(client, labels)
    rows = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", _main(check), re.S)
    assert [html_lib.unescape(q) for q, _ in rows] == [q.text for q in _questions()]
    assert html_lib.unescape(rows[1][1]) == "A few days" and rows[3][1] == "Not answered"
    assert _main(check).count(">Change<") == len(_questions())
    results = submit(client, check, button="Show my results")
    assert _h1(results) == "Your results" and "no-store" in results["Cache-Control"]
    one_page = {"red-flags": [_oid(1, "None of these")]}
    for number, chosen in labels.items():
        one_page[_questions()[number - 1].key] = [_oid(number, label) for label in chosen]
    assert _main(results) == _main(client.post(URL, one_page))  # the same form, the same matching
    assert "/causes/harmless-twitches/" in _main(results)


def _full_label(number: int, start: str) -> str:
    return Option.objects.get(question_id=_questions()[number - 1].id, label__startswith=start).label


def _oid(number: int, label: str) -> str:
    return str(Option.objects.get(question_id=_questions()[number - 1].id, label=label).id)


def test_a_red_flag_on_the_first_page_goes_straight_to_its_care_card(client):
    result = submit(client, client.get(URL), COLD_FOOT)
    main = _main(result)
    assert _h1(result) == "Your results" and "no-store" in result["Cache-Control"]
    assert main.index('class="care-card care-emergency triage"') < main.index("Answer the other questions too")
    assert result.content.decode().count("<title>Emergency: call 999 now.") == 1
    summary = main[main.index("Your summary to take to a doctor") :]
    assert _questions()[0].text in html_lib.unescape(summary) and _questions()[1].text not in html_lib.unescape(summary)
    # The reader may still answer the rest: the red flag goes with them, and still leads the results.
    second = submit(client, result, button="Answer the other questions too")
    assert f"Question 2 of {len(_questions())}" in _main(second)
    response = second
    for _ in range(2, len(_questions()) + 1):
        response = submit(client, response)
    assert _h1(response) == "Check your answers" and COLD_FOOT in html_lib.unescape(_main(response))
    final = submit(client, response, button="Show my results")
    assert 'class="care-card care-emergency triage"' in _main(final)
    assert "Answer the other questions too" not in _main(final)


def test_none_of_these_on_the_first_page_goes_on_to_the_second(client):
    second = submit(client, client.get(URL), "None of these")
    assert _h1(second) == _questions()[1].text


def test_the_first_page_needs_an_answer(client):
    response = submit(client, client.get(URL))
    assert RED_FLAG_REQUIRED in _main(response) and "There is a problem" in _main(response)
    assert _h1(response) == _questions()[0].text
    assert response.content.decode().count("<title>Error: ") == 1


def test_back_keeps_every_answer(client):
    second = submit(client, client.get(URL), "None of these")
    third = submit(client, second, _full_label(2, "A few days"))
    back = submit(client, third, _full_label(3, "Just one toe"), button="Back")
    assert _h1(back) == _questions()[1].text
    assert re.search(rf'value="{_oid(2, _full_label(2, "A few days"))}"[^>]* checked', _main(back))
    forward = submit(client, back)
    assert _h1(forward) == _questions()[2].text
    assert re.search(rf'value="{_oid(3, _full_label(3, "Just one toe"))}"[^>]* checked', _main(forward))
    assert f'name="red-flags" value="{_oid(1, "None of these")}"' in _main(forward)


def test_change_from_the_check_page_returns_to_the_check_page(client):
    check, _ = _walk_to_check(client, {2: (_full_label(2, "A few days"),)})
    change = submit(client, check, button="Change")  # the first: the red-flag question
    assert _h1(change) == _questions()[0].text
    data_change = client.post(URL, {**_hidden(check), "step": "check", "change": "2"})
    assert _h1(data_change) == _questions()[1].text
    back_to_check = submit(client, data_change, _full_label(2, "Months"))
    assert _h1(back_to_check) == "Check your answers"
    rows = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", _main(back_to_check), re.S))
    assert html_lib.unescape(rows[html_lib.escape(_questions()[1].text)]) == _full_label(2, "Months")


def _hidden(response) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', _main(response)):
        if name not in ("step", "go", "return"):
            data.setdefault(name, []).append(value)
    return data


def test_a_new_question_becomes_a_new_page_with_no_code_change(client):
    question = Question.objects.create(key="new-one", text="Is this a new question?", order=99, status="published")
    Option.objects.create(question=question, label="Yes, it is new")
    Release.objects.create(snapshot=selectors.snapshot())  # as a reviewer's approval does
    total = len(_questions())
    assert _questions()[-1].key == "new-one"
    check, pages = _walk_to_check(client, {total: ("Yes, it is new",)})
    assert f"Question {total} of {total}" in _main(pages[-2]) and _h1(pages[-2]) == "Is this a new question?"
    assert "Yes, it is new" in _main(check)


# --- Bad, edited or stale input: a clear message and the right page, never a 500 --------------------


def _none() -> str:
    return _oid(1, "None of these")


@pytest.mark.parametrize("step", ["0", "99", "-1", "abc", "", "1.5", "٣", "9" * 50, "check2"])
def test_a_bad_step_number_gets_a_message_and_the_first_unanswered_question(client, step):
    response = client.post(URL, {"step": step, "red-flags": [_none()], "how-long": [""]})
    assert response.status_code == 200 and BAD_STEP in _main(response)
    assert _h1(response) == _questions()[2].text  # the first question not yet answered


def test_a_bad_step_with_every_question_answered_goes_to_the_check_page(client):
    check, _ = _walk_to_check(client)
    response = client.post(URL, {**_hidden(check), "step": "nope"})
    assert _h1(response) == "Check your answers" and BAD_STEP in _main(response)


@pytest.mark.parametrize("change", ["0", "99", "x", ""])
def test_a_bad_change_gets_a_message_and_the_check_page(client, change):
    check, _ = _walk_to_check(client)
    response = client.post(URL, {**_hidden(check), "step": "check", "change": change})
    assert response.status_code == 200 and BAD_STEP in _main(response) and _h1(response) == "Check your answers"


def test_a_question_skipped_by_editing_the_form_is_asked(client):
    response = client.post(URL, {"step": "5", "red-flags": [_none()], "how-long": [""]})
    assert _h1(response) == _questions()[2].text and NOT_SEEN in _main(response)
    results = client.post(URL, {"step": "check", "red-flags": [_none()]})
    assert _h1(results) == _questions()[1].text and NOT_SEEN in _main(results)
    no_red_flags = client.post(URL, {"step": "check", **{q.key: [""] for q in _questions()[1:]}})
    assert _h1(no_red_flags) == _questions()[0].text and html_lib.escape(NOT_SEEN_RED_FLAG) in _main(no_red_flags)
    empty_red_flags = client.post(URL, {"step": "check", **{q.key: [""] for q in _questions()}})
    assert _h1(empty_red_flags) == _questions()[0].text and RED_FLAG_REQUIRED in _main(empty_red_flags)


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "9" * 100, "<script>alert(1)</script>", "\x00", "RED_FLAG"])
def test_an_unknown_or_edited_answer_gets_a_message_on_its_own_question(client, bad):
    bad = _oid(1, COLD_FOOT) if bad == "RED_FLAG" else bad  # an answer to another question
    response = client.post(URL, {"step": "4", "red-flags": [_none()], "how-long": [bad], "which-toes": [""]})
    assert response.status_code == 200
    assert _h1(response) == _questions()[1].text and NOT_RECOGNISED in _main(response)
    assert "There is a problem" in _main(response) and "<script>alert(1)</script>" not in response.content.decode()
    assert f'value="{bad}"' not in _main(response)  # nothing a reader typed is echoed back


def test_two_answers_to_a_one_answer_question_are_refused_on_its_page(client):
    two = [_oid(2, _full_label(2, "A few days")), _oid(2, _full_label(2, "Months"))]
    response = client.post(URL, {"step": "3", "red-flags": [_none()], "how-long": two, "which-toes": [""]})
    assert _h1(response) == _questions()[1].text and "Choose only one answer." in _main(response)


def test_an_answer_removed_since_the_reader_started_is_asked_again(client):
    check, _ = _walk_to_check(client, {2: (_full_label(2, "A few days"),)})
    Option.objects.filter(label=_full_label(2, "A few days")).delete()
    Release.objects.create(snapshot=selectors.snapshot())
    response = submit(client, check, button="Show my results")
    assert _h1(response) == _questions()[1].text and NOT_RECOGNISED in _main(response)


def test_back_on_the_first_page_stays_there(client):
    response = client.post(URL, {"step": "1", "go": "back", "red-flags": [_none()]})
    assert response.status_code == 200 and _h1(response) == _questions()[0].text


# --- Nothing stored -----------------------------------------------------------------------------------


def test_a_canary_answer_carried_through_every_page_is_stored_nowhere(client, caplog):
    """The canary is an answer with a unique label and id: it travels to the check page and the results,
    and leaves no trace in any log record, cache key or value, cookie or database row."""
    caplog.set_level("DEBUG")
    canary = f"canary-{uuid.uuid4()}"
    canary_id = str(900_000_000 + uuid.uuid4().int % 99_999_999)  # a number found nowhere else
    last = len(_questions())
    Option.objects.create(pk=int(canary_id), question_id=_questions()[-1].id, label=canary, order=99)
    Release.objects.create(snapshot=selectors.snapshot())

    submit(client, _walk_to_check(client)[0], button="Show my results")  # warm every cache a run reads
    stored, rows = _stored(), _row_counts()
    caplog.clear()

    check, pages = _walk_to_check(client, {last: (canary,)})
    results = submit(client, check, button="Show my results")
    assert f'name="{_questions()[-1].key}" value="{canary_id}"' in _main(check)
    assert canary in _main(check) and canary in _main(results)  # it was carried all the way

    assert _stored() == stored and _row_counts() == rows  # nothing new in the cache or the database
    logged = caplog.text + " ".join(f"{record.args}" for record in caplog.records)
    assert canary not in logged and canary_id not in logged
    assert not any(canary_id in str(key) for key in _cache_keys())
    assert not client.cookies and not any(page.cookies for page in [*pages, results])
    assert all("no-store" in page["Cache-Control"] for page in [*pages[1:], results])


def _cache_keys() -> list:
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):  # LocMemCache
        return list(backend)
    return list(cache.client.get_client().scan_iter("*"))  # Redis


def _stored() -> tuple[str, dict]:
    """The whole database as a dump, and every cache entry by key (in no order: LocMemCache reorders on read)."""
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):
        return dump.getvalue(), dict(backend)
    client = cache.client.get_client()
    return dump.getvalue(), {key: client.get(key) for key in client.scan_iter("*")}
