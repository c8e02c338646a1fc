import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from causes.models import Cause, Option, Question, Status

pytestmark = pytest.mark.django_db

MODELS = ["cause", "remedy", "faq", "source", "question", "option"]


def _cause_form(cause, **changes) -> dict:
    """The admin change form for a cause as an editor would submit it, with some fields changed."""
    fields = ["title", "slug", "category", "summary", "body", "self_care", "see_doctor", "urgency"]
    data = {name: getattr(cause, name) for name in fields}
    data.update(status="published", last_reviewed="2026-11-21", next_review_due="2027-11-21")
    return {**data, **changes}


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(editor)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_open(editor_client, seeded, model):
    assert editor_client.get(reverse(f"admin:causes_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:causes_{model}_add")).status_code == 200


HOSTILE_SEARCHES = [
    "caffeine",
    "",
    "'; DROP TABLE causes_cause; --",
    "%",
    "_",
    "\\",
    "<script>",
    "a" * 5000,
    "💥",
    "\x00",
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_admin_search_survives_any_text(editor_client, seeded, model, query):
    response = editor_client.get(reverse(f"admin:causes_{model}_changelist"), {"q": query})
    assert response.status_code == 200


def test_admin_search_finds_by_words_in_the_text(editor_client, make_cause):
    make_cause(title="Too much caffeine", body="Coffee and energy drinks.")
    make_cause(title="Nerve damage")
    response = editor_client.get(reverse("admin:causes_cause_changelist"), {"q": "energy drinks"})
    assert "Too much caffeine" in response.content.decode()
    assert "Nerve damage" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"review": "<script>"}, {"category__exact": "x" * 300}, {"o": "99.-x"}, {"p": "-1"}],
)
def test_admin_bad_filters_never_500(editor_client, seeded, params):
    response = editor_client.get(reverse("admin:causes_cause_changelist"), params)
    assert response.status_code in (200, 302)


def test_editor_can_add_a_cause_as_a_draft(editor_client, make_remedy, make_source):
    remedy, source = make_remedy(), make_source()
    response = editor_client.post(
        reverse("admin:causes_cause_add"),
        {
            "title": "Cold feet",
            "slug": "cold-feet",
            "category": "nerves",
            "summary": "Cold feet can twitch.",
            "body": "Body.",
            "self_care": "Keep warm.",
            "see_doctor": "If pale and painful, call 999.",
            "urgency": "see_doctor",
            "remedies": [remedy.pk],
            "sources": [source.pk],
            "status": "draft",
            "last_reviewed": "2026-11-21",
            "next_review_due": "2027-11-21",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cause = Cause.objects.get(slug="cold-feet")
    assert cause.status == Status.DRAFT
    assert list(cause.remedies.all()) == [remedy]
    assert LogEntry.objects.filter(object_id=str(cause.pk)).exists()  # shows in the history


def test_editor_change_is_saved_and_recorded_in_history(editor_client, make_cause):
    cause = make_cause(title="Caffeine")
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    assert editor_client.get(url).status_code == 200
    data = _cause_form(cause, title="Too much caffeine", summary="New summary.")
    assert editor_client.post(url, data).status_code == 302
    cause.refresh_from_db()
    assert cause.summary == "New summary."
    history = editor_client.get(reverse("admin:causes_cause_history", args=[cause.pk]))
    assert "Changed" in history.content.decode()


def test_review_date_before_last_review_is_explained_not_a_crash(editor_client, make_cause):
    cause = make_cause()
    url = reverse("admin:causes_cause_change", args=[cause.pk])
    data = _cause_form(cause, next_review_due="2020-01-01")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The next review must be on or after the last review." in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"slug": "has spaces & <tags>"},
        {"category": "not-a-category"},
        {"urgency": "panic"},
        {"last_reviewed": "31/02/2026"},
        {"title": "x" * 500},
        {"remedies": ["999999"]},
        {"remedies": ["not-a-number"]},
    ],
)
def test_hostile_admin_input_gets_a_form_error(editor_client, make_cause, bad):
    cause = make_cause()
    data = _cause_form(cause, **bad)
    response = editor_client.post(reverse("admin:causes_cause_change", args=[cause.pk]), data)
    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "factory"), [("cause", "make_cause"), ("remedy", "make_remedy"), ("faq", "make_faq")]
)
def test_bulk_publish_and_unpublish_actions(editor_client, request, model, factory):
    make = request.getfixturevalue(factory)
    items = [make(status=Status.DRAFT), make(status=Status.DRAFT)]
    url = reverse(f"admin:causes_{model}_changelist")
    ids = [str(item.pk) for item in items]
    editor_client.post(url, {"action": "publish", "_selected_action": ids})
    assert all(type(i).objects.get(pk=i.pk).status == Status.PUBLISHED for i in items)
    history = editor_client.get(reverse(f"admin:causes_{model}_history", args=[items[0].pk])).content.decode()
    assert "Status set to Published with a bulk action." in history
    editor_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert all(type(i).objects.get(pk=i.pk).status == Status.DRAFT for i in items)


@pytest.mark.parametrize("selected", [["999999"], ["abc"], ["<script>"], []])
def test_bulk_action_with_hostile_selection_never_500(editor_client, seeded, selected):
    response = editor_client.post(
        reverse("admin:causes_cause_changelist"), {"action": "publish", "_selected_action": selected}
    )
    assert response.status_code in (200, 302)


def test_remedy_admin_edits_the_causes_it_helps_inline(editor_client, make_remedy, make_cause):
    remedy, cause = make_remedy(), make_cause()
    url = reverse("admin:causes_remedy_change", args=[remedy.pk])
    assert "causes this remedy helps with" in editor_client.get(url).content.decode().lower()
    prefix = "Cause_remedies-"
    data = {
        "title": remedy.title,
        "slug": remedy.slug,
        "summary": remedy.summary,
        "body": remedy.body,
        "caution": "",
        "status": "published",
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-11-21",
        f"{prefix}TOTAL_FORMS": "1",
        f"{prefix}INITIAL_FORMS": "0",
        f"{prefix}0-cause": str(cause.pk),
        f"{prefix}0-remedy": str(remedy.pk),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(remedy.causes.all()) == [cause]


def test_public_is_sent_to_login(client):
    response = client.get(reverse("admin:causes_cause_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_models_are_all_registered(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    for name in ("Causes", "Remedies", "FAQs", "Sources"):
        assert name in html


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
    response = editor_client.post(reverse("admin:causes_question_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(key="at-night")
    assert [o.label for o in question.options.all()] == ["Yes", "Not sure"]


def test_option_with_urgency_but_no_advice_is_explained(editor_client, seeded):
    option = Option.objects.get(question__key="red-flags", label="None of these")
    url = reverse("admin:causes_option_change", args=[option.pk])
    prefix = "weights-"
    data = {
        "question": option.question_id,
        "label": option.label,
        "order": option.order,
        "urgency": "emergency",
        "advice": "",
        f"{prefix}TOTAL_FORMS": "0",
        f"{prefix}INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
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
    option = Option.objects.get(question__key="how-long", label="A few weeks")
    cause = make_cause(title="New cause")
    url = reverse("admin:causes_option_change", args=[option.pk])
    existing = list(option.weights.all())
    prefix = "weights-"
    data = {
        "question": option.question_id,
        "label": option.label,
        "order": option.order,
        "urgency": "",
        "advice": "",
        f"{prefix}TOTAL_FORMS": str(len(existing) + 1),
        f"{prefix}INITIAL_FORMS": str(len(existing)),
    }
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
