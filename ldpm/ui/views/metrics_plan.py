"""The evaluation plan's decisions that need no widget, for :mod:`ldpm.ui.views.metrics`.

* :func:`metric_edit` — the command an edited field of a metric becomes, or ``None`` with a
  question asked first when the edit would put the target on the wrong side of the baseline
  (nothing is written until the user answers);
* :func:`new_metric` — the command for a new metric of a tier (the first impact tier the plan
  lacks when none is given), named and levelled for its tier;
* :func:`plan_row` — a metric of the plan with its latest value, progress, what is due and its
  problems;
* :func:`banner` — what the banner over the view says: the vanity check and its ladder, or
  the plan's health warnings.

Text is translated in the "MetricsView" context, as it was when these lived in the view.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from ldpm.domain.entities import Metric
from ldpm.domain.enums import Direction, MetricTier
from ldpm.domain.metrics import (
    metrics_health,
    progress,
    target_side_problem,
    tier_conflict,
    vanity_ladder,
)
from ldpm.services import metrics as svc
from ldpm.services.commands import AddEntity, Command
from ldpm.services.project import Project
from ldpm.ui.labels import label
from ldpm.ui.models.metrics import MetricRow
from ldpm.ui.views.metric_details import whole

#: The fields whose edit may put the target on the wrong side of the baseline.
SIDE_FIELDS = frozenset({"baseline", "target", "direction"})

#: Asks whether to write ``anyway`` (or ``flipped``, labelled ``flip_text``) given a sentence.
Ask = Callable[[str, Command, Command | None, str], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("MetricsView", text)


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def metric_edit(
    metric: Metric, field: str, value: Any, ask: Ask, *, typing: bool = False
) -> Command | None:
    """The command for one edited field; None (after ``ask``) when the edit would put the
    target on the wrong side of the baseline."""
    if field in ("kirkpatrick", "ltem"):
        value = whole(value)
    if field in SIDE_FIELDS and not _nan(value):
        changed = dataclasses.replace(metric, **{field: value})
        sentence = target_side_problem(changed)
        if sentence is not None:
            anyway = svc.edit_metric(metric.id, {field: value})
            flipped = None
            flip_text = ""
            if field != "direction":
                other = (
                    Direction.INCREASE
                    if changed.direction is Direction.DECREASE
                    else Direction.DECREASE
                )
                flipped = svc.edit_metric(metric.id, {field: value, "direction": other})
                flip_text = (
                    _tr("Set It: Higher Is Better")
                    if other is Direction.INCREASE
                    else _tr("Set It: Lower Is Better")
                )
            ask(sentence, anyway, flipped, flip_text)
            return None
    return svc.edit_metric(metric.id, {field: value}, typing=typing)


def new_metric(
    project: Project, initiative_id: str, tier: MetricTier | None, metrics: list[Metric]
) -> AddEntity:
    """A new metric of ``tier`` (else the first of behaviour and business that ``metrics``
    lack), at the Kirkpatrick level of its tier."""
    if tier is None:
        have = {m.tier for m in metrics}
        tier = next(
            (t for t in (MetricTier.BEHAVIOUR, MetricTier.BUSINESS) if t not in have),
            MetricTier.BEHAVIOUR,
        )
    kirkpatrick = {MetricTier.BEHAVIOUR: 3, MetricTier.BUSINESS: 4}.get(tier)
    return svc.add_metric(
        project,
        initiative_id,
        _tr("New {tier} metric").format(tier=label(tier).lower()),
        tier=tier,
        kirkpatrick=kirkpatrick,
    )


def plan_row(data: svc.Impact, metric: Metric) -> MetricRow:
    main = data.lines.get(metric.id, {}).get("")
    latest = main.latest() if main is not None else None
    fraction = progress(metric, latest)
    problems = tuple(_domain(p) for p in (tier_conflict(metric), target_side_problem(metric)) if p)
    return MetricRow(
        metric,
        latest,
        None if fraction is None else fraction * 100,
        tuple(data.missing.get(metric.id, ())),
        problems,
    )


def banner(data: svc.Impact) -> tuple[str, str]:
    """The banner's text ("" for none) and its button's ("" for none)."""
    ladder = vanity_ladder(data.initiative, data.metrics)
    if ladder is not None:
        measured = ", ".join(f"“{name}”" for name in ladder.measured)
        text = _tr(
            "⚠ Only vanity metrics: {measured} count activity, not impact. Climb the "
            "ladder: what people do differently — “{behaviour}” — and the number the "
            "business cares about — “{business}”."
        ).format(measured=measured, behaviour=ladder.behaviour.name, business=ladder.business.name)
        return text, _tr("Add Both Suggested Metrics")
    warnings = metrics_health(data.metrics)
    if not data.metrics:
        return "⚠ " + _domain(warnings[0]), _tr("New Metric")
    if warnings:
        return "\n".join("⚠ " + _domain(w) for w in warnings[:3]), ""
    return "", ""
