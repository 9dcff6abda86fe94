"""The main window's action table: every menu command once, with its handler and when it is
enabled.  Order is menu order; a new ``section`` within a menu starts after a separator.
See :mod:`ldpm.ui.actions` for how the rows become actions and menus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ldpm.ui.actions import A, ActionSpec

if TYPE_CHECKING:
    from ldpm.ui.main_window import MainWindow

SK = QKeySequence.StandardKey


def action_table(w: MainWindow) -> list[ActionSpec]:
    """The rows for window ``w`` (handlers and predicates close over it)."""
    docs = w.documents
    sync = w.sync_ui
    from ldpm.ui.exchange_ui import ExchangeUi

    exchange = ExchangeUi(w)  # a child of the window: w.findChild(ExchangeUi)

    def has_project() -> bool:
        return docs.project is not None

    def has_initiative() -> bool:
        page = docs.page
        return docs.project is not None and page is not None and page.current_id() is not None

    def theme_is(key: str) -> bool:
        return w.themes.theme.key == key

    return [
        # File
        ActionSpec(A.NEW, "&New Project…", "file", docs.new_project, "open", (SK.New,),
                   "Create a new project file"),
        ActionSpec(A.OPEN, "&Open…", "file", docs.open_dialog, "open", (SK.Open,),
                   "Open a project file"),
        ActionSpec(A.OPEN_DEMO, "Open the &Demo", "file", docs.open_demo, "open",
                   tip="Open the demo project"),
        ActionSpec(A.SAVE, "&Save", "file", lambda: docs.start_save(explicit=True), "save",
                   (SK.Save,), "Save the project", enabled=has_project),
        ActionSpec(A.SAVE_AS, "Save &As…", "file", docs.save_as, "save", (SK.SaveAs,),
                   "Save the project under a new name or in another place",
                   enabled=has_project),
        ActionSpec(A.AUTOSAVE, "Save &Automatically", "file",
                   lambda: docs.set_autosave(w.registry[A.AUTOSAVE].isChecked()), "save",
                   checkable=True, checked=w.autosave_on),
        ActionSpec(A.SYNC_NOW, "Sync &Now", "file", sync.sync_now, "sync", ("F5",),
                   "Merge the changes made on other computers and share this computer's",
                   enabled=lambda: has_project() and not sync.running),
        ActionSpec(A.SYNC_SETTINGS, "S&ync Settings…", "file", sync.edit_settings, "sync",
                   tip="Choose a shared folder or a WebDAV server to sync this project through",
                   enabled=has_project),
        ActionSpec(A.IMPORT, "&Import…", "file", exchange.start_import, "exchange",
                   ("Ctrl+Shift+I",),
                   "Import backlog items, people or measurements from a CSV or Excel file",
                   enabled=has_project),
        ActionSpec(A.EXPORT, "E&xport…", "file", exchange.start_export, "exchange",
                   ("Ctrl+Shift+X",),
                   "Export backlog items, stakeholders, metrics or measurements to Excel or CSV",
                   enabled=has_project),
        ActionSpec(A.CLOSE, "&Close", "file", docs.close_project, "close", (SK.Close,),
                   "Close the project", enabled=has_project),
        ActionSpec(A.QUIT, "&Quit", "file", w.close, "quit", (SK.Quit, "Ctrl+Q"), "Quit LDPM",
                   role=QAction.MenuRole.QuitRole),
        # Edit (Undo and Redo are made by the undo group; see MainWindow.build)
        ActionSpec(A.UNDO_SYNC, "Undo Last S&ync", "edit", sync.undo_last_sync, "sync",
                   tip="Revert what the last sync merged; your own edits are kept and the "
                   "reverted changes wait in Changes to Review",
                   enabled=lambda: has_project() and sync.can_undo_sync()),
        # Initiative
        ActionSpec(A.NEW_INITIATIVE, "&New Initiative", "initiative", w.new_initiative, "new",
                   ("Ctrl+Shift+N",), "Add an initiative to the portfolio",
                   enabled=has_project),
        ActionSpec("capture_request", "&Capture Request…", "initiative",
                   lambda: docs.page.sidebar.start_capture() if docs.page else None, "new",
                   ("Ctrl+Shift+R",),
                   "Capture a request in seconds: who asked, their words, the solution they "
                   "proposed", enabled=has_project),
        ActionSpec(A.RENAME_INITIATIVE, "&Rename", "initiative", w.rename_initiative, "edit",
                   ("F2",), "Rename the initiative in the portfolio", enabled=has_initiative),
        ActionSpec(A.ARCHIVE_INITIATIVE, "&Archive", "initiative", w.toggle_archived, "edit",
                   ("Ctrl+Shift+A",), "Archive the initiative, or bring an archived one back",
                   enabled=has_initiative),
        ActionSpec(A.DELETE_INITIATIVE, "&Delete", "initiative", w.delete_initiative, "edit",
                   ("Ctrl+Shift+Backspace",), "Delete the initiative (undo brings it back)",
                   enabled=has_initiative),
        ActionSpec(A.MOVE_UP, "Move &Up", "initiative", lambda: w.move_initiative(-1), "move",
                   ("Alt+Up",), enabled=has_initiative),
        ActionSpec(A.MOVE_DOWN, "Move Do&wn", "initiative", lambda: w.move_initiative(1),
                   "move", ("Alt+Down",), enabled=has_initiative),
        # View
        ActionSpec(A.THEME_LIGHT, "&Light", "view/theme", lambda: w.set_theme("light"),
                   checkable=True, checked=lambda: theme_is("light"), group="theme"),
        ActionSpec(A.THEME_DARK, "&Dark", "view/theme", lambda: w.set_theme("dark"),
                   checkable=True, checked=lambda: theme_is("dark"), group="theme"),
        ActionSpec(A.THEME_CONTRAST, "&High Contrast (Projector)", "view/theme",
                   lambda: w.set_theme("contrast"), checkable=True,
                   checked=lambda: theme_is("contrast"), group="theme"),
        ActionSpec(A.PROJECTOR, "&Projector", "view", w.toggle_projector, "theme",
                   ("Ctrl+Shift+P",),
                   "High contrast and large text for a projector; choose again to go back",
                   checkable=True, checked=lambda: w.themes.projector),
        ActionSpec(A.ZOOM_IN, "&Larger Text", "view", lambda: w.step_font(1), "zoom",
                   (SK.ZoomIn, "Ctrl+=")),
        ActionSpec(A.ZOOM_OUT, "&Smaller Text", "view", lambda: w.step_font(-1), "zoom",
                   (SK.ZoomOut,)),
        ActionSpec(A.ZOOM_RESET, "&Normal Text Size", "view", lambda: w.set_font_scale(1.0),
                   "zoom", ("Ctrl+0",)),
        ActionSpec(A.SHOW_ARCHIVED, "Show &Archived Initiatives", "view",
                   lambda: w.set_show_archived(w.registry[A.SHOW_ARCHIVED].isChecked()),
                   "show", checkable=True, checked=w.show_archived_on),
        ActionSpec(A.SHOW_CONFLICTS, "Changes to &Review", "view", sync.show_panel, "show",
                   tip="Show the fields changed on two computers at the same time",
                   enabled=has_project),
        # Help
        ActionSpec(A.ABOUT, "&About LDPM", "help", w.about, role=QAction.MenuRole.AboutRole),
    ]  # fmt: skip
