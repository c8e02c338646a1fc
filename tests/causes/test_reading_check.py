"""The editors' reading check covers every reader-facing text field the tests grade, judged the way they judge it."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from causes.models import WarningSign
from causes.preview import PreviewMixin, reading_fields
from editorial import readability
from glossary.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def _models():
    return sorted({apps.get_model(name.rsplit(".", 1)[0]) for name in readability.READER_FIELDS}, key=str)


@pytest.mark.parametrize("model", _models(), ids=lambda model: model._meta.label)
def test_every_model_with_reader_text_has_the_reading_check_over_the_same_fields(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, PreviewMixin), model
    assert readability.reader_fields(model._meta.label).items() <= reading_fields(model).items()


def _form(response) -> dict:
    """The change form as it stands, as the editor's browser would send it back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = str(value)
    return data


def _check(client, item, **changes) -> str:
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
    data = {**_form(client.get(url)), **changes, "_preview": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warning_sign_is_checked_as_read_after_its_levels_heading(editor_client, make_source):
    sign = WarningSign.objects.create(key="a-sign", text="your toe hurts", level="urgent", status="published")
    sign.sources.add(make_source())
    long = "you have " + " ".join(["toe"] * 15)
    html = _check(editor_client, sign, text=long)
    assert f"Readers read it after its heading: “Get help today if: {long}”" in html
    assert "Length: 21 words. This is too long: the target is 20 words or fewer." in html
    html = _check(editor_client, sign, text="your toe hurts")
    assert "Length: 7 words. Good: the target is 20 words or fewer." in html
    assert "Reading level: grade" in html and "Good: the target is grade 6" in html  # graded alone with its heading
    hard = "you have diabetes, and your foot has a new shape or colour, or shiny skin"
    html = _check(editor_client, sign, text=hard)
    assert "Length: 19 words. Good" in html and "This is too hard" in html
    assert WarningSign.objects.get(pk=sign.pk).text == "your toe hurts"  # nothing saved


def test_a_glossary_terms_meaning_is_graded_and_its_name_judged_by_length(editor_client):
    term = GlossaryTerm.objects.create(
        term="Nerve damage", slug="nerve-damage", meaning="When nerves are hurt.", status="published"
    )
    hard = "Peripheral neuropathy frequently manifests as involuntary fasciculations."
    html = _check(editor_client, term, meaning=hard, term=" ".join(["word"] * 11))
    assert "This is too hard: the target is grade 6 or lower" in html
    assert "Length: 11 words. This is too long: the target is 10 words or fewer." in html
    assert GlossaryTerm.objects.get(pk=term.pk).meaning == "When nerves are hurt."
