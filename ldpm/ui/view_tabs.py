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

**Views built when first shown.**  A tab may be given a *factory* instead of a view: every tab
is in the bar from the start, but its view is made only when the tab first becomes the current
one (or someone asks :meth:`ViewPage.ensure_view` for it).  Opening a large project then builds
and fills one view, not eleven; :attr:`ViewTabs.view_changed` fires after the new current
view exists.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

#: Makes a tab's view the first time it is needed.
ViewFactory = Callable[[], QWidget]


class ViewPage(QScrollArea):
    """A tab's page: ``view`` filling it, and scroll bars only while the page is smaller
    than the view's minimum size.  Given a factory, the view is made on first need
    (:meth:`ensure_view`); until then :attr:`view` is None."""

    def __init__(self, view: QWidget | ViewFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: QWidget | None = None
        self._factory: ViewFactory | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the view's own controls take focus
        self.setWidgetResizable(True)
        if isinstance(view, QWidget):
            self._set_view(view)
        else:
            self._factory = view

    def ensure_view(self) -> QWidget:
        """The page's view, made now if it has not been yet."""
        if self.view is None:
            assert self._factory is not None
            factory, self._factory = self._factory, None
            self._set_view(factory())
        assert self.view is not None
        return self.view

    def _set_view(self, view: QWidget) -> None:
        self.view = view
        self.setWidget(view)


class ViewTabs(QTabWidget):
    """Top-level tabs: a view, or an area's own tab widget holding its views."""

    #: The current view changed (top-level tab or a tab inside an area).
    view_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._areas: dict[str, QTabWidget] = {}
        self.currentChanged.connect(self._on_current_changed)

    def add_view(self, view: QWidget | ViewFactory, title: str, area: str = "") -> ViewPage:
        """Add ``view`` (or a factory that makes it when its tab is first current) as a
        top-level tab, or to the tab of ``area`` (source text, translated in the "views"
        context), made on first use.  Returns the view's page."""
        page = ViewPage(view)
        if not area:
            self.addTab(page, title)
            return page
        inner = self._areas.get(area)
        if inner is None:
            inner = QTabWidget(self)
            inner.setDocumentMode(True)
            label = QCoreApplication.translate("views", area)
            inner.setAccessibleName(label.replace("&&", "&"))
            inner.currentChanged.connect(self._on_current_changed)
            self._areas[area] = inner
            self.addTab(inner, label)
        inner.addTab(page, title)
        return page

    def _on_current_changed(self, _index: int) -> None:
        self.current_page()  # the new current view is made before anyone hears of it
        self.view_changed.emit()

    def area_tabs(self, area: str) -> QTabWidget | None:
        """The tab widget of ``area``'s views (None if no view names it)."""
        return self._areas.get(area)

    def current_page(self) -> ViewPage | None:
        """The current view's page (inside an area: that area's current one), its view made
        if it was not yet; None while there is no tab."""
        widget = super().currentWidget()
        if isinstance(widget, QTabWidget) and widget in self._areas.values():
            widget = widget.currentWidget()
        if not isinstance(widget, ViewPage):
            return None
        widget.ensure_view()
        return widget

    def currentWidget(self) -> QWidget:
        """The current view (inside an area: that area's current view), made if it was not
        yet."""
        page = self.current_page()
        if page is not None:
            assert page.view is not None
            return page.view
        return super().currentWidget()

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
