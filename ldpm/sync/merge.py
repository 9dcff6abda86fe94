"""Merging a replica into the working copy: per field, last writer wins, nothing silently lost.

Every synced row carries per-field hybrid-clock stamps (see :mod:`ldpm.persistence.store`).
Merging replica R into working copy W, row by row:

* a row only in R is copied into W as it is;
* a row in both, for each field, keeps the value with the later stamp (the device id inside the
  stamp breaks ties) together with that stamp and its *base* — the stamp of the value the
  write was made on top of.  Two different values with one stamp (two computers sharing a
  device id) are ordered by their JSON text, and logged as a conflict;
* a field is a **conflict** when the two values differ and the copy holding the later write
  had not *seen* the earlier one: a row has seen every write whose stamp it holds (as a value,
  a base, or a :data:`~ldpm.persistence.store.SEEN` entry) and every earlier write of the same
  devices (see :func:`~ldpm.persistence.store.has_seen`).  The later value stays; both values
  go to the ``conflict`` table (a synced table) for a person to review.  A run of edits on
  one device, or an edit made on top of a synced value — even relayed through other devices —
  is sequential, not a conflict; an edit lost along a chain of devices that never saw it is
  one.  Ranks are not reviewed: an order loses no value, and equal ranks are ordered by id;
* ``deleted`` is a field too, with one more rule: **an edit beats a concurrent delete**.  A
  tombstoned row's field stamps are exactly what its deleter had seen of it (the store keeps it
  so), so when the winning delete meets a copy of the row with a field written later than the
  deleter's copy of that field, the delete did not see that write, and the row comes back.  It
  comes back with the delete's own stamp and the value 0; at equal stamps a live row beats a
  tombstone.  Every device that sees the same writes therefore undoes the same delete in the
  same way;
* **a child keeps its parent**: the store deletes a row together with its live descendants, as
  one *group* sharing the delete's stamp (:mod:`ldpm.persistence.links`).  When a row comes
  back its group comes back, and a live row never stays under a tombstoned parent: a child
  added or edited on one device while its parent (objective, initiative, person …) was deleted
  on another brings the parent back, with its group, all the way up.  A delete of several
  rows at once (an undone import) is one group too: an edit of one of them brings all back.
  Each delete undone is logged once, as a ``deleted`` conflict on the row the user deleted
  (the top of its group; the first of them, for a delete of several).

The result depends only on the stamped writes, so merging is commutative, associative and
idempotent: every device converges whatever the order in which replicas arrive.  Conflict
entries get an id derived from the row, the field and both stamps (for an undone delete, from
the delete's stamp alone), so two devices that find the same conflict record the same entry.

The merge runs on its own SQLite connection (any thread) in one ``BEGIN IMMEDIATE``
transaction: it either happens completely or not at all.  A replica whose stamps this version
cannot read raises :class:`MalformedReplica` and nothing is merged from it.
:attr:`MergeResult.max_stamp` is the latest stamp the replica held (rows and clock); the local
clock observes it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ldpm.domain.entities import Conflict
from ldpm.persistence.hlc import STAMP_PATTERN, is_well_formed
from ldpm.persistence.links import (
    CHILD_LINKS,
    PARENT_LINKS,
    Key,
    Tomb,
    deleted_by,
    rows_to_bring_back,
)
from ldpm.persistence.schema import TABLES, table_name
from ldpm.persistence.stamps import BASE, SEEN, dump_stamps, normalise_stamps
from ldpm.sync.merge_rows import (
    NO_REVIEW,
    conflict_id,
    latest_stamp,
    merge_row,
    stamp_of,
    undone_delete,
)

__all__ = ["MalformedReplica", "MergeResult", "conflict_id", "merge_replica", "merge_row"]

_ONE_STAMP = STAMP_PATTERN.pattern.removeprefix("^").removesuffix("$")
_CONFLICT_TABLE = table_name(Conflict)
#: Bookkeeping columns that are not fields.
_NOT_FIELDS = frozenset({"id", "stamps"})
#: The conflict log first, so that a conflict found again in this merge is recognised.
_ORDER = sorted((t.name for t in TABLES.values()), key=lambda name: name != _CONFLICT_TABLE)


#: Page cache of each file during a merge (KiB), and the most of the working copy mapped
#: into memory (bytes): room for a large workspace's tables (see ``_room_to_read``).
_CACHE_KIB = 64 * 1024
_MAP_BYTES = 256 * 1024 * 1024
#: How a :data:`~ldpm.persistence.store.SEEN` key starts in stamps' JSON.
_SEEN_MARK = f'"{SEEN}'
#: Well-formed stamps (:data:`ldpm.persistence.hlc.STAMP_PATTERN`), one a line: checking a
#: row's stamps with one match keeps validation cheap.
_STAMP_LINES = re.compile(rf"(?:{_ONE_STAMP}\n)*{_ONE_STAMP}")


class MalformedReplica(ValueError):
    """A replica whose clock stamps this version cannot order (not JSON, not clock stamps, or
    no stamps at all).  Nothing was merged from it: set it aside and go on with the others.
    ``str()`` is a short technical description for a log, not a sentence for the user."""


@dataclass
class MergeResult:
    """What one merge changed in the working copy."""

    inserted: int = 0  # rows that were new here
    updated: int = 0  # rows that took at least one value from the replica
    fields: int = 0  # field values taken from the replica
    conflicts: int = 0  # conflict entries added (not already known)
    resurrected: int = 0  # deleted rows brought back by a concurrent edit
    max_stamp: str = ""  # the latest stamp in the replica (rows and clock)
    by_table: dict[str, int] = field(default_factory=dict)  # table → rows inserted or updated

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.conflicts)

    def add(self, other: MergeResult) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.fields += other.fields
        self.conflicts += other.conflicts
        self.resurrected += other.resurrected
        self.max_stamp = max(self.max_stamp, other.max_stamp)
        for name, count in other.by_table.items():
            self.by_table[name] = self.by_table.get(name, 0) + count


# ------------------------------------------------------------------------- the replica


def _parse_stamps(raw: Any, table: str) -> dict[str, str]:
    """A replica row's stamps, checked: the merge can only order well-formed stamps."""
    try:
        stamps: dict[str, str] = json.loads(raw)
    except (TypeError, ValueError):
        raise MalformedReplica(f"{table}: stamps that are not JSON") from None
    try:
        ok = isinstance(stamps, dict) and "*" in stamps
        ok = ok and _STAMP_LINES.fullmatch("\n".join(stamps.values())) is not None
    except TypeError:  # a value that is not a string
        ok = False
    if not ok:
        raise MalformedReplica(f"{table}: stamps that are not clock stamps")
    return stamps


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _replica_clock(con: sqlite3.Connection) -> str:
    try:
        row = con.execute("SELECT value FROM r.meta WHERE key='hlc'").fetchone()
    except sqlite3.DatabaseError:
        return ""
    if row is None:
        return ""
    if not is_well_formed(row[0]):
        raise MalformedReplica("meta: a clock that is not a clock stamp")
    return str(row[0])


@dataclass
class _Pass:
    """What the merge of the tables leaves for the rules about parents and groups."""

    fields: dict[str, list[str]] = field(default_factory=dict)  # table → its local fields
    wanted: dict[Key, str | None] = field(default_factory=dict)  # parent → latest child write
    returned: dict[Key, tuple[str, str | None]] = field(default_factory=dict)
    tombstoned: dict[str, list[str]] = field(default_factory=dict)  # table → ids deleted now
    updated: set[Key] = field(default_factory=set)  # rows the tables' merge updated
    #: Rows whose losing delete was undone: (that delete, the edit, the row's values).
    undone: dict[Key, tuple[str, str, Mapping[str, Any]]] = field(default_factory=dict)

    def want_parents(self, table: str, row: Mapping[str, Any], trigger: str) -> None:
        for column, parent in PARENT_LINKS[table]:  # (none for most rows' tables)
            if row.get(column) is not None:
                key = (parent, str(row[column]))
                self.wanted[key] = max(self.wanted.get(key) or "", trigger)


def merge_replica(working_db: Path, replica: Path) -> MergeResult:
    """Merge ``replica`` (read only) into the working copy at ``working_db``.  Raises
    :class:`MalformedReplica` (and merges nothing) if its stamps cannot be read."""
    uri = f"file:{quote(str(Path(replica).resolve()))}?mode=ro&immutable=1"
    con = sqlite3.connect(working_db, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    result = MergeResult()
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("ATTACH DATABASE ? AS r", (uri,))
        _room_to_read(con)
        con.execute("BEGIN IMMEDIATE")
        try:
            result.max_stamp = _replica_clock(con)
            rules = _Pass()
            for name in _ORDER:
                result.add(_merge_table(con, name, rules))
            result.add(_keep_trees_whole(con, rules))
            if result.max_stamp:
                con.execute(
                    "INSERT INTO main.meta(key, value) VALUES ('hlc', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value=max(value, excluded.value)",
                    (result.max_stamp,),
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("DETACH DATABASE r")
    finally:
        con.close()
    return result


def _room_to_read(con: sqlite3.Connection) -> None:
    """A merge joins every row of the replica to the working copy's by id: random lookups in
    the working copy's tables and indexes.  With SQLite's default page cache (2 MB) a large
    table's pages are read from the file again and again; give both files a cache that holds
    them, and read the working copy (local, this app's own) through a memory map.  The
    replica is not mapped: it may sit on a shared drive, where a file cut short under a map
    is a crash rather than an error."""
    con.execute(f"PRAGMA main.cache_size=-{_CACHE_KIB}")
    con.execute(f"PRAGMA r.cache_size=-{_CACHE_KIB}")
    con.execute(f"PRAGMA main.mmap_size={_MAP_BYTES}")


def _differs(new: Any, old: Any) -> bool:
    """Whether writing ``new`` over the stored ``old`` changes what is stored (1 and 1.0, or
    1 and True, compare equal in Python but are stored differently)."""
    return type(new) is not type(old) or new != old


def _replica_rows(
    con: sqlite3.Connection, table: str, common: Sequence[str]
) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The rows of ``table`` the merge has to look at, in one pass over the replica's rows:
    those only the replica has (by column name), and those on both sides that differ at all,
    as the replica's values of ``common`` followed by the working copy's.  (Normally their
    stamps differ; a device id shared by two computers can also give equal stamps to
    different values.)"""
    x_row = ", ".join(f'x."{c}"' for c in common)
    y_row = ", ".join(f'y."{c}"' for c in common)
    cursor = con.cursor()
    cursor.row_factory = None  # plain tuples
    width = len(common)
    local_id = width + list(common).index("id")
    new_rows: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    for row in cursor.execute(
        f'SELECT {x_row}, {y_row} FROM r."{table}" AS x '
        f'LEFT JOIN main."{table}" AS y ON y.id = x.id '
        f"WHERE y.id IS NULL OR x.stamps != y.stamps OR ({x_row}) IS NOT ({y_row})"
    ):
        if row[local_id] is None:  # no local row (a local id is never null)
            new_rows.append(dict(zip(common, row[:width], strict=True)))
        else:
            rows.append(row)
    return new_rows, rows


def _merge_table(con: sqlite3.Connection, table: str, rules: _Pass) -> MergeResult:
    result = MergeResult()
    local_columns = _columns(con, "main", table)
    local_fields = [c for c in local_columns if c not in _NOT_FIELDS]
    rules.fields[table] = local_fields
    remote_columns = _columns(con, "r", table)
    if not remote_columns:
        return result  # the replica predates this table
    if not {"id", "deleted", "stamps"} <= set(remote_columns):
        raise MalformedReplica(f"{table}: no id, deleted or stamps column")
    common = [c for c in local_columns if c in remote_columns]
    fields = [c for c in common if c not in _NOT_FIELDS]
    quoted = ", ".join(f'"{c}"' for c in common)
    new_rows, rows = _replica_rows(con, table, common)
    width = len(common)
    # 1. Rows only the replica has: check their stamps, then copy them as they are.
    for remote in new_rows:
        latest = latest_stamp(_parse_stamps(remote["stamps"], table))
        result.max_stamp = max(result.max_stamp, latest)
        if not remote["deleted"]:
            rules.want_parents(table, remote, latest)
    if new_rows:
        cursor = con.execute(
            f'INSERT INTO main."{table}" ({quoted}) SELECT {quoted} FROM r."{table}" AS x '
            f'WHERE NOT EXISTS (SELECT 1 FROM main."{table}" AS y WHERE y.id = x.id)'
        )
        result.inserted = max(cursor.rowcount, 0)
    # 2. Rows on both sides that differ: merged field by field.
    #: The columns a row's merge changed → (their new values, stamps, id) of those rows.
    updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    conflicts: list[dict[str, Any]] = []
    latest = result.max_stamp
    for row in rows:
        remote = dict(zip(common, row[:width], strict=True))
        local = dict(zip(common, row[width:], strict=True))
        remote_stamps = _parse_stamps(remote["stamps"], table)
        local_stamps = json.loads(local["stamps"])
        latest = max(latest, *remote_stamps.values())
        merged = merge_row(
            table,
            fields,
            local,
            local_stamps,
            remote,
            remote_stamps,
            local_fields,
            remote_seen=_SEEN_MARK in remote["stamps"],
        )
        conflicts.extend(merged.conflicts)
        if local["deleted"] != remote["deleted"]:
            delete = stamp_of(remote_stamps, "deleted")
            if delete == stamp_of(local_stamps, "deleted"):
                # One stamp, a live copy and a tombstone: a delete undone elsewhere (its
                # review entry comes with it), or two computers sharing a device id.
                rules.returned[(table, str(local["id"]))] = (delete, delete)
        if merged.undone:
            rules.undone[(table, str(local["id"]))] = (*merged.undone, merged.values)
        if not merged.changed:
            continue
        changed = tuple(c for c in fields if _differs(merged.values[c], local[c]))
        updates.setdefault(changed, []).append(
            (*(merged.values[c] for c in changed), dump_stamps(merged.stamps), local["id"])
        )
        result.fields += merged.taken
        key = (table, str(local["id"]))
        rules.updated.add(key)
        if merged.values["deleted"]:
            if not local["deleted"]:
                rules.tombstoned.setdefault(table, []).append(key[1])
            continue
        if merged.resurrected:
            rules.returned[key] = (stamp_of(merged.stamps, "deleted"), merged.trigger)
        if PARENT_LINKS[table]:
            rules.want_parents(table, merged.values, latest_stamp(merged.stamps))
    result.max_stamp = latest
    # Only the columns that changed: an index on a column written again with its own value
    # is rewritten all the same.
    for changed, rows_changed in updates.items():
        assignments = "".join(f'"{c}" = ?, ' for c in changed)
        con.executemany(
            f'UPDATE main."{table}" SET {assignments}stamps = ? WHERE id = ?', rows_changed
        )
    result.updated = sum(len(rows_changed) for rows_changed in updates.values())
    if conflicts:
        result.conflicts = _log_conflicts(con, conflicts)
    if result.inserted or result.updated:
        result.by_table[table] = result.inserted + result.updated
    return result


def _keep_trees_whole(con: sqlite3.Connection, rules: _Pass) -> MergeResult:
    """Bring back what the rules about groups and parents bring back (module doc), and log
    each delete undone at the top of its group."""
    result = MergeResult()
    # A row tombstoned by this merge whose child is live here: that child needs it.
    for table, ids in rules.tombstoned.items():
        for child, column in CHILD_LINKS[table]:
            for row in con.execute(
                f'SELECT "{column}", stamps FROM main."{child}" WHERE deleted = 0 '
                f'AND "{column}" IN (SELECT value FROM json_each(?))',
                (json.dumps(ids),),
            ):
                key = (table, str(row[0]))
                latest = latest_stamp(json.loads(row[1]))
                rules.wanted[key] = max(rules.wanted.get(key) or "", latest)
    _rest_of_groups(con, rules)
    if not (rules.wanted or rules.returned):
        return result

    def execute(sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        return con.execute(sql, tuple(params)).fetchall()

    tombs = rows_to_bring_back(execute, rules.wanted, returned=rules.returned, prefix="main.")
    by_table: dict[str, list[tuple[str, str]]] = {}
    for (table, row_id), tomb in tombs.items():
        if tomb.live:
            continue
        stamps = dict(tomb.stamps)
        stamps["deleted"] = tomb.delete  # as the rule for one row does
        stamps.pop(BASE + "deleted", None)
        stamps = normalise_stamps(stamps, rules.fields[table], [tomb.stamps])
        by_table.setdefault(table, []).append((dump_stamps(stamps), row_id))
    for table, updates in by_table.items():
        con.executemany(f'UPDATE main."{table}" SET deleted = 0, stamps = ? WHERE id = ?', updates)
        new = sum((table, row_id) not in rules.updated for _s, row_id in updates)
        result.updated += new
        result.by_table[table] = new
    result.resurrected = len(tombs)
    entries = [
        undone_delete(table, row_id, tomb.delete, tomb.trigger or tomb.delete)
        for (table, row_id), tomb in _tops(tombs).items()
    ]
    if entries:
        result.conflicts = _log_conflicts(con, entries)
    return result


def _rest_of_groups(con: sqlite3.Connection, rules: _Pass) -> None:
    """A delete undone on a row that stays deleted (a later delete won it): the rows still
    tombstoned by that delete come back, and with them the rest of its group."""
    if not rules.undone:
        return
    triggers: dict[str, str] = {}
    for delete, trigger, _values in rules.undone.values():
        triggers[delete] = max(triggers.get(delete, ""), trigger)

    def execute(sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        return con.execute(sql, tuple(params)).fetchall()

    for key, delete in deleted_by(execute, triggers, prefix="main.").items():
        rules.wanted[key] = max(rules.wanted.get(key) or "", triggers[delete])


def _tops(tombs: Mapping[Key, Tomb]) -> dict[Key, Tomb]:
    """Where each delete undone is logged: on the row the user deleted (no parent of it came
    back undoing the same delete) — for a delete of several rows at once, on the first of
    them by table and id, so it is logged once, and the same on every device."""
    tops: dict[str, Key] = {}
    for key, tomb in tombs.items():
        if key[0] in NO_REVIEW:
            continue
        if any(p in tombs and tombs[p].delete == tomb.delete for p in tomb.parents):
            continue
        if tomb.delete not in tops or key < tops[tomb.delete]:
            tops[tomb.delete] = key
    return {key: tombs[key] for key in tops.values()}


def _log_conflicts(con: sqlite3.Connection, conflicts: list[dict[str, Any]]) -> int:
    """Record conflicts not already known (by their derived id).  Returns how many were new."""
    columns = list(conflicts[0])
    placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    before = con.execute(f'SELECT count(*) FROM main."{_CONFLICT_TABLE}"').fetchone()[0]
    con.executemany(
        f'INSERT OR IGNORE INTO main."{_CONFLICT_TABLE}" ({names}) VALUES ({placeholders})',
        [tuple(c[k] for k in columns) for c in conflicts],
    )
    after = con.execute(f'SELECT count(*) FROM main."{_CONFLICT_TABLE}"').fetchone()[0]
    return int(after - before)
