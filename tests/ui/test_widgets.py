"""Small editors: numbers and dates as users type them."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from ldpm.ui.widgets import format_date, parse_number


@pytest.fixture
def locale(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield
    QLocale.setDefault(previous)


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en_US", "1.5", 1.5),
        ("en_US", "1,250.5", 1250.5),
        ("en_US", "", None),
        ("de_DE", "1,5", 1.5),
        ("de_DE", "1.250,5", 1250.5),
        ("de_DE", "2.5e3", 2500.0),  # the plain form still works
    ],
    indirect=["locale"],
)
def test_numbers_in_the_users_locale(locale: None, text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("locale", ["en_US"], indirect=True)
@pytest.mark.parametrize("text", ["1,5", "abc", "12 apples"])
def test_ambiguous_or_wrong_numbers_are_refused(locale: None, text: str) -> None:
    value = parse_number(text)
    assert value is not None and math.isnan(value)  # NaN: validation then says why


@pytest.mark.parametrize("locale", ["en_GB"], indirect=True)
def test_dates_are_unambiguous(locale: None) -> None:
    assert format_date(date(2026, 1, 12)) == "12 Jan 2026"
