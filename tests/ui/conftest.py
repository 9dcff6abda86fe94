"""Fixtures for window tests: a real main window, and dialogs that never block a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives
from ldpm.services.project import Project
from ldpm.ui import settings as prefs
from ldpm.ui.main_window import MainWindow
from ldpm.ui.operations import OperationRunner
from ldpm.ui.settings import Settings
from ldpm.ui.theme import ThemeManager


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sentences the window showed in dialogs, recorded instead of blocking the test.  A
    question nobody answers would hang a test: it is recorded and answered "Discard"."""
    shown: list[str] = []

    def warning(_parent: object, _title: str, text: str, *args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    def question(_parent: object, _title: str, text: str, *args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr("ldpm.ui.main_window.QMessageBox.warning", warning)
    monkeypatch.setattr("ldpm.ui.main_window.QMessageBox.question", question)
    return shown


@pytest.fixture
def window(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, messages: list[str]
) -> Iterator[MainWindow]:
    """A shown main window with its own settings file, autosave off, light theme."""
    settings = Settings(tmp_path / "settings.ini")
    settings.set(prefs.AUTOSAVE, False)
    themes = ThemeManager(qapp)
    themes.apply("light", 1.0)
    win = MainWindow(settings, themes)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    if win.sync_ui is not None:
        win.sync_ui.settle()
    if win.project is not None:
        win.project.close(discard_unsaved=True)
        win.documents.project = None
    themes.apply("light", 1.0)


@pytest.fixture
def runner(qapp: QApplication, project: Project) -> Iterator[OperationRunner]:
    """An operation runner on the empty project of tests/conftest.py."""
    r = OperationRunner(project)
    yield r
    r.undo_stack.clear()
    r.deleteLater()


@pytest.fixture
def demo_runner(qapp: QApplication, demo_path: Path) -> Iterator[OperationRunner]:
    """An operation runner on a fresh copy of the demo project."""
    project = Project.open(demo_path)
    runner = OperationRunner(project)
    yield runner
    runner.undo_stack.clear()
    project.close(discard_unsaved=True)


@pytest.fixture
def initiative_id(runner: OperationRunner) -> str:
    command = initiatives.add_initiative(runner.project, "Incident hand-offs")
    assert runner.run(command)
    return command.entity.id
