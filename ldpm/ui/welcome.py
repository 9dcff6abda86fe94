"""The welcome screen shown when no project is open: New, Open, the demo, recent files.

What it says about the app stays true: it names only the views that exist (:data:`VIEWS`, or
the titles the caller passes), so a new view appears here when it is added to the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def _views() -> list[str]:
    """The titles of the initiative views in this version, in tab order (from the one list
    of views, so the welcome screen never promises a view that is not there)."""
    from ldpm.ui.views import VIEWS

    return [view.display_title().replace("&&", "&") for view in VIEWS]


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" in the middle rather than widening
    its parent (a long folder path)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("…") * 6, hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, rect.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )


class RecentCard(QPushButton):
    """A recent project: a glyph in the theme's accent colour, then the project's name over
    its folder, centred vertically in a card.  The style sheet draws the card and the glyph
    (``#recentCard``, ``#recentGlyph``), so both follow the theme and the text size."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setObjectName("recentCard")
        self.setAccessibleName(self.tr("Open recent project {name}").format(name=path.name))
        self.setAccessibleDescription(str(path.parent))
        self.setToolTip(str(path))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.glyph = QLabel(self)
        self.glyph.setObjectName("recentGlyph")
        self.name_label = QLabel(path.stem, self)
        self.name_label.setObjectName("recentName")
        self.folder_label = ElidedLabel(str(path.parent), self)
        self.folder_label.setProperty("role", "muted")
        for label in (self.glyph, self.name_label, self.folder_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name_label)
        text.addWidget(self.folder_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(12)
        row.addWidget(self.glyph, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text, 1)
        row.setAlignment(text, Qt.AlignmentFlag.AlignVCenter)

    # A button sizes itself by its own text; this one is as big as its contents.
    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()


class WelcomePage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(Path)
    clear_recent_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, views: Sequence[str] = ()) -> None:
        """``views``: the titles of the initiative views there are (all of this version's
        by default)."""
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
        self.tagline = QLabel(
            self.tr(
                "Run every learning initiative like a product: start from the business "
                "problem, question the training request, and agree how you will know it "
                "worked."
            )
        )
        self.tagline.setWordWrap(True)
        self.views_label = QLabel(
            self.tr("Views for each initiative: {views}.").format(
                views=QLocale().createSeparatedList(list(views) or _views())
            )
        )
        self.views_label.setWordWrap(True)
        self.views_label.setProperty("role", "muted")
        column.addWidget(title)
        column.addWidget(self.tagline)
        column.addWidget(self.views_label)

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
        self.recent_box.setSpacing(6)
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
        self._recent_buttons: list[RecentCard] = []

    def set_recent(self, files: list[Path]) -> None:
        for button in self._recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for path in files:
            button = RecentCard(path, self)
            button.clicked.connect(lambda _checked=False, p=path: self.recent_requested.emit(p))
            self.recent_box.addWidget(button)
            self._recent_buttons.append(button)
        has_recent = bool(files)
        self.empty_recent.setVisible(not has_recent)
        self.clear_button.setVisible(has_recent)
