"""Exports of the demo project, read back with openpyxl and the csv module; the round trip
import → export → import loses nothing; private notes stay out unless asked; imported rows
and their external ids survive save, reopen, an older file's upgrade and a sync."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from ldpm.domain.entities import (
    BacklogItem,
    ExternalRef,
    Initiative,
    Measurement,
    Metric,
    Person,
    Release,
    Stakeholder,
)
from ldpm.services import exchange as svc
from ldpm.services import exchange_export as export
from ldpm.services import initiatives
from ldpm.services.commands import execute
from ldpm.services.project import Project

DATA = Path(__file__).resolve().parent.parent / "data"


def handoffs(project: Project) -> Initiative:
    return next(i for i in initiatives.list_initiatives(project) if i.name == "Incident hand-offs")


def new_initiative(project: Project, name: str) -> str:
    command = initiatives.add_initiative(project, name)
    execute(project, command)
    return command.entity.id


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_xlsx(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book.active.iter_rows()]


def export_to(
    project: Project, what: str, initiative_id: str, path: Path, *, private_notes: bool = False
) -> Path:
    table = export.export_table(project, what, initiative_id, private_notes=private_notes)
    export.write_export(path, table)
    return path


def test_every_export_reads_back(demo: Project, tmp_path: Path) -> None:
    initiative = handoffs(demo)
    with demo.read() as tx:
        items = tx.list(BacklogItem, where={"initiative_id": initiative.id})
        metrics = tx.list(Metric, where={"initiative_id": initiative.id})
    for what in export.EXPORTS:
        rows = read_csv(export_to(demo, what, initiative.id, tmp_path / f"{what}.csv"))
        sheet = read_xlsx(export_to(demo, what, initiative.id, tmp_path / f"{what}.xlsx"))
        assert rows[0] == [str(v) for v in sheet[0]]
        assert len(rows) == len(sheet) > 1
    items_csv = read_csv(tmp_path / "items.csv")
    assert items_csv[0][:4] == ["LDPM ID", "Title", "Description", "Kind"]
    assert [r[0] for r in items_csv[1:]] == [i.id for i in items]  # in backlog order
    assert items_csv[1][3] == "Performance support"
    metrics_xlsx = read_xlsx(tmp_path / "metrics.xlsx")
    assert sorted(str(r[1]) for r in metrics_xlsx[1:]) == sorted(m.name for m in metrics)
    measured = read_xlsx(tmp_path / "measurements.xlsx")
    assert measured[0] == ["LDPM ID", "Metric", "Date", "Value", "Segment", "Note"]
    assert isinstance(measured[1][2], datetime) and isinstance(measured[1][3], float | int)
    book = openpyxl.load_workbook(tmp_path / "measurements.xlsx")
    assert book.active.freeze_panes == "A2"
    assert book.active.title == "Measurements"


def test_stakeholders_leave_private_notes_out_unless_asked(demo: Project, tmp_path: Path) -> None:
    initiative = handoffs(demo)
    with demo.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative.id})
        secret = next(s.private_notes for s in stakes if s.private_notes)
    plain = read_csv(export_to(demo, "stakeholders", initiative.id, tmp_path / "s.csv"))
    assert "Private notes" not in plain[0] and "Notes (private)" not in plain[0]
    assert secret not in (tmp_path / "s.csv").read_text("utf-8-sig")
    full = read_csv(
        export_to(demo, "stakeholders", initiative.id, tmp_path / "p.csv", private_notes=True)
    )
    assert {"Notes (private)", "Private notes"} <= set(full[0])
    assert secret in (tmp_path / "p.csv").read_text("utf-8-sig")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_export_import_export_is_lossless(
    demo: Project, tmp_path: Path, suffix: str
) -> None:
    source = handoffs(demo)
    copy = new_initiative(demo, "Copy of hand-offs")
    with demo.unit() as tx:  # measurements belong to metrics of the same names
        for metric in tx.list(Metric, where={"initiative_id": source.id}):
            tx.insert(Metric(initiative_id=copy, name=metric.name))
    for what, kind in (("items", "items"), ("measurements", "measurements"),
                       ("stakeholders", "people")):  # fmt: skip
        first = export_to(demo, what, source.id, tmp_path / f"{what}{suffix}", private_notes=True)
        table = svc.open_file(first)
        settings = svc.suggest(table, kind, copy)
        check, _ = svc.import_now(demo, table, settings)
        assert check.ok
        second = export_to(demo, what, copy, tmp_path / f"{what}-copy{suffix}", private_notes=True)
        before = read_csv(first) if suffix == ".csv" else read_xlsx(first)
        after = read_csv(second) if suffix == ".csv" else read_xlsx(second)
        if what == "stakeholders":  # the same people (matched by their LDPM id): equal rows
            assert check.new == 0
            assert after == before
        else:  # new rows of their own: equal but for the id
            assert check.new == len(before) - 1
            assert [r[1:] for r in after] == [r[1:] for r in before]


def test_jira_import_export_import_loses_nothing(project: Project, tmp_path: Path) -> None:
    first = new_initiative(project, "From Jira")
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", first)
    settings.skip_bad = True
    svc.import_now(project, table, settings)
    path = export_to(project, "items", first, tmp_path / "backlog.xlsx")
    second = new_initiative(project, "From the export")
    exported = svc.open_file(path)
    svc.import_now(project, exported, svc.suggest(exported, "items", second))

    def fields(initiative_id: str) -> list[dict[str, object]]:
        with project.read() as tx:
            items = tx.list(BacklogItem, where={"initiative_id": initiative_id})
            names = {r.id: r.name for r in tx.list(Release)}
        out = []
        for item in items:
            values = {k: getattr(item, k) for k in item.__dataclass_fields__}
            values["release_id"] = names.get(item.release_id or "")
            for key in ("id", "initiative_id", "rank"):
                values.pop(key)
            out.append(values)
        return out

    assert fields(second) == fields(first)
    assert fields(first)[3]["title"] == '=HYPERLINK("http://evil.example","Click")'


def test_imports_survive_save_reopen_and_sync(tmp_path: Path) -> None:
    from tests.sync.devices import SimDevice

    path = tmp_path / "Plan.ldpm"
    project = Project.create(path, name="Plan")
    initiative = new_initiative(project, "Incident hand-offs")
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative)
    settings.skip_bad = True
    svc.import_now(project, table, settings)
    project.save()
    project.close()

    reopened = Project.open(path)
    with reopened.read() as tx:
        assert tx.count(ExternalRef) == 4 and tx.count(BacklogItem) == 4
    again, _ = svc.import_now(reopened, svc.open_file(DATA / "jira-all-fields.csv"), settings)
    assert (again.new, again.unchanged) == (0, 4)
    reopened.close(discard_unsaved=True)

    # Two devices: A imports a changed export, B merges it and re-imports: no duplicates.
    a = SimDevice(tmp_path / "a", "aaaa1111", path)
    b = SimDevice(tmp_path / "b", "bbbb2222", path)
    changed = tmp_path / "jira.csv"
    changed.write_text(
        (DATA / "jira-all-fields.csv").read_text("utf-8").replace("To Do", "Done"), "utf-8"
    )
    table = svc.open_file(changed)
    with a.store.transaction() as tx:
        check, _plan = svc.run_import(tx, table, settings, write=True)
    assert (check.new, check.changed) == (0, 1)
    b.merge(a.publish(tmp_path / "shared"))
    with b.store.transaction() as tx:
        assert tx.count(ExternalRef) == 4
        check, _plan = svc.run_import(tx, table, settings, write=True)
    assert (check.new, check.changed, check.unchanged) == (0, 0, 4)
    a.merge(b.publish(tmp_path / "shared"))
    assert a.dump() == b.dump()
    a.close()
    b.close()


def make_previous_file(source: Path, target: Path) -> int:
    """A project file as the schema version before external ids wrote it (without the
    tables and columns added since); returns that version."""
    import importlib

    from ldpm.persistence.content_schema import INTRODUCED
    from ldpm.persistence.fileformat import new_placeholder, seal_file

    previous = INTRODUCED["external_ref"] - 1
    migration = "ldpm.persistence.migrations.versions.0007_external_refs"
    before_external_ids = str(importlib.import_module(migration).down_revision)
    target.write_bytes(source.read_bytes())
    placeholder = new_placeholder()
    con = sqlite3.connect(target)
    with con:
        for added in (name for name, version in INTRODUCED.items() if version > previous):
            table, _dot, column = added.partition(".")
            if column:
                con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE alembic_version SET version_num=?", (before_external_ids,))
        con.execute(
            "UPDATE meta SET value=? WHERE key IN ('format_version', 'min_reader_version')",
            (str(previous),),
        )
        con.execute("UPDATE meta SET value=? WHERE key='content_checksum'", (placeholder,))
        con.execute(f"PRAGMA user_version={previous}")
    con.close()
    seal_file(target, placeholder)
    return previous


def test_a_file_of_the_previous_version_opens_upgrades_and_keeps_its_data(
    demo_path: Path, tmp_path: Path
) -> None:
    from ldpm.persistence.fileformat import SCHEMA_VERSION, inspect_file

    old = tmp_path / "Old.ldpm"
    previous = make_previous_file(demo_path, old)
    info = inspect_file(old)
    assert info is not None and info.schema_version == previous
    project = Project.open(old)
    initiative = handoffs(project)
    with project.read() as tx:
        assert tx.count(BacklogItem) > 0 and tx.count(ExternalRef) == 0
        people = tx.count(Person)
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative.id)
    settings.skip_bad = True
    svc.import_now(project, table, settings)
    project.save()
    project.close()
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(old)
    assert con.execute("SELECT count(*) FROM external_ref").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM person").fetchone()[0] == people
    con.close()


def test_export_problems_are_sentences(demo: Project, tmp_path: Path) -> None:
    with pytest.raises(svc.ExchangeProblem, match="no longer exists"):
        export.export_table(demo, "items", "0" * 32)
    table = export.export_table(demo, "metrics", handoffs(demo).id)
    with pytest.raises(svc.ExchangeProblem, match=r"exports to CSV .* not to “\.ods”"):
        export.write_export(tmp_path / "x.ods", table)


def test_measurements_read_in_bulk_are_the_measurements(demo: Project) -> None:
    """The export reads stored values without building entities; the rows are those the
    entities give (ordered by metric name, date and segment; ties as stored)."""
    initiative = handoffs(demo)
    with demo.unit() as tx:
        metric = tx.list(Metric, where={"initiative_id": initiative.id})[0]
        tx.insert_many(
            [
                Measurement(metric_id=metric.id, on=date(2025, 1, 6), value=v, segment=s, note=n)
                for v, s, n in ((1.0, "B", ""), (2.0, "", "=1+1"), (3.0, "B", "twice"))
            ]
        )
    table = export.export_table(demo, "measurements", initiative.id)
    expected = []
    with demo.read() as tx:
        for m in tx.list(Metric, where={"initiative_id": initiative.id}, order_by=("name", "id")):
            series = tx.list(Measurement, where={"metric_id": m.id}, order_by=())
            series.sort(key=lambda x: (x.on, x.segment))
            expected += [[x.id, m.name, x.on, x.value, x.segment, x.note] for x in series]
    assert len(expected) > 3
    assert table.rows == expected
    assert all(type(r[2]) is date and type(r[3]) is float for r in table.rows)
