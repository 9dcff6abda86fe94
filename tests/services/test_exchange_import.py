"""Importing on real project files: the fixtures that mimic a Jira export, a German Excel CSV
and an HR workbook; bad rows by number before anything is written; one transaction and one
undo step; re-imports that update; remembered mappings; cancel leaves nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, TypeVar

import pytest

from ldpm.cancel import Cancelled
from ldpm.domain.entities import (
    BacklogItem,
    Entity,
    ExternalRef,
    Measurement,
    Metric,
    Person,
    Release,
    Stakeholder,
)
from ldpm.domain.enums import ItemStatus, StakeholderKind
from ldpm.services import exchange as svc
from ldpm.services import initiatives
from ldpm.services.commands import execute
from ldpm.services.jobs import Progress
from ldpm.services.project import Project

DATA = Path(__file__).resolve().parent.parent / "data"


def new_initiative(project: Project, name: str = "Incident hand-offs") -> str:
    command = initiatives.add_initiative(project, name)
    execute(project, command)
    return command.entity.id


E = TypeVar("E", bound=Entity)


def live(project: Project, kind: type[E], **where: Any) -> list[E]:
    with project.read() as tx:
        return tx.list(kind, where=where or None)


@pytest.fixture
def initiative(project: Project) -> str:
    return new_initiative(project)


# ---------------------------------------------------------------------------- backlog items


def test_jira_export_bad_rows_by_number_and_nothing_written(
    project: Project, initiative: str
) -> None:
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative)
    assert settings.columns == {
        "Summary": "title",
        "Issue key": "external_id",
        "Status": "status",
        "Description": "description",
        "Custom field (Story Points)": "job_size",
        "Fix Version/s": "release",
    }
    assert settings.source == "Jira"
    check = svc.check_import(project, table, settings)
    assert (check.rows, check.new, check.bad_count) == (6, 4, 2)
    assert [b.sentence for b in check.bad] == [
        "Row 6: It has no title in “Summary”.",
        "Row 7: “eight” in “Custom field (Story Points)” is not a whole number.",
    ]
    assert check.notes == ["Read as UTF-8 text with cells separated by commas."]
    with pytest.raises(svc.ImportRejected, match=r"Nothing was imported .* row 6: It has no"):
        svc.import_now(project, table, settings)
    assert live(project, BacklogItem) == []
    assert live(project, Release) == []
    assert live(project, ExternalRef) == []


def test_jira_export_imports_updates_and_undoes(project: Project, initiative: str) -> None:
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative)
    settings.skip_bad = True
    check, command = svc.import_now(project, table, settings)
    assert (check.new, check.changed, check.bad_count) == (4, 0, 2)
    assert command is not None and project.unsaved
    items = live(project, BacklogItem, initiative_id=initiative)
    assert [(i.title, i.status, i.job_size) for i in items] == [
        ("Hand-off checklist in the incident channel", ItemStatus.DONE, 3),
        ("Shadowing rotation with the on-call leads", ItemStatus.IN_PROGRESS, 5),
        ("Micro-module for new hires: your first hand-off", ItemStatus.IDEA, 2),
        ('=HYPERLINK("http://evil.example","Click")', ItemStatus.DROPPED, None),
    ]
    assert items[0].description.endswith("\nSeven points, confirm-back at the end.")
    [release] = live(project, Release, initiative_id=initiative)
    assert release.name == "MVP — hand-off kit"
    assert items[0].release_id == items[1].release_id == release.id
    assert items[2].release_id is None
    refs = {r.external_id: r.row_id for r in live(project, ExternalRef)}
    assert refs == {f"OPS-10{n}": items[n - 1].id for n in range(1, 5)}

    # The same file again: nothing new, nothing duplicated.
    again, _command = svc.import_now(
        project, svc.open_file(DATA / "jira-all-fields.csv"), settings
    )
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4)
    assert len(live(project, BacklogItem)) == 4

    # One undo step takes the whole import back; redo brings it back.
    execute(project, command, undo=True)
    assert live(project, BacklogItem) == []
    assert live(project, Release) == []
    assert live(project, ExternalRef) == []
    execute(project, command)
    assert [i.id for i in live(project, BacklogItem)] == [i.id for i in items]


def test_reimport_updates_changed_rows_and_undo_restores_them(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    first = tmp_path / "export.csv"
    first.write_text("Key,Title,Status,Effort\nA-1,Checklist,To Do,2\nA-2,Rotation,,3\n")
    table = svc.open_file(first)
    settings = svc.suggest(table, "items", initiative)
    assert settings.columns == {
        "Key": "external_id", "Title": "title", "Status": "status", "Effort": "effort"
    }  # fmt: skip
    svc.import_now(project, table, settings)
    second = tmp_path / "export (2).csv"
    second.write_text("Key,Title,Status,Effort\nA-2,Rotation,Done,3\nA-1,Checklist,To Do,2,5\n")
    table = svc.open_file(second)
    settings = svc.suggest(table, "items", initiative)
    assert settings.remembered and settings.source == "export"  # "(2)" is not a new source
    check = svc.check_import(project, table, settings)
    assert [b.sentence for b in check.bad] == [
        "Row 3: It has 1 more cell than the header has columns; a delimiter or quote may be "
        "out of place."
    ]
    second.write_text("Key,Title,Status,Effort\nA-2,Rotation,Done,3\nA-1,Checklist,To Do,2.5\n")
    check, command = svc.import_now(project, svc.open_file(second), settings)
    assert (check.new, check.changed, check.unchanged) == (0, 2, 0)
    by_title = {i.title: i for i in live(project, BacklogItem)}
    assert by_title["Rotation"].status is ItemStatus.DONE
    assert by_title["Checklist"].effort == 2.5
    assert command is not None
    execute(project, command, undo=True)
    by_title = {i.title: i for i in live(project, BacklogItem)}
    assert by_title["Rotation"].status is ItemStatus.IDEA
    assert by_title["Checklist"].effort == 2.0


def test_a_value_that_breaks_a_domain_rule_is_a_bad_row(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(
        "Title,Impact,Confidence,Value,Status,Effort (days)\n"
        "Good,high,80 %,7,Ready,1\n"  # impact in words, confidence as a percentage
        "Bad impact,4,0.5,7,Idea,1\n"
        "Bad confidence,1,150,7,Idea,1\n"
        "Bad value,1,0.5,11,Idea,1\n"
        "Bad status,1,0.5,7,Someday,1\n"
        "Bad effort,1,0.5,7,Idea,-2\n"
        "Twice,1,0.5,7,Idea,1\n"
    )
    table = svc.open_file(path)
    settings = svc.suggest(table, "items", initiative)
    check = svc.check_import(project, table, settings)
    assert [b.sentence for b in check.bad] == [
        "Row 3: 4 is not on the impact scale: use 3, 2, 1, 0.5 or 0.25.",
        "Row 4: The confidence must be between 0 and 1.",
        "Row 5: The value must be between 1 and 10.",
        "Row 6: “Someday” in “Status” is not one of the choices (Idea, Ready, In progress, "
        "Done or Dropped).",
        "Row 7: The effort must be greater than zero.",
    ]
    settings.skip_bad = True
    svc.import_now(project, table, settings)
    good = {i.title: i for i in live(project, BacklogItem)}["Good"]
    assert (good.impact, good.confidence, good.value, good.status) == (
        2.0,
        0.8,
        7,
        ItemStatus.READY,
    )


def test_settings_that_cannot_work_are_one_sentence(project: Project, initiative: str) -> None:
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative)
    settings.columns.pop("Summary")
    assert svc.check_import(project, table, settings).problem == "Map a column to Title."
    settings = svc.suggest(table, "items", None)
    assert svc.check_import(project, table, settings).problem == (
        "Choose the initiative to import the backlog items into."
    )
    settings = svc.suggest(table, "items", initiative)
    settings.source = ""
    assert "Name the source" in svc.check_import(project, table, settings).problem
    settings = svc.suggest(table, "items", initiative)
    settings.constants = {"kind": "Rocket science"}
    with pytest.raises(svc.ImportRejected, match="The value “Rocket science” for Kind is not"):
        svc.check_import(project, table, settings)


# ----------------------------------------------------------------------------- measurements


def test_german_excel_measurements(project: Project, initiative: str) -> None:
    with project.unit() as tx:
        errors = Metric(initiative_id=initiative, name="Hand-off errors per incident")
        mttr = Metric(initiative_id=initiative, name="Mean time to resolve (minutes)")
        tx.insert(errors)
        tx.insert(mttr)
    table = svc.open_file(DATA / "measurements-de.csv")
    settings = svc.suggest(table, "measurements", initiative)
    assert settings.columns == {
        "Kennzahl": "metric", "Datum": "on", "Wert": "value", "Segment": "segment",
        "Bemerkung": "note",
    }  # fmt: skip
    check = svc.check_import(project, table, settings)
    assert [b.sentence for b in check.bad] == [
        "Row 6: “n/a” in “Wert” is not a number.",
        "Row 7: “Incident hand-offs” has no metric called “Unbekannte Kennzahl”; add it first "
        "or correct the name.",
        "Row 8: “31.02.2025” in “Datum” is not a date.",
    ]
    assert check.notes == [
        "Read as Windows-1252 text with cells separated by semicolons.",
        "Numbers in “Wert” have a decimal comma (1.234,5).",
    ]
    settings.skip_bad = True
    check, _command = svc.import_now(project, table, settings)
    assert check.new == 4
    series = sorted(
        (m.on.isoformat(), m.value, m.segment, m.note)
        for m in live(project, Measurement, metric_id=errors.id)
    )
    assert series == [
        ("2025-02-03", 2.48, "", "Ausgangswert"),
        ("2025-02-10", 2.31, "Remote engineers", ""),
        ("2025-02-17", 1234.5, "", "Ausreißer? prüfen"),
    ]
    assert [m.value for m in live(project, Measurement, metric_id=mttr.id)] == [84.0]
    # The same file again updates by metric, date and segment: no duplicates.
    again, _ = svc.import_now(project, svc.open_file(DATA / "measurements-de.csv"), settings)
    assert (again.new, again.unchanged) == (0, 4)


def test_measurements_with_one_metric_for_every_row_and_american_dates(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    with project.unit() as tx:
        usage = Metric(initiative_id=initiative, name="Checklist usage")
        tx.insert(usage)
    path = tmp_path / "lms.csv"
    path.write_text("Date,Value,Note\n03/04/2025,55,\n03/11/2025,61,\n03/18/2025,64,\n")
    table = svc.open_file(path)
    settings = svc.suggest(table, "measurements", initiative)
    check = svc.check_import(project, table, settings)
    assert check.problem == "Map a column to Metric, or choose the metric every row belongs to."
    settings.constants["metric"] = "checklist USAGE"
    check = svc.check_import(project, table, settings)
    assert check.ok and check.new == 3
    assert "“Date” are month-first: “03/18/2025” says so" in check.notes[-1]
    svc.import_now(project, table, settings)
    assert sorted(m.on.isoformat() for m in live(project, Measurement)) == [
        "2025-03-04",
        "2025-03-11",
        "2025-03-18",
    ]


def test_ambiguous_dates_are_assumed_day_first_and_the_user_is_told(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    with project.unit() as tx:
        tx.insert(Metric(initiative_id=initiative, name="Usage"))
    path = tmp_path / "m.csv"
    path.write_text("Metric,Date,Value\nUsage,03/04/2025,1\nUsage,05/06/2025,2\n")
    table = svc.open_file(path)
    settings = svc.suggest(table, "measurements", initiative)
    check = svc.check_import(project, table, settings)
    assert check.notes[-1] == (
        "Dates in “Date” such as “03/04/2025” could be day-first or month-first; LDPM assumed "
        "day-first. Choose month-first if they are."
    )
    settings.dayfirst = False
    check = svc.check_import(project, table, settings)
    assert check.notes[-1] == "Dates in “Date” are read month-first, as you chose."
    svc.import_now(project, table, settings)
    assert sorted(m.on.isoformat() for m in live(project, Measurement)) == [
        "2025-03-04",
        "2025-05-06",
    ]


def test_cancel_leaves_nothing_half_imported(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    with project.unit() as tx:
        tx.insert(Metric(initiative_id=initiative, name="Usage"))
    path = tmp_path / "big.csv"
    lines = ["Metric,Date,Value"] + [f"Usage,2025-01-01,{i}" for i in range(0)]
    lines += [
        f"Usage,{2000 + i // 365}-{1 + i % 12:02d}-{1 + i % 28:02d},{i}" for i in range(12000)
    ]
    path.write_text("\n".join(lines) + "\n")
    table = svc.open_file(path)
    settings = svc.suggest(table, "measurements", initiative)
    settings.skip_bad = True  # some generated dates repeat: those rows are left out
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def report(done: int, total: int, _text: str) -> None:
        seen.append((done, total))
        if done >= 6000:  # half way through writing: after several chunks were inserted
            cancel.set()

    job = svc.ImportJob(project, table, settings)
    with pytest.raises(Cancelled):
        job.run(Progress(report, cancel))
    assert any(done >= 6000 and total == 12000 for done, total in seen)
    assert live(project, Measurement) == []
    assert live(project, ExternalRef) == []


# ------------------------------------------------------------------------------------ people


def test_hr_workbook_people_into_an_initiative(project: Project, initiative: str) -> None:
    with project.unit() as tx:  # already known: matched by e-mail, not added twice
        tx.insert(Person(name="Dan Okafor", email="Daniel.Okafor@northwind.example"))
    table = svc.open_file(DATA / "hr-stakeholders.xlsx")
    assert table.sheet == "Stakeholders"
    settings = svc.suggest(table, "people", initiative)
    assert settings.columns == {
        "Employee ID": "external_id", "First name": "first_name", "Last name": "last_name",
        "Job title": "role", "Department": "department", "Email": "email",
        "Stakeholder type": "stakeholder_kind", "Influence": "power", "Interest": "interest",
    }  # fmt: skip
    check = svc.check_import(project, table, settings)
    assert [b.sentence for b in check.bad] == [
        "Row 5: The power must be between 1 and 10.",
        "Row 6: The person needs a name.",
    ]
    settings.skip_bad = True
    check, command = svc.import_now(project, table, settings)
    assert (check.new, check.changed) == (3, 1)
    people = {p.name: p for p in live(project, Person)}
    assert set(people) == {"Daniel Okafor", "Helen Brandt", "Tomás Reyes", "Priya Nair"}
    assert people["Daniel Okafor"].role == "Head of Engineering"
    stakes = {s.person_id: s for s in live(project, Stakeholder, initiative_id=initiative)}
    assert stakes[people["Tomás Reyes"].id].kind is StakeholderKind.SME
    assert (
        stakes[people["Helen Brandt"].id].power,
        stakes[people["Helen Brandt"].id].interest,
    ) == (9, 6)
    assert command is not None
    execute(project, command, undo=True)
    assert {p.name for p in live(project, Person)} == {"Dan Okafor"}
    assert live(project, Stakeholder) == []


def test_people_without_an_initiative_and_names_in_one_column(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Full name;E-mail;Department\nAisha Karimi;aisha@x.example;Engineering\n")
    table = svc.open_file(path)
    settings = svc.suggest(table, "people", None)
    assert "stakeholder_kind" not in {
        t.key for t in svc.KINDS["people"].targets_for(initiative=False)
    }
    check, _ = svc.import_now(project, table, settings)
    assert check.new == 1
    [person] = live(project, Person)
    assert (person.name, person.department) == ("Aisha Karimi", "Engineering")
    assert live(project, Stakeholder) == []


def test_the_same_person_twice_in_a_file_is_a_bad_row(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nA One,a@x.example\nB Two,b@x.example\nA Again,A@x.example\n")
    table = svc.open_file(path)
    check = svc.check_import(project, table, svc.suggest(table, "people", initiative))
    assert [b.sentence for b in check.bad] == [
        "Row 4: It is the same person as row 2; keep one of the two rows."
    ]


def test_mapping_is_remembered_per_source(project: Project, initiative: str) -> None:
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", initiative)
    assert not settings.remembered
    settings.columns.pop("Description")
    settings.columns["Priority"] = "moscow"
    settings.constants = {"kind": "Performance support"}
    check = svc.check_import(project, table, settings)
    assert check.bad[0].sentence.startswith("Row 2: “High” in “Priority” is not one of")
    del settings.columns["Priority"]
    settings.skip_bad = True
    svc.import_now(project, table, settings)
    again = svc.suggest(svc.open_file(DATA / "jira-all-fields.csv"), "items", initiative)
    assert again.remembered
    assert again.columns == settings.columns
    assert again.constants == {"kind": "Performance support"}
    assert again.source == "Jira"
    # Another kind of import of the same file is not affected.
    assert not svc.suggest(table, "people", initiative).remembered


def test_the_kind_of_rows_is_guessed_from_the_columns() -> None:
    assert svc.guess_kind(svc.open_file(DATA / "jira-all-fields.csv")) == "items"
    assert svc.guess_kind(svc.open_file(DATA / "hr-stakeholders.xlsx")) == "people"
    assert svc.guess_kind(svc.open_file(DATA / "measurements-de.csv")) == "measurements"


def test_an_import_given_its_check_uses_the_checks_decisions(
    project: Project, initiative: str, tmp_path: Path
) -> None:
    with project.unit() as tx:
        tx.insert(Metric(initiative_id=initiative, name="Usage"))
    path = tmp_path / "m.csv"
    path.write_text("Metric;Date;Value\nUsage;03/04/2025;1,5\nUsage;05/06/2025;2\n")
    table = svc.open_file(path)
    settings = svc.suggest(table, "measurements", initiative)
    check = svc.check_import(project, table, settings)
    assert check.decimals == {"Value": ","} and check.dayfirst == {"Date": True}
    check.dayfirst = {"Date": False}  # what the check decided is what the import does …
    svc.import_now(project, table, settings, checked=check)
    assert sorted((m.on.isoformat(), m.value) for m in live(project, Measurement)) == [
        ("2025-03-04", 1.5),
        ("2025-05-06", 2.0),
    ]
    # … for that file as it was: once it changed, the import decides again (day first).
    path.write_text("Metric;Date;Value\nUsage;03/04/2025;1,5\nUsage;05/06/2025;3,25\n")
    again, _ = svc.import_now(project, svc.open_file(path), settings, checked=check)
    assert again.new == 2 and again.dayfirst == {"Date": True}
    assert ("2025-06-05", 3.25) in {
        (m.on.isoformat(), m.value) for m in live(project, Measurement)
    }
