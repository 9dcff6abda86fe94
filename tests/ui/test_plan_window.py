"""The plan views in the main window: their actions join the menus while they are current,
and they send the user to each other (a coverage cell to the matrix filtered to it, a roadmap
card to its release)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import Release
from ldpm.domain.enums import Horizon, LearningMode, MomentOfNeed
from ldpm.services.navigation import ShowEntity
from ldpm.ui.main_window import MainWindow
from ldpm.ui.views.coverage import CoverageView
from ldpm.ui.views.matrix import MatrixView
from ldpm.ui.views.releases import ReleasesView
from ldpm.ui.views.roadmap import RoadmapView


def test_actions_and_navigation(window: MainWindow, qtbot: QtBot, demo_path: Path) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    plan = page.tabs.area_tabs("Plan")  # the plan's views share one top-level tab
    assert plan is not None
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())].count("Plan") == 1
    titles = [plan.tabText(i) for i in range(plan.count())]
    assert titles == ["Matrix", "Coverage", "Releases && MVP", "Roadmap"]

    matrix = page.view(MatrixView)
    page.tabs.setCurrentWidget(matrix)
    view_menu = [a.text() for a in window.registry.menus["view"].actions()]
    assert "Export Matrix as &PNG…" in view_menu and "&Fit Matrix to Window" in view_menu
    assert window.registry["matrix_export_png"].isEnabled()

    coverage = page.view(CoverageView)
    page.tabs.setCurrentWidget(coverage)
    assert "matrix_export_png" not in window.registry  # only while the matrix is current
    index = coverage.model.index(0, 2)  # experience at Apply
    coverage.open_cell(index)
    # The first view that shows a backlog filter takes it (the backlog, once it is listed;
    # the matrix otherwise).
    taker = page.tabs.currentWidget()
    assert taker is not coverage
    if taker is matrix:
        assert matrix.filter_bar.filter == BacklogFilter(
            modes=frozenset({LearningMode.EXPERIENCE}), moments=frozenset({MomentOfNeed.APPLY})
        )
        assert len(matrix.canvas.card_ids()) == 3

    roadmap = page.view(RoadmapView)
    page.tabs.setCurrentWidget(roadmap)
    later = roadmap.lanes[Horizon.LATER].model.rows()[0].release
    roadmap.navigate_requested.emit(ShowEntity(Release, later.id))
    releases = page.view(ReleasesView)
    assert page.tabs.currentWidget() is releases
    assert releases.form.name.text() == "Later"
