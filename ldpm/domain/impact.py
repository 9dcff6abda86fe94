"""Before and after: did the numbers move when a release or an experiment happened?

All arithmetic on measurements lives here, on plain sequences (no Qt, no numpy):

* :class:`Line` — one line of measurements: a metric's *main line* (the measurements without a
  segment) or one segment's, as day numbers (``date.toordinal()``) in ascending order and
  their values.  The services read them in bulk; 100,000 points are summed in C (``sum``,
  ``map``), not in Python loops.
* :func:`split` — the mean before a date (strictly earlier days) and from that date on.
* :func:`before_after` — per metric, at a chosen date: both means, the change of the "after"
  mean against the baseline, progress from baseline to target (direction-aware, see
  :func:`ldpm.domain.metrics.progress`), whether the target date is reached at the current
  trend (a least-squares line through the measurements after the date; once the date has
  passed, whether the last :data:`FINAL_POINTS` measurements up to it met the target), and —
  when a group that got the change and a comparison group are named — the
  difference-in-differences.
* :func:`baseline_band` — the band drawn around the baseline: its usual variation.

**Not enough data is never a number.**  A mean needs :data:`MIN_SIDE` measurements on its
side of the date, a trend :data:`MIN_TREND` measurements on distinct days after it; otherwise
the field is ``None`` and :attr:`BeforeAfter.reasons` says why in a sentence.

Difference-in-differences, for the group that got the change (T) and the one that did not
(C)::

    DiD = (after_T − before_T) − (after_C − before_C)

so a metric that should fall did better than the comparison when the DiD is negative.  It is
an association, not proof of causation: other things changed too.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import mul

from ldpm.domain.entities import Metric
from ldpm.domain.enums import Direction, Track
from ldpm.domain.metrics import progress

#: Measurements needed on each side of the date for a mean.
MIN_SIDE = 2
#: Measurements on distinct days after the date for a trend.
MIN_TREND = 3
#: The band around a baseline is this many standard deviations wide on each side.
BAND_SIGMAS = 1.0
#: Once the target date has passed, the mean of this many last measurements up to it says
#: whether the target was met (one noisy value would not).
FINAL_POINTS = 3


@dataclass(frozen=True, slots=True)
class Line:
    """Measurements of one metric and segment ("" is the main line), ascending by day."""

    metric_id: str
    segment: str
    days: Sequence[int]
    values: Sequence[float]

    def __len__(self) -> int:
        return len(self.days)

    def index(self, day: int) -> int:
        """How many measurements are strictly before ``day``."""
        return bisect_left(self.days, day)

    def latest(self) -> float | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True, slots=True)
class Split:
    """The means before a date and from it on (None when a side has too few values)."""

    before: float | None
    after: float | None
    n_before: int
    n_after: int

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _mean(values: Sequence[float], start: int, stop: int) -> float | None:
    count = stop - start
    if count < MIN_SIDE:
        return None
    return math.fsum(values[start:stop]) / count


def split(line: Line, on: date) -> Split:
    """Mean of the values dated before ``on`` and of those on or after it."""
    cut = line.index(on.toordinal())
    n = len(line)
    return Split(_mean(line.values, 0, cut), _mean(line.values, cut, n), cut, n - cut)


def mean_between(line: Line, start: date, end: date) -> tuple[float | None, int]:
    """Mean (and count) of the values dated from ``start`` up to and including ``end``."""
    i = line.index(start.toordinal())
    j = line.index(end.toordinal() + 1)
    return _mean(line.values, i, j), j - i


@dataclass(frozen=True, slots=True)
class Trend:
    """A least-squares line ``value = intercept + slope · day`` (day numbers)."""

    slope: float
    intercept: float

    def at(self, day: date) -> float:
        return self.intercept + self.slope * day.toordinal()


def trend(days: Sequence[int], values: Sequence[float]) -> Trend | None:
    """The least-squares line through the points, or None with fewer than :data:`MIN_TREND`
    distinct days.  Days are centred first, so large day numbers lose no precision."""
    n = len(days)
    if n < MIN_TREND or days[0] == days[-1] or len(set(days)) < MIN_TREND:
        return None
    x0 = days[0]
    xs = [d - x0 for d in days]  # small integers: exact
    sx = sum(xs)
    sy = math.fsum(values)
    sxx = sum(map(mul, xs, xs))
    sxy = math.fsum(map(mul, xs, values))
    denominator = n * sxx - sx * sx
    if denominator == 0:  # pragma: no cover - excluded by the distinct-days check
        return None
    slope = (n * sxy - sx * sy) / denominator
    intercept = (sy - slope * sx) / n - slope * x0
    return Trend(slope, intercept)


def reached(metric: Metric, value: float) -> bool:
    """Whether ``value`` is at or beyond the target in the metric's direction."""
    assert metric.target is not None
    if metric.direction is Direction.DECREASE:
        return value <= metric.target
    return value >= metric.target


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """One metric before and after a date (see the module docstring).  ``None`` fields could
    not be worked out; :attr:`reasons` says why, one sentence per field."""

    metric_id: str
    on: date
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    change: float | None  # after − baseline
    change_pct: float | None  # change / |baseline| × 100
    progress_pct: float | None  # of the way from baseline to target, by the "after" mean
    track: Track
    projected: float | None  # the trend's value at the target date
    did: float | None
    did_groups: tuple[str, str] | None  # (got the change, comparison), "" = main line
    reasons: Mapping[str, str]
    direction: Direction = Direction.INCREASE  # the metric's

    @property
    def enough(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def did_favourable(self) -> bool | None:
        """True when the group that got the change moved the wanted way against the
        comparison (a falling DiD for a metric that should fall); None without a DiD."""
        if self.did is None or self.did == 0:
            return None
        return (self.did < 0) == (self.direction is Direction.DECREASE)


def _side_reason(n: int, where: str) -> str:
    return (
        f"Not enough data: {n} measurement{'s' if n != 1 else ''} {where} the date "
        f"(at least {MIN_SIDE} are needed)."
    )


def track(metric: Metric, line: Line, on: date, today: date) -> tuple[Track, float | None, str]:
    """Whether ``line`` reaches the metric's target by its date, at the trend of the
    measurements from ``on``; with the projected value and a sentence when it cannot say."""
    if metric.target is None or metric.target_date is None or not math.isfinite(metric.target):
        return Track.NO_TARGET, None, "The metric has no target or no target date."
    if today > metric.target_date:
        last = line.index(metric.target_date.toordinal() + 1)
        if last == 0:
            return Track.NOT_ENOUGH_DATA, None, "No measurement up to the target date."
        first = max(0, last - FINAL_POINTS)
        value = math.fsum(line.values[first:last]) / (last - first)
        return (Track.MET if reached(metric, value) else Track.MISSED), value, ""
    cut = line.index(on.toordinal())
    fitted = trend(line.days[cut:], line.values[cut:])
    if fitted is None:
        return (
            Track.NOT_ENOUGH_DATA,
            None,
            f"Not enough data for a trend: it needs measurements on at least {MIN_TREND} "
            "days after the date.",
        )
    projected = fitted.at(metric.target_date)
    return (Track.ON_TRACK if reached(metric, projected) else Track.OFF_TRACK), projected, ""


def difference_in_differences(treated: Line, comparison: Line, on: date) -> float | None:
    """``(after − before)`` of the treated line minus that of the comparison line, or None
    when either side of either line has too few measurements."""
    t, c = split(treated, on), split(comparison, on)
    if t.change is None or c.change is None:
        return None
    return t.change - c.change


def before_after(
    metric: Metric,
    lines: Mapping[str, Line],
    on: date,
    today: date,
    *,
    groups: tuple[str, str] | None = None,
) -> BeforeAfter:
    """The metric's main line before and after ``on`` (see the module docstring).

    ``lines`` are the metric's lines by segment ("" the main line).  ``groups`` names the
    segment that got the change and the comparison segment; without it the metric's own
    (:attr:`Metric.treated_segment`, :attr:`Metric.comparison_segment`) are used when a
    comparison segment is marked."""
    reasons: dict[str, str] = {}
    empty = Line(metric.id, "", (), ())
    main = lines.get("", empty)
    parts = split(main, on)
    if parts.before is None:
        reasons["before"] = _side_reason(parts.n_before, "before")
    if parts.after is None:
        reasons["after"] = _side_reason(parts.n_after, "on or after")

    change = change_pct = progress_pct = None
    if parts.after is not None:
        if metric.baseline is None or not math.isfinite(metric.baseline):
            reasons["change"] = "The metric has no baseline."
        else:
            change = parts.after - metric.baseline
            if metric.baseline != 0:
                change_pct = change / abs(metric.baseline) * 100
        fraction = progress(metric, parts.after)
        if fraction is None:
            reasons["progress"] = (
                "Progress needs a baseline and a target on the side the metric should move to."
            )
        else:
            progress_pct = fraction * 100
    else:
        reasons["change"] = reasons["progress"] = reasons["after"]

    verdict, projected, why = track(metric, main, on, today)
    if why:
        reasons["track"] = why

    if groups is None and metric.comparison_segment.strip():
        groups = (metric.treated_segment.strip(), metric.comparison_segment.strip())
    did = None
    if groups is not None:
        treated, comparison = lines.get(groups[0]), lines.get(groups[1])
        if treated is None or comparison is None:
            missing = groups[0] if treated is None else groups[1]
            who = missing or "everyone (no segment)"
            reasons["did"] = f"There are no measurements for “{who}”."
        else:
            did = difference_in_differences(treated, comparison, on)
            if did is None:
                reasons["did"] = (
                    f"Not enough data: each group needs at least {MIN_SIDE} measurements "
                    "before and after the date."
                )
    else:
        reasons["did"] = "No comparison group is marked."
    return BeforeAfter(
        metric_id=metric.id,
        on=on,
        before=parts.before,
        after=parts.after,
        n_before=parts.n_before,
        n_after=parts.n_after,
        change=change,
        change_pct=change_pct,
        progress_pct=progress_pct,
        track=verdict,
        projected=projected,
        did=did,
        did_groups=groups,
        reasons=reasons,
        direction=metric.direction,
    )


def baseline_band(
    metric: Metric, main: Line, first_change: date | None
) -> tuple[float, float] | None:
    """The band drawn around the baseline: ± :data:`BAND_SIGMAS` standard deviations of the
    main line's measurements before the first change (a release or an experiment), which is
    the usual variation before anything was done.  With fewer than :data:`MIN_TREND` such
    measurements the band is the baseline alone (zero width).  None without a baseline."""
    baseline = metric.baseline
    if baseline is None or not math.isfinite(baseline):
        return None
    stop = len(main) if first_change is None else main.index(first_change.toordinal())
    if stop < MIN_TREND:
        return baseline, baseline
    values = main.values[:stop]
    mean = math.fsum(values) / stop
    variance = math.fsum((v - mean) ** 2 for v in values) / (stop - 1)
    spread = BAND_SIGMAS * math.sqrt(variance)
    return baseline - spread, baseline + spread
