"""Backups on real files: rotation by reason, order by sequence, verified before pruning.

The full disk is real where the machine allows it (as root, a tiny tmpfs is mounted for the
test, as in test_save.py); a fault-injection test covers a failing write on any machine.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ldpm.persistence import backups
from ldpm.persistence.backups import BackupFailed, backup_database, list_backups
from tests.filesystems import mounted_tmpfs

UUID = "0123456789abcdef0123456789abcdef"

SAFETY_NETS = [
    "unsaved-work-not-restored",
    "unsaved-work-discarded",
    "before-upgrade",
    "replaced-working-copy",
    "before-undo-sync",
    "something new",  # a reason this version does not know is a safety net too
]


def make_db(path: Path, rows: int = 10, blob: int = 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
        con.executemany("INSERT INTO t (v) VALUES (?)", [(os.urandom(blob),) for _ in range(rows)])
    con.close()
    return path


def rows_in(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM t").fetchone()[0])
    finally:
        con.close()


def reasons(root: Path) -> list[str]:
    return [backups._describe(p).reason for p in list_backups(root, UUID)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_db(tmp_path / "work" / "project.db")


# --------------------------------------------------------------------- rotation (scenario 7)


def test_routine_backups_never_push_out_safety_nets(tmp_path: Path, source: Path) -> None:
    root = tmp_path / "backups"
    for reason in SAFETY_NETS:
        backup_database(source, root, UUID, reason)
    # An hour of a colleague working: a before-sync backup every two minutes, and merges.
    for _ in range(30):
        backup_database(source, root, UUID, "before-sync")
    for _ in range(25):
        backup_database(source, root, UUID, "before-merge")
    kept = reasons(root)
    for reason in SAFETY_NETS:
        assert backups.reason_slug(reason) in kept, reason
    assert kept.count("before-sync") == backups.LIMITS["before-sync"]
    assert kept.count("before-merge") == backups.LIMITS["before-merge"]
    assert kept[0] == "before-merge"  # newest first


def test_each_safety_net_keeps_its_own_number(tmp_path: Path, source: Path) -> None:
    root = tmp_path / "backups"
    for _ in range(backups.LIMITS["before-upgrade"] + 3):
        backup_database(source, root, UUID, "before-upgrade")
    backup_database(source, root, UUID, "unsaved-work-discarded")
    kept = reasons(root)
    assert kept.count("before-upgrade") == backups.LIMITS["before-upgrade"]
    assert kept.count("unsaved-work-discarded") == 1


def test_a_clock_set_back_does_not_make_a_new_backup_the_oldest(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "backups"
    for _ in range(backups.LIMITS["before-sync"]):
        backup_database(source, root, UUID, "before-sync")

    class BehindClock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> BehindClock:
            return cls(2001, 1, 1, tzinfo=UTC)

    monkeypatch.setattr(backups, "datetime", BehindClock)
    newest = backup_database(source, root, UUID, "before-sync")
    assert newest is not None and newest.exists()  # not pruned at once
    assert "2001" in newest.name  # the name still tells people the (wrong) time
    assert list_backups(root, UUID)[0] == newest
    assert len(list_backups(root, UUID)) == backups.LIMITS["before-sync"]


def test_backups_in_the_old_naming_are_listed_and_pruned(tmp_path: Path, source: Path) -> None:
    root = tmp_path / "backups"
    folder = root / UUID
    folder.mkdir(parents=True)
    data = source.read_bytes()
    legacy_sync = [
        folder / f"2024010{d}T1200{s:02d}123456Z-before-sync.ldpm"
        for d in (1, 2)
        for s in range(15)
    ]  # 30, older than the limit allows
    for path in legacy_sync:
        path.write_bytes(data)
    discarded = folder / "20231231T120000000000Z-unsaved-work-discarded.ldpm"
    discarded.write_bytes(data)
    foreign = folder / "my own copy.ldpm"  # not named by LDPM: listed, never removed
    foreign.write_bytes(data)

    new = backup_database(source, root, UUID, "before-sync")
    listed = list_backups(root, UUID)
    assert listed[0] == new
    assert listed[-1] == foreign
    assert discarded in listed
    kept_legacy = [p for p in listed if p in legacy_sync]
    # The newest old-named ones are kept, newest first, one fewer for the new backup.
    assert kept_legacy == sorted(legacy_sync, reverse=True)[: backups.LIMITS["before-sync"] - 1]


# --------------------------------------------------------------------- verified, atomic


def test_a_backup_is_a_verified_snapshot_and_leaves_nothing_else(
    tmp_path: Path, source: Path
) -> None:
    root = tmp_path / "backups"
    live = sqlite3.connect(source)  # the working copy is in use, in WAL mode
    live.execute("PRAGMA journal_mode=WAL").fetchall()
    with live:
        live.execute("INSERT INTO t (v) VALUES (x'00')")
    try:
        made = backup_database(source, root, UUID, "before-sync")
    finally:
        live.close()
    assert made is not None and made.parent == root / UUID
    assert rows_in(made) == 11
    con = sqlite3.connect(f"file:{made}?mode=ro", uri=True)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert [p.name for p in (root / UUID).iterdir()] == [made.name]  # no temp, no sidecar


def test_work_left_in_the_wal_by_a_crash_is_in_the_backup(tmp_path: Path) -> None:
    live_folder = tmp_path / "live"
    live = make_db(live_folder / "project.db")
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode=WAL").fetchall()
    con.execute("PRAGMA wal_autocheckpoint=0").fetchall()
    with con:
        con.execute("INSERT INTO t (v) VALUES (x'01')")
    # LDPM dies: the database and its WAL stay behind as they are, the WAL never checkpointed.
    crashed = tmp_path / "odd #?% name" / "project.db"
    crashed.parent.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(str(live) + suffix, str(crashed) + suffix)
    con.close()
    wal = crashed.with_name("project.db-wal")
    before = crashed.read_bytes(), wal.read_bytes()
    made = backup_database(crashed, tmp_path / "backups", UUID, "unsaved-work-not-restored")
    assert made is not None and rows_in(made) == 11
    assert (crashed.read_bytes(), wal.read_bytes()) == before  # the source is never changed


def test_missing_source_is_no_backup(tmp_path: Path) -> None:
    assert backup_database(tmp_path / "nope.db", tmp_path / "b", UUID, "x") is None
    assert list_backups(tmp_path / "b", UUID) == []


def test_a_damaged_working_copy_is_kept_raw_with_its_wal(tmp_path: Path) -> None:
    root = tmp_path / "backups"
    damaged = tmp_path / "work" / "project.db"
    damaged.parent.mkdir()
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    wal = damaged.with_name("project.db-wal")
    wal.write_bytes(b"wal bytes " * 100)
    made = backup_database(damaged, root, UUID, "unsaved-work-not-restored")
    assert made is not None
    assert wal.exists()  # SQLite was not allowed to delete it
    assert made.read_bytes() == damaged.read_bytes()
    assert made.with_name(made.name + "-wal").read_bytes() == wal.read_bytes()
    assert sorted(p.name for p in (root / UUID).iterdir()) == [made.name, made.name + "-wal"]
    # Rotating it out takes its WAL with it.
    backups.prune(root / UUID, keep=0)
    assert list((root / UUID).iterdir()) == []


def test_a_failed_write_raises_leaves_nothing_and_prunes_nothing(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "backups"
    for _ in range(backups.LIMITS["before-sync"]):
        backup_database(source, root, UUID, "before-sync")
    before = snapshot(root / UUID)

    def failing_fsync(path: Path) -> None:
        raise OSError(errno.EIO, "Input/output error", str(path))

    monkeypatch.setattr(backups, "fsync_file", failing_fsync)
    with pytest.raises(BackupFailed) as info:
        backup_database(source, root, UUID, "before-sync")
    assert "nothing was changed" in info.value.sentence
    assert snapshot(root / UUID) == before


def test_a_full_disk_raises_leaves_nothing_and_prunes_nothing(tmp_path: Path) -> None:
    small = make_db(tmp_path / "small.db", rows=5, blob=1000)
    big = make_db(tmp_path / "big.db", rows=600, blob=4000)  # about 2.4 MB
    with mounted_tmpfs(tmp_path / "disk", "size=1m") as root:
        for _ in range(backups.LIMITS["before-sync"]):
            backup_database(small, root, UUID, "before-sync")
        before = snapshot(root / UUID)
        with pytest.raises(BackupFailed, match="free some disk space"):
            backup_database(big, root, UUID, "before-sync")
        assert snapshot(root / UUID) == before


def test_stale_temporaries_of_interrupted_backups_are_swept(tmp_path: Path, source: Path) -> None:
    root = tmp_path / "backups"
    folder = root / UUID
    folder.mkdir(parents=True)
    leftover = folder / ".before-sync.ldpm.0123456789.ldpm-tmp"
    leftover.write_bytes(b"half a backup")
    old = leftover.stat().st_mtime - 24 * 3600
    os.utime(leftover, (old, old))
    backup_database(source, root, UUID, "before-sync")
    assert not leftover.exists()


def test_backups_from_several_processes_at_once_never_replace_each_other(
    tmp_path: Path, source: Path
) -> None:
    root = tmp_path / "backups"
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from ldpm.persistence.backups import backup_database
        sys.stdin.readline()
        for _ in range(5):
            backup_database(Path({str(source)!r}), Path({str(root)!r}), {UUID!r}, "race")
    """)
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        child.communicate()
        assert child.returncode == 0
    made = list_backups(root, UUID)
    assert len(made) == 15
    assert all(rows_in(p) == 10 for p in made)
