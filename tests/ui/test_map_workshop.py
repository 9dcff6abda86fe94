"""Workshop mode in the main window: the map alone on the screen (no menu bar, tab rows,
portfolio or status bar), a visible way out, and everything back as it was after Esc, the
same shortcut, the button, or another tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ldpm.ui.main_window import MainWindow
from ldpm.ui.views.stakeholder_map import StakeholderMapView
from ldpm.ui.views.stakeholders import StakeholdersView


def chrome(window: MainWindow) -> dict[str, QWidget]:
    page = window.page
    assert page is not None
    area = page.tabs.area_tabs("Stakeholders")
    assert area is not None
    menu = window.menuWidget()
    assert menu is not None
    return {
        "menu bar": menu,
        "status bar": window.statusBar(),
        "top tabs": page.tabs.tabBar(),
        "second row": area.tabBar(),
        "sidebar": page.sidebar,
    }


def shown(window: MainWindow) -> dict[str, bool]:
    return {name: widget.isVisible() for name, widget in chrome(window).items()}


@pytest.fixture
def map_view(window: MainWindow, qtbot: QtBot, demo_path: Path) -> StakeholderMapView:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    assert window.page is not None
    view = window.page.view(StakeholderMapView)
    window.page.tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    return view


@pytest.mark.parametrize("leave", ["escape", "shortcut", "button", "another tab"])
def test_workshop_mode_leaves_the_map_alone_and_gives_everything_back(
    window: MainWindow, map_view: StakeholderMapView, qtbot: QtBot, leave: str
) -> None:
    before = shown(window)
    assert all(before.values())
    qtbot.keyClick(
        map_view.canvas,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: map_view.workshop)
    assert not any(shown(window).values())
    assert map_view.canvas.isVisible() and map_view.workshop_hint.isVisible()
    assert map_view.workshop_hint.text() == "Esc to leave workshop mode"
    # The map has the room: it is nearly as large as the window.
    qtbot.waitUntil(lambda: map_view.canvas.height() > window.height() * 0.8)
    if leave == "escape":
        qtbot.keyClick(map_view.canvas, Qt.Key.Key_Escape)
    elif leave == "shortcut":
        qtbot.keyClick(
            map_view.canvas,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    elif leave == "button":
        map_view.workshop_button.click()
    else:
        page = window.page
        assert page is not None
        page.tabs.setCurrentWidget(page.view(StakeholdersView))
    qtbot.waitUntil(lambda: not map_view.workshop)
    assert shown(window) == before
    assert not map_view.workshop_hint.isVisible()


def test_what_the_user_had_hidden_stays_hidden(
    window: MainWindow, map_view: StakeholderMapView, qtbot: QtBot
) -> None:
    window.statusBar().hide()
    map_view.workshop_button.click()
    assert not window.statusBar().isVisible() and not chrome(window)["sidebar"].isVisible()
    qtbot.keyClick(map_view.canvas, Qt.Key.Key_Escape)
    assert not map_view.workshop
    assert not window.statusBar().isVisible()
    assert chrome(window)["sidebar"].isVisible() and chrome(window)["menu bar"].isVisible()


def test_escape_outside_workshop_mode_only_clears_the_selection(
    window: MainWindow, map_view: StakeholderMapView, qtbot: QtBot
) -> None:
    map_view.canvas.select(map_view.canvas.card_ids()[:1])
    qtbot.keyClick(map_view.canvas, Qt.Key.Key_Escape)
    assert map_view.canvas.selected_ids() == [] and not map_view.workshop
    assert all(shown(window).values())
