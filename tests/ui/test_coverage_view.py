"""The coverage map on the demo: the checklist at Apply and Solve, the micro-module at New; a
click asks for the backlog filtered to the cell; a lopsided plan is called out; it follows
edits and passes the model checker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.coverage import MODES, MOMENTS
from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import LearningMode, MomentOfNeed
from ldpm.services import initiatives
from ldpm.services import plan as svc
from ldpm.services.commands import AddEntity, edit
from ldpm.ui.models.coverage import COUNT_ROLE, HEAT_ROLE, TITLES_ROLE
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.coverage import CoverageView, cell_filter

EXP, EDU = LearningMode.EXPERIENCE, LearningMode.EDUCATION
NEW, APPLY, SOLVE = MomentOfNeed.NEW, MomentOfNeed.APPLY, MomentOfNeed.SOLVE


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> CoverageView:
    v = CoverageView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    v.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    return v


def cell(view: CoverageView, mode: LearningMode | None, moment: MomentOfNeed | None) -> object:
    return view.model.index(MODES.index(mode), MOMENTS.index(moment))


def test_the_demo_cells(view: CoverageView, qtmodeltester: object) -> None:
    apply_titles = view.model.data(cell(view, EXP, APPLY), TITLES_ROLE)  # type: ignore[arg-type]
    assert apply_titles[0].startswith("Incident hand-off checklist")
    solve_titles = view.model.data(cell(view, EXP, SOLVE), TITLES_ROLE)  # type: ignore[arg-type]
    assert solve_titles[0].startswith("Checklist v2")
    new_titles = view.model.data(cell(view, EDU, NEW), TITLES_ROLE)  # type: ignore[arg-type]
    assert any("micro-module" in t for t in new_titles)
    assert view.model.data(cell(view, EXP, APPLY)) == "3 items · 9 d"  # type: ignore[arg-type]
    header = view.model.headerData(0, Qt.Orientation.Vertical)
    assert header == "Experience (70)\n5 items\n36% · 22 d"
    assert view.notes.property("role") == "ok" and "flow of work" in view.notes.text()
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]


def test_a_click_asks_for_the_backlog_filtered_to_the_cell(
    view: CoverageView, qtbot: QtBot
) -> None:
    index = cell(view, EXP, APPLY)
    rect = view.table.visualRect(index)  # type: ignore[arg-type]
    with qtbot.waitSignal(view.navigate_requested) as asked:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == [BacklogFilter(modes=frozenset({EXP}), moments=frozenset({APPLY}))]
    # The "not classified" cell filters on "not set".
    assert cell_filter(None, None) == BacklogFilter(
        modes=frozenset({None}), moments=frozenset({None})
    )
    # An empty cell has nothing to show.
    empty = cell(view, EDU, SOLVE)
    with qtbot.assertNotEmitted(view.navigate_requested):
        view.open_cell(empty)  # type: ignore[arg-type]
    assert view.hint.text() == "No items here yet."


def test_a_lopsided_plan_is_called_out(view: CoverageView, demo_runner: OperationRunner) -> None:
    project = demo_runner.project
    add = initiatives.add_initiative(project, "Communication class")
    assert demo_runner.run(add)
    for title, mode in (("Two-day course", EDU), ("E-learning", EDU), ("Webinar", EXP)):
        item = BacklogItem(initiative_id=add.entity.id, title=title, mode=mode, moment=NEW)
        assert demo_runner.run(AddEntity(item))
    view.set_initiative(add.entity.id)
    text = view.notes.text()
    assert view.notes.property("role") == "warning"
    assert text.startswith("⚠ The plan is lopsided. Most of it is formal education (2 of 3")
    assert "Most items serve the New moment (3 of 3)" in text
    assert "Nothing helps at Apply or Solve" in text


def test_it_follows_edits_and_shades_by_effort(
    view: CoverageView, demo_runner: OperationRunner
) -> None:
    assert view.initiative_id is not None
    plan = svc.load_plan(demo_runner.project, view.initiative_id)
    micro = next(i for i in plan.items if "micro-module" in i.title)
    before = view.model.data(cell(view, EDU, NEW), COUNT_ROLE)  # type: ignore[arg-type]
    assert demo_runner.run(edit(BacklogItem, micro.id, {"moment": APPLY}, "Move"))
    assert view.model.data(cell(view, EDU, NEW), COUNT_ROLE) == before - 1  # type: ignore[arg-type]
    assert view.model.data(cell(view, EDU, APPLY), COUNT_ROLE) == 1  # type: ignore[arg-type]
    apply_cell = cell(view, EXP, APPLY)
    by_count = view.model.data(apply_cell, HEAT_ROLE)  # type: ignore[arg-type]
    view.by_effort.setChecked(True)
    by_effort = view.model.data(apply_cell, HEAT_ROLE)  # type: ignore[arg-type]
    assert by_count == 1.0  # the fullest cell by count
    assert by_effort == pytest.approx(9 / 13)  # 9 days against Solve's 13


def test_no_initiative(view: CoverageView) -> None:
    view.set_initiative(None)
    assert view.pages.currentWidget() is view.empty_state
