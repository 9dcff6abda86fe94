"""Many entities at once: built from plain values, ranked, measured, inserted in bulk.

One way to fill a project with content, shared by the demo (:mod:`ldpm.services.content` reads
``resources/demo/northwind.json``), the benchmark generator (``bench/generate.py``) and the
tests:

:func:`build_entity`
    an entity from plain values (JSON-like or typed), each checked against the field's type,
    the entity validated; a :class:`DataError` names the record and the field.
:func:`set_ranks`
    ranks from list order (:func:`~ldpm.domain.ranking.spread_ranks`).
:func:`series`
    measurements from a compact description: dates, a piecewise-linear trend through a few
    anchor points plus Gaussian noise (or a running total of random increments), rounded and
    clamped, drawn from a seeded :class:`random.Random`.
:class:`Batch`
    entities collected per type, inserted parents first with :meth:`Tx.insert_many`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from itertools import pairwise
from typing import Any, Protocol, TypeVar, cast

from ldpm.domain.entities import (
    ENTITY_TYPES,
    Conflict,
    Device,
    Entity,
    Measurement,
    Workspace,
    new_id,
)
from ldpm.domain.ranking import spread_ranks
from ldpm.domain.validation import ValidationError
from ldpm.persistence.schema import SPECS, FieldSpec, table_name
from ldpm.persistence.store import Tx

__all__ = [
    "FIELDS",
    "TYPES",
    "Batch",
    "DataError",
    "Ranked",
    "build_entity",
    "coerce",
    "interpolate",
    "series",
    "set_ranks",
    "steps",
]

E = TypeVar("E", bound=Entity)

#: The entity types content can hold, by table name (the workspace row and the sync
#: bookkeeping tables are not content).
TYPES: dict[str, type[Entity]] = {
    table_name(cls): cls for cls in ENTITY_TYPES if cls not in (Workspace, Conflict, Device)
}
#: Each entity type's fields by name: how each is stored.
FIELDS: dict[type[Entity], dict[str, FieldSpec]] = {
    cls: {spec.name: spec for spec in specs} for cls, specs in SPECS.items()
}
_REQUIRED: dict[type[Entity], tuple[str, ...]] = {
    cls: tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    for cls in SPECS
}
_KINDS = {str: "a text", int: "a whole number", float: "a number", bool: "true or false"}


class DataError(ValueError):
    """Content that cannot be loaded.  ``str(err)`` names the record and the field."""


# ------------------------------------------------------------------------------ entities


class Ranked(Protocol):
    rank: str


def set_ranks(entities: Sequence[Ranked]) -> None:
    """Rank ``entities`` in their list order: evenly spaced, short keys."""
    for entity, rank in zip(entities, spread_ranks(len(entities)), strict=True):
        entity.rank = rank


def coerce(spec: FieldSpec, value: Any, where: str) -> Any:
    """``value`` as read from JSON (or already typed) → the field's Python value."""
    kind = spec.kind
    if value is None:
        if spec.optional:
            return None
        raise DataError(f"{where}: {spec.name} cannot be empty")
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind is date:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise DataError(
                    f"{where}: {spec.name}: {value!r} is not a date (YYYY-MM-DD)"
                ) from None
        ok = isinstance(value, date)
    elif issubclass(kind, Enum):
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise DataError(f"{where}: {spec.name}: {value!r} is not one of {allowed}") from None
    else:
        ok = isinstance(value, str)
    if not ok:
        raise DataError(f"{where}: {spec.name}: {value!r} should be {_KINDS[kind]}")
    return value


def build_entity(cls: type[Entity], fields: Mapping[str, Any], where: str = "") -> Entity:
    """An entity of ``cls`` from plain values (JSON-like or typed), checked and validated.

    Raises :class:`DataError` naming ``where`` for an unknown or missing field, a value of the
    wrong type, an enum value that does not exist or a value the entity's rules refuse."""
    where = where or table_name(cls)
    specs = FIELDS[cls]
    unknown = sorted(set(fields) - set(specs))
    if unknown:
        known = ", ".join(name for name in specs if name != "id")
        raise DataError(f"{where}: no field {', '.join(unknown)} (fields: {known})")
    missing = [name for name in _REQUIRED[cls] if name not in fields]
    if missing:
        raise DataError(f"{where}: missing field {', '.join(missing)}")
    values = {name: coerce(specs[name], value, where) for name, value in fields.items()}
    entity = cls(**values)
    try:
        entity.validate()
    except ValidationError as err:
        raise DataError(f"{where}: {err.field}: {err.message}") from None
    return entity


@dataclass(slots=True)
class Batch:
    """Entities collected per type, inserted parents first."""

    rows: dict[type[Entity], list[Entity]] = field(default_factory=dict)

    def add(self, *entities: Entity) -> None:
        self.extend(entities)

    def extend(self, entities: Iterable[Entity]) -> None:
        for entity in entities:
            self.rows.setdefault(type(entity), []).append(entity)

    def of(self, cls: type[E]) -> list[E]:
        """The entities of type ``cls``, in the order they were added."""
        return cast(list[E], self.rows.get(cls, []))

    def counts(self) -> dict[str, int]:
        """Rows per table of every content type (see :data:`TYPES`), parents first."""
        return {name: len(self.rows.get(cls, [])) for name, cls in TYPES.items()}

    def insert(self, tx: Tx, *, chunk: int = 20_000) -> None:
        """Insert every entity with one :meth:`Tx.insert_many` per type and ``chunk`` rows."""
        for cls in ENTITY_TYPES:
            rows = self.rows.get(cls, [])
            for start in range(0, len(rows), chunk):
                tx.insert_many(rows[start : start + chunk])


# -------------------------------------------------------------------------------- series


def steps(start: date, count: int, step: int = 7) -> list[date]:
    """``count`` dates ``step`` days apart from ``start``."""
    return [start + timedelta(days=step * i) for i in range(count)]


def interpolate(points: Sequence[tuple[date, float]], on: date) -> float:
    """Piecewise-linear value at ``on``, flat before the first and after the last point."""
    if on <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in pairwise(points):
        if on <= d1:
            return v0 + (v1 - v0) * (on - d0).days / (d1 - d0).days
    return points[-1][1]


def series(
    rng: random.Random,
    metric_id: str,
    dates: Sequence[date],
    *,
    trend: Sequence[tuple[date, float]] = (),
    noise: float = 0.0,
    increments: Sequence[tuple[int, int, int]] = (),
    digits: int = 2,
    low: float = 0.0,
    high: float | None = None,
    segment: str = "",
    notes: Mapping[date, str] | None = None,
    make_id: Callable[[], str] = new_id,
) -> list[Measurement]:
    """Measurements of ``metric_id`` on ``dates``, rounded to ``digits``, clamped to
    ``[low, high]``.

    Each value is the ``trend`` (see :func:`interpolate`) plus ``rng.gauss(0, noise)``; or, with
    ``increments`` (``(points, low, high)`` runs), a running total that grows by
    ``rng.randint(low, high)`` at each point of each run."""
    if bool(trend) == bool(increments):
        raise ValueError("a series needs either a trend or increments")
    if any(d1 <= d0 for (d0, _), (d1, _) in pairwise(trend)):
        raise ValueError("the trend's dates must go forward")
    if increments and sum(n for n, _, _ in increments) != len(dates):
        raise ValueError("the increments do not cover the series' points")
    draws = [(lo, hi) for n, lo, hi in increments for _ in range(n)]
    notes = notes or {}
    out = []
    total = 0.0
    for i, on in enumerate(dates):
        if draws:
            total += rng.randint(*draws[i])
            value = total
        else:
            value = interpolate(trend, on) + (rng.gauss(0.0, noise) if noise else 0.0)
        value = max(low, value if high is None else min(high, value))
        note = notes.get(on, "")
        out.append(
            Measurement(
                id=make_id(),
                metric_id=metric_id,
                on=on,
                value=round(value, digits),
                segment=segment,
                note=note,
            )
        )
    return out
