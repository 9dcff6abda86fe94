"""Schema 3 (migration 0004): a file written by schema 2 opens, upgrades and keeps its data; the
new fields and the metric links survive save and reopen, and travel between two devices."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

from ldpm.domain.entities import Experiment, Measurement, Metric, MetricLink, Release, Story
from ldpm.domain.enums import Cadence
from ldpm.persistence import database
from ldpm.persistence.document import create_file
from ldpm.persistence.fileformat import MIN_READER_VERSION, SCHEMA_VERSION, inspect_file
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from tests.persistence.badfiles import reseal
from tests.persistence.v2file import V2_DEMO
from tests.sync.devices import Clock, SimDevice

_OLD_TABLES = (
    "initiative", "segment", "objective", "key_result", "release", "backlog_item", "person",
    "item_sme", "stakeholder", "assessment", "interaction", "metric", "measurement",
    "experiment", "story", "workspace",
)  # fmt: skip


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in _OLD_TABLES}
    finally:
        con.close()


def test_a_schema_2_file_opens_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    old = tmp_path / "Northwind.ldpm"
    shutil.copyfile(V2_DEMO, old)
    info = inspect_file(old)
    assert info is not None and info.schema_version == 2
    before = _rows(old)
    assert len(before["measurement"]) > 100
    project = Project.open(old)
    try:
        working = project.document.working_path
        con = sqlite3.connect(working)
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert version == database.HEAD_REVISION
        # Every old row is still there, the old columns unchanged (new columns come last).
        for table, rows in before.items():
            now = con.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
            assert [r[: len(rows[0])] if rows else r for r in now] == rows, table
        assert con.execute("SELECT count(*) FROM metric_link").fetchone()[0] == 0
        con.close()
        with project.read() as tx:
            metric = tx.list(Metric)[0]
            story = tx.list(Story)[0]
            experiment = tx.list(Experiment)[0]
        assert (metric.cadence, metric.baseline_date, metric.comparison_segment) == (
            Cadence.NONE,
            None,
            "",
        )
        assert (story.who, story.release_id, story.rating) == ("", None, None)
        assert (experiment.cost, experiment.pass_value, experiment.segment) == (None, None, "")
        # The upgraded project takes the new fields and saves as schema 3.
        with project.unit() as tx:
            tx.update(Metric, metric.id, {"cadence": Cadence.WEEKLY})
            release = tx.list(Release)[0]
            tx.update(Story, story.id, {"release_id": release.id, "rating": 4})
            tx.insert(MetricLink(metric_id=metric.id, release_id=release.id))
        project.save()
    finally:
        project.close()
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(old)
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert meta["min_reader_version"] == str(MIN_READER_VERSION)  # older LDPMs refuse it
    again = Project.open(old)
    try:
        with again.read() as tx:
            assert tx.get(Metric, metric.id).cadence is Cadence.WEEKLY  # type: ignore[union-attr]
            kept = tx.get(Story, story.id)
            assert kept is not None and kept.rating == 4 and kept.release_id == release.id
            assert [link.release_id for link in tx.list(MetricLink)] == [release.id]
    finally:
        again.close()


def test_new_fields_and_links_travel_between_two_devices(tmp_path: Path) -> None:
    base = tmp_path / "Shared.ldpm"
    create_file(base, root=tmp_path / "s", device="1" * 16, name="Shared", populate=populate_demo)
    clock = Clock()
    laptop = SimDevice(tmp_path / "a", "a" * 16, base, clock)
    client = SimDevice(tmp_path / "b", "b" * 16, base, clock)
    try:
        with laptop.store.transaction() as tx:
            metric = tx.list(Metric, order_by=("name",))[0]
            story = tx.list(Story, order_by=("title",))[0]
            experiment = tx.list(Experiment, order_by=("title",))[0]
            release = tx.list(Release, order_by=("name",))[0]
        laptop.edit(
            Metric, metric.id, cadence=Cadence.MONTHLY, baseline_date=date(2026, 1, 5),
            treated_segment="Team Blue", comparison_segment="Other on-call teams",
        )  # fmt: skip
        link = MetricLink(metric_id=metric.id, release_id=release.id)
        laptop.insert(link)
        clock.tick()
        client.edit(Experiment, experiment.id, cost=2500.0, pass_value=1.8, segment="Team Blue")
        client.edit(Story, story.id, who="Lena Hoffmann", quote="“Nobody asked twice.”", rating=5)
        added = Measurement(metric_id=metric.id, on=date(2026, 10, 5), value=1.4, segment="A")
        client.insert(added)
        folder = tmp_path / "replicas"
        replicas = {d.id: d.publish(folder) for d in (laptop, client)}
        laptop.merge(replicas[client.id])
        client.merge(replicas[laptop.id])
        assert laptop.dump() == client.dump()
        for device in (laptop, client):
            m = device.get(Metric, metric.id)
            assert (m.cadence, m.baseline_date, m.treated_segment, m.comparison_segment) == (
                Cadence.MONTHLY,
                date(2026, 1, 5),
                "Team Blue",
                "Other on-call teams",
            )
            e = device.get(Experiment, experiment.id)
            assert (e.cost, e.pass_value, e.segment) == (2500.0, 1.8, "Team Blue")
            s = device.get(Story, story.id)
            assert (s.who, s.quote, s.rating) == ("Lena Hoffmann", "“Nobody asked twice.”", 5)
            assert device.alive(MetricLink, link.id)
            assert device.alive(Measurement, added.id)
            assert device.conflicts() == []
    finally:
        laptop.close()
        client.close()


# ------------------------------------------------- the new rules, found in a stored file


def _stored(demo_path: Path, *statements: str) -> list[tuple[str, str, str]]:
    """The demo with ``statements`` run on it, sealed: what inspect_file reports over limit."""
    con = sqlite3.connect(demo_path)
    with con:
        for statement in statements:
            con.execute(statement)
    con.close()
    reseal(demo_path)
    info = inspect_file(demo_path)
    assert info is not None
    return [(o.table, o.field, o.message) for o in info.over_limit]


def test_stored_rows_that_break_the_metrics_rules_are_reported(demo_path: Path) -> None:
    """The SQL forms of DifferentGroups, ExactlyOne and the plan's Ordered find what the
    rules refuse (a comparison group equal but for white space, too), and nothing else."""
    first = "(SELECT id FROM {} ORDER BY rowid LIMIT 1)"
    found = _stored(
        demo_path,
        "UPDATE metric SET treated_segment = 'Remote', comparison_segment = '\u3000Remote '"
        f" WHERE id = {first.format('metric')}",
        "UPDATE metric SET baseline_date = '2026-02-02', target_date = '2026-02-01'"
        " WHERE id = (SELECT id FROM metric ORDER BY rowid LIMIT 1 OFFSET 1)",
        "UPDATE experiment SET segment = '', comparison_segment = 'Team Blue'",  # fine
        f"UPDATE metric_link SET release_id = {first.format('release')} WHERE item_id IS NOT NULL",
    )
    links = sum(1 for t, _f, _m in found if t == "metric_link")
    assert links >= 1
    assert sorted(set(found)) == [
        ("metric", "comparison_segment", "The comparison group must differ from the group "
         "that got the change."),
        ("metric", "target_date", "The target date cannot be before the baseline date."),
        ("metric_link", "item_id", "A metric link points at one backlog item or one release."),
    ]  # fmt: skip


def test_a_schema_2_file_is_checked_without_the_columns_it_lacks(tmp_path: Path) -> None:
    """The value checks of an older file leave out the columns a later version added, and
    the rules that read them, and still find what breaks the others."""
    old = tmp_path / "Old.ldpm"
    shutil.copyfile(V2_DEMO, old)
    con = sqlite3.connect(old)
    with con:
        con.execute("UPDATE story SET title = ' ' WHERE id = (SELECT min(id) FROM story)")
        con.execute("UPDATE metric SET ltem = 9 WHERE id = (SELECT min(id) FROM metric)")
    con.close()
    reseal(old)
    info = inspect_file(old)
    assert info is not None and info.schema_version == 2
    assert sorted((o.table, o.field) for o in info.over_limit) == [
        ("metric", "ltem"),
        ("story", "title"),
    ]
