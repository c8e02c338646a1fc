import pytest

from tests.conftest import person_client


@pytest.fixture
def writer(django_user_model):
    """An editor, signed in with both factors."""
    return person_client(django_user_model, "writer", "Editors")


@pytest.fixture
def checker(django_user_model):
    """A clinical reviewer, signed in with both factors."""
    return person_client(django_user_model, "checker", "Clinical reviewers")
