import pytest
from django.urls import reverse

from questionnaire.models import Option, Question

pytestmark = pytest.mark.django_db


def test_editor_adds_a_question_with_its_options_inline(editor_client):
    prefix = "options-"
    data = {
        "text": "Do your toes twitch at night?",
        "key": "at-night",
        "help_text": "Why we ask: sleep matters.",
        "kind": "single",
        "order": "9",
        "status": "draft",
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-11-21",
        f"{prefix}TOTAL_FORMS": "2",
        f"{prefix}INITIAL_FORMS": "0",
        f"{prefix}0-label": "Yes",
        f"{prefix}0-order": "1",
        f"{prefix}0-urgency": "",
        f"{prefix}0-advice": "",
        f"{prefix}1-label": "Not sure",
        f"{prefix}1-order": "2",
        f"{prefix}1-urgency": "",
        f"{prefix}1-advice": "",
    }
    response = editor_client.post(reverse("admin:questionnaire_question_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(key="at-night")
    assert [o.label for o in question.options.all()] == ["Yes", "Not sure"]


def _option_form(option, **changes) -> dict:
    """An option's admin change form as an editor would submit it, with no weight rows unless changed."""
    data = {field: getattr(option, field) for field in ("label", "order", "urgency", "advice")}
    data.update({"question": option.question_id, "weights-TOTAL_FORMS": "0", "weights-INITIAL_FORMS": "0"})
    return {**data, **changes}


def test_option_with_urgency_but_no_advice_is_explained(editor_client, seeded):
    option = Option.objects.get(question__key="red-flags", label="None of these")
    url = reverse("admin:questionnaire_option_change", args=[option.pk])
    response = editor_client.post(url, _option_form(option, urgency="emergency", advice=""))
    assert response.status_code == 200
    assert "An answer with an urgency needs advice saying what to do." in response.content.decode()


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("7", "The weight must be from -3 to 3, and not 0."),
        ("0", "The weight must be from -3 to 3, and not 0."),
        ("abc", "Enter a whole number."),
    ],
)
def test_option_weights_are_edited_inline_and_checked(editor_client, make_cause, seeded, weight, message):
    option = Option.objects.get(question__key="how-long", label="Up to 2 weeks")
    cause = make_cause(title="New cause")
    url = reverse("admin:questionnaire_option_change", args=[option.pk])
    existing = list(option.weights.all())
    prefix = "weights-"
    data = _option_form(
        option, **{f"{prefix}TOTAL_FORMS": str(len(existing) + 1), f"{prefix}INITIAL_FORMS": str(len(existing))}
    )
    for i, w in enumerate(existing):
        data.update(
            {
                f"{prefix}{i}-id": w.pk,
                f"{prefix}{i}-option": option.pk,
                f"{prefix}{i}-cause": w.cause_id,
                f"{prefix}{i}-weight": w.weight,
            }
        )
    n = len(existing)
    data.update({f"{prefix}{n}-option": option.pk, f"{prefix}{n}-cause": cause.pk, f"{prefix}{n}-weight": weight})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    data[f"{prefix}{n}-weight"] = "2"
    assert editor_client.post(url, data).status_code == 302
    assert option.weights.get(cause=cause).weight == 2
