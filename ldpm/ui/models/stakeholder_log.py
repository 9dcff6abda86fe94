"""One stakeholder's interaction log and assessments, and the experts for a need, as
declared-column tables.

:class:`InteractionsModel`: date, channel, what happened, the follow-up, when it is due and
whether it is done — an interaction without a date is refused beside the cell, an open
follow-up whose day has passed is drawn in the warning colour.  :class:`AssessmentsModel`: the
stakeholder's dated assessments (label and note editable; a date in the future refused).
:class:`ExpertsModel`: people suggested for a need, with what matched and what they carry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ldpm.domain.entities import Assessment, BacklogItem, Interaction, ItemSme, Person
from ldpm.domain.enums import Engagement, Support
from ldpm.services import assessments as history
from ldpm.services import engagement
from ldpm.services.changes import ChangeRecord
from ldpm.services.experts import ExpertRow
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date, to_date

AnyIndex = QModelIndex | QPersistentModelIndex


class FollowUp(StrEnum):
    """Whether a follow-up is done (the log's *Done* column)."""

    OPEN = "open"
    DONE = "done"


def _tr(text: str) -> str:
    return QCoreApplication.translate("InteractionsModel", text)


def _late(entry: Interaction, today: date) -> bool:
    return bool(engagement.open_follow_ups([entry], today))


class _Warned(ColumnTableModel[Any]):
    """A column model that draws some cells in the theme's warning colour."""

    #: The warning colour (the view supplies it; it follows the theme).
    warning: Callable[[], QColor] | None = None

    def warned(self, row: Any, column: int) -> bool:
        return False

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and self.warning is not None:
            row = self.row_at(index.row())
            if row is not None and self.warned(row, index.column()):
                return _brush(self.warning())
            return None
        return super().data(index, role)


_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: QColor) -> QBrush:
    """One kept brush per colour (see :func:`~ldpm.ui.models.table.tabular_font`)."""
    brush = _BRUSHES.get(colour.name())
    if brush is None:
        brush = _BRUSHES[colour.name()] = QBrush(colour)
    return brush


def _no_date(value: Any) -> str | None:
    return _tr("An interaction needs a date: when did it happen?") if not value else None


def interaction_columns(today: Callable[[], date]) -> list[Column[Interaction]]:
    def edit(field: str) -> Callable[[Interaction, Any], Any]:
        return lambda row, value: engagement.edit_interaction(row.id, {field: value})

    return [
        Column(
            field="on",
            kind=Kind.DATE,
            header=lambda: _tr("Date"),
            header_tip=lambda: _tr("When it happened"),
            check=_no_date,
            command=edit("on"),
        ),
        Column(
            field="channel", header=lambda: _tr("Channel"), command=edit("channel"), flexible=False
        ),
        Column(
            field="summary",
            header=lambda: _tr("What happened"),
            tooltip=lambda row: row.summary,
            command=edit("summary"),
        ),
        Column(
            field="follow_up",
            header=lambda: _tr("Follow-up"),
            tooltip=lambda row: row.follow_up,
            command=edit("follow_up"),
        ),
        Column(
            field="follow_up_due",
            kind=Kind.DATE,
            header=lambda: _tr("Due"),
            header_tip=lambda: _tr("When the follow-up is due"),
            text=lambda row: (
                ("⚠ " if _late(row, today()) else "") + format_date(row.follow_up_due)
            ),
            command=edit("follow_up_due"),
        ),
        Column(
            kind=Kind.CHOICE,
            choices=FollowUp,
            header=lambda: _tr("Done"),
            header_tip=lambda: _tr("Whether the follow-up is done"),
            value=lambda row: FollowUp.DONE if row.follow_up_done else FollowUp.OPEN,
            command=lambda row, value: engagement.edit_interaction(
                row.id, {"follow_up_done": FollowUp(value) is FollowUp.DONE}
            ),
        ),
    ]


class InteractionsModel(_Warned):
    """The interaction log of the stakeholder given to :meth:`set_stake`, newest first."""

    DUE = 4

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        self.today: Callable[[], date] = date.today
        super().__init__(runner, interaction_columns(self._today), parent=parent)
        self.stake_id: str | None = None

    def _today(self) -> date:
        return self.today()

    def set_stake(self, stake_id: str | None) -> None:
        if stake_id == self.stake_id:
            return
        self.stake_id = stake_id
        self.set_loader(
            None
            if stake_id is None
            else lambda: engagement.interactions(self.runner.project, stake_id)
        )

    def wants(self, record: ChangeRecord) -> bool:
        return self.stake_id is not None and record.touches(Interaction)

    def warned(self, row: Any, column: int) -> bool:
        return column == self.DUE and _late(row, self.today())


def assessment_columns(today: Callable[[], date]) -> list[Column[Assessment]]:
    def edit(field: str) -> Callable[[Assessment, Any], Any]:
        return lambda row, value: history.edit_assessment(row.id, {field: value}, today=today())

    def future(value: Any) -> str | None:
        day = to_date(value)
        if day is None:
            return QCoreApplication.translate("AssessmentsModel", "An assessment needs a date.")
        if day > today():
            return QCoreApplication.translate(
                "AssessmentsModel",
                "An assessment says where people stood, so it cannot be dated in the future: "
                "choose today or an earlier date.",
            )
        return None

    def tr(text: str) -> str:
        return QCoreApplication.translate("AssessmentsModel", text)

    return [
        Column(
            field="on", kind=Kind.DATE, header=lambda: tr("Date"), check=future, command=edit("on")
        ),
        Column(field="label", header=lambda: tr("Assessment"), command=edit("label")),
        Column(field="power", kind=Kind.WHOLE, header=lambda: tr("Power"), command=edit("power")),
        Column(
            field="interest",
            kind=Kind.WHOLE,
            header=lambda: tr("Interest"),
            command=edit("interest"),
        ),
        Column(
            field="support",
            kind=Kind.CHOICE,
            choices=Support,
            header=lambda: tr("Support"),
            command=edit("support"),
        ),
        Column(
            field="engagement",
            kind=Kind.CHOICE,
            choices=Engagement,
            header=lambda: tr("Engagement"),
            command=edit("engagement"),
        ),
        Column(
            field="note",
            header=lambda: tr("Note"),
            tooltip=lambda row: row.note,
            command=edit("note"),
        ),
    ]


class AssessmentsModel(ColumnTableModel[Assessment]):
    """The assessments of the stakeholder given to :meth:`set_stake`, newest first."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        self.today: Callable[[], date] = date.today
        super().__init__(runner, assessment_columns(self._today), parent=parent)
        self.stake_id: str | None = None

    def _today(self) -> date:
        return self.today()

    def set_stake(self, stake_id: str | None) -> None:
        if stake_id == self.stake_id:
            return
        self.stake_id = stake_id
        self.set_loader(
            None
            if stake_id is None
            else lambda: history.assessments_of(self.runner.project, stake_id)
        )

    def wants(self, record: ChangeRecord) -> bool:
        return self.stake_id is not None and record.touches(Assessment)


def expert_columns() -> list[Column[ExpertRow]]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("ExpertsModel", text)

    def carries(row: ExpertRow) -> str:
        items, initiatives = row.load.items, row.load.initiatives
        text = ", ".join(
            (
                tr("1 item") if items == 1 else tr("{n} items").format(n=items),
                tr("1 initiative")
                if initiatives == 1
                else tr("{n} initiatives").format(n=initiatives),
            )
        )
        return ("⚠ " + text + " — " + tr("too many")) if row.overloaded else text

    return [
        Column(header=lambda: tr("Person"), value=lambda row: row.name),
        Column(header=lambda: tr("Role"), value=lambda row: row.person.role),
        Column(
            header=lambda: tr("Match"),
            header_tip=lambda: tr("How well their expertise covers the need"),
            kind=Kind.DECIMAL,
            value=lambda row: row.score,
        ),
        Column(
            header=lambda: tr("Because of"),
            header_tip=lambda: tr("The expertise tags and words that matched"),
            value=lambda row: ", ".join(row.matched),
            tooltip=lambda row: row.person.expertise or ", ".join(row.matched),
        ),
        Column(
            header=lambda: tr("Already carries"),
            header_tip=lambda: tr(
                "Open backlog items they are the SME of, and in how many initiatives"
            ),
            value=carries,
            sort_key=lambda row: (row.load.items, row.load.initiatives),
            flexible=False,
        ),
        Column(
            header=lambda: tr("Linked"),
            header_tip=lambda: tr("Already an SME of this item"),
            value=lambda row: tr("✓ SME") if row.linked else "",
            flexible=False,
        ),
    ]


class ExpertsModel(_Warned):
    """Rows from a loader of :class:`ExpertRow` (suggestions, or everyone by load)."""

    CARRIES = 4

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, expert_columns(), parent=parent)

    def wants(self, record: ChangeRecord) -> bool:
        return any(record.touches(k) for k in (ItemSme, Person, BacklogItem))

    def warned(self, row: Any, column: int) -> bool:
        return column == self.CARRIES and bool(row.overloaded)
