"""The sync figures of ``bench/run.py``: merging two edited replicas, and a sync with nothing new.

Both start from the large workspace (``bench/generate.py``).  Devices are simulated the way
``tests/sync/devices.py`` does it: each has its own working copy (a copy of the file, in WAL
mode like the app's), its own :class:`HybridClock` that has first observed the file's ``hlc``
(as ``Document.open`` does), and its own :class:`Store`.  Only the operation named in a figure
is timed; preparing the copies and the edits is not.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldpm.domain.entities import Conflict, Device, Entity
from ldpm.domain.validation import ValidationError
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.schema import FOREIGN_KEYS, SPECS, TABLES
from ldpm.persistence.store import Store

#: Share of the rows of every synced table each device changes.
CHANGED_SHARE = 0.10
#: Share of each device's changed rows that the other device changes too.
BOTH_SHARE = 0.20
#: Updates per transaction while preparing the edits.
EDITS_PER_TX = 1_000
#: Tables the user never edits directly (and that are empty in the large workspace).
_NOT_EDITED = (Conflict, Device)
#: Fields that are not edited: ordering keys (edited by drag and drop, not by typing).
_SKIP_FIELDS = frozenset({"id", "rank"})

DEVICE_A = "00000000be4c00a1"
DEVICE_B = "00000000be4c00b1"


# ---------------------------------------------------------------------------- devices


def _hlc(db: Path) -> str | None:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT value FROM meta WHERE key='hlc'").fetchone()
    finally:
        con.close()
    return str(row[0]) if row else None


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the database file, so that copying the file copies everything."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


class BenchDevice:
    """One computer: its own working copy, clock and store."""

    def __init__(self, folder: Path, device_id: str, source: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.id = device_id
        self.db = folder / f"{device_id}-work.db"
        shutil.copyfile(source, self.db)
        con = sqlite3.connect(self.db)
        try:
            con.execute("PRAGMA journal_mode=WAL")  # as Document.open makes working copies
        finally:
            con.close()
        self.clock = HybridClock(device_id)
        stamp = _hlc(self.db)
        if stamp:
            self.clock.observe(stamp)  # as Document.open does
        self.store = Store(self.db, self.clock)

    def close(self) -> None:
        self.store.dispose()
        _checkpoint(self.db)


# ------------------------------------------------------------------------------ edits


@dataclass
class EditPlan:
    """Which rows of one table each device changes, and which fields."""

    kind: type[Entity]
    a: dict[str, list[str]] = field(default_factory=dict)  # row id → fields
    b: dict[str, list[str]] = field(default_factory=dict)


def _editable(kind: type[Entity]) -> list[str]:
    return [
        s.name for s in SPECS[kind] if s.name not in _SKIP_FIELDS and s.name not in FOREIGN_KEYS
    ]


def _is_text(kind: type[Entity], name: str) -> bool:
    spec = next(s for s in SPECS[kind] if s.name == name)
    return spec.kind is str


def plan_edits(rows: dict[type[Entity], list[Entity]], rng: random.Random) -> list[EditPlan]:
    """About ``CHANGED_SHARE`` of the rows of every table on each side, ``BOTH_SHARE`` of them
    changed on both sides; 1–3 fields per row.  On half of the rows changed on both sides,
    device B writes at least one field that A wrote too (a real conflict when the values
    differ); on the other half the fields are chosen independently."""
    plans = []
    for kind, items in rows.items():
        fields = _editable(kind)
        if not items or not fields:
            continue
        ids = [e.id for e in items]
        count = max(1, round(len(ids) * CHANGED_SHARE))
        a_ids = rng.sample(ids, count)
        both = a_ids[: round(count * BOTH_SHARE)]
        a_set = set(a_ids)
        rest = [i for i in ids if i not in a_set]
        b_ids = both + rng.sample(rest, min(len(rest), count - len(both)))
        plan = EditPlan(kind)
        for row_id in a_ids:
            plan.a[row_id] = rng.sample(fields, min(len(fields), rng.randint(1, 3)))
        for n, row_id in enumerate(b_ids):
            chosen = rng.sample(fields, min(len(fields), rng.randint(1, 3)))
            if row_id in plan.a and n % 2 == 0:
                shared = rng.choice(plan.a[row_id])
                chosen = [shared, *(f for f in chosen if f != shared)]
            plan.b[row_id] = chosen
        plans.append(plan)
    return plans


def _new_value(
    kind: type[Entity], name: str, current: Any, others: list[Entity], rng: random.Random, tag: str
) -> Any:
    """A new value for one field: text gets an edit appended; other fields (numbers, enums,
    dates, flags) take the value another row of the table has, so it is a valid value."""
    if _is_text(kind, name):
        return f"{current} (edited on {tag})".strip()
    if isinstance(current, bool):
        return not current
    for _ in range(8):
        value = getattr(rng.choice(others), name)
        if value != current:
            return value
    return current  # no different value found: the field is left as it is


def apply_edits(
    device: BenchDevice,
    kind: type[Entity],
    edits: dict[str, list[str]],
    by_id: dict[str, Entity],
    others: list[Entity],
    rng: random.Random,
    tag: str,
) -> int:
    """Change the planned fields through ``Store.transaction()`` / ``Tx.update`` (real per-field
    stamps).  A value the entity's validation refuses (a cross-field rule) is dropped.
    Returns how many rows changed."""
    changed = 0
    items = list(edits.items())
    for start in range(0, len(items), EDITS_PER_TX):
        with device.store.transaction() as tx:
            for row_id, names in items[start : start + EDITS_PER_TX]:
                current = by_id[row_id]
                changes = {
                    n: _new_value(kind, n, getattr(current, n), others, rng, tag) for n in names
                }
                changes = {n: v for n, v in changes.items() if v != getattr(current, n)}
                while changes:
                    try:
                        if tx.update(kind, row_id, changes):
                            changed += 1
                        break
                    except ValidationError as exc:
                        bad = getattr(exc, "field", None)
                        changes.pop(bad if bad in changes else next(iter(changes)))
    return changed


# ------------------------------------------------------------------------------ merge


@dataclass
class MergeBench:
    seconds: list[float]
    rows_updated: int
    rows_inserted: int
    conflicts: int
    changed_a: int
    changed_b: int
    prepare_s: float


def bench_merge(large: Path, work: Path, runs: int, *, seed: int = 7) -> MergeBench:
    """Two devices each change ~10 % of the rows of every synced table; time
    ``merge_replica(A's working copy, B's replica)`` on fresh copies of A's working copy
    (one untimed warm-up, then ``runs`` timed)."""
    from ldpm.persistence.document import write_snapshot
    from ldpm.sync.merge import merge_replica

    begin = time.perf_counter()
    folder = work / "merge"
    a = BenchDevice(folder / "a", DEVICE_A, large)
    b = BenchDevice(folder / "b", DEVICE_B, large)
    rng = random.Random(seed)
    try:
        with a.store.transaction() as tx:
            rows: dict[type[Entity], list[Entity]] = {
                kind: tx.list(kind, include_deleted=True, order_by=("id",))
                for kind in TABLES
                if kind not in _NOT_EDITED
            }
        plans = plan_edits(rows, rng)
        changed_a = changed_b = 0
        for n, plan in enumerate(plans):
            by_id = {e.id: e for e in rows[plan.kind]}
            # Alternate which device edits first, so that either side wins some conflicts.
            order = [(a, plan.a, "A"), (b, plan.b, "B")]
            for device, edits, tag in order if n % 2 == 0 else order[::-1]:
                count = apply_edits(device, plan.kind, edits, by_id, rows[plan.kind], rng, tag)
                if device is a:
                    changed_a += count
                else:
                    changed_b += count
    finally:
        a.close()
        b.close()
    replica = folder / "replicas" / f"{DEVICE_B}.ldpm"
    replica.parent.mkdir(parents=True)
    write_snapshot(b.db, replica, device=DEVICE_B)  # B publishes: VACUUM INTO, sealed
    prepare = time.perf_counter() - begin

    def one() -> tuple[float, Any]:
        target = folder / "a-merge.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(a.db, target)
        start = time.perf_counter()
        result = merge_replica(target, replica)
        elapsed = time.perf_counter() - start
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return elapsed, result

    _warm, result = one()
    seconds = []
    for _ in range(runs):
        elapsed, result = one()
        seconds.append(elapsed)
    return MergeBench(
        seconds=seconds,
        rows_updated=result.updated,
        rows_inserted=result.inserted,
        conflicts=result.conflicts,
        changed_a=changed_a,
        changed_b=changed_b,
        prepare_s=prepare,
    )


# --------------------------------------------------------------------- sync, nothing new


@dataclass
class NoopSyncBench:
    seconds: list[float]
    replicas: int  # replicas in the sync folder (this device's included)
    prepare_s: float
    notes: list[str] = field(default_factory=list)


def bench_noop_sync(large: Path, work: Path, runs: int) -> NoopSyncBench:
    """A sync folder holding the replicas of two devices (A and B), both already merged
    everywhere; time ``sync_once`` of device A with nothing new anywhere (``runs`` times).

    Preparation: A syncs (publishes), B syncs (merges A's replica, publishes), A syncs again
    (merges B's); the sync state is saved to and loaded from a file between syncs, as
    ``ldpm.services.sync.run_sync`` does."""
    from ldpm import __version__
    from ldpm.persistence.document import Document
    from ldpm.sync.engine import SyncState, sync_once
    from ldpm.sync.targets import FolderTarget

    begin = time.perf_counter()
    folder = work / "noop-sync"
    root = folder / "shared"
    root.mkdir(parents=True)
    target = FolderTarget(root, large.stem)
    docs: dict[str, Document] = {}
    for device in (DEVICE_A, DEVICE_B):
        copy = folder / device / large.name
        copy.parent.mkdir(parents=True)
        shutil.copyfile(large, copy)
        docs[device] = Document.open(
            copy,
            root=folder / device / "working",
            backup_root=folder / device / "backups",
            device=device,
        )

    def sync(device: str) -> tuple[Callable[[], Any], Callable[[], None]]:
        """The sync of ``device`` with its state loaded from its file, and saving that state
        afterwards (as ``run_sync`` does around ``sync_once``)."""
        doc = docs[device]
        state_path = folder / device / "state.json"
        state = SyncState.load(state_path)

        def call() -> Any:
            return sync_once(
                working_db=doc.working_path,
                project_uuid=doc.project_uuid,
                device=doc.clock.device,
                target=target,
                state=state,
                work_dir=doc.folder / "sync",
                backup=lambda _reason: None,
                user="bench",
                host="bench",
                app_version=__version__,
            )

        return call, lambda: state.save(state_path)

    notes = []
    try:
        for device in (DEVICE_A, DEVICE_B, DEVICE_A):
            call, save = sync(device)
            call()
            save()
        prepare = time.perf_counter() - begin
        seconds = []
        for _ in range(runs):
            call, save = sync(DEVICE_A)  # the state is loaded from its file, untimed
            start = time.perf_counter()
            report = call()
            seconds.append(time.perf_counter() - start)
            save()
            if report.merged or report.published:
                notes.append(f"a timed sync merged {report.merged} / published: not a no-op")
        replicas = sum(e.name.startswith("replicas/") for e in target.list_entries())
    finally:
        for doc in docs.values():
            doc.close(discard_unsaved=True)
    return NoopSyncBench(seconds=seconds, replicas=replicas, prepare_s=prepare, notes=notes)
