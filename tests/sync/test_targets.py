"""Sync targets (a folder and WebDAV), presence files, and replica discovery.

Tests taking the ``remote`` fixture run against both a FolderTarget and a WebDAVTarget talking
to a real wsgidav server; the tests write straight into the sync folder on disk to play the
other devices and the sync clients.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import pytest

from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import new_placeholder, seal_file
from ldpm.sync import folder_target
from ldpm.sync.discovery import find_replicas
from ldpm.sync.presence import read_presence, write_presence
from ldpm.sync.targets import (
    RENAME_BACKOFF,
    Changed,
    Entry,
    FolderTarget,
    Location,
    SyncTarget,
    TargetBusy,
    TargetFull,
    TargetReadOnly,
    TargetUnreachable,
    is_temp_name,
    presence_name,
    replica_name,
)
from tests.filesystems import mounted_tmpfs
from tests.sync.conftest import PROJECT, Remote

DEVICE = "ab12cd34ef56ab78"
OTHER = "cd34ef56ab78ab12"
CONFLICT_NAMES = [
    f"replicas/{DEVICE} (Maya's conflicted copy 2026-11-22).ldpm",  # Dropbox
    f"replicas/{DEVICE}-LAPTOP-7Q2.ldpm",  # OneDrive
    f"replicas/{DEVICE} (conflicted copy 2026-11-22 101010).ldpm",  # Nextcloud
    f"replicas/{DEVICE}.sync-conflict-20261122-101010-ABCDEFG.ldpm",  # Syncthing
    f"{DEVICE} copy",  # no suffix, and outside replicas/
]


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temp_name(p.name)]


def put(folder: Path, name: str, data: bytes) -> Path:
    """Write a file into the sync folder behind the target's back (another device)."""
    path = folder.joinpath(*name.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_newer(source: Path, target: Path) -> None:
    """A valid, sealed file that claims to need a newer LDPM (as in test_bad_input.py)."""
    target.write_bytes(source.read_bytes())
    placeholder = new_placeholder()
    con = sqlite3.connect(target)
    with con:
        con.execute(
            "UPDATE meta SET value='99' WHERE key IN ('min_reader_version', 'format_version')"
        )
        con.execute("UPDATE meta SET value='9.4.0' WHERE key='app_version'")
        con.execute("UPDATE meta SET value=? WHERE key='content_checksum'", (placeholder,))
        con.execute("PRAGMA user_version=99")
    con.close()
    seal_file(target, placeholder)


@pytest.fixture
def replica(tmp_path: Path) -> tuple[Path, str]:
    """A valid replica file and its project UUID."""
    path = tmp_path / "files" / "X.ldpm"
    path.parent.mkdir(exist_ok=True)
    project = create_file(path, root=tmp_path / "scratch", device=DEVICE, name="X")
    return path, project


# ------------------------------------------------------------------------ both targets


def test_publish_list_fetch_round_trip(remote: Remote, tmp_path: Path) -> None:
    target = remote.target
    assert target.list_entries() == []  # no sync folder yet
    source = tmp_path / "mine.ldpm"
    source.write_bytes(os.urandom(200_000))

    entry = target.publish(source, replica_name(DEVICE), None)
    assert entry.name == f"replicas/{DEVICE}.ldpm"
    assert entry.size == 200_000
    assert (remote.sync_folder / "replicas" / f"{DEVICE}.ldpm").read_bytes() == (
        source.read_bytes()
    )
    assert target.list_entries() == [entry]

    # Other devices' files, a sync client's stray files in any sub-folder, and someone's
    # temporary file mid-write.
    put(remote.sync_folder, f"replicas/{OTHER}.ldpm", b"other device")
    put(remote.sync_folder, "Conflicts/old (1).ldpm", b"left by a sync client")
    stray = put(remote.sync_folder, f"replicas/.{OTHER}.ldpm.0123456789ab.tmp", b"half")
    names = [e.name for e in target.list_entries()]
    assert names == ["Conflicts/old (1).ldpm", f"replicas/{DEVICE}.ldpm", f"replicas/{OTHER}.ldpm"]
    stray.unlink()

    listed = {e.name: e for e in target.list_entries()}
    dest = tmp_path / "fetched.ldpm"
    assert target.fetch(listed[entry.name], dest) == entry
    assert dest.read_bytes() == source.read_bytes()
    fetched = target.fetch(listed["Conflicts/old (1).ldpm"], tmp_path / "c")
    assert (tmp_path / "c").read_bytes() == b"left by a sync client"
    assert fetched.size == len(b"left by a sync client")

    # Publishing again over our own file, with the fingerprint we saw.
    source.write_bytes(b"second version")
    second = target.publish(source, replica_name(DEVICE), entry.fingerprint)
    assert second.fingerprint != entry.fingerprint
    assert target.fetch(second, dest) == second
    assert dest.read_bytes() == b"second version"
    assert not temp_files(remote.sync_folder)


def test_compare_and_swap_refuses_a_changed_file(remote: Remote, tmp_path: Path) -> None:
    target = remote.target
    name = replica_name(DEVICE)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"first")
    first = target.publish(source, name, None)
    remote_file = remote.sync_folder / "replicas" / f"{DEVICE}.ldpm"

    # It exists, though the caller believes it does not.
    source.write_bytes(b"mine, not published")
    with pytest.raises(Changed) as info:
        target.publish(source, name, None)
    assert str(info.value).endswith(".")
    assert remote_file.read_bytes() == b"first"

    # Someone (a restored backup, a sync client) replaced it since we saw it.
    remote_file.write_bytes(b"restored by a sync client")
    with pytest.raises(Changed):
        target.publish(source, name, first.fingerprint)
    assert remote_file.read_bytes() == b"restored by a sync client"

    # After reading it again the caller can publish.
    current = {e.name: e for e in target.list_entries()}[name]
    done = target.publish(source, name, current.fingerprint)
    assert remote_file.read_bytes() == b"mine, not published"

    # It vanished although the caller expected it.
    remote_file.unlink()
    with pytest.raises(Changed):
        target.publish(source, name, done.fingerprint)
    assert not remote_file.exists()
    assert not temp_files(remote.sync_folder)


def test_concurrent_publishes_from_worker_threads(remote: Remote, tmp_path: Path) -> None:
    """Eight threads race to create the same file: exactly one wins, the rest see Changed."""
    sources = []
    for i in range(8):
        source = tmp_path / f"s{i}.ldpm"
        source.write_bytes(f"from thread {i}".encode())
        sources.append(source)
    outcomes: list[str] = []

    def attempt(source: Path) -> None:
        try:
            remote.target.publish(source, replica_name(DEVICE), None)
            outcomes.append(source.read_text())
        except Changed:
            outcomes.append("changed")

    threads = [threading.Thread(target=attempt, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    winners = [o for o in outcomes if o != "changed"]
    assert len(outcomes) == 8 and len(winners) == 1
    assert (remote.sync_folder / "replicas" / f"{DEVICE}.ldpm").read_text() == winners[0]
    assert not temp_files(remote.sync_folder)


def test_fetch_of_a_vanished_file_is_changed(remote: Remote, tmp_path: Path) -> None:
    put(remote.sync_folder, "replicas/gone.ldpm", b"soon gone")
    (entry,) = remote.target.list_entries()
    (remote.sync_folder / "replicas" / "gone.ldpm").unlink()
    with pytest.raises(Changed):
        remote.target.fetch(entry, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_text_files_and_presence(remote: Remote) -> None:
    target = remote.target
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    write_presence(target, DEVICE, "Maya", "LAPTOP-7Q2", "0.1.0", now)
    write_presence(target, OTHER, "Ravi", "ravi-mac", "0.1.0", now - timedelta(minutes=3))
    write_presence(target, OTHER, "Ravi", "ravi-mac", "0.1.0", now - timedelta(minutes=2))
    put(remote.sync_folder, "presence/0000aaaa0000aaaa.json", b'{"device": "half-wri')
    put(remote.sync_folder, "presence/1111bbbb1111bbbb.json", b"\xff\xfe not text")
    put(remote.sync_folder, "presence/notes.txt", b"ignored")
    raw = (remote.sync_folder / "presence" / f"{OTHER}.json").read_text(encoding="utf-8")
    assert "Ravi" in raw

    others = read_presence(target, exclude_device=DEVICE)
    assert len(others) == 1
    (ravi,) = others
    assert (ravi.device, ravi.user, ravi.host) == (OTHER, "Ravi", "ravi-mac")
    assert ravi.last_seen == now - timedelta(minutes=2)
    assert [p.device for p in read_presence(target, exclude_device=OTHER)] == [DEVICE]

    (entry,) = [e for e in target.list_entries() if e.name == presence_name(DEVICE)]
    assert '"Maya"' in target.read_text(entry)
    assert not temp_files(remote.sync_folder)


def test_discovery_through_both_targets(
    remote: Remote, replica: tuple[Path, str], tmp_path: Path
) -> None:
    good, project = replica
    published = remote.target.publish(good, replica_name(DEVICE), None)
    put(remote.sync_folder, CONFLICT_NAMES[0], good.read_bytes())
    put(remote.sync_folder, f"replicas/{OTHER}.ldpm", good.read_bytes())
    put(remote.sync_folder, f"replicas/{OTHER}.ldpm-journal", b"hot journal")
    result = find_replicas(
        remote.target,
        project_uuid=project,
        work_dir=tmp_path / "work",
        previous={published.name: published.fingerprint},
    )
    assert [r.entry.name for r in result.replicas] == [CONFLICT_NAMES[0]]
    assert result.replicas[0].local_path.read_bytes() == good.read_bytes()
    assert [e.name for e in result.unchanged] == [published.name]
    assert [e.name for e in result.busy] == [f"replicas/{OTHER}.ldpm"]


# ------------------------------------------------------------------------ folder target


def blocking_replace(monkeypatch: pytest.MonkeyPatch, failures: int | None) -> list[str]:
    """os.replace fails like a rename blocked by a sync client (Windows sharing violation)
    ``failures`` times (None: forever) for files in a sync folder."""
    real = os.replace
    calls: list[str] = []

    def fake(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if ".ldpm-sync" in str(dst):
            calls.append(str(dst))
            if failures is None or len(calls) <= failures:
                raise PermissionError(errno.EACCES, "The process cannot access the file")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fake)
    return calls


def test_blocked_rename_is_retried_with_back_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    target = FolderTarget(tmp_path, PROJECT, sleep=sleeps.append)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"v1")
    calls = blocking_replace(monkeypatch, failures=3)
    entry = target.publish(source, replica_name(DEVICE), None)
    assert len(calls) == 4
    assert sleeps == list(RENAME_BACKOFF[:3])
    assert target.list_entries() == [entry]
    assert not temp_files(tmp_path)


def test_rename_blocked_forever_gives_up_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    target = FolderTarget(tmp_path, PROJECT, sleep=sleeps.append)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"v1")
    first = target.publish(source, replica_name(DEVICE), None)
    source.write_bytes(b"v2 is longer")
    blocking_replace(monkeypatch, failures=None)
    with pytest.raises(TargetBusy) as info:
        target.publish(source, replica_name(DEVICE), first.fingerprint)
    sentence = str(info.value)
    assert "another program" in sentence and sentence.endswith(".")
    assert sleeps == list(RENAME_BACKOFF)
    assert target.list_entries() == [first]
    assert (target.folder / "replicas" / f"{DEVICE}.ldpm").read_bytes() == b"v1"
    assert not temp_files(tmp_path)


def check_read_only(target: FolderTarget, source: Path, existing: Entry) -> None:
    before = target.list_entries()
    with pytest.raises(TargetReadOnly) as info:
        target.publish(source, replica_name(DEVICE), existing.fingerprint)
    assert "read-only" in str(info.value)
    with pytest.raises(TargetReadOnly):
        target.write_text(presence_name(DEVICE), "{}")
    assert target.list_entries() == before
    assert (target.folder / "replicas" / f"{DEVICE}.ldpm").read_bytes() == b"old"


def test_read_only_folder(tmp_path: Path) -> None:
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"new")
    old = tmp_path / "old.ldpm"
    old.write_bytes(b"old")
    where = tmp_path / "readonly"
    if os.geteuid() == 0:
        with mounted_tmpfs(where, "size=4m") as mnt:
            target = FolderTarget(mnt, PROJECT)
            existing = target.publish(old, replica_name(DEVICE), None)
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            check_read_only(target, source, existing)
    else:
        where.mkdir()
        target = FolderTarget(where, PROJECT)
        existing = target.publish(old, replica_name(DEVICE), None)
        folders = [target.folder, target.folder / "replicas", target.folder / "presence"]
        for folder in folders:
            folder.chmod(0o555)
        try:
            check_read_only(target, source, existing)
        finally:
            for folder in folders:
                folder.chmod(0o755)


def test_full_disk(tmp_path: Path) -> None:
    old = tmp_path / "old.ldpm"
    old.write_bytes(b"old")
    big = tmp_path / "big.ldpm"
    big.write_bytes(os.urandom(1_000_000))
    with mounted_tmpfs(tmp_path / "tiny", "size=256k") as mnt:
        target = FolderTarget(mnt, PROJECT)
        existing = target.publish(old, replica_name(DEVICE), None)
        with pytest.raises(TargetFull) as info:
            target.publish(big, replica_name(DEVICE), existing.fingerprint)
        assert "full" in str(info.value) and str(info.value).endswith(".")
        assert target.list_entries() == [existing]
        assert (target.folder / "replicas" / f"{DEVICE}.ldpm").read_bytes() == b"old"
        assert not temp_files(mnt)


def test_missing_folder_is_unreachable(tmp_path: Path) -> None:
    target = FolderTarget(tmp_path / "unplugged-drive", PROJECT)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    with pytest.raises(TargetUnreachable) as info:
        target.list_entries()
    assert "drive" in str(info.value)
    with pytest.raises(TargetUnreachable):
        target.publish(source, replica_name(DEVICE), None)
    assert not (tmp_path / "unplugged-drive").exists()


def test_first_publish_creates_the_layout(tmp_path: Path) -> None:
    target = FolderTarget(tmp_path, "A/B: plan?")  # unsafe characters in the project name
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    target.publish(source, replica_name(DEVICE), None)
    assert target.folder.name == "A_B_ plan_.ldpm-sync"
    assert {p.name for p in target.folder.iterdir()} == {"replicas", "presence"}
    with pytest.raises(ValueError):
        target.publish(source, "../escape.ldpm", None)
    with pytest.raises(ValueError):
        replica_name("../x")


def test_temp_names() -> None:
    assert is_temp_name(f"replicas/.{DEVICE}.ldpm.0123456789ab.tmp")
    assert not is_temp_name(f"replicas/{DEVICE}.ldpm")
    assert not is_temp_name("replicas/notes.tmp")


# ------------------------------------------------------------------------------ discovery


class CountingTarget:
    """Wraps a target and records what was fetched."""

    def __init__(self, inner: SyncTarget) -> None:
        self.inner = inner
        self.label = inner.label
        self.fetched: list[str] = []

    def locate(self) -> Location:
        return self.inner.locate()

    @property
    def identity(self) -> str:
        return self.inner.identity

    def list_entries(self) -> list[Entry]:
        return self.inner.list_entries()

    def fetch(self, entry: Entry, dest: Path) -> Entry:
        self.fetched.append(entry.name)
        return self.inner.fetch(entry, dest)

    def publish(self, source: Path, name: str, expected: str | None) -> Entry:
        return self.inner.publish(source, name, expected)

    def write_text(self, name: str, text: str) -> None:
        self.inner.write_text(name, text)

    def read_text(self, entry: Entry) -> str:
        return self.inner.read_text(entry)

    def remove(self, name: str) -> None:
        self.inner.remove(name)

    def sweep_temps(self, device: str) -> list[str]:
        return self.inner.sweep_temps(device)


def test_discovery(tmp_path: Path, replica: tuple[Path, str]) -> None:
    good, project = replica
    share = tmp_path / "share"
    share.mkdir()
    folder_target = FolderTarget(share, PROJECT)
    target = CountingTarget(folder_target)
    sync = folder_target.folder
    mine = target.publish(good, replica_name(DEVICE), None)
    data = good.read_bytes()
    for name in CONFLICT_NAMES:
        put(sync, name, data)
    # Still being written: a journal beside it.
    put(sync, "replicas/ef56ab78ab12cd34.ldpm", data)
    put(sync, "replicas/ef56ab78ab12cd34.ldpm-journal", b"journal")
    # Torn by a sync client.
    put(sync, "replicas/torn.ldpm", data[: len(data) // 2])
    # Another project's file.
    other = tmp_path / "files" / "Other.ldpm"
    other_uuid = create_file(other, root=tmp_path / "scratch", device=OTHER, name="Other")
    assert other_uuid != project
    put(sync, f"replicas/{OTHER}.ldpm", other.read_bytes())
    # From a newer LDPM.
    make_newer(good, tmp_path / "files" / "newer.ldpm")
    put(sync, "replicas/newer.ldpm", (tmp_path / "files" / "newer.ldpm").read_bytes())
    # Another application's database, named like ours.
    foreign_db = tmp_path / "files" / "app.db"
    con = sqlite3.connect(foreign_db)
    con.execute("CREATE TABLE t(x)")
    con.close()
    put(sync, "replicas/looks-like-ours.ldpm", foreign_db.read_bytes())
    # Junk: silently ignored.
    put(sync, "replicas/.DS_Store", b"\x00\x00\x00\x01Bud1")
    put(sync, "notes.txt", b"remember the milk")
    put(sync, "desktop.ini", b"[.ShellClassInfo]")
    put(sync, "someones.db", foreign_db.read_bytes())
    write_presence(target, OTHER, "Ravi", "ravi-mac", "0.1.0", datetime.now(UTC))

    work = tmp_path / "work"
    result = find_replicas(target, project_uuid=project, work_dir=work, previous={})

    replica_names = sorted(r.entry.name for r in result.replicas)
    assert replica_names == sorted([mine.name, *CONFLICT_NAMES])
    for r in result.replicas:
        assert r.info.project_uuid == project
        assert r.local_path.read_bytes() == data
        assert r.local_path.is_relative_to(work)
    assert [e.name for e in result.busy] == ["replicas/ef56ab78ab12cd34.ldpm"]
    assert [e.name for e in result.foreign] == [f"replicas/{OTHER}.ldpm"]
    assert result.unchanged == []

    rejected = {e.name: sentence for e, sentence in result.rejected}
    assert set(rejected) == {
        "replicas/torn.ldpm",
        "replicas/newer.ldpm",
        "replicas/looks-like-ours.ldpm",
    }
    assert "9.4.0" in rejected["replicas/newer.ldpm"]
    assert "newer LDPM" in rejected["replicas/newer.ldpm"]
    assert "another application" in rejected["replicas/looks-like-ours.ldpm"]
    torn_sentence = rejected["replicas/torn.ldpm"]
    assert "torn.ldpm" in torn_sentence and "not merged" in torn_sentence
    (kept,) = (work / "rejected").glob("*torn.ldpm")
    assert str(kept) in torn_sentence
    assert kept.read_bytes() == data[: len(data) // 2]
    assert all(s.endswith(".") for s in rejected.values())

    # Nothing is left behind but the replicas to merge and the torn copy kept aside.
    leftovers = set((work / "incoming").iterdir())
    assert leftovers == {r.local_path for r in result.replicas}
    assert not any(p.name.startswith("presence") for p in leftovers)
    assert not [n for n in target.fetched if n.startswith("presence/")]
    assert "replicas/ef56ab78ab12cd34.ldpm" not in target.fetched

    # Fingerprints: everything examined, but not the busy file (it must be read again).
    assert "replicas/ef56ab78ab12cd34.ldpm" not in result.fingerprints
    assert {"notes.txt", "replicas/torn.ldpm", f"replicas/{OTHER}.ldpm"} <= set(
        result.fingerprints
    )

    # Next time nothing unchanged is fetched again; the journal has gone, so that one is read.
    for r in result.replicas:
        r.local_path.unlink()
    (sync / "replicas" / "ef56ab78ab12cd34.ldpm-journal").unlink()
    target.fetched.clear()
    again = find_replicas(
        target, project_uuid=project, work_dir=work, previous=result.fingerprints
    )
    assert target.fetched == ["replicas/ef56ab78ab12cd34.ldpm"]
    assert [r.entry.name for r in again.replicas] == ["replicas/ef56ab78ab12cd34.ldpm"]
    assert len(again.unchanged) == len(result.fingerprints)
    assert again.busy == [] and again.rejected == [] and again.foreign == []
    assert len(list((work / "rejected").iterdir())) == 1  # not kept aside twice


def test_a_file_changing_while_fetched_is_busy(
    tmp_path: Path, replica: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good, project = replica
    target = FolderTarget(tmp_path / "share", PROJECT)
    (tmp_path / "share").mkdir()
    put(target.folder, "replicas/growing.ldpm", good.read_bytes())
    real_copy = folder_target._copy

    def copy_while_a_sync_client_writes(src: BinaryIO, dst: BinaryIO) -> None:
        real_copy(src, dst)
        with (target.folder / "replicas" / "growing.ldpm").open("ab") as fh:
            fh.write(b"\x00" * 4096)

    monkeypatch.setattr(folder_target, "_copy", copy_while_a_sync_client_writes)
    result = find_replicas(target, project_uuid=project, work_dir=tmp_path / "w", previous={})
    assert [e.name for e in result.busy] == ["replicas/growing.ldpm"]
    assert result.replicas == [] and result.rejected == []
    assert "replicas/growing.ldpm" not in result.fingerprints
    assert list((tmp_path / "w" / "incoming").iterdir()) == []


def test_a_file_replaced_while_fetched_is_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = FolderTarget(tmp_path, PROJECT)
    path = put(target.folder, "replicas/a.ldpm", b"old")
    (entry,) = target.list_entries()
    real_copy = folder_target._copy

    def copy_then_replace(src: BinaryIO, dst: BinaryIO) -> None:
        real_copy(src, dst)
        shutil.copyfile(path, tmp_path / "swap")
        (tmp_path / "swap").write_bytes(b"new")
        os.replace(tmp_path / "swap", path)

    monkeypatch.setattr(folder_target, "_copy", copy_then_replace)
    with pytest.raises(Changed):
        target.fetch(entry, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()
