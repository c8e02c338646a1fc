"""Follow-up questions: asked only when an earlier answer opens them, on the steps, the one page and in matching."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from editorial.lifecycle import Status
from questionnaire import selectors
from questionnaire.matching import AnswerOption, AskedQuestion, applicable, asked, match
from questionnaire.models import Option, Question
from questionnaire.views import BAD_STEP
from tests.questionnaire.test_steps import _h1, _main, submit

URL = "/check-your-symptoms/"
ALL_QUESTIONS = "/check-your-symptoms/all/"
HEADACHE = "A bad headache or trouble seeing"


# --- Pure: which questions are asked, which answers count ---------------------------------------------


def _question(qid: int, *option_ids: int, asked_if: int | None = None) -> AskedQuestion:
    options = tuple(AnswerOption(id=o, label=f"answer {o}", asked_if=asked_if) for o in option_ids)
    return AskedQuestion(qid, f"q{qid}", f"Question {qid}?", "", "multiple", False, options, asked_if=asked_if)


QUESTIONS = (
    _question(1, 11, 12),
    _question(2, 21, 22, asked_if=11),  # opened by answer 11
    _question(3, 31, asked_if=21),  # opened by a follow-up's answer
    _question(4, 41),
)


def test_a_reader_who_opens_nothing_is_asked_only_the_questions_for_everyone():
    assert [q.id for q in asked(QUESTIONS, set())] == [1, 4]
    assert [q.id for q in asked(QUESTIONS, {12, 41})] == [1, 4]


def test_an_answer_opens_its_follow_up_and_a_follow_up_can_open_another():
    assert [q.id for q in asked(QUESTIONS, {11})] == [1, 2, 4]
    assert [q.id for q in asked(QUESTIONS, {11, 21})] == [1, 2, 3, 4]


def test_an_answer_to_a_follow_up_that_was_not_opened_does_not_open_anything():
    assert [q.id for q in asked(QUESTIONS, {21})] == [1, 4]  # 21 is on a question never asked


def test_answers_to_follow_ups_count_only_when_their_opening_answer_does():
    answers = {option.id: option for question in QUESTIONS for option in question.options}
    kept = applicable([answers[31], answers[21], answers[41]])  # 11 not chosen: 21 and 31 are left behind
    assert [a.id for a in kept] == [41]
    kept = applicable([answers[31], answers[21], answers[11]])  # any order
    assert [a.id for a in kept] == [31, 21, 11]


def test_matching_ignores_an_urgent_answer_on_a_follow_up_that_was_not_opened():
    urgent = AnswerOption(id=21, label="Urgent sign", urgency="urgent", advice="Get help today.", asked_if=11)
    opener = AnswerOption(id=11, label="Pregnant")
    assert match([], [urgent]).triage.level == "self_care"
    assert match([], [opener, urgent]).triage.level == "urgent"


# --- The questionnaire as readers get it -----------------------------------------------------------------


@pytest.fixture
def small(db):
    """Page 1 (red flags), a context question whose "Pregnant" opens a follow-up, and a question for everyone."""

    def question(key: str, order: int, *labels: str, red_flag=False, kind="multiple", asked_if=None, urgent=()):
        q = Question.objects.create(
            key=key,
            text=f"Question {key}?",
            kind=kind,
            red_flag=red_flag,
            order=order,
            asked_if=asked_if,
            status=Status.PUBLISHED,
        )
        for n, label in enumerate(labels):
            level = "emergency" if red_flag and n else "urgent" if label in urgent else ""
            Option.objects.create(question=q, label=label, order=n, urgency=level, advice="Get help." if level else "")
        return q

    question("red-flags", 1, "None of these", "Chest pain now", red_flag=True)
    context = question("context", 2, "Pregnant", "Diabetes", "None of these")
    pregnant = Option.objects.get(label="Pregnant")
    question("pregnancy", 3, HEADACHE, "Morning sickness", "None of these", asked_if=pregnant, urgent=(HEADACHE,))
    question("how-long", 4, "A few days", "Months", kind="single")
    return context


def _progress(response) -> str:
    return re.search(r'class="step-progress">([^<]+)<', _main(response)).group(1)


def test_a_reader_who_opens_no_follow_up_never_sees_one(client, small):
    page = client.get(URL)
    assert _progress(page) == "Question 1 of 3"
    page = submit(client, page, "None of these")
    assert (_progress(page), _h1(page)) == ("Question 2 of 3", "Question context?")
    page = submit(client, page, "Diabetes")
    assert (_progress(page), _h1(page)) == ("Question 3 of 3", "Question how-long?")
    check = submit(client, page, "A few days")
    assert _h1(check) == "Check your answers"
    assert "Question pregnancy?" not in _main(check)


def test_choosing_the_trigger_opens_its_follow_up_and_counts_it(client, small):
    page = submit(client, client.get(URL), "None of these")
    page = submit(client, page, "Pregnant")
    assert (_progress(page), _h1(page)) == ("Question 3 of 4", "Question pregnancy?")
    assert "We ask this because you chose “Pregnant”." in _main(page)
    page = submit(client, page, "Morning sickness")
    assert (_progress(page), _h1(page)) == ("Question 4 of 4", "Question how-long?")
    back = submit(client, page, button="Back")
    assert _h1(back) == "Question pregnancy?"  # Back follows the reader's own path
    assert "checked" in _main(back).split("Morning sickness")[0].rsplit("<input", 1)[1]


def test_an_urgent_answer_on_a_follow_up_goes_straight_to_what_to_do(client, small):
    page = submit(client, submit(client, client.get(URL), "None of these"), "Pregnant")
    results = submit(client, page, HEADACHE)
    assert _h1(results) == "Your results"
    assert "Answer the other questions too" in _main(results)
    assert 'class="care-card care-urgent triage"' in _main(results)


def test_changing_the_trigger_on_the_check_page_adds_then_removes_its_follow_up(client, small):
    page = submit(client, submit(client, client.get(URL), "None of these"), "Diabetes")
    check = submit(client, page, "Months")
    assert "Question pregnancy?" not in _main(check)
    # Change the context answer to one that opens the follow-up: it is asked, then back to the check page.
    rows = re.findall(r'name="change" value="(\d+)"', _main(check))
    context_change = client.post(URL, {**_hidden(check), "step": "check", "change": rows[1]})
    assert _h1(context_change) == "Question context?"
    follow_up = submit(client, context_change, "Pregnant", untick=True)
    assert _h1(follow_up) == "Question pregnancy?"
    assert not re.search(r'class="[^"]*\berror', _main(follow_up))  # a new question, not a mistake
    check = submit(client, follow_up, "Morning sickness")
    assert _h1(check) == "Check your answers"
    assert "Question pregnancy?" in _main(check) and "Morning sickness" in _main(check)
    # And back again: unticking the trigger removes the follow-up and its answer.
    rows = re.findall(r'name="change" value="(\d+)"', _main(check))
    context_change = client.post(URL, {**_hidden(check), "step": "check", "change": rows[1]})
    check = submit(client, context_change, "None of these", untick=True)
    assert _h1(check) == "Check your answers"
    assert "Question pregnancy?" not in _main(check) and "Morning sickness" not in _main(check)
    results = submit(client, check, button="Show my results")
    assert "Morning sickness" not in _main(results)


def _hidden(response) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', _main(response)):
        if name not in {"step", "go", "return"}:
            data.setdefault(name, []).append(value)
    return data


def test_a_follow_up_step_that_was_not_opened_is_refused_clearly(client, small):
    none = str(Option.objects.get(question__key="red-flags", label="None of these").id)
    diabetes = str(Option.objects.get(label="Diabetes").id)
    response = client.post(URL, {"red-flags": none, "context": diabetes, "step": "3"})
    assert response.status_code == 200
    assert BAD_STEP in _main(response)


def test_the_one_page_form_shows_each_follow_up_under_its_trigger(client, small):
    html = _main(client.get(ALL_QUESTIONS))
    legends = re.findall(r"<legend[^>]*>\s*([^<]+?)\s*<", html)
    assert legends == ["Question red-flags?", "Question context?", "Question pregnancy?", "Question how-long?"]
    assert "Answer this only if you chose “Pregnant”." in html
    assert html.index("Question context?") < html.index("Answer this only if") < html.index("Question pregnancy?")


def test_the_one_page_form_ignores_answers_to_a_follow_up_whose_trigger_was_not_chosen(client, small):
    def option(label: str) -> str:
        return str(Option.objects.get(label=label).id)

    none = str(Option.objects.get(question__key="red-flags", label="None of these").id)
    ignored = client.post(URL, {"red-flags": none, "context": option("Diabetes"), "pregnancy": option(HEADACHE)})
    assert _h1(ignored) == "Your results"
    assert "care-urgent" not in _main(ignored) and HEADACHE not in _main(ignored)
    assert "Question pregnancy?" not in _main(ignored)  # not in the summary of answers either
    counted = client.post(URL, {"red-flags": none, "context": option("Pregnant"), "pregnancy": option(HEADACHE)})
    assert "care-urgent" in _main(counted) and HEADACHE in _main(counted)


def test_a_follow_up_must_come_after_the_question_that_opens_it(small):
    pregnancy = Question.objects.get(key="pregnancy")
    pregnancy.asked_if = Option.objects.get(label="A few days")  # on a later question
    with pytest.raises(ValidationError) as refused:
        pregnancy.full_clean()
    assert refused.value.error_dict["asked_if"][0].code == "trigger_not_earlier"
    red_flags = Question.objects.get(key="red-flags")
    red_flags.asked_if = Option.objects.get(label="Pregnant")
    with pytest.raises(ValidationError) as refused:
        red_flags.full_clean()
    assert refused.value.error_dict["asked_if"][0].code == "red_flag_follow_up"


def test_an_answer_that_opens_a_follow_up_cannot_be_deleted_from_under_it(small):
    with pytest.raises(ProtectedError):
        Option.objects.get(label="Pregnant").delete()


def test_a_release_keeps_the_follow_up_and_a_follow_up_whose_trigger_is_not_live_is_not_asked(small):
    data = selectors.snapshot()
    pregnancy = next(entry for entry in data["questions"] if entry["key"] == "pregnancy")
    assert pregnancy["asked_if_id"] == Option.objects.get(label="Pregnant").id
    assert [q.key for q in selectors.load("saved").questions] == ["red-flags", "context", "pregnancy", "how-long"]
    Question.objects.filter(key="context").update(status=Status.DRAFT)
    assert [q.key for q in selectors.load("saved").questions] == ["red-flags", "how-long"]


def test_the_time_it_takes_is_worked_out_from_the_shortest_path(client, small):
    questionnaire = selectors.load("saved")
    assert [q.key for q in questionnaire.shortest] == ["red-flags", "context", "how-long"]
    assert questionnaire.has_follow_ups and questionnaire.minutes == 1
    page = _main(client.get(URL))
    assert "There are 3 short questions, and a few more if your answers need them. It takes about 1 minute." in page
    Question.objects.filter(asked_if=None).update(help_text=" ".join(["word"] * 60))
    assert selectors.load("saved").minutes == 2  # 180 more words to read, at 200 a minute
