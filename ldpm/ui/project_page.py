"""An open project: the portfolio sidebar beside the views of the chosen initiative.

Every view of :data:`ldpm.ui.views.VIEWS` has its tab from the start, but a view is built
(and reads its data) only when its tab is first shown, or when someone asks for it with
:meth:`ProjectPage.view` or offers it a navigation target it may take.  Opening a large
project therefore builds one view, not eleven.  A view built late misses nothing: it is
given the current initiative when it is made and reads everything when it is first shown.
:attr:`ProjectPage.views` lists the views built so far.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from ldpm.domain.entities import Initiative
from ldpm.services import initiatives as svc
from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.portfolio import PortfolioModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.sidebar import PortfolioSidebar
from ldpm.ui.view_tabs import ViewPage, ViewTabs
from ldpm.ui.views import VIEWS
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.overview import OverviewView

V = TypeVar("V", bound=InitiativeView)
#: The most of the page's width the portfolio takes when fitted to the text.
SIDEBAR_SHARE = 0.26


class ProjectPage(QWidget):
    current_changed = Signal(object)  # str | None
    #: The current view's own actions (a list of ActionSpec) changed: the window merges
    #: them into its menus.
    view_actions_changed = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        actions: Mapping[str, QAction],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = PortfolioModel(runner, self)
        self.sidebar = PortfolioSidebar(self.model, actions, self)
        self.tabs = ViewTabs(self)
        self.tabs.setAccessibleName(self.tr("Initiative views"))
        self._actions = actions
        self._current: str | None = None
        #: The class of each tab's view, in tab order, and its page (the view built on demand).
        self._classes: list[type[InitiativeView]] = list(VIEWS)
        self._pages: dict[type[InitiativeView], ViewPage] = {}
        for view_class in self._classes:
            self._pages[view_class] = self.tabs.add_view(
                partial(self._build_view, view_class),
                view_class.display_title(),
                view_class.area,
            )
        self.tabs.view_changed.connect(self._on_tab)

        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._fit_sidebar()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.sidebar.current_changed.connect(self._on_current)
        runner.changed.connect(self._on_changed)

    @property
    def overview(self) -> OverviewView:
        return self.view(OverviewView)

    @property
    def views(self) -> list[InitiativeView]:
        """The views built so far, in tab order (:meth:`view` builds one)."""
        built = (self._pages[c].view for c in self._classes)
        return [view for view in built if isinstance(view, InitiativeView)]

    def is_built(self, kind: type[InitiativeView]) -> bool:
        """Whether the view of class ``kind`` has been built (its tab shown, or asked for)."""
        return any(self._pages[c].view is not None for c in self._classes if issubclass(c, kind))

    def view(self, kind: type[V]) -> V:
        """The page's view of class ``kind``, built now if it was not yet."""
        for view_class in self._classes:
            if issubclass(view_class, kind):
                view = self._pages[view_class].ensure_view()
                assert isinstance(view, kind)
                return view
        raise LookupError(kind.__name__)

    def navigate(self, target: object) -> bool:
        """Show ``target`` in the first view that can; it becomes the current tab.  A view
        not built yet is built to be asked only if it may take targets at all."""
        for view_class in self._classes:
            page = self._pages[view_class]
            if page.view is None and not view_class.may_navigate(target):
                continue
            view = page.ensure_view()
            assert isinstance(view, InitiativeView)
            if view.navigate(target):
                self.tabs.setCurrentWidget(view)
                return True
        return False

    def _build_view(self, view_class: type[InitiativeView]) -> InitiativeView:
        """Make the view of ``view_class`` for its tab: it gets the window's actions and the
        current initiative, and reads its data when first shown (it starts stale)."""
        view = view_class(self.runner)
        view.set_actions(self._actions)
        view.navigate_requested.connect(self.navigate)
        view.set_initiative(self._current)
        return view

    def current_view(self) -> InitiativeView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, InitiativeView) else None

    def _fit_sidebar(self) -> None:
        """About 34 characters of the current font, so that larger text (a projector) gets a
        wider portfolio rather than cut-off names — but never more than about a quarter of
        the window, so the views keep their room on a laptop at the largest text."""
        font = QFont(self.font())
        font.setBold(True)  # the portfolio's names are bold and a little larger
        font.setPointSizeF(font.pointSizeF() * 1.05)
        width = QFontMetrics(font).averageCharWidth() * 34 + 32
        # Before the page has a width (not shown yet), as if it were four portfolios wide.
        total = max(self.splitter.width(), self.width()) or width * 4
        width = min(width, max(200, int(total * SIDEBAR_SHARE)))
        self.splitter.setSizes([width, total - width])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fitted and event.size().width() > 0:
            self._fitted = True  # once the page has its real width; afterwards the user's
            self._fit_sidebar()

    _fitted = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_sidebar()

    def select_first(self) -> None:
        self.sidebar.select(None)

    def select(self, initiative_id: str, *, edit: bool = False) -> None:
        self.sidebar.select(initiative_id, edit=edit)

    def current_id(self) -> str | None:
        """The chosen initiative's id (no read from the project)."""
        return self._current

    def current_initiative(self) -> Initiative | None:
        if self._current is None:
            return None
        return svc.get_initiative(self.runner.project, self._current)

    def rename_current(self) -> None:
        if self._current is not None:
            self.sidebar.select(self._current, edit=True)

    def move_current(self, delta: int) -> None:
        """Move the current initiative ``delta`` rows up (negative) or down among the rows the
        user can see (hidden archived initiatives do not count)."""
        if self._current is None:
            return
        row = self.model.index_of(self._current)
        target = row + delta
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        # move_before() places the item before a visible row; moving down skips past it.
        before = target if delta < 0 else target + 1
        self.model.move_before(self._current, before if before < self.model.rowCount() else -1)

    def _on_tab(self) -> None:
        view = self.current_view()
        self.view_actions_changed.emit(view.view_actions() if view is not None else [])

    # ---------------------------------------------------------- initiative actions
    def new_initiative(self, name: str) -> None:
        command = svc.add_initiative(self.runner.project, name)
        if self.runner.run(command, origin=self.sidebar):
            self.select(command.entity.id, edit=True)

    def toggle_archived(self, undo_keys: str) -> str:
        """Archive the current initiative (or bring it back); returns a sentence to show."""
        current = self.current_initiative()
        if current is None:
            return ""
        command = svc.set_archived(self.runner.project, current.id, not current.archived)
        if not self.runner.run(command, origin=self.sidebar):
            return ""
        verb = self.tr("Archived") if not current.archived else self.tr("Restored")
        return self.tr("{verb} “{name}”. Undo with {keys}.").format(
            verb=verb, name=current.name, keys=undo_keys
        )

    def delete_current(self, undo_keys: str) -> str:
        """Delete the current initiative (undoable); returns a sentence to show."""
        current = self.current_initiative()
        if current is None:
            return ""
        if not self.runner.run(
            svc.delete_initiative(self.runner.project, current.id), origin=self.sidebar
        ):
            return ""
        return self.tr("Deleted “{name}”. Undo with {keys}.").format(
            name=current.name, keys=undo_keys
        )

    def _on_current(self, initiative_id: str | None) -> None:
        if initiative_id == self._current:
            return
        self._current = initiative_id
        for view in self.views:
            view.set_initiative(initiative_id)
        self.current_changed.emit(initiative_id)

    def _on_changed(self, record: ChangeRecord) -> None:
        # A deleted or hidden initiative leaves the list: follow the sidebar's new current row.
        if (
            record.structure
            and self._current is not None
            and (self.model.index_of(self._current) < 0)
        ):
            self.sidebar.select(None)
