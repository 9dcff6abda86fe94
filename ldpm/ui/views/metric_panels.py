"""Parts of the metrics view: the vanity banner, the question about a target on the wrong side
of its baseline, and one metric's measurements (fast entry, paste from a spreadsheet, the
table, "data due").

Each part changes data only through the ``run`` callable it is given (the view's
:meth:`~ldpm.ui.views.base.InitiativeView.run`), so refusals come back to the view and every
change is one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Metric
from ldpm.domain.metrics import add_months
from ldpm.domain.paste import Block, read_block
from ldpm.services import metrics as svc
from ldpm.services.commands import Command
from ldpm.ui.models.metrics import MeasurementsModel
from ldpm.ui.models.table import ID_ROLE, TableProxy
from ldpm.ui.table_view import DataTableView
from ldpm.ui.widgets import (
    OptionalDateEdit,
    format_date,
    guard_wheel,
    parse_number,
    set_role,
    to_date,
)

#: Runs a command on behalf of a widget; True when it was applied.
Run = Callable[[Command, QObject], bool]

_STEP_DAYS = {"weekly": 7, "fortnightly": 14}
_STEP_MONTHS = {"monthly": 1, "quarterly": 3}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MetricPanels", text)


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


def next_date(metric: Metric | None, after: date) -> date:
    """The date a measurement is next expected after ``after`` (a week without a cadence)."""
    cadence = metric.cadence.value if metric is not None else "none"
    if cadence in _STEP_MONTHS:
        return add_months(after, _STEP_MONTHS[cadence])
    return after + timedelta(days=_STEP_DAYS.get(cadence, 7))


def share(splitter: QSplitter, fractions: Sequence[float]) -> None:
    """Give the splitter's panes these fractions of its length (once, when first shown: later
    the user's own sizes stand)."""
    total = (
        splitter.width()
        if splitter.orientation() == Qt.Orientation.Horizontal
        else splitter.height()
    )
    splitter.setSizes([max(1, int(total * f)) for f in fractions])


class Banner(QFrame):
    """A message across the view with an optional button (the vanity ladder's "Add")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricsBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.hide()
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def say(self, text: str, role: str = "warning", button: str = "") -> None:
        self.text.setText(text)
        self.text.setAccessibleName(text)
        set_role(self.text, role)
        self.button.setText(button)
        self.button.setAccessibleName(button)
        self.button.setVisible(bool(button))
        self.setVisible(bool(text))


class TargetQuestion(QFrame):
    """Asks before a target is set on the wrong side of its baseline: set it anyway, set it
    and flip the metric's direction, or leave it.  Nothing is written until one is chosen."""

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetQuestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._run = run
        self._anyway: Command | None = None
        self._flipped: Command | None = None
        layout = QHBoxLayout(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        set_role(self.text, "warning")
        self.anyway_button = QPushButton(_tr("Set It Anyway"), self)
        self.flip_button = QPushButton(self)
        self.cancel_button = QPushButton(_tr("Leave It"), self)
        for button in (self.anyway_button, self.flip_button, self.cancel_button):
            button.setAccessibleName(button.text())
        self.anyway_button.clicked.connect(lambda: self._answer(self._anyway))
        self.flip_button.clicked.connect(lambda: self._answer(self._flipped))
        self.cancel_button.clicked.connect(lambda: self._answer(None))
        layout.addWidget(self.text, 1)
        for button in (self.anyway_button, self.flip_button, self.cancel_button):
            layout.addWidget(button)
        self.hide()

    def ask(self, sentence: str, anyway: Command, flipped: Command | None, flip_text: str) -> None:
        self._anyway, self._flipped = anyway, flipped
        self.text.setText(_domain(sentence) + " " + _tr("Set it anyway?"))
        self.flip_button.setText(flip_text)
        self.flip_button.setAccessibleName(flip_text)
        self.flip_button.setVisible(flipped is not None)
        self.show()
        self.anyway_button.setFocus()

    def _answer(self, command: Command | None) -> None:
        self.hide()
        self._anyway = self._flipped = None
        if command is not None:
            self._run(command, self)


class MeasurementsPanel(QWidget):
    """One metric's measurements: an entry row, the table, paste from a spreadsheet."""

    #: The user asked to paste (the view's action does the same).
    paste_requested = Signal()

    def __init__(self, model: MeasurementsModel, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._run = run
        self._block: Block | None = None
        self._segments: list[str] = []
        self._shown_id: str | None = None  # the metric whose entry row this is
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        set_role(self.heading, "h2")
        self.due = QLabel(self)
        self.due.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.due)

        entry = QHBoxLayout()
        self.date_edit = OptionalDateEdit(self)
        self.date_edit.setAccessibleName(_tr("Date of the new measurement"))
        self.value_edit = QLineEdit(self)
        self.value_edit.setPlaceholderText(_tr("Value"))
        self.value_edit.setAccessibleName(_tr("Value of the new measurement"))
        self.value_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.segment_edit = QComboBox(self)
        self.segment_edit.setEditable(True)
        self.segment_edit.setAccessibleName(_tr("Segment of the new measurement"))
        line = self.segment_edit.lineEdit()
        assert line is not None
        line.setPlaceholderText(_tr("Everyone"))
        guard_wheel(self.segment_edit)
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(_tr("Note (optional)"))
        self.note_edit.setAccessibleName(_tr("Note of the new measurement"))
        self.add_button = QPushButton(_tr("Add"), self)
        self.add_button.setAccessibleName(_tr("Add the measurement"))
        self.add_button.setToolTip(_tr("Add the measurement (Enter); the date moves on by one"))
        for editor in (self.value_edit, self.note_edit):
            editor.returnPressed.connect(self.add)
        self.add_button.clicked.connect(self.add)
        entry.addWidget(self.date_edit)
        entry.addWidget(self.value_edit)
        entry.addWidget(self.segment_edit, 1)
        entry.addWidget(self.note_edit, 2)
        entry.addWidget(self.add_button)
        layout.addLayout(entry)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_tr("Problem with the measurement"))
        set_role(self.message, "warning")
        self.message.hide()
        layout.addWidget(self.message)

        self.preview = QFrame(self)
        self.preview.setObjectName("pastePreview")
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        preview = QVBoxLayout(self.preview)
        self.preview_text = QLabel(self.preview)
        self.preview_text.setWordWrap(True)
        self.preview_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(self.preview)
        self.cancel_button = QPushButton(_tr("Cancel"), self.preview)
        self.cancel_button.setAccessibleName(_tr("Cancel the paste"))
        self.confirm_button.clicked.connect(self.confirm_paste)
        self.cancel_button.clicked.connect(self.cancel_paste)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        preview.addWidget(self.preview_text)
        preview.addLayout(buttons)
        self.preview.hide()
        layout.addWidget(self.preview)

        self.proxy = TableProxy(model, self)
        self.table = DataTableView(self)
        self.table.setObjectName("measurements")
        self.table.setAccessibleName(_tr("Measurements"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the newest first
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.paste_button = QPushButton(_tr("Paste from Spreadsheet"), self)
        self.paste_button.setAccessibleName(_tr("Paste measurements from a spreadsheet"))
        self.paste_button.setToolTip(
            _tr(
                "Rows of date and value, optionally segment and note (Ctrl+Shift+V). "
                "Nothing is added until you confirm."
            )
        )
        self.paste_button.clicked.connect(self.paste_requested)
        self.delete_button = QPushButton(_tr("Delete Selected"), self)
        self.delete_button.setAccessibleName(_tr("Delete the selected measurements"))
        self.delete_button.setToolTip(
            _tr("Delete the selected measurements (Delete). Undo brings them back.")
        )
        self.delete_button.clicked.connect(self.delete_selected)
        row.addWidget(self.paste_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        self.show_metric(None, [], [])

    # ----------------------------------------------------------------- showing
    @property
    def shown_metric(self) -> Metric | None:
        return self.model.metric

    def show_metric(
        self, metric: Metric | None, missing: Sequence[date], segments: list[str]
    ) -> None:
        """Show ``metric`` (its model was set already), what is due, the segments offered."""
        enabled = metric is not None
        for widget in (
            self.date_edit,
            self.value_edit,
            self.segment_edit,
            self.note_edit,
            self.add_button,
            self.paste_button,
        ):
            widget.setEnabled(enabled)
        if metric is None:
            self.heading.setText(_tr("Measurements"))
            self.due.setText(_tr("Choose a metric in the plan to see and add its measurements."))
            set_role(self.due, "muted")
            self.preview.hide()
            self._update_buttons()
            return
        self.heading.setText(_tr("Measurements of “{name}”").format(name=metric.name))
        if missing:
            self.due.setText(
                "⚠ "
                + _tr("Data due: {count} measurement(s) missing, the last due on {date}.").format(
                    count=len(missing), date=format_date(missing[-1])
                )
            )
            set_role(self.due, "warning")
        else:
            self.due.setText(
                _tr("Type a value and press Enter; the date moves on by the metric's cadence.")
            )
            set_role(self.due, "muted")
        if segments != self._segments:
            self._segments = list(segments)
            text = self.segment_edit.currentText()
            self.segment_edit.clear()
            self.segment_edit.addItems(["", *segments])
            self.segment_edit.setEditText(text)
        if self.date_edit.value() is None or metric.id != self._shown_id:
            self.date_edit.setValue(self._suggested_date())
        self._shown_id = metric.id
        self._update_buttons()

    def _suggested_date(self) -> date:
        rows = self.model.rows()
        if not rows:
            metric = self.shown_metric
            start = metric.baseline_date if metric is not None and metric.baseline_date else None
            return start or svc.today()
        return next_date(self.shown_metric, max(m.on for m in rows))

    def _update_buttons(self, *_args: object) -> None:
        self.delete_button.setEnabled(self.table.selectionModel().hasSelection())

    def say(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.setVisible(bool(sentence))

    # ------------------------------------------------------------------- entry
    def add(self) -> None:
        metric = self.shown_metric
        if metric is None:
            return
        on = self.date_edit.value()
        if on is None:
            self.say(_tr("Choose the date of the measurement."))
            self.date_edit.setFocus()
            return
        text = self.value_edit.text().strip()
        value = parse_number(text.removesuffix("%")) if text else None
        if value is None or not math.isfinite(value):
            shown = text or _tr("nothing")
            self.say(_tr("“{text}” is not a number: type the measured value.").format(text=shown))
            self.value_edit.setFocus()
            self.value_edit.selectAll()
            return
        command = svc.add_measurement(
            metric.id, on, value, self.segment_edit.currentText(), self.note_edit.text()
        )
        if not self._run(command, self.value_edit):
            return
        self.say("")
        self.value_edit.clear()
        self.note_edit.clear()
        self.date_edit.setValue(next_date(metric, on))
        self.value_edit.setFocus()
        row = self.model.row_of(command.entity.id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.scrollTo(index)

    def delete_selected(self) -> None:
        ids = [str(index.data(ID_ROLE)) for index in self.table.selectionModel().selectedRows()]
        command = svc.delete_measurements(ids)
        if command is not None:
            self._run(command, self.table)

    # ------------------------------------------------------------------- paste
    def paste(self, text: str | None = None) -> Block | None:
        """Read ``text`` (the clipboard's) and show what would be added; nothing is written
        until :meth:`confirm_paste`."""
        if self.shown_metric is None:
            return None
        if text is None:
            text = QGuiApplication.clipboard().text()
        block = read_block(text, read_date=_read_date, read_number=_read_number)
        self._block = block
        lines = []
        count = len(block.rows)
        if not block.rows and not block.problems:
            lines.append(
                _tr(
                    "The clipboard holds no rows: copy cells of date and value from a spreadsheet."
                )
            )
        else:
            lines.append(
                _tr("Read {count} measurement(s) for “{name}”.").format(
                    count=count, name=self.shown_metric.name
                )
            )
        if block.header:
            lines.append(_tr("Row 1 looks like a header and is skipped."))
        lines += [_domain(p.sentence) for p in block.problems]
        if block.problems:
            lines.append(
                _tr("Nothing is added until you confirm; the rows with problems are left out.")
            )
        self.preview_text.setText("\n".join(lines))
        set_role(self.preview_text, "warning" if block.problems else "")
        self.confirm_button.setText(_tr("Add {count} Measurement(s)").format(count=count))
        self.confirm_button.setAccessibleName(self.confirm_button.text())
        self.confirm_button.setEnabled(count > 0)
        self.preview.show()
        (self.confirm_button if count else self.cancel_button).setFocus()
        return block

    def confirm_paste(self) -> bool:
        block, metric = self._block, self.shown_metric
        if block is None or metric is None or not block.rows:
            return False
        rows = [(r.on, r.value, r.segment, r.note) for r in block.rows]
        if not self._run(svc.add_measurements(metric.id, rows), self.table):
            return False
        self.cancel_paste()
        return True

    def cancel_paste(self) -> None:
        self._block = None
        self.preview.hide()

    # ------------------------------------------------------------------- keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Paste) and self.table.state() != (
                QAbstractItemView.State.EditingState
            ):
                self.paste_requested.emit()
                return True
            if event.key() == Qt.Key.Key_Delete and self.table.state() != (
                QAbstractItemView.State.EditingState
            ):
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)


def _read_date(text: str) -> date | None:
    """A pasted date: ISO, "16 Mar 2026", the locale's short form, "16.03.2026", or a
    slashed date that reads only one way (16/03/2026; 03/04/2026 follows the locale)."""
    try:
        return to_date(text)
    except ValueError:
        pass
    text = text.strip()
    for fmt in ("d.M.yyyy", "yyyy/M/d", "d MMMM yyyy", "MMM d, yyyy"):
        parsed = QDate.fromString(text, fmt)
        if parsed.isValid():
            return date(parsed.year(), parsed.month(), parsed.day())
    readings = {
        (d.year(), d.month(), d.day())
        for d in (QDate.fromString(text, "d/M/yyyy"), QDate.fromString(text, "M/d/yyyy"))
        if d.isValid()
    }
    if len(readings) == 1:
        return date(*readings.pop())
    return None


def _read_number(text: str) -> float | None:
    value = parse_number(text.strip().removesuffix("%").strip())
    if value is None or not math.isfinite(value):
        return None
    return value
