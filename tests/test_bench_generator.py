"""The benchmark workspace generator, at a small scale (no timing: benchmarks print figures)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.generate import WORKSPACE_NAME, generate
from ldpm.domain.ranking import is_valid_rank
from ldpm.persistence.fileformat import inspect_file

SMALL = {"initiatives": 3, "items": 50, "stakeholders": 20, "metrics": 4, "measurements": 200}


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, int]]:
    # Keep anything that might consult the app's folders inside the test's own directory.
    monkeypatch.setenv("LDPM_HOME", str(tmp_path / "home"))
    path = tmp_path / "small.ldpm"
    return path, generate(path, **SMALL)


def _count(con: sqlite3.Connection, table: str) -> int:
    return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_counts_match_the_file_and_the_request(small: tuple[Path, dict[str, int]]) -> None:
    path, counts = small
    con = sqlite3.connect(path)
    try:
        for table, expected in counts.items():
            assert _count(con, table) == expected, table
        assert counts["workspace"] == 1
        assert counts["initiative"] == 3
        assert counts["backlog_item"] == 50
        assert counts["stakeholder"] == 20
        assert counts["metric"] == 4
        assert counts["measurement"] == 200
        for table in ("segment", "release", "objective", "key_result", "person"):
            assert counts[table] > 0, table
        for table in ("experiment", "story"):
            assert counts[table] >= 3, table
        # Some people are stakeholders in more than one initiative.
        people = con.execute("SELECT count(DISTINCT person_id) FROM stakeholder").fetchone()[0]
        assert people == counts["person"] < counts["stakeholder"]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT name FROM workspace").fetchone()[0] == WORKSPACE_NAME
    finally:
        con.close()


def test_the_app_accepts_the_file(small: tuple[Path, dict[str, int]]) -> None:
    path, _counts = small
    info = inspect_file(path)
    assert info is not None
    assert info.size == path.stat().st_size


def test_ranks_are_unique_and_ordered_per_initiative(small: tuple[Path, dict[str, int]]) -> None:
    path, _counts = small
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT initiative_id, rank FROM backlog_item ORDER BY rowid"
        ).fetchall()
    finally:
        con.close()
    by_initiative: dict[str, list[str]] = {}
    for initiative, rank in rows:
        by_initiative.setdefault(initiative, []).append(rank)
    assert len(by_initiative) == 3
    for ranks in by_initiative.values():
        assert ranks == sorted(set(ranks))


def test_same_seed_same_content(tmp_path: Path) -> None:
    def content(path: Path) -> list[tuple[object, ...]]:
        con = sqlite3.connect(path)
        try:
            return (
                con.execute(
                    "SELECT id, title, rank, release_id, effort FROM backlog_item ORDER BY id"
                ).fetchall()
                + con.execute(
                    'SELECT id, metric_id, "on", value FROM measurement ORDER BY id'
                ).fetchall()
            )
        finally:
            con.close()

    small = {**SMALL, "measurements": 20}
    generate(tmp_path / "a.ldpm", seed=7, **small)
    generate(tmp_path / "b.ldpm", seed=7, **small)
    generate(tmp_path / "c.ldpm", seed=8, **small)
    assert content(tmp_path / "a.ldpm") == content(tmp_path / "b.ldpm")
    assert content(tmp_path / "a.ldpm") != content(tmp_path / "c.ldpm")


def test_every_ranked_list_is_in_order(small: tuple[Path, dict[str, int]]) -> None:
    """Ranks come from list order (``set_ranks``): per parent, insertion order is rank order."""
    path, _counts = small
    con = sqlite3.connect(path)
    try:
        for table, parent in (
            ("initiative", None),
            ("segment", "initiative_id"),
            ("release", "initiative_id"),
            ("objective", "initiative_id"),
            ("key_result", "objective_id"),
        ):
            group = parent or "''"
            rows = con.execute(f"SELECT {group}, rank FROM {table} ORDER BY rowid").fetchall()
            by_parent: dict[str, list[str]] = {}
            for key, rank in rows:
                by_parent.setdefault(key, []).append(rank)
            assert by_parent, table
            for ranks in by_parent.values():
                assert ranks == sorted(set(ranks)), table
                assert all(is_valid_rank(r) for r in ranks), table
    finally:
        con.close()


def test_measurements_drift_from_baseline_to_target(small: tuple[Path, dict[str, int]]) -> None:
    path, _counts = small
    con = sqlite3.connect(path)
    try:
        metrics = con.execute("SELECT id, baseline, target FROM metric").fetchall()
        for metric_id, baseline, target in metrics:
            values = [
                v
                for (v,) in con.execute(
                    'SELECT value FROM measurement WHERE metric_id = ? ORDER BY "on", rowid',
                    (metric_id,),
                )
            ]
            assert len(values) >= 20
            quarter = len(values) // 4
            early = sum(values[:quarter]) / quarter
            late = sum(values[-quarter:]) / quarter
            assert abs(late - target) < abs(early - target), metric_id
            assert abs(early - baseline) < abs(early - target), metric_id
    finally:
        con.close()
