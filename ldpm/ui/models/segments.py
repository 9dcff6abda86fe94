"""The audience segments of one initiative as a table: name, size, description.

Declared as columns on :class:`~ldpm.ui.models.table.ColumnTableModel`: reads come from
:func:`ldpm.services.initiatives.list_segments`, every edit becomes
:func:`~ldpm.services.initiatives.edit_segment` run through the
:class:`~ldpm.ui.operations.OperationRunner`, and the model re-reads its rows only after a change
record that touches segments (so undo, redo and edits made elsewhere all arrive the same way),
emitting only what changed.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.domain.entities import Initiative, Segment
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner

NAME, SIZE, DESCRIPTION = range(3)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SegmentsModel", text)


def segment_columns() -> list[Column[Segment]]:
    return [
        Column(
            field="name",
            header=lambda: _tr("Segment"),
            header_tip=lambda: _tr("The name of the segment"),
            tooltip=lambda _s: _tr(
                "Who: a part of the audience, such as remote staff or new hires"
            ),
            update=initiatives.edit_segment,
        ),
        Column(
            field="size",
            kind=Kind.WHOLE,
            header=lambda: _tr("Size"),
            header_tip=lambda: _tr("Number of people"),
            tooltip=lambda _s: _tr("How many people are in this segment (leave blank if unknown)"),
            update=initiatives.edit_segment,
        ),
        Column(
            field="description",
            header=lambda: _tr("Description"),
            header_tip=lambda: _tr("What sets this segment apart"),
            tooltip=lambda s: s.description or _tr("What sets this segment apart"),
            update=initiatives.edit_segment,
        ),
    ]


class SegmentsModel(ColumnTableModel[Segment]):
    """Segments of the initiative given to :meth:`set_initiative`, in rank order."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, segment_columns(), parent=parent)
        self._initiative_id: str | None = None

    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        self._initiative_id = initiative_id
        self.set_loader(
            None
            if initiative_id is None
            else partial(initiatives.list_segments, self.runner.project, initiative_id)
        )

    def segment(self, row: int) -> Segment:
        segment = self.row_at(row)
        if segment is None:
            raise IndexError(row)
        return segment

    def wants(self, record: ChangeRecord) -> bool:
        if self._initiative_id is None:
            return False
        return record.touches(Segment) or (
            record.structure and record.touches(Initiative, self._initiative_id)
        )
