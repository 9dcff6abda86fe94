"""The one file of schema version 2 the upgrade tests start from: the demo project as LDPM
wrote it before triage, the plan, metrics, external ids and the stakeholder map's fields
(``tests/data/northwind-v2.ldpm``; it holds every kind of row that version had).

It was written by ``ldpm new northwind-v2.ldpm --demo`` with the code of schema version 2
(any commit before migration 0003, e.g. 51a8f5d). Tests copy it before opening it, and find
its rows by name."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

V2_DEMO = Path(__file__).resolve().parents[1] / "data" / "northwind-v2.ldpm"


def copy_v2(target: Path) -> Path:
    """A copy of the version-2 demo at ``target`` (the fixture itself is never opened)."""
    shutil.copyfile(V2_DEMO, target)
    return target


def v2_id(table: str, column: str, value: str) -> str:
    """The id of the one row of ``table`` whose ``column`` is ``value`` in the fixture."""
    con = sqlite3.connect(f"file:{V2_DEMO}?mode=ro", uri=True)
    try:
        rows = con.execute(f'SELECT id FROM "{table}" WHERE "{column}" = ?', (value,)).fetchall()
    finally:
        con.close()
    assert len(rows) == 1, (table, column, value, len(rows))
    return str(rows[0][0])
