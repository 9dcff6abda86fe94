"""The project lock: heartbeats for locks from other computers, and an atomic takeover.

Scenario 26: a lock left by another computer (a portable LDPM_HOME, a roaming profile) was
never stale, and two instances taking over one stale lock could both end up holding it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative
from ldpm.persistence.document import Document, find_recoverable
from ldpm.persistence.lock import (
    HEARTBEAT_SECONDS,
    STALE_AFTER_SECONDS,
    LockHeld,
    ProjectLock,
)
from tests.conftest import DEVICE

DEAD_PID = 2**22 + 17  # above any pid_max: never a running process


def write_lock(path: Path, *, host: str, pid: int = DEAD_PID, age: float = 0.0) -> bytes:
    data = json.dumps(
        {
            "user": "mkeller",
            "name": "Maya Keller",
            "host": host,
            "pid": pid,
            "started": "",
            "since": time.time() - age,
            "token": os.urandom(8).hex(),
        }
    ).encode()
    tmp = path.with_name(path.name + ".writing")
    tmp.write_bytes(data)
    moment = time.time() - age
    os.utime(tmp, (moment, moment))
    os.replace(tmp, path)
    return data


def age_lock(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


# --------------------------------------------------------------------- another computer


def test_a_lock_from_another_computer_is_stale_once_its_heartbeat_stops(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    write_lock(path, host="laptop-at-home", age=10)
    lock = ProjectLock(path)
    assert not lock.is_stale()  # fresh heartbeat: that LDPM may still be running
    with pytest.raises(LockHeld) as info:
        lock.acquire("“Plan.ldpm”")
    sentence = info.value.sentence
    assert "Maya Keller on laptop-at-home" in sentence  # a name, if the lock has one
    assert "no longer running" in sentence and "minutes" in sentence
    age_lock(path, STALE_AFTER_SECONDS + 5)
    assert lock.is_stale()
    assert lock.acquire("“Plan.ldpm”") is True
    owner = lock.read_owner()
    assert owner is not None and owner.host == socket.gethostname()


def test_a_heartbeat_from_a_clock_far_ahead_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    write_lock(path, host="laptop-at-home", age=-(STALE_AFTER_SECONDS + 3600))
    assert ProjectLock(path).is_stale()


def test_the_heartbeat_keeps_the_lock_fresh_for_other_computers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lock"
    mine = ProjectLock(path)
    mine.acquire("x")
    age_lock(path, STALE_AFTER_SECONDS + 5)  # as if no heartbeat for a while
    # Seen from another computer sharing this data folder:
    monkeypatch.setattr("ldpm.persistence.lock.socket.gethostname", lambda: "the-other-computer")
    assert ProjectLock(path).is_stale()
    assert mine.refresh() is True
    assert not ProjectLock(path).is_stale()
    assert time.time() - path.stat().st_mtime < HEARTBEAT_SECONDS


def test_refresh_reports_a_lock_taken_over_and_release_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    first = ProjectLock(path)
    first.acquire("x")
    taken = write_lock(path, host="the-other-computer")  # taken over while we slept
    assert first.refresh() is False
    assert not first.held
    first.release()
    assert path.read_bytes() == taken  # the other's lock is untouched


def test_unsaved_work_left_by_a_crash_on_another_computer_is_offered(
    demo_path: Path, work: dict[str, Path]
) -> None:
    doc = Document.open(demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    item = Initiative(name="Typed on the other computer")
    with doc.store.transaction() as tx:
        tx.insert(item)
    doc.mark_unsaved()
    # LDPM dies on the computer the USB stick was in; the stick moves to this computer.
    doc.store.dispose()
    data = json.loads(doc.lock.path.read_text())
    data["host"] = "office-desktop"
    doc.lock.path.write_text(json.dumps(data))
    age_lock(doc.lock.path, STALE_AFTER_SECONDS + 60)

    [found] = find_recoverable(work["work"])
    assert found.document == demo_path.absolute()
    restored = Document.open(
        demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE, restore=True
    )
    assert restored.restored
    with restored.store.transaction() as tx:
        assert tx.get(Initiative, item.id) is not None
    restored.close(discard_unsaved=True)


# --------------------------------------------------------------------- atomic takeover


def test_a_taker_overtaken_after_judging_finds_a_live_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A and B both judge the lock stale; B takes it over completely before A acts."""
    path = tmp_path / "lock"
    write_lock(path, host=socket.gethostname())  # its process is gone
    a, b = ProjectLock(path), ProjectLock(path)
    original = ProjectLock._take_over
    calls: list[str] = []

    def a_is_overtaken(self: ProjectLock, judged: bytes) -> bool:
        if self is a and not calls:
            calls.append("b first")
            assert b.acquire("x") is True  # B judged the same lock stale and took it
        return original(self, judged)

    monkeypatch.setattr(ProjectLock, "_take_over", a_is_overtaken)
    with pytest.raises(LockHeld, match="already open"):
        a.acquire("x")
    assert calls == ["b first"]
    assert b.held and not a.held
    assert b.refresh() is True  # B's lock was never touched


def test_takers_queue_so_only_one_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A is half way through its takeover when B arrives: B waits, then finds the lock gone
    or A's live lock, and exactly one of them holds it, whatever the order after that."""
    path = tmp_path / "lock"
    write_lock(path, host=socket.gethostname())
    a, b = ProjectLock(path), ProjectLock(path)
    inside, proceed = threading.Event(), threading.Event()
    original = ProjectLock._take_away

    def a_pauses(self: ProjectLock, judged: bytes) -> bool:
        if self is a:
            inside.set()
            assert proceed.wait(60)
        return original(self, judged)

    monkeypatch.setattr(ProjectLock, "_take_away", a_pauses)
    outcome: dict[str, object] = {}

    def run(name: str, lock: ProjectLock) -> None:
        try:
            outcome[name] = lock.acquire("x")
        except LockHeld as exc:
            outcome[name] = exc

    first = threading.Thread(target=run, args=("a", a))
    first.start()
    assert inside.wait(60)
    second = threading.Thread(target=run, args=("b", b))
    second.start()
    proceed.set()
    first.join(60)
    second.join(60)
    assert [a.held, b.held].count(True) == 1, outcome
    assert [isinstance(v, LockHeld) for v in outcome.values()].count(True) == 1
    holder = a if a.held else b
    assert holder.refresh() is True


def test_a_moved_lock_that_is_not_the_stale_one_is_put_back(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    live = ProjectLock(path)
    live.acquire("x")
    before = path.read_bytes(), path.stat().st_ino
    assert ProjectLock(path)._take_away(b"the bytes of another, stale lock") is False
    assert (path.read_bytes(), path.stat().st_ino) == before
    assert live.refresh() is True
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ldpm-home") == ["lock"]


CONTENDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ldpm.persistence.lock import LockHeld, ProjectLock
    path = Path(sys.argv[1])
    for line in sys.stdin:
        if line.strip() != "go":
            break
        try:
            ProjectLock(path).acquire("x")  # the winner keeps it: never released
            print("won", flush=True)
        except LockHeld:
            print("lost", flush=True)
""")


def test_processes_contending_for_a_stale_lock_exactly_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        for round_ in range(150):
            if round_ % 2:
                write_lock(path, host=socket.gethostname())  # a crashed process here
            else:
                write_lock(path, host="elsewhere", age=STALE_AFTER_SECONDS + 60)
            for child in children:
                assert child.stdin is not None
                child.stdin.write("go\n")
                child.stdin.flush()
            results = []
            for child in children:
                assert child.stdout is not None
                results.append(child.stdout.readline().strip())
            assert sorted(results) == ["lost", "lost", "lost", "won"], (round_, results)
            owner = ProjectLock(path).read_owner()
            assert owner is not None and owner.pid in {c.pid for c in children}
    finally:
        for child in children:
            child.communicate("stop\n")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "ldpm-home")
    assert left == ["lock", "lock.takeover"]  # no moved or private file
