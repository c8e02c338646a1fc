"""Urgency levels are defined once: their order, the database choices and the words readers see."""

import pytest

from causes import urgency


def test_only_urgent_and_emergency_are_announced_at_once_and_lead_the_title():
    alerts = [level for level in urgency.LEVELS if level.alert]
    assert [level.value for level in alerts] == ["urgent", "emergency"]
    assert all(level.title_prefix for level in alerts)
    assert not any(level.title_prefix for level in urgency.LEVELS if not level.alert)


def test_by_level_puts_the_most_urgent_first_and_keeps_order_within_a_level():
    items = [("see_doctor", "a"), ("emergency", "b"), ("see_doctor", "c"), ("urgent", "d")]
    assert [(level.value, grouped) for level, grouped in urgency.by_level(items)] == [
        ("emergency", ["b"]),
        ("urgent", ["d"]),
        ("see_doctor", ["a", "c"]),
    ]


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
