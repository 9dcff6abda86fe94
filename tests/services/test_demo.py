"""The demo workspace: the brief's scenario, written into a real, sealed project file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldpm.domain.entities import ENTITY_TYPES, Conflict, Device, Initiative, Metric
from ldpm.domain.metrics import metrics_health
from ldpm.domain.problem import check_problem_statement
from ldpm.domain.ranking import is_valid_rank
from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import inspect_file
from ldpm.persistence.schema import TABLES
from ldpm.persistence.store import from_row
from ldpm.services.demo import populate_demo


def _build(tmp_path: Path, name: str = "demo.ldpm") -> Path:
    path = tmp_path / name
    create_file(
        path,
        root=tmp_path / "work",
        device="ab12cd34ef56ab78",
        name="Demo",
        populate=populate_demo,
    )
    return path


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def con(demo_file: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        yield connection
    finally:
        connection.close()


def _main(con: sqlite3.Connection) -> Initiative:
    row = con.execute("SELECT * FROM initiative WHERE name = 'Incident hand-offs'").fetchone()
    assert row is not None
    return from_row(Initiative, dict(row))


def test_the_file_is_a_valid_sealed_project(demo_file: Path) -> None:
    info = inspect_file(demo_file)
    assert info is not None
    assert info.project_uuid


def test_every_entity_table_has_rows(con: sqlite3.Connection) -> None:
    for cls in ENTITY_TYPES:
        if cls in (Conflict, Device):
            continue  # written by sync, empty in a fresh project
        table = TABLES[cls].name
        count = con.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
        assert count > 0, table


def test_workspace_is_named(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT name, organisation, description FROM workspace").fetchall()
    assert len(rows) == 1
    assert tuple(rows[0])[:2] == ("Northwind Engineering", "Northwind Systems")
    assert rows[0]["description"]


def test_main_initiative_has_a_measurable_problem_statement(con: sqlite3.Connection) -> None:
    main = _main(con)
    assert main.stage.value == "build_mvp"
    assert main.request and main.requested_by and main.requested_on
    for name in (
        "intake_problem",
        "intake_who",
        "intake_optimal",
        "intake_measure",
        "intake_exemplars",
        "intake_form",
        "audience",
        "outcome",
    ):
        assert getattr(main, name).strip(), name
    check = check_problem_statement(main)
    assert check.measurable, check.summary()
    assert main.problem_unit


def test_exactly_one_mvp_release_for_the_main_initiative(con: sqlite3.Connection) -> None:
    main = _main(con)
    mvps = con.execute(
        "SELECT name FROM release WHERE initiative_id = ? AND is_mvp = 1", (main.id,)
    ).fetchall()
    assert [r["name"] for r in mvps] == ["MVP — hand-off kit"]
    releases = con.execute(
        "SELECT count(*) FROM release WHERE initiative_id = ?", (main.id,)
    ).fetchone()[0]
    assert releases == 3


def test_main_backlog_is_varied_and_ranked(con: sqlite3.Connection) -> None:
    main = _main(con)
    rows = con.execute(
        "SELECT * FROM backlog_item WHERE initiative_id = ? ORDER BY rank", (main.id,)
    ).fetchall()
    assert len(rows) >= 12
    assert len({r["kind"] for r in rows}) >= 6
    assert len({r["sourcing"] for r in rows}) == 4
    assert len({r["rank"] for r in rows}) == len(rows)
    assert "non_training_fix" in {r["kind"] for r in rows}
    smes = con.execute(
        "SELECT DISTINCT p.name FROM item_sme s JOIN person p ON p.id = s.person_id"
    ).fetchall()
    assert {"Tomás Reyes", "Aisha Karimi"} <= {r["name"] for r in smes}


def test_all_ranks_are_valid(con: sqlite3.Connection) -> None:
    for cls in ENTITY_TYPES:
        table = TABLES[cls]
        if "rank" not in table.c:
            continue
        for (rank,) in con.execute(f"SELECT rank FROM {table.name}"):
            assert is_valid_rank(rank), (table.name, rank)


def test_ops_director_moved_over_time(con: sqlite3.Connection) -> None:
    rows = con.execute(
        """
        SELECT a.support, a.engagement, a.interest, st.support AS now_support,
               st.power AS power
        FROM assessment a
        JOIN stakeholder st ON st.id = a.stakeholder_id
        JOIN person p ON p.id = st.person_id
        WHERE p.role = 'Operations Director'
        ORDER BY a."on"
        """
    ).fetchall()
    assert len(rows) >= 2
    first, last = rows[0], rows[-1]
    assert (first["support"], first["engagement"], first["interest"]) != (
        last["support"],
        last["engagement"],
        last["interest"],
    )
    assert last["support"] == last["now_support"] == "sceptic"
    assert last["power"] >= 8


def test_metrics_show_impact_not_only_vanity(con: sqlite3.Connection) -> None:
    main = _main(con)
    rows = con.execute("SELECT * FROM metric WHERE initiative_id = ?", (main.id,)).fetchall()
    metrics = [from_row(Metric, dict(r)) for r in rows]
    tiers = {m.tier.value for m in metrics}
    assert {"operational", "behaviour", "business"} <= tiers
    assert metrics_health(metrics) == []
    linked = con.execute("SELECT count(*) FROM key_result WHERE metric_id IS NOT NULL").fetchone()[
        0
    ]
    assert linked >= 3


def test_measurements_are_plenty_and_deterministic(
    tmp_path: Path, con: sqlite3.Connection
) -> None:
    query = (
        'SELECT m.name, x."on", x.segment, x.value FROM measurement x '
        "JOIN metric m ON m.id = x.metric_id ORDER BY 1, 2, 3"
    )
    first = [tuple(r) for r in con.execute(query)]
    assert len(first) >= 100
    other = sqlite3.connect(f"file:{_build(tmp_path, 'again.ldpm')}?mode=ro", uri=True)
    try:
        second = [tuple(r) for r in other.execute(query)]
    finally:
        other.close()
    assert first == second


def test_experiment_and_stories(con: sqlite3.Connection) -> None:
    main = _main(con)
    exp = con.execute("SELECT * FROM experiment WHERE initiative_id = ?", (main.id,)).fetchone()
    assert exp["decision"] == "amplify"
    assert exp["metric_id"] and exp["result"] and exp["pass_criterion"]
    assert exp["start"] < exp["end"]
    kinds = {
        r["kind"]
        for r in con.execute("SELECT kind FROM story WHERE initiative_id = ?", (main.id,))
    }
    assert kinds == {"success", "non_success", "quote"}


def test_portfolio_has_other_stages_and_an_archived_initiative(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT name, stage, archived, root_cause, routed_to FROM initiative")
    by_name = {r["name"]: r for r in rows}
    assert len(by_name) >= 5
    assert len({r["stage"] for r in by_name.values()}) >= 5
    assert sum(r["archived"] for r in by_name.values()) == 1
    sales = by_name["Sales demo certification"]
    assert sales["root_cause"] == "incentives" and sales["routed_to"]
