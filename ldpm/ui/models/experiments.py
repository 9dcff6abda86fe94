"""Experiments as cards: one declared-column model of every experiment of an initiative, and a
filter per board column (planned, running, deciding, decided).

The model's rows are :class:`~ldpm.services.experiments.Card` objects (the experiment, its
state today, whether it is overdue, its metric's name and its computed result);
:data:`CARD_ROLE` hands a card to the board's delegate, which draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ldpm.domain.enums import Decision, ExperimentState
from ldpm.services import experiments as svc
from ldpm.services.experiments import Card
from ldpm.ui.labels import label
from ldpm.ui.models.metrics import number, percent, signed
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date

AnyIndex = QModelIndex | QPersistentModelIndex

#: The :class:`Card` of a row.
CARD_ROLE = Qt.ItemDataRole.UserRole + 40
#: What a dragged card carries: the experiment's id.
MIME_TYPE = "application/x-ldpm-experiment"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExperimentsModel", text)


def _view_tr(text: str) -> str:
    return QCoreApplication.translate("ExperimentsView", text)


def state_label(state: ExperimentState) -> str:
    return label(state)


def dates_text(card: Card) -> str:
    e = card.experiment
    if e.start is None:
        return _tr("No start date")
    if e.end is None:
        return _tr("From {start}").format(start=format_date(e.start))
    return f"{format_date(e.start)} – {format_date(e.end)}"


def result_text(card: Card) -> str:
    """One line about how it went: the computed result, else what was entered."""
    r = card.result
    if r is not None and r.before is not None and r.during is not None:
        pct = f" ({percent(r.change_pct, sign=True)})" if r.change_pct is not None else ""
        text = f"{number(r.before)} → {number(r.during)}{pct}"
        if r.passed is True:
            text += " · " + _tr("passed")
        elif r.passed is False:
            text += " · " + _tr("did not pass")
        return text
    entered = card.experiment.result.strip()
    if entered:
        return entered if len(entered) <= 90 else entered[:89].rstrip() + "…"
    return _tr("No result yet") if card.state is not ExperimentState.PLANNED else ""


def experiment_columns() -> list[Column[Card]]:
    return [
        Column(
            header=lambda: _tr("Experiment"),
            value=lambda c: c.experiment.title,
            field="title",
            command=lambda c, v: svc.edit_experiment(c.id, {"title": v}),
        ),
        Column(
            header=lambda: _tr("State"),
            value=lambda c: c.state,
            text=lambda c: (
                state_label(c.state) + (" · " + _tr("overdue for a decision") if c.overdue else "")
            ),
            sort_key=lambda c: list(ExperimentState).index(c.state),
            flexible=False,
        ),
        Column(header=lambda: _tr("Metric"), value=lambda c: c.metric_name),
        Column(header=lambda: _tr("Start"), kind=Kind.DATE, value=lambda c: c.experiment.start),
        Column(header=lambda: _tr("End"), kind=Kind.DATE, value=lambda c: c.experiment.end),
        Column(
            header=lambda: _tr("Decision"),
            kind=Kind.CHOICE,
            choices=Decision,
            value=lambda c: c.experiment.decision,
            text=lambda c: label(c.experiment.decision),
        ),
        Column(header=lambda: _tr("Result"), text=result_text),
    ]


class CardsModel(ColumnTableModel[Card]):
    """Every experiment of the initiative as a card (see the module docstring)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, experiment_columns(), parent=parent)
        self.set_following(False)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == CARD_ROLE:
            return self.row_at(index.row()) if index.isValid() else None
        return super().data(index, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = []
        for index in indexes:
            card = self.row_at(index.row())
            if card is not None and card.id not in ids:
                ids.append(card.id)
        data.setData(MIME_TYPE, "\n".join(ids).encode())
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class StateFilter(QSortFilterProxyModel):
    """The cards of one board column."""

    def __init__(self, state: ExperimentState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CardsModel) or source_parent.isValid():
            return False
        card = model.row_at(source_row)
        return card is not None and card.state is self.state


def computed_text(card: Card) -> str:
    """The form's sentence on the result computed from the linked metric's measurements
    (translated in the "ExperimentsView" context, where the form shows it)."""
    r = card.result
    if card.experiment.metric_id is None:
        return _view_tr("Link a metric to compute the result from its measurements.")
    if r is None:
        return _view_tr("The result is computed from “{metric}” once it starts.").format(
            metric=card.metric_name
        )
    if r.reason:
        return r.reason
    who = r.segment or _view_tr("everyone")
    start, end = r.window
    text = _view_tr(
        "From “{metric}” ({who}): {before} in the {days} days before it started → {during} "
        "from {start} to {end}"
    ).format(
        metric=card.metric_name,
        who=who,
        before=number(r.before),
        days=(end - start).days + 1,
        during=number(r.during),
        start=format_date(start),
        end=format_date(end),
    )
    if r.change_pct is not None:
        text += f" ({percent(r.change_pct, sign=True)})"
    text += "."
    if r.passed is not None:
        text += " " + (_view_tr("Passed.") if r.passed else _view_tr("Did not pass."))
    if r.did is not None:
        text += " " + _view_tr("Against “{group}”: {did} (difference-in-differences).").format(
            group=card.experiment.comparison_segment, did=signed(r.did)
        )
    return text
