"""The changes to review, as a read-only table on the shared column model.

Rows are :class:`~ldpm.services.review.Review` items from the services (who changed what and
when is worked out there); this module only says how each column shows them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.services import review as review_svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.review import Review
from ldpm.ui.labels import label
from ldpm.ui.models.table import ID_ROLE, Column, ColumnTableModel
from ldpm.ui.operations import OperationRunner

__all__ = ["ID_ROLE", "ConflictsModel", "Review", "field_label", "show_value"]

COL_ITEM, COL_FIELD, COL_KEPT, COL_OTHER, COL_WHO = range(5)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictsModel", text)


def show_value(value: Any, field: str) -> str:
    """A stored value as a person reads it."""
    if field == "deleted":
        return _tr("Deleted") if value else _tr("Present")
    if value is None or value == "":
        return _tr("(empty)")
    if isinstance(value, bool):
        return _tr("Yes") if value else _tr("No")
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())  # one line in a table cell


def field_label(field: str) -> str:
    return field.replace("_", " ").strip().capitalize() or field


def item_text(row: Review) -> str:
    kind = row.kind.replace("_", " ").capitalize()
    return f"{kind}: {row.item}" if row.item else kind


def who_when(who: str, when: datetime | None) -> str:
    person = who or _tr("another computer")
    return person if when is None else f"{person}, {when.astimezone():%d %b %H:%M}"


def _kept(row: Review) -> str:
    return show_value(row.kept, row.field)


def _other(row: Review) -> str:
    return show_value(row.other, row.field)


def _columns() -> list[Column[Review]]:
    return [
        Column(header=lambda: _tr("Item"), text=item_text, tooltip=item_text),
        Column(header=lambda: _tr("Field"), text=lambda r: field_label(r.field)),
        Column(
            header=lambda: _tr("Kept value"),
            text=_kept,
            tooltip=lambda r: _tr("Kept (the newer change): {value}\nChanged by {who}").format(
                value=_kept(r), who=who_when(r.kept_by, r.kept_at)
            ),
        ),
        Column(
            header=lambda: _tr("Other value"),
            text=_other,
            tooltip=lambda r: _tr("The other change: {value}\nChanged by {who}").format(
                value=_other(r), who=who_when(r.other_by, r.other_at)
            ),
        ),
        Column(
            header=lambda: _tr("Who and when"),
            text=lambda r: _tr("kept: {kept} · other: {other}").format(
                kept=who_when(r.kept_by, r.kept_at), other=who_when(r.other_by, r.other_at)
            ),
            flexible=False,
        ),
    ]


class ConflictsModel(ColumnTableModel[Review]):
    """Unresolved changes to review of the runner's project, oldest first."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(
            runner, _columns(), lambda: review_svc.reviews(runner.project), parent=parent
        )
        self.reload()

    def wants(self, record: ChangeRecord) -> bool:
        return bool(record)

    def index_of(self, conflict_id: str) -> int:
        return self.row_of(conflict_id)
