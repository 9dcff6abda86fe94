"""Cells to values: numbers, dates, timestamps and text, the way people write them.

Numbers
    ``1234.5``, ``1,234.5``, ``1.234,5``, ``1 234,5``, ``12,5 %``, ``€ 40``, ``(12)``, ``−3``.
    Whether a comma is the decimal mark is decided for a whole column (:class:`NumberStyle`):
    a comma followed by one, two or more than three digits says so, and so does a point
    before the last comma; the file's delimiter breaks a tie (Excel writes semicolons where
    it writes decimal commas).
Dates
    ISO (``2025-03-14``, with or without a time), ``14.03.2025`` (always day first),
    ``14/03/2025`` or ``03/14/2025``, month names in English or German (``14 Mar 2025``,
    ``Mar 14, 2025``, ``14/Mar/25 3:45 PM`` as issue trackers write them) and timestamps with
    ``AM``/``PM``.  Whether ``03/04/2025`` is day-first or month-first is decided for a whole
    column (:class:`DateOrder`): one date whose first part is above 12 says day-first, one whose
    second part is, month-first; when none does, day-first is assumed and the preview says so.
Text
    Trimmed; a leading apostrophe that neutralised a formula (``'=A1``, as LDPM's own exports
    write it) is taken off again, so an export imports back unchanged.

Every parser raises :class:`ValueError` whose text is the second half of a sentence
(“… is not a number”), for the caller to prefix with the row and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ldpm.exchange.source import Cell

#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’")
_CURRENCY = re.compile(r"^[€$£¥]\s*|\s*(?:[€$£¥]|EUR|USD|GBP|CHF)$", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")  # 1.234.567,89
_GROUPED_POINT = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")  # 1,234,567.89
_COMMA_DECIMAL = re.compile(r",(?:\d{1,2}|\d{4,})$")
_POINT_DECIMAL = re.compile(r"\.(?:\d{1,2}|\d{4,})$")

_EXCEL_EPOCH = date(1899, 12, 30)


# --------------------------------------------------------------------------------- text


def text_of(value: Cell) -> str:
    """A cell as text: trimmed; a number without a needless ``.0``; a date in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def format_number(value: float) -> str:
    """The shortest text that reads back as ``value`` (``3.0`` → ``3``)."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


# ------------------------------------------------------------------------------ numbers


def _strip(text: str) -> tuple[str, bool]:
    """Number text without currency, spaces and grouping apostrophes; and whether it was
    negative in accounting form ``(12)``."""
    s = text.strip().replace("\u2212", "-")
    s = _CURRENCY.sub("", s)
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = s.rstrip("%").translate(_SPACES)
    return s, negative


@dataclass
class NumberStyle:
    """Evidence, over a column, for the decimal mark; :attr:`decimal` is the verdict."""

    default: str = "."
    comma: int = 0
    point: int = 0

    def feed(self, value: Cell) -> None:
        if not isinstance(value, str):
            return
        if "," not in value:  # the common case: no comma, at most a decimal point
            if "." in value and _POINT_DECIMAL.search(value.rstrip(" %€$£¥")):
                self.point += 1
            return
        s, _neg = _strip(value)
        has_comma, has_point = "," in s, "." in s
        if has_comma and has_point:
            if s.rfind(",") > s.rfind("."):
                self.comma += 1
            else:
                self.point += 1
        elif has_comma and _COMMA_DECIMAL.search(s):
            self.comma += 1
        elif has_point and _POINT_DECIMAL.search(s):
            self.point += 1

    @property
    def decimal(self) -> str:
        if self.comma > self.point:
            return ","
        if self.point > self.comma:
            return "."
        return self.default


def parse_number(value: Cell, decimal: str = ".") -> float:
    """A number from a cell (``decimal``: the column's decimal mark).  Raises ValueError."""
    if isinstance(value, str):
        # The common case first: plain digits ("2.5", or "2,5" in a decimal-comma column).
        plain = value if decimal == "." else value.replace(",", ".", 1)
        if "_" not in plain and ("." not in value or decimal == "."):
            try:
                number = float(plain)
            except ValueError:
                pass
            else:
                if math.isfinite(number):
                    return number
                raise ValueError("is not a number")
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number = _number_from_text(value, decimal)
    else:
        raise ValueError("is not a number")
    if not math.isfinite(number):
        raise ValueError("is not a number")
    return number


def _number_from_text(text: str, decimal: str) -> float:
    s, negative = _strip(text)
    if not s:
        raise ValueError("is not a number")
    if decimal == ",":
        if _GROUPED_COMMA.match(s):
            s = s.replace(".", "")  # 1.234,5
        if s.count(",") > 1:
            raise ValueError("is not a number")
        s = s.replace(",", ".")  # a lone point stays one: "1.5" can only be 1.5
    elif _GROUPED_POINT.match(s):
        s = s.replace(",", "")  # 1,234.5
    elif s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")  # "12,5" in a column of points: 12.5
    if not _PLAIN.match(s):
        raise ValueError("is not a number")
    number = float(s)
    return -number if negative else number


def parse_whole(value: Cell, decimal: str = ".") -> int:
    """A whole number (``3``, ``3.0``, ``1.000`` in a decimal-comma column).  Raises
    ValueError."""
    try:
        number = parse_number(value, decimal)
    except ValueError:
        raise ValueError("is not a whole number") from None
    if not number.is_integer():
        raise ValueError("is not a whole number")
    return int(number)


# -------------------------------------------------------------------------------- dates

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            "jan january januar jän jänner",
            "feb february februar",
            "mar march mär märz maerz",
            "apr april",
            "may mai",
            "jun june juni",
            "jul july juli",
            "aug august",
            "sep sept september",
            "oct october okt oktober",
            "nov november",
            "dec december dez dezember",
        )
    )
    for name in names.split()
}
_TIME = (
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC))?)?"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$")
_DAY_NAME = re.compile(r"^(\d{1,2})\.?[ /-]([^\W\d_]{3,9})\.?[ /-](\d{4}|\d{2})" + _TIME + "$")
_NAME_DAY = re.compile(r"^([^\W\d_]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + "$")


@dataclass
class DateOrder:
    """Evidence, over a column, for day-first or month-first numeric dates."""

    day_first: int = 0
    month_first: int = 0
    #: Numeric dates with a slash or dash seen, and the first of them.
    numeric: int = 0
    sample: str = ""
    #: A value that decided it (for the preview to quote), by kind.
    day_example: str = ""
    month_example: str = ""

    def feed(self, value: Cell) -> None:
        if not isinstance(value, str):
            return
        match = _NUMERIC.match(value.strip())
        if match is None or match.group(2) == ".":
            return
        self.numeric += 1
        self.sample = self.sample or value.strip()
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            self.day_first += 1
            self.day_example = self.day_example or value.strip()
        elif second > 12 >= first:
            self.month_first += 1
            self.month_example = self.month_example or value.strip()

    @property
    def ambiguous(self) -> bool:
        """No date in the column says which order it is."""
        return not (self.day_first or self.month_first)

    @property
    def dayfirst(self) -> bool:
        return self.day_first >= self.month_first


def parse_timestamp(value: Cell, dayfirst: bool = True) -> datetime:
    """A date and time from a cell (a date alone is midnight).  Raises ValueError."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's serial day numbers, 1900 to 9999
            return datetime.combine(_EXCEL_EPOCH, datetime.min.time()) + timedelta(days=value)
        raise ValueError("is not a date")
    if not isinstance(value, str):
        raise ValueError("is not a date")
    text = value.strip()
    if match := _ISO.match(text):
        y, m, d = int(match[1]), int(match[2]), int(match[3])
        clock = match.groups()[3:]
    elif match := _NUMERIC.match(text):
        a, b, y = int(match[1]), int(match[3]), _year(match[4])
        d, m = (a, b) if dayfirst or match[2] == "." else (b, a)
        clock = match.groups()[4:]
    elif match := _DAY_NAME.match(text):
        d, m, y = int(match[1]), _month(match[2]), _year(match[3])
        clock = match.groups()[3:]
    elif match := _NAME_DAY.match(text):
        m, d, y = _month(match[1]), int(match[2]), int(match[3])
        clock = match.groups()[3:]
    else:
        raise ValueError("is not a date")
    hour, minute, second = _clock(clock)
    try:
        return datetime(y, m, d, hour, minute, second)
    except ValueError:
        raise ValueError("is not a date") from None


def parse_date(value: Cell, dayfirst: bool = True) -> date:
    """A date from a cell (the date of a timestamp).  Raises ValueError."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:  # ISO, the common case
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_timestamp(value, dayfirst).date()


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 69 else 1900
    return year


def _month(name: str) -> int:
    month = _MONTHS.get(name.casefold().rstrip("."))
    if month is None:
        raise ValueError("is not a date")
    return month


def _clock(parts: tuple[str | None, ...]) -> tuple[int, int, int]:
    hour_text, minute_text, second_text, meridiem = (list(parts) + [None] * 4)[:4]
    if hour_text is None:
        return 0, 0, 0
    hour, minute = int(hour_text), int(minute_text or 0)
    second = int(second_text or 0)
    if meridiem:
        pm = meridiem[0] in "pP"
        if not 1 <= hour <= 12:
            raise ValueError("is not a date")
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("is not a date")
    return hour, minute, second
