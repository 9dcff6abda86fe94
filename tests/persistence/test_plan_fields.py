"""Schema version 3 (migration 0006): release capacity and roadmap horizon, items out of scope.

``tests/data/version2.ldpm`` was written by LDPM at schema version 2 (before these fields):
one initiative, an MVP release and two items.  It must open, upgrade and keep its data; the
new fields must survive save and reopen."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.enums import Horizon
from ldpm.persistence.fileformat import MIN_READER_VERSION, SCHEMA_VERSION, inspect_file
from ldpm.services.commands import edit, execute
from ldpm.services.project import Project

V2 = Path(__file__).resolve().parent.parent / "data" / "version2.ldpm"


def test_a_version_2_file_opens_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "Old.ldpm"
    shutil.copyfile(V2, path)
    info = inspect_file(path)
    assert info is not None and info.schema_version == 2
    before = path.read_bytes()
    project = Project.open(path)
    try:
        assert path.read_bytes() == before  # upgraded in the working copy only
        with project.read() as tx:
            [release] = tx.list(Release)
            items = tx.list(BacklogItem)
        assert (release.name, release.story, release.is_mvp) == (
            "MVP",
            "A checklist, not a class.",
            True,
        )
        assert release.capacity is None and release.horizon is None
        assert [(i.title, i.effort, i.value, i.out_of_scope) for i in items] == [
            ("Hand-off checklist", 4.0, 9, False),
            ("Two-day classroom course", 20.0, 2, False),
        ]
        execute(
            project,
            edit(Release, release.id, {"capacity": 12.5, "horizon": Horizon.NOW}, "Plan"),
        )
        execute(project, edit(BacklogItem, items[1].id, {"out_of_scope": True}, "Out"))
        project.save()
    finally:
        project.close(discard_unsaved=True)

    saved = inspect_file(path)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION == 3
    con = sqlite3.connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    assert meta["min_reader_version"] == str(MIN_READER_VERSION) == "3"

    project = Project.open(path)
    try:
        with project.read() as tx:
            [release] = tx.list(Release)
            out = [i.title for i in tx.list(BacklogItem) if i.out_of_scope]
        assert (release.capacity, release.horizon) == (12.5, Horizon.NOW)
        assert out == ["Two-day classroom course"]
    finally:
        project.close(discard_unsaved=True)
