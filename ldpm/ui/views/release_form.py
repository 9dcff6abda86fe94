"""The chosen release's details: name, story line, target date and capacity, with the release
commands (new, delete, make it the MVP, move it left or right).

Fields are bound with the shared :class:`~ldpm.ui.forms.FormBinder` (typing coalesces into one
undo step, refreshes are echo-free, a refused value shows its sentence on the form's message
line and the field shows the stored value again).  The commands are
:mod:`ldpm.services.plan`'s; the view runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Release
from ldpm.services import plan as svc
from ldpm.services.commands import Command
from ldpm.ui.forms import FormBinder
from ldpm.ui.widgets import guard_wheel, set_role

RunFn = Callable[[Command | None, QObject], bool]


class ReleaseForm(QWidget):
    """The details of one release (see the module docstring)."""

    #: The user chose another release in the combo box (its id, or None).
    chosen = Signal(object)

    def __init__(self, run: RunFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._release: Release | None = None
        self.picker = QComboBox(self)
        self.picker.setAccessibleName(self.tr("Release"))
        guard_wheel(self.picker)
        self.picker.activated.connect(lambda i: self.chosen.emit(self.picker.itemData(i)))
        self.binder = FormBinder(self, edit=self._command, run=self.run_ok, current=self.release)
        self.name = self.binder.line_field("name", self.tr("What people call this release"))
        self.story = self.binder.text_field(
            "story", self.tr("The one sentence people hear about it"), min_lines=2
        )
        self.story.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.date = self.binder.date_field("target_date")
        self.capacity = self.binder.number_field("capacity", self.tr("person-days"))
        self.mvp_label = QLabel(self)
        set_role(self.mvp_label, "ok")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        set_role(self.message, "warning")
        self.message.setAccessibleName(self.tr("Problem with the release"))
        self.message.hide()
        self.new_button = QPushButton(self.tr("New Release"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.mvp_button = QPushButton(self.tr("Make It the MVP"), self)
        self.left_button = QPushButton(self.tr("Move Earlier"), self)
        self.right_button = QPushButton(self.tr("Move Later"), self)
        # Captions beside their fields when there is room, above them when there is not (a
        # narrow column, the projector preset): the form never needs more width than a field.
        grid = QFormLayout()
        grid.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        grid.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("&Release"), self.picker),
            (self.tr("&Name"), self.name),
            (self.tr("&Story line"), self.story),
            (self.tr("&Target date"), self.date),
            (self.tr("&Capacity (person-days)"), self.capacity),
        ]
        for text, editor in rows:
            caption = QLabel(text, self)
            caption.setBuddy(editor)
            editor.setParent(self)
            editor.setAccessibleName(text.replace("&", ""))
            grid.addRow(caption, editor)
        # Two rows of buttons, so that the form fits a narrow column at projector sizes.
        buttons = QVBoxLayout()
        for row_buttons in (
            (self.mvp_button, self.left_button, self.right_button),
            (self.new_button, self.delete_button),
        ):
            row_layout = QHBoxLayout()
            for button in row_buttons:
                row_layout.addWidget(button)
            row_layout.addStretch(1)
            buttons.addLayout(row_layout)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(grid)
        column.addWidget(self.mvp_label)
        column.addWidget(self.message)
        column.addLayout(buttons)
        column.addStretch(1)
        self._enable()

    # ----------------------------------------------------------------- showing
    def release(self) -> Release | None:
        return self._release

    def set_releases(self, releases: list[Release], current: Release | None) -> None:
        """The initiative's releases in the combo box, and the one shown in the form."""
        blocked = self.picker.blockSignals(True)
        try:
            self.picker.clear()
            for release in releases:
                self.picker.addItem(release.name, release.id)
            if current is not None:
                self.picker.setCurrentIndex(self.picker.findData(current.id))
        finally:
            self.picker.blockSignals(blocked)
        changed = (current.id if current else None) != (
            self._release.id if self._release else None
        )
        self._release = current
        if changed:
            self.message.hide()
        if current is not None:
            self.binder.show(force=changed)
            self.mvp_label.setText("★ " + self.tr("This release is the MVP."))
        self.mvp_label.setVisible(current is not None and current.is_mvp)
        self._enable(len(releases))

    def _enable(self, count: int = 0) -> None:
        has = self._release is not None
        for editor in (self.picker, self.name, self.story, self.date, self.capacity):
            editor.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.mvp_button.setEnabled(has and not (self._release and self._release.is_mvp))
        index = self.picker.currentIndex()
        self.left_button.setEnabled(has and index > 0)
        self.right_button.setEnabled(has and 0 <= index < count - 1)

    def show_message(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()

    def owns(self, origin: QObject | None) -> bool:
        return isinstance(origin, QWidget) and (origin is self or self.isAncestorOf(origin))

    # ----------------------------------------------------------------- editing
    def _command(self, field: str, value: Any, typing: bool) -> Command | None:
        if self._release is None:
            return None
        return svc.edit_release(self._release.id, {field: value}, typing=typing)

    def run_ok(self, command: Command | None, origin: QObject) -> bool:
        ok = self._run(command, origin)
        if ok:
            self.message.hide()
        return ok
