"""Measurements pasted from a spreadsheet: rows of date and value, an optional segment and note.

:func:`read_block` reads the text a spreadsheet puts on the clipboard (cells separated by tabs;
semicolon- or comma-separated text too) into rows, and reports every row it cannot read with
its number (1 is the first line of the text) and one sentence.  It writes nothing: the caller
shows the problems and adds the good rows only when the user confirms.

How a date or a number is read is the caller's choice (the UI reads them in the user's locale);
the defaults read ISO dates (``2026-03-16``) and plain numbers (``2.5``).  A first line whose
date and value cannot be read at all is taken for a header and skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

#: Reads a date cell: the date, or None when it is not one.
DateReader = Callable[[str], date | None]
#: Reads a number cell: the number, or None when it is not one.
NumberReader = Callable[[str], float | None]


def iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def plain_number(text: str) -> float | None:
    try:
        value = float(text.strip().removesuffix("%").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class PastedRow:
    line: int  # 1-based line of the pasted text
    on: date
    value: float
    segment: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Block:
    """What was read: the good rows, the problems, and whether line 1 was a header."""

    rows: list[PastedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _cells(line: str, separator: str) -> list[str]:
    return [c.strip().strip('"').strip() for c in line.split(separator)]


def _separator(lines: list[str]) -> str:
    text = "\n".join(lines)
    for candidate in ("\t", ";"):
        if candidate in text:
            return candidate
    return ","


def read_block(
    text: str,
    *,
    read_date: DateReader = iso_date,
    read_number: NumberReader = plain_number,
) -> Block:
    """Rows of date, value, optional segment and note from pasted ``text`` (see the module
    docstring).  Blank lines are skipped; a row with more than four cells is a problem."""
    lines = text.splitlines()
    separator = _separator(lines)
    rows: list[PastedRow] = []
    problems: list[Problem] = []
    header = False
    first = True
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        cells = _cells(raw, separator)
        while cells and not cells[-1]:
            cells.pop()
        on = read_date(cells[0]) if cells else None
        value = read_number(cells[1]) if len(cells) > 1 and cells[1] else None
        if first:
            first = False
            if on is None and value is None:
                header = True
                continue
        if len(cells) > 4:
            problems.append(
                Problem(
                    number,
                    f"Row {number} has {len(cells)} cells: expected a date, a value, and "
                    "optionally a segment and a note.",
                )
            )
            continue
        if on is None:
            shown = cells[0] if cells else ""
            problems.append(
                Problem(
                    number,
                    f"Row {number}: “{shown}” is not a date in a known format "
                    "(for example 2026-03-16 or 16 Mar 2026).",
                )
            )
            continue
        if len(cells) < 2 or not cells[1]:
            problems.append(Problem(number, f"Row {number} has a date but no value."))
            continue
        if value is None:
            problems.append(Problem(number, f"Row {number}: “{cells[1]}” is not a number."))
            continue
        segment = cells[2] if len(cells) > 2 else ""
        note = cells[3] if len(cells) > 3 else ""
        rows.append(PastedRow(number, on, value, segment, note))
    return Block(rows, problems, header)
