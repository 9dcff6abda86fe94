"""The backlog's table and its side panel side by side, mixed into
:class:`~ldpm.ui.views.backlog.BacklogView` (:class:`SideBySide`): the widths the user gives
them are remembered; until then the panel is about 40 characters wide (never more than a
third); and the panel is never narrower than its fields need, so the splitter stops there
instead of cutting them at the right behind a horizontal scroll bar (again after every font
or style change: the projector preset's text is twice as large).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QWidget

from ldpm.ui import settings as prefs

if TYPE_CHECKING:  # what SideBySide is mixed into, for the type checker
    from ldpm.ui.views.backlog_panels import DetailPanel

    _Base = QWidget
else:
    _Base = object


class SideBySide(_Base):
    """See the module docstring."""

    settings: prefs.Settings
    splitter: QSplitter
    detail: DetailPanel
    scoring_scroll: QScrollArea

    def _save_split(self, *_args: object) -> None:
        self.settings.set(prefs.BACKLOG_SPLIT, json.dumps(self.splitter.sizes()))

    def _restore_split(self) -> None:
        """The widths the user gave the table and the panel, or: the panel about 40
        characters of the current font wide (never more than a third), the table the rest."""
        try:
            sizes = json.loads(self.settings.get(prefs.BACKLOG_SPLIT) or "[]")
        except ValueError:
            sizes = []
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(s, int) for s in sizes):
            self.splitter.setSizes(sizes)
            return
        total = self.splitter.width()
        side = min(self.fontMetrics().averageCharWidth() * 40, max(total // 3, 1))
        self.splitter.setSizes([max(total - side, 1), side])

    def _watch_side(self) -> None:
        """Fit the panel again whenever its pages lay themselves out anew (another item,
        its SMEs, a message)."""
        for scroll in (self.detail.item_scroll, self.scoring_scroll):
            inner = scroll.widget()
            if inner is not None:
                inner.installEventFilter(self)

    def _fit_side(self) -> None:
        """Each page of the panel at least as wide as its fields need, with room for a
        vertical scroll bar and the area's frame (as the theme draws them: at twice the text
        the style sheet's scroll bar is wider than the style's own)."""
        for scroll in (self.detail.item_scroll, self.scoring_scroll):
            inner = scroll.widget()
            if inner is not None:
                bar = scroll.verticalScrollBar().sizeHint().width()
                wanted = inner.minimumSizeHint().width() + bar + 2 * scroll.frameWidth()
                if scroll.minimumWidth() != wanted:
                    scroll.setMinimumWidth(wanted)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_side()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._fit_side)  # once the fields have the change
        if event.type() == QEvent.Type.FontChange and not self.settings.get(prefs.BACKLOG_SPLIT):
            self._restore_split()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is not self.splitter:
            QTimer.singleShot(0, self, self._fit_side)  # once the page is laid out
        elif (
            watched is self.splitter
            and event.type() == QEvent.Type.Resize
            and not self.settings.get(prefs.BACKLOG_SPLIT)
        ):
            self._restore_split()  # until the user sets the widths by hand
        return super().eventFilter(watched, event)
