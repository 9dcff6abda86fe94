"""Quick request capture: who asked, their words, the solution they proposed — in seconds,
inline in the portfolio (no dialog).  The request becomes an initiative in stage Discover,
not yet triaged (:func:`ldpm.services.triage.capture_request`), and is selected so that the
intake can start.  Enter in a one-line field or Ctrl+Enter captures; Escape puts it away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import initiatives, triage
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import GrowingTextEdit, set_role


class CapturePanel(QFrame):
    """See the module docstring."""

    #: The new initiative's id, after a capture.
    captured = Signal(str)
    closed = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("capturePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Capture a request"), self)
        set_role(title, "h3")
        layout.addWidget(title)
        self.who = QLineEdit(self)
        self.who.setObjectName("captureWho")
        self.who.setPlaceholderText(self.tr("Who asked"))
        self.who.setAccessibleName(self.tr("Who asked"))
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self.who)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.who.setCompleter(completer)
        self.words = GrowingTextEdit(min_lines=3)
        self.words.setParent(self)
        self.words.setObjectName("captureWords")
        self.words.setPlaceholderText(self.tr("Their words, as they said them"))
        self.words.setAccessibleName(self.tr("The request, in the requester's words"))
        self.words.setTabChangesFocus(True)
        self.solution = QLineEdit(self)
        self.solution.setObjectName("captureSolution")
        self.solution.setPlaceholderText(self.tr("The solution they asked for (optional)"))
        self.solution.setAccessibleName(self.tr("The solution they proposed"))
        for widget in (self.who, self.words, self.solution):
            layout.addWidget(widget)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        set_role(self.message, "warning")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.capture_button = QPushButton(self.tr("Capture"), self)
        self.capture_button.setDefault(True)
        self.capture_button.setAccessibleName(self.tr("Capture the request"))
        self.capture_button.clicked.connect(self.capture)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.capture_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.who.returnPressed.connect(self.capture)
        self.solution.returnPressed.connect(self.capture)
        self.words.installEventFilter(self)
        self.hide()

    def start(self) -> None:
        """Show the panel, empty, with the cursor in "who asked"."""
        names = initiatives.list_people_names(self.runner.project)
        if names != self._names.stringList():
            self._names.setStringList(names)
        self.message.hide()
        self.show()
        self.who.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def capture(self) -> None:
        words = self.words.toPlainText().strip()
        solution = self.solution.text().strip()
        if not words and not solution:
            self.message.setText(self.tr("Write what they asked for, in their own words."))
            self.message.show()
            self.words.setFocus()
            return
        command = triage.capture_request(self.runner.project, self.who.text(), words, solution)
        if not self.runner.run(command, origin=self):
            self.message.setText(self.runner.last_failure)
            self.message.show()
            return
        self._clear()
        self.hide()
        self.captured.emit(command.entity.id)

    def cancel(self) -> None:
        self._clear()
        self.hide()
        self.closed.emit()

    def _clear(self) -> None:
        self.who.clear()
        self.words.clear()
        self.solution.clear()
        self.message.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.words
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.capture()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)
