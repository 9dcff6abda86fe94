"""Undo Last Sync, exactly: the changes a sync merged are reverted as new edits of this device.

The working copy is never overwritten with the backup taken before the sync.  Instead the
backup and the working copy are compared (the backup ``ATTACH``-ed, as a merge does), and for
every change *the merge* made — a field whose current stamp is another device's and differs
from the backup's — the value from before the merge is written back as an ordinary local edit,
stamped by this device's clock.  Rows the merge added are tombstoned, rows it deleted come
back, rows it brought back are deleted again.  Changes this device made — before, during or
after the sync (its own stamps) — are left as they are, so edits typed while the sync ran
survive.  The value "from before the merge" is the backup's, or, if the merge overwrote an edit
made during the sync, the value recorded as "other" in the conflict the merge logged.

Every reverted change is logged as a change to review (a ``conflict`` entry: kept = the value
put back, other = the value the merge had brought), and the conflict entry the merge itself
logged for that field is withdrawn.  Because the values put back are newer writes, they win on
every device and the undone changes do not return with the next sync; because the conflict log
is synced, the colleague's change is offered for review on every device — never silently
re-applied, never silently dropped.  Position changes (``rank``) are reverted without a review
entry: the order of a list is not something to review.

:func:`check_backup` refuses a missing or unusable backup with a sentence, :func:`plan_undo`
reads (no writes), :func:`apply_undo` writes in the caller's transaction — one transaction for
the whole undo.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ldpm.domain.entities import Conflict, Device
from ldpm.persistence.codecs import decode_value
from ldpm.persistence.fileformat import APPLICATION_ID, FileProblem, display_name
from ldpm.persistence.schema import ENTITY_BY_TABLE, TABLES, table_name
from ldpm.persistence.stamps import stamp_device
from ldpm.persistence.store import Tx
from ldpm.sync.merge import conflict_id

_CONFLICTS = table_name(Conflict)
#: Tables that hold bookkeeping, not items: never reverted.
_BOOKKEEPING = frozenset({_CONFLICTS, table_name(Device)})
#: Fields reverted without a review entry.
_NOT_REVIEWED = frozenset({"rank"})
_NOT_FIELDS = frozenset({"id", "stamps"})


class UndoImpossible(FileProblem):
    """The last sync cannot be undone; ``sentence`` says why.  Nothing was changed."""

    code = "undo_sync"


def _stamp(stamps: Mapping[str, str], name: str) -> str:
    return stamps.get(name) or stamps.get("*", "")


def _latest(stamps: Mapping[str, str]) -> str:
    return max((v for k, v in stamps.items() if not k.startswith("^")), default="")


@dataclass(frozen=True)
class Revert:
    """Put ``value`` back into one field the merge changed to ``merged`` (stamp ``stamp``)."""

    table: str
    row_id: str
    field: str
    value: Any
    merged: Any
    stamp: str
    superseded: str | None = None  # the conflict entry the merge logged for this change


@dataclass(frozen=True)
class Removal:
    """Tombstone a row the merge added (its latest stamp was ``stamp``)."""

    table: str
    row_id: str
    stamp: str


@dataclass
class UndoPlan:
    reverts: list[Revert] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.reverts or self.removals)


def _readonly_uri(path: Path, *, immutable: bool) -> str:
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def check_backup(backup: Path | None, project_uuid: str) -> Path:
    """The backup taken before the sync, if it can be used.  Raises :class:`UndoImpossible`
    (with a sentence saying nothing was changed) if it is missing, damaged or another
    project's."""
    if backup is None:
        raise UndoImpossible(
            "The last sync did not merge anything, so there is nothing to undo; nothing was "
            "changed."
        )
    path = Path(backup)
    if not path.is_file():
        raise UndoImpossible(
            f"LDPM cannot undo the last sync because its backup {display_name(path)} is "
            "missing from LDPM's backups folder; nothing was changed.",
            path,
        )
    problem = UndoImpossible(
        f"LDPM cannot undo the last sync because its backup {display_name(path)} is damaged; "
        "nothing was changed.",
        path,
    )
    try:
        con = sqlite3.connect(_readonly_uri(path, immutable=True), uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
            row = con.execute("SELECT value FROM meta WHERE key='project_uuid'").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise problem from exc
    if app_id != APPLICATION_ID or ok != "ok" or row is None:
        raise problem
    if str(row[0]) != project_uuid:
        raise UndoImpossible(
            f"LDPM cannot undo the last sync because its backup {display_name(path)} belongs "
            "to another project; nothing was changed.",
            path,
        )
    return path


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def plan_undo(working_db: Path, backup: Path, device: str) -> UndoPlan:
    """What undoing the merges since ``backup`` means, field by field (reads only)."""
    con = sqlite3.connect(_readonly_uri(working_db, immutable=False), uri=True)
    con.row_factory = sqlite3.Row
    plan = UndoPlan()
    try:
        con.execute("ATTACH DATABASE ? AS b", (_readonly_uri(backup, immutable=True),))
        merged_conflicts = _new_conflicts(con)
        for table in TABLES.values():
            if table.name not in _BOOKKEEPING:
                _plan_table(con, table.name, device, merged_conflicts, plan)
    finally:
        con.close()
    return plan


def _new_conflicts(con: sqlite3.Connection) -> dict[tuple[str, str, str, str], sqlite3.Row]:
    """Conflict entries logged since the backup, by (table, row, field, kept stamp)."""
    rows = con.execute(
        f'SELECT * FROM main."{_CONFLICTS}" AS c WHERE c.deleted = 0 AND NOT EXISTS '
        f'(SELECT 1 FROM b."{_CONFLICTS}" AS o WHERE o.id = c.id)'
    ).fetchall()
    return {(r["entity"], r["row_id"], r["field"], r["kept_stamp"]): r for r in rows}


def _plan_table(
    con: sqlite3.Connection,
    table: str,
    device: str,
    conflicts: Mapping[tuple[str, str, str, str], sqlite3.Row],
    plan: UndoPlan,
) -> None:
    backup_columns = set(_columns(con, "b", table))
    common = [c for c in _columns(con, "main", table) if c in backup_columns]
    if not common:
        return
    fields = [c for c in common if c not in _NOT_FIELDS]
    now = ", ".join(f'w."{c}" AS "w_{c}"' for c in common)
    then = ", ".join(f'o."{c}" AS "b_{c}"' for c in common)
    rows = con.execute(
        f'SELECT {now}, {then} FROM main."{table}" AS w '
        f'LEFT JOIN b."{table}" AS o ON o.id = w.id '
        f"WHERE o.id IS NULL OR w.stamps IS NOT o.stamps"
    ).fetchall()
    for row in rows:
        row_id = str(row["w_id"])
        stamps: dict[str, str] = json.loads(row["w_stamps"])
        if row["b_id"] is None:
            # Added since the backup: by the merge, unless this device wrote any of it.
            touched = any(stamp_device(_stamp(stamps, f)) == device for f in fields)
            if not touched and not row["w_deleted"]:
                plan.removals.append(Removal(table, row_id, _latest(stamps)))
            continue
        before: dict[str, str] = json.loads(row["b_stamps"])
        for name in fields:
            now_stamp = _stamp(stamps, name)
            if now_stamp == _stamp(before, name) or stamp_device(now_stamp) == device:
                continue  # unchanged, or this device's own edit: left as it is
            value = row[f"b_{name}"]
            logged = conflicts.get((table, row_id, name, now_stamp))
            superseded = None
            if logged is not None:
                superseded = str(logged["id"])
                if stamp_device(str(logged["other_stamp"])) == device:
                    # The merge overwrote an edit made here during the sync: put that back.
                    value = json.loads(logged["other_value"])
            if value == row[f"w_{name}"]:
                continue
            plan.reverts.append(
                Revert(table, row_id, name, value, row[f"w_{name}"], now_stamp, superseded)
            )


def _review(
    tx: Tx, table: str, row_id: str, name: str, kept: Any, other: Any, other_stamp: str
) -> bool:
    """Log a change to review if field ``name`` was just written here (``kept``, replacing
    ``other``).  Returns False if it was not written (it already held that value)."""
    kept_stamp = _stamp(tx.stamps(ENTITY_BY_TABLE[table], row_id), name)
    if kept_stamp == other_stamp:
        return False
    if name in _NOT_REVIEWED:
        return True
    tx.insert(
        Conflict(
            id=conflict_id(table, row_id, name, kept_stamp, other_stamp),
            entity=table,
            row_id=row_id,
            field=name,
            kept_value=json.dumps(kept),
            kept_stamp=kept_stamp,
            other_value=json.dumps(other),
            other_stamp=other_stamp,
        )
    )
    return True


def apply_undo(tx: Tx, plan: UndoPlan) -> int:
    """Carry out ``plan`` in ``tx``.  A field or row that changed since the plan was made is
    left alone.  Returns how many changes were reverted."""
    done = 0
    by_row: dict[tuple[str, str], list[Revert]] = defaultdict(list)
    for revert in plan.reverts:
        by_row[(revert.table, revert.row_id)].append(revert)
    for (table, row_id), reverts in by_row.items():
        kind = ENTITY_BY_TABLE[table]
        stamps = tx.stamps(kind, row_id)
        current = [r for r in reverts if _stamp(stamps, r.field) == r.stamp]
        values = {
            r.field: decode_value(kind, r.field, r.value) for r in current if r.field != "deleted"
        }
        if values:
            tx.update(kind, row_id, values)
        for r in current:
            if r.field == "deleted":
                tx.set_deleted(kind, row_id, bool(r.value))
            if not _review(tx, table, row_id, r.field, r.value, r.merged, r.stamp):
                continue
            if r.superseded is not None:
                tx.set_deleted(Conflict, r.superseded, True)
            done += 1
    for removal in plan.removals:
        kind = ENTITY_BY_TABLE[removal.table]
        if tx.is_deleted(kind, removal.row_id):
            continue
        if _latest(tx.stamps(kind, removal.row_id)) != removal.stamp:
            continue  # edited since the plan was made
        tx.set_deleted(kind, removal.row_id, True)
        done += _review(tx, removal.table, removal.row_id, "deleted", 1, 0, removal.stamp)
    return done
