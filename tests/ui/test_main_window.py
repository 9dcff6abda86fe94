"""The main window on real project files: open, edit, undo, save, reopen; bad input; themes."""

from __future__ import annotations

import errno
import hashlib
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldpm.persistence import snapshot as snapshot_module
from ldpm.persistence.fileformat import inspect_file
from ldpm.services import initiatives as svc
from ldpm.ui import document_controller as document_controller_module
from ldpm.ui import settings as prefs
from ldpm.ui.main_window import MainWindow
from ldpm.ui.models.portfolio import ID_ROLE
from ldpm.ui.settings import Settings
from ldpm.ui.theme import ThemeManager
from tests.persistence.test_bad_input import CASES, bad_files


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_welcome_without_a_project(window: MainWindow) -> None:
    assert window.current_widget() is window.welcome
    assert window.windowTitle() == "LDPM"
    assert not window.menu_actions["save"].isEnabled()
    assert not window.menu_actions["new_initiative"].isEnabled()
    assert window.menu_actions["open"].isEnabled() and window.menu_actions["open_demo"].isEnabled()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Initiative", "&View", "&Help"]


def test_open_edit_undo_save_reopen(window: MainWindow, qtbot: QtBot, demo_path: Path) -> None:
    with qtbot.waitSignal(window.project_opened):
        assert window.open_path(demo_path)
    assert window.windowTitle() == "Demo.ldpm[*] — LDPM"
    assert not window.isWindowModified()
    page = window.page
    assert page is not None
    assert page.model.rowCount() == 4  # the archived initiative is hidden
    assert page.current_initiative() is not None
    assert window.settings.recent_files()[0] == demo_path

    # Add an initiative from the menu action; it becomes current.
    window.menu_actions["new_initiative"].trigger()
    assert page.model.rowCount() == 5
    assert window.isWindowModified()
    current = page.current_initiative()
    assert current is not None and current.name == "New initiative"
    # Rename in place, through the model, as the sidebar's editor does.
    row = page.model.index_of(current.id)
    assert page.model.setData(
        page.model.index(row, 0), "Job aids for support", Qt.ItemDataRole.EditRole
    )
    assert page.model.index(row, 0).data() == "Job aids for support"
    # Undo the rename, then the add; redo both.
    window.menu_actions["undo"].trigger()
    assert page.model.index(row, 0).data() == "New initiative"
    window.menu_actions["undo"].trigger()
    assert page.model.rowCount() == 4
    assert not window.isWindowModified()
    window.menu_actions["redo"].trigger()
    window.menu_actions["redo"].trigger()
    assert page.model.index(page.model.index_of(current.id), 0).data() == "Job aids for support"

    # Archive (hidden), show archived, move it to the top.
    page.select(current.id)
    window.menu_actions["archive_initiative"].trigger()
    assert page.model.index_of(current.id) < 0
    window.menu_actions["show_archived"].trigger()
    assert page.model.index_of(current.id) >= 0
    window.menu_actions["archive_initiative"].trigger()  # restore
    page.select(current.id)
    for _ in range(10):
        window.menu_actions["move_up"].trigger()
    assert page.model.index_of(current.id) == 0

    assert window.save()
    assert not window.isWindowModified()
    assert window.save_state.text() == "All changes saved"
    assert window.close_project()
    assert window.current_widget() is window.welcome

    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    assert window.page is not None
    first = window.page.model.index(0, 0)
    assert first.data() == "Job aids for support"


def test_delete_is_undoable(window: MainWindow, qtbot: QtBot, demo_path: Path) -> None:
    window.open_path(demo_path)
    page = window.page
    assert page is not None
    victim = page.current_initiative()
    assert victim is not None
    window.menu_actions["delete_initiative"].trigger()
    assert page.model.index_of(victim.id) < 0
    assert "Deleted “" in window.statusBar().currentMessage()
    window.menu_actions["undo"].trigger()
    assert page.model.index_of(victim.id) >= 0


@pytest.mark.parametrize("case", CASES)
def test_bad_file_shows_one_sentence_and_keeps_running(
    window: MainWindow, tmp_path: Path, demo_path: Path, messages: list[str], case: str
) -> None:
    path, _kind, phrase = bad_files(tmp_path, demo_path)[case]
    before = digest(path) if path.exists() else None
    assert not window.open_path(path)
    assert len(messages) == 1 and phrase in messages[0]
    assert messages[0].endswith(".") and "\n" not in messages[0]
    assert window.project is None and window.current_widget() is window.welcome
    assert (digest(path) if path.exists() else None) == before
    # The app still works: the demo opens afterwards.
    assert window.open_path(demo_path)


def test_second_window_on_same_file_is_refused(
    window: MainWindow,
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    demo_path: Path,
    messages: list[str],
) -> None:
    window.open_path(demo_path)
    other = MainWindow(Settings(tmp_path / "other.ini"), ThemeManager(qapp))
    qtbot.addWidget(other)
    assert not other.open_path(demo_path)
    assert "is already open in LDPM by" in messages[-1]


def test_failed_save_keeps_everything(
    window: MainWindow, demo_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(demo_path)
    window.menu_actions["new_initiative"].trigger()
    before = digest(demo_path)

    def read_only(_tmp: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(snapshot_module, "before_replace", read_only)
    assert not window.save()
    assert "read-only" in messages[-1]
    assert digest(demo_path) == before
    assert window.isWindowModified() and window.project is not None
    assert window.save_state.text() == "Unsaved changes"
    monkeypatch.setattr(snapshot_module, "before_replace", None)
    assert window.save()


def test_autosave_saves_after_a_quiet_moment(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    window.settings.set(prefs.AUTOSAVE_DELAY_MS, 30)
    window.menu_actions["autosave"].setChecked(True)
    window.open_path(demo_path)
    before = digest(demo_path)
    with qtbot.waitSignal(window.saved, timeout=10_000):  # on a worker thread
        window.menu_actions["new_initiative"].trigger()
    assert window.project is not None and not window.project.unsaved
    assert digest(demo_path) != before
    assert not window.isWindowModified()


def test_drop_a_project_file_opens_it(window: MainWindow, qtbot: QtBot, demo_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(demo_path))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.project_opened):
        window.dropEvent(event)
    assert event.isAccepted()
    assert window.project is not None and window.project.path == demo_path


def test_recovery_offered_after_a_crash(
    window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(demo_path)
    project = window.project
    assert project is not None
    command = svc.add_initiative(project, "Typed before the crash")
    assert window.runner is not None and window.runner.run(command)
    # Crash: the window goes away without closing the project.
    project.document.store.dispose()
    lock = project.document.lock.path
    data = json.loads(lock.read_text())
    data["pid"] = 2**22 + 17
    lock.write_text(json.dumps(data))
    window.documents.project = None
    window.documents.runner = None

    asked: list[Path] = []

    def ask_restore(path: Path, _when: object) -> bool:
        asked.append(path)
        return True

    monkeypatch.setattr(window.documents, "_ask_restore", ask_restore)
    window.offer_recovery()
    assert asked == [demo_path]
    assert window.project is not None and window.project.restored
    names = [i.name for i in svc.list_initiatives(window.project)]
    assert "Typed before the crash" in names
    assert window.statusBar().currentMessage().startswith("Restored the unsaved changes")


def test_themes_and_font_scale_are_one_system(window: MainWindow, qapp: QApplication) -> None:
    base = qapp.font().pointSizeF()
    window.menu_actions["theme_contrast"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert "#ffd400" in qapp.styleSheet()
    window.menu_actions["zoom_in"].trigger()
    window.menu_actions["zoom_in"].trigger()
    assert qapp.font().pointSizeF() == pytest.approx(base * 1.2, rel=0.01)
    assert window.settings.get(prefs.THEME) == "contrast"
    assert window.settings.get(prefs.FONT_SCALE) == pytest.approx(1.2)
    window.menu_actions["zoom_reset"].trigger()
    assert qapp.font().pointSizeF() == pytest.approx(base)
    window.menu_actions["theme_dark"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#1c1f26"


def test_recent_files_menu(window: MainWindow, demo_path: Path) -> None:
    window.open_path(demo_path)
    window.close_project()
    entries = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert entries[0] == "Demo.ldpm"
    assert entries[-1] == "Clear List"
    window.recent_menu.actions()[0].trigger()
    assert window.project is not None


def test_every_action_has_text_and_the_main_ones_have_shortcuts(window: MainWindow) -> None:
    for key, action in window.menu_actions.items():
        assert action.text(), key
    for key in (
        "new",
        "open",
        "save",
        "save_as",
        "close",
        "quit",
        "undo",
        "redo",
        "new_initiative",
        "rename_initiative",
        "zoom_in",
        "zoom_out",
    ):
        assert not window.menu_actions[key].shortcut().isEmpty(), key


def test_explicit_save_runs_in_the_background(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    window.open_path(demo_path)
    window.menu_actions["new_initiative"].trigger()
    with qtbot.waitSignal(window.saved, timeout=10_000):
        window.menu_actions["save"].trigger()
        assert window.save_state.text() == "Saving…"
    assert window.save_state.text() == "All changes saved"
    assert not window.isWindowModified()
    assert window.statusBar().currentMessage() == "Saved “Demo.ldpm”."


def test_closing_waits_for_a_running_save(window: MainWindow, demo_path: Path) -> None:
    window.open_path(demo_path)
    window.menu_actions["new_initiative"].trigger()
    window.start_save(explicit=False)
    assert window.close_project()  # settles the save, then closes: nothing to ask
    info = inspect_file(demo_path)
    assert info is not None


def test_close_waits_for_a_slow_save_and_never_lets_it_land_late(
    window: MainWindow,
    qtbot: QtBot,
    demo_path: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_path)
    window.menu_actions["new_initiative"].trigger()
    release = threading.Event()
    monkeypatch.setattr(snapshot_module, "before_replace", lambda _tmp: release.wait(10))
    monkeypatch.setattr(document_controller_module, "SETTLE_MS", 50)
    window.start_save(explicit=False)
    assert not window.close_project()  # the drive is "slow": closing is refused, not raced
    assert "still saving" in messages[-1]
    assert window.project is not None
    with qtbot.waitSignal(window.saved, timeout=10_000):
        release.set()
    monkeypatch.setattr(snapshot_module, "before_replace", None)
    assert window.close_project()


def test_close_anyway_after_a_failed_save_closes_and_keeps_a_backup(
    window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.menu_actions["autosave"].setChecked(True)
    window.open_path(demo_path)
    window.menu_actions["new_initiative"].trigger()
    project = window.project
    assert project is not None

    def fail(_tmp: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(snapshot_module, "before_replace", fail)
    monkeypatch.setattr(window.documents, "_ask_discard_after_failure", lambda: True)
    assert window.close_project()
    assert window.project is None and window.current_widget() is window.welcome
    assert project.document.closed
    monkeypatch.setattr(snapshot_module, "before_replace", None)
    assert window.open_path(demo_path)  # not locked by the closed project


def test_a_rejected_edit_is_not_a_dialog(
    window: MainWindow, demo_path: Path, messages: list[str]
) -> None:
    window.open_path(demo_path)
    page = window.page
    assert page is not None
    page.model.setData(page.model.index(0, 0), "  ", Qt.ItemDataRole.EditRole)
    assert messages == []
    assert window.statusBar().currentMessage() == "The initiative needs a name."


def test_typing_and_deleting_leaves_no_undo_step(window: MainWindow, demo_path: Path) -> None:
    window.open_path(demo_path)
    assert window.runner is not None and window.project is not None
    stack = window.runner.undo_stack
    initiative = window.page.current_initiative() if window.page else None
    assert initiative is not None
    for text in (initiative.name + "x", initiative.name):
        window.runner.run(
            svc.edit_initiative(window.project, initiative.id, {"name": text}, typing=True)
        )
    assert stack.count() == 0 and stack.isClean()
    assert not window.isWindowModified()


def test_move_up_and_down_follow_the_visible_rows(window: MainWindow, demo_path: Path) -> None:
    window.open_path(demo_path)
    page = window.page
    assert page is not None and window.runner is not None
    rows = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    page.select(page.model.index(0, 0).data(ID_ROLE))
    count = window.runner.undo_stack.count()
    window.menu_actions["move_up"].trigger()  # already at the top of what is visible
    assert window.runner.undo_stack.count() == count
    window.menu_actions["move_down"].trigger()
    after = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert after == [rows[1], rows[0], *rows[2:]]
    window.menu_actions["move_up"].trigger()
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == rows
    assert window.close_project()  # autosave is off: asks, and the answer is Discard


def test_undo_names_the_field_as_the_user_knows_it(window: MainWindow, demo_path: Path) -> None:
    window.open_path(demo_path)
    assert window.page is not None and window.runner is not None and window.project is not None
    current = window.page.current_initiative()
    assert current is not None
    window.runner.run(
        svc.edit_initiative(window.project, current.id, {"requested_on": date(2026, 3, 1)})
    )
    assert window.menu_actions["undo"].text() == "&Undo Change to Requested On"
