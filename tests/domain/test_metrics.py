from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import Measurement, Metric
from ldpm.domain.enums import Direction, MetricTier
from ldpm.domain.metrics import (
    is_vanity,
    latest,
    metrics_health,
    only_vanity_metrics,
    progress,
    suggested_tier,
    tier_conflict,
)


def metric(**kw: Any) -> Metric:
    kw.setdefault("initiative_id", "handoffs")
    return Metric(**kw)


ATTENDANCE = metric(
    name="Attendance at on-call briefings", tier=MetricTier.OPERATIONAL, kirkpatrick=1
)
CHECKLIST_USE = metric(
    name="Hand-offs done with the checklist",
    tier=MetricTier.BEHAVIOUR,
    kirkpatrick=3,
    unit="%",
    baseline=10.0,
    target=80.0,
    target_date=date(2025, 12, 31),
)
HANDOFF_ERRORS = metric(
    name="Incident hand-off errors per month",
    tier=MetricTier.BUSINESS,
    kirkpatrick=4,
    ltem=8,
    direction=Direction.DECREASE,
    baseline=30.0,
    target=18.0,  # down 40%
    target_date=date(2025, 12, 31),
)
MTTR = metric(
    name="Mean time to resolve (minutes)",
    tier=MetricTier.BUSINESS,
    direction=Direction.DECREASE,
    baseline=240.0,
    target=180.0,  # down 25%
    target_date=date(2025, 12, 31),
)


def test_is_vanity() -> None:
    assert is_vanity(ATTENDANCE)
    assert not is_vanity(CHECKLIST_USE)
    assert not is_vanity(HANDOFF_ERRORS)


@pytest.mark.parametrize(
    ("kirkpatrick", "ltem", "expected"),
    [
        (None, None, None),
        (1, None, MetricTier.OPERATIONAL),
        (2, None, MetricTier.OPERATIONAL),
        (3, None, MetricTier.BEHAVIOUR),
        (4, None, MetricTier.BUSINESS),
        (None, 1, MetricTier.OPERATIONAL),
        (None, 4, MetricTier.OPERATIONAL),
        (None, 5, MetricTier.BEHAVIOUR),
        (None, 7, MetricTier.BEHAVIOUR),
        (None, 8, MetricTier.BUSINESS),
        (3, 6, MetricTier.BEHAVIOUR),  # both agree
        (2, 4, MetricTier.OPERATIONAL),
        (1, 8, None),  # they disagree: no suggestion
        (4, 5, None),
    ],
)
def test_suggested_tier(
    kirkpatrick: int | None, ltem: int | None, expected: MetricTier | None
) -> None:
    assert suggested_tier(kirkpatrick, ltem) is expected


@pytest.mark.parametrize(("kirkpatrick", "ltem"), [(0, None), (5, None), (None, 0), (None, 9)])
def test_suggested_tier_rejects_unknown_levels(kirkpatrick: int | None, ltem: int | None) -> None:
    with pytest.raises(ValueError, match="must be between 1 and"):
        suggested_tier(kirkpatrick, ltem)


@pytest.mark.parametrize("m", [ATTENDANCE, CHECKLIST_USE, HANDOFF_ERRORS, MTTR])
def test_no_conflict_when_tier_and_levels_agree(m: Metric) -> None:
    assert tier_conflict(m) is None


@pytest.mark.parametrize(
    ("tier", "kirkpatrick", "ltem", "expected"),
    [
        (
            MetricTier.BUSINESS,
            1,
            None,
            "Kirkpatrick level 1 suggests an operational metric, but this one is marked business.",
        ),
        (
            MetricTier.OPERATIONAL,
            None,
            6,
            "LTEM tier 6 suggests a behaviour metric, but this one is marked operational.",
        ),
        (
            MetricTier.OPERATIONAL,
            4,
            8,
            "Kirkpatrick level 4 and LTEM tier 8 suggest a business metric, "
            "but this one is marked operational.",
        ),
        (
            MetricTier.BEHAVIOUR,
            1,
            8,
            "Kirkpatrick level 1 points to an operational metric but LTEM tier 8 to a "
            "business one: check which is right.",
        ),
    ],
)
def test_tier_conflict(
    tier: MetricTier, kirkpatrick: int | None, ltem: int | None, expected: str
) -> None:
    m = metric(name="Satisfaction score", tier=tier, kirkpatrick=kirkpatrick, ltem=ltem)
    assert tier_conflict(m) == expected


def test_only_vanity_metrics() -> None:
    satisfaction = metric(name="Satisfaction", tier=MetricTier.OPERATIONAL)
    assert not only_vanity_metrics([])
    assert only_vanity_metrics([ATTENDANCE])
    assert only_vanity_metrics(iter([ATTENDANCE, satisfaction]))
    assert not only_vanity_metrics([ATTENDANCE, CHECKLIST_USE])
    assert not only_vanity_metrics([HANDOFF_ERRORS])


def test_healthy_metrics_have_no_warnings() -> None:
    assert metrics_health([ATTENDANCE, CHECKLIST_USE, HANDOFF_ERRORS, MTTR]) == []


def test_no_metrics_at_all() -> None:
    assert metrics_health([]) == [
        "There are no metrics yet: add a behaviour metric and a business metric to show impact."
    ]


def test_only_vanity_metrics_warn_three_times() -> None:
    assert metrics_health([ATTENDANCE]) == [
        "All metrics are operational (attendance, completions, satisfaction, hours): "
        "they show activity, not impact.",
        "There is no behaviour metric: add one for what people should do differently.",
        "There is no business metric: add the KPI the business cares about.",
    ]


def test_missing_behaviour_metric() -> None:
    assert metrics_health([ATTENDANCE, HANDOFF_ERRORS]) == [
        "There is no behaviour metric: add one for what people should do differently."
    ]


def test_missing_business_metric() -> None:
    assert metrics_health([CHECKLIST_USE]) == [
        "There is no business metric: add the KPI the business cares about."
    ]


@pytest.mark.parametrize(
    ("changes", "needs"),
    [
        ({"baseline": None}, "a baseline"),
        ({"target": None}, "a target"),
        ({"target_date": None}, "a target date"),
        ({"baseline": None, "target_date": None}, "a baseline and a target date"),
        (
            {"baseline": None, "target": None, "target_date": None},
            "a baseline, a target and a target date",
        ),
        ({"baseline": float("nan")}, "a baseline"),
    ],
)
def test_impact_metric_lacking_baseline_target_or_date(
    changes: dict[str, Any], needs: str
) -> None:
    incomplete = dataclasses.replace(HANDOFF_ERRORS, **changes)
    assert metrics_health([CHECKLIST_USE, incomplete]) == [
        f"The metric “Incident hand-off errors per month” needs {needs} to show impact."
    ]


def test_operational_metrics_need_no_baseline() -> None:
    assert ATTENDANCE.baseline is None
    assert not any("Attendance" in w for w in metrics_health([ATTENDANCE, CHECKLIST_USE, MTTR]))


def test_baseline_equal_to_target() -> None:
    flat = dataclasses.replace(MTTR, target=240.0)
    assert metrics_health([CHECKLIST_USE, flat]) == [
        "The metric “Mean time to resolve (minutes)” has the same baseline and target: "
        "set a target that differs from the baseline."
    ]


def test_target_on_the_wrong_side_of_the_baseline() -> None:
    wrong = dataclasses.replace(MTTR, target=300.0)
    assert metrics_health([CHECKLIST_USE, wrong]) == [
        "The metric “Mean time to resolve (minutes)” should fall, but its target is on the "
        "other side of the baseline."
    ]
    wrong_up = dataclasses.replace(CHECKLIST_USE, target=5.0)
    assert metrics_health([wrong_up, MTTR]) == [
        "The metric “Hand-offs done with the checklist” should rise, but its target is on "
        "the other side of the baseline."
    ]


def test_every_warning_is_a_sentence() -> None:
    bare = metric(name="Escalations", tier=MetricTier.BEHAVIOUR)
    for warnings in (metrics_health([]), metrics_health([ATTENDANCE]), metrics_health([bare])):
        assert warnings
        for w in warnings:
            assert w[0].isupper()
            assert w.endswith(".")


@pytest.mark.parametrize(
    ("m", "value", "expected"),
    [
        # Hand-off errors, 30 → 18 (a decrease metric).
        (HANDOFF_ERRORS, 30.0, 0.0),
        (HANDOFF_ERRORS, 24.0, 0.5),
        (HANDOFF_ERRORS, 18.0, 1.0),
        (HANDOFF_ERRORS, 12.0, 1.5),  # beat the target
        (HANDOFF_ERRORS, 33.0, -0.25),  # got worse
        # Mean time to resolve, 240 → 180 minutes.
        (MTTR, 225.0, 0.25),
        # Checklist use, 10% → 80% (an increase metric).
        (CHECKLIST_USE, 10.0, 0.0),
        (CHECKLIST_USE, 45.0, 0.5),
        (CHECKLIST_USE, 80.0, 1.0),
    ],
)
def test_progress(m: Metric, value: float, expected: float) -> None:
    assert progress(m, value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("m", "value"),
    [
        (HANDOFF_ERRORS, None),
        (HANDOFF_ERRORS, float("nan")),
        (ATTENDANCE, 50.0),  # no baseline or target
        (dataclasses.replace(HANDOFF_ERRORS, baseline=None), 20.0),
        (dataclasses.replace(HANDOFF_ERRORS, target=None), 20.0),
        (dataclasses.replace(HANDOFF_ERRORS, target=30.0), 20.0),  # equal to baseline
        (dataclasses.replace(HANDOFF_ERRORS, target=40.0), 20.0),  # contradicts "decrease"
        (dataclasses.replace(CHECKLIST_USE, target=5.0), 20.0),  # contradicts "increase"
    ],
)
def test_progress_is_none_when_it_cannot_be_measured(m: Metric, value: float | None) -> None:
    assert progress(m, value) is None


finite = st.floats(min_value=-1e6, max_value=1e6)


@given(finite, finite)
def test_decrease_metrics_progress_as_values_fall(v1: float, v2: float) -> None:
    lower, higher = sorted((v1, v2))
    p_low = progress(HANDOFF_ERRORS, lower)
    p_high = progress(HANDOFF_ERRORS, higher)
    assert p_low is not None
    assert p_high is not None
    assert p_low >= p_high


@given(finite, finite)
def test_increase_metrics_progress_as_values_rise(v1: float, v2: float) -> None:
    lower, higher = sorted((v1, v2))
    p_low = progress(CHECKLIST_USE, lower)
    p_high = progress(CHECKLIST_USE, higher)
    assert p_low is not None
    assert p_high is not None
    assert p_low <= p_high


def _measure(on: date, value: float) -> Measurement:
    return Measurement(metric_id=HANDOFF_ERRORS.id, on=on, value=value)


def test_latest_is_the_most_recent_by_date() -> None:
    march = _measure(date(2025, 3, 31), 27.0)
    june = _measure(date(2025, 6, 30), 22.0)
    april = _measure(date(2025, 4, 30), 25.0)
    assert latest([march, june, april]) is june
    assert latest([]) is None
    assert latest(iter([april])) is april


def test_latest_on_a_tie_takes_the_last_in_the_list() -> None:
    day = date(2025, 6, 30)
    first = _measure(day, 22.0)
    correction = _measure(day, 21.0)
    assert latest([first, correction]) is correction
    assert latest([correction, first]) is first


def test_progress_of_the_latest_measurement() -> None:
    readings = [_measure(date(2025, 3, 31), 27.0), _measure(date(2025, 6, 30), 24.0)]
    newest = latest(readings)
    assert newest is not None
    assert progress(HANDOFF_ERRORS, newest.value) == pytest.approx(0.5)
