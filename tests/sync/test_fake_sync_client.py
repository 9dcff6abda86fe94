"""Two devices behind a misbehaving sync client.

Each device syncs with its *own* local folder (as with Dropbox or OneDrive); a fake sync client
carries files between the two folders, and misbehaves the way real ones do: it delivers late
and out of order, copies a file while it is still being written (a torn copy), leaves SQLite
journals behind, and, when both sides changed a file, keeps both as "conflicted copies" named
the way Dropbox, OneDrive, Nextcloud and Syncthing name them.  The devices must still end up
identical, and nothing may be merged from a torn or foreign file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative
from ldpm.persistence.document import create_file
from ldpm.services.demo import populate_demo
from ldpm.sync.engine import SyncReport, SyncState, sync_once
from ldpm.sync.targets import FolderTarget, TargetError
from tests.filesystems import mounted_tmpfs
from tests.sync.devices import Clock, SimDevice, first_initiative

A, B = "a0a0a0a0a0a0a0a0", "b0b0b0b0b0b0b0b0"
PROJECT = "Northwind"
CONFLICT_NAMES = [
    "{id} (Maya Lindqvist's conflicted copy 2026-11-22).ldpm",  # Dropbox
    "{id}-LAPTOP-7Q2.ldpm",  # OneDrive
    "{id} (conflicted copy 2026-11-22 101010).ldpm",  # Nextcloud
    "{id}.sync-conflict-20261122-101010-ABCDEFG.ldpm",  # Syncthing
]


class Node:
    """A device with its own local sync folder."""

    def __init__(
        self, tmp: Path, device: str, base: Path, clock: Clock, project_uuid: str
    ) -> None:
        self.sim = SimDevice(tmp / f"dev-{device}", device, base, clock)
        self.root = tmp / f"cloud-{device}"
        self.root.mkdir()
        self.target = FolderTarget(self.root, PROJECT)
        self.state = SyncState()
        self.uuid = project_uuid
        self.work = tmp / f"work-{device}"

    @property
    def folder(self) -> Path:
        return self.target.folder

    def sync(self) -> SyncReport:
        report = sync_once(
            working_db=self.sim.db,
            project_uuid=self.uuid,
            device=self.sim.id,
            target=self.target,
            state=self.state,
            work_dir=self.work,
            backup=lambda _reason: None,
            user="tester",
            host=f"host-{self.sim.id[:2]}",
            app_version="test",
        )
        if report.result.max_stamp:
            self.sim.clock.observe(report.result.max_stamp)
        return report


class FakeClient:
    """Carries files from one local sync folder to another, badly on request."""

    @staticmethod
    def files(folder: Path) -> Iterator[Path]:
        yield from (
            p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")
        )

    def deliver(
        self,
        src: Node,
        dst: Node,
        *,
        only: str | None = None,
        torn: bool = False,
        journal: bool = False,
        as_conflict: int | None = None,
    ) -> list[Path]:
        delivered = []
        for path in self.files(src.folder):
            rel = path.relative_to(src.folder)
            if only is not None and only not in rel.name:
                continue
            out = dst.folder / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if as_conflict is not None and out.exists() and out.read_bytes() != path.read_bytes():
                # Both sides changed it: the client keeps both, under a conflict name.
                stem = rel.name.removesuffix(".ldpm")
                out = out.with_name(CONFLICT_NAMES[as_conflict].format(id=stem))
            data = path.read_bytes()
            out.write_bytes(data[: len(data) // 2] if torn else data)
            if journal:
                out.with_name(out.name + "-journal").write_bytes(b"\0" * 512)
            delivered.append(out)
        return delivered


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    base = tmp_path / "Northwind.ldpm"
    uuid = create_file(
        base, root=tmp_path / "scratch", device="1" * 16, name=PROJECT, populate=populate_demo
    )
    clock = Clock()
    a, b = Node(tmp_path, A, base, clock, uuid), Node(tmp_path, B, base, clock, uuid)
    yield a, b
    a.sim.close()
    b.sim.close()


def test_late_torn_journaled_and_conflicted_deliveries_still_converge(
    nodes: tuple[Node, Node], tmp_path: Path
) -> None:
    a, b = nodes
    client = FakeClient()
    item = first_initiative(a.sim)

    # Both edit offline; A syncs first.
    a.sim.edit(Initiative, item.id, owner="Maya (A)", outcome="A's outcome")
    a.sim.wall.tick()
    b.sim.edit(Initiative, item.id, owner="Dana (B)")
    assert a.sync().published
    assert b.sync().published

    # 1. The client copies A's replica while it is still being written: a torn copy.
    before = b.sim.dump()
    client.deliver(a, b, only=A, torn=True, as_conflict=None)
    report = b.sync()
    assert report.merged == [] and len(report.rejected) == 1
    assert b.sim.dump()["initiative"] == before["initiative"]  # nothing merged from it
    assert list((b.work / "rejected").iterdir())  # kept aside

    # 2. The whole file arrives, but with a journal beside it: still being written, retried.
    client.deliver(a, b, only=A, journal=True)
    report = b.sync()
    assert report.merged == [] and report.busy
    journal = next(b.folder.rglob("*-journal"))
    journal.unlink()  # the client finishes
    report = b.sync()
    assert report.merged and report.result.conflicts == 1

    # 3. Meanwhile A kept working; B's replica reaches A late, as conflict copies of every
    #    naming style (A's folder already had an older copy of B's replica).
    client.deliver(b, a)  # an old delivery first…
    a.sim.edit(Initiative, item.id, audience="edited while B's copy was travelling")
    assert a.sync().published
    b.sim.edit(Initiative, item.id, problem_statement="B, after merging A")
    b.sync()
    for style in range(len(CONFLICT_NAMES)):
        client.deliver(b, a, only=B, as_conflict=style)
        b.sim.edit(Initiative, item.id, requested_by=f"B edit {style}")
        b.sync()
    report = a.sync()
    assert len(report.merged) >= 2  # the conflict copies are replicas too

    # 4. Everything is eventually delivered, in both directions: the devices agree.
    for _ in range(2):
        client.deliver(a, b)
        b.sync()
        client.deliver(b, a)
        a.sync()
    assert a.sim.dump() == b.sim.dump()
    merged = a.sim.get(Initiative, item.id)
    assert merged.outcome == "A's outcome" and merged.problem_statement == "B, after merging A"
    assert merged.requested_by == f"B edit {len(CONFLICT_NAMES) - 1}"
    assert [c.field for c in a.sim.conflicts()] == ["owner"]


def test_foreign_and_newer_files_are_never_merged(
    nodes: tuple[Node, Node], tmp_path: Path
) -> None:
    from tests.persistence.test_bad_input import make_newer

    a, _b = nodes
    a.sync()
    other = tmp_path / "Other.ldpm"
    create_file(other, root=tmp_path / "s2", device="2" * 16, name="Someone else")
    shutil.copyfile(other, a.folder / "replicas" / "eeeeeeeeeeeeeeee.ldpm")
    newer = a.folder / "replicas" / "ffffffffffffffff.ldpm"
    make_newer(a.folder / "replicas" / f"{A}.ldpm", newer)
    before = a.sim.dump()
    report = a.sync()
    assert report.merged == []
    assert [name.rsplit("/", 1)[-1] for name in report.foreign] == ["eeeeeeeeeeeeeeee.ldpm"]
    assert any("newer LDPM" in sentence for _name, sentence in report.rejected)
    after = a.sim.dump()
    assert after["initiative"] == before["initiative"]


def test_a_read_only_target_leaves_the_working_copy_as_it_was(
    nodes: tuple[Node, Node], tmp_path: Path
) -> None:
    a, _b = nodes
    if os.geteuid() == 0:  # root ignores permissions: make the folder truly read-only
        with mounted_tmpfs(tmp_path / "ro", "size=8m") as mnt:
            a.root, a.target = mnt, FolderTarget(mnt, PROJECT)
            a.sync()  # published once while writable
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            check_read_only(a)
    else:
        a.sync()
        a.root.chmod(0o555)
        for folder in a.root.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o555)
        try:
            check_read_only(a)
        finally:
            for folder in [a.root, *a.root.rglob("*")]:
                if folder.is_dir():
                    folder.chmod(0o755)


def check_read_only(a: Node) -> None:
    a.sim.edit(Initiative, first_initiative(a.sim).id, owner="not publishable")
    before = a.sim.dump()
    with pytest.raises(TargetError) as info:
        a.sync()
    assert "read-only" in str(info.value) or "not allowed" in str(info.value)
    assert a.sim.dump() == before  # the working copy is as it was
