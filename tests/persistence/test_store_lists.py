"""``Tx.list`` decodes rows from tuples (fast); it must give exactly what ``from_row`` gives
from the same rows by name, for every entity type, on the demo and on a file migrated from
schema version 2 (whose added columns sit elsewhere in the table)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ldpm.domain.entities import ENTITY_TYPES
from ldpm.persistence import schema
from ldpm.persistence.codecs import from_row
from ldpm.services.project import Project
from tests.persistence.v2file import copy_v2


def check(project: Project) -> int:
    seen = 0
    with project.read() as tx:
        for cls in ENTITY_TYPES:
            table = schema.TABLES[cls]
            query = select(table).where(table.c.deleted == 0).order_by(table.c.id)
            by_name = [from_row(cls, row) for row in tx.conn.execute(query).mappings()]
            assert tx.list(cls, order_by=("id",)) == by_name, cls.__name__
            seen += len(by_name)
    return seen


def test_lists_match_rows_by_name(demo_path: Path) -> None:
    project = Project.open(demo_path)
    try:
        assert check(project) > 100
    finally:
        project.close(discard_unsaved=True)


def test_lists_match_on_a_migrated_file(tmp_path: Path) -> None:
    project = Project.open(copy_v2(tmp_path / "Old.ldpm"))
    try:
        assert check(project) > 100
    finally:
        project.close(discard_unsaved=True)
