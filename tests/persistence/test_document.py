"""Working copies, the lock, crash recovery, backups and migrations, on real files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ldpm.domain.entities import Initiative
from ldpm.persistence import backups, database
from ldpm.persistence.database import HEAD_REVISION
from ldpm.persistence.document import Document, create_file, find_recoverable, working_key
from ldpm.persistence.fileformat import APPLICATION_ID, SCHEMA_VERSION, inspect_file
from ldpm.persistence.lock import LockHeld, ProjectLock
from ldpm.persistence.schema import metadata
from tests.conftest import DEVICE
from tests.persistence.v2file import V2_DEMO


def open_doc(path: Path, work: dict[str, Path], **kw: bool) -> Document:
    return Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE, **kw)


def add_initiative(doc: Document, name: str) -> str:
    item = Initiative(name=name)
    with doc.store.transaction() as tx:
        tx.insert(item)
    doc.mark_unsaved()
    return item.id


def test_create_file_is_valid_and_never_overwrites_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "New.ldpm"
    project_uuid = create_file(path, root=tmp_path / "s", device=DEVICE, name="Acme")
    info = inspect_file(path)
    assert info is not None and info.project_uuid == project_uuid
    assert info.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("SELECT name FROM workspace").fetchone()[0] == "Acme"
    con.close()
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())


def test_open_never_touches_the_original(demo_path: Path, work: dict[str, Path]) -> None:
    before = demo_path.read_bytes(), demo_path.stat().st_mtime_ns
    doc = open_doc(demo_path, work)
    add_initiative(doc, "Working copy only")
    assert (demo_path.read_bytes(), demo_path.stat().st_mtime_ns) == before
    assert doc.working_path.parent.parent == work["work"]
    assert not list(demo_path.parent.glob("*-wal"))
    doc.close(discard_unsaved=True)


def test_second_open_is_refused_with_owner(demo_path: Path, work: dict[str, Path]) -> None:
    doc = open_doc(demo_path, work)
    with pytest.raises(LockHeld) as info:
        open_doc(demo_path, work)
    assert "already open in LDPM by" in info.value.sentence
    assert info.value.owner.pid == os.getpid()
    doc.close()
    open_doc(demo_path, work).close()  # free again after closing


def test_lock_held_by_another_live_process(tmp_path: Path) -> None:
    lock_path = tmp_path / "lock"
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from ldpm.persistence.lock import ProjectLock
        ProjectLock(Path({str(lock_path)!r})).acquire("x")
        print("locked", flush=True)
        sys.stdin.read()
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(LockHeld):
            ProjectLock(lock_path).acquire("“Plan.ldpm”")
    finally:
        child.communicate("")
    # The child exited without releasing (its lock file remains): stale, so taken over.
    assert lock_path.exists()
    took_over = ProjectLock(lock_path).acquire("“Plan.ldpm”")
    assert took_over


def test_stale_lock_of_dead_process_is_taken_over(tmp_path: Path) -> None:
    lock_path = tmp_path / "lock"
    lock_path.write_text(
        json.dumps(
            {
                "user": "ghost",
                "host": os.uname().nodename,
                "pid": 2**22 + 17,
                "started": "",
                "since": 0,
            }
        )
    )
    lock = ProjectLock(lock_path)
    assert lock.is_stale()
    assert lock.acquire("x") is True
    lock.release()
    assert not lock_path.exists()


def crash(doc: Document) -> None:
    """Simulate LDPM dying: connections gone, the lock file left behind."""
    doc.store.dispose()
    lock_file = doc.lock.path
    data = json.loads(lock_file.read_text())
    data["pid"] = 2**22 + 17  # a process that does not exist
    lock_file.write_text(json.dumps(data))


def test_recovery_after_crash(demo_path: Path, work: dict[str, Path]) -> None:
    doc = open_doc(demo_path, work)
    new_id = add_initiative(doc, "Typed just before the crash")
    crash(doc)

    found = find_recoverable(work["work"])
    assert [f.document for f in found] == [demo_path.absolute()]
    assert found[0].project_name == "Northwind Engineering"

    restored = open_doc(demo_path, work, restore=True)
    assert restored.restored and restored.unsaved
    with restored.store.transaction() as tx:
        assert tx.get(Initiative, new_id) is not None
    restored.save()
    restored.close()
    assert find_recoverable(work["work"]) == []
    con = sqlite3.connect(demo_path)
    assert con.execute("SELECT count(*) FROM initiative WHERE id=?", (new_id,)).fetchone()[0]
    con.close()


def test_declining_recovery_keeps_a_backup(demo_path: Path, work: dict[str, Path]) -> None:
    doc = open_doc(demo_path, work)
    new_id = add_initiative(doc, "Not restored")
    project_uuid = doc.project_uuid
    crash(doc)
    fresh = open_doc(demo_path, work)  # restore=False: continue from the saved file
    with fresh.store.transaction() as tx:
        assert tx.get(Initiative, new_id) is None
    fresh.close()
    saved = backups.list_backups(work["backups"], project_uuid)
    assert saved and "unsaved-work-not-restored" in saved[0].name
    con = sqlite3.connect(saved[0])
    assert con.execute("SELECT name FROM initiative WHERE id=?", (new_id,)).fetchone()[0]
    con.close()


def test_close_discarding_keeps_a_backup(demo_path: Path, work: dict[str, Path]) -> None:
    doc = open_doc(demo_path, work)
    add_initiative(doc, "Discarded")
    with pytest.raises(RuntimeError):
        doc.close()
    doc.close(discard_unsaved=True)
    assert any(
        "discarded" in p.name for p in backups.list_backups(work["backups"], doc.project_uuid)
    )
    assert not (work["work"] / working_key(demo_path)).exists()


def test_backups_rotate(tmp_path: Path, demo_path: Path) -> None:
    for i in range(backups.KEEP + 5):
        backups.backup_database(demo_path, tmp_path / "b", "p1", f"step {i}")
    kept = backups.list_backups(tmp_path / "b", "p1")
    assert len(kept) == backups.KEEP
    assert kept[0].name.endswith(f"step-{backups.KEEP + 4}.ldpm")


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """An empty database upgraded to head by Alembic equals one made from the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    migrated = tmp_path / "migrated.db"
    sqlite3.connect(migrated).close()  # an empty database at schema version 0
    assert database.migrate(migrated, backup=lambda _reason: None) is True
    engine = create_engine(f"sqlite:///{migrated}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []

    created = tmp_path / "created.db"
    database.init_database(created, project_uuid="0" * 32, device=DEVICE)

    def schema(path: Path) -> list[tuple[str, str]]:
        c = sqlite3.connect(path)
        rows = c.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'meta' "
            "ORDER BY name"
        ).fetchall()
        version = c.execute("PRAGMA user_version").fetchone()[0]
        c.close()
        assert version == SCHEMA_VERSION
        return [(n, " ".join(s.split())) for n, s in rows]

    # Same tables, columns and indexes, whichever way the database was made.
    assert {n for n, _ in schema(migrated)} == {n for n, _ in schema(created)}


def test_migration_backs_up_first(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    sqlite3.connect(db).close()
    reasons: list[str] = []
    database.migrate(db, backup=reasons.append)
    assert reasons == ["before-upgrade"]
    assert database.migrate(db, backup=reasons.append) is False  # already at head


def test_damaged_unsaved_work_falls_back_to_the_file(
    demo_path: Path, work: dict[str, Path]
) -> None:
    doc = open_doc(demo_path, work)
    add_initiative(doc, "Lost to a damaged disk")
    project_uuid = doc.project_uuid
    crash(doc)
    db = doc.working_path
    for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    data[4096:12288] = b"\xff" * 8192  # clobber pages after the header
    db.write_bytes(bytes(data))
    assert len(find_recoverable(work["work"])) == 1
    restored = open_doc(demo_path, work, restore=True)
    assert not restored.restored and not restored.unsaved
    assert "could not be restored" in restored.restore_problem
    restored.close()
    kept = backups.list_backups(work["backups"], project_uuid) or backups.list_backups(
        work["backups"], "unknown"
    )
    assert kept and kept[0].read_bytes()[4096:4100] == b"\xff\xff\xff\xff"  # raw copy


def test_save_as_crash_leftover_is_found_under_its_path(
    demo_path: Path, work: dict[str, Path]
) -> None:
    doc = open_doc(demo_path, work)
    add_initiative(doc, "Between rename and record")
    crash(doc)
    # Pretend LDPM died after renaming the folder for a new path but before recording it.
    moved = work["work"] / "0123456789abcdef01234567"
    doc.folder.rename(moved)
    [item] = find_recoverable(work["work"])
    assert item.document == demo_path.absolute()
    assert item.folder == work["work"] / working_key(demo_path.absolute())
    restored = open_doc(demo_path, work, restore=True)
    assert restored.restored
    restored.close(discard_unsaved=True)


def test_unreadable_fresh_lock_is_not_stolen(tmp_path: Path) -> None:
    """A lock another LDPM is writing right now must not be taken over."""
    lock_path = tmp_path / "lock"
    lock_path.write_text("")  # created, owner not written yet
    with pytest.raises(LockHeld, match="being opened by another LDPM"):
        ProjectLock(lock_path).acquire("x")
    old = lock_path.stat().st_mtime - 60
    os.utime(lock_path, (old, old))  # a crash left it behind long ago
    assert ProjectLock(lock_path).acquire("x") is True


def test_lock_file_is_never_seen_without_its_owner(tmp_path: Path) -> None:
    lock = ProjectLock(tmp_path / "lock")
    lock.acquire("x")
    owner = lock.read_owner()
    assert owner is not None and owner.pid == os.getpid()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock"]  # no private file left


def make_v1_file(source: Path, target: Path) -> None:
    """A project file as the first schema version wrote it (before the conflict log), from a
    file of schema version 2."""
    from ldpm.persistence.fileformat import new_placeholder, seal_file

    target.write_bytes(source.read_bytes())
    placeholder = new_placeholder()
    con = sqlite3.connect(target)
    with con:
        con.execute("DROP TABLE conflict")
        con.execute("DROP TABLE device")
        con.execute("DROP TABLE IF EXISTS external_ref")  # added by schema version 3
        con.execute("UPDATE alembic_version SET version_num='0001'")
        con.execute(
            "UPDATE meta SET value='1' WHERE key IN ('format_version', 'min_reader_version')"
        )
        con.execute("UPDATE meta SET value=? WHERE key='content_checksum'", (placeholder,))
        con.execute("PRAGMA user_version=1")
    con.close()
    seal_file(target, placeholder)


def test_opening_an_older_file_upgrades_the_working_copy(
    tmp_path: Path, work: dict[str, Path]
) -> None:
    old = tmp_path / "Old.ldpm"
    make_v1_file(V2_DEMO, old)
    info = inspect_file(old)
    assert info is not None and info.schema_version == 1
    before = old.read_bytes()
    doc = open_doc(old, work)
    assert old.read_bytes() == before  # the user's file is upgraded only when saved
    con = sqlite3.connect(doc.working_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert con.execute("SELECT count(*) FROM conflict").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM initiative").fetchone()[0] == 5
    con.close()
    assert any(
        "before-upgrade" in p.name for p in backups.list_backups(work["backups"], doc.project_uuid)
    )
    doc.mark_unsaved()
    doc.save()
    doc.close()
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION


def test_a_crash_right_after_the_first_edit_is_recoverable(
    demo_path: Path, work: dict[str, Path]
) -> None:
    """The edit is committed but LDPM dies before it records "unsaved" (scenario 32)."""
    doc = open_doc(demo_path, work)
    item = Initiative(name="Committed a moment before the crash")
    with doc.store.transaction() as tx:
        tx.insert(item)  # no mark_unsaved(): the process dies right here
    crash(doc)
    found = find_recoverable(work["work"])
    assert [f.document for f in found] == [demo_path.resolve()]
    restored = open_doc(demo_path, work, restore=True)
    with restored.store.transaction() as tx:
        assert tx.get(Initiative, item.id) is not None
    restored.save()
    restored.close()
    assert find_recoverable(work["work"]) == []


def test_a_clean_working_copy_is_not_offered_for_recovery(
    demo_path: Path, work: dict[str, Path]
) -> None:
    doc = open_doc(demo_path, work)
    add_initiative(doc, "Saved before the crash")
    doc.save()
    crash(doc)
    assert find_recoverable(work["work"]) == []


def test_stale_temporary_files_are_swept_on_open_and_save(
    demo_path: Path, work: dict[str, Path]
) -> None:
    """Interrupted saves leave temporary files; they must not pile up (scenario 33)."""
    from ldpm.atomic import temp_path

    stale = [temp_path(demo_path) for _ in range(3)]
    for p in stale:
        p.write_bytes(b"half a save")
        os.utime(p, (1, 1))
    fresh = temp_path(demo_path)
    fresh.write_bytes(b"a save running in another LDPM")
    doc = open_doc(demo_path, work)
    assert not any(p.exists() for p in stale) and fresh.exists()
    os.utime(fresh, (1, 1))
    add_initiative(doc, "Saved")
    doc.save()
    assert not fresh.exists()
    doc.close()
