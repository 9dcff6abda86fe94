"""PySide6 must not lose references to ``True`` or ``None`` (issue found with 6.12.0 on Python
3.11, where those objects are not immortal: the process aborted at exit, or later in a long
session).  pyproject.toml keeps such a release out; this test says so if one comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem


class _Emitter(QObject):
    value = Signal(bool)


def test_emitting_a_signal_keeps_references(qapp: QApplication) -> None:
    emitter = _Emitter()
    received: list[bool] = []
    emitter.value.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.value.emit(True)
    assert len(received) == 200
    # The list holds 200 more references; a leaky emit would have dropped as many.
    assert sys.getrefcount(True) - before >= 190


def test_style_options_keep_references(qapp: QApplication) -> None:
    model = QStandardItemModel()
    model.appendRow(QStandardItem("x"))
    delegate = QStyledItemDelegate()
    before = sys.getrefcount(None)
    for _ in range(200):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, model.index(0, 0))
    assert sys.getrefcount(None) - before > -20
