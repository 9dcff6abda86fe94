"""Workshop mode's "only the map": the rest of the window steps aside, and comes back exactly.

A facilitator puts the stakeholder map on a projector; the room should see the map, not the
window's menus, tabs, portfolio or status bar.  :class:`Alone` hides, for one widget, what
shares its window with it — found through Qt's own structure, so no window needs to know
about workshops:

* the menu bar and the status bar of its :class:`QMainWindow` (the window's actions are the
  window's own, so their shortcuts — the one that ends workshop mode, Undo — still work);
* the tab bars of every :class:`QTabWidget` it sits in (the top row and an area's second row);
* whatever shares a :class:`QSplitter` with it or its containers (the portfolio sidebar).

Only what was shown is hidden, and :meth:`Alone.leave` shows exactly that again — a status bar
or sidebar the user had hidden stays hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QStatusBar, QTabWidget, QWidget


class Alone:
    """Hide what shares ``widget``'s window with it, and bring it back (see the module)."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self._hidden: list[QWidget] = []
        self.active = False

    def others(self) -> list[QWidget]:
        """What would be hidden: the window's bars, tab bars above ``widget``, splitter
        neighbours."""
        found: list[QWidget] = []
        window = self.widget.window()
        if isinstance(window, QMainWindow):
            menu = window.menuWidget()
            if menu is not None:
                found.append(menu)
            # Its own status bar, if it has one (statusBar() would make one).
            bar = window.findChild(QStatusBar, "", Qt.FindChildOption.FindDirectChildrenOnly)
            if bar is not None:
                found.append(bar)
        child, parent = self.widget, self.widget.parentWidget()
        while parent is not None and child is not window:
            if isinstance(parent, QTabWidget):
                found.append(parent.tabBar())
            elif isinstance(parent, QSplitter):
                for i in range(parent.count()):
                    neighbour = parent.widget(i)
                    if neighbour is not None and neighbour is not child:
                        found.append(neighbour)
            child, parent = parent, parent.parentWidget()
        return found

    def enter(self) -> None:
        if self.active:
            return
        self.active = True
        self._hidden = [w for w in self.others() if not w.isHidden()]
        for widget in self._hidden:
            widget.hide()

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        for widget in self._hidden:
            widget.show()
        self._hidden = []
