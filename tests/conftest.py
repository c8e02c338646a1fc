import itertools

import pytest
from django.core.management import call_command

from causes.models import Category, Cause, Faq, Remedy, Source, Status, Urgency

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make_source(db):
    def make(**overrides) -> Source:
        n = next(_counter)
        fields = {"title": f"Source {n}", "publisher": "Test Publisher", "url": f"https://example.org/{n}"}
        return Source.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_remedy(db):
    def make(**overrides) -> Remedy:
        n = next(_counter)
        fields = {
            "title": f"Remedy {n}",
            "slug": f"remedy-{n}",
            "summary": f"Summary of remedy {n}.",
            "body": f"Body of remedy {n}.",
            "status": Status.PUBLISHED,
        }
        return Remedy.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_cause(db):
    def make(**overrides) -> Cause:
        n = next(_counter)
        fields = {
            "title": f"Cause {n}",
            "slug": f"cause-{n}",
            "category": Category.LIFESTYLE,
            "summary": f"Summary of cause {n}.",
            "body": f"Body of cause {n}.",
            "self_care": f"Self-care for cause {n}.",
            "see_doctor": f"See a doctor about cause {n}.",
            "urgency": Urgency.SEE_DOCTOR,
            "status": Status.PUBLISHED,
        }
        return Cause.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def make_faq(db):
    def make(**overrides) -> Faq:
        n = next(_counter)
        fields = {
            "question": f"Question {n}?",
            "slug": f"question-{n}",
            "answer": f"Answer {n}.",
            "order": n,
            "status": Status.PUBLISHED,
        }
        return Faq.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def seeded(db):
    """The database as `make run` leaves it: all seed content loaded."""
    call_command("load_content", verbosity=0)
