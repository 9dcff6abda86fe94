"""The window when the file on a shared drive changes under it (issue 6, scenarios 1, 3, 36):
a background save merges a colleague's version and says so; copies a sync client left beside
the file are offered inline, never in a dialog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives as svc
from ldpm.services.commands import execute
from ldpm.services.project import Project
from ldpm.ui.main_window import MainWindow

COLLEAGUE = "c0c0c0c0c0c0c0c0"


def colleague_version(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **changes: object
) -> Path:
    """A colleague's saved copy of the project with ``changes`` on the first initiative."""
    theirs = tmp_path / "colleague" / demo_path.name
    theirs.parent.mkdir()
    shutil.copyfile(demo_path, theirs)
    with monkeypatch.context() as m:
        m.setenv("LDPM_HOME", str(tmp_path / "colleague-home"))
        m.setenv("LDPM_DEVICE_ID", COLLEAGUE)
        project = Project.open(theirs)
        first = svc.list_initiatives(project)[0]
        execute(project, svc.edit_initiative(project, first.id, changes))
        project.save()
        project.close()
    return theirs


def test_a_background_save_merges_a_colleagues_version(
    window: MainWindow,
    qtbot: QtBot,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    theirs = colleague_version(demo_path, tmp_path, monkeypatch, owner="Dana Ruiz")
    shutil.copyfile(theirs, demo_path)  # the sync client delivers it while the file is open
    assert window.project is not None and window.page is not None
    assert window.runner is not None
    first = svc.list_initiatives(window.project)[0]
    window.runner.run(svc.edit_initiative(window.project, first.id, {"sponsor": "Maya"}))
    with qtbot.waitSignal(window.saved, timeout=20_000):
        window.start_save(explicit=False)
    assert "Merged a colleague's changes" in window.statusBar().currentMessage()
    current = svc.get_initiative(window.project, first.id)
    assert current is not None and current.owner == "Dana Ruiz" and current.sponsor == "Maya"
    assert not window.isWindowModified()


def test_copies_beside_the_file_are_offered_inline_and_merged(
    window: MainWindow,
    qtbot: QtBot,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],
) -> None:
    theirs = colleague_version(demo_path, tmp_path, monkeypatch, owner="Dana Ruiz")
    copy = demo_path.with_name("Demo (Dana's conflicted copy 2026-11-29).ldpm")
    shutil.copyfile(theirs, copy)
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    assert window.notice.isVisible()
    assert copy.name in window.notice.label.text()
    merge = window.notice.buttons[0]
    assert merge.text().replace("&", "") == "Merge Them"
    merge.click()
    assert not window.notice.isVisible()
    assert not copy.exists()  # tidied away into the backups
    assert window.project is not None
    first = svc.list_initiatives(window.project)[0]
    assert first.owner == "Dana Ruiz"
    assert window.isWindowModified() or window.project.unsaved
    assert "Merged 1 copy" in window.statusBar().currentMessage()
    assert messages == []  # nothing modal


def test_not_now_does_not_ask_again(
    window: MainWindow,
    qtbot: QtBot,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    theirs = colleague_version(demo_path, tmp_path, monkeypatch, owner="Dana Ruiz")
    copy = demo_path.with_name("Demo (1).ldpm")
    shutil.copyfile(theirs, copy)
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    window.notice.buttons[-1].click()
    assert not window.notice.isVisible()
    assert window.save()
    assert not window.notice.isVisible() and copy.exists()


def test_the_status_bar_names_who_else_has_the_file_open(
    window: MainWindow, qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldpm.persistence import presence_note

    with monkeypatch.context() as m:
        m.setenv("LDPM_HOME", str(demo_path.parent / "colleague-home"))
        m.setenv("LDPM_USER_NAME", "Dana Ruiz")
        presence_note.announce(demo_path, COLLEAGUE)
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    assert window.file_presence.isVisible()
    assert window.file_presence.text() == "Dana Ruiz also has this file open"
    presence_note.withdraw(demo_path, COLLEAGUE)
    window._heartbeat()
    assert not window.file_presence.isVisible()
