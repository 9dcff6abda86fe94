"""Typed access to the rows of a working copy, with clock stamps and tombstones.

:class:`Store` wraps a SQLAlchemy engine on one working copy.  All reads and writes happen in a
:class:`Tx` (one transaction): ``with store.transaction() as tx: ...`` commits at the end of the
block, or rolls back if it raises.  Writes stamp every changed field with the store's
:class:`~ldpm.persistence.hlc.HybridClock`; deletes set the ``deleted`` tombstone.  Reads skip
tombstoned rows unless asked.

The first write of a transaction takes the file's write lock and observes the clock stamp in
``meta`` inside that transaction, so a merge committed by another connection a moment earlier
(on a worker thread) can never be followed by a local stamp lower than the ones it merged.
At the end of a transaction that stamped, ``meta``'s clock is raised, never lowered.

Deletes and the rows that belong to a row (the rules a merge relies on, see
:mod:`ldpm.sync.merge`):

* deleting a row tombstones it **and its live descendants** along the required parent links
  (:data:`PARENT_LINKS`: an objective's key results, an initiative's segments, items …), all
  with one stamp: that stamp names the delete, and the rows it tombstoned are its *group*;
* a tombstoned row's field stamps are exactly what its deleter had seen of it;
* bringing a row back (undo, or any write to it) brings back its whole group and every
  tombstoned required parent (with theirs): a live row never sits under a tombstoned parent.
  Writing a field of a tombstoned row, or inserting a row under a tombstoned parent, brings
  them back the same way — a write beats a delete, as when replicas merge.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
from ldpm.persistence.hlc import COUNTER_WIDTH, MS_WIDTH, HybridClock, is_well_formed
from ldpm.persistence.links import CHILD_LINKS, PARENT_LINKS, Tomb, rows_to_bring_back

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


def from_row(cls: type[E], row: Mapping[Any, Any], *, partial: bool = False) -> E:
    """The entity a row holds.  ``partial``: fields the row lacks (columns an older schema
    did not have yet) take their defaults."""
    codecs = _CODECS[cls]
    return cls(
        **{
            name: dec(row[name])
            for name, (_enc, dec) in codecs.items()
            if not partial or name in row
        }
    )


#: Prefix of the keys in ``stamps`` that hold a field's *base*: the stamp of the value an
#: edit was made on top of.
BASE = "^"
#: Prefix of the keys in ``stamps`` that say which writes a row has *seen*: ``"@" + device``
#: holds the latest write of that device the row's state took in (as a value, or as a value
#: it overwrote), when no other stamp of the row says so any more.  Every stamp a row holds
#: counts as seen, so these keys are rare.  Merging uses them to tell a sequential write
#: (made by someone who had seen the other) from a concurrent one (see ``has_seen``).
SEEN = "@"


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


def has_seen(stamps: Mapping[str, str], stamp: str) -> bool:
    """Whether a row whose stamps are ``stamps`` had seen the write stamped ``stamp``: it
    holds that write, or a later write of the same device (whose state held that one)."""
    if stamp in stamps.values():
        return True
    device = stamp[MS_WIDTH + COUNTER_WIDTH :]
    return any(v > stamp and v[MS_WIDTH + COUNTER_WIDTH :] == device for v in stamps.values())


def _latest_by_device(values: Iterable[str], into: dict[str, str]) -> dict[str, str]:
    for v in values:
        device = v[MS_WIDTH + COUNTER_WIDTH :]
        if v > into.get(device, ""):
            into[device] = v
    return into


def normalise_stamps(
    stamps: Mapping[str, str], fields: Iterable[str], before: Iterable[Mapping[str, str]] = ()
) -> dict[str, str]:
    """One way to write a row's stamps: ``"*"`` is the oldest stamp of ``fields`` (every
    column but ``id`` and ``stamps``), only fields written later have their own entry, bases
    and entries of names not in ``fields`` are kept as they are, and a :data:`SEEN` entry
    stands for each device whose latest seen write no other stamp shows — including those of
    the rows' stamps ``before`` a write replaced some of them.  Two devices holding the same
    values with the same stamps then hold byte-identical rows."""
    names = set(fields)
    effective = {name: stamps.get(name) or stamps.get("*", "") for name in names}
    if not effective:
        return dict(stamps)
    star = min(effective.values())
    out = {"*": star}
    seen = []
    for k, v in stamps.items():
        if k[:1] == SEEN:
            seen.append(v)
        elif k != "*" and k not in names:
            out[k] = v
    out.update({name: stamp for name, stamp in effective.items() if stamp != star})
    for old in before:
        seen.extend(old.values())
    if seen:
        shown = _latest_by_device(out.values(), {})
        for device, stamp in _latest_by_device(seen, {}).items():
            if stamp > shown.get(device, ""):
                out[SEEN + device] = stamp
    return out


#: Column names of every synced table that carry stamps (all but ``id`` and ``stamps``).
FIELDS: dict[str, tuple[str, ...]] = {
    t.name: tuple(c.name for c in t.columns if c.name not in ("id", "stamps"))
    for t in schema.TABLES.values()
}


class Tx:
    """One transaction on a working copy."""

    def __init__(self, conn: Connection, clock: HybridClock) -> None:
        self.conn = conn
        self.clock = clock
        self.stamped = False
        self._writing = False

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
        """Insert a new row.  A tombstoned parent of it comes back (see the module doc)."""
        entity.validate()
        self._begin_write()
        table = schema.TABLES[type(entity)]
        row = to_row(entity)
        row["deleted"] = 0
        row["stamps"] = dump_stamps({"*": self._stamp()})
        self.conn.execute(table.insert().values(**row))
        self._keep_parents_live(table.name, [row])

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
        self._begin_write()
        for entity in entities:
            row = to_row(entity)
            row["deleted"] = 0
            row["stamps"] = dump_stamps({"*": self._stamp()})
            rows.append(row)
        self.conn.execute(table.insert(), rows)
        self._keep_parents_live(table.name, rows)

    def update(self, cls: type[E], id_: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change fields of a row.  Returns the previous values of the fields that actually
        changed (empty if none did).  Raises KeyError if there is no such row.  A tombstoned
        row that is changed comes back (see the module doc)."""
        self._begin_write()
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
        current.validate(old)  # only what the edit touches: see Entity.validate
        stamps = self.stamps(cls, id_)
        before = dict(stamps)
        stamp = self._stamp()
        for name in old:
            record_base(stamps, name, self.clock.device)
            stamps[name] = stamp
        table = schema.TABLES[cls]
        values = {name: encode_value(cls, name, changes[name]) for name in old}
        values["stamps"] = dump_stamps(normalise_stamps(stamps, FIELDS[table.name], [before]))
        self.conn.execute(update(table).where(table.c.id == id_).values(**values))
        # A written row is live, and so are the rows it belongs to (module doc).
        self._bring_back(rows_to_bring_back(self._execute, {(table.name, id_): None}))
        return old

    def set_deleted(self, cls: type[Entity], id_: str, deleted: bool) -> bool:
        """Set or clear the tombstone.  Returns True if it changed.

        Setting it tombstones the row's live descendants too, with the same stamp; clearing
        it brings back the rows deleted with it and its tombstoned parents (module doc)."""
        self._begin_write()
        table = schema.TABLES[cls]
        row = self.conn.execute(select(table.c.deleted).where(table.c.id == id_)).first()
        if row is None:
            raise KeyError(f"{cls.__name__} {id_} does not exist")
        if bool(row.deleted) == deleted:
            return False
        if deleted:
            self._delete_tree(table.name, id_)
        else:
            self._bring_back(rows_to_bring_back(self._execute, {(table.name, id_): None}))
        return True

    def _delete_tree(self, table: str, id_: str) -> None:
        """Tombstone a row and its live descendants with one stamp.  A tombstoned row's field
        stamps say what its deleter had seen, so no base is recorded (see merge.py)."""
        root = dict(self._live_rows(table, "id", [id_]))
        rows: dict[str, dict[str, dict[str, str]]] = {table: root}
        level: dict[str, set[str]] = {table: {id_}}
        while level:
            below: dict[str, set[str]] = {}
            for name, ids in level.items():
                for child, column in CHILD_LINKS[name]:
                    for row_id, stamps in self._live_rows(child, column, ids):
                        if row_id not in rows.setdefault(child, {}):
                            rows[child][row_id] = stamps
                            below.setdefault(child, set()).add(row_id)
            level = below
        stamp = self._stamp()
        for name, found in rows.items():
            updates = []
            for row_id, before in found.items():
                stamps = {**before, "deleted": stamp}
                stamps.pop(BASE + "deleted", None)
                normal = normalise_stamps(stamps, FIELDS[name], [before])
                updates.append((dump_stamps(normal), row_id))
            if updates:
                self.conn.exec_driver_sql(
                    f'UPDATE "{name}" SET deleted = 1, stamps = ? WHERE id = ?', updates
                )

    def _live_rows(
        self, table: str, column: str, keys: Iterable[str]
    ) -> builtins.list[tuple[str, dict[str, str]]]:
        rows = self._execute(
            f'SELECT id, stamps FROM "{table}" WHERE deleted = 0 '
            f'AND "{column}" IN (SELECT value FROM json_each(?))',
            (json.dumps(sorted(keys)),),
        )
        return [(str(r[0]), json.loads(r[1])) for r in rows]

    def _bring_back(self, tombs: Mapping[tuple[str, str], Tomb]) -> None:
        """Clear the tombstones of ``tombs`` with one new stamp (an undelete)."""
        if not tombs:
            return
        stamp = self._stamp()
        by_table: dict[str, builtins.list[tuple[str, str]]] = {}
        for (table, row_id), tomb in tombs.items():
            stamps = {**tomb.stamps, "deleted": stamp}
            stamps.pop(BASE + "deleted", None)
            by_table.setdefault(table, []).append(
                (dump_stamps(normalise_stamps(stamps, FIELDS[table], [tomb.stamps])), row_id)
            )
        for table, updates in by_table.items():
            self.conn.exec_driver_sql(
                f'UPDATE "{table}" SET deleted = 0, stamps = ? WHERE id = ?', updates
            )

    def _keep_parents_live(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        parents: dict[tuple[str, str], str | None] = {
            (parent, str(row[column])): None
            for column, parent in PARENT_LINKS[table]
            for row in rows
        }
        if parents:
            self._bring_back(rows_to_bring_back(self._execute, parents))

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

    def _execute(self, sql: str, params: Sequence[Any]) -> builtins.list[Sequence[Any]]:
        return [tuple(r) for r in self.conn.exec_driver_sql(sql, tuple(params))]

    def _begin_write(self) -> None:
        """Before the first write of this transaction: take the file's write lock, then move
        the clock past the stamp in ``meta`` as it is now (a merge on another connection may
        have just committed), so that no stamp issued here is lower than a merged one."""
        if self._writing:
            return
        self.conn.exec_driver_sql("UPDATE meta SET value = value WHERE key = 'hlc'")
        self._writing = True
        row = self.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'hlc'").first()
        if row is not None and is_well_formed(row[0]):
            self.clock.observe(str(row[0]))

    def _stamp(self) -> str:
        self._begin_write()
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
                # Raise the file's clock, never lower it (a merge may have raised it further).
                conn.exec_driver_sql(
                    "INSERT INTO meta(key, value) VALUES ('hlc', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)",
                    (self.clock.last,),
                )

    def dispose(self) -> None:
        self.engine.dispose()
