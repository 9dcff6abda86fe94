"""Small editors: numbers and dates as users type them."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldpm.ui.widgets import EllipsisCombo, format_date, parse_number


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


def test_an_ellipsis_combo_cuts_a_long_choice_with_an_ellipsis(qtbot: QtBot) -> None:
    """Narrower than its choice: "16 Feb 2026 — after…", never clipped mid-letter; wide
    enough: whole.  The tooltip always says the whole choice."""
    combo = EllipsisCombo(chars=11)
    qtbot.addWidget(combo)
    long = "16 Feb 2026 — after the kick-off workshop with the on-call leads"
    combo.addItems(["Now", long])
    combo.setCurrentIndex(1)
    assert combo.toolTip() == long
    combo.resize(combo.minimumSizeHint().width(), combo.sizeHint().height())
    combo.show()
    qtbot.waitExposed(combo)
    cut = combo.shown_text()
    assert cut.endswith("…") and long.startswith(cut[:-1]) and len(cut) < len(long)
    combo.resize(combo.fontMetrics().horizontalAdvance(long) * 2, combo.height())
    qtbot.waitUntil(lambda: combo.shown_text() == long)
    combo.setCurrentIndex(0)
    assert combo.shown_text() == "Now" and combo.toolTip() == "Now"
