"""A file to import, whatever it is: unique column names and a stream of numbered rows.

:func:`open_table` looks at the file's bytes, not its name: a ZIP is an Excel workbook
(whatever it is called), an OLE compound file is a password-protected workbook or an old
``.xls`` (each refused with its own sentence), anything else must be text and is read as CSV.
The :class:`Table` it returns reads its rows lazily, every time :meth:`Table.rows` is called,
so the preview reads the first few rows and an import streams the file twice (once to decide
number and date styles for whole columns, once to convert) without holding it in memory.

Row numbers are the ones a spreadsheet shows: the header is row 1 (or the row it is on in a
sheet), the first row below it row 2.  Blank rows are skipped but keep their numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ldpm.exchange.problems import ExchangeProblem

#: What a cell holds: text from a CSV; text, numbers, dates or flags from a workbook.
Cell = str | int | float | bool | date | datetime | None

#: Files larger than this are refused before anything is read (an import is one unit of work
#: and one undo step; split a larger file, or filter it in the tool it came from).
MAX_BYTES = 200 * 1024 * 1024
#: At most this many rows are imported at once, for the same reason.
MAX_ROWS = 1_000_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream an encrypted (password-protected) Office file keeps its workbook in.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(slots=True)
class Row:
    """One row of the file: its number as a spreadsheet shows it, and one cell per column.
    ``overflow`` counts non-empty cells beyond the last column (a row longer than the
    header), which an import refuses."""

    number: int
    cells: list[Cell]
    overflow: int = 0


@dataclass
class Table:
    """A file opened for import (see the module docstring)."""

    path: Path
    headers: list[str]
    kind: str  # "csv" or "xlsx"
    #: How a CSV was read (its encoding's name and the delimiter), for the preview to say.
    encoding: str = ""
    delimiter: str = ""
    #: A workbook's sheets, and the one read.
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""

    def rows(self) -> Iterator[Row]:
        """The rows below the header, read from the file now.  Raises
        :class:`ExchangeProblem`."""
        raise NotImplementedError

    def first_rows(self, count: int) -> list[Row]:
        out: list[Row] = []
        if count <= 0:
            return out
        rows = self.rows()
        try:
            for row in rows:
                out.append(row)
                if len(out) >= count:
                    break
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        return out

    @property
    def name(self) -> str:
        return self.path.name


def unique_headers(raw: Sequence[object]) -> list[str]:
    """Column names as the user will see them: trimmed, a blank one named after its column
    letter ("Column C"), a repeated one numbered ("Labels", "Labels (2)")."""
    out: list[str] = []
    seen: dict[str, int] = {}
    taken: set[str] = set()
    for i, value in enumerate(raw):
        name = " ".join(str(value).split()) if value is not None else ""
        if not name:
            name = f"Column {column_letter(i)}"
        key = name.casefold()
        if key in taken:
            n = seen.get(key, 1)
            while True:
                n += 1
                candidate = f"{name} ({n})"
                if candidate.casefold() not in taken:
                    break
            seen[key] = n
            name = candidate
        taken.add(name.casefold())
        out.append(name)
    return out


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (as spreadsheets name columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open ``path`` for import (``sheet``: a workbook's sheet, default the first).  Raises
    :class:`ExchangeProblem` with a sentence for a file that cannot be imported."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise ExchangeProblem(f"“{name}” was not found; it may have been moved.") from None
    except IsADirectoryError:
        raise ExchangeProblem(f"“{name}” is a folder, not a file.") from None
    except OSError as exc:
        raise ExchangeProblem(f"LDPM could not read “{name}”: {exc.strerror}.") from None
    if size > MAX_BYTES:
        raise ExchangeProblem(
            f"“{name}” is {_size(size)}; LDPM imports files of up to {_size(MAX_BYTES)} at a "
            "time. Split it, or filter it in the program it came from."
        )
    if size == 0:
        raise ExchangeProblem(f"“{name}” is empty: it has no rows to import.")
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted(path):
            raise ExchangeProblem(
                f"“{name}” is protected with a password. Open it in Excel, remove the "
                "password (File ▸ Info ▸ Protect Workbook), save it and import it again."
            )
        raise ExchangeProblem(
            f"“{name}” is an old Excel 97–2003 workbook. Save it as an Excel workbook (.xlsx) "
            "or as CSV and import that."
        )
    if head.startswith(_ZIP_MAGIC):
        from ldpm.exchange.xlsx_source import open_workbook

        return open_workbook(path, sheet)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ExchangeProblem(
            f"“{name}” is damaged or is not an Excel workbook: it does not start the way "
            "every .xlsx file does."
        )
    from ldpm.exchange.csv_source import open_csv

    return open_csv(path)


def _is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return _ENCRYPTED in data


def _size(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    if n >= 1024**2:
        return f"{n / 1024**2:.0f} MB"
    return f"{max(1, n // 1024)} KB"
