"""Replicas are untrusted input: a semantically bad replica in the sync folder is set aside
with a sentence, and a good replica beside it still merges.

The bad files are the corpus of :mod:`tests.persistence.badfiles` (sealed, intact, this
project's identity, one semantic change each) — far-future stamps included: for replicas they
are a rejection, not something to clamp.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from ldpm.domain.entities import BacklogItem, Initiative
from ldpm.persistence.document import Document, write_snapshot
from ldpm.persistence.fileformat import inspect_file
from ldpm.persistence.hlc import format_stamp
from ldpm.sync.discovery import find_replicas
from ldpm.sync.engine import SyncState, sync_once
from ldpm.sync.merge import merge_replica
from ldpm.sync.targets import FolderTarget
from tests.conftest import DEVICE
from tests.persistence.badfiles import CORPUS, ELSEWHERE, make_bad, reseal

COLLEAGUE = "c0ffee00c0ffee00"
NEW_NAME = "Incident hand-offs (renamed by a colleague)"


def good_replica(demo: Path, work: dict[str, Path], into: Path) -> str:
    """A colleague's valid replica of the demo with one initiative renamed; returns its id."""
    copy = work["docs"] / "Colleague.ldpm"
    shutil.copyfile(demo, copy)
    doc = Document.open(copy, root=work["work"], backup_root=work["backups"], device=COLLEAGUE)
    try:
        with doc.store.transaction() as tx:
            initiative = tx.list(Initiative)[0]
            tx.update(Initiative, initiative.id, {"name": NEW_NAME})
        write_snapshot(doc.working_path, into, device=COLLEAGUE)
    finally:
        doc.close(discard_unsaved=True)
    return initiative.id


def name_of(db: Path, initiative_id: str) -> str:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT name FROM initiative WHERE id = ?", (initiative_id,)).fetchone()
    finally:
        con.close()
    return str(row[0])


@pytest.fixture
def target(tmp_path: Path) -> FolderTarget:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = FolderTarget(shared, "Demo")
    target.folder.mkdir(parents=True, exist_ok=True)
    return target


def test_every_bad_replica_is_set_aside_and_the_good_one_merges(
    tmp_path: Path, demo_path: Path, work: dict[str, Path], target: FolderTarget
) -> None:
    project = inspect_file(demo_path)
    assert project is not None
    for case in CORPUS:
        make_bad(demo_path, target.folder / f"{ELSEWHERE}-{case}.ldpm", case)
    initiative_id = good_replica(demo_path, work, target.folder / f"{COLLEAGUE}.ldpm")

    found = find_replicas(
        target, project_uuid=project.project_uuid, work_dir=tmp_path / "sync", previous={}
    )
    assert [r.entry.basename for r in found.replicas] == [f"{COLLEAGUE}.ldpm"]
    rejected = {entry.basename: sentence for entry, sentence in found.rejected}
    assert set(rejected) == {f"{ELSEWHERE}-{case}.ldpm" for case in CORPUS}
    for case, bad in CORPUS.items():
        sentence = rejected[f"{ELSEWHERE}-{case}.ldpm"]
        assert "\n" not in sentence and sentence.endswith(".")
        assert f"{ELSEWHERE}-{case}.ldpm" in sentence and "not merged" in sentence
        assert bad.words in sentence, case

    mine = Document.open(demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    try:
        merge_replica(mine.working_path, found.replicas[0].local_path)
        assert name_of(mine.working_path, initiative_id) == NEW_NAME
    finally:
        mine.close(discard_unsaved=True)


@pytest.mark.parametrize("case", ["future_tombstones", "stamp", "enum", "trigger"])
def test_a_sync_goes_on_past_a_bad_replica(
    tmp_path: Path, demo_path: Path, work: dict[str, Path], target: FolderTarget, case: str
) -> None:
    """Scenario 16 (and 14, 15, 19) through a whole sync: the bad replica is reported, the
    good one merged, this computer's replica published."""
    make_bad(demo_path, target.folder / f"{ELSEWHERE}.ldpm", case)
    initiative_id = good_replica(demo_path, work, target.folder / f"{COLLEAGUE}.ldpm")
    mine = Document.open(demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    try:
        report = sync_once(
            working_db=mine.working_path,
            project_uuid=mine.project_uuid,
            device=DEVICE,
            target=target,
            state=SyncState(),
            work_dir=tmp_path / "sync",
            backup=mine.backup,
            user="Maya",
            host="laptop",
            app_version="test",
        )
        assert [name for name, _sentence in report.rejected] == [f"{ELSEWHERE}.ldpm"]
        assert CORPUS[case].words in report.rejected[0][1]
        assert len(report.merged) == 1 and report.published
        assert name_of(mine.working_path, initiative_id) == NEW_NAME
    finally:
        mine.close(discard_unsaved=True)


def test_a_replica_with_a_value_over_its_limit_is_merged_not_refused(
    tmp_path: Path, demo_path: Path, work: dict[str, Path], target: FolderTarget
) -> None:
    """Scenario 38: written by another tool or an older version, an over-long description is
    reported, not refused; after the merge the item can still be renamed."""
    project = inspect_file(demo_path)
    assert project is not None
    replica = target.folder / f"{ELSEWHERE}.ldpm"
    shutil.copyfile(demo_path, replica)
    now = time.time_ns() // 1_000_000  # later than the demo's stamps: the merge takes it
    con = sqlite3.connect(replica)
    item_id = str(con.execute("SELECT id FROM backlog_item ORDER BY rowid LIMIT 1").fetchone()[0])
    with con:
        con.execute(
            "UPDATE backlog_item SET description = ?, stamps = ? WHERE id = ?",
            ("x" * 30_000, json.dumps({"*": format_stamp(now, 0, ELSEWHERE)}), item_id),
        )
    con.close()
    reseal(replica)
    found = find_replicas(
        target, project_uuid=project.project_uuid, work_dir=tmp_path / "sync", previous={}
    )
    [merged] = found.replicas
    assert [o.row_id for o in merged.info.over_limit] == [item_id]
    mine = Document.open(demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    try:
        merge_replica(mine.working_path, merged.local_path)
        with mine.store.transaction() as tx:
            item = tx.get(BacklogItem, item_id)
            assert item is not None and len(item.description) == 30_000
            tx.update(BacklogItem, item_id, {"title": "Renamed after the merge"})
    finally:
        mine.close(discard_unsaved=True)
