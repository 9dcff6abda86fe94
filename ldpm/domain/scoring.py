"""Backlog scoring: RICE, WSJF, value/effort and MoSCoW, and the sort key that keeps a backlog
sorted by value.

All scores are ``None`` when an input is missing (the item is "unscored"); unscored items sort
after scored ones.  Scores never raise on incomplete data, so the UI can show a half-filled
backlog.
"""

from __future__ import annotations

import math
from enum import StrEnum

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import MoSCoW, ValueEffortQuadrant

#: Value (1..10) above this is "high value": 6..10 are high, 1..5 low.
DEFAULT_VALUE_SPLIT = 5.5
#: Effort in person-days above this is "high effort": up to a working week (5 days) is low.
DEFAULT_EFFORT_SPLIT = 5.0

_MOSCOW_ORDER = {MoSCoW.MUST: 0, MoSCoW.SHOULD: 1, MoSCoW.COULD: 2, MoSCoW.WONT: 3}


class ScoringMethod(StrEnum):
    """How a backlog is ordered.  Values are stable strings (safe to store as a setting)."""

    RICE = "rice"
    WSJF = "wsjf"
    VALUE_EFFORT = "value_effort"
    MOSCOW = "moscow"
    RANK = "rank"  # the manual order only


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


def rice(item: BacklogItem) -> float | None:
    """Reach × impact × confidence / effort, or ``None`` when an input is missing or effort ≤ 0.

    With reach in people per quarter and effort in person-days, a RICE score is "people helped
    per person-day, discounted by confidence".
    """
    reach, impact, confidence, effort = item.reach, item.impact, item.confidence, item.effort
    if reach is None or impact is None or confidence is None or effort is None:
        return None
    if not effort > 0:
        return None
    return _finite_or_none(reach * impact * confidence / effort)


def wsjf(item: BacklogItem) -> float | None:
    """(Business value + time criticality + risk reduction) / job size (the cost of delay per
    unit of size), or ``None`` when an input is missing or job size ≤ 0."""
    parts = (item.business_value, item.time_criticality, item.risk_reduction)
    size = item.job_size
    if size is None or any(p is None for p in parts) or not size > 0:
        return None
    cost_of_delay = sum(p for p in parts if p is not None)
    return _finite_or_none(cost_of_delay / size)


def value_effort_quadrant(
    value: float | None,
    effort: float | None,
    *,
    value_split: float = DEFAULT_VALUE_SPLIT,
    effort_split: float = DEFAULT_EFFORT_SPLIT,
) -> ValueEffortQuadrant | None:
    """Place an item on the value/effort matrix, or ``None`` when value or effort is missing.

    ``value`` is rated 1..10 and is high when it is above ``value_split`` (default 5.5, so 6..10
    are high).  ``effort`` is in person-days and is high when it is above ``effort_split``
    (default 5: more than a working week).  A value or effort exactly on a split counts as low.
    """
    if value is None or effort is None:
        return None
    high_value = value > value_split
    high_effort = effort > effort_split
    if high_value:
        return ValueEffortQuadrant.BIG_BET if high_effort else ValueEffortQuadrant.QUICK_WIN
    return ValueEffortQuadrant.MONEY_PIT if high_effort else ValueEffortQuadrant.FILL_IN


def value_effort_ratio(value: float | None, effort: float | None) -> float | None:
    """Value points per person-day, or ``None`` when either is missing or effort ≤ 0."""
    if value is None or effort is None or not effort > 0:
        return None
    return _finite_or_none(value / effort)


def moscow_order(m: MoSCoW | None) -> int:
    """Sort position of a MoSCoW category: Must 0, Should 1, Could 2, Won't 3, unset 4."""
    return 4 if m is None else _MOSCOW_ORDER[m]


def score(item: BacklogItem, method: ScoringMethod) -> float | None:
    """The item's score under ``method`` (higher is better), or ``None`` when unscored.

    MoSCoW scores Must 4, Should 3, Could 2, Won't 1; RANK has no score and returns ``None``.
    """
    if method is ScoringMethod.RICE:
        return rice(item)
    if method is ScoringMethod.WSJF:
        return wsjf(item)
    if method is ScoringMethod.VALUE_EFFORT:
        return value_effort_ratio(item.value, item.effort)
    if method is ScoringMethod.MOSCOW:
        return None if item.moscow is None else float(4 - moscow_order(item.moscow))
    return None


def backlog_sort_key(item: BacklogItem, method: ScoringMethod) -> tuple[int, float, str, str]:
    """Key for ``sorted(items, key=lambda i: backlog_sort_key(i, method))``.

    Higher scores come first, unscored items last, and ties (including all unscored items)
    are broken by manual rank, then by id, so the order is total and stable across devices.
    With :attr:`ScoringMethod.RANK` the order is the manual rank alone.
    """
    if method is ScoringMethod.RANK:
        return (0, 0.0, item.rank, item.id)
    value = score(item, method)
    if value is None:
        return (1, 0.0, item.rank, item.id)
    return (0, -value, item.rank, item.id)
