"""Objectives and key results of one initiative as a two-level tree.

Objectives are the top-level rows; each objective's key results are its children.  Columns:
title, baseline, target, unit, due.  An objective only has a title; a key result edits all five.
Declared as columns on :class:`~ldpm.ui.models.tree.TwoLevelModel`, which shares the column
declarations and the row diffing with the tables: reads come from
:func:`ldpm.services.initiatives.list_objectives`, edits are commands run through the
:class:`~ldpm.ui.operations.OperationRunner`, and a reload after a change record emits only
what changed (rows inserted, removed or moved under their objective; ``dataChanged`` for
edited rows), so the current cell and an open editor stay where they are.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtGui import QFont

from ldpm.domain.entities import Initiative, KeyResult, Objective
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.columns import Column, Kind
from ldpm.ui.models.tree import TwoLevelModel
from ldpm.ui.operations import OperationRunner

AnyIndex = QModelIndex | QPersistentModelIndex

TITLE, BASELINE, TARGET, UNIT, DUE = range(5)
COLUMNS = 5

Tree = list[tuple[Objective, list[KeyResult]]]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ObjectivesModel", text)


_BOLD: list[QFont] = []


def _bold(_objective: Objective) -> QFont:
    """One kept font (see :func:`~ldpm.ui.models.table.tabular_font` for why kept)."""
    if not _BOLD:
        font = QFont()  # only the weight is set, so the view's size and family stay
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]


def objective_columns() -> list[Column[Objective]]:
    title = Column[Objective](
        field="title",
        header=lambda: _tr("Objective"),
        tooltip=lambda _o: _tr(
            "Objective: what the initiative should achieve, in words. "
            "Its key results below say how you will know."
        ),
        font=_bold,
        update=initiatives.edit_objective,
    )
    return [title] + [Column.placeholder() for _ in range(COLUMNS - 1)]


def key_result_columns() -> list[Column[KeyResult]]:
    return [
        Column(
            field="title",
            header=lambda: _tr("Objective / key result"),
            tooltip=lambda _k: _tr(
                "Key result: a measurable result that shows the objective is met"
            ),
            update=initiatives.edit_key_result,
        ),
        Column(
            field="baseline",
            kind=Kind.DECIMAL,
            header=lambda: _tr("Baseline"),
            tooltip=lambda _k: _tr("Where the measure stands before the initiative"),
            update=initiatives.edit_key_result,
        ),
        Column(
            field="target",
            kind=Kind.DECIMAL,
            header=lambda: _tr("Target"),
            tooltip=lambda _k: _tr("Where it should be by the due date"),
            update=initiatives.edit_key_result,
        ),
        Column(
            field="unit",
            header=lambda: _tr("Unit"),
            tooltip=lambda _k: _tr("What is counted, such as “errors per month” or “%”"),
            flexible=False,  # short, and cut off it says nothing
            update=initiatives.edit_key_result,
        ),
        Column(
            field="due",
            kind=Kind.DATE,
            header=lambda: _tr("Due"),
            tooltip=lambda _k: _tr("When the target should be reached"),
            update=initiatives.edit_key_result,
        ),
    ]


class ObjectivesModel(TwoLevelModel[Objective, KeyResult]):
    """Objectives (top level) and their key results (children) of one initiative."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, objective_columns(), key_result_columns(), parent=parent)
        self._initiative_id: str | None = None

    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        self._initiative_id = initiative_id
        self.set_loader(
            None
            if initiative_id is None
            else partial(initiatives.list_objectives, self.runner.project, initiative_id)
        )

    def objective_of(self, index: AnyIndex) -> Objective | None:
        """The objective at ``index``, or the objective of the key result at ``index``."""
        return self.parent_item(index)

    def wants(self, record: ChangeRecord) -> bool:
        if self._initiative_id is None:
            return False
        return (
            record.touches(Objective)
            or record.touches(KeyResult)
            or (record.structure and record.touches(Initiative, self._initiative_id))
        )
