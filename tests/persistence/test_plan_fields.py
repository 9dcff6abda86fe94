"""Schema version 4 (migration 0006): release capacity and roadmap horizon, items out of scope.

``tests/data/version2.ldpm`` was written by LDPM at schema version 2 (before these fields):
one initiative, an MVP release and two items.  It must open, upgrade and keep its data; the
new fields must survive save and reopen."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.enums import Horizon
from ldpm.domain.validation import MAX_TEXT
from ldpm.persistence.fileformat import (
    MIN_READER_VERSION,
    SCHEMA_VERSION,
    InvalidContent,
    inspect_file,
)
from ldpm.services.commands import edit, execute
from ldpm.services.project import Project
from tests.persistence.badfiles import reseal

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
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    assert meta["min_reader_version"] == str(MIN_READER_VERSION)

    project = Project.open(path)
    try:
        with project.read() as tx:
            [release] = tx.list(Release)
            out = [i.title for i in tx.list(BacklogItem) if i.out_of_scope]
        assert (release.capacity, release.horizon) == (12.5, Horizon.NOW)
        assert out == ["Two-day classroom course"]
    finally:
        project.close(discard_unsaved=True)


def test_a_version_2_file_is_checked_without_the_columns_it_predates(tmp_path: Path) -> None:
    """The value checks read the columns an older file has: a stored value over a limit in
    a table that has grown since is still found (and the rule of a missing column skipped)."""
    path = tmp_path / "Old.ldpm"
    shutil.copyfile(V2, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE release SET story = ?", ("x" * (MAX_TEXT + 1),))
        [release_id] = con.execute("SELECT id FROM release").fetchone()
    con.close()
    reseal(path)
    info = inspect_file(path)
    assert info is not None and info.schema_version == 2
    assert [(o.table, o.row_id, o.field) for o in info.over_limit] == [
        ("release", release_id, "story")
    ]


def test_a_version_3_file_without_a_new_column_is_refused(tmp_path: Path, demo_path: Path) -> None:
    """Only a file of an older schema may lack the columns added since."""
    path = tmp_path / "Altered.ldpm"
    shutil.copyfile(demo_path, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("ALTER TABLE backlog_item DROP COLUMN out_of_scope")
    con.close()
    reseal(path)
    with pytest.raises(InvalidContent, match="altered “backlog_item” table \\(“out_of_scope”\\)"):
        inspect_file(path)
