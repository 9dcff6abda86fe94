"""Cells to numbers, dates and text, as people and tools write them (hand-computed values)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ldpm.exchange.values import (
    DateOrder,
    NumberStyle,
    parse_date,
    parse_number,
    parse_timestamp,
    parse_whole,
    text_of,
)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1234.5", ".", 1234.5),
        ("1,234.5", ".", 1234.5),
        ("1,234,567.25", ".", 1234567.25),
        ("1,234", ".", 1234.0),  # a thousands separator in a decimal-point column
        ("12,5", ".", 12.5),  # not a group of three: a decimal comma all the same
        ("1.234,5", ",", 1234.5),
        ("1.234.567,25", ",", 1234567.25),
        ("1.234", ",", 1234.0),  # a thousands separator in a decimal-comma column
        ("1.5", ",", 1.5),  # a lone point in a decimal-comma column is a decimal point
        ("2,48", ",", 2.48),
        ("1 234,5", ",", 1234.5),  # space (and no-break space) as thousands separator
        ("1\u00a0234,5", ",", 1234.5),
        ("1'234.5", ".", 1234.5),  # Swiss
        ("12,5 %", ",", 12.5),
        ("€ 40", ".", 40.0),
        ("40 EUR", ".", 40.0),
        ("(12)", ".", -12.0),  # accounting negative
        ("\u22123", ".", -3.0),  # the minus sign
        ("-0.25", ".", -0.25),
        ("1e3", ".", 1000.0),
        (".5", ".", 0.5),
    ],
)
def test_numbers(text: str, decimal: str, expected: float) -> None:
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize("text", ["abc", "", "1,2,3", "1.2.3,4,5", "n/a", "--1", "nan", "inf"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text, ",")


def test_typed_numbers_and_wholes() -> None:
    assert parse_number(3) == 3.0
    assert parse_number(2.5) == 2.5
    with pytest.raises(ValueError):
        parse_number(True)
    assert parse_whole("1.000", ",") == 1000
    assert parse_whole(4.0) == 4
    with pytest.raises(ValueError, match="is not a whole number"):
        parse_whole("2,5", ",")


def test_decimal_mark_is_decided_by_the_column() -> None:
    style = NumberStyle(default=".")
    for value in ("1,234", "2,48", "17"):  # "1,234" says nothing; "2,48" says comma
        style.feed(value)
    assert style.decimal == ","
    style = NumberStyle(default=",")
    for value in ("1,234.50", "3"):
        style.feed(value)
    assert style.decimal == "."
    undecided = NumberStyle(default=",")
    undecided.feed("1,234")
    assert undecided.decimal == ","  # the delimiter's default breaks the tie


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("2025-03-14", True, date(2025, 3, 14)),
        ("2025-03-14T09:30:00Z", False, date(2025, 3, 14)),
        ("2025/3/4", False, date(2025, 3, 4)),
        ("14.03.2025", False, date(2025, 3, 14)),  # dots are always day first
        ("03/04/2025", True, date(2025, 4, 3)),
        ("03/04/2025", False, date(2025, 3, 4)),
        ("3-4-25", True, date(2025, 4, 3)),
        ("14 Mar 2025", False, date(2025, 3, 14)),
        ("14-March-2025", False, date(2025, 3, 14)),
        ("Mar 14, 2025", True, date(2025, 3, 14)),
        ("3. März 2025", True, date(2025, 3, 3)),
        ("12/Mar/25 9:14 AM", False, date(2025, 3, 12)),
        ("31/12/99", True, date(1999, 12, 31)),
    ],
)
def test_dates(text: str, dayfirst: bool, expected: date) -> None:
    assert parse_date(text, dayfirst) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/Mar/25 9:14 AM", datetime(2025, 3, 12, 9, 14)),
        ("12/Mar/25 12:05 AM", datetime(2025, 3, 12, 0, 5)),  # midnight hour
        ("12/Mar/25 12:05 PM", datetime(2025, 3, 12, 12, 5)),  # noon hour
        ("02/Apr/25 4:45 PM", datetime(2025, 4, 2, 16, 45)),
        ("3/14/2025 3:45:10 p.m.", datetime(2025, 3, 14, 15, 45, 10)),
        ("2025-03-14 23:59", datetime(2025, 3, 14, 23, 59)),
    ],
)
def test_timestamps(text: str, expected: datetime) -> None:
    assert parse_timestamp(text, dayfirst=False) == expected


@pytest.mark.parametrize(
    "text", ["31.02.2025", "13/13/2025", "2025-13-01", "Foo 3, 2025", "12/Mar/25 13:00 PM", "x"]
)
def test_not_dates(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text, True)


def test_typed_dates_and_excel_serials() -> None:
    assert parse_date(date(2025, 3, 14)) == date(2025, 3, 14)
    assert parse_date(datetime(2025, 3, 14, 8, 0)) == date(2025, 3, 14)
    assert parse_date(45730) == date(2025, 3, 14)  # Excel's serial day number


def test_date_order_is_decided_by_the_whole_column() -> None:
    order = DateOrder()
    for value in ("03/04/2025", "05/06/2025", "14/06/2025"):
        order.feed(value)
    assert order.dayfirst and not order.ambiguous
    assert order.day_example == "14/06/2025"
    order = DateOrder()
    for value in ("03/04/2025", "06/30/2025"):
        order.feed(value)
    assert not order.dayfirst and order.month_example == "06/30/2025"
    order = DateOrder()
    for value in ("03/04/2025", "2025-06-30", "01.02.2025"):
        order.feed(value)
    assert order.ambiguous and order.dayfirst  # day first is assumed …
    assert order.numeric == 1 and order.sample == "03/04/2025"  # … and the preview says so


def test_text_takes_off_the_apostrophe_that_neutralised_a_formula() -> None:
    assert text_of("'=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert text_of("'-5 days") == "-5 days"
    assert text_of("'quoted'") == "'quoted'"  # an ordinary apostrophe stays
    assert text_of("  padded  ") == "padded"
    assert text_of(3.0) == "3"
    assert text_of(2.5) == "2.5"
    assert text_of(None) == ""
    assert text_of(date(2025, 3, 14)) == "2025-03-14"
