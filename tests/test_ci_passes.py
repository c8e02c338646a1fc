"""CI runs the database tests on both databases and the rest once: tests/conftest.py tells them apart."""

import pytest

from tests.conftest import uses_the_database


def test_a_test_with_no_database_is_run_once(request):
    assert not uses_the_database(request.node)


@pytest.mark.django_db
def test_a_test_marked_for_the_database_runs_on_both(request):
    assert uses_the_database(request.node)


def test_a_test_whose_fixture_needs_the_database_runs_on_both(request, make_cause):
    assert uses_the_database(request.node)


def test_a_test_with_a_module_wide_seed_runs_on_both(request, seeded_module):
    assert uses_the_database(request.node)
