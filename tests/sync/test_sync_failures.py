"""A sync that fails half-way loses nothing (issue 6, scenarios 16, 23, 27, 34, 37): what was
merged is recorded whatever fails afterwards; the state of what was merged never runs ahead of
the data; a bad replica is set aside and the others still merge; copies set aside outlive the
session; a file rejected as too new is looked at again after an upgrade."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ldpm import cli
from ldpm.domain.entities import Initiative
from ldpm.persistence.fileformat import new_placeholder, read_meta, seal_file
from ldpm.persistence.hlc import parse_stamp
from ldpm.services import sync as sync_svc
from ldpm.sync.engine import SyncState, sync_once
from ldpm.sync.targets import Entry, FolderTarget, Location, SyncTarget, replica_name
from tests.filesystems import mounted_tmpfs
from tests.sync.computers import CLIENT, LAPTOP, Computers, edit, main_initiative
from tests.sync.devices import SimDevice
from tests.sync.test_targets import make_newer

OUTCOME = "MTTR down 25%"


@pytest.fixture
def computers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Computers:
    return Computers(tmp_path, monkeypatch)


def cli_sync(
    computers: Computers, capsys: pytest.CaptureFixture[str], device: str, *where: str
) -> tuple[int, str, str]:
    with computers.on(device):
        code = cli.main(["sync", str(computers.files[device]), *where])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def laptop_sets_outcome(computers: Computers, root: Path) -> None:
    with computers.project(LAPTOP) as p:
        edit(p, main_initiative(p).id, outcome=OUTCOME)
        computers.sync(p, computers.folder_settings(root))


def saved_outcome(computers: Computers, device: str) -> str:
    with computers.project(device) as p:
        return main_initiative(p).outcome


# ------------------------------------------------- 34 / 37: a failed final save of the file


def test_a_failed_final_save_is_one_sentence_and_the_next_sync_merges_again(
    computers: Computers, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario 37: ``ldpm sync`` printed a traceback when its final save failed.
    Scenario 34: the sync state was saved before the file, so the failed save left it saying
    "merged" and every later sync said "nothing new"."""
    laptop_sets_outcome(computers, computers.shared)
    document = computers.files[CLIENT]
    document.chmod(0o444)  # the file cannot be replaced
    before = document.read_bytes()
    code, _out, err = cli_sync(computers, capsys, CLIENT, "--folder", str(computers.shared))
    assert code == 1
    assert "read-only" in err and err.count("\n") == 1
    assert document.read_bytes() == before
    document.chmod(0o644)
    code, out, err = cli_sync(computers, capsys, CLIENT)  # the settings were remembered
    assert code == 0, err
    assert "Merged 1 changed item" in out
    assert saved_outcome(computers, CLIENT) == OUTCOME


def test_the_sync_state_travels_with_the_data_not_the_computer(computers: Computers) -> None:
    """The state lives in the working copy (and so in the saved file); the data folder keeps
    none, and the file's state names no local path."""
    laptop_sets_outcome(computers, computers.shared)
    with computers.project(CLIENT) as p:
        computers.sync(p)
    raw = read_meta(computers.files[CLIENT], "sync_state")
    assert raw and str(computers.shared) not in raw
    assert "fingerprints" in raw
    home = computers.home(CLIENT)
    assert not list(home.rglob("*.state.json"))


# ------------------------------------------------------ 23: failures after a merge


def test_a_read_only_share_after_merging_keeps_the_merge(
    computers: Computers, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario 23: a failure after the merges committed (here the share turned read-only, so
    publishing fails) left the merge unrecorded: not saved, and lost on close."""
    with mounted_tmpfs(computers.tmp / "share", "size=16m") as share:
        laptop_sets_outcome(computers, share)
        subprocess.run(["mount", "-o", "remount,ro", str(share)], check=True)
        code, _out, err = cli_sync(computers, capsys, CLIENT, "--folder", str(share))
    assert code == 1
    assert "Merged 1 changed item" in err and "read-only" in err  # what happened, then why
    assert saved_outcome(computers, CLIENT) == OUTCOME  # recorded and saved all the same


def test_cancelling_after_a_merge_keeps_the_merge(computers: Computers) -> None:
    """Scenario 23 (Cancel): the exception carries the partial report; finishing it marks the
    project unsaved and moves the clock past what was merged."""
    laptop_sets_outcome(computers, computers.shared)
    asked: list[bool] = []

    def cancel_after_the_first_merge() -> bool:
        asked.append(True)
        return len(asked) > 1  # asked before the merge (no), then before publishing (yes)

    with computers.project(CLIENT) as p:
        target = sync_svc.make_target(computers.folder_settings(), p)
        with pytest.raises(sync_svc.SyncCancelled) as info:
            sync_svc.run_sync(p, target, cancelled=cancel_after_the_first_merge)
        partial = sync_svc.partial_report(info.value)
        assert partial is not None and partial.merged and not partial.published
        assert not p.unsaved
        record = sync_svc.finish_sync(p, partial)
        assert record.everything and p.unsaved
        assert parse_stamp(p.document.clock.now())[:2] > parse_stamp(partial.result.max_stamp)[:2]
        assert main_initiative(p).outcome == OUTCOME
    assert saved_outcome(computers, CLIENT) == OUTCOME


# ------------------------------------------ 16, 27: replicas that cannot be merged (yet)


class CountingTarget:
    """A real target that records what was fetched."""

    def __init__(self, inner: SyncTarget) -> None:
        self.inner = inner
        self.label = inner.label
        self.fetched: list[str] = []

    @property
    def identity(self) -> str:
        return self.inner.identity

    def locate(self) -> Location:
        return self.inner.locate()

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


def engine_sync(
    device: SimDevice, target: SyncTarget, state: SyncState, work: Path, version: str
) -> sync_svc.SyncReport:
    return sync_once(
        working_db=device.db,
        project_uuid=read_meta(device.db, "project_uuid"),
        device=device.id,
        target=target,
        state=state,
        work_dir=work / "sync",
        rejected_dir=work / "rejected",
        backup=lambda _reason: None,
        user="Maya Keller",
        host="",
        app_version=version,
    )


def malformed_copy(good: Path, bad: Path) -> None:
    """A sealed replica whose stamps are not JSON: it passes the file checks, the merge
    refuses it."""
    bad.write_bytes(good.read_bytes())
    placeholder = new_placeholder()
    con = sqlite3.connect(bad)
    with con:
        con.execute("UPDATE initiative SET stamps='not json', name='from a broken tool'")
        con.execute("UPDATE meta SET value=? WHERE key='content_checksum'", (placeholder,))
    con.close()
    seal_file(bad, placeholder)


def test_a_bad_replica_is_set_aside_and_the_others_merge(
    computers: Computers, tmp_path: Path
) -> None:
    """Scenario 16 (the engine's part): one replica the merge refuses aborted the whole sync,
    on every run.  It is set aside with a sentence, not fetched again until it changes, and the
    other replicas merge."""
    laptop_sets_outcome(computers, computers.shared)
    target = FolderTarget(computers.shared, "Northwind Engineering", project_uuid=uuid(computers))
    replicas = target.folder / "replicas"
    malformed_copy(replicas / f"{LAPTOP}.ldpm", replicas / "bbbbbbbbbbbbbbbb.ldpm")
    device = SimDevice(tmp_path / "client", CLIENT, computers.files[CLIENT])
    counting = CountingTarget(target)
    state = SyncState()
    report = engine_sync(device, counting, state, tmp_path, "1.0")
    assert report.merged == [replica_name(LAPTOP)]
    rejected = dict(report.rejected)
    assert "not merged" in rejected["replicas/bbbbbbbbbbbbbbbb.ldpm"]
    with device.store.transaction() as tx:
        names = {i.name for i in tx.list(Initiative)}
    assert "from a broken tool" not in names
    counting.fetched.clear()
    again = engine_sync(device, counting, state, tmp_path, "1.0")
    assert "replicas/bbbbbbbbbbbbbbbb.ldpm" not in counting.fetched and again.rejected == []
    device.close()


def uuid(computers: Computers) -> str:
    return read_meta(computers.original, "project_uuid")


def test_a_damaged_copy_set_aside_outlives_the_session(
    computers: Computers, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario 27: damaged replicas were kept in the working folder, which closing deletes,
    although the sentence pointed the user there."""
    laptop_sets_outcome(computers, computers.shared)
    replicas = next(computers.shared.iterdir()) / "replicas"
    data = (replicas / f"{LAPTOP}.ldpm").read_bytes()
    (replicas / "torn copy.ldpm").write_bytes(data[: len(data) // 2])
    code, out, _err = cli_sync(computers, capsys, CLIENT, "--folder", str(computers.shared))
    assert code == 0  # the project is closed now, and its working folder gone
    [kept] = re.findall(r"a copy was kept in “([^”]+)”", out)
    assert Path(kept).is_file() and Path(kept).read_bytes() == data[: len(data) // 2]
    assert Path(kept).is_relative_to(computers.home(CLIENT))


def test_a_newer_copy_is_looked_at_again_after_an_upgrade(
    computers: Computers, tmp_path: Path
) -> None:
    """Scenario 27: a replica rejected as written by a newer LDPM was remembered by its
    fingerprint and never examined again, even after upgrading."""
    laptop_sets_outcome(computers, computers.shared)
    target = FolderTarget(computers.shared, "Northwind Engineering", project_uuid=uuid(computers))
    newer = target.folder / "replicas" / "dddddddddddddddd.ldpm"
    make_newer(target.folder / "replicas" / f"{LAPTOP}.ldpm", newer)
    device = SimDevice(tmp_path / "client", CLIENT, computers.files[CLIENT])
    counting = CountingTarget(target)
    state = SyncState()
    first = engine_sync(device, counting, state, tmp_path, "1.0")
    assert any("newer LDPM" in s for _n, s in first.rejected)
    counting.fetched.clear()
    engine_sync(device, counting, state, tmp_path, "1.0")
    assert counting.fetched == []  # same version: not fetched again
    upgraded = engine_sync(device, counting, state, tmp_path, "1.1")
    assert counting.fetched == [newer.relative_to(target.folder).as_posix()]
    assert any("newer LDPM" in s for _n, s in upgraded.rejected)  # still too new for 1.1
    device.close()
    os.sync()
