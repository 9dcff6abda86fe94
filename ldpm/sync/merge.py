"""Merging a replica into the working copy: per field, last writer wins, nothing silently lost.

Every synced row carries per-field hybrid-clock stamps (see :mod:`ldpm.persistence.store`).
Merging replica R into working copy W, row by row:

* a row only in R is copied into W as it is;
* a row in both, for each field, keeps the value with the later stamp (the device id inside the
  stamp breaks ties) together with that stamp and its *base* — the stamp of the value the
  write was made on top of;
* a field is a **conflict** when the two values differ, they were written on different devices,
  and the later write was made on top of a value older than the earlier write
  (``base(newer) < stamp(older)``): its writer cannot have seen the other write.  The later
  value stays; both values go to the ``conflict`` table (a synced table) for a person to
  review.  A run of edits on one device, or an edit made on
  top of a synced value, is sequential, not a conflict;
* **an edit beats a concurrent delete**: a row whose winning ``deleted`` flag is set, but one of
  whose fields was written after everything its deleter had seen (the delete's base), comes
  back, and the delete is logged as a conflict.

The result depends only on the set of stamped writes, so merging is commutative, associative
and idempotent: every device converges whatever the order in which replicas arrive.  Conflict
entries get an id derived from the row, the field and both stamps, and a stamp derived from the
writes, so two devices that find the same conflict record the very same row.

The merge runs on its own SQLite connection (any thread) in one ``BEGIN IMMEDIATE``
transaction: it either happens completely or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ldpm.domain.entities import Conflict
from ldpm.persistence.schema import TABLES, table_name
from ldpm.persistence.store import BASE, dump_stamps, stamp_device

_CONFLICT_NAMESPACE = uuid.UUID("9d1c3b4e-5f0a-4b8e-9a51-2f6e7c8d0b13")
_CONFLICT_TABLE = table_name(Conflict)
#: Bookkeeping columns that are not fields.
_NOT_FIELDS = frozenset({"id", "stamps"})
#: Tables whose concurrent changes are not worth a person's review.
_NO_REVIEW = frozenset({_CONFLICT_TABLE, "device"})


@dataclass
class MergeResult:
    """What one merge changed in the working copy."""

    inserted: int = 0  # rows that were new here
    updated: int = 0  # rows that took at least one value from the replica
    fields: int = 0  # field values taken from the replica
    conflicts: int = 0  # conflict entries added (not already known)
    resurrected: int = 0  # deleted rows brought back by a concurrent edit
    max_stamp: str = ""  # the latest clock stamp seen in the replica
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


def conflict_id(table: str, row_id: str, name: str, stamp_a: str, stamp_b: str) -> str:
    low, high = sorted((stamp_a, stamp_b))
    return uuid.uuid5(_CONFLICT_NAMESPACE, f"{table}|{row_id}|{name}|{low}|{high}").hex


def _stamp(stamps: Mapping[str, str], name: str) -> str:
    return stamps.get(name) or stamps.get("*", "")


@dataclass
class _RowMerge:
    values: dict[str, Any]
    stamps: dict[str, str]
    taken: int = 0
    resurrected: bool = False
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_row(
    table: str,
    fields: list[str],
    local: Mapping[str, Any],
    local_stamps: Mapping[str, str],
    remote: Mapping[str, Any],
    remote_stamps: Mapping[str, str],
) -> _RowMerge:
    """Merge one row present on both sides.  Pure: returns the merged values and stamps, how
    many fields came from ``remote``, and the conflicts found."""
    review = table not in _NO_REVIEW
    out = _RowMerge(dict(local), dict(local_stamps))
    row_id = str(local["id"])
    for name in fields:
        s_local, s_remote = _stamp(local_stamps, name), _stamp(remote_stamps, name)
        clash = False
        if s_local == s_remote:
            if local[name] == remote[name] or name == "deleted":
                continue
            # Two different writes with one stamp: two computers share a device id (one was
            # cloned).  Pick the same value everywhere, and let a person review it.
            clash = True
            remote_wins = json.dumps(remote[name]) > json.dumps(local[name])
        else:
            remote_wins = s_remote > s_local
        newer_stamps = remote_stamps if remote_wins else local_stamps
        older_stamp = s_local if remote_wins else s_remote
        if remote_wins:
            out.values[name] = remote[name]
            out.stamps[name] = s_remote
            if BASE + name in remote_stamps:
                out.stamps[BASE + name] = remote_stamps[BASE + name]
            else:
                out.stamps.pop(BASE + name, None)
            out.taken += 1
        newer_stamp = _stamp(newer_stamps, name)
        # One device's writes are ordered (each saw the one before), so two of them are never
        # concurrent: only writes from different devices can conflict.
        concurrent = clash or (
            stamp_device(newer_stamp) != stamp_device(older_stamp)
            and newer_stamps.get(BASE + name, "") < older_stamp
        )
        if concurrent and name != "deleted" and local[name] != remote[name] and review:
            kept, other = (remote, local) if remote_wins else (local, remote)
            out.conflicts.append(
                _conflict_row(
                    table,
                    row_id,
                    name,
                    kept[name],
                    _stamp(newer_stamps, name),
                    other[name],
                    older_stamp,
                )
            )
    # An edit beats a concurrent delete.
    if out.values.get("deleted"):
        seen = out.stamps.get(BASE + "deleted", "")
        later = [
            _stamp(out.stamps, name)
            for name in fields
            if name != "deleted" and _stamp(out.stamps, name) > seen
        ]
        if later:
            delete_stamp = _stamp(out.stamps, "deleted")
            out.values["deleted"] = 0
            out.stamps["deleted"] = max(later)
            # Canonical, so that the result does not depend on which delete arrived first
            # (the base of a live row's flag is never used; a new delete sets its own).
            out.stamps[BASE + "deleted"] = max(later)
            out.resurrected = True
            if review:
                out.conflicts.append(
                    _conflict_row(table, row_id, "deleted", 0, max(later), 1, delete_stamp)
                )
    out.stamps = normalise_stamps(out.stamps, fields)
    return out


def normalise_stamps(stamps: Mapping[str, str], fields: list[str]) -> dict[str, str]:
    """One way to write a row's stamps: ``"*"`` is the oldest field stamp, and only fields
    written later have their own entry (bases kept as they are).  Two devices holding the
    same values with the same per-field stamps then hold byte-identical rows."""
    effective = {name: _stamp(stamps, name) for name in fields}
    if not effective:
        return dict(stamps)
    star = min(effective.values())
    out = {"*": star}
    out.update({name: stamp for name, stamp in effective.items() if stamp != star})
    out.update({k: v for k, v in stamps.items() if k.startswith(BASE)})
    return out


def _conflict_row(
    table: str,
    row_id: str,
    name: str,
    kept: Any,
    kept_stamp: str,
    other: Any,
    other_stamp: str,
) -> dict[str, Any]:
    return {
        "id": conflict_id(table, row_id, name, kept_stamp, other_stamp),
        "entity": table,
        "row_id": row_id,
        "field": name,
        "kept_value": json.dumps(kept),
        "kept_stamp": kept_stamp,
        "other_value": json.dumps(other),
        "other_stamp": other_stamp,
        "resolved": 0,
        "deleted": 0,
        # Derived from the writes, so every device records a byte-identical row.
        "stamps": dump_stamps({"*": max(kept_stamp, other_stamp)}),
    }


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _replica_max_stamp(con: sqlite3.Connection) -> str:
    try:
        row = con.execute("SELECT value FROM r.meta WHERE key='hlc'").fetchone()
    except sqlite3.DatabaseError:
        return ""
    return str(row[0]) if row else ""


def merge_replica(working_db: Path, replica: Path) -> MergeResult:
    """Merge ``replica`` (read only) into the working copy at ``working_db``."""
    uri = f"file:{quote(str(Path(replica).resolve()))}?mode=ro&immutable=1"
    con = sqlite3.connect(working_db, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    result = MergeResult()
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("ATTACH DATABASE ? AS r", (uri,))
        con.execute("BEGIN IMMEDIATE")
        try:
            for table in TABLES.values():
                result.add(_merge_table(con, table.name))
            result.max_stamp = max(result.max_stamp, _replica_max_stamp(con))
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


def _merge_table(con: sqlite3.Connection, table: str) -> MergeResult:
    result = MergeResult()
    remote_columns = _columns(con, "r", table)
    if not remote_columns:
        return result  # the replica predates this table
    local_columns = _columns(con, "main", table)
    common = [c for c in local_columns if c in remote_columns]
    quoted = ", ".join(f'"{c}"' for c in common)
    # 1. Rows only the replica has: copy them as they are.
    cursor = con.execute(
        f'INSERT INTO main."{table}" ({quoted}) SELECT {quoted} FROM r."{table}" AS x '
        f'WHERE NOT EXISTS (SELECT 1 FROM main."{table}" AS y WHERE y.id = x.id)'
    )
    result.inserted = max(cursor.rowcount, 0)
    # 2. Rows on both sides that differ at all.  (Normally their stamps differ; a device id
    #    shared by two computers can also give equal stamps to different values.)
    fields = [c for c in common if c not in _NOT_FIELDS]
    remote_cols = ", ".join(f'x."{c}" AS "r_{c}"' for c in common)
    local_cols = ", ".join(f'y."{c}" AS "l_{c}"' for c in common)
    x_row = ", ".join(f'x."{c}"' for c in common)
    y_row = ", ".join(f'y."{c}"' for c in common)
    rows = con.execute(
        f'SELECT {remote_cols}, {local_cols} FROM r."{table}" AS x '
        f'JOIN main."{table}" AS y ON y.id = x.id '
        f"WHERE x.stamps != y.stamps OR ({x_row}) IS NOT ({y_row})"
    ).fetchall()
    updates: list[tuple[Any, ...]] = []
    conflicts: list[dict[str, Any]] = []
    for row in rows:
        local = {c: row[f"l_{c}"] for c in common}
        remote = {c: row[f"r_{c}"] for c in common}
        merged = merge_row(
            table,
            fields,
            local,
            json.loads(local["stamps"]),
            remote,
            json.loads(remote["stamps"]),
        )
        conflicts.extend(merged.conflicts)
        if merged.taken or merged.resurrected:
            updates.append(
                (*(merged.values[c] for c in fields), dump_stamps(merged.stamps), local["id"])
            )
            result.fields += merged.taken
            result.resurrected += int(merged.resurrected)
    if updates:
        assignments = ", ".join(f'"{c}" = ?' for c in fields)
        con.executemany(
            f'UPDATE main."{table}" SET {assignments}, stamps = ? WHERE id = ?', updates
        )
    result.updated = len(updates)
    if conflicts:
        result.conflicts = _log_conflicts(con, conflicts)
    if result.inserted or result.updated:
        result.by_table[table] = result.inserted + result.updated
    return result


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
