"""Fixtures the editorial tests share."""

import pytest

from tests.conftest import person_client


@pytest.fixture
def writer(django_user_model):
    """An editor, Wes Writer, signed in with both factors, with an e-mail address for the notes sent to them."""
    client = person_client(django_user_model, "writer", "Editors", first_name="Wes", last_name="Writer")
    django_user_model.objects.filter(username="writer").update(email="writer@example.org")
    return client
