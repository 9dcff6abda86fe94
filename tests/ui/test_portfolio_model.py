"""The portfolio model and the row adapter under Qt's model checker, and drag-and-drop."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives as svc
from ldpm.services.project import Project
from ldpm.ui.models.portfolio import ID_ROLE, MIME_TYPE, SUBTITLE_ROLE, PortfolioModel
from ldpm.ui.models.rows import RowListModel
from ldpm.ui.operations import OperationRunner


@dataclass(frozen=True)
class Row:
    id: str
    text: str


class Rows(RowListModel[Row]):
    def row_id(self, row: Row) -> str:
        return row.id

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        row = self.row_at(index.row())
        if row is not None and role == Qt.ItemDataRole.DisplayRole:
            return row.text
        return None


def test_row_adapter_reaches_any_target_with_valid_signals(qtmodeltester: ModelTester) -> None:
    """Random removals, insertions, moves and edits; the model checker watches every signal."""
    model = Rows()
    qtmodeltester.check(model)
    moves: list[int] = []
    model.rowsMoved.connect(lambda *_: moves.append(1))
    rng = random.Random(7)
    pool = [Row(str(i), f"row {i}") for i in range(12)]
    for _ in range(60):
        new = rng.sample(pool, rng.randint(0, len(pool)))
        new = [Row(r.id, r.text + "*") if rng.random() < 0.2 else r for r in new]
        model.set_rows(new)
        assert model.rows() == new
        assert [model.index(i, 0).data() for i in range(model.rowCount())] == [r.text for r in new]
    assert moves  # rows were moved, not removed and re-inserted


def test_row_adapter_keeps_persistent_indexes(qtbot: QtBot) -> None:
    model = Rows()
    model.set_rows([Row("a", "A"), Row("b", "B"), Row("c", "C")])
    keep = QPersistentModelIndex(model.index(2, 0))
    with qtbot.waitSignal(model.rowsMoved):
        model.set_rows([Row("c", "C"), Row("a", "A")])
    assert keep.isValid() and keep.row() == 0 and keep.data() == "C"
    with pytest.raises(ValueError):
        model.set_rows([Row("a", "A"), Row("a", "A")])


@pytest.fixture
def runner(project: Project, qtbot: QtBot) -> OperationRunner:
    for name in ("Onboarding", "Hand-offs", "Secure coding"):
        OperationRunner(project).run(svc.add_initiative(project, name))
    return OperationRunner(project)


def names(model: PortfolioModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_portfolio_model_checker(runner: OperationRunner, qtmodeltester: ModelTester) -> None:
    model = PortfolioModel(runner)
    qtmodeltester.check(model)
    assert names(model) == ["Onboarding", "Hand-offs", "Secure coding"]
    index = model.index(0, 0)
    assert index.data(ID_ROLE) and index.data(SUBTITLE_ROLE) == "Discover"
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_portfolio_follows_runner_changes_and_undo(runner: OperationRunner, qtbot: QtBot) -> None:
    model = PortfolioModel(runner)
    project = runner.project
    with qtbot.waitSignal(model.rowsInserted):
        runner.run(svc.add_initiative(project, "Leadership"))
    assert names(model)[-1] == "Leadership"
    with qtbot.waitSignal(model.rowsRemoved):
        runner.undo_stack.undo()
    assert "Leadership" not in names(model)
    first = model.index(0, 0).data(ID_ROLE)
    with qtbot.waitSignal(model.dataChanged):
        runner.run(svc.rename_initiative(project, first, "Manager onboarding"))
    assert names(model)[0] == "Manager onboarding"


def test_drag_and_drop_reorders(runner: OperationRunner, qtbot: QtBot) -> None:
    model = PortfolioModel(runner)
    last = model.index(2, 0)
    mime = model.mimeData([last])
    assert mime.hasFormat(MIME_TYPE)
    with qtbot.waitSignal(model.rowsMoved):
        assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert names(model) == ["Secure coding", "Onboarding", "Hand-offs"]
    # Drop the first one at the end (row -1 = after the last row).
    mime = model.mimeData([model.index(0, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert names(model) == ["Onboarding", "Hand-offs", "Secure coding"]
    # One undo step per drop.
    runner.undo_stack.undo()
    assert names(model) == ["Secure coding", "Onboarding", "Hand-offs"]
    # Foreign data is refused.
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.MoveAction, 0, 0, QModelIndex())


def test_empty_rename_is_refused_with_a_sentence(runner: OperationRunner, qtbot: QtBot) -> None:
    model = PortfolioModel(runner)
    with qtbot.waitSignal(runner.failed) as blocker:
        assert not model.setData(model.index(0, 0), "   ", Qt.ItemDataRole.EditRole)
    assert blocker.args[0] == "The initiative needs a name."
    assert names(model)[0] == "Onboarding"


def test_archived_rows_hidden_until_shown(runner: OperationRunner, tmp_path: Path) -> None:
    model = PortfolioModel(runner)
    first = model.index(0, 0).data(ID_ROLE)
    runner.run(svc.set_archived(runner.project, first, True))
    assert names(model) == ["Hand-offs", "Secure coding"]
    model.set_show_archived(True)
    assert names(model)[0] == "Onboarding"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
