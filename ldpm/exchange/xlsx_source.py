"""Excel workbooks (.xlsx) through openpyxl in read-only mode: one sheet, typed cells.

The workbook is opened read-only (rows are streamed from the ZIP, never all loaded) with the
values formulas last computed to.  Cells keep their types: numbers stay numbers, cells
formatted as dates come as dates (a date without a time as a :class:`~datetime.date`), and a
number formatted as a percentage is read as the number a person sees (``45%`` is 45).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import Cell, Row, Table, unique_headers


class XlsxTable(Table):
    """One sheet of a workbook."""

    def rows(self) -> Iterator[Row]:
        workbook, fh = _load(self.path)
        try:
            sheet = workbook[self.sheet]
            width = len(self.headers)
            header_seen = False
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values = [_value(c) for c in cells]
                if not any(_filled(v) for v in values):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                row: list[Cell] = values[:width]
                overflow = sum(1 for v in values[width:] if _filled(v))
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                yield Row(number, row, overflow)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise _damaged(self.path) from exc
        finally:
            workbook.close()
            fh.close()


def open_workbook(path: Path, sheet: str | None = None) -> XlsxTable:
    """Open ``sheet`` (default: the first sheet that has rows) of the workbook at ``path``."""
    workbook, fh = _load(path)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise ExchangeProblem(
                f"“{path.name}” has no sheet called “{sheet}”; its sheets are "
                f"{', '.join(f'“{n}”' for n in names)}."
            )
        # The chosen sheet; else the first with rows below a header (a cover sheet is passed).
        chosen, header = None, []
        header_only = None
        for candidate in [sheet] if sheet is not None else names:
            found, has_rows = _head(workbook[candidate])
            if found and has_rows:
                chosen, header = candidate, found
                break
            if found and header_only is None:
                header_only = candidate
        if chosen is None:
            if header_only is not None:
                raise ExchangeProblem(
                    f"The sheet “{header_only}” of “{path.name}” has only a header row: "
                    "there are no rows below it to import."
                )
            where = f"The sheet “{sheet}” of “{path.name}”" if sheet else f"“{path.name}”"
            raise ExchangeProblem(f"{where} is empty: it has no rows to import.")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _damaged(path) from exc
    finally:
        workbook.close()
        fh.close()
    return XlsxTable(
        path=path,
        headers=unique_headers([_text(v) for v in header]),
        kind="xlsx",
        sheets=names,
        sheet=chosen,
    )


def _head(sheet: Any) -> tuple[list[Cell], bool]:
    """The header row of ``sheet`` (its first non-blank row) and whether a row follows."""
    header: list[Cell] = []
    for cells in sheet.iter_rows():
        values = [_value(c) for c in cells]
        if not any(_filled(v) for v in values):
            continue
        if header:
            return header, True
        header = values
        while header and not _filled(header[-1]):
            header.pop()
    return header, False


def _load(path: Path) -> tuple[Any, BinaryIO]:
    """The workbook, read-only, and the file it reads from (close both when done).  The file
    is opened here, so a workbook under any name (even ``.csv``) can be read."""
    import openpyxl  # type: ignore[import-untyped]

    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ExchangeProblem(f"LDPM could not read “{path.name}”: {exc.strerror}.") from None
    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True), fh
    except Exception as exc:  # openpyxl raises many kinds on a malformed part
        fh.close()
        raise _damaged(path) from exc


def _damaged(path: Path) -> ExchangeProblem:
    return ExchangeProblem(
        f"“{path.name}” is damaged or is not an Excel workbook, so LDPM cannot read it. Open "
        "it in Excel or LibreOffice, save it again as .xlsx and import that."
    )


def _value(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            return round(value * 100, 12)
        return value
    if isinstance(value, str | bool) or value is None:
        return value
    return str(value)  # a time of day, a duration: as text


def _filled(value: Cell) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
