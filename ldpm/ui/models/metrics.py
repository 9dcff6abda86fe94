"""The metrics view's tables, declared as columns: the evaluation plan, one metric's
measurements, and before/after per metric.

The plan and before/after rows are built by the view from one read of the services
(:func:`ldpm.services.metrics.impact`), so the plan, the chart and the numbers never disagree;
the measurements are read for the metric on screen only.  Every model follows the view
(``set_following(False)``): the view reloads them when a change record concerns them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.domain.entities import Measurement, Metric
from ldpm.domain.enums import Cadence, Direction, MetricTier, Track
from ldpm.domain.impact import BeforeAfter
from ldpm.services import metrics as svc
from ldpm.services.commands import Command
from ldpm.ui.labels import label
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date, format_number

#: Makes the command for one edited field of a metric (None: nothing to run now).
MetricEdit = Callable[[Metric, str, Any], Command | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("MetricsModels", text)


def number(value: float | None, digits: int = 2) -> str:
    """A figure as people read it: rounded to ``digits`` decimals, in the locale."""
    if value is None or not math.isfinite(value):
        return ""
    return format_number(round(value, digits))


def signed(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return ""
    text = number(value, digits)
    return text if value < 0 or text.startswith(("-", "−")) else "+" + text


def percent(value: float | None, *, sign: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return (signed(value, 0) if sign else number(value, 0)) + "%"


# ------------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class MetricRow:
    """A metric of the plan with what the view worked out about it."""

    metric: Metric
    latest: float | None = None
    progress_pct: float | None = None
    missing: tuple[date, ...] = ()
    problems: tuple[str, ...] = ()  # sentences: tier conflicts, a target on the wrong side

    @property
    def id(self) -> str:
        return self.metric.id


def status_text(row: MetricRow) -> str:
    parts = []
    if row.missing:
        parts.append(_tr("Data due ({count})").format(count=len(row.missing)))
    if row.problems:
        parts.append("⚠ " + _tr("Check"))
    return " · ".join(parts) or "✓"


def status_tip(row: MetricRow) -> str:
    lines = list(row.problems)
    if row.missing:
        lines.insert(
            0,
            _tr("{count} measurement(s) due but missing, the last on {date}.").format(
                count=len(row.missing), date=format_date(row.missing[-1])
            ),
        )
    return "\n".join(lines) or _tr("Measured as planned.")


def _field(name: str) -> Callable[[MetricRow], Any]:
    return lambda row: getattr(row.metric, name)


def plan_columns(edit: MetricEdit) -> list[Column[MetricRow]]:
    def command(name: str) -> Callable[[MetricRow, Any], Command | None]:
        return lambda row, value: edit(row.metric, name, value)

    def editable(name: str, header: Callable[[], str], **kw: Any) -> Column[MetricRow]:
        return Column(field=name, value=_field(name), header=header, command=command(name), **kw)

    return [
        editable(
            "name",
            lambda: _tr("Metric"),
            tooltip=lambda r: r.metric.description or r.metric.name,
        ),
        editable(
            "tier",
            lambda: _tr("Tier"),
            kind=Kind.CHOICE,
            choices=MetricTier,
            header_tip=lambda: _tr(
                "Operational (activity), learner goal / behaviour (what people do "
                "differently) or business (the KPI)"
            ),
        ),
        editable("unit", lambda: _tr("Unit"), flexible=False),
        editable(
            "direction",
            lambda: _tr("Should"),
            kind=Kind.CHOICE,
            choices=Direction,
        ),
        editable("baseline", lambda: _tr("Baseline"), kind=Kind.DECIMAL),
        editable("target", lambda: _tr("Target"), kind=Kind.DECIMAL),
        editable("target_date", lambda: _tr("By"), kind=Kind.DATE),
        editable(
            "cadence",
            lambda: _tr("Measured"),
            kind=Kind.CHOICE,
            choices=Cadence,
            header_tip=lambda: _tr("How often: a measurement missing at its date is data due"),
        ),
        Column(
            header=lambda: _tr("Latest"),
            kind=Kind.DECIMAL,
            value=lambda r: r.latest,
            text=lambda r: number(r.latest),
            header_tip=lambda: _tr("The most recent measurement of the main line"),
        ),
        Column(
            header=lambda: _tr("Progress"),
            kind=Kind.DECIMAL,
            value=lambda r: r.progress_pct,
            text=lambda r: percent(r.progress_pct),
            header_tip=lambda: _tr(
                "How far the latest measurement has come from the baseline to the target"
            ),
        ),
        Column(
            header=lambda: _tr("Status"),
            text=status_text,
            tooltip=status_tip,
            flexible=False,
        ),
    ]


class PlanModel(ColumnTableModel[MetricRow]):
    """The evaluation plan: one row per metric, in plan order (tier, then name)."""

    def __init__(
        self,
        runner: OperationRunner,
        edit: MetricEdit,
        rows: Callable[[], list[MetricRow]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, plan_columns(edit), rows, parent=parent)
        self.set_following(False)

    def metric_at(self, row: int) -> Metric | None:
        found = self.row_at(row)
        return found.metric if found is not None else None


# ------------------------------------------------------------------------ measurements


class MeasurementsModel(ColumnTableModel[Measurement]):
    """One metric's measurements by date: date, value, segment, note, and a check column
    that marks a value dated in the future or before the baseline date (allowed, marked)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        self.metric: Metric | None = None
        self.today = svc.today()
        super().__init__(runner, self._columns(), parent=parent)
        self.set_following(False)

    def set_metric(self, metric: Metric | None, today: date) -> None:
        same = metric is not None and self.metric is not None and metric.id == self.metric.id
        self.metric, self.today = metric, today
        if same:
            self.reload()
            return
        self.set_loader(
            None
            if metric is None
            else partial(svc.list_measurements, self.runner.project, metric.id)
        )

    def check(self, m: Measurement) -> str:
        if m.on > self.today:
            return _tr("In the future")
        metric = self.metric
        if metric is not None and metric.baseline_date is not None and m.on < metric.baseline_date:
            return _tr("Before the baseline date")
        return ""

    def _columns(self) -> list[Column[Measurement]]:
        update = svc.edit_measurement
        return [
            Column(field="on", kind=Kind.DATE, header=lambda: _tr("Date"), update=update),
            Column(field="value", kind=Kind.DECIMAL, header=lambda: _tr("Value"), update=update),
            Column(
                field="segment",
                header=lambda: _tr("Segment"),
                header_tip=lambda: _tr("Blank for everyone; a segment's name for its own line"),
                update=update,
                flexible=False,
            ),
            Column(field="note", header=lambda: _tr("Note"), update=update),
            Column(
                header=lambda: _tr("Check"),
                text=self.check,
                tooltip=lambda m: (
                    self.check(m)
                    and _tr("Allowed, but check the date: it is marked so it is not missed.")
                ),
                flexible=False,
            ),
        ]


# ------------------------------------------------------------------------ before/after


@dataclass(frozen=True, slots=True)
class BeforeAfterRow:
    metric: Metric
    result: BeforeAfter

    @property
    def id(self) -> str:
        return self.metric.id


def _not_enough() -> str:
    return _tr("not enough data")


def _or_reason(text: str, row: BeforeAfterRow, key: str) -> str:
    if text:
        return text
    reason = row.result.reasons.get(key, "")
    return _not_enough() if reason.startswith("Not enough data") else "—"


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


def _tip(key: str, help_text: Callable[[], str]) -> Callable[[BeforeAfterRow], str]:
    def tip(row: BeforeAfterRow) -> str:
        reason = row.result.reasons.get(key)
        return _domain(reason) if reason else help_text()

    return tip


def _change_text(row: BeforeAfterRow) -> str:
    r = row.result
    if r.change is None:
        return _or_reason("", row, "change")
    pct = f" ({percent(r.change_pct, sign=True)})" if r.change_pct is not None else ""
    return signed(r.change) + pct


def _track_text(row: BeforeAfterRow) -> str:
    r = row.result
    text = label(r.track)
    if r.projected is not None and r.track in (Track.ON_TRACK, Track.OFF_TRACK):
        text += " (" + _tr("→ {value}").format(value=number(r.projected)) + ")"
    return text


def _did_text(row: BeforeAfterRow) -> str:
    r = row.result
    if r.did is None:
        return _or_reason("", row, "did")
    text = signed(r.did)
    favourable = r.did_favourable
    if favourable is True:
        text += " ✓"
    elif favourable is False:
        text += " ✗"
    return text


def _did_tip(row: BeforeAfterRow) -> str:
    r = row.result
    if r.did is None or r.did_groups is None:
        reason = r.reasons.get("did")
        return _domain(reason) if reason else ""
    treated, comparison = r.did_groups
    return _tr(
        "({treated} after − before) − ({comparison} after − before) = {did}. "
        "Association, not proof of causation."
    ).format(
        treated=treated or _tr("everyone"),
        comparison=comparison,
        did=signed(r.did),
    )


def before_after_columns() -> list[Column[BeforeAfterRow]]:
    return [
        Column(
            header=lambda: _tr("Metric"),
            value=lambda r: r.metric.name,
            tooltip=lambda r: r.metric.name,
            min_chars=18,  # the row says which metric; the numbers scroll sideways first
        ),
        Column(
            header=lambda: _tr("Before"),
            kind=Kind.DECIMAL,
            value=lambda r: r.result.before,
            text=lambda r: _or_reason(number(r.result.before), r, "before"),
            tooltip=_tip("before", lambda: _tr("Mean of the measurements before the date")),
        ),
        Column(
            header=lambda: _tr("After"),
            kind=Kind.DECIMAL,
            value=lambda r: r.result.after,
            text=lambda r: _or_reason(number(r.result.after), r, "after"),
            tooltip=_tip("after", lambda: _tr("Mean of the measurements from the date on")),
        ),
        Column(
            header=lambda: _tr("vs baseline"),
            kind=Kind.DECIMAL,
            value=lambda r: r.result.change,
            text=_change_text,
            tooltip=_tip("change", lambda: _tr("The “after” mean minus the baseline")),
        ),
        Column(
            header=lambda: _tr("Progress"),
            kind=Kind.DECIMAL,
            value=lambda r: r.result.progress_pct,
            text=lambda r: _or_reason(percent(r.result.progress_pct), r, "progress"),
            tooltip=_tip(
                "progress",
                lambda: _tr("How far the “after” mean has come from the baseline to the target"),
            ),
        ),
        Column(
            header=lambda: _tr("Target date"),
            text=_track_text,
            tooltip=_tip(
                "track",
                lambda: _tr(
                    "Whether the trend since the date reaches the target by its date "
                    "(after the date: whether it did)"
                ),
            ),
            flexible=False,
        ),
        Column(
            header=lambda: _tr("Diff-in-diff"),
            kind=Kind.DECIMAL,
            value=lambda r: r.result.did,
            text=_did_text,
            tooltip=_did_tip,
            header_tip=lambda: _tr(
                "Difference-in-differences: the change of the group that got it minus the "
                "change of the comparison group"
            ),
        ),
    ]


class BeforeAfterModel(ColumnTableModel[BeforeAfterRow]):
    """Before/after a chosen date, one row per metric (read-only)."""

    def __init__(
        self,
        runner: OperationRunner,
        rows: Callable[[], list[BeforeAfterRow]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, before_after_columns(), rows, parent=parent)
        self.set_following(False)
