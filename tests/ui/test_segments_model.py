"""SegmentsModel: reads through services, writes through the runner, follows runner.changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives
from ldpm.ui.models.rows import Step, plan_rows
from ldpm.ui.models.segments import DESCRIPTION, NAME, SIZE, SegmentsModel
from ldpm.ui.operations import OperationRunner

EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole


def add_segment(runner: OperationRunner, initiative_id: str, name: str) -> str:
    command = initiatives.add_segment(runner.project, initiative_id, name)
    assert runner.run(command)
    return command.entity.id


@pytest.fixture
def model(runner: OperationRunner, initiative_id: str) -> SegmentsModel:
    m = SegmentsModel(runner)
    m.set_initiative(initiative_id)
    return m


def names(runner: OperationRunner, initiative_id: str) -> list[str]:
    return [s.name for s in initiatives.list_segments(runner.project, initiative_id)]


# ------------------------------------------------------------------------ tests


def test_model_tester_empty(qtmodeltester: ModelTester, runner: OperationRunner) -> None:
    model = SegmentsModel(runner)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_model_tester_populated(
    qtmodeltester: ModelTester, runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    add_segment(runner, initiative_id, "New hires")
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_header_tooltips_and_flags(
    model: SegmentsModel, runner: OperationRunner, initiative_id: str
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Segment", "Size", "Description"]
    index = model.index(0, SIZE)
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_add_in_db_inserts_a_row_not_a_reset(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    with qtbot.assert_not_emitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        add_segment(runner, initiative_id, "New hires")
    assert model.data(model.index(1, NAME)) == "New hires"


def test_edit_through_model_reaches_db_and_undoes(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(model.index(0, NAME), "Remote on-call engineers", EDIT)
    assert model.setData(model.index(0, SIZE), "42", EDIT)
    assert model.setData(model.index(0, DESCRIPTION), "Outside the main office", EDIT)
    segment = initiatives.list_segments(runner.project, initiative_id)[0]
    assert (segment.name, segment.size, segment.description) == (
        "Remote on-call engineers",
        42,
        "Outside the main office",
    )
    assert model.data(model.index(0, SIZE), DISPLAY) == "42"

    with qtbot.waitSignal(model.dataChanged):
        runner.undo_stack.undo()  # the description
    runner.undo_stack.undo()  # the size
    runner.undo_stack.undo()  # the name
    assert names(runner, initiative_id) == ["Remote engineers"]
    assert model.data(model.index(0, NAME)) == "Remote engineers"
    assert model.data(model.index(0, SIZE)) == ""


def test_change_in_db_shows_in_model(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    segment_id = add_segment(runner, initiative_id, "New hires")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        runner.run(initiatives.edit_segment(segment_id, {"size": 12}))
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), bottom_right.row()) == (0, 0)
    assert model.data(model.index(0, SIZE)) == "12"


def test_remove_and_undo(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    second = add_segment(runner, initiative_id, "New hires")
    with qtbot.waitSignal(model.rowsRemoved):
        runner.run(initiatives.delete_segment(second))
    assert model.rowCount() == 1
    with qtbot.waitSignal(model.rowsInserted):
        runner.undo_stack.undo()
    assert [model.data(model.index(r, NAME)) for r in range(2)] == [
        "Remote engineers",
        "New hires",
    ]


@pytest.mark.parametrize(
    ("column", "value", "sentence"),
    [
        (SIZE, "abc", "The segment size must be a number."),
        (SIZE, "-3", "The segment size cannot be negative."),
        (NAME, "   ", "The segment needs a name."),
    ],
)
def test_invalid_value_fails_and_changes_nothing(
    qtbot: QtBot,
    runner: OperationRunner,
    initiative_id: str,
    model: SegmentsModel,
    column: int,
    value: str,
    sentence: str,
) -> None:
    add_segment(runner, initiative_id, "Remote engineers")
    steps = runner.undo_stack.count()
    with (
        qtbot.waitSignal(runner.failed) as blocker,
        qtbot.assert_not_emitted(model.dataChanged),
    ):
        assert not model.setData(model.index(0, column), value, EDIT)
    assert blocker.args[0] == sentence
    assert runner.undo_stack.count() == steps
    segment = initiatives.list_segments(runner.project, initiative_id)[0]
    assert (segment.name, segment.size) == ("Remote engineers", None)


def test_other_initiatives_are_not_shown(
    runner: OperationRunner, initiative_id: str, model: SegmentsModel
) -> None:
    other = initiatives.add_initiative(runner.project, "Secure coding")
    runner.run(other)
    add_segment(runner, other.entity.id, "Backend developers")
    assert model.rowCount() == 0
    model.set_initiative(None)
    assert model.rowCount() == 0


def test_row_plan() -> None:
    """The shared diff (ldpm.ui.models.rows) the segments model now refreshes with."""
    assert plan_rows(["a", "b"], ["a", "x", "b"]) == [Step("insert", 1, 1)]
    assert plan_rows(["a", "b", "c"], ["a", "c"]) == [Step("remove", 1, 1)]
    assert plan_rows(["a", "b"], ["b", "a"]) == [Step("move", 0, 2)]
    assert plan_rows([], ["a", "b"]) == [Step("insert", 0, 1)]
