"""The demo workspace: the brief's scenario, written into a real, sealed project file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from ldpm import paths
from ldpm.domain.entities import (
    ENTITY_TYPES,
    Conflict,
    Device,
    Initiative,
    KeyResult,
    Measurement,
    Metric,
    Segment,
    Story,
)
from ldpm.domain.enums import Stage
from ldpm.domain.metrics import metrics_health
from ldpm.domain.problem import check_problem_statement
from ldpm.domain.ranking import is_valid_rank, spread_ranks
from ldpm.persistence.codecs import from_row
from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import inspect_file
from ldpm.persistence.schema import TABLES
from ldpm.services import project as project_service
from ldpm.services.content import FORMAT, load
from ldpm.services.dataset import DataError
from ldpm.services.demo import DEMO_RESOURCE, demo_document, populate_demo
from ldpm.services.project import Project


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
    assert len({r["sourcing"] for r in rows}) == 5  # build, curate, SME-led, buy, not training
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


# ------------------------------------------------------------------ the demo as data


def test_key_results_show_their_metric_and_its_latest_measurement(
    con: sqlite3.Connection,
) -> None:
    rows = con.execute(
        """
        SELECT k.title, k.unit, k.baseline, k.target, k.current,
               m.unit AS m_unit, m.baseline AS m_baseline, m.target AS m_target,
               (SELECT x.value FROM measurement x WHERE x.metric_id = m.id AND x.segment = ''
                ORDER BY x."on" DESC LIMIT 1) AS latest
        FROM key_result k JOIN metric m ON m.id = k.metric_id
        """
    ).fetchall()
    assert len(rows) == 3
    for r in rows:
        assert (r["unit"], r["baseline"], r["target"]) == (
            r["m_unit"],
            r["m_baseline"],
            r["m_target"],
        ), r["title"]
        assert r["current"] == r["latest"], r["title"]


def test_the_demo_is_package_data_in_the_current_format() -> None:
    resource = resources.files("ldpm.resources").joinpath(DEMO_RESOURCE)
    assert resource.is_file()
    document = demo_document()
    assert document["format"] == FORMAT
    assert "initiative" in document["records"]


def test_ldpm_demo_opens_the_demo_project(ldpm_home: Path) -> None:
    """What ``ldpm --demo`` does: write the demo into the data folder once, then open it."""
    path = project_service.demo_file()
    assert path == paths.demo_path()
    assert ldpm_home in path.parents
    first = inspect_file(path)
    assert first is not None
    project = Project.open(path)
    try:
        assert project.workspace().name == "Northwind Engineering"
        with project.read() as tx:
            names = [i.name for i in tx.list(Initiative)]
            measurements = tx.count(Measurement)
    finally:
        project.close()
    assert names == [
        "Incident hand-offs",
        "Secure coding nudges",
        "Manager onboarding",
        "Sales demo certification",
        "Public speaking course for all engineers",
        "Git basics for the support team",
        "Kubernetes fundamentals",
    ]
    assert measurements >= 100
    again = project_service.demo_file()  # the user's copy is kept …
    assert inspect_file(again) == first
    reset = inspect_file(project_service.demo_file(reset=True))  # … until asked to reset
    assert reset is not None and reset.project_uuid != first.project_uuid


def test_a_document_builds_nested_ranked_and_referenced_records() -> None:
    document = {
        "format": FORMAT,
        "seed": 7,
        "workspace": {"name": "Acme", "organisation": "Acme Ltd"},
        "records": {
            "person": [{"@key": "ann", "name": "Ann Lee", "role": "Sponsor"}],
            "initiative": [
                {
                    "@key": "a",
                    "name": "A",
                    "sponsor": "@person:ann.name",
                    "stage": "pilot",
                    "requested_on": "2026-01-05",
                    "problem_baseline": 3,
                    "segment": [{"name": "S1"}, {"name": "S2", "size": 4}, {"name": "S3"}],
                    "metric": [
                        {
                            "@key": "m",
                            "name": "M",
                            "baseline": 1,
                            "series": [
                                {
                                    "@key": "m-latest",
                                    "start": "2026-01-05",
                                    "count": 4,
                                    "trend": [["2026-01-05", 1], ["2026-01-26", 4]],
                                    "notes": {"2026-01-12": "Launched."},
                                },
                                {
                                    "segment": "S2",
                                    "start": "2026-01-05",
                                    "step": 14,
                                    "count": 4,
                                    "increments": [[2, 1, 1], [2, 3, 3]],
                                    "digits": 0,
                                },
                            ],
                        }
                    ],
                    "objective": [
                        {
                            "title": "O",
                            "key_result": [
                                {
                                    "title": "K",
                                    "metric_id": "@metric:m",
                                    "baseline": "@metric:m.baseline",
                                    "current": "@measurement:m-latest.value",
                                }
                            ],
                        }
                    ],
                    "story": [{"title": "@@handoff is a chat command", "kind": "quote"}],
                },
                {"name": "B", "archived": True},
            ],
            "item_sme": [],
        },
    }
    content = load(document)
    assert content.workspace == {"name": "Acme", "organisation": "Acme Ltd"}
    batch = content.batch
    a, b = batch.of(Initiative)
    assert (a.sponsor, a.stage, a.requested_on) == ("Ann Lee", Stage.PILOT, date(2026, 1, 5))
    assert a.problem_baseline == 3.0 and isinstance(a.problem_baseline, float)
    assert [a.rank, b.rank] == spread_ranks(2) and b.archived
    segments = batch.of(Segment)
    assert [s.rank for s in segments] == spread_ranks(3)
    assert {s.initiative_id for s in segments} == {a.id}
    (metric,) = batch.of(Metric)
    measurements = batch.of(Measurement)
    assert {m.metric_id for m in measurements} == {metric.id}
    assert [(m.on.day, m.value, m.segment, m.note) for m in measurements] == [
        (5, 1.0, "", ""),
        (12, 2.0, "", "Launched."),
        (19, 3.0, "", ""),
        (26, 4.0, "", ""),
        (5, 1.0, "S2", ""),
        (19, 2.0, "S2", ""),
        (2, 5.0, "S2", ""),
        (16, 8.0, "S2", ""),
    ]
    (key_result,) = batch.of(KeyResult)
    assert (key_result.metric_id, key_result.baseline, key_result.current) == (
        metric.id,
        1.0,
        4.0,
    )
    (story,) = batch.of(Story)
    assert story.title == "@handoff is a chat command"
    assert story.initiative_id == a.id
    again = load(document).batch
    assert again.of(Initiative)[0].id != a.id  # new ids, same content
    assert [m.value for m in again.of(Measurement)] == [m.value for m in measurements]


def _main_record(document: dict[str, Any]) -> dict[str, Any]:
    main: dict[str, Any] = document["records"]["initiative"][0]
    assert main["@key"] == "handoffs"
    return main


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change to the demo document: ``path`` is keys and list indexes from the main
    initiative (``"objective.0.key_result.1.metric_id"``), or from the records with ``/``."""

    def change(document: dict[str, Any]) -> None:
        node: Any = document["records"] if path.startswith("/") else _main_record(document)
        *steps, last = path.lstrip("/").split(".")
        for step in steps:
            node = node[int(step)] if isinstance(node, list) else node[step]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


MAIN = 'demo/northwind.json: initiative #1 "handoffs"'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            _set("objective.0.key_result.1.metric_id", "@metric:uage"),
            f'{MAIN} › objective #1 › key_result #2: metric_id: no metric with key "uage"',
            id="unknown reference",
        ),
        pytest.param(
            _set("story.1.experiment_id", "@metric:usage"),
            f"{MAIN} › story #2: experiment_id takes '@experiment:key', not @metric:usage",
            id="reference to the wrong type",
        ),
        pytest.param(
            _set("experiment.0.metric_id", "3f2a9c"),
            f'{MAIN} › experiment #1 "trojan_mouse": metric_id: give a reference, '
            "e.g. '@metric:key'",
            id="a literal id",
        ),
        pytest.param(
            _set("owner", "@person:maya"),
            f"{MAIN}: owner: @person:maya is an id; owner takes a value, e.g. '@person:maya.name'",
            id="an id where a value belongs",
        ),
        pytest.param(
            _set("objective.0.key_result.0.unit", "@metric:errors.units"),
            f"{MAIN} › objective #1 › key_result #1: unit: a metric has no field units",
            id="reference to a field that does not exist",
        ),
        pytest.param(
            _set("/person.0.nmae", "Daniel"),
            'demo/northwind.json: person #1 "daniel": no field nmae (fields: name, role, ',
            id="misspelt field",
        ),
        pytest.param(
            _set("stage", "build"),
            f"{MAIN}: stage: 'build' is not one of 'discover', ",
            id="enum value",
        ),
        pytest.param(
            _set("requested_on", "2026-02-30"),
            f"{MAIN}: requested_on: '2026-02-30' is not a date (YYYY-MM-DD)",
            id="date",
        ),
        pytest.param(
            _set("segment.0.size", "38"),
            f"{MAIN} › segment #1: size: '38' should be a whole number",
            id="type",
        ),
        pytest.param(
            _set("stakeholder.1.power", 11),
            f"{MAIN} › stakeholder #2: power: The power must be between 1 and 10.",
            id="a rule of the entity",
        ),
        pytest.param(
            _set("stakeholder.1.assessment.0", {"power": 3}),
            f"{MAIN} › stakeholder #2 › assessment #1: missing field on",
            id="required field",
        ),
        pytest.param(
            _set("segment.0.rank", "A"),
            f"{MAIN} › segment #1: rank: ranks follow the list order; leave it out",
            id="rank",
        ),
        pytest.param(
            _set("/person.1.@key", "daniel"),
            'demo/northwind.json: person #2 "daniel": another person is also "@key": "daniel"',
            id="duplicate key",
        ),
        pytest.param(
            _set("/person.0.segment", [{"name": "x"}]),
            'demo/northwind.json: person #1 "daniel" › segment: a segment cannot be listed in '
            "a person",
            id="child in the wrong parent",
        ),
        pytest.param(
            _set("/backlog_itme", []),
            "demo/northwind.json: backlog_itme: no such record type (types: initiative, ",
            id="unknown type",
        ),
        pytest.param(
            _set("metric.0.series.0.notes", {"2026-03-17": "A Tuesday"}),
            f'{MAIN} › metric #1 "errors" › series #1: a note\'s date is not one of the '
            "series' dates",
            id="note off the series",
        ),
        pytest.param(
            _set("metric.0.series.0.start", None),
            f'{MAIN} › metric #1 "errors" › series #1: None is not a date (YYYY-MM-DD)',
            id="series without a start",
        ),
        pytest.param(
            _set("metric.1.series.0.increments", [[3, 5, 9]]),
            f'{MAIN} › metric #2 "mttr" › series #1: a series needs either a trend or increments',
            id="series with a trend and increments",
        ),
    ],
)
def test_a_wrong_record_is_named(change: Callable[[dict[str, Any]], None], message: str) -> None:
    document = demo_document()
    load(document)  # as shipped, it loads
    change(document)
    with pytest.raises(DataError) as caught:
        load(document, name=DEMO_RESOURCE)
    assert str(caught.value).startswith(message)
