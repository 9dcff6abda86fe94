"""The form binder: one entity's fields ↔ editors ↔ commands.

A view declares its form fields through a :class:`FormBinder`
(``binder.line_field("owner")``, ``binder.number_field("problem_baseline")``,
``binder.choice_field("stage", Stage)`` …) and lays the editors out as it likes.  The binder
then does the rest, the same way for every form:

* **editor → command.**  Text commits as you type (``typing=True``, so a burst of keystrokes
  in one field coalesces into one undo step); numbers and dates commit when editing finishes;
  choices when the choice changes.  The command comes from the view's ``edit(field, value,
  typing)`` and runs through the view (:meth:`InitiativeView.run`) with the editor as origin,
  so a rejected value comes back to that view, which shows the sentence inline, and the field
  shows the stored value again.  (A number that cannot be read is passed on as NaN, which every
  entity's validation rejects with a sentence: one path for every bad value.)
* **stored value → editor, echo-free.**  :meth:`FormBinder.show` updates an editor only when
  the stored value differs from what it shows, with its signals blocked (so a refresh never
  becomes an edit) and its cursor kept (so the field you are typing in does not jump).  A number
  being typed is left alone unless forced.
* **The wheel never changes data by accident.**  Choices, dates and spin boxes take focus only
  by click or Tab (``Qt.StrongFocus``) and ignore the wheel unless focused: scrolling a long form
  with the pointer over them scrolls the form (:func:`guard_wheel`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

from ldpm.services.commands import Command
from ldpm.ui.labels import choices
from ldpm.ui.widgets import (
    GrowingTextEdit,
    OptionalDateEdit,
    format_number,
    guard_wheel,
    parse_number,
)

W = TypeVar("W", bound=QWidget)

#: Makes the command for one field: ``edit(field, value, typing)`` (None: nothing to do).
EditFn = Callable[[str, Any, bool], Command | None]
#: Runs a command on behalf of an editor; returns True if it was applied.
RunFn = Callable[[Command, QObject], bool]


def set_line_text(editor: QLineEdit, value: str) -> None:
    """Show ``value`` without emitting an edit and keeping the cursor where it was."""
    if editor.text() == value:
        return
    position = editor.cursorPosition()
    blocked = editor.blockSignals(True)
    try:
        editor.setText(value)
        editor.setCursorPosition(min(position, len(value)))
    finally:
        editor.blockSignals(blocked)


def set_plain_text(editor: GrowingTextEdit, value: str) -> None:
    """The same for a multi-line field."""
    if editor.toPlainText() == value:
        return
    position = editor.textCursor().position()
    blocked = editor.blockSignals(True)
    try:
        editor.setPlainText(value)
        cursor = editor.textCursor()
        cursor.setPosition(min(position, editor.document().characterCount() - 1))
        editor.setTextCursor(cursor)
    finally:
        editor.blockSignals(blocked)
    # Signals were blocked, so the document's size signal did not reach the height logic.
    editor.updateGeometry()


class FormBinder(QObject):
    """Fields of one entity bound to editors; see the module docstring."""

    def __init__(
        self,
        parent: QObject,
        *,
        edit: EditFn,
        run: RunFn,
        current: Callable[[], object | None],
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self._run = run
        self._current = current
        #: Field name → its editor.
        self.editors: dict[str, QWidget] = {}
        self._enums: dict[str, type[Enum]] = {}
        self._numbers: set[str] = set()

    # ----------------------------------------------------------- declaring
    def line_field(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(partial(self._typed, field))
        edit.editingFinished.connect(partial(self.show_field, field))
        return self._add(field, edit)

    def text_field(self, field: str, placeholder: str = "", min_lines: int = 2) -> GrowingTextEdit:
        edit = GrowingTextEdit(min_lines=min_lines)
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(partial(self._typed_text, field))
        return self._add(field, edit)

    def number_field(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.editingFinished.connect(partial(self._commit_number, field))
        self._numbers.add(field)
        return self._add(field, edit)

    def date_field(self, field: str) -> OptionalDateEdit:
        edit = OptionalDateEdit()
        edit.setObjectName(field)
        edit.setToolTip(self.tr("Press Delete to remove the date."))
        edit.committed.connect(partial(self._commit_date, field))
        guard_wheel(edit)
        return self._add(field, edit)

    def choice_field(self, field: str, enum_cls: type[Enum]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(field)
        # Qt stores a StrEnum member as its plain string: keep the class to turn it back.
        self._enums[field] = enum_cls
        for member, text in choices(enum_cls):
            combo.addItem(text, member.value)
        combo.currentIndexChanged.connect(partial(self._commit_choice, field))
        guard_wheel(combo)
        return self._add(field, combo)

    def _add(self, field: str, editor: W) -> W:
        if field in self.editors:
            raise ValueError(f"field {field!r} is bound twice")
        self.editors[field] = editor
        if isinstance(editor, QAbstractSpinBox):
            guard_wheel(editor)
        return editor

    # -------------------------------------------------------------- commits
    def _commit(self, field: str, value: Any, *, typing: bool = False) -> bool:
        command = self._edit(field, value, typing)
        if command is None:
            return False
        return self._run(command, self.editors[field])

    def _typed(self, field: str, text: str) -> None:
        self._commit(field, text, typing=True)

    def _typed_text(self, field: str) -> None:
        editor = self.editors[field]
        assert isinstance(editor, GrowingTextEdit)
        self._commit(field, editor.toPlainText(), typing=True)

    def _commit_number(self, field: str) -> None:
        editor = self.editors[field]
        assert isinstance(editor, QLineEdit)
        entity = self._current()
        if entity is None:
            return
        value = parse_number(editor.text())
        if value != getattr(entity, field):
            self._commit(field, value)
        self.show_field(field)

    def _commit_date(self, field: str, value: date | None) -> None:
        self._commit(field, value)
        self.show_field(field)

    def _commit_choice(self, field: str, index: int) -> None:
        editor = self.editors[field]
        assert isinstance(editor, QComboBox)
        if index < 0:
            return
        self._commit(field, self._enums[field](editor.itemData(index)))
        self.show_field(field)

    # -------------------------------------------------------------- showing
    def show(self, fields: set[str] | None = None, *, force: bool = True) -> None:
        """Make the editors of ``fields`` (all if None) show the stored values."""
        for field in self.editors:
            if fields is None or field in fields:
                self.show_field(field, force=force)

    def show_field(self, field: str, *, force: bool = True) -> None:
        """Make the editor of ``field`` show the stored value, if it does not already.
        Without ``force`` a number the user is busy typing is left alone."""
        entity = self._current()
        if entity is None:
            return
        value = getattr(entity, field)
        editor = self.editors[field]
        if isinstance(editor, GrowingTextEdit):
            set_plain_text(editor, value)
        elif field in self._numbers:
            assert isinstance(editor, QLineEdit)
            if force or not (editor.hasFocus() and editor.isModified()):
                set_line_text(editor, format_number(value))
        elif isinstance(editor, QLineEdit):
            set_line_text(editor, value)
        elif isinstance(editor, OptionalDateEdit):
            if editor.value() != value:
                editor.setValue(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value.value)
            if index != editor.currentIndex():
                blocked = editor.blockSignals(True)
                try:
                    editor.setCurrentIndex(index)
                finally:
                    editor.blockSignals(blocked)
