"""The project page builds a view when its tab is first shown: every tab is there from the start,
a view not built yet misses nothing (it reads the current state when built and shown), and
navigation reaches a view that was never shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import BacklogItem, Person
from ldpm.services import backlog, initiatives, stakeholders
from ldpm.services.navigation import ShowEntity
from ldpm.ui.main_window import MainWindow
from ldpm.ui.project_page import ProjectPage
from ldpm.ui.views import VIEWS
from ldpm.ui.views.backlog import BacklogView
from ldpm.ui.views.overview import OverviewView
from ldpm.ui.views.roadmap import RoadmapView
from ldpm.ui.views.stakeholders import StakeholdersView


def _open(window: MainWindow, qtbot: QtBot, demo_path: Path) -> ProjectPage:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    assert window.page is not None
    return window.page


def _click_tab(qtbot: QtBot, bar: QTabBar, title: str) -> None:
    """Click the tab labelled ``title`` the way a user does."""
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    if bar.currentIndex() == index:
        return
    with qtbot.waitSignal(bar.currentChanged):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def _rows(view: BacklogView) -> list[tuple[str, str]]:
    return [(item.id, item.title) for item in view.model.items()]


def test_only_the_shown_view_is_built_and_every_tab_is_there(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    page = _open(window, qtbot, demo_path)
    assert [type(v) for v in page.views] == [OverviewView]
    assert page.current_view() is page.views[0]
    assert not any(page.is_built(c) for c in VIEWS if c is not OverviewView)
    # Every view has its tab: the top row, and the second row of each area.
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    area_labels = []
    for area in sorted({c.area for c in VIEWS if c.area}):
        inner = page.tabs.area_tabs(area)
        assert inner is not None
        titles += [inner.tabText(i) for i in range(inner.count())]
        area_labels.append(page.tabs.tabText(page.tabs.indexOf(inner)))
    assert sorted(titles) == sorted([c.display_title() for c in VIEWS] + area_labels)


def test_a_view_built_late_shows_edits_made_before_it_existed(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    page = _open(window, qtbot, demo_path)
    runner = window.runner
    assert runner is not None and not page.is_built(BacklogView)
    initiative_id = page.current_id()
    assert initiative_id is not None
    first = backlog.list_items(runner.project, initiative_id)[0]
    assert runner.run(backlog.edit_item(first.id, {"title": "Renamed before it was built"}))
    assert runner.run(backlog.add_item(runner.project, initiative_id, "Added before it was built"))

    _click_tab(qtbot, page.tabs.tabBar(), BacklogView.display_title())

    view = page.current_view()
    assert isinstance(view, BacklogView) and page.is_built(BacklogView)
    assert view.isVisible() and not view.stale and view.initiative_id == initiative_id
    titles = {title for _id, title in _rows(view)}
    assert {"Renamed before it was built", "Added before it was built"} <= titles
    # The same as a view built from scratch now, on the same state.
    fresh = BacklogView(runner)
    qtbot.addWidget(fresh)
    fresh.set_initiative(initiative_id)
    fresh.refresh()
    assert _rows(view) == _rows(fresh)
    # Built once: showing it again builds nothing new.
    _click_tab(qtbot, page.tabs.tabBar(), OverviewView.display_title())
    _click_tab(qtbot, page.tabs.tabBar(), BacklogView.display_title())
    assert page.current_view() is view


def test_a_view_built_late_shows_the_initiative_chosen_before(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    page = _open(window, qtbot, demo_path)
    runner = window.runner
    assert runner is not None
    chosen = [i for i in initiatives.list_initiatives(runner.project) if not i.archived][-1].id
    assert chosen != page.current_id()
    page.select(chosen)
    assert page.current_id() == chosen and not page.is_built(BacklogView)
    view = page.view(BacklogView)  # asked for by code: built, not shown yet
    assert view.initiative_id == chosen and view.stale and view.reloads == 0
    page.tabs.setCurrentWidget(view)
    assert page.current_view() is view and view.reloads == 1 and not view.stale
    shown = {item_id for item_id, _title in _rows(view)}
    assert shown == {i.id for i in backlog.list_items(runner.project, chosen)}


def test_navigation_reaches_a_view_never_shown(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    page = _open(window, qtbot, demo_path)
    runner = window.runner
    initiative_id = page.current_id()
    assert runner is not None and initiative_id is not None
    target = backlog.list_items(runner.project, initiative_id)[-1]
    assert not page.is_built(BacklogView)
    overview = page.view(OverviewView)
    with qtbot.waitSignal(page.view_actions_changed):
        overview.navigate_requested.emit(ShowEntity(BacklogItem, target.id))
    view = page.current_view()
    assert isinstance(view, BacklogView) and view.isVisible()
    assert view.proxy.id_at(view.table.currentIndex().row()) == target.id
    # A view that takes no targets is not built to be asked.
    assert not page.is_built(RoadmapView)
    assert not RoadmapView.may_navigate(ShowEntity(BacklogItem, target.id))
    assert BacklogView.may_navigate(ShowEntity(BacklogItem, target.id))


def test_a_view_in_an_area_is_built_when_its_area_is_shown(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    page = _open(window, qtbot, demo_path)
    area = next(c.area for c in VIEWS if c.area)
    members = [c for c in VIEWS if c.area == area]
    inner = page.tabs.area_tabs(area)
    assert inner is not None and not any(page.is_built(c) for c in members)
    _click_tab(qtbot, page.tabs.tabBar(), page.tabs.tabText(page.tabs.indexOf(inner)))
    # The area's first view is shown and built; the others in its row wait for their tab.
    assert page.is_built(members[0]) and isinstance(page.current_view(), members[0])
    assert not any(page.is_built(c) for c in members[1:])
    _click_tab(qtbot, inner.tabBar(), members[1].display_title())
    second = page.current_view()
    assert isinstance(second, members[1]) and second.isVisible() and not second.stale
    assert not any(page.is_built(c) for c in members[2:])


def test_navigation_builds_only_views_that_may_take_the_target(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    """Showing a person builds the stakeholder register, not the backlog, matrix or releases
    on the way (they say they take other targets)."""
    page = _open(window, qtbot, demo_path)
    runner = window.runner
    assert runner is not None
    person = stakeholders.person_rows(runner.project)[0].person
    with qtbot.waitSignal(page.view_actions_changed):
        assert page.navigate(ShowEntity(Person, person.id))
    view = page.current_view()
    assert isinstance(view, StakeholdersView) and view.isVisible()
    assert [type(v) for v in page.views] == [OverviewView, StakeholdersView]
