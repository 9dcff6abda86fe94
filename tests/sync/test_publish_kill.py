"""A sync killed (SIGKILL) at random moments while publishing never leaves a torn replica:
the shared file is always a whole, valid version."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative
from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import inspect_file
from ldpm.sync.engine import SyncState, sync_once
from ldpm.sync.targets import FolderTarget, replica_name
from tests.sync.devices import SimDevice

TRIALS = 50
DEVICE = "d1d1d1d1d1d1d1d1"


def _sync_forever(base: Path, work: Path, shared: Path, ready_fd: int) -> None:
    device = SimDevice(work, DEVICE, base)
    target = FolderTarget(shared, "Kill test")
    state = SyncState()
    with device.store.transaction() as tx:
        item = tx.list(Initiative)[0]
    i = 0
    while True:
        i += 1
        device.edit(Initiative, item.id, name=f"version {i}")
        sync_once(
            working_db=device.db,
            project_uuid=_uuid(base),
            device=DEVICE,
            target=target,
            state=state,
            work_dir=work / "sync",
            backup=lambda _reason: None,
            user="u",
            host="h",
            app_version="t",
        )
        if i <= 2:
            os.write(ready_fd, b"r")  # after the first sync and after the second


def _uuid(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT value FROM meta WHERE key='project_uuid'").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_during_publish_leaves_a_whole_replica(tmp_path: Path) -> None:
    base = tmp_path / "Kill test.ldpm"
    create_file(
        base,
        root=tmp_path / "scratch",
        device="1" * 16,
        name="Kill test",
        populate=lambda tx: tx.insert(Initiative(name="version 0")),
    )
    shared = tmp_path / "shared"
    shared.mkdir()
    rng = random.Random(31337)
    names: set[str] = set()
    for trial in range(TRIALS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.close(read_fd)
                _sync_forever(base, tmp_path / f"w{trial}", shared, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        assert os.read(read_fd, 1) == b"r"  # the replica exists
        started = time.monotonic()
        assert os.read(read_fd, 1) == b"r"
        one_sync = time.monotonic() - started  # how long a sync takes on this machine now
        os.close(read_fd)
        # Kill at a random moment within the next few syncs, whatever the machine's speed.
        time.sleep(rng.uniform(0.0, 4 * one_sync))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        replica = FolderTarget(shared, "Kill test").folder / replica_name(DEVICE)
        assert inspect_file(replica) is not None  # whole and sealed, never torn
        con = sqlite3.connect(f"file:{replica}?mode=ro", uri=True)
        names.add(con.execute("SELECT name FROM initiative ORDER BY rank LIMIT 1").fetchone()[0])
        con.close()
    # Each trial starts again from version 0: seeing several versions shows the kills landed
    # at different moments of the publish loop (the window is a few syncs long, measured).
    assert len(names) >= 5
