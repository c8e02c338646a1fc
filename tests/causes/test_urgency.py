"""Urgency levels are defined once: their order, the database choices and the words readers see."""

import pytest

from causes import urgency
from causes.models import Urgency


def test_database_choices_are_the_levels_in_order():
    assert Urgency.choices == [(level.value, level.label) for level in urgency.LEVELS]
    assert list(urgency.ORDER) == ["self_care", "see_doctor", "urgent", "emergency"]


def test_every_level_has_a_summary_heading_and_advice():
    for level in urgency.LEVELS:
        assert level.summary and level.heading and level.advice, level.value


def test_only_urgent_and_emergency_are_alerts_with_warning_signs():
    assert [level.value for level in urgency.ALERT_LEVELS] == ["emergency", "urgent"]
    for level in urgency.ALERT_LEVELS:
        assert level.signs_intro and level.title_prefix


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], "self_care"),
        ([""], "self_care"),
        (["", "self_care"], "self_care"),
        (["see_doctor", ""], "see_doctor"),
        (["urgent", "see_doctor", "emergency", ""], "emergency"),
        (["nonsense"], "self_care"),
    ],
)
def test_most_urgent(levels, expected):
    assert urgency.most_urgent(levels) == expected


def test_rank_orders_levels_and_unknown_ranks_as_self_care():
    assert [urgency.rank(value) for value in urgency.ORDER] == [0, 1, 2, 3]
    assert urgency.rank("") == urgency.rank("panic") == 0
    assert urgency.level("panic") is urgency.LEVELS[0]
