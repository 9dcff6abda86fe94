"""Trojan mice: where an experiment stands, whether it is overdue for a decision, and its result
computed from the linked metric's measurements.

State (the board's columns) follows from the dates and the decision, so it never disagrees
with them:

* **decided** — a decision was taken (amplify, iterate or drop);
* **planned** — no start date yet, or it starts after today;
* **running** — started, and its end date (the day it stops) is after today, or not set;
* **deciding** — it has stopped and waits for a decision; more than
  :data:`DECISION_GRACE_DAYS` after its end date it is *overdue* for one.

The result compares the pilot group's line (:attr:`Experiment.segment`, "" for the metric's
main line) during the experiment (start to end, or to today while it runs) with a window of
the same length just before it started; with a comparison group it adds the
difference-in-differences over the same two windows.  It passes when the mean during the
experiment reaches :attr:`Experiment.pass_value` in the metric's direction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ldpm.domain.entities import Experiment, Metric
from ldpm.domain.enums import Decision, Direction, ExperimentState
from ldpm.domain.impact import MIN_SIDE, Line, mean_between

#: Days after its end an experiment may wait for a decision before it is overdue.
DECISION_GRACE_DAYS = 14


def state(experiment: Experiment, today: date) -> ExperimentState:
    """The board column of ``experiment`` on ``today`` (see the module docstring)."""
    if experiment.decision is not Decision.PENDING:
        return ExperimentState.DECIDED
    if experiment.start is None or experiment.start > today:
        return ExperimentState.PLANNED
    if experiment.end is None or experiment.end > today:
        return ExperimentState.RUNNING
    return ExperimentState.DECIDING


def overdue(experiment: Experiment, today: date) -> bool:
    """Ended more than :data:`DECISION_GRACE_DAYS` ago and still without a decision."""
    return (
        state(experiment, today) is ExperimentState.DECIDING
        and experiment.end is not None
        and (today - experiment.end).days > DECISION_GRACE_DAYS
    )


@dataclass(frozen=True, slots=True)
class ExperimentResult:
    """The linked metric during the experiment against the same length of time before it."""

    segment: str  # the pilot group's line ("" = the main line)
    before: float | None
    during: float | None
    n_before: int
    n_during: int
    window: tuple[date, date]  # the experiment's days (start, end or today)
    passed: bool | None  # None without a pass value or without data
    did: float | None  # with a comparison group
    reason: str  # a sentence when it could not be computed ("" otherwise)

    @property
    def change(self) -> float | None:
        if self.before is None or self.during is None:
            return None
        return self.during - self.before

    @property
    def change_pct(self) -> float | None:
        change = self.change
        if change is None or not self.before:
            return None
        return change / abs(self.before) * 100


def _windows(experiment: Experiment, today: date) -> tuple[date, date, date] | None:
    """(start of the window before, start, end) or None when it has not started."""
    start = experiment.start
    if start is None or start > today:
        return None
    end = experiment.end if experiment.end is not None and experiment.end < today else today
    length = (end - start).days + 1
    return start - timedelta(days=length), start, end


def result(
    experiment: Experiment, metric: Metric | None, lines: Mapping[str, Line], today: date
) -> ExperimentResult | None:
    """The computed result (see the module docstring); None when the experiment has no
    metric or has not started — then only an entered result can say how it went."""
    if metric is None or experiment.metric_id != metric.id:
        return None
    windows = _windows(experiment, today)
    if windows is None:
        return None
    first, start, end = windows
    segment = experiment.segment.strip()
    line = lines.get(segment)
    if line is None:
        who = segment or "everyone (no segment)"
        return ExperimentResult(
            segment, None, None, 0, 0, (start, end), None, None,
            f"“{metric.name}” has no measurements for “{who}”.",
        )  # fmt: skip
    before, n_before = mean_between(line, first, start - timedelta(days=1))
    during, n_during = mean_between(line, start, end)
    reason = ""
    if before is None or during is None:
        reason = (
            f"Not enough data: {n_before} measurement(s) in the {(end - start).days + 1} days "
            f"before it started and {n_during} during it (at least {MIN_SIDE} each)."
        )
    passed = None
    pass_value = experiment.pass_value
    if during is not None and pass_value is not None and math.isfinite(pass_value):
        if metric.direction is Direction.DECREASE:
            passed = during <= pass_value
        else:
            passed = during >= pass_value
    did = None
    comparison = lines.get(experiment.comparison_segment.strip())
    if experiment.comparison_segment.strip() and comparison is not None:
        c_before, _ = mean_between(comparison, first, start - timedelta(days=1))
        c_during, _ = mean_between(comparison, start, end)
        if None not in (before, during, c_before, c_during):
            assert before is not None and during is not None
            assert c_before is not None and c_during is not None
            did = (during - before) - (c_during - c_before)
    return ExperimentResult(
        segment, before, during, n_before, n_during, (start, end), passed, did, reason
    )
