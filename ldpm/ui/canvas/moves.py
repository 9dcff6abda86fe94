r"""What a drag or a burst of arrow keys did: the cards moved, from where to where.

:class:`MoveTracker` remembers where each moving card started, so that the canvas reports the
whole drag (or burst) once, as :class:`CardMove`\ s, when it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF

from ldpm.ui.canvas.items import CardItem


@dataclass(frozen=True)
class CardMove:
    """A card moved from ``old`` to ``new`` (scene coordinates of its centre)."""

    id: str
    old: tuple[float, float]
    new: tuple[float, float]

    @property
    def dx(self) -> float:
        return self.new[0] - self.old[0]

    @property
    def dy(self) -> float:
        return self.new[1] - self.old[1]


class MoveTracker:
    """The cards of the drag or burst going on, and where each started."""

    def __init__(self, items: Callable[[], Mapping[str, CardItem]]) -> None:
        self._items = items
        self._starts: dict[str, QPointF] = {}

    def __bool__(self) -> bool:
        return bool(self._starts)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._starts

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._starts))

    def begin(self, ids: Iterable[str]) -> None:
        """Start moving the movable cards of ``ids`` (unless a move is going on already)."""
        if self._starts:
            return
        items = self._items()
        for card_id in ids:
            item = items[card_id]
            if item.spec.movable:
                self._starts[card_id] = QPointF(item.pos())

    def forget(self, card_id: str) -> None:
        self._starts.pop(card_id, None)

    def moves(self) -> list[CardMove]:
        """The cards that are somewhere else than where they started."""
        items = self._items()
        out = []
        for card_id, start in self._starts.items():
            item = items.get(card_id)
            if item is None or item.pos() == start:
                continue
            end = item.pos()
            out.append(CardMove(card_id, (start.x(), start.y()), (end.x(), end.y())))
        return out

    def finish(self) -> tuple[list[CardMove], list[str]]:
        """End the move: what moved, and every card that took part."""
        moves, ids = self.moves(), list(self._starts)
        self._starts = {}
        return moves, ids
