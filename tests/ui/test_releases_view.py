"""Releases & MVP on the demo: the board's lanes with capacity and split, items dragged
between lanes and moved with the keyboard, the MVP's cut line moved by keyboard and by drop,
the release form refusing bad values, new and deleted releases — each one undo step."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import BacklogItem, Release
from ldpm.services import initiatives
from ldpm.services import plan as svc
from ldpm.services.navigation import ShowEntity
from ldpm.ui.canvas import encode_ids
from ldpm.ui.models.plan_items import CUT_ID, CutLine
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.cut_list import moved_rows
from ldpm.ui.views.releases import OUT_OF_SCOPE, ReleasesView

MOVE = Qt.DropAction.MoveAction


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> ReleasesView:
    v = ReleasesView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show()
    qtbot.waitExposed(v)
    v.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    return v


def plan(view: ReleasesView) -> svc.PlanData:
    assert view.initiative_id is not None
    return svc.load_plan(view.project, view.initiative_id)


def item(view: ReleasesView, start: str) -> BacklogItem:
    return next(i for i in plan(view).items if i.title.startswith(start))


def titles(view: ReleasesView, key: str | None) -> list[str]:
    return [r.title for r in view.lanes[key].model.rows()]


def test_the_board_on_the_demo(view: ReleasesView, qtmodeltester: object) -> None:
    mvp, r2, later = plan(view).releases
    assert list(view.lanes) == [mvp.id, r2.id, later.id, None, OUT_OF_SCOPE]
    in_mvp = titles(view, mvp.id)
    assert in_mvp[0].startswith("Incident hand-off checklist")
    assert any(t.startswith("Shadowing rotation") for t in in_mvp)
    assert any("micro-module" in t for t in in_mvp)
    lane = view.lanes[mvp.id]
    assert lane.load_label.text() == "19 d of 20 d"
    assert lane.subtitle.text() == "★ MVP · 27 Apr 2026"
    assert lane.split_label.text() == "Build in-house 4 · SME-led 1 · Not training 1"
    over = view.lanes[r2.id]
    assert over.load_label.text() == "⚠ Over capacity by 4 d (16 d of 12 d)"
    assert over.load_label.property("role") == "warning"
    assert titles(view, OUT_OF_SCOPE) == ["Two-day 'Effective communication' classroom course"]
    assert view.lanes[OUT_OF_SCOPE].subtitle.text() == "Deliberately left out · 1 item · 20 d"
    assert view.lanes[None].subtitle.text() == "In no release yet · 0 items · 0 d"
    assert view.form.story.toPlainText().startswith("Not a class")
    for model in [lane.model for lane in view.lanes.values()] + [view.cut.cut_model]:
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_dropping_items_on_another_lane_moves_them_in_one_undo_step(
    view: ReleasesView, demo_runner: OperationRunner
) -> None:
    mvp, r2, _later = plan(view).releases
    prompt = item(view, "Hand-off prompt")
    before = demo_runner.undo_stack.count()
    first = view.lanes[mvp.id].model.index(0)
    lane_model = view.lanes[mvp.id].model
    assert lane_model.dropMimeData(encode_ids([prompt.id]), MOVE, -1, 0, first)
    assert demo_runner.undo_stack.count() == before + 1
    assert titles(view, mvp.id)[0] == prompt.title  # dropped on the first row: before it
    assert prompt.title not in titles(view, r2.id)
    assert "Moved “Hand-off prompt in the pager tool” to “MVP" in view.message.text()
    demo_runner.undo_stack.undo()
    assert prompt.title in titles(view, r2.id)
    # Out of scope, then back to "not planned", through the lanes.
    out = view.lanes[OUT_OF_SCOPE].model
    assert out.dropMimeData(encode_ids([prompt.id]), MOVE, -1, 0, QModelIndex())
    assert item(view, "Hand-off prompt").out_of_scope
    unplanned = view.lanes[None].model
    assert unplanned.dropMimeData(encode_ids([prompt.id]), MOVE, -1, 0, QModelIndex())
    moved = item(view, "Hand-off prompt")
    assert not moved.out_of_scope and moved.release_id is None
    # Dropping where it already is changes nothing.
    assert not unplanned.dropMimeData(encode_ids([prompt.id]), MOVE, -1, 0, QModelIndex())


def test_the_keyboard_moves_selected_items_to_the_next_lane(view: ReleasesView) -> None:
    mvp, r2, _later = plan(view).releases
    lane = view.lanes[r2.id]
    lane.list.setFocus()
    lane.list.selectionModel().select(
        lane.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    moving = lane.model.rows()[0]
    assert view.move_selected(lane, -1)
    assert moving.title in titles(view, mvp.id)
    assert not view.move_selected(view.lanes[mvp.id], -1)  # nothing left of the first lane


def test_the_filter_narrows_the_lanes(view: ReleasesView) -> None:
    mvp = plan(view).releases[0]
    wanted = BacklogFilter(text="checklist")
    view.filter_bar.set_filter(wanted)
    view.reload()
    expected = [i.title for i in plan(view).items_of(mvp.id) if wanted.matches(i)]
    assert titles(view, mvp.id) == expected and 0 < len(expected) < 6
    assert view.lanes[mvp.id].load_label.text() == "19 d of 20 d"  # the whole release


def test_the_cut_line_moves_by_keyboard_and_by_drop(
    view: ReleasesView, demo_runner: OperationRunner
) -> None:
    model = view.cut.cut_model
    line = model.line_row()
    assert line == 6 and isinstance(model.row_at(line), CutLine)
    first_below = model.row_at(line + 1)
    assert isinstance(first_below, BacklogItem)
    view.cut.setFocus()
    view.cut.setCurrentIndex(model.index(line))
    QApplication.sendEvent(
        view.cut,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
    )
    assert model.line_row() == 7
    assert item(view, first_below.title).release_id == plan(view).releases[0].id
    assert view.cut.currentIndex().row() == 7  # the line stays selected
    demo_runner.undo_stack.undo()
    assert model.line_row() == 6
    # Drop the line above the last two MVP items: they leave the MVP.
    assert model.dropMimeData(encode_ids([CUT_ID]), MOVE, 4, 0, QModelIndex())
    assert model.line_row() == 4
    line_row = model.row_at(4)
    assert isinstance(line_row, CutLine) and line_row.above == 4
    assert "4 items above the line" in view.cut_hint.text()


def test_moved_rows() -> None:
    rows: list[str | None] = ["a", "b", None, "c"]
    assert moved_rows(rows, ["c"], 0) == ["c", "a", "b", None]
    assert moved_rows(rows, [CUT_ID], 1) == ["a", None, "b", "c"]
    assert moved_rows(rows, ["a"], -1) == ["b", None, "c", "a"]
    assert moved_rows(rows, ["a"], 2) == ["b", "a", None, "c"]


def test_the_form_refuses_bad_values_where_they_were_typed(
    view: ReleasesView, demo_runner: OperationRunner
) -> None:
    before = demo_runner.undo_stack.count()
    view.form.capacity.setText("-3")
    view.form.capacity.editingFinished.emit()
    assert view.form.message.isVisibleTo(view.form)
    assert view.form.message.text() == "The capacity cannot be negative."
    assert view.form.capacity.text() == "20"  # the stored value again
    view.form.date.committed.emit(date(2026, 1, 5))
    assert "before the initiative started (9 Feb 2026" in view.form.message.text()
    assert demo_runner.undo_stack.count() == before
    view.form.capacity.setText("25")
    view.form.capacity.editingFinished.emit()
    assert plan(view).releases[0].capacity == 25
    assert not view.form.message.isVisibleTo(view.form)
    assert view.lanes[plan(view).releases[0].id].load_label.text() == "19 d of 25 d"


def test_new_and_deleted_releases(view: ReleasesView, demo_runner: OperationRunner) -> None:
    view.form.new_button.click()
    releases = plan(view).releases
    assert [r.name for r in releases][-1] == "Release 4"
    assert view.form.release() is not None and view.form.release().name == "Release 4"  # type: ignore[union-attr]
    assert releases[-1].id in view.lanes
    r2 = releases[1]
    view.choose(r2.id)
    members = {r.id for r in view.lanes[r2.id].model.rows()}
    view.form.delete_button.click()
    assert r2.id not in view.lanes
    assert members <= {r.id for r in view.lanes[None].model.rows()}
    demo_runner.undo_stack.undo()
    assert {r.id for r in view.lanes[r2.id].model.rows()} == members
    view.choose(r2.id)
    view.form.mvp_button.click()
    assert plan(view).mvp is not None and plan(view).mvp.id == r2.id  # type: ignore[union-attr]
    assert view.lanes[r2.id].subtitle.text().startswith("★ MVP")


def test_navigation_chooses_a_release(view: ReleasesView) -> None:
    later = plan(view).releases[2]
    assert view.navigate(ShowEntity(Release, later.id))
    assert view.form.name.text() == "Later"
    assert not view.navigate(ShowEntity(BacklogItem, later.id))


def test_an_initiative_without_releases_offers_the_mvp(view: ReleasesView) -> None:
    onboarding = next(
        i for i in initiatives.list_initiatives(view.project) if i.name == "Manager onboarding"
    )
    view.set_initiative(onboarding.id)
    assert view.create_mvp.isVisibleTo(view) and "No releases yet" in view.cut_hint.text()
    view.create_mvp.click()
    assert [r.name for r in plan(view).releases] == ["MVP"]
    assert plan(view).releases[0].is_mvp
    assert view.cut.cut_model.line_row() == 0


def board_state(view: ReleasesView) -> list[tuple[object, ...]]:
    """What the board shows, lane by lane in the order laid out."""
    row = view.board_row
    laid_out = [item.widget() for i in range(row.count()) if (item := row.itemAt(i))]
    assert [lane for lane in laid_out if lane is not None] == list(view.lanes.values())
    return [
        (
            key,
            lane.title.text(),
            lane.subtitle.text(),
            lane.load_label.text() if lane.load_label.isVisibleTo(lane) else None,
            lane.split_label.text(),
            lane.list.accessibleName(),
            [r.id for r in lane.model.rows()],
        )
        for key, lane in view.lanes.items()
    ]


def test_switching_initiatives_reuses_the_lanes_and_shows_what_a_new_board_shows(
    qtbot: QtBot, view: ReleasesView, demo_runner: OperationRunner
) -> None:
    demo = view.initiative_id
    assert demo is not None
    onboarding = next(
        i.id
        for i in initiatives.list_initiatives(demo_runner.project)
        if i.name == "Manager onboarding"  # no releases
    )
    demo_runner.run(svc.add_release(demo_runner.project, onboarding, "MVP"))
    lanes = set(map(id, view.lanes.values()))
    view.set_initiative(onboarding)
    assert len(view.lanes) == 3  # the MVP, not planned, out of scope
    assert set(map(id, view.lanes.values())) <= lanes  # no new lane was built
    fresh = ReleasesView(demo_runner)
    qtbot.addWidget(fresh)
    fresh.show()
    fresh.set_initiative(onboarding)
    assert board_state(view) == board_state(fresh)
    view.set_initiative(demo)
    fresh.set_initiative(demo)
    assert board_state(view) == board_state(fresh)
    # A recycled lane takes drops for its new release.
    mvp = plan(view).releases[0]
    prompt = item(view, "Hand-off prompt")
    assert view.lanes[mvp.id].model.dropMimeData(
        encode_ids([prompt.id]), MOVE, -1, 0, QModelIndex()
    )
    assert item(view, "Hand-off prompt").release_id == mvp.id
    assert view.filter_bar.release_menu.actions()[0].text() == mvp.name


def test_lanes_share_the_spare_width_and_follow_the_text_size(
    qtbot: QtBot, view: ReleasesView
) -> None:
    lane = next(iter(view.lanes.values()))
    narrowest = lane.minimumWidth()
    qtbot.waitUntil(lambda: lane.width() > narrowest)  # 1400 wide: room to spare
    assert lane.width() <= lane.maximumWidth()
    font = lane.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    lane.setFont(font)
    assert lane.minimumWidth() > narrowest * 1.5


def test_the_release_form_fits_a_narrow_column_by_putting_captions_above(
    view: ReleasesView,
) -> None:
    form = view.form
    font = form.font()
    font.setPointSizeF(font.pointSizeF() * 2)  # the projector preset's size, or near it
    form.setFont(font)
    editors = [form.picker, form.name, form.story, form.date, form.capacity]
    captions = [label for label in form.findChildren(QLabel) if label.buddy() in editors]
    assert len(captions) == len(editors)
    widest_caption = max(c.sizeHint().width() for c in captions)
    widest_field = max(e.minimumSizeHint().width() for e in editors)
    column = form.layout()
    assert column is not None
    column.invalidate()
    column.activate()
    first = column.itemAt(0)  # the captions and fields (the buttons come below)
    fields = first.layout() if first is not None else None
    assert fields is not None
    assert fields.minimumSize().width() < widest_caption + widest_field
