"""Schema 8 (migration 0008): the covering index that reads a metric's lines.

A file of schema 7 opens, is upgraded and reads the same lines, now from the index alone; the
saved file still says that schema 7 can read it; a new file and a migrated one have the same
index; and the query the metrics service sends is answered by the index without a sort."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from ldpm.domain.entities import Measurement
from ldpm.domain.impact import Line
from ldpm.persistence import database
from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import MIN_READER_VERSION, SCHEMA_VERSION, inspect_file
from ldpm.services import metrics
from ldpm.services.commands import execute
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from tests.persistence.badfiles import reseal

DEVICE = "d" * 16


def _indexes(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT name FROM pragma_index_list('measurement')").fetchall()
    finally:
        con.close()
    return {str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_autoindex")}


def _as_schema_7(path: Path) -> None:
    """Turn a file this version wrote back into what schema 7 wrote: the metric's own index
    instead of the covering one, version 7 throughout, sealed again."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("DROP INDEX ix_measurement_lines")
            con.execute("CREATE INDEX ix_measurement_metric_id ON measurement (metric_id)")
            con.execute("UPDATE alembic_version SET version_num = '0005'")
            con.execute("UPDATE meta SET value = '7' WHERE key = 'format_version'")
            con.execute("PRAGMA user_version = 7")
    finally:
        con.close()
    reseal(path)


def _all_lines(project: Project) -> dict[str, dict[str, Line]]:
    with project.read() as tx:
        ids = sorted({m.metric_id for m in tx.list(Measurement)})
    return {i: metrics.metric_lines(project, i) for i in ids}


def _plan(project: Project, metric_id: str) -> str:
    """The query plan of the query ``metrics._lines`` sends (as SQLite saw it)."""
    sent: list[str] = []
    with project.read() as tx:
        con = tx.conn.connection.driver_connection
        assert isinstance(con, sqlite3.Connection)
        con.set_trace_callback(sent.append)
        try:
            metrics._lines(tx, metric_id)
        finally:
            con.set_trace_callback(None)
        [sql] = [s for s in sent if "FROM measurement" in s]
        return " | ".join(str(r[-1]) for r in con.execute("EXPLAIN QUERY PLAN " + sql))


def test_a_schema_7_file_opens_upgrades_and_reads_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "Northwind.ldpm"
    create_file(path, root=tmp_path / "w", device=DEVICE, name="Northwind", populate=populate_demo)
    fresh = Project.open(path)
    try:
        expected = _all_lines(fresh)
    finally:
        fresh.close()
    assert sum(len(line) for by in expected.values() for line in by.values()) > 100
    _as_schema_7(path)
    info = inspect_file(path)
    assert info is not None and info.schema_version == 7
    assert _indexes(path) == {"ix_measurement_metric_id"}

    project = Project.open(path)
    try:
        working = project.document.working_path
        assert _indexes(working) == {"ix_measurement_lines"}  # it serves the metric's key too
        con = sqlite3.connect(working)
        try:
            version = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            con.close()
        assert version == database.HEAD_REVISION == "0008"
        assert _all_lines(project) == expected
        metric_id = next(iter(expected))
        plan = _plan(project, metric_id)
        assert "COVERING INDEX ix_measurement_lines" in plan and "TEMP B-TREE" not in plan
        project.save()
    finally:
        project.close()
    saved = inspect_file(path)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION == 8
    con = sqlite3.connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    # Only an index was added: schema 7 still reads the file (and keeps the index).
    assert meta["min_reader_version"] == str(MIN_READER_VERSION) == "7"


def test_a_new_file_reads_lines_from_the_index_without_sorting(tmp_path: Path) -> None:
    path = tmp_path / "New.ldpm"
    create_file(path, root=tmp_path / "w", device=DEVICE, name="New", populate=populate_demo)
    assert _indexes(path) == {"ix_measurement_lines"}
    project = Project.open(path)
    try:
        lines = _all_lines(project)
        metric_id = max(lines, key=lambda i: sum(len(x) for x in lines[i].values()))
        plan = _plan(project, metric_id)
        assert "COVERING INDEX ix_measurement_lines" in plan and "TEMP B-TREE" not in plan
        # The order the index gives is the order the lines need: by segment, then day.
        for segment, line in lines[metric_id].items():
            assert list(line.days) == sorted(line.days), segment
        later = date(2030, 1, 1)
        rows = [(later - timedelta(days=k), float(k), "Z segment", "") for k in range(5)]
        execute(project, metrics.add_measurements(metric_id, rows))
        assert list(metrics.metric_lines(project, metric_id)["Z segment"].values) == [
            4.0,
            3.0,
            2.0,
            1.0,
            0.0,
        ]
    finally:
        project.close(discard_unsaved=True)
