"""Ctrl+Z and Ctrl+Shift+Z go to the project's undo stack, whatever has focus.

Qt's text widgets claim the undo and redo shortcuts for their own, per-field undo.  In LDPM
every keystroke in a form field is already a command on the project's undo stack (typing in
one field coalesces into one step), so the window's Undo and Redo actions must win — for every
field, including those of views and canvases built after the project opened.  One filter on
the application does that: it sees the ``ShortcutOverride`` that a focused text widget gets
before a shortcut fires and declines it for Undo and Redo, so the window's actions run.

A cell editor open in a table keeps its own undo while it is being edited (its value is not
committed yet); it is recognised by sitting in an item view's viewport.

The filter only looks at ``ShortcutOverride`` events (a handful per key press) and returns at
once for everything else.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_TEXT_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def in_item_editor(widget: QWidget) -> bool:
    """True for an editor open in a cell of a table, list or tree."""
    node = widget.parentWidget()
    while node is not None:
        grand = node.parentWidget()
        if isinstance(grand, QAbstractItemView) and node is grand.viewport():
            return True
        node = grand
    return False


class UndoRouter(QObject):
    """Installed on the application by the main window (``window`` is the one it serves)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        #: False while no project is open: fields then keep Qt's own undo.
        self.active = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not self.active:
            return False
        if not (
            isinstance(watched, _TEXT_WIDGETS)
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            return False
        if watched.window() is not self.window or in_item_editor(watched):
            return False
        event.ignore()  # not the field's: the window's Undo/Redo shortcut fires
        return True
