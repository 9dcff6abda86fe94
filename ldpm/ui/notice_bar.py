"""An inline notice above the project: a sentence and one or two actions, never modal.

Used when LDPM finds something the user should decide on but that must not interrupt them —
copies of the project a sync client left beside the file, for instance.  The bar says what it
found and offers the action that deals with it, plus "Not Now".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class NoticeBar(QFrame):
    """A message with buttons, shown above the page; hidden until :meth:`show_notice`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Notice"))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._layout = QHBoxLayout(self)
        self._layout.addWidget(self.label, 1)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_notice(
        self, text: str, actions: list[tuple[str, Callable[[], None]]], *, dismiss: str = ""
    ) -> None:
        """Show ``text`` with one button per ``(label, callback)``; every button also hides
        the bar.  ``dismiss`` adds a last button that only hides it."""
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        self.label.setText(text)
        entries = list(actions)
        if dismiss:
            entries.append((dismiss, lambda: None))
        for label, callback in entries:
            button = QPushButton(label, self)
            button.setAccessibleName(label.replace("&", ""))
            button.clicked.connect(self.hide)
            button.clicked.connect(callback)
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setAccessibleDescription(text)
        self.show()
