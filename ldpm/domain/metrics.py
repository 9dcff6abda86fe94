"""Impact, not vanity: metric tiers, health warnings and progress towards a target.

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

import math
from collections.abc import Iterable, Sequence

from ldpm.domain.entities import Measurement, Metric
from ldpm.domain.enums import Direction, MetricTier

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
