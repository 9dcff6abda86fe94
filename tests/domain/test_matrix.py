"""The value/effort matrix's axes, with hand-computed positions and snapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.enums import ValueEffortQuadrant
from ldpm.domain.matrix import MatrixAxes, nice_effort_max, snap_effort
from ldpm.domain.scoring import value_effort_quadrant


def test_snapping_follows_how_people_estimate() -> None:
    assert snap_effort(3.74) == 3.5
    assert snap_effort(3.76) == 4.0
    assert snap_effort(0.1) == 0.5  # never below half a day
    assert snap_effort(12.4) == 12.0
    assert snap_effort(41.0) == 40.0 and snap_effort(43.0) == 45.0


def test_the_effort_axis_ends_at_a_round_number_past_every_item() -> None:
    assert nice_effort_max([]) == 10  # at least twice the split (5 days)
    assert nice_effort_max([4.0, None, 6.0]) == 10
    assert nice_effort_max([20.0]) == 20
    assert nice_effort_max([21.0]) == 30
    assert nice_effort_max([1500.0]) == 2000


def test_positions_put_the_splits_in_the_middle() -> None:
    axes = MatrixAxes(effort_max=20)
    assert axes.fx(0) == 0 and axes.fx(5) == 0.5 and axes.fx(20) == 1
    assert axes.fx(2.5) == 0.25
    assert axes.fx(12.5) == 0.75  # 5 + (20-5)/2
    assert axes.fy(1) == pytest.approx(0.05) and axes.fy(10) == pytest.approx(0.95)
    assert axes.fy(5.5) == pytest.approx(0.5)  # the value split


def test_a_drop_means_a_snapped_value_and_effort_or_nothing_outside() -> None:
    axes = MatrixAxes(effort_max=20)
    assert axes.effort_at(0.4) == 4.0  # 0.4 / 0.5 * 5
    assert axes.effort_at(0.75) == 12.0  # 12.5 rounds to whole days
    assert axes.effort_at(0.0) == 0.5
    assert axes.value_at(0.0) == 1 and axes.value_at(0.899) == 9 and axes.value_at(1.0) == 10
    assert axes.value_at(0.55) == 6  # just above the split: high value
    assert axes.effort_at(-0.01) is None and axes.effort_at(1.01) is None
    assert axes.value_at(1.2) is None and axes.value_at(-0.1) is None


@given(st.integers(min_value=1, max_value=10), st.floats(min_value=0.5, max_value=40))
def test_a_card_dropped_where_it_is_keeps_its_scores_and_quadrant(
    value: int, effort: float
) -> None:
    axes = MatrixAxes.for_efforts([effort])
    effort = snap_effort(effort)
    assert axes.value_at(axes.fy(value)) == value
    back = axes.effort_at(axes.fx(effort))
    assert back == pytest.approx(effort)
    assert value_effort_quadrant(value, back) == value_effort_quadrant(value, effort)


def test_quadrants_on_the_axes() -> None:
    axes = MatrixAxes(effort_max=20)
    # Top left is the quick wins, top right the big bets.
    assert value_effort_quadrant(axes.value_at(0.9), axes.effort_at(0.2)) is (
        ValueEffortQuadrant.QUICK_WIN
    )
    assert value_effort_quadrant(axes.value_at(0.9), axes.effort_at(0.8)) is (
        ValueEffortQuadrant.BIG_BET
    )
    assert value_effort_quadrant(axes.value_at(0.1), axes.effort_at(0.2)) is (
        ValueEffortQuadrant.FILL_IN
    )
    assert value_effort_quadrant(axes.value_at(0.1), axes.effort_at(0.8)) is (
        ValueEffortQuadrant.MONEY_PIT
    )
    assert axes.ticks() == [0, 2.5, 5, 10, 15, 20]
