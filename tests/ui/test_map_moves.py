"""Who moved on the stakeholder map: one item draws every ghost and arrow of a comparison,
and the tooltips of cards and ghosts are written when asked, with the same text as before."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QGraphicsSceneHoverEvent, QToolTip
from pytestqt.qtbot import QtBot

from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.map_moves import MovesItem
from tests.ui.test_stakeholder_map import at, open_map, stake_id


def on_edge(rect: QRectF, point: QPointF) -> bool:
    """``point`` lies on the outline of ``rect`` (within a hair)."""
    near = rect.adjusted(-0.01, -0.01, 0.01, 0.01)
    inner = rect.adjusted(0.01, 0.01, -0.01, -0.01)
    return near.contains(point) and not inner.contains(point)


def test_one_item_draws_one_arrow_per_mover_from_the_old_place_to_the_new(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    view.compare.setChecked(True)
    scene = view.canvas.scene()
    assert [i for i in scene.items() if isinstance(i, MovesItem)] == [view.moves]
    moved = sorted(k for k, m in view.movements.items() if m.moved)
    assert moved and sorted(view.moves.ids()) == moved
    for key in moved:
        move, ghost, arrow = view.moves.move(key), view.moves.ghost(key), view.moves.arrow(key)
        card = view.canvas.item(key)
        assert move is not None and ghost is not None and arrow is not None
        assert card is not None
        assert ghost.center() == QPointF(*move.old)
        assert move.new == (card.spec.x, card.spec.y)
        target = card.mapRectToScene(card.rect())
        # From the ghost's edge to the card's edge, pointing from the old place to the new.
        assert on_edge(ghost, arrow.p1()) and on_edge(target, arrow.p2())
        along = QLineF(QPointF(*move.old), QPointF(*move.new))
        assert arrow.dx() * along.dx() + arrow.dy() * along.dy() > 0
        assert view.moves.boundingRect().contains(ghost.united(target))
    # Another pair of dates: the same item, with the moves of that pair only.
    view.compare.setChecked(False)
    assert view.moves.ids() == [] and view.moves.boundingRect().isEmpty()
    assert [i for i in scene.items() if isinstance(i, MovesItem)] == [view.moves]


def test_a_ghost_tells_who_moved_when_the_pointer_rests_on_it(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    view.compare.setChecked(True)
    helen = stake_id(view, "Helen")
    ghost = view.moves.ghost(helen)
    assert ghost is not None
    event = QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverMove)
    event.setPos(view.moves.mapFromScene(ghost.center()))
    view.moves.hoverMoveEvent(event)
    tip = view.moves.toolTip()
    assert tip.startswith("Helen Marsh: power 9, interest 3") and "now" in tip
    assert view.moves.shape().contains(ghost.center())
    assert not view.moves.shape().contains(QPointF(*view.moves.move(helen).new))  # type: ignore[union-attr]
    event.setPos(QPointF(-1000, -1000))
    view.moves.hoverMoveEvent(event)
    assert view.moves.toolTip() == ""


# A tooltip is a window of its own: the offscreen platform cannot raise it.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_card_is_described_when_asked(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    view = open_map(qtbot, demo_runner)
    canvas = view.canvas
    helen = stake_id(view, "Helen")
    card = canvas.item(helen)
    assert card is not None and card.spec.tooltip == "" and card.spec.description == ""
    tip = canvas.tooltip(helen)
    assert tip.startswith("Helen Marsh") and "Power 9, interest 7" in tip
    canvas.select([helen], current=helen)
    assert canvas.accessibleDescription().startswith("Helen Marsh: power 9, interest 7")
    # The pointer resting on the card, or on its name, brings the tooltip up.
    label = canvas.label_of(helen)
    assert label is not None
    for point in (card.scenePos(), label.sceneBoundingRect().center()):
        where = at(canvas, point.x(), point.y())
        assert canvas.card_under(canvas.itemAt(where)) == helen
        event = QHelpEvent(QEvent.Type.ToolTip, where, canvas.viewport().mapToGlobal(where))
        assert canvas.viewportEvent(event)
        assert QToolTip.text() == tip
        QToolTip.hideText()
