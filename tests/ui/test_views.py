"""Every view in the list: builds on an empty project and on the demo, reloads on "everything
changed", its models pass the model checker; and the frame gives a new view deferred refresh,
failure routing and undo for free."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QAbstractItemModel, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Initiative
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.services.navigation import ShowEntity
from ldpm.ui.actions import ActionSpec
from ldpm.ui.main_window import MainWindow
from ldpm.ui.operations import OperationRunner
from ldpm.ui.view_tabs import ViewPage
from ldpm.ui.views import VIEWS
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.flow_grid import FlowGrid


def _models(view: QWidget) -> list[QAbstractItemModel]:
    return [m for m in view.findChildren(QAbstractItemModel) if m.parent() is view]


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda c: c.__name__)
def test_every_view_builds_empty_and_on_the_demo(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    runner: OperationRunner,
    demo_runner: OperationRunner,
    view_class: type[InitiativeView],
) -> None:
    assert view_class.title and view_class.watches
    for r in (runner, demo_runner):
        view = view_class(r)
        qtbot.addWidget(view)
        view.show()
        first = initiatives.list_initiatives(r.project)
        view.set_initiative(first[0].id if first else None)
        assert not view.stale
        before = view.reloads
        r.refresh_all()  # "everything changed"
        assert view.reloads == before + 1
        for model in _models(view):
            qtmodeltester.check(model)


class Probe(InitiativeView):
    """A new view, added to the list with one line in a test."""

    title = "Probe"
    watches = frozenset({Initiative})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.message = QLabel(self)
        self.field = QLabel(self)
        QVBoxLayout(self).addWidget(self.message)

    def reload(self) -> None:
        pass

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        self.message.setText(sentence)


def test_a_new_view_gets_deferred_refresh_and_its_own_failures(
    window: MainWindow, qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ldpm.ui.project_page.VIEWS", [*VIEWS, Probe])  # the one line
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page, runner = window.page, window.runner
    assert page is not None and runner is not None
    probe, overview = page.view(Probe), page.views[0]
    assert page.tabs.tabText(page.tabs.count() - 1) == "Probe"  # no area: a tab of its own
    assert page.tabs.currentWidget() is overview
    initiative_id = page.current_id()
    assert initiative_id is not None
    reloads = probe.reloads
    edit = initiatives.edit_initiative(runner.project, initiative_id, {"owner": "Maya"})
    assert runner.run(edit)
    assert probe.reloads == reloads and probe.stale  # hidden: only marked
    page.tabs.setCurrentWidget(probe)
    assert probe.reloads == reloads + 1 and not probe.stale  # shown: reloaded once
    # A refusal goes to the view that asked, and to nobody else.
    bad = initiatives.edit_initiative(runner.project, initiative_id, {"name": "  "})
    assert not probe.run(bad, origin=probe.field)
    assert probe.message.text() == "The initiative needs a name."
    shown = [m for m in overview.findChildren(QLabel) if m.text() == probe.message.text()]
    assert shown == []
    assert window.statusBar().currentMessage() == "The initiative needs a name."
    # Undo reaches the project's stack from the new view too.
    window.menu_actions["undo"].trigger()
    assert initiatives.get_initiative(runner.project, initiative_id).owner != "Maya"


def test_a_record_for_other_kinds_does_not_touch_a_view(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    view = Probe(runner)
    qtbot.addWidget(view)
    view.show()
    view.set_initiative(initiative_id)
    reloads = view.reloads
    runner.changed.emit(ChangeRecord(frozenset({"metric"}), frozenset({"x"})))
    assert view.reloads == reloads and not view.stale


class Finder(Probe):
    """Takes "show this initiative" targets."""

    title = "Finder"
    shown: ClassVar[list[str]] = []

    def navigate(self, target: object) -> bool:
        if isinstance(target, ShowEntity) and target.kind is Initiative:
            self.shown.append(target.id)
            return True
        return False


def test_a_view_can_send_the_user_to_another(
    window: MainWindow, qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ldpm.ui.project_page.VIEWS", [*VIEWS, Finder])
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    overview, finder = page.views[0], page.view(Finder)
    overview.navigate_requested.emit(ShowEntity(Initiative, "abc"))
    assert page.tabs.currentWidget() is finder and finder.shown == ["abc"]
    assert not page.navigate(object())  # nobody takes it: nothing moves
    assert page.tabs.currentWidget() is finder


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda c: c.__name__)
def test_a_views_shortcuts_are_not_the_windows(
    qtbot: QtBot,
    window: MainWindow,
    demo_runner: OperationRunner,
    view_class: type[InitiativeView],
) -> None:
    """A view's actions join the menus while it is current: a shortcut the window already
    has would be ambiguous, and Qt then runs neither."""
    from PySide6.QtGui import QKeySequence

    from ldpm.ui.window_actions import action_table

    def keys(specs: list[ActionSpec]) -> set[str]:
        return {QKeySequence(s).toString() for spec in specs for s in spec.shortcuts}

    view = view_class(demo_runner)
    qtbot.addWidget(view)
    assert not keys(view.view_actions()) & keys(action_table(window))


def test_views_of_one_area_share_a_tab_and_a_change_in_it_changes_the_actions(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    """Eleven views do not fit a laptop's tab bar: an area's views are a second row."""
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    top = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    areas = {c.area for c in VIEWS if c.area}
    assert len(top) == len([c for c in VIEWS if not c.area]) + len(areas) < len(VIEWS)
    for view_class in VIEWS:
        view = page.view(view_class)
        changes = page.current_view() is not view
        with qtbot.waitSignal(page.view_actions_changed) if changes else nullcontext():
            page.tabs.setCurrentWidget(view)
        assert page.current_view() is view and view.isVisible()


def test_a_small_screen_scrolls_a_view_instead_of_widening_the_window(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    """A laptop at 1024×640, or 1366×768 in the projector preset: no view's minimum makes the
    window wider than the screen; a view that needs more room scrolls inside its tab."""
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    views = [page.view(view_class) for view_class in VIEWS]  # every view, built
    assert window.minimumSizeHint().width() <= 1024
    window.themes.set_projector(True)
    try:
        assert window.minimumSizeHint().width() <= 1366
        window.resize(1366, 768)
        widest = max(views, key=lambda v: v.minimumSizeHint().width())
        page.tabs.setCurrentWidget(widest)
        assert page.current_view() is widest
        viewport = widest.parentWidget()
        scroller = viewport.parentWidget() if viewport is not None else None
        assert isinstance(scroller, ViewPage) and scroller.view is widest
        need = widest.minimumSizeHint().width()
        assert scroller.viewport().width() < need  # the map at the projector's text size
        qtbot.waitUntil(lambda: widest.width() >= need)
        assert scroller.horizontalScrollBar().isVisible()
    finally:
        window.themes.set_projector(False)


def test_the_overview_form_fits_a_projector_on_a_laptop_screen(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    """1366×768 in the projector preset: the form's paired fields and the causes reflow to one
    per row, so the Overview scrolls down only; the portfolio keeps about a quarter of the
    width instead of 34 projector-sized characters."""
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    overview = page.overview
    form = overview.form
    window.themes.set_projector(True)
    try:
        window.resize(1366, 768)
        qtbot.waitUntil(lambda: sum(page.splitter.sizes()) > 1000)
        sidebar, rest = page.splitter.sizes()
        assert sidebar <= 0.3 * (sidebar + rest)
        grids = form.column_widget.findChildren(FlowGrid)
        assert grids and any(g.single for g in grids)  # the causes, one per row
        viewport = form.scroll_area.viewport()
        qtbot.waitUntil(lambda: form.column_widget.width() <= viewport.width())
        assert not form.scroll_area.horizontalScrollBar().isVisible()
        assert overview.minimumSizeHint().width() <= rest
    finally:
        window.themes.set_projector(False)
    qtbot.waitUntil(lambda: all(not g.single for g in grids))  # side by side again
