"""Impact, not vanity: metric tiers, health warnings, progress towards a target, the vanity
ladder (from activity up to a behaviour and a business metric) and "data due" by cadence.
The before/after arithmetic is in :mod:`ldpm.domain.impact`.

Tier mapping from the two common vocabularies (see :func:`suggested_tier`):

=================  =============  ===========================================================
tier               Kirkpatrick    LTEM (Thalheimer)
=================  =============  ===========================================================
operational        1, 2           1 attendance, 2 activity, 3 learner perceptions,
                                  4 knowledge
behaviour          3              5 decision-making competence, 6 task competence, 7 transfer
business           4              8 effects of transfer
=================  =============  ===========================================================
"""

from __future__ import annotations

import calendar
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ldpm.domain.entities import Initiative, Measurement, Metric
from ldpm.domain.enums import Cadence, Direction, MetricTier

_KIRKPATRICK = {
    1: MetricTier.OPERATIONAL,
    2: MetricTier.OPERATIONAL,
    3: MetricTier.BEHAVIOUR,
    4: MetricTier.BUSINESS,
}
_LTEM = {
    1: MetricTier.OPERATIONAL,
    2: MetricTier.OPERATIONAL,
    3: MetricTier.OPERATIONAL,
    4: MetricTier.OPERATIONAL,
    5: MetricTier.BEHAVIOUR,
    6: MetricTier.BEHAVIOUR,
    7: MetricTier.BEHAVIOUR,
    8: MetricTier.BUSINESS,
}
_TIER_WORDS = {
    MetricTier.OPERATIONAL: "operational",
    MetricTier.BEHAVIOUR: "behaviour",
    MetricTier.BUSINESS: "business",
}
_A_TIER = {
    MetricTier.OPERATIONAL: "an operational",
    MetricTier.BEHAVIOUR: "a behaviour",
    MetricTier.BUSINESS: "a business",
}


def is_vanity(metric: Metric) -> bool:
    """True for operational metrics (attendance, completions, satisfaction, hours)."""
    return metric.tier is MetricTier.OPERATIONAL


def _tier_of(level: int | None, table: dict[int, MetricTier], what: str) -> MetricTier | None:
    if level is None:
        return None
    if level not in table:
        raise ValueError(f"The {what} must be between 1 and {max(table)}.")
    return table[level]


def suggested_tier(kirkpatrick: int | None, ltem: int | None) -> MetricTier | None:
    """The tier the Kirkpatrick level and/or LTEM tier point to (see the module table).

    ``None`` when neither is given, or when both are given and point to different tiers
    (:func:`tier_conflict` explains that case).  Raises :class:`ValueError` for a level
    outside Kirkpatrick 1..4 or LTEM 1..8.
    """
    by_kirkpatrick = _tier_of(kirkpatrick, _KIRKPATRICK, "Kirkpatrick level")
    by_ltem = _tier_of(ltem, _LTEM, "LTEM tier")
    if by_kirkpatrick is not None and by_ltem is not None and by_kirkpatrick != by_ltem:
        return None
    return by_kirkpatrick or by_ltem


def tier_conflict(metric: Metric) -> str | None:
    """A sentence when the metric's tier disagrees with its Kirkpatrick level or LTEM tier."""
    by_kirkpatrick = _tier_of(metric.kirkpatrick, _KIRKPATRICK, "Kirkpatrick level")
    by_ltem = _tier_of(metric.ltem, _LTEM, "LTEM tier")
    if by_kirkpatrick is not None and by_ltem is not None and by_kirkpatrick != by_ltem:
        return (
            f"Kirkpatrick level {metric.kirkpatrick} points to {_A_TIER[by_kirkpatrick]} "
            f"metric but LTEM tier {metric.ltem} to {_A_TIER[by_ltem]} one: "
            "check which is right."
        )
    suggested = by_kirkpatrick or by_ltem
    if suggested is None or suggested is metric.tier:
        return None
    sources = []
    if by_kirkpatrick is not None:
        sources.append(f"Kirkpatrick level {metric.kirkpatrick}")
    if by_ltem is not None:
        sources.append(f"LTEM tier {metric.ltem}")
    verb = "suggest" if len(sources) > 1 else "suggests"
    return (
        f"{' and '.join(sources)} {verb} {_A_TIER[suggested]} metric, "
        f"but this one is marked {_TIER_WORDS[metric.tier]}."
    )


def only_vanity_metrics(metrics: Iterable[Metric]) -> bool:
    """True when there are metrics and every one of them is operational."""
    items = list(metrics)
    return bool(items) and all(is_vanity(m) for m in items)


def _present(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _and_join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def metrics_health(metrics: Iterable[Metric]) -> list[str]:
    """Plain-English warnings about an initiative's metrics; empty when all is well.

    Order: no metrics at all; only operational metrics; no behaviour metric; no business
    metric; then, per behaviour or business metric in the given order, a missing baseline,
    target or target date, a target equal to the baseline, or a target on the wrong side of
    the baseline for the metric's direction.
    """
    items = list(metrics)
    if not items:
        return [
            "There are no metrics yet: add a behaviour metric and a business metric "
            "to show impact."
        ]
    warnings: list[str] = []
    tiers = {m.tier for m in items}
    if tiers == {MetricTier.OPERATIONAL}:
        warnings.append(
            "All metrics are operational (attendance, completions, satisfaction, hours): "
            "they show activity, not impact."
        )
    if MetricTier.BEHAVIOUR not in tiers:
        warnings.append(
            "There is no behaviour metric: add one for what people should do differently."
        )
    if MetricTier.BUSINESS not in tiers:
        warnings.append("There is no business metric: add the KPI the business cares about.")
    for m in items:
        if is_vanity(m):
            continue
        missing = [
            label
            for label, ok in (
                ("a baseline", _present(m.baseline)),
                ("a target", _present(m.target)),
                ("a target date", m.target_date is not None),
            )
            if not ok
        ]
        if missing:
            warnings.append(f"The metric “{m.name}” needs {_and_join(missing)} to show impact.")
        elif m.baseline == m.target:
            warnings.append(
                f"The metric “{m.name}” has the same baseline and target: set a target "
                "that differs from the baseline."
            )
        elif not _target_matches_direction(m):
            wanted = "fall" if m.direction is Direction.DECREASE else "rise"
            warnings.append(
                f"The metric “{m.name}” should {wanted}, but its target is on the other "
                "side of the baseline."
            )
    return warnings


def _target_matches_direction(metric: Metric) -> bool:
    baseline, target = metric.baseline, metric.target
    if baseline is None or target is None:
        return False
    if metric.direction is Direction.DECREASE:
        return target < baseline
    return target > baseline


def progress(metric: Metric, latest_value: float | None) -> float | None:
    """Fraction of the way from baseline to target reached by ``latest_value``.

    0.0 is the baseline and 1.0 the target, for increase and decrease metrics alike (for a
    decrease metric, progress grows as values fall).  The result is not clamped: below 0 means
    it moved the wrong way, above 1 that it beat the target.  ``None`` when the baseline,
    target or value is missing or not finite, when the target equals the baseline, or when
    the target lies on the wrong side of the baseline for the metric's direction.
    """
    baseline, target = metric.baseline, metric.target
    if baseline is None or target is None or latest_value is None:
        return None
    if not (_present(baseline) and _present(target) and _present(latest_value)):
        return None
    if not _target_matches_direction(metric):
        return None
    return (latest_value - baseline) / (target - baseline)


def latest(measurements: Iterable[Measurement]) -> Measurement | None:
    """The most recent measurement by date; on a tie, the one later in the list."""
    best: Measurement | None = None
    for m in measurements:
        if best is None or m.on >= best.on:
            best = m
    return best


def _number(x: float) -> str:
    return f"{x:g}"


def target_side_problem(metric: Metric) -> str | None:
    """A question to ask when the target lies on the wrong side of the baseline for the
    metric's direction (a target of 3 errors when the baseline is 2.5 and errors should fall);
    None when there is nothing to ask (no baseline or target, equal values, or all is well)."""
    baseline, target = metric.baseline, metric.target
    if not (_present(baseline) and _present(target)) or baseline == target:
        return None
    assert baseline is not None and target is not None
    if _target_matches_direction(metric):
        return None
    side = "above" if target > baseline else "below"
    wanted = "fall" if metric.direction is Direction.DECREASE else "rise"
    return (
        f"The target {_number(target)} is {side} the baseline {_number(baseline)}, but "
        f"“{metric.name}” should {wanted}."
    )


# ------------------------------------------------------------------ the vanity ladder

#: What an operational metric's name says it counts → a behaviour metric that climbs from it
#: (name, unit).  The first keyword found in the name wins; the last row is the fallback.
_BEHAVIOUR_STEPS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("attend", "participa", "registr", "enrol"),
        "Participants who apply what they practised at work (observed)",
        "% of participants",
    ),
    (
        ("complet", "finish", "pass", "certif", "module"),
        "Learners who use the new practice at work within 30 days",
        "% of learners",
    ),
    (
        ("satisf", "rating", "nps", "feedback", "useful", "smile", "survey"),
        "People their managers see doing it the new way (observation checklist)",
        "% observed",
    ),
    (
        ("hour", "time spent", "minutes", "views", "clicks", "logins"),
        "Time until a newcomer does the task alone",
        "days",
    ),
    ((), "People doing the task the new way at work", "% of the audience"),
)


@dataclass(frozen=True, slots=True)
class Ladder:
    """From what an initiative measures (only activity) up to impact: the operational metrics
    it has, and a behaviour and a business metric to add (new, not stored; the user edits
    them after adding)."""

    measured: tuple[str, ...]
    behaviour: Metric
    business: Metric

    @property
    def suggestions(self) -> tuple[Metric, Metric]:
        return (self.behaviour, self.business)


def _behaviour_step(names: Sequence[str]) -> tuple[str, str]:
    text = " ".join(names).casefold()
    for keywords, name, unit in _BEHAVIOUR_STEPS:
        if not keywords or any(k in text for k in keywords):
            return name, unit
    raise AssertionError("the last step is the fallback")  # pragma: no cover


def vanity_ladder(initiative: Initiative, metrics: Iterable[Metric]) -> Ladder | None:
    """The suggested ladder for an initiative whose metrics are all operational (None
    otherwise).

    The behaviour step comes from the problem statement when it names the behaviour (how often
    that segment still does it: lower is better), else from what the operational metrics count
    (attendance → people applying it at work …).  The business step is the problem
    statement's metric with its baseline, target and date when there is one, else a
    placeholder to agree with the sponsor."""
    items = list(metrics)
    if not only_vanity_metrics(items):
        return None
    measured = tuple(m.name for m in items)
    segment = initiative.problem_segment.strip()
    behaviour_text = initiative.problem_behaviour.strip()
    if behaviour_text:
        who = segment or "people in the audience"
        behaviour = Metric(
            initiative_id=initiative.id,
            name=_clip(f"How often {who} {behaviour_text}"),
            description=(
                "Suggested from the problem statement: what people do differently. "
                "Set its baseline, target and date."
            ),
            tier=MetricTier.BEHAVIOUR,
            kirkpatrick=3,
            ltem=7,
            unit="% of observed cases",
            direction=Direction.DECREASE,
            segment=segment,
        )
    else:
        name, unit = _behaviour_step(measured)
        behaviour = Metric(
            initiative_id=initiative.id,
            name=name,
            description=(
                "Suggested from what the initiative measures today: what people do "
                "differently after it. Set its baseline, target and date."
            ),
            tier=MetricTier.BEHAVIOUR,
            kirkpatrick=3,
            ltem=7,
            unit=unit,
            direction=Direction.DECREASE if unit == "days" else Direction.INCREASE,
            segment=segment,
        )
    problem_metric = initiative.problem_metric.strip()
    if problem_metric:
        baseline, target = initiative.problem_baseline, initiative.problem_target
        falling = baseline is not None and target is not None and target < baseline
        business = Metric(
            initiative_id=initiative.id,
            name=_clip(problem_metric),
            description=(
                "Suggested from the problem statement: check that this is the number the "
                "sponsor already tracks."
            ),
            tier=MetricTier.BUSINESS,
            kirkpatrick=4,
            ltem=8,
            unit=initiative.problem_unit,
            direction=Direction.DECREASE if falling else Direction.INCREASE,
            baseline=baseline,
            target=target,
            target_date=initiative.problem_date,
        )
    else:
        business = Metric(
            initiative_id=initiative.id,
            name="The business KPI the sponsor tracks",
            description=(
                "The number the business already reports that this initiative should move "
                "(errors, time, cost, revenue, retention …): name it with the sponsor."
            ),
            tier=MetricTier.BUSINESS,
            kirkpatrick=4,
            ltem=8,
        )
    return Ladder(measured, behaviour, business)


def _clip(name: str) -> str:
    """A suggested name short enough for a metric (names are limited, see validation)."""
    return name if len(name) <= 120 else name[:119].rstrip() + "…"


# ------------------------------------------------------------------------- data due

_PERIOD_DAYS = {
    Cadence.WEEKLY: 7,
    Cadence.FORTNIGHTLY: 14,
    Cadence.MONTHLY: 30,
    Cadence.QUARTERLY: 91,
}
_PERIOD_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept at the month's end when it is shorter (31 Jan →
    28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_dates(cadence: Cadence, anchor: date, until: date) -> list[date]:
    """The dates a measurement is due after ``anchor`` (which is the baseline or the first
    measurement, so not itself due) up to and including ``until``."""
    if cadence is Cadence.NONE:
        return []
    out: list[date] = []
    k = 1
    while True:
        if cadence in _PERIOD_MONTHS:
            due = add_months(anchor, k * _PERIOD_MONTHS[cadence])
        else:
            due = anchor + timedelta(days=k * _PERIOD_DAYS[cadence])
        if due > until:
            return out
        out.append(due)
        k += 1


def missing_due(metric: Metric, measured: Sequence[int], today: date) -> list[date]:
    """Due dates (by the metric's cadence) without a measurement near them: "data due".

    ``measured`` are the days of the metric's measurements, any segment, as
    ``date.toordinal()`` numbers in ascending order.  Measurements are due from the baseline
    date (or, without one, the first measurement) until the target date or today, whichever
    comes first; a due date counts as measured when a measurement falls within half a period
    of it (the windows of neighbouring due dates touch, they do not overlap)."""
    if metric.cadence is Cadence.NONE:
        return []
    if metric.baseline_date is not None:
        anchor = metric.baseline_date
    elif measured:
        anchor = date.fromordinal(measured[0])
    else:
        return []
    until = today if metric.target_date is None else min(today, metric.target_date)
    period = _PERIOD_DAYS[metric.cadence]
    before, after = period // 2, (period + 1) // 2 - 1
    if metric.cadence in _PERIOD_MONTHS:
        days = [d.toordinal() for d in due_dates(metric.cadence, anchor, until)]
    else:  # whole weeks: day numbers, no dates until one is missing
        days = list(range(anchor.toordinal() + period, until.toordinal() + 1, period))
    missing = []
    count = len(measured)
    for day in days:
        i = bisect_left(measured, day - before)
        if i == count or measured[i] > day + after:
            missing.append(date.fromordinal(day))
    return missing
