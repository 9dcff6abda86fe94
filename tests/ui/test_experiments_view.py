"""The experiments board: cards in the column of their state, moves by drop or menu command
(one undo step each), the form with the computed result, and the models under the checker."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from ldpm.domain.enums import Decision, ExperimentState
from ldpm.services import experiments as svc
from ldpm.services import initiatives
from ldpm.services import metrics as metric_svc
from ldpm.ui.models.experiments import CARD_ROLE, MIME_TYPE
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.experiments import LANE_CHARS, ExperimentsView

TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metric_svc, "today", lambda: TODAY)


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> ExperimentsView:
    v = ExperimentsView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show()
    first = initiatives.list_initiatives(demo_runner.project)[0]
    v.set_initiative(first.id)
    return v


def titles(view: ExperimentsView, state: ExperimentState) -> list[str]:
    proxy = view.filters[state]
    return [proxy.index(r, 0).data(CARD_ROLE).experiment.title for r in range(proxy.rowCount())]


def card_id(view: ExperimentsView, title: str) -> str:
    return next(c.id for c in view.model.rows() if c.experiment.title == title)


TROJAN = "Trojan mouse: hand-off checklist with Team Blue"
GREEN = "Trojan mouse: /handoff command with Team Green"


def test_cards_are_in_the_column_of_their_state(view: ExperimentsView) -> None:
    assert titles(view, ExperimentState.PLANNED) == []
    assert titles(view, ExperimentState.RUNNING) == [GREEN]
    assert titles(view, ExperimentState.DECIDED) == [TROJAN]
    assert view.headers[ExperimentState.DECIDED].text() == "Decided (1)"
    assert view.columns[ExperimentState.PLANNED].placeholder().startswith("Nothing planned")


def test_the_checklist_experiment_was_amplified_with_its_story(view: ExperimentsView) -> None:
    view.columns[ExperimentState.DECIDED].setCurrentIndex(
        view.filters[ExperimentState.DECIDED].index(0, 0)
    )
    assert view.card is not None and view.card.experiment.title == TROJAN
    assert view.editors["decision"].currentText() == "Amplify"  # type: ignore[attr-defined]
    computed = view.computed.text()
    assert "2.59 in the 28 days before it started → 1.68" in computed
    assert "Passed." in computed
    assert "Against “Other on-call teams”: -0.81 (difference-in-differences)." in computed
    assert "Success case: Team Blue's four weeks" in view.stories_label.text()


def test_a_drop_on_running_starts_it_today(
    view: ExperimentsView, demo_runner: OperationRunner
) -> None:
    add = svc.add_experiment(demo_runner.project, view.initiative_id or "", "Buddy system")
    assert view.run(add)
    assert titles(view, ExperimentState.PLANNED) == ["Buddy system"]
    view.columns[ExperimentState.RUNNING].moved.emit(
        add.entity.id, ExperimentState.RUNNING, QPoint()
    )
    started = svc.get_experiment(demo_runner.project, add.entity.id)
    assert started is not None and started.start == TODAY
    assert "Buddy system" in titles(view, ExperimentState.RUNNING)
    demo_runner.undo_stack.undo()
    assert titles(view, ExperimentState.PLANNED) == ["Buddy system"]


def test_deciding_asks_which_decision_and_moves_the_card(
    view: ExperimentsView, demo_runner: OperationRunner
) -> None:
    green = card_id(view, GREEN)
    assert view.move_experiment(green, ExperimentState.DECIDING)
    assert titles(view, ExperimentState.DECIDING) == [GREEN]
    assert view.move_experiment(green, ExperimentState.DECIDED, decision=Decision.DROP)
    assert titles(view, ExperimentState.DECIDED) == [GREEN, TROJAN] or titles(
        view, ExperimentState.DECIDED
    ) == [TROJAN, GREEN]
    stored = svc.get_experiment(demo_runner.project, green)
    assert stored is not None and stored.decision is Decision.DROP and stored.end == TODAY
    # It started, so it cannot go back to planned: said in the form, nothing written.
    assert not view.move_experiment(green, ExperimentState.PLANNED)
    shown = [m.text() for _b, m in view.form.sections if m.isVisible()]
    assert shown == [f"“{GREEN}” has started, so it cannot go back to planned."]


def test_the_form_edits_and_refuses_in_place(
    view: ExperimentsView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    view.new_experiment()
    assert view.card is not None
    new_id = view.card.id
    title = view.editors["title"]
    assert isinstance(title, QLineEdit) and title.hasFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Pager prompt with Team Red")
    stored = svc.get_experiment(demo_runner.project, new_id)
    assert stored is not None and stored.title == "Pager prompt with Team Red"
    cost = view.editors["cost"]
    assert isinstance(cost, QLineEdit)
    cost.setText("-5")
    cost.editingFinished.emit()
    shown = [m.text() for _b, m in view.form.sections if m.isVisible()]
    assert shown == ["The cost cannot be negative."]
    assert svc.get_experiment(demo_runner.project, new_id).cost is None  # type: ignore[union-attr]
    assert "Link a metric" in view.computed.text()


def test_cards_drag_as_their_ids(view: ExperimentsView) -> None:
    model = view.model
    index = model.index(model.row_of(card_id(view, TROJAN)), 0)
    data = model.mimeData([index])
    assert bytes(data.data(MIME_TYPE).data()).decode() == card_id(view, TROJAN)
    assert model.mimeTypes() == [MIME_TYPE]


def test_models_pass_the_checker(view: ExperimentsView, qtmodeltester: object) -> None:
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    for proxy in view.filters.values():
        qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_the_board_actions(view: ExperimentsView) -> None:
    ids = [a.id for a in view.view_actions()]
    assert ids[:3] == ["new_experiment", "start_experiment", "stop_experiment"]
    assert {"decide_amplify", "decide_iterate", "decide_drop", "delete_experiment"} <= set(ids)


def test_large_text_on_a_low_screen_puts_the_form_below_the_board(
    view: ExperimentsView, qtbot: QtBot
) -> None:
    assert view.splitter.orientation() == Qt.Orientation.Horizontal  # 1400 px, normal text
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    view.resize(840, 600)  # the content beside a projector's sidebar at 1366 × 768
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Vertical)
    # Each lane is wide enough for LANE_CHARS characters of this text.
    chars = view.fontMetrics().averageCharWidth() * LANE_CHARS
    qtbot.waitUntil(lambda: all(c.width() >= chars * 0.9 for c in view.columns.values()))
    sizes = view.splitter.sizes()
    assert all(size > 0 for size in sizes)  # both shown
    view.resize(1900, 900)
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Horizontal)
