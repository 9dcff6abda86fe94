"""Backlog scoring: RICE, WSJF, value/effort and MoSCoW, the workspace's scales, weights and
rubrics, and the sort key that keeps a backlog sorted by value.

All scores are ``None`` when an input is missing (the item "needs scoring", never 0);
unscored items sort after scored ones.  Scores never raise on incomplete data, so the UI can
show a half-filled backlog.  Scores are **absolute**: an item's score depends on its own
inputs and the workspace's weights only, never on the other items, so adding an idea never
shifts anyone else's score.

A :class:`ScoringScheme` is what a workspace chose: the method that ranks by default, the
RICE impact and confidence steps, the WSJF weights and a written rubric per :class:`Factor`
(the built-in rubric where the workspace wrote none).  The functions take a scheme where it
matters and fall back to the standard one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ldpm.domain.entities import RICE_IMPACTS, BacklogItem, Workspace
from ldpm.domain.enums import MoSCoW, ScoringMethod, ValueEffortQuadrant
from ldpm.domain.scales import listed, on_scale, parse_scale

__all__ = [
    "DEFAULT_CONFIDENCE_STEPS",
    "DEFAULT_EFFORT_SPLIT",
    "DEFAULT_RUBRICS",
    "DEFAULT_VALUE_SPLIT",
    "FACTORS",
    "Factor",
    "ScoringMethod",
    "ScoringScheme",
    "backlog_sort_key",
    "missing_inputs",
    "moscow_order",
    "rice",
    "scale_problem",
    "score",
    "value_effort_quadrant",
    "value_effort_ratio",
    "wsjf",
]

#: Value (1..10) above this is "high value": 6..10 are high, 1..5 low.
DEFAULT_VALUE_SPLIT = 5.5
#: Effort in person-days above this is "high effort": up to a working week (5 days) is low.
DEFAULT_EFFORT_SPLIT = 5.0
#: The standard RICE confidence steps, as fractions: high, medium, low.
DEFAULT_CONFIDENCE_STEPS = (1.0, 0.8, 0.5)

_MOSCOW_ORDER = {MoSCoW.MUST: 0, MoSCoW.SHOULD: 1, MoSCoW.COULD: 2, MoSCoW.WONT: 3}


class Factor(StrEnum):
    """An input a person scores; the value is the backlog item's field."""

    REACH = "reach"
    IMPACT = "impact"
    CONFIDENCE = "confidence"
    EFFORT = "effort"
    BUSINESS_VALUE = "business_value"
    TIME_CRITICALITY = "time_criticality"
    RISK_REDUCTION = "risk_reduction"
    JOB_SIZE = "job_size"
    VALUE = "value"
    MOSCOW = "moscow"

    @property
    def rubric_field(self) -> str:
        """The workspace field that holds this factor's rubric."""
        return f"rubric_{self.value}"


#: The inputs of each method, in the order they are asked for.
FACTORS: Mapping[ScoringMethod, tuple[Factor, ...]] = MappingProxyType(
    {
        ScoringMethod.RICE: (Factor.REACH, Factor.IMPACT, Factor.CONFIDENCE, Factor.EFFORT),
        ScoringMethod.WSJF: (
            Factor.BUSINESS_VALUE,
            Factor.TIME_CRITICALITY,
            Factor.RISK_REDUCTION,
            Factor.JOB_SIZE,
        ),
        ScoringMethod.VALUE_EFFORT: (Factor.VALUE, Factor.EFFORT),
        ScoringMethod.MOSCOW: (Factor.MOSCOW,),
        ScoringMethod.RANK: (),
    }
)

#: The built-in rubric of each factor: what a score means, so two people score alike.
DEFAULT_RUBRICS: Mapping[Factor, str] = MappingProxyType(
    {
        Factor.REACH: (
            "How many people it will reach in a quarter. Count the people who will actually "
            "meet it in their work, not the whole audience."
        ),
        Factor.IMPACT: (
            "How much it changes what each person it reaches does, on the workspace's steps: "
            "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal."
        ),
        Factor.CONFIDENCE: (
            "How sure you are of the reach, impact and effort: 100% when data backs them, "
            "80% with some evidence, 50% for a hunch. Below 50% it is a moonshot: run an "
            "experiment first."
        ),
        Factor.EFFORT: (
            "Person-days of work from everyone involved (L&D, subject-matter experts, "
            "vendors) until it is in people's hands."
        ),
        Factor.BUSINESS_VALUE: (
            "1 to 10: what the business gains when it ships (revenue, cost, risk, customer "
            "experience), relative to the other items you score."
        ),
        Factor.TIME_CRITICALITY: (
            "1 to 10: how fast the value melts away if it waits: a deadline, a season, a "
            "launch, an audit."
        ),
        Factor.RISK_REDUCTION: (
            "1 to 10: how much it lowers a risk or opens the way for later work."
        ),
        Factor.JOB_SIZE: (
            "The size of the work in points (1, 2, 3, 5, 8, 13, 20): bigger jobs wait longer "
            "for the same value."
        ),
        Factor.VALUE: (
            "1 to 10: the value to learners and the business; 6 and above counts as high on "
            "the value/effort matrix."
        ),
        Factor.MOSCOW: (
            "Must: the release fails without it. Should: important, not vital. Could: nice "
            "to have. Won't: agreed out of scope this time."
        ),
    }
)


@dataclass(frozen=True)
class ScoringScheme:
    """What a workspace chose for scoring (see the module docstring)."""

    method: ScoringMethod = ScoringMethod.RICE
    impact_steps: tuple[float, ...] = RICE_IMPACTS
    confidence_steps: tuple[float, ...] = DEFAULT_CONFIDENCE_STEPS  # fractions
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0)  # value, time, risk
    rubrics: Mapping[Factor, str] = field(default_factory=dict)  # only those written

    @classmethod
    def of(cls, workspace: Workspace) -> ScoringScheme:
        """The scheme a workspace stores (a scale that cannot be read: the standard one)."""
        try:
            impact = parse_scale(workspace.impact_scale)
        except ValueError:
            impact = RICE_IMPACTS
        try:
            confidence = tuple(p / 100 for p in parse_scale(workspace.confidence_scale))
        except ValueError:
            confidence = DEFAULT_CONFIDENCE_STEPS
        rubrics = {f: text for f in Factor if (text := getattr(workspace, f.rubric_field).strip())}
        return cls(
            method=workspace.scoring_method,
            impact_steps=impact,
            confidence_steps=confidence,
            weights=(
                workspace.wsjf_weight_value,
                workspace.wsjf_weight_time,
                workspace.wsjf_weight_risk,
            ),
            rubrics=rubrics,
        )

    def rubric(self, factor: Factor) -> str:
        """The workspace's rubric for ``factor``, or the built-in one."""
        return self.rubrics.get(factor) or DEFAULT_RUBRICS[factor]

    def is_default_rubric(self, factor: Factor) -> bool:
        return factor not in self.rubrics


STANDARD = ScoringScheme()


def scale_problem(factor: Factor, value: float | None, scheme: ScoringScheme) -> str | None:
    """A sentence when ``value`` is not a step of the scheme's scale for ``factor`` (impact
    and confidence have steps; other factors have none), else None."""
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if factor is Factor.IMPACT and not on_scale(value, scheme.impact_steps):
        return f"{_plain(value)} is not on the impact scale: use {listed(scheme.impact_steps)}."
    if factor is Factor.CONFIDENCE and not on_scale(value, scheme.confidence_steps):
        percent = [round(s * 100, 6) for s in scheme.confidence_steps]
        return (
            f"{_plain(round(value * 100, 6))}% is not on the confidence scale: use "
            f"{listed(percent, '%')}."
        )
    return None


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def missing_inputs(item: BacklogItem, method: ScoringMethod) -> tuple[Factor, ...]:
    """The inputs ``method`` needs that ``item`` lacks (empty: it can be scored).  An effort
    or job size of zero counts as missing: nothing can be divided by it."""
    out = []
    for factor in FACTORS[method]:
        value = getattr(item, factor.value)
        if value is None or (factor in (Factor.EFFORT, Factor.JOB_SIZE) and not value > 0):
            out.append(factor)
    return tuple(out)


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


def wsjf(item: BacklogItem, weights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> float | None:
    """(Business value + time criticality + risk reduction) / job size (the cost of delay per
    unit of size), or ``None`` when an input is missing or job size ≤ 0.  ``weights``
    multiply the three parts of the cost of delay (the workspace's WSJF weights)."""
    value, time, risk = item.business_value, item.time_criticality, item.risk_reduction
    size = item.job_size
    if size is None or value is None or time is None or risk is None or not size > 0:
        return None
    cost_of_delay = weights[0] * value + weights[1] * time + weights[2] * risk
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


def score(
    item: BacklogItem, method: ScoringMethod, scheme: ScoringScheme = STANDARD
) -> float | None:
    """The item's score under ``method`` (higher is better), or ``None`` when unscored.

    MoSCoW scores Must 4, Should 3, Could 2, Won't 1; RANK has no score and returns ``None``.
    WSJF uses the scheme's weights.
    """
    if method is ScoringMethod.RICE:
        return rice(item)
    if method is ScoringMethod.WSJF:
        return wsjf(item, scheme.weights)
    if method is ScoringMethod.VALUE_EFFORT:
        return value_effort_ratio(item.value, item.effort)
    if method is ScoringMethod.MOSCOW:
        return None if item.moscow is None else float(4 - moscow_order(item.moscow))
    return None


def backlog_sort_key(
    item: BacklogItem, method: ScoringMethod, scheme: ScoringScheme = STANDARD
) -> tuple[int, float, str, str]:
    """Key for ``sorted(items, key=lambda i: backlog_sort_key(i, method))``.

    Higher scores come first, unscored items last, and ties (including all unscored items)
    are broken by manual rank, then by id, so the order is total and stable across devices.
    With :attr:`ScoringMethod.RANK` the order is the manual rank alone.
    """
    if method is ScoringMethod.RANK:
        return (0, 0.0, item.rank, item.id)
    value = score(item, method, scheme)
    if value is None:
        return (1, 0.0, item.rank, item.id)
    return (0, -value, item.rank, item.id)
