"""The bars above the stakeholder map: the comparison's dates (with the map's buttons at its
right end), and the bar that records an assessment (a date and a label, no dialog).

They hold the controls and what the controls say; the map decides what happens (it shows
the comparison, records the assessment through the runner)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.ui.widgets import EllipsisCombo, OptionalDateEdit, format_date, set_role

#: The "Now" choice of the comparison's dates.
NOW = None


class CompareBar(QWidget):
    """Compare [from] → [to], then the map's own buttons, right-aligned: Record
    Assessment…, Fit, Workshop Mode (and, in workshop mode, how to leave it)."""

    #: The comparison was turned on or off, or one of its dates changed.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.compare = QCheckBox(self.tr("Compare"), self)
        self.compare.setToolTip(self.tr("Show who moved between two assessments"))
        # A long label ("16 Feb 2026 — after the kick-off workshop") is cut after its date,
        # whole in its list and tooltip, rather than hold the map wider than the screen.
        self.compare_from = EllipsisCombo(self, chars=11)  # "16 Feb 2026"
        self.compare_from.setAccessibleName(self.tr("Compare from"))
        self.compare_to = EllipsisCombo(self, chars=11)
        self.compare_to.setAccessibleName(self.tr("Compare to"))
        row.addWidget(self.compare)
        row.addWidget(self.compare_from)
        row.addWidget(QLabel("→", self))
        row.addWidget(self.compare_to)
        row.addStretch(1)
        self.workshop_hint = QLabel(self.tr("Esc to leave workshop mode"), self)
        self.workshop_hint.setAccessibleName(self.tr("How to leave workshop mode"))
        set_role(self.workshop_hint, "muted")
        self.workshop_hint.hide()
        self.record_button = QPushButton(self.tr("Record Assessment…"), self)
        self.record_button.setToolTip(
            self.tr("Keep where everyone stands today, with a date and a label")
        )
        self.fit_button = QPushButton(self.tr("Fit"), self)
        self.fit_button.setToolTip(self.tr("Show the whole map (0)"))
        self.workshop_button = QPushButton(self.tr("Workshop Mode"), self)
        self.workshop_button.setCheckable(True)
        self.workshop_button.setToolTip(
            self.tr("Only the map: no editing chrome, nothing private (Ctrl+Shift+W)")
        )
        for widget in (
            self.workshop_hint,
            self.record_button,
            self.fit_button,
            self.workshop_button,
        ):
            row.addWidget(widget)
        self.compare.toggled.connect(self._toggled)
        for combo in (self.compare_from, self.compare_to):
            combo.currentIndexChanged.connect(lambda _i: self._tips())
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def _toggled(self, on: bool) -> None:
        self.compare_from.setEnabled(on)
        self.compare_to.setEnabled(on)
        self._tips()
        self.changed.emit()

    def _tips(self) -> None:
        # The choices are filled with their signals blocked: the tooltips follow here.
        for combo in (self.compare_from, self.compare_to):
            combo.setToolTip(combo.currentText())

    def set_dates(self, found: Sequence[tuple[date, str]]) -> None:
        """The assessments there are (date, label), oldest first; the choices stay if they
        still can (else from: the oldest; to: now).  Says :attr:`changed` once."""
        wanted = [(day, _date_text(day, text)) for day, text in found]
        for combo, with_now in ((self.compare_from, False), (self.compare_to, True)):
            current = combo.currentData() if combo.count() else "unset"
            items = ([(NOW, self.tr("Now"))] if with_now else []) + wanted
            blocked = combo.blockSignals(True)
            try:
                combo.clear()
                for day, text in items:
                    combo.addItem(text, day)
                index = index_of(combo, current) if current != "unset" else -1
                if index < 0:
                    index = 0 if with_now else combo.count() - 1
                combo.setCurrentIndex(index)
            finally:
                combo.blockSignals(blocked)
        self.compare.setEnabled(bool(found))
        blocked = self.compare.blockSignals(True)
        try:
            if not found:
                self.compare.setChecked(False)
        finally:
            self.compare.blockSignals(blocked)
        self._toggled(self.compare.isChecked())

    def choose(self, before: date, after: date | None) -> None:
        """Compare these two dates (``after`` None: now), saying :attr:`changed` once."""
        for combo, day in ((self.compare_from, before), (self.compare_to, after)):
            blocked = combo.blockSignals(True)
            try:
                combo.setCurrentIndex(index_of(combo, day))
            finally:
                combo.blockSignals(blocked)
        if self.compare.isChecked():
            self.changed.emit()
        else:
            self.compare.setChecked(True)  # says it

    def comparing(self) -> tuple[date | None, date | None] | None:
        """The two dates compared, earlier first (None: now), or None when not comparing."""
        if not self.compare.isChecked() or not self.compare_from.count():
            return None
        before, after = self.compare_from.currentData(), self.compare_to.currentData()
        if after is not None and before is not None and after < before:
            before, after = after, before
        return before, after


class RecordBar(QWidget):
    """ "Record where everyone stands on [date] [label] Record Cancel", and below it why an
    assessment was not recorded.  Hidden until :meth:`open`."""

    #: Record was pressed (or Enter in the label).
    record = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordBarBox")
        bar = QWidget(self)
        bar.setObjectName("recordBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(self.tr("Record where everyone stands on"), bar)
        self.date = OptionalDateEdit(bar)
        self.date.setAccessibleName(self.tr("Date of the assessment"))
        self.label = QLineEdit(bar)
        self.label.setPlaceholderText(self.tr("What it was, e.g. after the kick-off workshop"))
        self.label.setAccessibleName(self.tr("Label of the assessment"))
        self.label.returnPressed.connect(self.record)
        self.go = QPushButton(self.tr("Record"), bar)
        self.go.clicked.connect(self.record)
        self.cancel = QPushButton(self.tr("Cancel"), bar)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Why the assessment was not recorded"))
        set_role(self.message, "warning")
        self.message.hide()
        for widget in (intro, self.date, self.label, self.go, self.cancel):
            row.addWidget(widget)
        row.setStretchFactor(self.label, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(bar)
        outer.addWidget(self.message)
        self.hide()

    def open(self, today: date) -> None:
        self.date.setValue(today)
        self.message.hide()
        self.show()
        self.label.setFocus()


def _date_text(day: date, text: str) -> str:
    return f"{format_date(day)} — {text}" if text else format_date(day)


def index_of(combo: QComboBox, value: object) -> int:
    """The row of a combo box whose data equals ``value`` (Qt's findData does not compare
    Python dates), or -1."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            return i
    return -1
