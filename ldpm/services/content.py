"""A content document → entities: the demo's format, read by :func:`load`.

The document (JSON; version :data:`FORMAT`), e.g. ``resources/demo/northwind.json``::

    {"format": 1, "seed": 42,
     "workspace": {"name": "…", "organisation": "…"},
     "records": {"person": [{"@key": "maya", "name": "Maya Lindqvist", …}, …],
                 "initiative": [{"@key": "handoffs", "name": "…", "stage": "build_mvp",
                                 "owner": "@person:maya.name",
                                 "segment": [{"name": "Remote engineers", "size": 38}, …],
                                 "metric": [{"@key": "errors", …, "series": [{…}]}], …}]}}

- ``"workspace"`` holds fields of the project's workspace row; ``"about"`` is a note for
  whoever edits the file.
- A list is keyed by an entity type's table name (``backlog_item``).  Its records are objects
  whose keys are the entity's fields; a field left out keeps the entity's default.  Enums are
  written by value (``"build_mvp"``), dates as ISO strings (``"2026-02-09"``).
- A record may hold lists of child records, keyed by their type; the child's foreign key to
  the parent's type (``initiative_id``, ``item_id`` …) is filled in.  Lists may also stand at
  the top level, giving their foreign keys as references.
- Ids are generated.  ``"@key": "maya"`` names a record; a field refers to it with
  ``"@person:maya"`` (its id: only in the matching ``…_id`` field) or ``"@person:maya.name"``
  (the value of one of its fields, once that record is resolved).  ``"@@…"`` is a literal
  text starting with ``@``.
- Ranks are never written: each list of a ranked type is ranked in its order.
- ``"series": [...]`` in a metric record generates its measurements
  (:func:`ldpm.services.dataset.series`): ``start``, ``count``, ``step`` (days, default 7),
  ``trend`` (``[[date, value], …]``) with ``noise``, or ``increments`` (``[[points, low,
  high], …]``: a running total of random whole numbers), ``digits`` (default 2), ``low``
  (default 0), ``high``, ``notes`` (``{date: text}``, each date one of the series'),
  ``segment``.  ``"@key"`` on a series names its latest measurement
  (``"@measurement:errors-latest.value"``).  Series draw from one ``random.Random(seed)`` in
  document order, so the content is the same on every run.

New entity types and fields need no code here: types, fields, enums and foreign keys come from
the domain and the schema.  Anything wrong raises :class:`~ldpm.services.dataset.DataError`,
whose message names the record, e.g. ``initiative #1 "handoffs" › objective #1 › key_result
#2: metric_id: no metric with key "uage"``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from ldpm.domain.entities import Entity, Measurement, Workspace, new_id
from ldpm.domain.validation import ValidationError
from ldpm.persistence.schema import FOREIGN_KEYS, table_name
from ldpm.services.dataset import (
    FIELDS,
    TYPES,
    Batch,
    DataError,
    Ranked,
    build_entity,
    coerce,
    series,
    set_ranks,
    steps,
)

__all__ = ["FORMAT", "Content", "load"]

#: The version of the document format :func:`load` reads.
FORMAT = 1
_SERIES_KEYS = frozenset(
    {"@key", "start", "count", "step", "trend", "noise", "increments", "digits", "low", "high",
     "notes", "segment"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Content:
    """What :func:`load` returns: the workspace's fields and the entities to insert."""

    workspace: dict[str, Any]
    batch: Batch


@dataclass(slots=True)
class _Record:
    cls: type[Entity]
    id: str
    where: str
    fields: dict[str, Any]  # as written: references not resolved yet
    link: dict[str, str] = field(default_factory=dict)  # the parent's foreign key and id
    entity: Entity | None = None
    building: bool = False


def load(
    document: Mapping[str, Any], *, make_id: Callable[[], str] = new_id, name: str = ""
) -> Content:
    """Entities from a content document (the format in this module's docstring).

    ``name`` (a file name) prefixes error messages.  Raises :class:`DataError`."""
    return _Loader(document, make_id, name).run()


class _Loader:
    def __init__(self, doc: Mapping[str, Any], make_id: Callable[[], str], name: str) -> None:
        self.doc, self.make_id, self.prefix = doc, make_id, f"{name}: " if name else ""
        self.records: list[_Record] = []
        self.keys: dict[tuple[str, str], _Record] = {}
        self.ranked: list[list[_Record]] = []
        self.rng = random.Random()

    def fail(self, message: str) -> DataError:
        return DataError(self.prefix + message)

    def run(self) -> Content:
        doc = self.doc
        if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
            raise self.fail(f"not a content document of format {FORMAT}")
        unknown = sorted(set(doc) - {"format", "seed", "about", "workspace", "records"})
        if unknown:
            raise self.fail(f"unknown top-level key {', '.join(unknown)}")
        seed = doc.get("seed", 0)
        if not isinstance(seed, int):
            raise self.fail("seed: must be a whole number")
        self.rng.seed(seed)
        workspace = doc.get("workspace", {})
        if not isinstance(workspace, Mapping):
            raise self.fail("workspace: must be an object")
        ws = build_entity(Workspace, {"name": "Workspace", **workspace}, self.prefix + "workspace")
        records = doc.get("records", {})
        if not isinstance(records, Mapping):
            raise self.fail("records: must be an object of lists keyed by type")
        for type_name, items in records.items():
            self.walk(type_name, items, None, "")
        batch = Batch()
        for record in self.records:
            batch.add(self.build(record))
        for siblings in self.ranked:
            set_ranks([cast(Ranked, r.entity) for r in siblings])
        return Content({k: getattr(ws, k) for k in workspace}, batch)

    def walk(self, type_name: str, items: Any, parent: _Record | None, where: str) -> None:
        here = f"{where} › {type_name}" if where else type_name
        cls = TYPES.get(type_name)
        if cls is None:
            raise self.fail(f"{here}: no such record type (types: {', '.join(TYPES)})")
        if not isinstance(items, list):
            raise self.fail(f"{here}: must be a list of records")
        link = self.link(cls, parent, here)
        siblings: list[_Record] = []
        for n, raw in enumerate(items, 1):
            if not isinstance(raw, Mapping):
                raise self.fail(f"{here} #{n}: must be an object")
            key = raw.get("@key")
            label = f"{here} #{n}" + (f' "{key}"' if key else "")
            record = _Record(cls, self.make_id(), self.prefix + label, {})
            if link and parent:
                record.link[link] = parent.id
            self.name(type_name, key, record)
            children = []
            for name, value in raw.items():
                if name == "rank" and "rank" in FIELDS[cls]:
                    raise self.fail(f"{label}: rank: ranks follow the list order; leave it out")
                if name in ("id", link):
                    raise self.fail(f"{label}: {name}: set by the loader; leave it out")
                if name in FIELDS[cls]:  # a field first: a metric's segment is a text
                    record.fields[name] = value
                elif name in TYPES or name == "series":
                    children.append((name, value))
                elif name != "@key":
                    known = ", ".join(f for f in FIELDS[cls] if f not in ("id", "rank", link))
                    raise self.fail(f"{label}: no field {name} (fields: {known})")
            self.records.append(record)
            siblings.append(record)
            for name, value in children:
                if name == "series":
                    self.series(value, record, label)
                else:
                    self.walk(name, value, record, label)
        if "rank" in FIELDS[cls]:
            self.ranked.append(siblings)

    def link(self, cls: type[Entity], parent: _Record | None, here: str) -> str | None:
        """The field of ``cls`` that points at ``parent``'s type (None at the top level)."""
        if parent is None:
            return None
        target = table_name(parent.cls)
        links = [f for f in FIELDS[cls] if FOREIGN_KEYS.get(f) == target]
        if len(links) != 1:
            raise self.fail(f"{here}: a {table_name(cls)} cannot be listed in a {target}")
        return links[0]

    def name(self, type_name: str, key: Any, record: _Record) -> None:
        if key is None:
            return
        if not isinstance(key, str) or not key or ":" in key or "." in key:
            raise DataError(f"{record.where}: @key must be a name without ':' or '.'")
        if (type_name, key) in self.keys:
            raise DataError(f'{record.where}: another {type_name} is also "@key": "{key}"')
        self.keys[type_name, key] = record

    def series(self, specs: Any, parent: _Record, where: str) -> None:
        if table_name(parent.cls) != FOREIGN_KEYS["metric_id"] or not isinstance(specs, list):
            raise self.fail(f"{where}: series: only a metric has a list of series")
        for n, spec in enumerate(specs, 1):
            here = f"{where} › series #{n}"
            if not isinstance(spec, Mapping):
                raise self.fail(f"{here}: must be an object")
            unknown = sorted(set(spec) - _SERIES_KEYS)
            if unknown:
                raise self.fail(f"{here}: no setting {', '.join(unknown)}")
            try:
                dates = steps(self.date(spec["start"]), spec["count"], spec.get("step", 7))
                notes = {self.date(d): text for d, text in spec.get("notes", {}).items()}
                if not notes.keys() <= set(dates):
                    raise ValueError("a note's date is not one of the series' dates")
                made = series(
                    self.rng,
                    parent.id,
                    dates,
                    trend=[(self.date(d), float(v)) for d, v in spec.get("trend", ())],
                    noise=float(spec.get("noise", 0.0)),
                    increments=[(n, lo, hi) for n, lo, hi in spec.get("increments", ())],
                    digits=spec.get("digits", 2),
                    low=float(spec.get("low", 0.0)),
                    high=None if spec.get("high") is None else float(spec["high"]),
                    segment=coerce(FIELDS[Measurement]["segment"], spec.get("segment", ""), here),
                    notes=notes,
                    make_id=self.make_id,
                )
            except KeyError as err:
                raise self.fail(f"{here}: missing setting {err}") from None
            except (TypeError, ValueError, AttributeError) as err:
                raise self.fail(f"{here}: {err}") from None
            for measurement in made:
                try:
                    measurement.validate()
                except ValidationError as err:
                    raise self.fail(f"{here}: {measurement.on}: {err.message}") from None
                record = _Record(Measurement, measurement.id, self.prefix + here, {})
                record.entity = measurement
                self.records.append(record)
            if made and spec.get("@key") is not None:
                self.name("measurement", spec["@key"], self.records[-1])

    @staticmethod
    def date(value: Any) -> date:
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a date (YYYY-MM-DD)")
        return date.fromisoformat(value)

    def build(self, record: _Record) -> Entity:
        """The record's entity, its references resolved (built once; cycles are refused)."""
        if record.entity is not None:
            return record.entity
        if record.building:
            raise DataError(f"{record.where}: its references go round in a circle")
        record.building = True
        values = {"id": record.id, **record.link}
        for name, value in record.fields.items():
            values[name] = self.resolve(record, name, value)
        record.entity = build_entity(record.cls, values, record.where)
        return record.entity

    def resolve(self, record: _Record, name: str, value: Any) -> Any:
        link = FOREIGN_KEYS.get(name) if name in FIELDS[record.cls] else None
        if not isinstance(value, str) or not value.startswith("@"):
            if link and value is not None:
                raise DataError(f"{record.where}: {name}: give a reference, e.g. '@{link}:key'")
            return value
        if value.startswith("@@"):
            return value[1:]
        type_name, _, rest = value[1:].partition(":")
        key, _, attribute = rest.partition(".")
        target = self.keys.get((type_name, key))
        if target is None:
            raise DataError(f'{record.where}: {name}: no {type_name} with key "{key}"')
        if not attribute:
            if link is None:
                want = f"a value, e.g. '@{type_name}:{key}.name'"
                raise DataError(f"{record.where}: {name}: {value} is an id; {name} takes {want}")
            if link != type_name:
                raise DataError(f"{record.where}: {name} takes '@{link}:key', not {value}")
            return target.id
        if attribute not in FIELDS[target.cls]:
            raise DataError(f"{record.where}: {name}: a {type_name} has no field {attribute}")
        return getattr(self.build(target), attribute)
