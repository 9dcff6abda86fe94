"""``ldpm import`` and ``ldpm export`` as real processes: the bad rows listed and a non-zero
exit with nothing written; a clean import saved into the file; exports that read back."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]

from tests.cli.test_cli import ldpm

DATA = Path(__file__).resolve().parent.parent / "data"


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0])
    finally:
        con.close()


def test_import_rejects_bad_rows_then_imports_what_it_is_told(tmp_path: Path) -> None:
    home = tmp_path / "h"
    project = tmp_path / "Demo.ldpm"
    assert ldpm("new", str(project), "--demo", home=home).returncode == 0
    items = count(project, "backlog_item")
    before = project.read_bytes()

    result = ldpm(
        "import", str(project), str(DATA / "jira-all-fields.csv"),
        "--kind", "items", "--initiative", "incident hand-offs", home=home,
    )  # fmt: skip
    assert result.returncode == 1
    assert "2 bad rows; nothing was imported." in result.stderr
    assert "  Row 6: It has no title in “Summary”." in result.stderr
    assert "  Row 7: “eight” in “Custom field (Story Points)” is not a whole number." in (
        result.stderr
    )
    assert project.read_bytes() == before  # not even opened for writing

    fixed = tmp_path / "jira.csv"
    text = (DATA / "jira-all-fields.csv").read_text("utf-8").replace(",eight,", ",8,")
    fixed.write_text(text.replace("\n,OPS-105,", "\nRetro template,OPS-105,"), "utf-8")
    result = ldpm(
        "import", str(project), str(fixed), "--kind", "items", "--initiative",
        "Incident hand-offs", "--map", "Priority=ignore", "--set", "Kind=Content", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Imported “jira.csv”: 6 new, 0 changed, 0 unchanged." in result.stdout
    assert count(project, "backlog_item") == items + 6
    assert count(project, "external_ref") == 13 + 6  # the demo's HR ids and the Jira keys

    # The same again: updates, no duplicates (the mapping was remembered).
    result = ldpm(
        "import", str(project), str(fixed), "--kind", "items", "--initiative",
        "Incident hand-offs", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 new, 0 changed, 6 unchanged" in result.stdout
    assert count(project, "backlog_item") == items + 6


def test_import_usage_and_file_problems(tmp_path: Path) -> None:
    home = tmp_path / "h"
    project = tmp_path / "Demo.ldpm"
    assert ldpm("new", str(project), "--demo", home=home).returncode == 0
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = ldpm(
        "import", str(project), str(empty), "--kind", "items", "--initiative", "x", home=home
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"{empty}: “empty.csv” is empty: it has no rows to import."
    result = ldpm(
        "import", str(project), str(DATA / "jira-all-fields.csv"), "--kind", "items",
        "--initiative", "Nope", home=home,
    )  # fmt: skip
    assert result.returncode == 2
    assert "There is no initiative called “Nope”" in result.stderr
    result = ldpm("import", str(project), str(empty), "--kind", "items", home=home)
    assert result.returncode == 2 and "needs --initiative" in result.stderr
    result = ldpm(
        "import", str(project), str(DATA / "protected.xlsx"), "--kind", "people", home=home
    )
    assert result.returncode == 1 and "is protected with a password" in result.stderr


def test_check_only_and_export(tmp_path: Path) -> None:
    home = tmp_path / "h"
    project = tmp_path / "Demo.ldpm"
    assert ldpm("new", str(project), "--demo", home=home).returncode == 0
    out = tmp_path / "stakeholders.csv"
    result = ldpm(
        "export", str(project), str(out), "--kind", "stakeholders", "--initiative",
        "Incident hand-offs", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert result.stdout.strip() == f"{out}: {len(rows) - 1} rows written"  # one per stakeholder
    assert len(rows) > 5
    assert rows[0][:2] == ["LDPM ID", "Name"] and "Private notes" not in rows[0]
    book = tmp_path / "measurements.xlsx"
    result = ldpm(
        "export", str(project), str(book), "--kind", "measurements", "--initiative",
        "Incident hand-offs", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(book).active.max_row > 100
    result = ldpm(
        "import", str(project), str(out), "--kind", "people", "--initiative",
        "Incident hand-offs", "--check", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    exported = len(rows) - 1
    assert f"OK — 0 new people, {exported} unchanged. Nothing was written (--check)." in (
        result.stdout
    )
