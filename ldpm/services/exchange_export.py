"""Exporting an initiative's backlog, stakeholders, metrics and measurements to CSV or XLSX.

:func:`export_table` reads the rows and lays them out in columns whose headers are the import
targets' labels (:mod:`~ldpm.services.exchange_kinds`), with an "LDPM ID" column first: an
exported file edited in a spreadsheet and imported back updates the rows it came from, and
the round trip import → export → import loses nothing.  Choices are written as the labels a
person reads (the UI passes its own, translated ones), dates as dates, numbers as numbers.

Stakeholders are exported without private notes (the person's notes and the stakeholder's
private notes) unless asked: a list sent round a department should not carry them.

:class:`ExportJob` writes the file off the GUI thread (:mod:`ldpm.exchange.writers`: through a
temporary file, so a cancel or a failure leaves the old file, or none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    Measurement,
    Metric,
    Person,
    Release,
    Stakeholder,
)
from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import Cell
from ldpm.exchange.writers import OutColumn, write_csv, write_xlsx
from ldpm.services.exchange_kinds import ITEMS, MEASUREMENTS, PEOPLE, Labeler, plain_label
from ldpm.services.jobs import Job, JobDone, Progress
from ldpm.services.project import Project

#: What can be exported: key → (label, file name stem).
EXPORTS: dict[str, tuple[str, str]] = {
    "items": ("Backlog items", "backlog"),
    "stakeholders": ("Stakeholders", "stakeholders"),
    "metrics": ("Metrics", "metrics"),
    "measurements": ("Measurements", "measurements"),
}
FORMATS = (".csv", ".xlsx")


@dataclass
class ExportTable:
    """Rows ready to write."""

    columns: list[OutColumn]
    rows: list[list[Cell]]
    sheet: str


def _type(target_type: str) -> str:
    return target_type if target_type in ("number", "whole", "date") else "text"


def _cell(value: Any, labeler: Labeler) -> Cell:
    if isinstance(value, Enum):
        return labeler(value)
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return str(value)


def _by_targets(
    kind_targets: list[tuple[str, str, str]],
    entities: list[Any],
    getters: dict[str, Callable[[Any], Any]],
    labeler: Labeler,
) -> tuple[list[OutColumn], list[list[Cell]]]:
    columns = [OutColumn(label, _type(t)) for _key, label, t in kind_targets]
    keys = [key for key, _label, _t in kind_targets]
    read = [getters.get(key) for key in keys]
    rows = [
        [
            _cell(get(e) if get is not None else getattr(e, key), labeler)
            for key, get in zip(keys, read, strict=True)
        ]
        for e in entities
    ]
    return columns, rows


def _field_of(index: int, name: str, pair: tuple[Any, ...]) -> Any:
    return getattr(pair[index], name)


def _targets(kind: Any, skip: set[str]) -> list[tuple[str, str, str]]:
    return [(t.key, t.label, t.type) for t in kind.targets if t.key not in skip]


def export_table(
    project: Project,
    what: str,
    initiative_id: str,
    *,
    private_notes: bool = False,
    labeler: Labeler = plain_label,
) -> ExportTable:
    """The rows of an export (see the module docstring).  Raises :class:`ExchangeProblem`
    for an initiative that no longer exists."""
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        if initiative is None:
            raise ExchangeProblem("The initiative to export from no longer exists.")
        where = {"initiative_id": initiative_id}
        sheet = EXPORTS[what][0]  # the file name says which initiative
        if what == "items":
            items = tx.list(BacklogItem, where=where)
            releases = {r.id: r.name for r in tx.list(Release, where=where)}
            columns, rows = _by_targets(
                _targets(ITEMS, {"external_id"}),
                items,
                {"release": lambda i: releases.get(i.release_id or "")},
                labeler,
            )
        elif what == "stakeholders":
            stakes = tx.list(Stakeholder, where=where)
            people = {p.id: p for p in tx.list(Person)}
            pairs = sorted(
                ((people[s.person_id], s) for s in stakes if s.person_id in people),
                key=lambda ps: ps[0].name.casefold(),
            )
            skip = {"external_id", "first_name", "last_name"}
            if not private_notes:
                skip |= {"notes", "private_notes"}
            targets = _targets(PEOPLE, skip)
            person_fields = {"id", "name", "role", "department", "email", "expertise", "notes"}
            getters: dict[str, Callable[[Any], Any]] = {}
            for key, _label, _t in targets:
                if key in person_fields:
                    getters[key] = partial(_field_of, 0, key)
                elif key == "stakeholder_kind":
                    getters[key] = partial(_field_of, 1, "kind")
                else:
                    getters[key] = partial(_field_of, 1, key)
            columns, rows = _by_targets(targets, pairs, getters, labeler)
        elif what == "metrics":
            metrics = tx.list(Metric, where=where, order_by=("name", "id"))
            columns = [
                OutColumn("LDPM ID"), OutColumn("Name"), OutColumn("Description"),
                OutColumn("Tier"), OutColumn("Kirkpatrick level", "whole"),
                OutColumn("LTEM tier", "whole"), OutColumn("Unit"), OutColumn("Direction"),
                OutColumn("Baseline", "number"), OutColumn("Target", "number"),
                OutColumn("Target date", "date"), OutColumn("Source"), OutColumn("Owner"),
                OutColumn("Segment"),
            ]  # fmt: skip
            fields = (
                "id", "name", "description", "tier", "kirkpatrick", "ltem", "unit",
                "direction", "baseline", "target", "target_date", "source", "owner", "segment",
            )  # fmt: skip
            rows = [[_cell(getattr(m, f), labeler) for f in fields] for m in metrics]
        elif what == "measurements":
            metrics = tx.list(Metric, where=where, order_by=("name", "id"))
            targets = _targets(MEASUREMENTS, {"external_id"})
            assert [key for key, _l, _t in targets] == ["id", "metric", "on", "value",
                                                        "segment", "note"]  # fmt: skip
            columns = [OutColumn(label, _type(t)) for _key, label, t in targets]
            rows = []
            stored = ("id", "on", "value", "segment", "note")
            by_date = itemgetter(1, 3)  # on (ISO text sorts as the dates do), segment
            day = date.fromisoformat
            for metric in metrics:  # stored values, no entities: 100,000 rows
                series = tx.columns(Measurement, stored, where={"metric_id": metric.id})
                series.sort(key=by_date)
                name = metric.name
                rows.extend([i, name, day(on), float(value), segment, note]
                            for i, on, value, segment, note in series)  # fmt: skip
        else:
            raise ValueError(f"nothing to export called {what!r}")
    return ExportTable(columns, rows, sheet)


def write_export(
    path: Path, table: ExportTable, progress: Callable[[int], None] | None = None
) -> int:
    """Write ``table`` as CSV or XLSX, by ``path``'s suffix.  Returns the rows written."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(path, table.columns, table.rows, progress)
    if suffix == ".xlsx":
        return write_xlsx(path, table.columns, table.rows, progress, sheet=table.sheet)
    raise ExchangeProblem(
        f"LDPM exports to CSV (.csv) and Excel (.xlsx) files, not to “{path.suffix or path.name}”."
    )


class ExportJob(Job):
    """An export as a background job: the rows are read and the file written on a worker
    (100,000 measurements take seconds), with progress; a cancel leaves no file."""

    def __init__(
        self,
        project: Project,
        path: Path,
        what: str,
        initiative_id: str,
        *,
        private_notes: bool = False,
        labeler: Labeler = plain_label,
        noun: str = "rows",
    ) -> None:
        self.project = project
        self.path = Path(path)
        self.what = what
        self.initiative_id = initiative_id
        self.private_notes = private_notes
        self.labeler = labeler
        self.noun = noun
        self.title = f"Exporting to “{self.path.name}”…"
        self.written = 0
        #: What the status bar says once it is done.
        self.message = ""

    def run(self, progress: Progress) -> int:
        progress(0, 0, self.title)
        table = export_table(
            self.project,
            self.what,
            self.initiative_id,
            private_notes=self.private_notes,
            labeler=self.labeler,
        )
        total = len(table.rows)
        progress(0, total, self.title)
        return write_export(self.path, table, lambda n: progress(n, total, self.title))

    def finish(self, result: Any) -> JobDone:
        self.written = int(result)
        noun = self.noun if self.written != 1 else self.noun.rstrip("s")
        self.message = f"Exported {self.written:,} {noun} to “{self.path.name}”."
        return JobDone(message=self.message)
