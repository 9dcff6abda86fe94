"""The welcome screen shown when no project is open: New, Open, the demo, recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(Path)
    clear_recent_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(14)
        outer.addLayout(column, 3)
        outer.addStretch(1)

        column.addStretch(1)
        title = QLabel(self.tr("LDPM"))
        title.setProperty("role", "h1")
        tagline = QLabel(
            self.tr(
                "Run every learning initiative like a product: intake, backlog, MVP, "
                "stakeholders and the metrics that show it worked."
            )
        )
        tagline.setWordWrap(True)
        tagline.setProperty("role", "muted")
        column.addWidget(title)
        column.addWidget(tagline)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New Project…"))
        self.new_button.setProperty("role", "primary")
        self.open_button = QPushButton(self.tr("Open…"))
        self.demo_button = QPushButton(self.tr("Open the Demo"))
        for button, name in (
            (self.new_button, self.tr("Create a new project file")),
            (self.open_button, self.tr("Open a project file")),
            (self.demo_button, self.tr("Open the demo project")),
        ):
            button.setAccessibleName(name)
            button.setMinimumHeight(button.sizeHint().height() + 8)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)

        recent_header = QHBoxLayout()
        self.recent_title = QLabel(self.tr("Recent projects"))
        self.recent_title.setProperty("role", "h2")
        self.clear_button = QPushButton(self.tr("Clear List"))
        self.clear_button.setAccessibleName(self.tr("Clear the list of recent projects"))
        self.clear_button.clicked.connect(self.clear_recent_requested)
        recent_header.addWidget(self.recent_title)
        recent_header.addStretch(1)
        recent_header.addWidget(self.clear_button)
        column.addSpacing(12)
        column.addLayout(recent_header)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(2)
        column.addLayout(self.recent_box)
        self.empty_recent = QLabel(
            self.tr(
                "Projects you open appear here. You can also drop a .ldpm file on this window."
            )
        )
        self.empty_recent.setProperty("role", "muted")
        self.empty_recent.setWordWrap(True)
        column.addWidget(self.empty_recent)
        column.addStretch(2)
        self._recent_buttons: list[QCommandLinkButton] = []

    def set_recent(self, files: list[Path]) -> None:
        for button in self._recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for path in files:
            button = QCommandLinkButton(path.stem, str(path.parent))
            button.setAccessibleName(self.tr("Open recent project {name}").format(name=path.name))
            button.setToolTip(str(path))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, p=path: self.recent_requested.emit(p))
            self.recent_box.addWidget(button)
            self._recent_buttons.append(button)
        has_recent = bool(files)
        self.empty_recent.setVisible(not has_recent)
        self.clear_button.setVisible(has_recent)
