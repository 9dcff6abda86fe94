"""The column-declaring table model, the two-level tree and the shared row diff."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Initiative
from ldpm.domain.enums import Stage
from ldpm.services import initiatives
from ldpm.services.commands import Command
from ldpm.ui.labels import label
from ldpm.ui.models.rows import MAX_STEPS, Step, plan_rows
from ldpm.ui.models.table import (
    COLUMN_ROLE,
    ID_ROLE,
    SORT_ROLE,
    Column,
    ColumnTableModel,
    Kind,
    TableProxy,
)
from ldpm.ui.models.tree import TwoLevelModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date, format_number

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    count: int | None = None
    due: date | None = None


def row_columns() -> list[Column[Row]]:
    return [
        Column(field="name", header=lambda: "Name"),
        Column(field="count", kind=Kind.WHOLE, header=lambda: "Count"),
        Column(field="due", kind=Kind.DATE, header=lambda: "Due"),
    ]


class Source:
    """Rows as a service would return them: a fresh list on every call."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __call__(self) -> list[Row]:
        return list(self.rows)


def shown(model: ColumnTableModel[Row]) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def apply(old: list[str], new: list[str], steps: list[Step]) -> list[str]:
    """What a list looks like after the steps (Qt's move semantics)."""
    current = list(old)
    for step in steps:
        if step.kind == "remove":
            del current[step.first : step.last + 1]
        elif step.kind == "move":
            src, dst = step.first, step.last
            assert dst not in (src, src + 1), "a move that goes nowhere"
            current.insert(dst if dst < src else dst - 1, current.pop(src))
        else:
            current[step.first : step.first] = new[step.first : step.last + 1]
    return current


# ---------------------------------------------------------------------- the diff


def test_plan_reaches_any_target() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        pool = [f"r{i}" for i in range(rng.randint(0, 40))]
        old = rng.sample(pool, rng.randint(0, len(pool)))
        new = rng.sample(pool, rng.randint(0, len(pool)))
        steps = plan_rows(old, new)
        if steps is not None:
            assert apply(old, new, steps) == new


def test_plan_is_small_for_small_changes() -> None:
    ids = [str(i) for i in range(10_000)]
    assert plan_rows(ids, ids) == []
    assert plan_rows(ids, ids[1:] + ids[:1]) == [Step("move", 0, 10_000)]  # one move, not 9,999
    assert plan_rows(ids, ids[:5] + ids[6:]) == [Step("remove", 5, 5)]
    assert plan_rows(ids, ids[:3] + ids[10:]) == [Step("remove", 3, 9)]  # one run
    assert plan_rows(ids, ["x", "y", *ids]) == [Step("insert", 0, 1)]
    assert plan_rows(ids, list(reversed(ids))) is None  # a reshuffle: reset
    with pytest.raises(ValueError, match="unique"):
        plan_rows([], ["a", "a"])


# --------------------------------------------------------------------- the table


@pytest.fixture
def source() -> Source:
    return Source([Row("a", "Alpha", 3), Row("b", "Beta", None, date(2026, 9, 30))])


@pytest.fixture
def model(runner: OperationRunner, source: Source) -> ColumnTableModel[Row]:
    m = ColumnTableModel(runner, row_columns(), source)
    m.reload()
    return m


def test_random_reloads_under_the_model_checker(
    qtmodeltester: ModelTester, runner: OperationRunner
) -> None:
    """Removals, insertions, moves and edits at random; the checker watches every signal,
    and a persistent index stays on its row."""
    source = Source([])
    model = ColumnTableModel(runner, row_columns(), source)
    qtmodeltester.check(model)
    rng = random.Random(5)
    pool = [Row(f"r{i}", f"row {i}", i) for i in range(15)]
    moved = []
    model.rowsMoved.connect(lambda *_: moved.append(1))
    for _ in range(80):
        watched = model.index(0, 1) if model.rowCount() else QModelIndex()
        watched_id = watched.data(ID_ROLE)
        keep = QPersistentModelIndex(watched)
        new = rng.sample(pool, rng.randint(0, len(pool)))
        new = [replace(r, name=r.name + "*") if rng.random() < 0.2 else r for r in new]
        source.rows = new
        model.reload()
        assert model.rows() == new
        assert shown(model) == [r.name for r in new]
        assert all(model.row_of(r.id) == i for i, r in enumerate(new))
        if watched_id in {r.id for r in new}:
            assert keep.isValid() and keep.data(ID_ROLE) == watched_id
            assert keep.column() == 1
    assert moved  # reorders are moves, not removals and insertions


def test_one_changed_row_among_many_is_one_data_changed(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    rows = [Row(f"r{i}", f"row {i}", i) for i in range(10_000)]
    source = Source(rows)
    model = ColumnTableModel(runner, row_columns(), source)
    model.reload()
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, *_: changes.append((a.row(), a.column(), b.row(), b.column()))
    )
    source.rows = [*rows[:4321], replace(rows[4321], count=7), *rows[4322:]]
    with (
        qtbot.assert_not_emitted(model.rowsInserted),
        qtbot.assert_not_emitted(model.rowsRemoved),
        qtbot.assert_not_emitted(model.rowsMoved),
        qtbot.assert_not_emitted(model.modelReset),
        qtbot.assert_not_emitted(model.layoutChanged),
    ):
        model.reload()
    assert changes == [(4321, 0, 4321, 2)]
    changes.clear()
    model.reload()  # nothing changed: nothing emitted
    assert changes == []


def test_a_reshuffle_resets(qtbot: QtBot, runner: OperationRunner) -> None:
    rows = [Row(f"r{i}", f"row {i}") for i in range(3 * MAX_STEPS)]
    source = Source(rows)
    model = ColumnTableModel(runner, row_columns(), source)
    model.reload()
    source.rows = list(reversed(rows))
    with qtbot.waitSignal(model.modelReset):
        model.reload()
    assert shown(model)[0] == rows[-1].name
    assert model.row_of(rows[0].id) == len(rows) - 1


def test_columns_show_align_and_sort(model: ColumnTableModel[Row]) -> None:
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Name",
        "Count",
        "Due",
    ]
    count, due = model.index(1, 1), model.index(1, 2)
    assert model.index(0, 1).data() == "3" and count.data() == ""
    assert due.data() == format_date(date(2026, 9, 30))
    assert due.data(EDIT) == QDate(2026, 9, 30)
    assert model.index(0, 1).data(SORT_ROLE) == 3.0 and count.data(SORT_ROLE) is None
    assert due.data(SORT_ROLE) == QDate(2026, 9, 30)
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert count.data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) == (
        right
    )
    font = count.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.featureValue(QFont.Tag("tnum")) == 1
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert isinstance(model.index(0, 0).data(COLUMN_ROLE), Column)
    assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "Name: Alpha"
    # Read-only columns (no update or command) are not editable.
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_proxy_sorts_by_key_not_by_shown_text(runner: OperationRunner) -> None:
    counts = [9, 100, None, 10, 1250]
    source = Source([Row(f"r{i}", f"row {i}", c) for i, c in enumerate(counts)])
    model = ColumnTableModel(runner, row_columns(), source)
    model.reload()
    proxy = TableProxy(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    shown_counts = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    assert shown_counts == [format_number(c) for c in (9, 10, 100, 1250, None)]
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    shown_counts = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    assert shown_counts == [format_number(c) for c in (1250, 100, 10, 9, None)]  # blanks last
    proxy.set_filter_text("ROW 3")
    assert proxy.rowCount() == 1 and proxy.index(0, 1).data() == "10"


def test_sorted_rows_stay_sorted_through_reloads(
    qtbot: QtBot, qtmodeltester: ModelTester, runner: OperationRunner
) -> None:
    source = Source([Row("a", "beta", 3), Row("b", "Alpha", 1), Row("c", "gamma", 2)])
    model = ColumnTableModel(runner, row_columns(), source)
    model.reload()
    qtmodeltester.check(model)
    keep = QPersistentModelIndex(model.index(0, 1))  # "beta"
    with qtbot.waitSignal(model.layoutChanged):
        model.sort(0)
    assert shown(model) == ["Alpha", "beta", "gamma"]  # text ignores case
    assert keep.row() == 1 and keep.column() == 1 and keep.data() == "3"
    # An edit that changes the sort key moves that one row.
    source.rows = [Row("a", "beta", 3), Row("b", "Zulu", 1), Row("c", "gamma", 2)]
    with qtbot.waitSignal(model.rowsMoved), qtbot.assert_not_emitted(model.modelReset):
        model.reload()
    assert shown(model) == ["beta", "gamma", "Zulu"]
    assert model.sort_order() == (0, Qt.SortOrder.AscendingOrder)
    source.rows = []  # not read again: sorting only reorders what is shown
    model.sort(-1)  # back to the services' order
    assert shown(model) == ["beta", "Zulu", "gamma"]
    assert model.sort_order() is None
    rng = random.Random(2)
    pool = [Row(f"r{i}", f"row {rng.randint(0, 9)}", rng.choice([None, 1, 2])) for i in range(12)]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    for _ in range(30):
        source.rows = rng.sample(pool, rng.randint(0, len(pool)))
        model.reload()
        counts = [r.count for r in model.rows()]
        present = [c for c in counts if c is not None]
        assert present == sorted(present, reverse=True)
        assert counts == present + [None] * (len(counts) - len(present))


def test_proxy_under_the_model_checker_while_sorting_and_filtering(
    qtmodeltester: ModelTester, runner: OperationRunner
) -> None:
    source = Source([])
    model = ColumnTableModel(runner, row_columns(), source)
    proxy = TableProxy(model)
    qtmodeltester.check(proxy)
    rng = random.Random(9)
    pool = [Row(f"r{i}", f"row {i}", rng.choice([None, *range(6)])) for i in range(15)]
    for _ in range(40):
        action = rng.random()
        if action < 0.5:
            source.rows = rng.sample(pool, rng.randint(0, len(pool)))
            model.reload()
        elif action < 0.8:
            proxy.sort(rng.choice([-1, 0, 1]), rng.choice(list(Qt.SortOrder)))
        else:
            proxy.set_filter_text(rng.choice(["", "row 1", "ROW"]))
        shown_ids = [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]
        wanted = [
            r.id
            for r in model.rows()
            if proxy.filterRegularExpression().pattern() == ""
            or proxy.filterRegularExpression().match(r.name).hasMatch()
        ]
        assert shown_ids == wanted  # the proxy shows the model's (sorted) order, filtered


# --------------------------------------------------------- edits through the runner


def stage_columns(runner: OperationRunner) -> list[Column[Initiative]]:
    def update(initiative_id: str, changes: dict[str, object]) -> Command:
        return initiatives.edit_initiative(runner.project, initiative_id, dict(changes))

    return [
        Column(field="name", header=lambda: "Initiative", update=update),
        Column(
            field="stage", kind=Kind.CHOICE, choices=Stage, header=lambda: "Stage", update=update
        ),
        Column(field="requested_on", kind=Kind.DATE, header=lambda: "Requested on", update=update),
    ]


@pytest.fixture
def portfolio(runner: OperationRunner, initiative_id: str) -> ColumnTableModel[Initiative]:
    m = ColumnTableModel(
        runner, stage_columns(runner), lambda: initiatives.list_initiatives(runner.project)
    )
    m.reload()
    return m


def test_edits_run_as_commands_and_come_back(
    qtbot: QtBot,
    runner: OperationRunner,
    initiative_id: str,
    portfolio: ColumnTableModel[Initiative],
) -> None:
    stage = portfolio.index(0, 1)
    assert stage.data() == label(Stage.DISCOVER)
    assert stage.data(EDIT) == Stage.DISCOVER.value
    with qtbot.waitSignal(portfolio.dataChanged):
        assert portfolio.setData(stage, Stage.PILOT.value, EDIT)
    assert stage.data() == label(Stage.PILOT)
    stored = initiatives.get_initiative(runner.project, initiative_id)
    assert stored is not None and stored.stage is Stage.PILOT
    # Setting what it holds already is no command and no undo step.
    steps = runner.undo_stack.count()
    assert portfolio.setData(stage, Stage.PILOT.value, EDIT)
    assert runner.undo_stack.count() == steps
    runner.undo_stack.undo()
    assert stage.data() == label(Stage.DISCOVER)
    # Choices sort in their declared order, not by label.
    assert stage.data(SORT_ROLE) == 0


def test_a_value_that_is_not_a_date_is_refused_before_any_command(
    qtbot: QtBot, runner: OperationRunner, portfolio: ColumnTableModel[Initiative]
) -> None:
    cell = portfolio.index(0, 2)
    steps = runner.undo_stack.count()
    with (
        qtbot.assert_not_emitted(runner.failed),
        qtbot.assert_not_emitted(runner.changed),
        qtbot.waitSignal(portfolio.edit_rejected) as refused,
    ):
        assert not portfolio.setData(cell, "someday", EDIT)
    index, sentence = refused.args
    assert (index.row(), index.column()) == (0, 2)
    assert "“someday” is not a date" in sentence
    assert runner.undo_stack.count() == steps
    assert portfolio.setData(cell, "2026-03-01", EDIT)
    assert cell.data(EDIT) == QDate(2026, 3, 1)


def test_a_refusal_by_the_runner_reaches_the_cell(
    qtbot: QtBot, runner: OperationRunner, portfolio: ColumnTableModel[Initiative]
) -> None:
    name = portfolio.index(0, 0)
    with qtbot.waitSignal(portfolio.edit_rejected) as refused:
        assert not portfolio.setData(name, "   ", EDIT)
    assert refused.args[1] == "The initiative needs a name."
    assert refused.args[0].row() == 0 and name.data() == "Incident hand-offs"


# ---------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Parent:
    id: str
    title: str


def tree_model(
    runner: OperationRunner, source: list[list[tuple[Parent, list[Row]]]]
) -> TwoLevelModel[Parent, Row]:
    parent_columns = [
        Column[Parent](field="title", header=lambda: "Title"),
        Column.placeholder(),
        Column.placeholder(),
    ]
    return TwoLevelModel(runner, parent_columns, row_columns(), lambda: source[0])


def test_tree_random_reloads_under_the_model_checker(
    qtmodeltester: ModelTester, runner: OperationRunner
) -> None:
    """Parents and children come, go, move (children also between parents) and change; the
    checker watches every signal and a child's persistent index stays with it while its
    parent moves."""
    rng = random.Random(3)
    parents = [Parent(f"p{i}", f"Parent {i}") for i in range(6)]
    children = [Row(f"c{i}", f"child {i}", i) for i in range(20)]
    current: list[list[tuple[Parent, list[Row]]]] = [[]]
    model = tree_model(runner, current)
    qtmodeltester.check(model)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    for _ in range(60):
        tops = rng.sample(parents, rng.randint(0, len(parents)))
        pool = rng.sample(children, len(children))
        tree = []
        for p in tops:
            take, pool = pool[: rng.randint(0, 5)], pool[5:]
            kids = [replace(c, name=c.name + "*") if rng.random() < 0.2 else c for c in take]
            title = p.title + "*" if rng.random() < 0.2 else p.title
            tree.append((replace(p, title=title), kids))
        first_child = model.index(0, 0, model.index(0, 0)) if model.rowCount() else None
        keep = QPersistentModelIndex(first_child) if first_child is not None else None
        kept_id = first_child.data(ID_ROLE) if first_child is not None else None
        current[0] = tree
        model.reload()
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
            p.title for p, _k in tree
        ]
        for r, (_p, kids) in enumerate(tree):
            parent = model.index(r, 0)
            assert [model.index(k, 0, parent).data() for k in range(model.rowCount(parent))] == [
                c.name for c in kids
            ]
        still_there = {c.id: p.id for p, kids in tree for c in kids}
        if keep is not None and kept_id in still_there and keep.isValid():
            assert keep.data(ID_ROLE) == kept_id
            assert keep.parent().data(ID_ROLE) == still_there[kept_id]
    assert not resets  # everything went by steps


def test_tree_child_keeps_its_index_while_its_parent_moves(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    a, b = Parent("a", "A"), Parent("b", "B")
    kid = Row("k", "kid", 1)
    current = [[(a, [kid]), (b, [])]]
    model = tree_model(runner, current)
    model.reload()
    keep = QPersistentModelIndex(model.index_of("k", 1))
    current[0] = [(b, []), (a, [kid])]
    with qtbot.waitSignal(model.rowsMoved):
        model.reload()
    assert keep.isValid() and keep.parent().row() == 1 and keep.data() == "1"
    assert model.parent_item(keep) == a
