"""The Backlog view on a real project: ranking by score, inline edits refused with a sentence,
search and filters with the count, keyboard entry, moving rows, bulk edits as one step, the
column chooser remembered, the detail panel and navigation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import BacklogItem, Initiative
from ldpm.domain.enums import ItemStatus, ScoringMethod, Sourcing
from ldpm.services import backlog as svc
from ldpm.services import initiatives
from ldpm.services.navigation import ShowEntity
from ldpm.ui import settings as prefs
from ldpm.ui.models.backlog_columns import KEYS, format_score
from ldpm.ui.operations import OperationRunner
from ldpm.ui.theme import ThemeManager
from ldpm.ui.views.backlog import BacklogView


@pytest.fixture
def handoffs(demo_runner: OperationRunner) -> str:
    return initiatives.list_initiatives(demo_runner.project)[0].id


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner, handoffs: str) -> BacklogView:
    v = BacklogView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1300, 760)
    v.show()
    v.set_initiative(handoffs)
    return v


def method(view: BacklogView) -> ScoringMethod:
    """The method the model ranks by (a call, so that mypy does not keep an earlier check)."""
    return view.model.method


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def col(key: str) -> int:
    return KEYS.index(key)


def shown_titles(view: BacklogView) -> list[str]:
    return [str(view.proxy.index(r, col("title")).data()) for r in range(view.proxy.rowCount())]


def cell(view: BacklogView, row: int, key: str) -> QModelIndex:
    return view.proxy.index(row, col(key))


def item(runner: OperationRunner, item_id: str) -> BacklogItem:
    found = svc.get_item(runner.project, item_id)
    assert found is not None
    return found


# ------------------------------------------------------------------- ranking


def test_the_backlog_is_ranked_by_the_workspaces_method(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner
) -> None:
    assert view.model.method is ScoringMethod.RICE
    rice = [view.model.rows()[r].rice for r in range(view.model.rowCount())]
    scored = [r for r in rice if r is not None]
    assert scored == sorted(scored, reverse=True) and len(scored) == 15
    assert cell(view, 0, "rice").data() == "72"  # 72 × 1 × 100% ÷ 1
    # Switch to WSJF in the toolbar: one undoable workspace edit, the order follows.
    combo = view.method_combo
    with qtbot.waitSignal(demo_runner.changed):
        combo.activated.emit(combo.findData(ScoringMethod.WSJF.value))
    assert method(view) is ScoringMethod.WSJF
    wsjf = [row.wsjf for row in view.model.rows()]
    known = [w for w in wsjf if w is not None]
    assert known == wsjf and known == sorted(known, reverse=True)
    assert view.filters.count_label.text() == "15 items"
    demo_runner.undo_stack.undo()
    assert view.model.method is ScoringMethod.RICE


def test_an_item_missing_inputs_needs_scoring_never_zero(
    view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    view.add_item(at_end=True)
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    last = view.proxy.rowCount() - 1
    assert cell(view, last, "rice").data() == "needs scoring"
    assert (
        cell(view, last, "rice").data(Qt.ItemDataRole.ToolTipRole)
        == "Needs scoring: add reach, impact, confidence and effort."
    )
    assert format_score(0.0) == "0" and format_score(None) == "needs scoring"


def test_the_rubric_is_where_the_user_scores(view: BacklogView) -> None:
    tip = view.proxy.headerData(
        col("impact"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "3 massive" in tip and "Steps: 3, 2, 1, 0.5 or 0.25." in tip
    confidence_tip = cell(view, 0, "confidence").data(Qt.ItemDataRole.ToolTipRole)
    assert "Steps: 100%, 80% or 50%." in confidence_tip


# ------------------------------------------------------------ inline editing


@pytest.mark.parametrize(
    ("key", "typed", "sentence"),
    [
        ("effort", "lots", "The effort must be a number."),
        ("effort", "-2", "The effort must be greater than zero."),
        ("impact", "1.5", "1.5 is not on the impact scale: use 3, 2, 1, 0.5 or 0.25."),
        ("confidence", "70", "70% is not on the confidence scale: use 100%, 80% or 50%."),
        ("confidence", "80%", "Type the confidence as a number of percent, such as 80."),
        ("title", "x" * 100_000, "too long"),
        ("reach", "7.5", "must be a number"),
    ],
)
def test_a_bad_value_is_explained_beside_the_cell_and_nothing_is_written(
    view: BacklogView, demo_runner: OperationRunner, key: str, typed: str, sentence: str
) -> None:
    view.table.set_column_shown(key, True)
    index = cell(view, 0, key)
    item_id = view.proxy.id_at(0)
    assert item_id is not None
    before = item(demo_runner, item_id)
    steps = demo_runner.undo_stack.count()
    assert not view.proxy.setData(index, typed)
    assert sentence in view.table.message()
    assert item(demo_runner, item_id) == before and demo_runner.undo_stack.count() == steps


def test_good_values_are_written_and_undone(
    view: BacklogView, demo_runner: OperationRunner
) -> None:
    view.table.set_column_shown("impact", True)
    item_id = view.proxy.id_at(0)
    assert item_id is not None
    assert view.proxy.setData(cell(view, 0, "confidence"), "50")
    assert item(demo_runner, item_id).confidence == 0.5
    row = view.proxy.row_of(item_id)
    assert view.proxy.setData(cell(view, row, "status"), ItemStatus.READY.value)
    assert item(demo_runner, item_id).status is ItemStatus.READY
    demo_runner.undo_stack.undo()
    demo_runner.undo_stack.undo()
    assert item(demo_runner, item_id).confidence == 1.0


# ----------------------------------------------------------- search, filters


def test_search_and_filters_combine_with_the_count(qtbot: QtBot, view: BacklogView) -> None:
    view.filters.search.setText("checklist")
    with_text = view.proxy.rowCount()
    assert 0 < with_text < 15
    assert view.filters.count_label.text() == f"{with_text} of 15 items"
    status = view.filters.facets["statuses"]
    status.set_chosen({ItemStatus.DONE})
    both = view.proxy.rowCount()
    assert both < with_text
    for r in range(both):
        row_item = view.model.item(view.proxy.mapToSource(view.proxy.index(r, 0)).row())
        assert row_item is not None and row_item.status is ItemStatus.DONE
        assert "checklist" in f"{row_item.title} {row_item.description}".lower()
    assert status.text() == "Status (1)"
    view.filters.clear()
    assert view.proxy.rowCount() == 15 and not view.filters.clear_button.isEnabled()


def test_the_model_passes_the_checker_filtered_and_sorted(
    qtmodeltester: object, view: BacklogView
) -> None:
    view.filters.facets["sourcings"].set_chosen({Sourcing.SME_LED, Sourcing.NOT_TRAINING})
    view.proxy.sort(col("title"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    qtmodeltester.check(view.proxy)  # type: ignore[attr-defined]


# ------------------------------------------------------------- keyboard


def test_ctrl_n_adds_an_item_and_opens_its_title(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    view.filters.search.setFocus()
    QTest.keyClick(view.filters.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(svc.list_items(demo_runner.project, handoffs)) == 16
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "New item"
    editor.selectAll()
    QTest.keyClicks(editor, "Runbook excerpts in the pager")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next turn of the loop

    def titles() -> list[str]:
        return [i.title for i in svc.list_items(demo_runner.project, handoffs)]

    qtbot.waitUntil(lambda: "Runbook excerpts in the pager" in titles())
    # It was the last row: Enter opened the next item, ready to type.
    qtbot.waitUntil(lambda: len(titles()) == 17)
    assert view.table.state() == view.table.State.EditingState


def test_enter_on_the_last_row_adds_the_next_item(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    last = view.proxy.rowCount() - 1
    view.table.setFocus()
    view.table.setCurrentIndex(cell(view, last, "title"))
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert len(svc.list_items(demo_runner.project, handoffs)) == 16
    assert view.table.state() == view.table.State.EditingState


def test_delete_removes_the_selection_and_undo_brings_it_back(
    view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    view.table.setFocus()
    view.table.select_rows([0, 1], 0)
    QTest.keyClick(view.table, Qt.Key.Key_Delete)
    assert len(svc.list_items(demo_runner.project, handoffs)) == 13
    assert "Deleted 2 item(s)" in view.notice.text()
    demo_runner.undo_stack.undo()
    assert len(svc.list_items(demo_runner.project, handoffs)) == 15


# ---------------------------------------------------------------- ranking by hand


def _rank_by_hand(qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner) -> None:
    with qtbot.waitSignal(demo_runner.changed):
        view.adopt_order()
    assert view.model.method is ScoringMethod.RANK


def test_alt_down_moves_one_item_writing_one_rank(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    _rank_by_hand(qtbot, view, demo_runner)
    before = {i.id: i.rank for i in svc.list_items(demo_runner.project, handoffs)}
    first, second = view.proxy.id_at(0), view.proxy.id_at(1)
    view.table.setFocus()
    view.table.select_rows([0], 0)
    QTest.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [view.proxy.id_at(0), view.proxy.id_at(1)] == [second, first]
    after = {i.id: i.rank for i in svc.list_items(demo_runner.project, handoffs)}
    assert [i for i in after if after[i] != before[i]] == [first]
    assert view.selected_ids() == [first]  # the selection follows the item
    QTest.keyClick(view.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.proxy.id_at(0) == first


def test_dragging_in_a_scored_order_ranks_by_hand_in_one_step(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner
) -> None:
    order = view.proxy.shown_ids()
    moved = order[5]
    view.table.rows_dropped.emit([moved], 0)  # what a drop before the first row asks
    assert view.proxy.shown_ids() == [moved, *order[:5], *order[6:]]
    assert method(view) is ScoringMethod.RANK
    assert "Ranked by hand from the RICE order" in view.notice.text()
    demo_runner.undo_stack.undo()  # one step: the RICE order and method are back
    assert view.model.method is ScoringMethod.RICE
    assert view.proxy.shown_ids() == order


def test_a_drop_lands_above_or_below_the_row_under_the_pointer(view: BacklogView) -> None:
    rect = view.table.visualRect(cell(view, 3, "title"))
    assert view.table.drop_row(rect.center() - QPoint(0, 4)) == 3
    assert view.table.drop_row(rect.center() + QPoint(0, 4)) == 4
    assert view.table.drop_row(QPoint(5, view.table.viewport().height() - 2)) == 15


def test_moving_is_refused_while_sorted_by_a_column(qtbot: QtBot, view: BacklogView) -> None:
    view.table.sortByColumn(col("title"), Qt.SortOrder.AscendingOrder)
    before = view.proxy.shown_ids()
    view.table.select_rows([2], 2)
    view.move_selected(-1)
    assert view.proxy.shown_ids() == before
    assert "click # to return to the ranked order" in view.notice.text()


# ---------------------------------------------------------------- bulk edit


def test_a_bulk_edit_is_one_undo_step(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner, handoffs: str
) -> None:
    view.table.select_rows([0, 1, 2, 3], 0)
    bulk = view.detail.bulk
    assert view.detail.currentWidget() is bulk and bulk.heading.text() == "4 items selected"
    ids = view.selected_ids()
    combo = bulk.combos["sourcing"]
    steps = demo_runner.undo_stack.count()
    with qtbot.waitSignal(demo_runner.changed):
        combo.activated.emit(combo.findData(Sourcing.CURATE.value))
    assert {item(demo_runner, i).sourcing for i in ids} == {Sourcing.CURATE}
    assert demo_runner.undo_stack.count() == steps + 1
    assert combo.currentIndex() == 0  # ready for the next pick
    demo_runner.undo_stack.undo()
    assert Sourcing.CURATE not in {item(demo_runner, i).sourcing for i in ids}


# ------------------------------------------------------------- column chooser


def test_the_columns_are_remembered(
    qtbot: QtBot, demo_runner: OperationRunner, handoffs: str
) -> None:
    first = BacklogView(demo_runner)
    qtbot.addWidget(first)
    first.show()
    first.set_initiative(handoffs)
    header = first.table.horizontalHeader()
    first.table.set_column_shown("smes", True)
    first.table.set_column_shown("kind", False)
    header.moveSection(header.visualIndex(col("status")), 1)
    header.resizeSection(col("title"), 333)  # by hand: pinned
    saved = first.settings.get(prefs.BACKLOG_COLUMNS)
    assert '"smes"' in saved
    second = BacklogView(demo_runner)
    qtbot.addWidget(second)
    second.show()
    second.set_initiative(handoffs)
    keys = second.table.column_keys()
    assert keys[1] == "status" and "smes" in keys and "kind" not in keys
    assert second.table.horizontalHeader().sectionSize(col("title")) == 333
    second.table.reset_columns()
    assert "smes" not in second.table.column_keys() and "kind" in second.table.column_keys()


def test_a_column_shown_fits_its_content_and_moving_rows_pins_none(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner
) -> None:
    """Showing or hiding a column, and every move of rows (the proxy makes it a layout
    change, and the header hides its hidden columns again), "resize" columns from or to 0:
    none of that is the user sizing a column, so none is kept at a width or remembered."""
    _rank_by_hand(qtbot, view, demo_runner)
    saved = view.settings.get(prefs.BACKLOG_COLUMNS)
    view.table.select_rows([0], 0)
    view.move_selected(1)
    assert view.table.cells.pinned == set()
    assert view.settings.get(prefs.BACKLOG_COLUMNS) == saved
    view.table.set_column_shown("mode", True)
    view.table.fit_columns()
    assert col("mode") not in view.table.cells.pinned
    header = view.table.horizontalHeader()
    assert header.sectionSize(col("mode")) >= view.table.sizeHintForColumn(col("mode"))
    assert json.loads(view.settings.get(prefs.BACKLOG_COLUMNS))["widths"] == {}


def test_the_detail_panel_is_never_narrower_than_its_fields(
    qtbot: QtBot, qapp: QApplication, view: BacklogView
) -> None:
    """Squeezed by the splitter (or by a larger font), the panel stops at the width its
    fields need instead of cutting them behind a horizontal scroll bar."""
    view.table.select_rows([0], 0)
    scroll, panel = view.detail.item_scroll, view.detail.item_panel

    def squeezed_and_whole() -> bool:
        view.splitter.setSizes([10_000, 1])  # as far right as the splitter goes
        return (
            scroll.viewport().width() >= panel.minimumSizeHint().width()
            and not scroll.horizontalScrollBar().isVisible()
        )

    qtbot.waitUntil(squeezed_and_whole)
    narrow = panel.minimumSizeHint().width()
    themes = ThemeManager(qapp)
    themes.apply("light", 1.0)
    try:
        themes.apply("light", 2.0)  # twice the text, as a projector has it
        qtbot.waitUntil(lambda: panel.minimumSizeHint().width() > narrow)
        qtbot.waitUntil(squeezed_and_whole)
    finally:
        themes.apply("light", 1.0)


# --------------------------------------------------------------- detail panel


def test_the_detail_panel_edits_the_selected_item(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner
) -> None:
    row = next(r for r in range(15) if "Shadowing" in str(cell(view, r, "title").data()))
    view.table.select_rows([row], row)
    panel = view.detail.item_panel
    assert view.detail.currentWidget() is view.detail.item_scroll
    item_id = view.proxy.id_at(row)
    assert item_id is not None and panel.item is not None and panel.item.id == item_id
    assert panel.sme_buttons == [] and not panel.none_label.isHidden()  # the leads: not yet
    reason = panel.editors["sourcing_reason"]
    reason.setFocus()
    QTest.keyClick(reason, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(reason, " Debriefs are 30 minutes.")
    assert item(demo_runner, item_id).sourcing_reason.endswith("Debriefs are 30 minutes.")
    # An SME found by expertise, linked; another unlinked.
    panel._person_picked(
        "Priya Natarajan — Owns incident metrics and the post-incident review (PIR) process."
    )
    context = svc.load_context(demo_runner.project, panel.item.initiative_id)
    assert context.sme_names(item_id) == ("Priya Natarajan",)
    assert [b.text() for b in panel.sme_buttons] == ["Priya Natarajan  ✕"]
    assert panel.none_label.isHidden()
    panel.sme_buttons[0].click()
    assert svc.load_context(demo_runner.project, panel.item.initiative_id).sme_names(item_id) == ()
    assert panel.sme_buttons == [] and not panel.none_label.isHidden()
    # Scores and their rubric.
    assert "RICE: 8  ◂ ranks the backlog" in panel.score_label.text()
    panel.editors["job_size"].setFocus()
    assert panel.rubric_label.text().startswith("How to score Job size:")


def test_a_fractional_reach_is_refused_in_the_panel(
    view: BacklogView, demo_runner: OperationRunner
) -> None:
    view.table.select_rows([0], 0)
    panel = view.detail.item_panel
    reach = panel.editors["reach"]
    assert isinstance(reach, QLineEdit)
    reach.setFocus()
    reach.setText("12.5")
    reach.editingFinished.emit()
    assert panel.message.text() == "The reach must be a whole number."
    assert reach.text() == "72"


# -------------------------------------------------------------- navigation


def test_navigate_shows_an_item_or_a_filter(view: BacklogView, handoffs: str) -> None:
    view.filters.search.setText("no such text at all")
    target = svc.list_items(view.runner.project, handoffs)[4]
    assert view.navigate(ShowEntity(BacklogItem, target.id))
    assert view.selected_ids() == [target.id]  # the filter was cleared to show it
    assert view.detail.item_panel.item is not None
    assert view.detail.item_panel.item.id == target.id
    assert view.navigate(BacklogFilter(statuses=frozenset({ItemStatus.READY})))
    assert view.filters.facets["statuses"].chosen() == {ItemStatus.READY}
    assert not view.navigate(ShowEntity(Initiative, handoffs))
    assert not view.navigate(ShowEntity(BacklogItem, "not an item here"))


def test_an_empty_backlog_offers_the_first_item(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    v = BacklogView(runner)
    qtbot.addWidget(v)
    v.show()
    v.set_initiative(initiative_id)
    assert v.table_stack.currentWidget() is v.no_items
    v.no_items.button.click()
    assert v.table_stack.currentWidget() is v.table
    assert [i.title for i in svc.list_items(runner.project, initiative_id)] == ["New item"]
    v.set_initiative(None)
    assert v.pages.currentWidget() is v.empty_state


# ------------------------------------------------------------------ in the window


def test_in_the_window_the_backlogs_keys_win_over_the_windows(
    window: object, qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldpm.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    asked: list[object] = []

    def ask(*args: object, **_kw: object) -> tuple[str, str]:
        asked.append(args)
        return ("", "")

    monkeypatch.setattr("ldpm.ui.document_controller.QFileDialog.getSaveFileName", ask)
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page, runner = window.page, window.runner
    assert page is not None and runner is not None
    view = page.view(BacklogView)
    page.tabs.setCurrentWidget(view)
    assert "new_backlog_item" in window.menu_actions
    assert window.menu_actions["new_backlog_item"].text().endswith("\tCtrl+N")
    portfolio = [i.id for i in initiatives.list_initiatives(runner.project)]
    handoffs = page.current_id()
    assert handoffs is not None
    view.table.setFocus()
    view.table.select_rows([0], 0)
    first = view.proxy.id_at(0)
    QTest.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.proxy.id_at(1) == first  # the item moved …
    assert [i.id for i in initiatives.list_initiatives(runner.project)] == portfolio  # … not this
    QTest.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == []  # no New Project dialog
    assert len(svc.list_items(runner.project, handoffs)) == 16
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    view.table.setFocus()
    view.table.setCurrentIndex(cell(view, 0, "title"))
    QTest.keyClick(view.table, Qt.Key.Key_F2)  # the cell, not the window's Rename
    assert view.table.state() == view.table.State.EditingState
    assert page.sidebar.view.state() != page.sidebar.view.State.EditingState


# ------------------------------------------------------------------ scoring settings


def test_the_scoring_settings_refuse_what_cannot_score_and_take_the_rest(
    qtbot: QtBot, view: BacklogView, demo_runner: OperationRunner
) -> None:
    panel = view.scoring
    editors = [panel.binder.editors[f"wsjf_weight_{k}"] for k in ("value", "time", "risk")]
    weights = [editor for editor in editors if isinstance(editor, QLineEdit)]
    assert len(weights) == 3 and all(editor.text() == "1" for editor in weights)
    for editor in weights:
        editor.setFocus()
        editor.setText("0")
        editor.editingFinished.emit()
    assert "Every WSJF weight is zero" in panel.message.text()
    assert svc.scheme(demo_runner.project).weights == (0.0, 0.0, 1.0)  # the last was not written
    assert weights[2].text() == "1"
    # Steps typed in the user's form; a step that is not a number is refused in place.
    panel.impact_scale.setText("4; 2; 1")
    panel.impact_scale.editingFinished.emit()
    assert svc.scheme(demo_runner.project).impact_steps == (4.0, 2.0, 1.0)
    panel.confidence_scale.setText("100%; 75%; lots")
    panel.confidence_scale.editingFinished.emit()
    assert "confidence scale must list numbers" in panel.message.text()
    assert svc.scheme(demo_runner.project).confidence_steps == (1.0, 0.8, 0.5)
    assert panel.confidence_scale.text() == "100%; 80%; 50%"
    # The rubric the panel offers is the built-in one until the workspace writes its own.
    rubric = panel.binder.editors["rubric_reach"]
    assert "people" in rubric.placeholderText()  # type: ignore[attr-defined]
