"""Typed access to the rows of a working copy, with clock stamps and tombstones.

:class:`Store` wraps a SQLAlchemy engine on one working copy.  All reads and writes happen in a
:class:`Tx` (one transaction): ``with store.transaction() as tx: ...`` commits at the end of the
block, or rolls back if it raises.  Writes stamp every changed field with the store's
:class:`~ldpm.persistence.hlc.HybridClock`; deletes set the ``deleted`` tombstone.  Reads skip
tombstoned rows unless asked.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    create_engine,
    event,
    func,
    select,
    update,
)

from ldpm.domain.entities import Entity
from ldpm.persistence import schema
from ldpm.persistence.hlc import COUNTER_WIDTH, MS_WIDTH, HybridClock

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


_CODECS: dict[type[Entity], dict[str, _Codec]] = {
    cls: {spec.name: _codec(spec) for spec in specs} for cls, specs in schema.SPECS.items()
}


def encode_value(cls: type[Entity], name: str, value: Any) -> Any:
    return _CODECS[cls][name][0](value)


def decode_value(cls: type[Entity], name: str, value: Any) -> Any:
    """A stored value of field ``name`` as the domain sees it (an enum, a date …)."""
    return _CODECS[cls][name][1](value)


def to_row(entity: Entity) -> dict[str, Any]:
    codecs = _CODECS[type(entity)]
    return {name: enc(getattr(entity, name)) for name, (enc, _dec) in codecs.items()}


def from_row(cls: type[E], row: Mapping[Any, Any]) -> E:
    codecs = _CODECS[cls]
    return cls(**{name: dec(row[name]) for name, (_enc, dec) in codecs.items()})


#: Prefix of the keys in ``stamps`` that hold a field's *base*: the stamp of the value an
#: edit was made on top of.  Merging uses it to tell a sequential edit from a concurrent one.
BASE = "^"


def dump_stamps(stamps: Mapping[str, str]) -> str:
    """Stamps as canonical JSON (sorted keys, no spaces): two rows in the same state on two
    devices have byte-identical ``stamps``, which lets a merge skip them in SQL."""
    return json.dumps(stamps, sort_keys=True, separators=(",", ":"))


def field_stamp(stamps: Mapping[str, str], name: str) -> str:
    """The stamp of a field's current value (the insert's for a never-edited field)."""
    return stamps.get(name) or stamps["*"]


def record_base(stamps: dict[str, str], name: str, device: str) -> None:
    """Before ``device`` overwrites field ``name``: remember what it is overwriting.  Edits on
    top of this device's own unsynced edit keep the earlier base, so a run of local edits
    counts as one change against what the other devices last had."""
    current = field_stamp(stamps, name)
    if BASE + name not in stamps or stamp_device(current) != device:
        stamps[BASE + name] = current


def stamp_device(stamp: str) -> str:
    return stamp[MS_WIDTH + COUNTER_WIDTH :]


class Tx:
    """One transaction on a working copy."""

    def __init__(self, conn: Connection, clock: HybridClock) -> None:
        self.conn = conn
        self.clock = clock
        self.stamped = False

    # ---------------------------------------------------------------- reads
    def get(self, cls: type[E], id_: str, *, include_deleted: bool = False) -> E | None:
        table = schema.TABLES[cls]
        query = select(table).where(table.c.id == id_)
        if not include_deleted:
            query = query.where(table.c.deleted == 0)
        row = self.conn.execute(query).mappings().first()
        return from_row(cls, row) if row is not None else None

    def list(
        self,
        cls: type[E],
        *,
        where: Mapping[str, Any] | None = None,
        include_deleted: bool = False,
        order_by: Sequence[str] = ("rank", "id"),
    ) -> builtins.list[E]:
        table = schema.TABLES[cls]
        query = select(table).where(*self._conditions(cls, where, include_deleted))
        query = query.order_by(*(table.c[name] for name in order_by if name in table.c))
        return [from_row(cls, row) for row in self.conn.execute(query).mappings()]

    def count(
        self,
        cls: type[Entity],
        *,
        where: Mapping[str, Any] | None = None,
        include_deleted: bool = False,
    ) -> int:
        table = schema.TABLES[cls]
        query = (
            select(func.count())
            .select_from(table)
            .where(*self._conditions(cls, where, include_deleted))
        )
        return int(self.conn.execute(query).scalar_one())

    def is_deleted(self, cls: type[Entity], id_: str) -> bool:
        table = schema.TABLES[cls]
        value = self.conn.execute(
            select(table.c.deleted).where(table.c.id == id_)
        ).scalar_one_or_none()
        return bool(value)

    def stamps(self, cls: type[Entity], id_: str) -> dict[str, str]:
        table = schema.TABLES[cls]
        raw = self.conn.execute(select(table.c.stamps).where(table.c.id == id_)).scalar_one()
        value: dict[str, str] = json.loads(raw)
        return value

    @staticmethod
    def _conditions(
        kind: type[Entity], where: Mapping[str, Any] | None, include_deleted: bool
    ) -> builtins.list[ColumnElement[bool]]:
        table = schema.TABLES[kind]
        conditions: builtins.list[ColumnElement[bool]] = []
        if not include_deleted:
            conditions.append(table.c.deleted == 0)
        for name, value in (where or {}).items():
            encoded = encode_value(kind, name, value)
            column = table.c[name]
            conditions.append(column.is_(None) if encoded is None else column == encoded)
        return conditions

    # --------------------------------------------------------------- writes
    def insert(self, entity: Entity) -> None:
        entity.validate()
        table = schema.TABLES[type(entity)]
        row = to_row(entity)
        row["deleted"] = 0
        row["stamps"] = dump_stamps({"*": self._stamp()})
        self.conn.execute(table.insert().values(**row))

    def insert_many(self, entities: Sequence[Entity]) -> None:
        """Insert entities of one type in one statement (bulk loads, the demo)."""
        if not entities:
            return
        cls = type(entities[0])
        table = schema.TABLES[cls]
        rows = []
        for entity in entities:
            if type(entity) is not cls:
                raise TypeError("insert_many takes entities of one type")
            entity.validate()
            row = to_row(entity)
            row["deleted"] = 0
            row["stamps"] = dump_stamps({"*": self._stamp()})
            rows.append(row)
        self.conn.execute(table.insert(), rows)

    def update(self, cls: type[E], id_: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change fields of a live row.  Returns the previous values of the fields that
        actually changed (empty if none did).  Raises KeyError if there is no such row."""
        current = self.get(cls, id_, include_deleted=True)
        if current is None:
            raise KeyError(f"{cls.__name__} {id_} does not exist")
        unknown = set(changes) - set(_CODECS[cls]) or {"id"} & set(changes)
        if unknown:
            raise KeyError(f"{cls.__name__} has no editable field {sorted(unknown)}")
        old = {k: getattr(current, k) for k, v in changes.items() if getattr(current, k) != v}
        if not old:
            return {}
        for name in old:
            setattr(current, name, changes[name])
        current.validate()
        stamps = self.stamps(cls, id_)
        stamp = self._stamp()
        for name in old:
            record_base(stamps, name, self.clock.device)
            stamps[name] = stamp
        table = schema.TABLES[cls]
        values = {name: encode_value(cls, name, changes[name]) for name in old}
        values["stamps"] = dump_stamps(stamps)
        self.conn.execute(update(table).where(table.c.id == id_).values(**values))
        return old

    def set_deleted(self, cls: type[Entity], id_: str, deleted: bool) -> bool:
        """Set or clear the tombstone.  Returns True if it changed."""
        table = schema.TABLES[cls]
        row = self.conn.execute(
            select(table.c.deleted, table.c.stamps).where(table.c.id == id_)
        ).first()
        if row is None:
            raise KeyError(f"{cls.__name__} {id_} does not exist")
        if bool(row.deleted) == deleted:
            return False
        stamps = json.loads(row.stamps)
        # What the deleter saw: a field written later elsewhere was not seen, and an edit
        # beats a concurrent delete when replicas merge.
        stamps[BASE + "deleted"] = max(v for k, v in stamps.items() if not k.startswith(BASE))
        stamps["deleted"] = self._stamp()
        self.conn.execute(
            update(table)
            .where(table.c.id == id_)
            .values(deleted=int(deleted), stamps=dump_stamps(stamps))
        )
        return True

    def set_deleted_many(self, cls: type[Entity], ids: Sequence[str], deleted: bool) -> int:
        """:meth:`set_deleted` for many rows of one type (undoing or redoing an import of
        100,000 rows): the same tombstones, in one read and one write statement per 500 rows
        instead of two statements per row.  The rows changed share one stamp: it names this
        one delete (or restore).  Returns how many rows changed; raises KeyError if one does
        not exist."""
        table = schema.TABLES[cls]
        changed = 0
        stamp = ""
        write = f'UPDATE "{table.name}" SET deleted = ?, stamps = ? WHERE id = ?'
        for start in range(0, len(ids), 500):
            chunk = list(dict.fromkeys(ids[start : start + 500]))
            rows = self.conn.execute(
                select(table.c.id, table.c.deleted, table.c.stamps).where(table.c.id.in_(chunk))
            ).all()
            if len(rows) != len(chunk):
                missing = set(chunk) - {r.id for r in rows}
                raise KeyError(f"{cls.__name__} {sorted(missing)[0]} does not exist")
            params = []
            for row_id, flag, raw in rows:
                if bool(flag) == deleted:
                    continue
                stamp = stamp or self._stamp()
                stamps = json.loads(raw)
                # As set_deleted: what the deleter saw, then the delete's own stamp.
                stamps[BASE + "deleted"] = max(
                    v for k, v in stamps.items() if not k.startswith(BASE)
                )
                stamps["deleted"] = stamp
                params.append((int(deleted), dump_stamps(stamps), row_id))
            if params:
                self.conn.exec_driver_sql(write, params)
            changed += len(params)
        return changed

    def children_ids(
        self, cls: type[Entity], parent_field: str, parent_ids: Sequence[str]
    ) -> builtins.list[str]:
        """Ids of live rows of ``cls`` whose ``parent_field`` is one of ``parent_ids``."""
        if not parent_ids:
            return []
        table = schema.TABLES[cls]
        query = select(table.c.id).where(
            and_(table.c.deleted == 0, table.c[parent_field].in_(list(parent_ids)))
        )
        return [str(r) for r in self.conn.execute(query).scalars()]

    def _stamp(self) -> str:
        self.stamped = True
        return self.clock.now()


def _configure(dbapi_con: Any, _record: Any) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(path: Path) -> Engine:
    """An engine on a working copy.  Pooled connections are used by one thread at a time;
    :meth:`Store.dispose` closes them all when the document closes."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _configure)
    return engine


class Store:
    """The rows of one working copy."""

    def __init__(self, path: Path, clock: HybridClock) -> None:
        self.path = path
        self.clock = clock
        self.engine = make_engine(path)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.engine.begin() as conn:
            tx = Tx(conn, self.clock)
            yield tx
            if tx.stamped:
                conn.execute(
                    schema.meta.insert()
                    .prefix_with("OR REPLACE")
                    .values(key="hlc", value=self.clock.last)
                )

    def dispose(self) -> None:
        self.engine.dispose()
