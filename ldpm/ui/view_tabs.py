"""The initiative's views as tabs, grouped by area.

Eleven views do not fit a laptop's tab bar side by side, let alone a projector's, so a view
may name an ``area`` (:attr:`ldpm.ui.views.base.InitiativeView.area`): the views of one area
share a top-level tab and are the tabs of a second row inside it (the plan's matrix, coverage,
releases and roadmap under *Plan*). A view without an area is a top-level tab of its own.

:class:`ViewTabs` is the top-level tab widget; its :meth:`~ViewTabs.setCurrentWidget` and
:meth:`~ViewTabs.currentWidget` speak of *views* wherever they are, and
:attr:`~ViewTabs.view_changed` fires when the current view changes through either row.

Each view sits in a :class:`ViewPage`, a frameless scroll area the view fills: a view whose
minimum is wider or taller than the room left on a small screen (a laptop at 1024×640, or
1366×768 with the projector's large text) scrolls inside its tab instead of making the whole
window larger than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


class ViewPage(QScrollArea):
    """A tab's page: ``view`` filling it, and scroll bars only while the page is smaller
    than the view's minimum size."""

    def __init__(self, view: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the view's own controls take focus
        self.setWidgetResizable(True)
        self.setWidget(view)


class ViewTabs(QTabWidget):
    """Top-level tabs: a view, or an area's own tab widget holding its views."""

    #: The current view changed (top-level tab or a tab inside an area).
    view_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._areas: dict[str, QTabWidget] = {}
        self.currentChanged.connect(lambda _index: self.view_changed.emit())

    def add_view(self, view: QWidget, title: str, area: str = "") -> None:
        """Add ``view`` as a top-level tab, or to the tab of ``area`` (source text,
        translated in the "views" context), made on first use."""
        page = ViewPage(view)
        if not area:
            self.addTab(page, title)
            return
        inner = self._areas.get(area)
        if inner is None:
            inner = QTabWidget(self)
            inner.setDocumentMode(True)
            label = QCoreApplication.translate("views", area)
            inner.setAccessibleName(label.replace("&&", "&"))
            inner.currentChanged.connect(lambda _index: self.view_changed.emit())
            self._areas[area] = inner
            self.addTab(inner, label)
        inner.addTab(page, title)

    def area_tabs(self, area: str) -> QTabWidget | None:
        """The tab widget of ``area``'s views (None if no view names it)."""
        return self._areas.get(area)

    def currentWidget(self) -> QWidget:
        """The current view (inside an area: that area's current view)."""
        widget = super().currentWidget()
        if isinstance(widget, QTabWidget) and widget in self._areas.values():
            widget = widget.currentWidget()
        return widget.view if isinstance(widget, ViewPage) else widget

    def setCurrentWidget(self, widget: QWidget) -> None:
        """Make view ``widget`` current, in whichever row it is."""
        page = widget.parentWidget()
        while page is not None and not isinstance(page, ViewPage):
            page = page.parentWidget()
        target: QWidget = page if page is not None and page.view is widget else widget
        for inner in self._areas.values():
            if inner.indexOf(target) >= 0:
                inner.setCurrentWidget(target)
                super().setCurrentWidget(inner)
                return
        super().setCurrentWidget(target)
