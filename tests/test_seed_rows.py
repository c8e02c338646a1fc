"""The tests' quick seed (rows copied in) leaves the database exactly as the seed loaders do."""

from collections import Counter

import pytest
from django.db import models

from causes.models import Cause, SitePage
from glossary.models import GlossaryTerm
from questionnaire import selectors
from questionnaire.models import Option, Question, Release
from tests import conftest


def _content(rows, model) -> Counter:
    """Each row's own values: not ids or links (ids differ between runs on PostgreSQL), nor times.

    A revision's `id` is its item's, so it is left out with the other ids.
    """
    kept = [
        field.attname
        for field in model._meta.concrete_fields
        if not (
            field.primary_key
            or field.is_relation
            or field.attname == "id"
            or isinstance(field, models.DateTimeField | models.JSONField)  # a release's JSON names ids
        )
    ]
    return Counter(repr(tuple(row[name] for name in kept)) for row in rows)


@pytest.mark.django_db
def test_the_loaders_only_add_rows_to_an_empty_database_so_copying_them_reproduces_the_seed():
    rows = conftest.seed_rows()
    assert rows is not None, "the loaders changed rows already there: the quick seed cannot stand in for them"
    for model in (Cause, SitePage, GlossaryTerm, Question, Option, Cause.history.model):
        assert len(rows[model]) >= 4, model


@pytest.mark.django_db
def test_the_quick_seed_writes_every_row_the_loaders_write():
    expected = conftest.seed_rows()
    conftest.load_seed()
    assert Cause.objects.exists()
    for model, rows in expected.items():
        found = conftest._rows([model])[model]
        assert len(found) == len(rows), model
        assert _content(found, model) == _content(rows, model), model


@pytest.mark.django_db
def test_the_quick_seed_keeps_every_link_and_sequence():
    conftest.load_seed()
    option = Option.objects.exclude(weights=None).select_related("question").first()
    assert option.question.options.filter(pk=option.pk).exists()
    assert {weight.cause for weight in option.weights.select_related("cause")} <= set(Cause.objects.all())
    assert Release.objects.get().snapshot == selectors.snapshot()  # the release names the rows as copied
    cause = Cause.objects.create(title="New", slug="a-new-cause", category="lifestyle")  # its id is free
    assert cause.pk > max(Cause.objects.exclude(pk=cause.pk).values_list("pk", flat=True))
