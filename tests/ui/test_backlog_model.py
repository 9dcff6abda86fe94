"""The backlog model's refresh after a few items changed: the re-read rows are put in place
one by one (no full build), and the rows are exactly those a full build gives — order,
positions, scores and shown texts — with valid model signals throughout."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.enums import ItemStatus, ScoringMethod
from ldpm.services import backlog as svc
from ldpm.services import initiatives
from ldpm.services.commands import Command
from ldpm.ui.models import backlog as backlog_model
from ldpm.ui.models.backlog import BacklogModel, BacklogRow
from ldpm.ui.models.backlog_columns import POSITION
from ldpm.ui.operations import OperationRunner

#: Fields copied from one item to another: every input of every score, the MoSCoW call,
#: the release and the title (so values are always ones the item may hold).
FIELDS = (
    "reach",
    "impact",
    "confidence",
    "effort",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
    "value",
    "moscow",
    "release_id",
    "status",
    "title",
)


@pytest.fixture
def handoffs(demo_runner: OperationRunner) -> str:
    return initiatives.list_initiatives(demo_runner.project)[0].id


def shown(rows: list[BacklogRow]) -> list[tuple[Any, ...]]:
    """Everything a row holds, the shown texts included (they do not take part in ==)."""
    return [
        (
            r.id,
            r.position,
            r.item,
            r.release,
            r.release_position,
            r.smes,
            r.target,
            r.rice,
            r.wsjf,
            r.ratio,
            r.texts,
        )
        for r in rows
    ]


def built_afresh(runner: OperationRunner, initiative_id: str) -> list[BacklogRow]:
    model = BacklogModel(runner)
    model.set_initiative(initiative_id)
    rows = model.rows()
    runner.changed.disconnect(model._on_changed)
    model.deleteLater()
    return rows


def moved_one(model: BacklogModel, rng: random.Random) -> tuple[list[tuple[str, str]], str]:
    """The ranked order with one item moved elsewhere, as a drag asks (and its id)."""
    order = model.ranked_order()
    taken = order.pop(rng.randrange(len(order)))
    order.insert(rng.randrange(len(order) + 1), taken)
    return order, taken[0]


@pytest.mark.parametrize("method", list(ScoringMethod))
def test_a_few_changed_items_are_put_in_place_as_a_full_build_would(
    qtmodeltester: ModelTester,
    demo_runner: OperationRunner,
    handoffs: str,
    method: ScoringMethod,
) -> None:
    assert demo_runner.run(svc.edit_scoring(demo_runner.project, {"scoring_method": method}))
    model = BacklogModel(demo_runner)
    model.set_initiative(handoffs)
    demo_runner.changed.connect(model.refresh)
    qtmodeltester.check(model)  # and it watches every signal from now on
    assert len(model.rows()) > 10
    builds, start = model.rebuilds, demo_runner.undo_stack.index()
    rng = random.Random(str(method))
    changes = 0
    for _ in range(60):
        items = svc.list_items(demo_runner.project, handoffs)
        command: Command | None
        if rng.random() < 0.3:  # a move, as Alt+Up/Down or a drag writes it
            order, moved = moved_one(model, rng)
            command = svc.reorder(order, {moved})  # scored: may rewrite more ranks
        else:
            target, source = rng.sample(items, 2)
            name = rng.choice(FIELDS)
            command = svc.edit_item(target.id, {name: getattr(source, name)})
        if command is None or not demo_runner.run(command):
            continue
        changes += 1
        assert shown(model.rows()) == shown(built_afresh(demo_runner, handoffs))
        assert model.ranked_order() == [(r.id, r.item.rank) for r in model.rows()]
    assert changes > 30
    assert model.rebuilds == builds  # every change was put in place, none built it all
    while demo_runner.undo_stack.index() > start:  # and back, step by step
        demo_runner.undo_stack.undo()
        assert shown(model.rows()) == shown(built_afresh(demo_runner, handoffs))
    assert model.rebuilds == builds


def test_more_changed_items_than_the_patch_takes_build_every_row(
    monkeypatch: pytest.MonkeyPatch, demo_runner: OperationRunner, handoffs: str
) -> None:
    monkeypatch.setattr(backlog_model, "PATCH_MOST", 3)
    model = BacklogModel(demo_runner)
    model.set_initiative(handoffs)
    demo_runner.changed.connect(model.refresh)
    ids = [r.id for r in model.rows()]
    builds = model.rebuilds
    assert demo_runner.run(svc.bulk_edit(ids[:3], {"status": ItemStatus.READY}))
    assert model.rebuilds == builds  # three: put in place
    assert demo_runner.run(svc.bulk_edit(ids[:4], {"status": ItemStatus.IDEA}))
    assert model.rebuilds == builds + 1  # four: every row built
    assert shown(model.rows()) == shown(built_afresh(demo_runner, handoffs))


def test_sorting_by_the_position_ascending_is_the_ranked_order_itself(
    qtbot: QtBot, demo_runner: OperationRunner, handoffs: str
) -> None:
    model = BacklogModel(demo_runner)
    model.set_initiative(handoffs)
    ranked = model.rows()
    model.sort(POSITION, Qt.SortOrder.DescendingOrder)
    assert model.rows() == ranked[::-1] and not model.is_ranked_view()
    model.sort(POSITION, Qt.SortOrder.AscendingOrder)
    assert model.sort_order() is None and model.is_ranked_view()
    assert model.rows() == ranked
