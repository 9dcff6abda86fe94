"""Actions declared once: a table of id, text, shortcut, menu, handler and enabled-when.

The main window lists its actions as :class:`ActionSpec` rows (see ``main_window.py``,
``_action_table``); views add their own rows while they are the current tab
(:meth:`ldpm.ui.views.base.InitiativeView.actions`).  :class:`ActionRegistry` turns the rows
into ``QAction``s, builds the menu bar in table order (a change of ``section`` within a menu
is a separator), keeps exclusive groups, and re-evaluates every row's ``enabled`` predicate in
:meth:`ActionRegistry.update`.

Ids are members of :class:`A` (a ``StrEnum``), so a typo is caught by mypy and at import, not
when a menu is opened.  Because ``A.SAVE == "save"``, code and tests that look actions up by
their string keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


class A(StrEnum):
    """Every action id of the window (views may add ids of their own)."""

    NEW = "new"
    OPEN = "open"
    OPEN_DEMO = "open_demo"
    SAVE = "save"
    SAVE_AS = "save_as"
    AUTOSAVE = "autosave"
    SYNC_NOW = "sync_now"
    SYNC_SETTINGS = "sync_settings"
    IMPORT = "import"
    EXPORT = "export"
    CLOSE = "close"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    UNDO_SYNC = "undo_sync"
    NEW_INITIATIVE = "new_initiative"
    RENAME_INITIATIVE = "rename_initiative"
    ARCHIVE_INITIATIVE = "archive_initiative"
    DELETE_INITIATIVE = "delete_initiative"
    MOVE_UP = "move_up"
    MOVE_DOWN = "move_down"
    THEME_LIGHT = "theme_light"
    THEME_DARK = "theme_dark"
    THEME_CONTRAST = "theme_contrast"
    PROJECTOR = "projector"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    ZOOM_RESET = "zoom_reset"
    SHOW_ARCHIVED = "show_archived"
    SHOW_CONFLICTS = "show_conflicts"
    ABOUT = "about"


#: The menu bar: (path, title) in order.  A path "a/b" is submenu b of menu a, placed where
#: its first action appears in the table.
MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("file/recent", "Open &Recent"),
    ("edit", "&Edit"),
    ("initiative", "&Initiative"),
    ("view", "&View"),
    ("view/theme", "&Theme"),
    ("help", "&Help"),
)

Shortcut = QKeySequence.StandardKey | str


def _always() -> bool:
    return True


def tr(text: str) -> str:
    """Translate an action or menu text (context ``"actions"``)."""
    return QCoreApplication.translate("actions", text)


def _key_sequences(shortcuts: Sequence[Shortcut]) -> list[QKeySequence]:
    """Every binding of each shortcut (a standard key may have several on a platform, or
    none), without duplicates, in order."""
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for shortcut in shortcuts:
        if isinstance(shortcut, QKeySequence.StandardKey):
            keys = list(QKeySequence.keyBindings(shortcut))
        else:
            keys = [QKeySequence(shortcut)]
        for key in keys:
            text = key.toString()
            if text and text not in seen:
                seen.add(text)
                out.append(key)
    return out


@dataclass(frozen=True)
class ActionSpec:
    """One row of the action table."""

    id: str
    text: str  # source text; translated in the "actions" context
    menu: str  # a path from MENUS, or "" for an action only reachable by shortcut/button
    handler: Callable[[], object]
    section: str = ""
    shortcuts: tuple[Shortcut, ...] = ()
    tip: str = ""
    enabled: Callable[[], bool] = _always
    checkable: bool = False
    checked: Callable[[], bool] | None = None
    group: str = ""  # actions with the same group are exclusive
    role: QAction.MenuRole = QAction.MenuRole.TextHeuristicRole


class ActionRegistry(Mapping[str, QAction]):
    """The ``QAction`` of every row, by id; builds menus and keeps ``enabled`` up to date."""

    def __init__(self, owner: QWidget) -> None:
        self._owner = owner
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}
        self._groups: dict[str, QActionGroup] = {}
        self.menus: dict[str, QMenu] = {}
        self._view_ids: list[str] = []

    # -- Mapping
    def __getitem__(self, key: str) -> QAction:
        return self._actions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)

    # -- building
    def add(self, spec: ActionSpec) -> QAction:
        if spec.id in self._actions:
            raise ValueError(f"duplicate action id {spec.id!r}")
        action = QAction(tr(spec.text), self._owner)
        action.setObjectName(str(spec.id))
        self._configure(action, spec)
        # A check box follows its toggles (also setChecked); a choice in a group its
        # triggers (toggled would also fire for the one being unchecked).
        signal = action.toggled if spec.checkable and not spec.group else action.triggered
        signal.connect(lambda _checked=False, s=spec: s.handler())
        self._owner.addAction(action)
        self._actions[spec.id] = action
        self._specs[spec.id] = spec
        return action

    def adopt(self, spec: ActionSpec, action: QAction) -> QAction:
        """Register an action Qt made (Undo and Redo come from the QUndoGroup)."""
        action.setObjectName(str(spec.id))
        self._configure(action, spec)
        self._owner.addAction(action)
        self._actions[spec.id] = action
        self._specs[spec.id] = spec
        return action

    def _configure(self, action: QAction, spec: ActionSpec) -> None:
        if spec.shortcuts:
            action.setShortcuts(_key_sequences(spec.shortcuts))
        if spec.tip:
            action.setStatusTip(tr(spec.tip))
            action.setToolTip(tr(spec.tip))
        if spec.checkable:
            action.setCheckable(True)
            if spec.checked is not None:
                action.setChecked(spec.checked())
        if spec.group:
            group = self._groups.get(spec.group)
            if group is None:
                group = self._groups[spec.group] = QActionGroup(self._owner)
            group.addAction(action)
        action.setMenuRole(spec.role)

    def build(self, specs: Iterable[ActionSpec], bar: QMenuBar) -> None:
        """Create every action and the menus, in table order."""
        rows = list(specs)
        for spec in rows:
            if spec.id not in self._actions:
                self.add(spec)
        for path, title in MENUS:
            if "/" not in path:
                self.menus[path] = bar.addMenu(tr(title))
        last_section: dict[str, str] = {}
        for spec in rows:
            if not spec.menu:
                continue
            menu = self._menu(spec.menu, last_section)
            self._separate(spec.menu, spec.section, menu, last_section)
            menu.addAction(self._actions[spec.id])

    def _menu(self, path: str, last_section: dict[str, str]) -> QMenu:
        menu = self.menus.get(path)
        if menu is not None:
            return menu
        parent_path, _, _name = path.rpartition("/")
        parent = self._menu(parent_path, last_section)
        title = dict(MENUS)[path]
        menu = parent.addMenu(tr(title))
        self.menus[path] = menu
        return menu

    @staticmethod
    def _separate(path: str, section: str, menu: QMenu, last: dict[str, str]) -> None:
        if path in last and last[path] != section:
            menu.addSeparator()
        last[path] = section

    def insert_submenu(self, path: str, section: str, before: str | None = None) -> QMenu:
        """A submenu (e.g. "file/recent") placed in its parent menu before action
        ``before`` (or at the end)."""
        parent_path, _, _name = path.rpartition("/")
        parent = self.menus[parent_path]
        menu = QMenu(tr(dict(MENUS)[path]), parent)
        anchor = self._actions[before] if before is not None else None
        if anchor is not None:
            parent.insertMenu(anchor, menu)
        else:
            parent.addMenu(menu)
        self.menus[path] = menu
        return menu

    # -- views' own actions
    def set_view_actions(self, specs: Sequence[ActionSpec]) -> None:
        """Replace the current view's actions in the menus with ``specs``."""
        for key in self._view_ids:
            action = self._actions.pop(key)
            self._specs.pop(key)
            for menu in self.menus.values():
                menu.removeAction(action)
            self._owner.removeAction(action)
            action.deleteLater()
        self._view_ids = []
        for spec in specs:
            action = self.add(spec)
            if spec.menu:
                menu = self.menus[spec.menu]
                menu.addAction(action)
            self._view_ids.append(spec.id)
        self.update()

    # -- state
    def update(self) -> None:
        """Enable (and check) every action as its row says."""
        for key, spec in self._specs.items():
            action = self._actions[key]
            action.setEnabled(spec.enabled())
            if spec.checkable and spec.checked is not None:
                blocked = action.blockSignals(True)
                try:
                    action.setChecked(spec.checked())
                finally:
                    action.blockSignals(blocked)

    def spec(self, key: str) -> ActionSpec:
        return self._specs[key]
