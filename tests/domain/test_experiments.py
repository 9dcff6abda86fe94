"""Trojan mice: their state on a given day, "overdue for a decision", and the result computed
from the linked metric (worked out by hand)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ldpm.domain.entities import Experiment, Metric
from ldpm.domain.enums import Decision, Direction, ExperimentState
from ldpm.domain.experiments import DECISION_GRACE_DAYS, overdue, result, state
from ldpm.domain.impact import Line

ERRORS = Metric(initiative_id="i", name="Hand-off errors", direction=Direction.DECREASE)
TRIAL = Experiment(
    initiative_id="i",
    title="Checklist with Team Blue",
    metric_id=ERRORS.id,
    start=date(2026, 1, 26),
    end=date(2026, 2, 8),  # 14 days
    segment="Pilot",
    comparison_segment="Others",
    pass_value=24.0,
)


def line(segment: str, points: list[tuple[date, float]]) -> Line:
    return Line(ERRORS.id, segment, [d.toordinal() for d, _ in points], [v for _, v in points])


LINES = {
    "Pilot": line(
        "Pilot",
        [
            (date(2026, 1, 5), 33.0),
            (date(2026, 1, 12), 32.0),
            (date(2026, 1, 19), 30.0),
            (date(2026, 1, 26), 22.0),
            (date(2026, 2, 2), 20.0),
            (date(2026, 2, 9), 19.0),
        ],
    ),
    "Others": line(
        "Others",
        [
            (date(2026, 1, 12), 30.0),
            (date(2026, 1, 19), 30.0),
            (date(2026, 1, 26), 29.0),
            (date(2026, 2, 2), 27.0),
        ],
    ),
}


@pytest.mark.parametrize(
    ("changes", "today", "expected"),
    [
        ({"start": None, "end": None}, date(2026, 1, 1), ExperimentState.PLANNED),
        ({}, date(2026, 1, 25), ExperimentState.PLANNED),
        ({}, date(2026, 1, 26), ExperimentState.RUNNING),
        ({}, date(2026, 2, 7), ExperimentState.RUNNING),
        ({"end": None}, date(2026, 6, 1), ExperimentState.RUNNING),
        ({}, date(2026, 2, 8), ExperimentState.DECIDING),  # it stops on its end date
        ({}, date(2026, 5, 1), ExperimentState.DECIDING),
        ({"decision": Decision.AMPLIFY}, date(2026, 5, 1), ExperimentState.DECIDED),
        ({"decision": Decision.DROP, "start": None}, date(2026, 1, 1), ExperimentState.DECIDED),
    ],
)
def test_state(changes: dict[str, object], today: date, expected: ExperimentState) -> None:
    experiment = dataclasses.replace(TRIAL, **changes)  # type: ignore[arg-type]
    assert state(experiment, today) is expected


def test_overdue_after_the_grace_period() -> None:
    last_grace_day = date(2026, 2, 8 + DECISION_GRACE_DAYS)
    assert not overdue(TRIAL, last_grace_day)
    assert overdue(TRIAL, date(2026, 2, 23))
    assert not overdue(dataclasses.replace(TRIAL, decision=Decision.ITERATE), date(2026, 6, 1))


def test_result_against_the_same_length_of_time_before() -> None:
    # 14 days from 26 Jan; the 14 days before are 12–25 Jan.
    # Pilot before: (32 + 30) / 2 = 31; during: (22 + 20) / 2 = 21; change −10 (−32.26 %).
    # Others: (30 + 30) / 2 = 30 → (29 + 27) / 2 = 28.  DiD = −10 − (−2) = −8.
    computed = result(TRIAL, ERRORS, LINES, date(2026, 3, 1))
    assert computed is not None
    assert computed.window == (date(2026, 1, 26), date(2026, 2, 8))
    assert (computed.n_before, computed.n_during) == (2, 2)
    assert computed.before == pytest.approx(31.0)
    assert computed.during == pytest.approx(21.0)
    assert computed.change == pytest.approx(-10.0)
    assert computed.change_pct == pytest.approx(-1000 / 31)
    assert computed.passed is True  # 21 ≤ 24, lower is better
    assert computed.did == pytest.approx(-8.0)
    assert computed.reason == ""


def test_pass_follows_the_direction() -> None:
    strict = dataclasses.replace(TRIAL, pass_value=20.0)
    outcome = result(strict, ERRORS, LINES, date(2026, 3, 1))
    assert outcome is not None and outcome.passed is False  # 21 > 20
    rising = dataclasses.replace(ERRORS, direction=Direction.INCREASE)
    outcome = result(TRIAL, rising, LINES, date(2026, 3, 1))
    assert outcome is not None and outcome.passed is False  # 21 < 24, higher is better
    no_value = dataclasses.replace(TRIAL, pass_value=None)
    outcome = result(no_value, ERRORS, LINES, date(2026, 3, 1))
    assert outcome is not None and outcome.passed is None


def test_a_running_experiment_is_measured_up_to_today() -> None:
    running = dataclasses.replace(TRIAL, end=None)
    # Up to 3 Feb: 9 days; the 9 days before are 17–25 Jan: only the 19th.  Not enough.
    outcome = result(running, ERRORS, LINES, date(2026, 2, 3))
    assert outcome is not None
    assert outcome.window == (date(2026, 1, 26), date(2026, 2, 3))
    assert outcome.before is None and outcome.during == pytest.approx(21.0)
    assert outcome.reason.startswith("Not enough data: 1 measurement(s) in the 9 days")
    assert outcome.did is None


def test_no_result_without_a_metric_a_start_or_measurements() -> None:
    today = date(2026, 3, 1)
    assert result(TRIAL, None, LINES, today) is None
    assert result(dataclasses.replace(TRIAL, start=None), ERRORS, LINES, today) is None
    assert (
        result(dataclasses.replace(TRIAL, start=date(2026, 4, 1), end=None), ERRORS, LINES, today)
        is None
    )
    other = Metric(initiative_id="i", name="Another")
    assert result(TRIAL, other, LINES, today) is None  # not the experiment's metric
    unmeasured = dataclasses.replace(TRIAL, segment="Team Green")
    outcome = result(unmeasured, ERRORS, LINES, today)
    assert outcome is not None and outcome.before is None
    assert outcome.reason == "“Hand-off errors” has no measurements for “Team Green”."
