"""Opening the files people have: CSV in their encodings and delimiters, Excel workbooks, and
one plain sentence for each file that cannot be imported."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from ldpm.exchange.csv_source import CsvTable
from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import MAX_BYTES, Cell, Table, open_table, unique_headers

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(table: Table) -> list[tuple[int, list[Cell], int]]:
    return [(r.number, r.cells, r.overflow) for r in table.rows()]


TEXT = 'Name,Ort,Wert\nJürgen Müller,Köln,"1,5"\nZoë Ångström,Malmö,2\n'


@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "UTF-8 (with a byte-order mark)"),
        (lambda t: t.encode("utf-8"), "UTF-8"),
        (lambda t: t.encode("utf-16"), "UTF-16 (Unicode text)"),  # with its BOM
        (lambda t: t.encode("utf-16-le"), "UTF-16 (Unicode text)"),
        (lambda t: t.encode("cp1252"), "Windows-1252"),
    ],
    ids=["utf8-bom", "utf8", "utf16-bom", "utf16-le", "cp1252"],
)
def test_encodings(tmp_path: Path, encode: Callable[[str], bytes], name: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(encode(TEXT))
    table = open_table(path)
    assert isinstance(table, CsvTable)
    assert table.headers == ["Name", "Ort", "Wert"]
    assert table.encoding_name == name
    assert rows(table) == [
        (2, ["Jürgen Müller", "Köln", "1,5"], 0),
        (3, ["Zoë Ångström", "Malmö", "2"], 0),
    ]


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "Unicode text.txt"
    path.write_bytes("Metric\tDate\tValue\r\nHand-offs\t03.02.2025\t2,5\r\n".encode("utf-16"))
    table = open_table(path)
    assert table.delimiter == "\t"
    assert rows(table) == [(2, ["Hand-offs", "03.02.2025", "2,5"], 0)]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2,5;3\n", ";"),  # decimal commas do not fool it
        ("a\tb\n1, 2\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("sep=;\na,b;c\n1,2;3\n", ";"),  # Excel's hint line wins, and is not the header
    ],
)
def test_delimiters(tmp_path: Path, text: str, delimiter: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    table = open_table(path)
    assert table.delimiter == delimiter
    assert len(table.headers) == text.splitlines()[-1].count(delimiter) + 1


def test_rfc4180_quotes_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(
        b'Title,Description\r\n"Checklist, v1","Line one\r\nline two ""quoted"""\r\n'
        b"\r\n"  # a blank row keeps its number
        b"Last,row\r\n"
    )
    table = open_table(path)
    assert rows(table) == [
        (2, ["Checklist, v1", 'Line one\r\nline two "quoted"'], 0),
        (4, ["Last", "row"], 0),
    ]


def test_duplicate_and_blank_headers_are_kept_apart() -> None:
    assert unique_headers(["Labels", "Labels", "", "labels", "Labels (2)", None]) == [
        "Labels",
        "Labels (2)",
        "Column C",
        "labels (3)",
        "Labels (2) (2)",
        "Column F",
    ]


def test_jira_fixture(tmp_path: Path) -> None:
    table = open_table(DATA / "jira-all-fields.csv")
    assert table.headers[10:13] == ["Labels", "Labels (2)", "Labels (3)"]
    first = next(iter(table.rows()))
    assert first.number == 2
    assert first.cells[13] == (
        "One screen pinned in every incident channel.\nSeven points, confirm-back at the end."
    )


def test_german_excel_fixture() -> None:
    table = open_table(DATA / "measurements-de.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.headers == ["Kennzahl", "Datum", "Wert", "Segment", "Bemerkung"]
    assert [r.cells[4] for r in table.rows()][2] == "Ausreißer? prüfen"


def test_a_row_longer_than_the_header_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4,5,6\n7,8,,\n9\n", encoding="utf-8")
    assert rows(open_table(path)) == [
        (2, ["1", "2"], 0),
        (3, ["3", "4"], 2),
        (4, ["7", "8"], 0),  # trailing empty cells, as Excel writes them, are fine
        (5, ["9", ""], 0),  # a short row is padded
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"\r\n \r\n", "is empty"),
        (b"Title,Status\r\n", "has only a header row"),
        (b"Title,Status\r\n,\r\n , \r\n", "has only a header row"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "is not a text file"),
        (bytes(range(1, 32)) * 100, "is not a text file"),
    ],
    ids=["empty", "blank-lines", "header-only", "header-and-blank-rows", "png", "controls"],
)
def test_files_that_cannot_be_imported(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(ExchangeProblem, match=words) as info:
        open_table(path)
    assert info.value.sentence.startswith("“export.csv”")
    assert info.value.sentence.endswith(".")


def test_a_1_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(1024**3)
    assert os.path.getsize(path) > MAX_BYTES
    with pytest.raises(ExchangeProblem, match=r"“huge.csv” is 1.0 GB; LDPM imports files of up"):
        open_table(path)


def test_an_unclosed_quote_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,2\n3,"never closed\n' + "x" * 1_100_000 + "\n", encoding="utf-8")
    table = open_table(path)
    with pytest.raises(ExchangeProblem, match=r"Row 3 .* has a quote that is never closed"):
        list(table.rows())


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExchangeProblem, match="was not found"):
        open_table(tmp_path / "gone.csv")
    with pytest.raises(ExchangeProblem, match="is a folder"):
        open_table(tmp_path)


# ---------------------------------------------------------------------------------- XLSX


def test_hr_workbook_typed_cells_on_the_chosen_sheet() -> None:
    table = open_table(DATA / "hr-stakeholders.xlsx")
    assert table.kind == "xlsx"
    assert table.sheets == ["Read me", "Stakeholders"]
    assert table.sheet == "Stakeholders"  # the first sheet with rows below a header …
    with pytest.raises(ExchangeProblem, match=r"The sheet “Read me” .* has only a header row"):
        open_table(DATA / "hr-stakeholders.xlsx", "Read me")  # … or the one chosen
    assert table.headers[:3] == ["Employee ID", "First name", "Last name"]
    first = next(iter(table.rows()))
    assert first.number == 2
    assert first.cells[7:11] == [9, 9, date(2019, 4, 1), 100]  # 100% reads as 100
    third = list(table.rows())[2]
    assert third.cells[10] == 80


def test_workbook_cells_and_blank_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append([])  # a blank first row: the header is the first row with text
    sheet.append(["Metric", "When", "Value", None])
    sheet.append(["Errors", datetime(2025, 3, 14, 9, 30), 2.5, None])
    sheet.append([None, None, None])
    sheet.append(["Errors", date(2025, 3, 21), 2, "extra"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = open_table(path)
    assert table.headers == ["Metric", "When", "Value"]
    assert rows(table) == [
        (3, ["Errors", datetime(2025, 3, 14, 9, 30), 2.5], 0),
        (5, ["Errors", date(2025, 3, 21), 2], 1),
    ]


def test_workbook_problems(tmp_path: Path) -> None:
    with pytest.raises(ExchangeProblem, match="is protected with a password"):
        open_table(DATA / "protected.xlsx")
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    with pytest.raises(ExchangeProblem, match="old Excel 97–2003 workbook"):
        open_table(legacy)
    good = (DATA / "hr-stakeholders.xlsx").read_bytes()
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(good[: len(good) // 2])  # a download cut off half way
    with pytest.raises(ExchangeProblem, match="is damaged or is not an Excel workbook"):
        open_table(corrupt)
    renamed = tmp_path / "notes.xlsx"
    renamed.write_text("just text", encoding="utf-8")
    with pytest.raises(ExchangeProblem, match="is damaged or is not an Excel workbook"):
        open_table(renamed)
    with pytest.raises(ExchangeProblem, match="has no sheet called “Budget”"):
        open_table(DATA / "hr-stakeholders.xlsx", "Budget")
    book = Workbook()
    book.active.append(["Only", "a", "header"])
    header_only = tmp_path / "header.xlsx"
    book.save(header_only)
    with pytest.raises(ExchangeProblem, match="has only a header row"):
        open_table(header_only)
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    with pytest.raises(ExchangeProblem, match="is empty"):
        open_table(empty)


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "really-a-workbook.csv"
    path.write_bytes((DATA / "hr-stakeholders.xlsx").read_bytes())
    assert open_table(path, "Stakeholders").kind == "xlsx"
