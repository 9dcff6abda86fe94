"""Before/after, trend, difference-in-differences and the baseline band, against numbers worked
out by hand in the comments."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import Metric
from ldpm.domain.enums import Direction, Track
from ldpm.domain.impact import (
    MIN_SIDE,
    Line,
    baseline_band,
    before_after,
    difference_in_differences,
    mean_between,
    split,
    track,
    trend,
)

RELEASE = date(2026, 1, 26)
TODAY = date(2026, 3, 1)

#: Hand-off errors per month: lower is better, 30 → 18 by the end of the year.
ERRORS = Metric(
    initiative_id="i",
    name="Hand-off errors",
    direction=Direction.DECREASE,
    baseline=30.0,
    target=18.0,
    target_date=date(2026, 12, 31),
)
#: Checklist use in %: higher is better, 10 → 80.
USE = Metric(
    initiative_id="i",
    name="Checklist use",
    baseline=10.0,
    target=80.0,
    target_date=date(2026, 12, 31),
)


def line(metric: Metric, segment: str, points: list[tuple[date, float]]) -> Line:
    return Line(metric.id, segment, [d.toordinal() for d, _ in points], [v for _, v in points])


# Three weeks before the release (31, 29, 30) and three after (27, 25, 23).
MAIN = line(
    ERRORS,
    "",
    [
        (date(2026, 1, 5), 31.0),
        (date(2026, 1, 12), 29.0),
        (date(2026, 1, 19), 30.0),
        (date(2026, 1, 26), 27.0),
        (date(2026, 2, 2), 25.0),
        (date(2026, 2, 9), 23.0),
    ],
)
PILOT = line(
    ERRORS,
    "Pilot",
    [
        (date(2026, 1, 12), 32.0),
        (date(2026, 1, 19), 30.0),
        (date(2026, 1, 26), 22.0),
        (date(2026, 2, 2), 20.0),
    ],
)
OTHERS = line(
    ERRORS,
    "Others",
    [
        (date(2026, 1, 12), 30.0),
        (date(2026, 1, 19), 30.0),
        (date(2026, 1, 26), 29.0),
        (date(2026, 2, 2), 27.0),
    ],
)


def test_split_means() -> None:
    parts = split(MAIN, RELEASE)
    assert (parts.n_before, parts.n_after) == (3, 3)
    assert parts.before == pytest.approx(30.0)  # (31 + 29 + 30) / 3
    assert parts.after == pytest.approx(25.0)  # (27 + 25 + 23) / 3
    assert parts.change == pytest.approx(-5.0)


def test_the_release_day_counts_as_after() -> None:
    assert split(MAIN, date(2026, 1, 26)).n_after == 3
    assert split(MAIN, date(2026, 1, 27)).n_after == 2


def test_before_after_of_a_lower_is_better_metric() -> None:
    result = before_after(ERRORS, {"": MAIN}, RELEASE, TODAY)
    assert result.before == pytest.approx(30.0)
    assert result.after == pytest.approx(25.0)
    assert result.change == pytest.approx(-5.0)  # 25 − 30
    assert result.change_pct == pytest.approx(-100 / 6)  # −5 / 30 = −16.67 %
    # (25 − 30) / (18 − 30) = 5 / 12 of the way down to the target.
    assert result.progress_pct == pytest.approx(500 / 12)
    # Trend after the release: 27, 25, 23 a week apart: −2/7 a day.  The target date is 339
    # days after 26 Jan: 27 − 339 · 2/7 = −489/7, far below 18: on track.
    assert result.track is Track.ON_TRACK
    assert result.projected == pytest.approx(-489 / 7)
    assert result.did is None
    assert result.reasons["did"] == "No comparison group is marked."


def test_before_after_of_a_higher_is_better_metric() -> None:
    main = line(
        USE,
        "",
        [
            (date(2026, 1, 12), 10.0),
            (date(2026, 1, 19), 12.0),
            (date(2026, 1, 26), 40.0),
            (date(2026, 2, 2), 50.0),
        ],
    )
    result = before_after(USE, {"": main}, RELEASE, TODAY)
    assert result.before == pytest.approx(11.0) and result.after == pytest.approx(45.0)
    assert result.change == pytest.approx(35.0)  # 45 − 10
    assert result.change_pct == pytest.approx(350.0)  # 35 / 10
    assert result.progress_pct == pytest.approx(50.0)  # (45 − 10) / (80 − 10)
    # Only two days after the release: no trend yet.
    assert result.track is Track.NOT_ENOUGH_DATA
    assert "at least 3 days" in result.reasons["track"]


def test_difference_in_differences() -> None:
    # Pilot: (20 + 22)/2 − (32 + 30)/2 = 21 − 31 = −10.
    # Others: (29 + 27)/2 − (30 + 30)/2 = 28 − 30 = −2.  DiD = −10 − (−2) = −8.
    assert difference_in_differences(PILOT, OTHERS, RELEASE) == pytest.approx(-8.0)
    lines = {"": MAIN, "Pilot": PILOT, "Others": OTHERS}
    result = before_after(ERRORS, lines, RELEASE, TODAY, groups=("Pilot", "Others"))
    assert result.did == pytest.approx(-8.0)
    assert result.did_groups == ("Pilot", "Others")
    assert result.did_favourable is True  # errors fell more where the change was made
    assert dataclasses.replace(result, direction=Direction.INCREASE).did_favourable is False


def test_the_metric_marks_its_comparison_group() -> None:
    marked = dataclasses.replace(ERRORS, treated_segment="Pilot", comparison_segment="Others")
    lines = {"": MAIN, "Pilot": PILOT, "Others": OTHERS}
    assert before_after(marked, lines, RELEASE, TODAY).did == pytest.approx(-8.0)
    # Everyone (the main line) against the others: (25 − 30) − (28 − 30) = −3.
    everyone = dataclasses.replace(ERRORS, comparison_segment="Others")
    assert before_after(everyone, lines, RELEASE, TODAY).did == pytest.approx(-3.0)


def test_a_comparison_without_measurements_says_so() -> None:
    result = before_after(ERRORS, {"": MAIN}, RELEASE, TODAY, groups=("Pilot", "Others"))
    assert result.did is None
    assert result.reasons["did"] == "There are no measurements for “Pilot”."


def test_one_measurement_is_not_enough_data() -> None:
    one = line(ERRORS, "", [(date(2026, 2, 2), 25.0)])
    result = before_after(ERRORS, {"": one}, RELEASE, TODAY)
    assert (result.before, result.after, result.change, result.progress_pct) == (
        None,
        None,
        None,
        None,
    )
    assert not result.enough
    assert result.reasons["before"] == (
        "Not enough data: 0 measurements before the date (at least 2 are needed)."
    )
    assert result.reasons["after"] == (
        "Not enough data: 1 measurement on or after the date (at least 2 are needed)."
    )
    assert result.track is Track.NOT_ENOUGH_DATA


def test_no_measurements_at_all() -> None:
    result = before_after(ERRORS, {}, RELEASE, TODAY)
    assert result.before is None and result.after is None
    assert result.track is Track.NOT_ENOUGH_DATA


def test_a_difference_needs_both_sides_of_both_groups() -> None:
    short = line(ERRORS, "Pilot", [(date(2026, 1, 19), 30.0), (date(2026, 1, 26), 22.0)])
    assert difference_in_differences(short, OTHERS, RELEASE) is None
    result = before_after(
        ERRORS, {"": MAIN, "Pilot": short, "Others": OTHERS}, RELEASE, TODAY,
        groups=("Pilot", "Others"),
    )  # fmt: skip
    assert result.did is None
    assert "each group needs at least 2" in result.reasons["did"]


def test_without_a_baseline_or_target() -> None:
    bare = dataclasses.replace(ERRORS, baseline=None, target=None, target_date=None)
    result = before_after(bare, {"": MAIN}, RELEASE, TODAY)
    assert result.after == pytest.approx(25.0)
    assert result.change is None and result.progress_pct is None
    assert result.reasons["change"] == "The metric has no baseline."
    assert result.track is Track.NO_TARGET


def test_a_target_on_the_wrong_side_has_no_progress() -> None:
    wrong = dataclasses.replace(ERRORS, target=40.0)
    result = before_after(wrong, {"": MAIN}, RELEASE, TODAY)
    assert result.change == pytest.approx(-5.0)
    assert result.progress_pct is None
    assert "on the side the metric should move to" in result.reasons["progress"]


def test_after_the_target_date_it_was_met_or_missed() -> None:
    # Target date 5 Feb: the last three measurements up to it are 30, 27 and 25, mean 82/3.
    early = dataclasses.replace(ERRORS, target_date=date(2026, 2, 5))
    verdict, value, _why = track(early, MAIN, RELEASE, TODAY)
    assert verdict is Track.MISSED and value == pytest.approx(82 / 3)
    easy = dataclasses.replace(early, target=28.0)
    assert track(easy, MAIN, RELEASE, TODAY)[0] is Track.MET
    before_data = dataclasses.replace(ERRORS, target_date=date(2026, 1, 1))
    assert track(before_data, MAIN, RELEASE, TODAY)[0] is Track.NOT_ENOUGH_DATA


def test_off_track_at_the_current_trend() -> None:
    slow = line(
        ERRORS,
        "",
        [(date(2026, 1, 26), 29.0), (date(2026, 2, 2), 29.0), (date(2026, 2, 9), 28.9)],
    )
    verdict, projected, _why = track(ERRORS, slow, RELEASE, TODAY)
    assert verdict is Track.OFF_TRACK
    assert projected is not None and projected > 18


def test_trend_through_hand_picked_points() -> None:
    # value = 2 + 3·day through (0, 2), (1, 5), (2, 8): the slope is 3, the intercept 2.
    fitted = trend([10, 11, 12], [32.0, 35.0, 38.0])
    assert fitted is not None
    assert fitted.slope == pytest.approx(3.0)
    assert fitted.intercept == pytest.approx(2.0)
    assert trend([1, 1, 1], [1.0, 2.0, 3.0]) is None  # one day: no slope
    assert trend([1, 2], [1.0, 2.0]) is None  # too few


def test_mean_between_includes_both_ends() -> None:
    mean, count = mean_between(MAIN, date(2026, 1, 12), date(2026, 1, 26))
    assert count == 3 and mean == pytest.approx((29 + 30 + 27) / 3)
    assert mean_between(MAIN, date(2026, 3, 1), date(2026, 3, 31)) == (None, 0)


def test_baseline_band_is_the_variation_before_the_first_change() -> None:
    # Before 26 Jan: 31, 29, 30 — mean 30, sample standard deviation √((1 + 1 + 0) / 2) = 1.
    assert baseline_band(ERRORS, MAIN, RELEASE) == pytest.approx((29.0, 31.0))
    # Too few measurements before the change: the baseline alone.
    assert baseline_band(ERRORS, MAIN, date(2026, 1, 10)) == (30.0, 30.0)
    assert baseline_band(dataclasses.replace(ERRORS, baseline=None), MAIN, RELEASE) is None


values = st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=MIN_SIDE, max_size=30)


@given(values, values)
def test_the_means_are_the_means_of_each_side(before: list[float], after: list[float]) -> None:
    days = list(range(1, len(before) + 1)) + list(range(100, 100 + len(after)))
    data = Line("m", "", days, before + after)
    parts = split(data, date.fromordinal(50))
    assert parts.before == pytest.approx(math.fsum(before) / len(before))
    assert parts.after == pytest.approx(math.fsum(after) / len(after))


@given(st.floats(min_value=-1e3, max_value=1e3), st.floats(min_value=-1e3, max_value=1e3))
def test_a_shift_of_both_groups_cancels_out(shift_t: float, shift_c: float) -> None:
    """Adding a constant to every value of a group changes neither its own difference nor
    the difference-in-differences."""

    def moved(data: Line, by: float) -> Line:
        return Line(data.metric_id, data.segment, data.days, [v + by for v in data.values])

    did = difference_in_differences(moved(PILOT, shift_t), moved(OTHERS, shift_c), RELEASE)
    assert did == pytest.approx(-8.0, abs=1e-6)
