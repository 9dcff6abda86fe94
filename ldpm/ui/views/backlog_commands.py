"""The backlog's commands, mixed into :class:`~ldpm.ui.views.backlog.BacklogView`
(:class:`BacklogCommands`): add an item and open its title, delete the selection, set a field
on the selection, move items by hand (Alt+Up/Down, a drop) and rank by hand from a score's
order, choose the ranking method.  Each builds a command from :mod:`ldpm.services.backlog` and
runs it through the view, so a refusal comes back to the view and every change is one undo
step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.domain.enums import ScoringMethod
from ldpm.services import backlog as svc
from ldpm.services.commands import Command
from ldpm.ui.labels import label
from ldpm.ui.models.backlog_columns import SCORE_KEYS, TITLE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox

    from ldpm.ui.models.backlog import BacklogModel, BacklogProxy
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.views.backlog_filters import FilterBar
    from ldpm.ui.views.backlog_table import BacklogTable


def _tr(text: str) -> str:
    """Translated in the view's context, as its own ``tr`` would."""
    return QCoreApplication.translate("BacklogView", text)


class BacklogCommands:
    """See the module docstring."""

    runner: OperationRunner
    model: BacklogModel
    proxy: BacklogProxy
    table: BacklogTable
    filters: FilterBar
    method_combo: QComboBox

    # ------------------------------------------------------------ commands
    def selected_ids(self) -> list[str]:
        return [i for row in self._selected_rows() if (i := self.proxy.id_at(row)) is not None]

    def add_item(self, *, at_end: bool = False) -> None:
        if self.initiative_id is None:
            return
        current = self.proxy.id_at(self.table.current_row())
        after = None if at_end or self.model.method is not ScoringMethod.RANK else current
        command = svc.add_item(
            self.runner.project, self.initiative_id, _tr("New item"), after=after
        )
        if not self.run(command):
            return
        item_id = command.entity.id
        row = self.proxy.row_of(item_id)
        if row < 0:  # hidden by the filters: show everything rather than a blind edit
            self.filters.clear()
            self.say(_tr("The filters are cleared so that you can see the new item."))
            row = self.proxy.row_of(item_id)
        if row < 0:
            return
        self.table.setFocus()
        self.table.select_rows([row], row)
        index = self.proxy.index(row, TITLE)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        first = min(self.proxy.row_of(i) for i in ids)
        if self.run(svc.delete_items(ids)):
            self.say(
                _tr("Deleted {n} item(s). Undo brings them back.").format(n=len(ids))
                if len(ids) > 1
                else _tr("Deleted the item. Undo brings it back.")
            )
            row = min(first, self.proxy.rowCount() - 1)
            if row >= 0:
                self.table.select_rows([row], row)

    def bulk_set(self, field: str, value: Any) -> None:
        ids = self.selected_ids()
        if ids and self.run(svc.bulk_edit(ids, {field: value})):
            self.say(_tr("Changed {n} items in one step.").format(n=len(ids)))

    def move_selected(self, delta: int) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = sorted(self.proxy.row_of(i) for i in ids)
        if delta < 0:
            if rows[0] <= 0:
                return
            before = self.proxy.id_at(rows[0] - 1)
        else:
            if rows[-1] >= self.proxy.rowCount() - 1:
                return
            before = self.proxy.id_at(rows[-1] + 2)
        self.move_items(ids, before, end=before is None)

    def _dropped(self, ids: list[str], before_row: int) -> None:
        before = self.proxy.id_at(before_row)
        self.move_items(ids, before, end=before is None)

    def move_items(self, ids: Sequence[str], before: str | None, *, end: bool = False) -> bool:
        """Move ``ids`` so that they land right before the item ``before`` (or, with ``end``,
        after the last shown item), in the ranked order."""
        if not self.model.is_ranked_view():
            self.say(
                _tr(
                    "The backlog is sorted by a column: click # to return to the ranked "
                    "order, then move items."
                ),
                warning=True,
            )
            return False
        order = self.model.ranked_order()
        moving = set(ids)
        moved = [p for p in order if p[0] in moving]
        rest = [p for p in order if p[0] not in moving]
        rest_ids = [i for i, _r in rest]
        if before is not None and before in rest_ids:
            at = rest_ids.index(before)
        else:
            shown = [i for i in self.proxy.shown_ids() if i not in moving]
            at = rest_ids.index(shown[-1]) + 1 if end and shown else len(rest)
        new = rest[:at] + moved + rest[at:]
        if [i for i, _r in new] == [i for i, _r in order]:
            return False
        method = self.model.method
        command: Command | None
        if method is ScoringMethod.RANK:
            text = _tr("Move item") if len(ids) == 1 else _tr("Move items")
            command = svc.reorder(new, moving, text=text)
        else:
            command = svc.adopt_order(self.runner.project, new, ScoringMethod.RANK, moving)
        if command is None or not self.run(command):
            return False
        if method is not ScoringMethod.RANK:
            self.say(
                _tr(
                    "Ranked by hand from the {method} order: the backlog keeps your order "
                    "now. Undo goes back to {method}."
                ).format(method=label(method))
            )
        rows = [self.proxy.row_of(i) for i in ids]
        self.table.select_rows([r for r in rows if r >= 0], self.proxy.row_of(ids[0]))
        return True

    def adopt_order(self) -> None:
        method = self.model.method
        if self.initiative_id is None or method is ScoringMethod.RANK:
            return
        if self.run(svc.adopt_order(self.runner.project, self.model.ranked_order())):
            self.say(
                _tr(
                    "The {method} order is now your manual rank: drag items or use "
                    "Alt+Up/Down to adjust it."
                ).format(method=label(method))
            )

    def _method_picked(self, index: int) -> None:
        method = ScoringMethod(self.method_combo.itemData(index))
        before = self.model.method
        if method is before:
            return
        if self.run(svc.edit_scoring(self.runner.project, {"scoring_method": method})):
            # The score that ranks is shown in place of the one that ranked (the Columns
            # menu shows any other).
            old, new = SCORE_KEYS.get(before), SCORE_KEYS.get(method)
            if old is not None and new is not None:
                self.table.set_column_shown(old, False)
            if new is not None:
                self.table.set_column_shown(new, True)

    if TYPE_CHECKING:  # what the view provides

        @property
        def initiative_id(self) -> str | None: ...
        def run(self, command: Command | None, origin: QObject | None = None) -> bool: ...
        def say(self, sentence: str, *, warning: bool = False) -> None: ...
        def _selected_rows(self) -> list[int]: ...
