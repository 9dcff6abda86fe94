"""The tables of a ``.ldpm`` file, derived from the domain dataclasses.

Every entity type becomes one *synced* table named after it (``BacklogItem`` → ``backlog_item``)
with one column per dataclass field and two bookkeeping columns:

``deleted``
    0 or 1.  Rows are never removed; deleting sets this tombstone so that a delete can travel
    to other replicas and lose against a concurrent edit.
``stamps``
    JSON object mapping field name → hybrid-clock stamp of its last write.  The key ``"*"``
    holds the stamp of the insert and stands for every field without its own entry, so a row
    that was written once carries one stamp, not thirty.

Field types map as: str → TEXT NOT NULL, int/bool → INTEGER, float → REAL, date → TEXT
(ISO 8601), enums → TEXT (their value); ``X | None`` makes the column nullable.  Fields named
``<entity>_id`` are foreign keys, declared ``DEFERRABLE INITIALLY DEFERRED`` so that a merge can
bring a child before its parent inside one transaction.  There are no UNIQUE constraints besides
the primary key, as sync requires.  Foreign keys are indexed, each by an index of its own or
by a covering index it leads (:data:`COVERING`).

The migration scripts under ``migrations/versions`` are frozen copies of what this module
produced when they were written; ``tests/persistence/test_document.py``
(``test_migrations_match_the_models``) checks that they agree.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
)
from sqlalchemy.types import TypeEngine

from ldpm.domain import entities
from ldpm.domain.entities import ENTITY_TYPES, Entity

metadata = MetaData()

#: Key/value table of the file's identity and seal (not synced).
meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

#: Foreign-key columns and the table they point at.
FOREIGN_KEYS: dict[str, str] = {
    "initiative_id": "initiative",
    "objective_id": "objective",
    "item_id": "backlog_item",
    "person_id": "person",
    "stakeholder_id": "stakeholder",
    "metric_id": "metric",
    "release_id": "release",
    "experiment_id": "experiment",
    "key_result_id": "key_result",
}

#: Covering indexes, by table: name and columns.  A read that needs only these columns, in
#: this order, is answered from the index alone, already sorted, without a temporary B-tree
#: or a visit to each row.  A foreign key that leads one needs no index of its own.
#: ``measurement``: a metric's lines (``services.metrics._lines``), schema version 8.
COVERING: dict[str, tuple[str, tuple[str, ...]]] = {
    "measurement": ("ix_measurement_lines", ("metric_id", "deleted", "segment", "on", "value")),
}


def table_name(cls: type[Entity]) -> str:
    """``BacklogItem`` → ``backlog_item``."""
    out: list[str] = []
    for i, ch in enumerate(cls.__name__):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one dataclass field is stored."""

    name: str
    kind: type  # str, int, bool, float, date, or an Enum subclass
    optional: bool


def field_specs(cls: type[Entity]) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls, vars(entities))
    specs = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        optional = False
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"{cls.__name__}.{f.name}: unsupported type {hint}")
            hint, optional = args[0], True
        if not isinstance(hint, type) or not (
            hint in (str, int, bool, float, date) or issubclass(hint, Enum)
        ):
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported type {hint}")
        specs.append(FieldSpec(f.name, hint, optional))
    return tuple(specs)


def _sql_type(kind: type) -> TypeEngine[Any]:
    if kind in (int, bool):
        return Integer()
    if kind is float:
        return Float()
    return Text()


def _entity_table(cls: type[Entity]) -> Table:
    name = table_name(cls)
    columns: list[Column[Any]] = []
    indexed: list[str] = []
    for spec in field_specs(cls):
        if spec.name == "id":
            columns.append(Column("id", Text, primary_key=True))
            continue
        args: list[Any] = []
        if spec.name in FOREIGN_KEYS:
            args.append(
                ForeignKey(f"{FOREIGN_KEYS[spec.name]}.id", deferrable=True, initially="DEFERRED")
            )
            indexed.append(spec.name)
        columns.append(Column(spec.name, _sql_type(spec.kind), *args, nullable=spec.optional))
    columns.append(Column("deleted", Integer, nullable=False, server_default=text("0")))
    columns.append(Column("stamps", Text, nullable=False, server_default=text("'{}'")))
    table = Table(name, metadata, *columns)
    covering = COVERING.get(name)
    for col in indexed:
        if covering is None or covering[1][0] != col:
            Index(f"ix_{name}_{col}", table.c[col])
    if covering is not None:
        Index(covering[0], *(table.c[col] for col in covering[1]))
    return table


#: Entity type → its table, in dependency order (parents first).
TABLES: dict[type[Entity], Table] = {cls: _entity_table(cls) for cls in ENTITY_TYPES}
#: Table name → entity type.
ENTITY_BY_TABLE: dict[str, type[Entity]] = {t.name: cls for cls, t in TABLES.items()}
#: Field specs per entity type, computed once.
SPECS: dict[type[Entity], tuple[FieldSpec, ...]] = {cls: field_specs(cls) for cls in TABLES}
