"""One way to turn "the rows are now these" into Qt's model signals, for every item model.

Views are told what changed by the operation runner's change records, after which a model
re-reads its rows from the services.  Resetting the whole model on every change would lose the
selection, the scroll position and an open editor, so the models compare the new rows with the
old ones by id and emit the minimal, correctly bracketed signals.  The pieces:

- :func:`plan_rows` (plain Python, no Qt) works out the steps from the old ids to the new ones:
  removals (contiguous runs, bottom-up), moves, then insertions (contiguous runs).  It keeps the
  ids in dicts, so it is linear in the number of rows for the common changes (nothing, one row
  edited, added or removed) and ``O(n log n)`` for reorders: the rows that stay in place are a
  longest increasing subsequence of their new positions, and only the others move.  A change
  that would take more than :data:`MAX_STEPS` separate steps (a whole list reshuffled by a
  merge) is one reset instead: Qt's cost per step is linear in the rows, so a reset is cheaper
  there, and a selection means little after such a change.
- :class:`RowKeeper` holds one list of rows with an id → row dict kept in step with every step
  (so :meth:`RowKeeper.index_of` is O(1)), and applies a plan to a Qt model under one parent
  index: ``beginRemoveRows``/``beginMoveRows``/``beginInsertRows`` around each list change, then
  one ``dataChanged`` (all columns) per run of rows whose content differs.  Table models
  (:mod:`ldpm.ui.models.table`), two-level trees (:mod:`ldpm.ui.models.tree`) and list models
  (:class:`RowListModel`) all use it.
- :class:`RowListModel` is the list-model adapter: subclasses implement :meth:`row_id` and
  ``data``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, Literal, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)

R = TypeVar("R")

_ROOT = QModelIndex()

#: More separate steps than this and a change becomes one reset (see the module docstring).
MAX_STEPS = 100


@dataclass(frozen=True, slots=True)
class Step:
    """One bracketed change of a row list.

    ``remove``: rows ``first..last`` (as the list stands then).  ``insert``: the new rows
    ``first..last`` (final positions).  ``move``: row ``first`` goes before row ``last`` (Qt's
    ``destinationChild``: counted before the row is taken out)."""

    kind: Literal["remove", "move", "insert"]
    first: int
    last: int


def plan_rows(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Step] | None:
    """The steps that turn the id list ``old`` into ``new`` (ids unique in each), or None
    when that would take more than :data:`MAX_STEPS` steps (then reset instead)."""
    new_pos = {key: i for i, key in enumerate(new)}
    if len(new_pos) != len(new):
        raise ValueError("row ids must be unique")
    steps: list[Step] = []
    if list(old) == list(new):
        return steps

    # 1. Removals: runs of adjacent gone rows, bottom-up so earlier positions stay valid.
    gone = [i for i, key in enumerate(old) if key not in new_pos]
    runs: list[list[int]] = []
    for i in reversed(gone):
        if runs and i == runs[-1][0] - 1:
            runs[-1][0] = i
        else:
            runs.append([i, i])
    steps.extend(Step("remove", first, last) for first, last in runs)

    # 2. Moves.  The common one first: a single row moved (an edit in a sorted column).
    if not gone and len(old) == len(new):
        single = _single_move(old, new)
        if single is not None:
            return [single]
    # The kept rows, in their old order, hold these new positions.
    kept = [key for key in old if key in new_pos]
    seq = [new_pos[key] for key in kept]
    if any(a > b for a, b in pairwise(seq)):
        moves = _plan_moves(kept, seq)
        if moves is None:
            return None
        steps.extend(moves)

    # 3. Insertions: runs of new ids, in increasing final position.
    old_keys = set(old)
    first = -1
    for i, key in enumerate(new):
        if key in old_keys:
            if first >= 0:
                steps.append(Step("insert", first, i - 1))
                first = -1
        elif first < 0:
            first = i
    if first >= 0:
        steps.append(Step("insert", first, len(new) - 1))
    return None if len(steps) > MAX_STEPS else steps


def _single_move(old: Sequence[Hashable], new: Sequence[Hashable]) -> Step | None:
    """The move, if ``new`` is ``old`` (same ids) with exactly one row moved."""
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b), None)
    if first is None:
        return None
    last = len(old) - 1
    while old[last] == new[last]:
        last -= 1
    down, up = list(old[first : last + 1]), list(new[first : last + 1])
    if down[1:] == up[:-1] and down[0] == up[-1]:  # the first row went down to ``last``
        return Step("move", first, last + 1)
    if down[:-1] == up[1:] and down[-1] == up[0]:  # the last row went up to ``first``
        return Step("move", last, first)
    return None


def _plan_moves(kept: list[Hashable], seq: list[int]) -> list[Step] | None:
    """Moves that put ``kept`` (holding new positions ``seq``) into increasing order.

    Rows on a longest increasing subsequence stay; each other row, taken in order of its new
    position, moves to just after the kept row that precedes it in the new order (which is
    already in place, by induction), or to the top."""
    stay = _longest_increasing(seq)
    movers = sorted((seq[i], i) for i in range(len(kept)) if i not in stay)
    if len(movers) > MAX_STEPS:
        return None
    in_new_order = sorted(range(len(kept)), key=seq.__getitem__)
    rank = {k: r for r, k in enumerate(in_new_order)}
    current = list(range(len(kept)))  # kept-list numbers in their current order
    where = list(range(len(kept)))  # kept-list number -> current position
    steps: list[Step] = []
    for _new, k in movers:
        src = where[k]
        r = rank[k]
        dst = 0 if r == 0 else where[in_new_order[r - 1]] + 1
        if dst in (src, src + 1):
            continue
        steps.append(Step("move", src, dst))
        landing = dst if dst < src else dst - 1
        current.insert(landing, current.pop(src))
        for pos in range(min(src, landing), max(src, landing) + 1):
            where[current[pos]] = pos
    return steps


def _longest_increasing(seq: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of ``seq`` (patience sort)."""
    tails: list[int] = []  # values
    tail_at: list[int] = []  # index in seq of each tail
    back = [-1] * len(seq)
    for i, value in enumerate(seq):
        j = bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[j] = value
            tail_at[j] = i
        back[i] = tail_at[j - 1] if j else -1
    result: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        result.add(i)
        i = back[i]
    return result


class RowKeeper(Generic[R]):
    """One list of rows (under one parent of a model) with an O(1) id → row lookup."""

    def __init__(self, row_id: Callable[[R], str]) -> None:
        self.row_id = row_id
        self._rows: list[R] = []
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)

    def index_of(self, row_id: str) -> int:
        """The row of ``row_id``, or -1.  O(1)."""
        return self._index.get(row_id, -1)

    def replace(self, rows: list[R]) -> None:
        """Hold ``rows`` without signals (inside a reset, or for a parent being inserted)."""
        self._rows = list(rows)
        self._reindex(0)
        if len(self._index) != len(self._rows):
            raise ValueError("row ids must be unique")

    def _reindex(self, start: int, stop: int | None = None) -> None:
        if start == 0 and stop is None:
            self._index = {}
        rows, index, row_id = self._rows, self._index, self.row_id
        for i in range(start, len(rows) if stop is None else stop):
            index[row_id(rows[i])] = i

    def sync(
        self,
        model: QAbstractItemModel,
        parent: QModelIndex,
        new: Sequence[R],
        *,
        last_column: int,
        attach: Callable[[Sequence[R]], None] | None = None,
    ) -> bool:
        """Make this list hold ``new``, emitting the signals on ``model`` under ``parent``.

        ``attach`` is called with rows about to be inserted, inside the insert bracket (a
        tree hangs their children there).  Returns False, changing nothing, when the change
        is too large for steps (see :func:`plan_rows`): the caller then resets."""
        new_ids = list(map(self.row_id, new))
        old_ids = list(map(self.row_id, self._rows))
        if old_ids == new_ids:  # the common case: at most some values changed
            old_rows, self._rows = self._rows, list(new)
            self._emit_changed(model, parent, old_rows, last_column)
            return True
        steps = plan_rows(old_ids, new_ids)
        if steps is None:
            return False
        before = dict(zip(old_ids, self._rows, strict=True))
        rows = self._rows
        for step in steps:
            if step.kind == "remove":
                model.beginRemoveRows(parent, step.first, step.last)
                for row in rows[step.first : step.last + 1]:
                    del self._index[self.row_id(row)]
                del rows[step.first : step.last + 1]
                self._reindex(step.first)
                model.endRemoveRows()
            elif step.kind == "move":
                src, dst = step.first, step.last
                model.beginMoveRows(parent, src, src, parent, dst)
                landing = dst if dst < src else dst - 1
                rows.insert(landing, rows.pop(src))
                self._reindex(min(src, landing), max(src, landing) + 1)
                model.endMoveRows()
            else:
                model.beginInsertRows(parent, step.first, step.last)
                added = list(new[step.first : step.last + 1])
                if attach is not None:
                    attach(added)
                rows[step.first : step.first] = added
                self._reindex(step.first)
                model.endInsertRows()
        # The ids now match ``new``: take the new values, then say which rows differ.
        self._rows = list(new)
        self._emit_changed(model, parent, [before.get(key) for key in new_ids], last_column)
        return True

    def _emit_changed(
        self,
        model: QAbstractItemModel,
        parent: QModelIndex,
        old_rows: Sequence[R | None],
        column: int,
    ) -> None:
        """One ``dataChanged`` per run of rows that differ from ``old_rows`` (same
        positions; None for a row that was inserted and so is new anyway)."""
        changed = [
            i
            for i, (old, row) in enumerate(zip(old_rows, self._rows, strict=True))
            if old is not None and old is not row and old != row  # ``is``: no __eq__ call
        ]
        runs: list[list[int]] = []
        for i in changed:
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        for first, last in runs:
            model.dataChanged.emit(
                model.index(first, 0, parent), model.index(last, column, parent)
            )


class RowListModel(QAbstractListModel, Generic[R]):
    """A list model over rows with ids; subclasses implement :meth:`row_id` and ``data``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keeper: RowKeeper[R] = RowKeeper(self.row_id)

    # -- to implement
    def row_id(self, row: R) -> str:
        raise NotImplementedError

    # -- Qt API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._keeper)

    # -- helpers
    def row_at(self, index: int) -> R | None:
        return self._keeper.row_at(index)

    def rows(self) -> list[R]:
        return self._keeper.rows()

    def index_of(self, row_id: str) -> int:
        """The row of ``row_id``, or -1.  O(1)."""
        return self._keeper.index_of(row_id)

    def set_rows(self, new: list[R]) -> None:
        """Make the model hold ``new``, emitting the minimal change signals."""
        if not self._keeper.sync(self, _ROOT, new, last_column=0):
            self.beginResetModel()
            self._keeper.replace(new)
            self.endResetModel()
