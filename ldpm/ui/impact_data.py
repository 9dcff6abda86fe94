"""What the impact chart draws, as plain arrays: one panel per tier, the markers, the read-outs.

:func:`panels` turns the services' :class:`~ldpm.services.metrics.Impact` into
:class:`PanelData` (the chosen metric of each tier: its lines as Unix-second / value arrays,
the baseline band, the target line ending at its date, the due measurements that are
missing) and :func:`markers` the releases and experiments into :class:`Marker` rows.  The
chart (:mod:`ldpm.ui.impact_chart`) only draws these; tests inspect them and the chart's
items.  Dates become Unix seconds at midnight UTC (``DateAxisItem`` with ``utcOffset=0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QCoreApplication

from ldpm.domain.entities import Metric
from ldpm.domain.enums import MetricTier
from ldpm.domain.impact import Line, baseline_band
from ldpm.services.metrics import Impact
from ldpm.ui.widgets import format_date, format_number

Array = NDArray[np.float64]

_EPOCH = date(1970, 1, 1).toordinal()
_DAY = 86_400.0
#: Without a baseline date or a measurement, the target line starts this long before its date.
_TARGET_SPAN = timedelta(days=182)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImpactChart", text)


def seconds(days: Sequence[int] | Array) -> Array:
    """Day numbers (``date.toordinal()``) → Unix seconds at midnight UTC."""
    return (np.asarray(days, dtype=np.float64) - _EPOCH) * _DAY


def to_seconds(day: date) -> float:
    return (day.toordinal() - _EPOCH) * _DAY


def to_date(x: float) -> date:
    return date.fromordinal(round(x / _DAY) + _EPOCH)


@dataclass(frozen=True, slots=True)
class SeriesData:
    """One line of the panel: the main line ("" segment) or one segment."""

    segment: str
    label: str
    x: Array
    y: Array


@dataclass(frozen=True, slots=True)
class TargetData:
    value: float
    start: float  # Unix seconds
    end: float  # the target date
    label: str
    #: Without the date, where the full label has no room (the diamond marks the date).
    short: str = ""


@dataclass(slots=True)
class PanelData:
    """One tier's panel: its chosen metric and everything drawn for it."""

    tier: MetricTier
    metric: Metric | None = None
    series: list[SeriesData] = field(default_factory=list)
    baseline: float | None = None
    band: tuple[float, float] | None = None
    target: TargetData | None = None
    missing_x: Array = field(default_factory=lambda: np.empty(0))
    missing_y: Array = field(default_factory=lambda: np.empty(0))
    #: Shown in an empty panel: what is missing and what to do.
    empty_text: str = ""

    @property
    def title(self) -> str:
        return _TIER_TITLES[self.tier]()


@dataclass(frozen=True, slots=True)
class Marker:
    """A release (a line) or an experiment (its start, with its period shaded)."""

    kind: str  # "release" or "experiment"
    x: float
    end_x: float | None
    label: str


_TIER_TITLES = {
    MetricTier.OPERATIONAL: lambda: _tr("Operational"),
    MetricTier.BEHAVIOUR: lambda: _tr("Behaviour"),
    MetricTier.BUSINESS: lambda: _tr("Business"),
}
_EMPTY = {
    MetricTier.OPERATIONAL: lambda: _tr("No operational metric."),
    MetricTier.BEHAVIOUR: lambda: _tr(
        "No behaviour metric yet: add one for what people should do differently."
    ),
    MetricTier.BUSINESS: lambda: _tr(
        "No business metric yet: add the KPI the business cares about."
    ),
}


def series_label(metric: Metric, segment: str) -> str:
    if segment:
        return segment
    return metric.segment.strip() or _tr("Everyone")


def _panel(impact: Impact, tier: MetricTier, metric: Metric | None) -> PanelData:
    panel = PanelData(tier, metric)
    if metric is None:
        panel.empty_text = _EMPTY[tier]()
        return panel
    lines: Mapping[str, Line] = impact.lines.get(metric.id, {})
    order = sorted(lines, key=lambda s: (s != "", s.casefold()))
    panel.series = [
        SeriesData(s, series_label(metric, s), seconds(lines[s].days), np.asarray(lines[s].values))
        for s in order
    ]
    if not panel.series:
        panel.empty_text = _tr("“{name}” has no measurements yet.").format(name=metric.name)
    main = lines.get("") or (lines[order[0]] if order else Line(metric.id, "", (), ()))
    panel.baseline = metric.baseline
    first_change = impact.events[0].on if impact.events else None
    panel.band = baseline_band(metric, main, first_change)
    if metric.target is not None and metric.target_date is not None:
        start = metric.baseline_date or (
            date.fromordinal(main.days[0]) if len(main) else metric.target_date - _TARGET_SPAN
        )
        panel.target = TargetData(
            metric.target,
            to_seconds(min(start, metric.target_date)),
            to_seconds(metric.target_date),
            "\u2002"
            + _tr("Target {value} by {date}").format(
                value=format_number(metric.target), date=format_date(metric.target_date)
            ),
            "\u2002" + _tr("Target {value}").format(value=format_number(metric.target)),
        )
    missing = impact.missing.get(metric.id, [])
    if missing:
        panel.missing_x = seconds([d.toordinal() for d in missing])
        if len(main):
            panel.missing_y = np.interp(panel.missing_x, seconds(main.days), main.values)
        else:
            fill = metric.baseline if metric.baseline is not None else 0.0
            panel.missing_y = np.full(len(missing), fill, dtype=np.float64)
    return panel


def panels(impact: Impact, chosen: Mapping[MetricTier, str | None]) -> list[PanelData]:
    """The three panels, each with the metric ``chosen`` for its tier (the first of the
    tier when none, or none chosen is valid)."""
    out = []
    for tier in MetricTier:
        in_tier = [m for m in impact.metrics if m.tier is tier]
        wanted = chosen.get(tier)
        metric = next((m for m in in_tier if m.id == wanted), in_tier[0] if in_tier else None)
        out.append(_panel(impact, tier, metric))
    return out


def markers(impact: Impact) -> list[Marker]:
    out = []
    for event in impact.events:
        end = to_seconds(event.end) if event.end is not None else None
        out.append(Marker(event.kind, to_seconds(event.on), end, event.title))
    return out


def readout(panel: PanelData, series: SeriesData, index: int) -> str:
    """The hover read-out of one measurement."""
    assert panel.metric is not None
    unit = f" {panel.metric.unit}" if panel.metric.unit else ""
    return _tr("{metric} · {who}: {value}{unit} on {date}").format(
        metric=panel.metric.name,
        who=series.label,
        value=format_number(float(series.y[index])),
        unit=unit,
        date=format_date(to_date(float(series.x[index]))),
    )


def missing_readout(panel: PanelData, index: int) -> str:
    assert panel.metric is not None
    return _tr("{metric}: no measurement for {date} (data due)").format(
        metric=panel.metric.name, date=format_date(to_date(float(panel.missing_x[index])))
    )


def marker_readout(marker: Marker) -> str:
    start = format_date(to_date(marker.x))
    if marker.kind == "experiment":
        if marker.end_x is not None:
            return _tr("Experiment “{title}”: {start} – {end}").format(
                title=marker.label, start=start, end=format_date(to_date(marker.end_x))
            )
        return _tr("Experiment “{title}”: from {start}").format(title=marker.label, start=start)
    return _tr("Release “{title}”: {date}").format(title=marker.label, date=start)


def near(panel: PanelData, x: float) -> list[tuple[float, float, str]]:
    """The measurements either side of the date ``x`` on each line, and the missing ones, as
    (date, value, read-out): the candidates for the hover read-out."""
    found: list[tuple[float, float, str]] = []
    for series in panel.series:
        i = int(np.searchsorted(series.x, x))
        for k in (i - 1, i):
            if 0 <= k < len(series.x):
                found.append((float(series.x[k]), float(series.y[k]), readout(panel, series, k)))
    i = int(np.searchsorted(panel.missing_x, x))
    for k in (i - 1, i):
        if 0 <= k < len(panel.missing_x):
            point = (float(panel.missing_x[k]), float(panel.missing_y[k]))
            found.append((*point, missing_readout(panel, k)))
    return found


def x_span(panels: Iterable[PanelData], markers: Sequence[Marker]) -> tuple[float, float] | None:
    """The dates of everything drawn (lines, targets, missing measurements, markers), as Unix
    seconds (None when nothing is)."""
    lows, highs = [], []
    for data in panels:
        for series in data.series:
            if len(series.x):
                lows.append(float(series.x[0]))
                highs.append(float(series.x[-1]))
        if data.target is not None:
            lows.append(data.target.start)
            highs.append(data.target.end)
        if len(data.missing_x):
            lows.append(float(data.missing_x.min()))
            highs.append(float(data.missing_x.max()))
    for marker in markers:
        lows.append(marker.x)
        highs.append(marker.end_x or marker.x)
    if not lows:
        return None
    return min(lows), max(highs)


def y_span(panel: PanelData, low: float, high: float) -> tuple[float, float] | None:
    """The lowest and highest value drawn between the dates ``low`` and ``high``: the lines
    (a point beyond each edge included, the segment to it is drawn), the missing markers, the
    band and a target not yet past (None when there is none)."""
    values: list[float] = []
    for series in panel.series:
        i, j = np.searchsorted(series.x, [low, high])
        i, j = max(0, i - 1), min(len(series.x), j + 1)
        if j > i:
            chunk = series.y[i:j]
            values += [float(chunk.min()), float(chunk.max())]
    if len(panel.missing_y):
        values += [float(panel.missing_y.min()), float(panel.missing_y.max())]
    if panel.band is not None:
        values += list(panel.band)
    if panel.target is not None and panel.target.end >= low:
        values.append(panel.target.value)
    finite = [v for v in values if math.isfinite(v)]
    return (min(finite), max(finite)) if finite else None
