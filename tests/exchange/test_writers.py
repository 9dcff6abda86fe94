"""Writing CSV and XLSX: read back with the csv module and openpyxl; formulas neutralised; a
cancelled or failed write leaves no file."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import Cell, open_table
from ldpm.exchange.values import text_of
from ldpm.exchange.writers import (
    OutColumn,
    _csv_cell,
    column_widths,
    neutralise,
    write_csv,
    write_xlsx,
)

COLUMNS = [
    OutColumn("Title"),
    OutColumn("Date", "date"),
    OutColumn("Value", "number"),
    OutColumn("Count", "whole"),
    OutColumn("Note"),
]
ROWS: list[list[Cell]] = [
    ["Zoë's “hand-off” checklist", date(2025, 3, 14), 2.5, 3, "line one\nline two"],
    ['=HYPERLINK("http://evil.example","Click")', date(2025, 3, 21), -1.25, None, "+1 555"],
    ["@SUM(A1)", None, 1e-7, 0, "-5 days"],
    ["\tTabbed", date(2025, 12, 31), 1234567.0, 10, 'say "hi", then go'],
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1 555", "'+1 555"),
        ("-5 days", "'-5 days"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_csv_is_utf8_with_bom_rfc4180_and_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert write_csv(path, COLUMNS, ROWS) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfTitle,Date,Value,Count,Note\r\n")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == ["Title", "Date", "Value", "Count", "Note"]
    assert back[1] == [
        "Zoë's “hand-off” checklist",
        "2025-03-14",
        "2.5",
        "3",
        "line one\nline two",
    ]
    assert back[2] == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "2025-03-21",
        "-1.25",
        "",
        "'+1 555",
    ]
    assert back[3] == ["'@SUM(A1)", "", "1e-07", "0", "'-5 days"]
    assert back[4] == ["'\tTabbed", "2025-12-31", "1234567", "10", 'say "hi", then go']
    # Every text comes back unchanged through LDPM's own reader.
    table = open_table(path)
    cells = [[text_of(c) for c in r.cells] for r in table.rows()]
    assert [c[0] for c in cells] == [str(r[0]) for r in ROWS]
    assert cells[2][4] == "-5 days"


def test_xlsx_is_typed_frozen_and_sized(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, COLUMNS, ROWS, sheet="Backlog: [all]") == 4
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "Backlog   all"  # a sheet name cannot hold [ ] or :
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Title", "Date", "Value", "Count", "Note"]
    assert all(c.font.b for c in sheet[1])
    first = sheet[2]
    assert first[0].value == "Zoë's “hand-off” checklist"
    assert first[1].value == datetime(2025, 3, 14) and first[1].is_date
    assert first[2].value == 2.5 and first[2].data_type == "n"
    assert first[3].value == 3
    assert first[4].value == "line one\nline two"
    formula = sheet["A3"]
    assert formula.data_type == "s"  # text, never a formula
    assert formula.value == '=HYPERLINK("http://evil.example","Click")'
    assert formula.quotePrefix
    assert sheet["E3"].quotePrefix and sheet["E3"].value == "+1 555"
    assert sheet["D3"].value is None
    assert sheet["B4"].value is None
    assert sheet["C5"].value == 1234567
    widths = [sheet.column_dimensions[c].width for c in "ABCDE"]
    assert widths == column_widths(COLUMNS, ROWS)
    assert widths[0] == len('=HYPERLINK("http://evil.example","Click")') + 2
    assert widths[1] == 10 + 2
    with zipfile.ZipFile(path) as zf:  # no formula anywhere in the sheet
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")


def test_xlsx_of_no_rows_and_odd_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_xlsx(path, COLUMNS, [])
    sheet = openpyxl.load_workbook(path).active
    assert sheet.max_row == 1
    odd = tmp_path / "odd.xlsx"
    write_xlsx(odd, [OutColumn("Text")], [["bell\x07 & <tag> "], [" lead"]])
    sheet = openpyxl.load_workbook(odd).active
    assert sheet["A2"].value == "bell & <tag> "  # a control character XML cannot hold
    assert sheet["A3"].value == " lead"


def test_a_cancelled_write_leaves_no_file(tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def progress(done: int) -> None:
        raise Stop

    many = ROWS * 1000
    for writer, name in ((write_csv, "a.csv"), (write_xlsx, "a.xlsx")):
        path = tmp_path / name
        path.write_text("the old file")
        with pytest.raises(Stop):
            writer(path, COLUMNS, many, progress)
        assert path.read_text() == "the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.xlsx"]


def test_a_folder_that_does_not_exist_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ExchangeProblem, match=r"LDPM could not write “out\.csv”"):
        write_csv(tmp_path / "missing" / "out.csv", COLUMNS, ROWS)


def test_csv_cells_converted_by_column_are_the_cells_converted_one_by_one(
    tmp_path: Path,
) -> None:
    """The writer converts a column at a time, with fast paths per type; every kind of
    value in every kind of column comes out as the general conversion of one cell has it."""
    values: list[Cell] = [
        "plain", "", "=1+2", "-5", "+x", "@a", "\tx", "\rx", "a, \"b\"\nc", None, True, False,
        0, -3, 2.5, -0.0, 3.0, 1e15, 1e16, -1e15 + 1, 1e-7, float("inf"), float("nan"),
        date(2025, 3, 14), datetime(2025, 3, 14, 9, 30),
    ]  # fmt: skip
    types = ["text", "number", "whole", "date", "other"]
    columns = [OutColumn(f"C{i}", t) for i, t in enumerate(types)]
    rows = [[values[(n + i) % len(values)] for i in range(len(types))] for n in range(2 * 2001)]
    path = tmp_path / "out.csv"
    assert write_csv(path, columns, rows) == len(rows)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[1:] == [[_csv_cell(v) for v in row] for row in rows]
    with pytest.raises(ValueError):
        write_csv(tmp_path / "short.csv", columns, [*rows[:5], rows[5][:-1]])
    assert not (tmp_path / "short.csv").exists()
