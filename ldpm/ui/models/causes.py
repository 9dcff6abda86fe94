"""The routing of an initiative's causes that learning cannot fix, as a table: the cause, a
suggested owner, a hand-off note and a date — declared columns on the shared
:class:`~ldpm.ui.models.table.ColumnTableModel`, edits through
:func:`ldpm.services.triage.edit_cause`.  Like the Overview's other models it follows the
view (``set_following(False)``); the view reloads it when a change touches causes.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.domain.entities import InitiativeCause
from ldpm.domain.triage import is_learning_cause, owner_hint
from ldpm.services import triage
from ldpm.services.project import Project
from ldpm.ui.labels import label
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner

CAUSE, OWNER, NOTE, DUE = range(4)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CausesModel", text)


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


def cause_columns() -> list[Column[InitiativeCause]]:
    return [
        Column(
            header=lambda: _tr("Cause"),
            value=lambda c: label(c.cause),
            tooltip=lambda c: _tr("Usually owned by {owner}.").format(
                owner=_domain(owner_hint(c.cause))
            ),
            flexible=False,
        ),
        Column(
            field="owner",
            header=lambda: _tr("Suggested owner"),
            header_tip=lambda: _tr("Who should own this part of the problem"),
            tooltip=lambda c: (
                c.owner
                or _tr("Suggest an owner, e.g. {owner}").format(owner=_domain(owner_hint(c.cause)))
            ),
            update=triage.edit_cause,
        ),
        Column(
            field="note",
            header=lambda: _tr("Hand-off note"),
            header_tip=lambda: _tr("What you hand over: what you found and what you ask for"),
            tooltip=lambda c: c.note or _tr("What you found, and what you ask them to do"),
            update=triage.edit_cause,
        ),
        Column(
            field="due",
            kind=Kind.DATE,
            header=lambda: _tr("By"),
            header_tip=lambda: _tr("When you hand it over, or expect an answer"),
            update=triage.edit_cause,
        ),
    ]


class CausesModel(ColumnTableModel[InitiativeCause]):
    """The routed causes of the initiative given to :meth:`set_initiative`."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, cause_columns(), parent=parent)
        self._initiative_id: str | None = None
        self._all: list[InitiativeCause] = []

    def set_initiative(self, initiative_id: str | None) -> None:
        self._initiative_id = initiative_id
        self.set_loader(
            None
            if initiative_id is None
            else partial(self._load, self.runner.project, initiative_id)
        )

    def _load(self, project: Project, initiative_id: str) -> list[InitiativeCause]:
        self._all = triage.list_causes(project, initiative_id)
        return [c for c in self._all if not is_learning_cause(c.cause)]

    def all_causes(self) -> list[InitiativeCause]:
        """Every checked cause (the table shows the routed ones), as of the last read."""
        return list(self._all)
