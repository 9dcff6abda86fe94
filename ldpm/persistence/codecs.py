"""How the fields of an entity are stored: the codec of each field (an enum as its value, a
date as ISO text, a flag as 0 or 1 …), one row to one entity and back, and the quick paths
:class:`~ldpm.persistence.store.Tx` reads and bulk-inserts thousands of rows with."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

from ldpm.domain.entities import Entity
from ldpm.persistence import schema

E = TypeVar("E", bound=Entity)

_Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def _codec(spec: schema.FieldSpec) -> _Codec:
    kind = spec.kind
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    if kind is bool:
        encode, decode = int, bool
    elif kind is date:
        encode, decode = date.isoformat, date.fromisoformat
    elif issubclass(kind, Enum):
        enum_kind = kind

        def encode(v: Any) -> Any:
            return enum_kind(v).value  # the member, or its stored value

        def decode(v: Any) -> Any:
            return enum_kind(v)
    elif kind is float:
        encode = decode = float
    elif kind is int:
        encode = decode = int
    else:
        encode = decode = str
    if spec.optional:
        enc, dec = encode, decode
        return (
            lambda v: None if v is None else enc(v),
            lambda v: None if v is None else dec(v),
        )
    return encode, decode


CODECS: dict[type[Entity], dict[str, _Codec]] = {
    cls: {spec.name: _codec(spec) for spec in specs} for cls, specs in schema.SPECS.items()
}


def encode_value(cls: type[Entity], name: str, value: Any) -> Any:
    return CODECS[cls][name][0](value)


def decode_value(cls: type[Entity], name: str, value: Any) -> Any:
    """A stored value of field ``name`` as the domain sees it (an enum, a date …)."""
    return CODECS[cls][name][1](value)


def to_row(entity: Entity) -> dict[str, Any]:
    codecs = CODECS[type(entity)]
    return {name: enc(getattr(entity, name)) for name, (enc, _dec) in codecs.items()}


def from_row(cls: type[E], row: Mapping[Any, Any], *, partial: bool = False) -> E:
    """The entity a row holds.  ``partial``: fields the row lacks (columns an older schema
    did not have yet) take their defaults."""
    codecs = CODECS[cls]
    return cls(
        **{
            name: dec(row[name])
            for name, (_enc, dec) in codecs.items()
            if not partial or name in row
        }
    )


def _converter(spec: schema.FieldSpec) -> Callable[[Any], Any] | None:
    """What turns a stored value of ``spec`` into the domain's, or None when SQLite already
    returns it as such (text, whole numbers, real numbers)."""
    kind = spec.kind
    if kind is bool:
        return bool
    if kind is date:
        return date.fromisoformat
    if issubclass(kind, Enum):
        return kind._value2member_map_.__getitem__  # what kind(value) does, without the call
    if kind is float:
        return float  # a REAL column may hold an integer written by hand
    return None


#: Per entity type: its field names in order, and (position, converter) of the fields whose
#: stored value needs converting — what :meth:`Tx.list` reads rows with, without a per-field
#: call for the text and numbers that make up most of a row.
READERS: dict[type[Entity], tuple[tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]]]
READERS = {
    cls: (
        tuple(spec.name for spec in specs),
        tuple((i, conv) for i, spec in enumerate(specs) if (conv := _converter(spec)) is not None),
    )
    for cls, specs in schema.SPECS.items()
}


def _bulk_insert(
    cls: type[Entity],
) -> tuple[
    str,
    Callable[[Entity], tuple[Any, ...]],
    tuple[tuple[int, Callable[[Any], Any]], ...],
    tuple[tuple[int, Callable[[Any], Any]], ...],
]:
    """How :meth:`Tx.insert_many` writes rows of ``cls``: the INSERT statement (every field,
    then ``deleted`` and ``stamps``), a getter of the fields' values in that order, and the
    codecs of :func:`to_row` by position — those of fields that are not text, and those of
    text fields (applied only to a value that is not already a string, where they would
    change nothing)."""
    specs = schema.SPECS[cls]
    table = schema.TABLES[cls].name
    names = [spec.name for spec in specs]
    columns = ", ".join(f'"{name}"' for name in (*names, "deleted", "stamps"))
    marks = ", ".join(["?"] * len(names) + ["0", "?"])
    codecs = CODECS[cls]
    encoders = tuple((i, codecs[s.name][0]) for i, s in enumerate(specs) if s.kind is not str)
    texts = tuple((i, codecs[s.name][0]) for i, s in enumerate(specs) if s.kind is str)
    assert len(names) > 1  # an id and a field: attrgetter then returns a tuple
    get: Callable[[Entity], tuple[Any, ...]] = attrgetter(*names)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', get, encoders, texts


BULK_INSERTS = {cls: _bulk_insert(cls) for cls in schema.SPECS}


def read_rows(cls: type[E], rows: Iterable[Sequence[Any]]) -> builtins.list[E]:
    """Entities from rows of the fields in :data:`READERS` order (what :func:`from_row`
    does for one mapping, quicker for thousands)."""
    names, converters = READERS[cls]
    out = []
    for row in rows:
        values = list(row)
        for i, convert in converters:
            value = values[i]
            if value is not None:
                values[i] = convert(value)
        out.append(cls(**dict(zip(names, values, strict=True))))
    return out
