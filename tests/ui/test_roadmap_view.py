"""The roadmap on the demo reads Now / Next / Later; a release placed by hand (by drop, by
the keyboard) moves and comes back with undo or "by its dates"; a double-click opens it; the
roadmap exports as a PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Release
from ldpm.domain.enums import Horizon
from ldpm.services import initiatives
from ldpm.services import plan as svc
from ldpm.services.navigation import ShowEntity
from ldpm.ui.canvas import encode_ids
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.roadmap import RoadmapView


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> RoadmapView:
    v = RoadmapView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    qtbot.waitExposed(v)
    v.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    return v


def names(view: RoadmapView, horizon: Horizon) -> list[str]:
    return [e.release.name.split(" ")[0] for e in view.lanes[horizon].model.rows()]


def test_the_demo_reads_now_next_later(view: RoadmapView, qtmodeltester: object) -> None:
    assert names(view, Horizon.NOW) == ["MVP"]
    assert names(view, Horizon.NEXT) == ["Release"]
    assert names(view, Horizon.LATER) == ["Later"]
    assert [lane.title.text() for lane in view.lanes.values()] == ["Now", "Next", "Later"]
    assert view.heading.text() == "Incident hand-offs: roadmap"
    mvp = view.lanes[Horizon.NOW].model.rows()[0]
    tip = view.lanes[Horizon.NOW].model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "5 of 6 items done · 19 d of 20 d" in tip and mvp.release.story in tip
    for lane in view.lanes.values():
        qtmodeltester.check(lane.model)  # type: ignore[attr-defined]


def test_placing_a_release_by_hand(view: RoadmapView, demo_runner: OperationRunner) -> None:
    later = view.lanes[Horizon.LATER].model.rows()[0].release
    before = demo_runner.undo_stack.count()
    now = view.lanes[Horizon.NOW].model
    assert now.dropMimeData(encode_ids([later.id]), Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert names(view, Horizon.NOW) == ["MVP", "Later"]
    assert [e.by_hand for e in view.lanes[Horizon.NOW].model.rows()] == [False, True]
    assert demo_runner.undo_stack.count() == before + 1
    assert "Moved “Later” to Now" in view.message.text()
    demo_runner.undo_stack.undo()
    assert names(view, Horizon.LATER) == ["Later"]
    # The keyboard: Release 2 one lane to the right, then back by its dates.
    lane = view.lanes[Horizon.NEXT]
    lane.list.selectionModel().select(
        lane.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    view._step(lane, 1)
    # Placed by hand in Later; the next release by its dates ("Later", undated) moves up.
    assert names(view, Horizon.LATER) == ["Release"]
    assert names(view, Horizon.NEXT) == ["Later"]
    r2 = next(
        r
        for r in svc.list_releases(view.project, view.initiative_id or "")
        if r.name.startswith("Release")
    )
    assert r2.horizon is Horizon.LATER
    view._place_all([r2.id], None)
    assert names(view, Horizon.NEXT) == ["Release"]


def test_double_click_opens_the_release(view: RoadmapView, qtbot: QtBot) -> None:
    lane = view.lanes[Horizon.NOW]
    index = lane.model.index(0)
    rect = lane.list.visualRect(index)
    with qtbot.waitSignal(view.navigate_requested) as asked:
        qtbot.mouseClick(lane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(lane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == [ShowEntity(Release, lane.model.rows()[0].release.id)]


def test_export(view: RoadmapView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "ldpm.ui.views.roadmap.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(tmp_path / "roadmap"), ""),
    )
    view.export()
    image = QImage(str(tmp_path / "roadmap.png"))
    assert not image.isNull() and image.width() >= view.picture.width()
    assert "Saved the roadmap" in view.message.text()
    assert not view.export_to(tmp_path / "no such folder" / "r.png")
    assert view.message.property("role") == "warning"


def test_an_initiative_without_releases(view: RoadmapView) -> None:
    onboarding = next(
        i for i in initiatives.list_initiatives(view.project) if i.name == "Manager onboarding"
    )
    view.set_initiative(onboarding.id)
    assert all(lane.model.rowCount() == 0 for lane in view.lanes.values())
    assert view.shipped.text() == "No releases yet: create them in Releases & MVP."
    assert view.lanes[Horizon.NOW].empty.text() == "Nothing here yet: drag a release here."
