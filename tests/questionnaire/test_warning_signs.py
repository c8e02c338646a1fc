"""Every warning sign in the register is a questionnaire answer that gives its level and its advice."""

import tomllib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from causes.models import WarningSign
from causes.urgency import rank
from editorial.lifecycle import Status
from questionnaire.models import Option

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

URL = "/check-your-symptoms/"
SEED = Path(__file__).resolve().parents[2] / "questionnaire" / "seed" / "questionnaire.toml"
OPENED_BY = {
    q["key"]: q["asked_if"] for q in tomllib.loads(SEED.read_text(encoding="utf-8"))["questions"] if "asked_if" in q
}


def _none_of_these() -> dict:
    return {"red-flags": [Option.objects.get(question__key="red-flags", label="None of these").id]}


def _with_what_opens_it(data: dict, key: str) -> dict:
    """The answers plus the earlier answer that opens this follow-up question, and the one that opens that."""
    while asked_if := OPENED_BY.get(key):
        key, label = asked_if
        data.setdefault(key, []).append(Option.objects.get(question__key=key, label=label).id)
    return data


def test_every_sign_has_a_published_answer_at_its_level():
    for sign in WarningSign.objects.prefetch_related("options__question"):
        options = [o for o in sign.options.all() if o.question.status == Status.PUBLISHED]
        assert options, f"no questionnaire answer for {sign.key}"
        assert {o.urgency for o in options} == {sign.level}, sign.key
        assert all(o.advice for o in options), sign.key


def test_the_front_door_offers_only_999_signs_after_none_of_these(client):
    options = list(Option.objects.filter(question__key="red-flags").select_related("sign").order_by("order"))
    assert options[0].label == "None of these" and options[0].sign is None
    assert {option.sign.level for option in options[1:]} == {"emergency"}
    html = client.get(URL).content.decode()
    assert html.index("None of these") < html.index(escape(options[1].label))


def test_each_signs_answer_gives_its_level_and_advice_in_its_own_box(client):
    for option in Option.objects.exclude(sign=None).select_related("question", "sign"):
        data = (
            _with_what_opens_it({**_none_of_these(), option.question.key: [option.id]}, option.question.key)
            if not option.question.red_flag
            else {"red-flags": [option.id]}
        )
        html = client.post(URL, data).content.decode()
        triage = html[html.index('<section class="care-card care-') :]
        level = triage.split('class="care-card care-', 1)[1].split(" ", 1)[0].split('"', 1)[0]
        assert rank(level) >= rank(option.sign.level), option.label
        box = html[html.index(f'class="care-card care-{option.sign.level}') :]
        box = box[: box.index("</section>")]
        assert escape(option.advice.split(". ")[0]) in box, option.label


def test_an_answer_must_carry_the_level_of_its_sign():
    option = Option.objects.exclude(sign=None).select_related("sign").first()
    option.urgency = "self_care" if option.sign.level != "self_care" else "urgent"
    with pytest.raises(ValidationError) as error:
        option.full_clean()
    assert error.value.error_dict["urgency"][0].code == "sign_level"
    with pytest.raises(ValidationError) as error:  # a plain save too (the shell, a command): not only a form
        option.save()
    assert error.value.error_dict["urgency"][0].code == "sign_level"
    assert Option.objects.get(pk=option.pk).urgency == option.sign.level
