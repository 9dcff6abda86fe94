"""Metrics and impact: the evaluation plan, measurements, the impact picture, the vanity ladder
and the portfolio's vanity flag.

Reads return domain values.  Measurements are read in bulk as :class:`~ldpm.domain.impact.Line`
objects (day numbers and values, no entity per row: 100,000 measurements in one initiative are
read in about a tenth of a second), and rows for the measurement table only for the metric on
screen.  Writes are command factories (see :mod:`ldpm.services.initiatives`): the UI runs
them through its operation runner, so each is one undo step.

"Today" comes from :func:`today`, the one clock of this area (tests replace it).
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ldpm.domain.entities import (
    BacklogItem,
    Experiment,
    Initiative,
    KeyResult,
    Measurement,
    Metric,
    MetricLink,
    Objective,
    Release,
    Segment,
)
from ldpm.domain.enums import MetricTier
from ldpm.domain.impact import BeforeAfter, Line, before_after
from ldpm.domain.metrics import missing_due, only_vanity_metrics, vanity_ladder
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.project import Project

if TYPE_CHECKING:
    from ldpm.services.portfolio import Flag

_TIER_ORDER = {tier: i for i, tier in enumerate(MetricTier)}


def today() -> date:
    """The date "today" for data due, tracks and experiment states (tests replace it)."""
    return date.today()


# ----------------------------------------------------------------------------- reads


def _plan_order(metrics: Iterable[Metric]) -> list[Metric]:
    return sorted(metrics, key=lambda m: (_TIER_ORDER[m.tier], m.name.casefold(), m.id))


def list_metrics(project: Project, initiative_id: str) -> list[Metric]:
    """The evaluation plan: operational, then behaviour, then business metrics, by name."""
    with project.read() as tx:
        return _plan_order(tx.list(Metric, where={"initiative_id": initiative_id}))


def get_metric(project: Project, metric_id: str) -> Metric | None:
    with project.read() as tx:
        return tx.get(Metric, metric_id)


_ROW_FIELDS = ("id", "on", "value", "segment", "note")


def list_measurements(project: Project, metric_id: str) -> list[Measurement]:
    """A metric's measurements by date (then segment), for its table."""
    with project.read() as tx:
        rows = tx.columns(
            Measurement,
            _ROW_FIELDS,
            where={"metric_id": metric_id},
            order_by=("on", "segment", "id"),
            day_numbers=("on",),
        )
    fromordinal = date.fromordinal
    return [
        Measurement(id=i, metric_id=metric_id, on=fromordinal(d), value=v, segment=s, note=n)
        for i, d, v, s, n in rows
    ]


@contextmanager
def _bulk_read() -> Iterator[None]:
    """No cyclic garbage collection while many rows are read: each fetched row is a new tuple,
    and 100,000 of them set off collections that walk every object of the application (a
    third of the read's time) although reading creates no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lines(tx: Any, metric_id: str) -> dict[str, Line]:
    """One query, sorted by segment and day; each segment's run is cut out with a binary
    search, so there is no Python loop per row.

    The covering index ``ix_measurement_lines`` (metric, deleted, segment, day, value; schema
    version 8) answers the query alone and in this order: no row is visited and nothing is
    sorted.  Two measurements of a segment on one day come lower value first."""
    rows = tx.columns(
        Measurement,
        ("segment", "on", "value"),
        where={"metric_id": metric_id},
        order_by=("segment", "on", "value"),
        day_numbers=("on",),
    )
    if not rows:
        return {}
    segments, days, values = zip(*rows, strict=True)
    out: dict[str, Line] = {}
    start, n = 0, len(segments)
    while start < n:
        segment = segments[start]
        # SQLite orders text by its UTF-8 bytes, which is Python's order of code points.
        end = bisect_right(segments, segment, start)
        out[segment] = Line(metric_id, segment, days[start:end], values[start:end])
        start = end
    return out


def metrics_of_measurements(project: Project, ids: Iterable[str]) -> set[str]:
    """The metrics the measurements ``ids`` belong to (deleted ones included: an undo of an
    add tombstones the row it added)."""
    with project.read() as tx:
        found = (tx.get(Measurement, i, include_deleted=True) for i in ids)
        return {m.metric_id for m in found if m is not None}


def metric_lines(project: Project, metric_id: str) -> dict[str, Line]:
    """One metric's lines by segment ("" is the main line), ascending by day."""
    with project.read() as tx, _bulk_read():
        return _lines(tx, metric_id)


@dataclass(frozen=True, slots=True)
class Event:
    """A date that may have moved the numbers: a release or an experiment."""

    kind: str  # "release" or "experiment"
    id: str
    title: str
    on: date
    end: date | None = None  # an experiment's last day


@dataclass(slots=True)
class Impact:
    """Everything the metrics view draws for one initiative."""

    initiative: Initiative
    metrics: list[Metric]
    lines: dict[str, dict[str, Line]]  # metric id → segment → line
    events: list[Event]
    experiments: list[Experiment]
    releases: list[Release]
    missing: dict[str, list[date]]  # metric id → due dates without a measurement
    segments: list[str]  # the initiative's segment names, then others used in measurements
    today: date = field(default_factory=date.today)

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def due_days(self, metric_id: str) -> list[int]:
        """Days of every measurement of the metric, any segment, ascending."""
        days: list[int] = []
        for line in self.lines.get(metric_id, {}).values():
            days.extend(line.days)
        days.sort()
        return days


def segment_names(project: Project, initiative_id: str) -> list[str]:
    """The initiative's segments, then other segments its measurements use (for offering
    segment names as the user types)."""
    with project.read() as tx:
        names = [s.name for s in tx.list(Segment, where={"initiative_id": initiative_id})]
        used: set[str] = set()
        for metric in tx.list(Metric, where={"initiative_id": initiative_id}):
            rows = tx.columns(
                Measurement, ("segment",), where={"metric_id": metric.id}, distinct=True
            )
            used.update(r[0] for r in rows if r[0])
    return names + sorted(used - set(names), key=str.casefold)


def events(project: Project, initiative_id: str) -> list[Event]:
    """Releases with a target date and experiments with a start, by date."""
    with project.read() as tx:
        releases = tx.list(Release, where={"initiative_id": initiative_id})
        experiments = tx.list(Experiment, where={"initiative_id": initiative_id})
    return _events(releases, experiments)


def _events(releases: Iterable[Release], experiments: Iterable[Experiment]) -> list[Event]:
    out = [
        Event("release", r.id, r.name, r.target_date)
        for r in releases
        if r.target_date is not None
    ]
    out += [
        Event("experiment", e.id, e.title, e.start, e.end)
        for e in experiments
        if e.start is not None
    ]
    return sorted(out, key=lambda e: (e.on, e.kind, e.title))


def impact(
    project: Project,
    initiative_id: str,
    on: date | None = None,
    *,
    known: Mapping[str, dict[str, Line]] | None = None,
) -> Impact | None:
    """The initiative's metrics, their lines, the events and what is due (None when the
    initiative is gone).  Lines in ``known`` (by metric id) are taken as they are: the caller
    knows their measurements have not changed since it read them."""
    now = on or today()
    known = known or {}
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        if initiative is None:
            return None
        metrics = _plan_order(tx.list(Metric, where={"initiative_id": initiative_id}))
        with _bulk_read():
            lines = {m.id: known[m.id] if m.id in known else _lines(tx, m.id) for m in metrics}
        releases = tx.list(Release, where={"initiative_id": initiative_id})
        experiments = tx.list(Experiment, where={"initiative_id": initiative_id})
        segments = [s.name for s in tx.list(Segment, where={"initiative_id": initiative_id})]
    used = sorted({s for by in lines.values() for s in by if s and s not in segments})
    data = Impact(
        initiative=initiative,
        metrics=metrics,
        lines=lines,
        events=_events(releases, experiments),
        experiments=experiments,
        releases=releases,
        missing={},
        segments=segments + used,
        today=now,
    )
    data.missing = {m.id: missing_due(m, data.due_days(m.id), now) for m in metrics}
    return data


def groups_for(event: Event | None, data: Impact, metric: Metric) -> tuple[str, str] | None:
    """The (got the change, comparison) segments for a before/after at ``event``: an
    experiment's own groups for its metric, else the metric's (None when none is marked)."""
    if event is not None and event.kind == "experiment":
        experiment = next((e for e in data.experiments if e.id == event.id), None)
        if (
            experiment is not None
            and experiment.metric_id == metric.id
            and experiment.comparison_segment.strip()
        ):
            return experiment.segment.strip(), experiment.comparison_segment.strip()
    if metric.comparison_segment.strip():
        return metric.treated_segment.strip(), metric.comparison_segment.strip()
    return None


def before_after_all(data: Impact, on: date, event: Event | None = None) -> list[BeforeAfter]:
    """Before/after ``on`` for every metric of the plan, in plan order."""
    return [
        before_after(
            m, data.lines.get(m.id, {}), on, data.today, groups=groups_for(event, data, m)
        )
        for m in data.metrics
    ]


# ----------------------------------------------------------------------------- links


@dataclass(frozen=True, slots=True)
class LinkChoices:
    """What a metric of an initiative can be linked to, and what it is linked to now."""

    items: list[tuple[str, str]]  # (id, title) of the initiative's backlog items
    releases: list[tuple[str, str]]  # (id, name)
    key_results: list[tuple[str, str, str | None]]  # (id, title, its metric id)
    linked_items: frozenset[str]
    linked_releases: frozenset[str]


def link_choices(project: Project, initiative_id: str, metric_id: str) -> LinkChoices:
    with project.read() as tx:
        items = tx.list(BacklogItem, where={"initiative_id": initiative_id})
        releases = tx.list(Release, where={"initiative_id": initiative_id})
        key_results = [
            kr
            for objective in tx.list(Objective, where={"initiative_id": initiative_id})
            for kr in tx.list(KeyResult, where={"objective_id": objective.id})
        ]
        links = tx.list(MetricLink, where={"metric_id": metric_id}, order_by=("id",))
    return LinkChoices(
        items=[(i.id, i.title) for i in items],
        releases=[(r.id, r.name) for r in releases],
        key_results=[(k.id, k.title, k.metric_id) for k in key_results],
        linked_items=frozenset(link.item_id for link in links if link.item_id),
        linked_releases=frozenset(link.release_id for link in links if link.release_id),
    )


def set_link(
    project: Project,
    metric_id: str,
    *,
    item_id: str | None = None,
    release_id: str | None = None,
    linked: bool,
) -> Command | None:
    """Link the metric to a backlog item or a release (or unlink it: every copy of the link,
    as two devices may both have made it).  None when it already is as asked."""
    where: dict[str, Any] = {"metric_id": metric_id}
    if item_id is not None:
        where["item_id"] = item_id
    else:
        where["release_id"] = release_id
    with project.read() as tx:
        existing = [
            link
            for link in tx.list(MetricLink, where=where, order_by=("id",))
            if link.item_id == item_id and link.release_id == release_id
        ]
    if linked:
        if existing:
            return None
        link = MetricLink(metric_id=metric_id, item_id=item_id, release_id=release_id)
        return AddEntity(link, text="Link metric")
    if not existing:
        return None
    return Composite(
        [DeleteEntity(MetricLink, link.id, text="Unlink metric") for link in existing],
        text="Unlink metric",
    )


def set_key_result_metric(key_result_id: str, metric_id: str | None) -> EditFields:
    """Let a key result be measured by ``metric_id`` (None: by none)."""
    text = "Link key result to metric" if metric_id else "Unlink key result"
    return edit(KeyResult, key_result_id, {"metric_id": metric_id}, text)


# ---------------------------------------------------------------------------- writes


def add_metric(project: Project, initiative_id: str, name: str, **fields: Any) -> AddEntity:
    del project  # a uniform signature: metrics are ordered by tier and name, not ranked
    metric = Metric(initiative_id=initiative_id, name=name, **fields)
    return AddEntity(metric, text=f"Add metric “{name}”")


def edit_metric(metric_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "metric"
    return edit(Metric, metric_id, changes, f"Edit {label}", coalesce=typing)


def delete_metric(project: Project, metric_id: str) -> DeleteEntity:
    """Tombstone the metric; its measurements stay, so undo brings everything back."""
    metric = get_metric(project, metric_id)
    name = metric.name if metric else ""
    return DeleteEntity(Metric, metric_id, text=f"Delete metric “{name}”")


def add_ladder(project: Project, initiative_id: str) -> Composite | None:
    """Add the suggested behaviour and business metrics of the vanity ladder as one step
    (None when the initiative's metrics are not all operational)."""
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        metrics = tx.list(Metric, where={"initiative_id": initiative_id})
    if initiative is None:
        return None
    ladder = vanity_ladder(initiative, metrics)
    if ladder is None:
        return None
    return Composite(
        [AddEntity(m, text="Add suggested metric") for m in ladder.suggestions],
        text="Add the suggested behaviour and business metrics",
    )


def add_measurement(
    metric_id: str, on: date, value: float, segment: str = "", note: str = ""
) -> AddEntity:
    measurement = Measurement(
        metric_id=metric_id, on=on, value=value, segment=segment.strip(), note=note.strip()
    )
    return AddEntity(measurement, text="Add measurement")


def add_measurements(metric_id: str, rows: Sequence[tuple[date, float, str, str]]) -> Composite:
    """Several measurements (date, value, segment, note) as one undo step (a paste)."""
    parts = [add_measurement(metric_id, *row) for row in rows]
    count = len(parts)
    return Composite(parts, text=f"Add {count} measurement{'s' if count != 1 else ''}")


def edit_measurement(
    measurement_id: str, changes: dict[str, Any], *, typing: bool = False
) -> EditFields:
    return edit(Measurement, measurement_id, changes, "Edit measurement", coalesce=typing)


def delete_measurements(ids: Sequence[str]) -> Command | None:
    if not ids:
        return None
    count = len(ids)
    text = f"Delete {count} measurement{'s' if count != 1 else ''}"
    return Composite([DeleteEntity(Measurement, i, text=text) for i in ids], text=text)


# ------------------------------------------------------------------------- portfolio


def vanity_flags(project: Project, initiatives: Sequence[Initiative]) -> list[Flag]:
    """Portfolio flags: "only vanity metrics" for initiatives whose metrics are all
    operational (one query for every initiative)."""
    from ldpm.services.portfolio import Flag

    wanted = {i.id for i in initiatives}
    with project.read() as tx:
        metrics = tx.list(Metric, order_by=("id",))
    by_initiative: dict[str, list[Metric]] = {}
    for m in metrics:
        if m.initiative_id in wanted:
            by_initiative.setdefault(m.initiative_id, []).append(m)
    return [
        Flag(initiative_id, "only vanity metrics", "warning", "metrics")
        for initiative_id, items in by_initiative.items()
        if only_vanity_metrics(items)
    ]
