"""Simulated devices for sync tests: each has its own working copy, device id and wall clock."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from ldpm.domain.entities import Conflict, Entity, Initiative
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.schema import TABLES
from ldpm.persistence.stamps import field_stamp
from ldpm.persistence.store import Store
from ldpm.sync.merge import MergeResult, merge_replica

#: The device ids of the usual pair (the ``pair`` fixture in conftest.py).
A, B = "a" * 16, "b" * 16


class Clock:
    """A wall clock a test can set, skew and turn back."""

    def __init__(self, start_ms: int | None = None, skew_ms: int = 0) -> None:
        # After the stamps of the project every device starts from (written at real time).
        self.ms = start_ms if start_ms is not None else time.time_ns() // 1_000_000 + 1_000
        self.skew_ms = skew_ms

    def __call__(self) -> int:
        return self.ms + self.skew_ms

    def tick(self, ms: int = 7) -> None:
        self.ms += ms


class SimDevice:
    def __init__(
        self, folder: Path, device_id: str, base: Path, wall: Clock | None = None
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.id = device_id
        self.db = folder / f"{device_id}-work.db"
        shutil.copyfile(base, self.db)
        self.wall = wall or Clock()
        self.clock = HybridClock(device_id, wall=self.wall)
        con = sqlite3.connect(self.db)
        row = con.execute("SELECT value FROM meta WHERE key='hlc'").fetchone()
        con.close()
        if row:
            self.clock.observe(row[0])  # as Document.open does
        self.store = Store(self.db, self.clock)

    # ------------------------------------------------------------------ edits
    def insert(self, entity: Entity) -> None:
        with self.store.transaction() as tx:
            tx.insert(entity)

    def edit(self, kind: type[Entity], id_: str, **changes: Any) -> None:
        with self.store.transaction() as tx:
            tx.update(kind, id_, changes)

    def delete(self, kind: type[Entity], id_: str, deleted: bool = True) -> None:
        with self.store.transaction() as tx:
            tx.set_deleted(kind, id_, deleted)

    def get(self, kind: type[Entity], id_: str) -> Any:
        with self.store.transaction() as tx:
            return tx.get(kind, id_, include_deleted=True)

    def alive(self, kind: type[Entity], id_: str) -> bool:
        with self.store.transaction() as tx:
            return tx.get(kind, id_) is not None

    def stamp_of(self, kind: type[Entity], id_: str, name: str) -> str:
        """The stamp of a field's current value."""
        with self.store.transaction() as tx:
            return field_stamp(tx.stamps(kind, id_), name)

    def conflicts(self) -> list[Conflict]:
        with self.store.transaction() as tx:
            return tx.list(Conflict, order_by=("id",))

    # ------------------------------------------------------------------- sync
    def publish(self, folder: Path) -> Path:
        """This device's replica: a consistent snapshot of its working copy."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.id}.ldpm"
        tmp = folder / f".{self.id}.tmp"
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(self.db)
        try:
            con.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            con.close()
        tmp.replace(target)
        return target

    def merge(self, replica: Path) -> MergeResult:
        result = merge_replica(self.db, replica)
        if result.max_stamp:
            self.clock.observe(result.max_stamp)
        return result

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every synced row, stamps included: equal dumps mean converged devices."""
        return dump_rows(self.db)

    def close(self) -> None:
        self.store.dispose()


def first_initiative(device: SimDevice) -> Initiative:
    with device.store.transaction() as tx:
        return tx.list(Initiative)[0]


def make_base(folder: Path) -> Path:
    """One demo project, as every device first received it."""
    from ldpm.persistence.document import create_file
    from ldpm.services.demo import populate_demo

    path = folder / "Shared.ldpm"
    create_file(
        path, root=folder / "scratch", device="1" * 16, name="Shared", populate=populate_demo
    )
    return path


def sync(*devices: SimDevice, folder: Path) -> None:
    """Everyone publishes, then everyone merges everyone else's replica."""
    replicas = {d.id: d.publish(folder) for d in devices}
    for d in devices:
        for other, replica in replicas.items():
            if other != d.id:
                d.merge(replica)


def dump_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced row of the file at ``db``, stamps included, by table: equal dumps mean
    converged devices (or a merge that wrote the same as another)."""
    con = sqlite3.connect(db)
    try:
        return {
            t.name: con.execute(f'SELECT * FROM "{t.name}" ORDER BY id').fetchall()
            for t in TABLES.values()
        }
    finally:
        con.close()
