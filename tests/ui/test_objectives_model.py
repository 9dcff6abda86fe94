"""ObjectivesModel: a two-level tree of objectives and key results over the services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import KeyResult
from ldpm.services import initiatives
from ldpm.ui.models.objectives import BASELINE, DUE, TARGET, TITLE, UNIT, ObjectivesModel
from ldpm.ui.operations import OperationRunner

EDIT = Qt.ItemDataRole.EditRole


@pytest.fixture
def model(runner: OperationRunner, initiative_id: str) -> ObjectivesModel:
    m = ObjectivesModel(runner)
    m.set_initiative(initiative_id)
    return m


def add_objective(runner: OperationRunner, initiative_id: str, title: str) -> str:
    command = initiatives.add_objective(runner.project, initiative_id, title)
    assert runner.run(command)
    return command.entity.id


def add_key_result(
    runner: OperationRunner, objective_id: str, title: str, **fields: object
) -> str:
    command = initiatives.add_key_result(runner.project, objective_id, title)
    assert runner.run(command)
    if fields:
        assert runner.run(initiatives.edit_key_result(command.entity.id, fields))
    return command.entity.id


def key_result(runner: OperationRunner, initiative_id: str, row: int = 0) -> KeyResult:
    return initiatives.list_objectives(runner.project, initiative_id)[0][1][row]


@pytest.fixture
def populated(
    runner: OperationRunner, initiative_id: str, model: ObjectivesModel
) -> tuple[str, str]:
    objective = add_objective(runner, initiative_id, "Hand-offs that hold during incidents")
    kr = add_key_result(
        runner,
        objective,
        "Hand-off errors per month",
        baseline=30.0,
        target=18.0,
        unit="errors",
        due=date(2026, 6, 30),
    )
    add_key_result(runner, objective, "Mean time to resolve", baseline=95.0, target=71.0)
    add_objective(runner, initiative_id, "New hires confident on call")
    return objective, kr


# ------------------------------------------------------------------------ tests


def test_model_tester_empty(qtmodeltester: ModelTester, runner: OperationRunner) -> None:
    model = ObjectivesModel(runner)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_model_tester_populated(
    qtmodeltester: ModelTester, model: ObjectivesModel, populated: tuple[str, str]
) -> None:
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_tree_shape_and_display(model: ObjectivesModel, populated: tuple[str, str]) -> None:
    objective = model.index(0, TITLE)
    assert model.data(objective) == "Hand-offs that hold during incidents"
    assert model.rowCount(objective) == 2
    assert model.rowCount(model.index(1, TITLE)) == 0
    kr = model.index(0, TITLE, objective)
    assert model.parent(kr) == objective
    assert model.parent(objective) == QModelIndex()
    row = [model.data(model.index(0, c, objective)) for c in range(5)]
    assert row[:4] == ["Hand-off errors per month", "30", "18", "errors"]
    assert row[4]  # the due date, in the user's locale
    assert model.data(model.index(0, DUE, objective), EDIT) == QDate(2026, 6, 30)
    assert model.headerData(BASELINE, Qt.Orientation.Horizontal) == "Baseline"


def test_flags(model: ObjectivesModel, populated: tuple[str, str]) -> None:
    objective = model.index(0, TITLE)
    assert model.flags(objective) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, BASELINE)) & Qt.ItemFlag.ItemIsEditable
    for column in range(5):
        assert model.flags(model.index(0, column, objective)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, TARGET), "5", EDIT)


def test_edit_key_result_through_model_and_undo(
    qtbot: QtBot,
    runner: OperationRunner,
    initiative_id: str,
    model: ObjectivesModel,
    populated: tuple[str, str],
) -> None:
    objective = model.index(0, TITLE)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(model.index(0, BASELINE, objective), "32.5", EDIT)
    assert blocker.args[0].parent() == objective
    assert model.setData(model.index(0, TARGET, objective), "15", EDIT)
    assert model.setData(model.index(0, UNIT, objective), "errors per month", EDIT)
    assert model.setData(model.index(0, DUE, objective), QDate(2026, 9, 30), EDIT)
    assert model.setData(model.index(0, TITLE, objective), "Hand-off errors", EDIT)
    kr = key_result(runner, initiative_id)
    assert (kr.title, kr.baseline, kr.target, kr.unit, kr.due) == (
        "Hand-off errors",
        32.5,
        15.0,
        "errors per month",
        date(2026, 9, 30),
    )
    for _ in range(5):
        runner.undo_stack.undo()
    kr = key_result(runner, initiative_id)
    assert (kr.title, kr.baseline, kr.target, kr.unit, kr.due) == (
        "Hand-off errors per month",
        30.0,
        18.0,
        "errors",
        date(2026, 6, 30),
    )
    assert model.data(model.index(0, BASELINE, objective)) == "30"


def test_clear_due_date(
    runner: OperationRunner, initiative_id: str, model: ObjectivesModel, populated: tuple[str, str]
) -> None:
    objective = model.index(0, TITLE)
    assert model.setData(model.index(0, DUE, objective), None, EDIT)
    assert key_result(runner, initiative_id).due is None
    assert model.data(model.index(0, DUE, objective)) == ""


def test_invalid_baseline_fails_and_changes_nothing(
    qtbot: QtBot,
    runner: OperationRunner,
    initiative_id: str,
    model: ObjectivesModel,
    populated: tuple[str, str],
) -> None:
    objective = model.index(0, TITLE)
    steps = runner.undo_stack.count()
    with (
        qtbot.waitSignal(runner.failed) as blocker,
        qtbot.assert_not_emitted(model.dataChanged),
    ):
        assert not model.setData(model.index(0, BASELINE, objective), "abc", EDIT)
    assert blocker.args[0] == "The baseline must be a number."
    assert runner.undo_stack.count() == steps
    assert key_result(runner, initiative_id).baseline == 30.0


def test_edit_objective_title(
    runner: OperationRunner, initiative_id: str, model: ObjectivesModel, populated: tuple[str, str]
) -> None:
    assert model.setData(model.index(1, TITLE), "New hires confident on their first call", EDIT)
    objectives = initiatives.list_objectives(runner.project, initiative_id)
    assert objectives[1][0].title == "New hires confident on their first call"


def test_change_in_db_shows_in_model(
    qtbot: QtBot, runner: OperationRunner, model: ObjectivesModel, populated: tuple[str, str]
) -> None:
    _objective, kr = populated
    with qtbot.waitSignal(model.dataChanged):
        runner.run(initiatives.edit_key_result(kr, {"target": 12.0}))
    assert model.data(model.index(0, TARGET, model.index(0, TITLE))) == "12"


def test_add_and_remove_key_result_and_undo(
    qtbot: QtBot,
    runner: OperationRunner,
    initiative_id: str,
    model: ObjectivesModel,
    populated: tuple[str, str],
) -> None:
    objective_id, kr = populated
    # Rows come and go under their objective: no reset, so the view keeps its place.
    with (
        qtbot.assert_not_emitted(model.modelReset),
        qtbot.waitSignal(model.rowsInserted) as inserted,
    ):
        add_key_result(runner, objective_id, "Shadowing shifts completed")
    objective = model.index(0, TITLE)
    assert inserted.args[0] == objective and inserted.args[1:] == [2, 2]
    assert model.rowCount(objective) == 3
    assert model.data(model.index(2, TITLE, objective)) == "Shadowing shifts completed"

    with qtbot.assert_not_emitted(model.modelReset), qtbot.waitSignal(model.rowsRemoved):
        runner.run(initiatives.delete_key_result(kr))
    assert model.rowCount(model.index(0, TITLE)) == 2
    runner.undo_stack.undo()
    runner.undo_stack.undo()
    objective = model.index(0, TITLE)
    assert model.rowCount(objective) == 2
    assert model.data(model.index(0, TITLE, objective)) == "Hand-off errors per month"
    assert model.index_of(kr).isValid()


def test_remove_objective_hides_its_key_results(
    runner: OperationRunner, model: ObjectivesModel, populated: tuple[str, str]
) -> None:
    objective_id, kr = populated
    runner.run(initiatives.delete_objective(objective_id))
    assert model.rowCount() == 1
    assert not model.index_of(kr).isValid()
    runner.undo_stack.undo()
    assert model.rowCount() == 2
    assert model.index_of(kr).parent() == model.index(0, TITLE)
