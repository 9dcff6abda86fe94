"""Schema version 4 (migration 0006): release capacity and roadmap horizon, items out of scope.

The demo as schema version 2 wrote it (``tests/persistence/v2file.py``), before these fields,
must open, upgrade and keep its data; the new fields must survive save and reopen."""

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
from tests.persistence.v2file import copy_v2, v2_id

MVP = "MVP — hand-off kit"
COURSE = "Two-day 'Effective communication' classroom course"


def test_a_version_2_file_opens_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    path = copy_v2(tmp_path / "Old.ldpm")
    info = inspect_file(path)
    assert info is not None and info.schema_version == 2
    before = path.read_bytes()
    project = Project.open(path)
    try:
        assert path.read_bytes() == before  # upgraded in the working copy only
        with project.read() as tx:
            releases = {r.name: r for r in tx.list(Release)}
            items = {i.title: i for i in tx.list(BacklogItem)}
        release = releases[MVP]
        assert release.is_mvp and release.story.startswith("Not a class: a 7-point hand-off")
        assert len(releases) == 4 and len(items) == 24
        assert all(r.capacity is None and r.horizon is None for r in releases.values())
        assert not any(i.out_of_scope for i in items.values())
        course = items[COURSE]
        assert (course.effort, course.value) == (20.0, 2)  # the old columns as they were
        execute(
            project,
            edit(Release, release.id, {"capacity": 12.5, "horizon": Horizon.NOW}, "Plan"),
        )
        execute(project, edit(BacklogItem, course.id, {"out_of_scope": True}, "Out"))
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
            planned = {r.name: (r.capacity, r.horizon) for r in tx.list(Release)}
            out = [i.title for i in tx.list(BacklogItem) if i.out_of_scope]
        assert planned[MVP] == (12.5, Horizon.NOW)
        assert sum(1 for p in planned.values() if p != (None, None)) == 1
        assert out == [COURSE]
    finally:
        project.close(discard_unsaved=True)


def test_a_version_2_file_is_checked_without_the_columns_it_predates(tmp_path: Path) -> None:
    """The value checks read the columns an older file has: a stored value over a limit in
    a table that has grown since is still found (and the rule of a missing column skipped)."""
    path = copy_v2(tmp_path / "Old.ldpm")
    release_id = v2_id("release", "name", MVP)
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE release SET story = ? WHERE id = ?", ("x" * (MAX_TEXT + 1), release_id)
        )
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
