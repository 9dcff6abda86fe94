"""The label layout as it was before its hot loop was optimised (commit cabda8a): the oracle
that ``test_label_layout_oracle.py`` compares the optimised one with.  Frozen; do not edit."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

_EPS = 1e-9
#: A label beside its card but farther than ``gap`` times this gets a leader line.
_ADJACENT = 1.5


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box) -> bool:
        """True if the two share interior area (touching edges do not overlap)."""
        return (
            self.x < other.right - _EPS
            and other.x < self.right - _EPS
            and self.y < other.bottom - _EPS
            and other.y < self.bottom - _EPS
        )

    def distance(self, other: Box) -> float:
        """The shortest distance between the two rectangles (0 if they touch or overlap)."""
        dx = max(0.0, other.x - self.right, self.x - other.right)
        dy = max(0.0, other.y - self.bottom, self.y - other.bottom)
        return math.hypot(dx, dy)

    def inside(self, other: Box) -> bool:
        return (
            self.x >= other.x - _EPS
            and self.y >= other.y - _EPS
            and self.right <= other.right + _EPS
            and self.bottom <= other.bottom + _EPS
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a label goes, and whether it needs a leader line to its card."""

    box: Box
    leader: bool
    #: The label had no room at its full size and was placed at its short one.
    short: bool = False


class _Intervals:
    """Disjoint, sorted, merged intervals [start, end) of one row."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []

    def add(self, start: float, end: float) -> None:
        starts, ends = self.starts, self.ends
        # Every interval that overlaps or touches [start, end) merges with it.
        lo = bisect_left(ends, start)
        hi = bisect_right(starts, end)
        if lo < hi:
            start = min(start, starts[lo])
            end = max(end, ends[hi - 1])
        starts[lo:hi] = [start]
        ends[lo:hi] = [end]


class _Rows:
    """The occupied intervals of every row, hard ones and all ones."""

    def __init__(self, origin: float, height: float) -> None:
        self.origin = origin
        self.height = height
        self.hard: dict[int, _Intervals] = {}
        self.every: dict[int, _Intervals] = {}
        self._nearest: dict[tuple[int, int, int], list[int]] = {}

    def span(self, y: float, bottom: float) -> range:
        """The rows a vertical extent [y, bottom) touches."""
        first = math.floor((y - self.origin) / self.height + _EPS)
        last = math.ceil((bottom - self.origin) / self.height - _EPS)
        return range(first, max(first + 1, last))

    def nearest(self, home: range, reach: int) -> list[int]:
        """The rows within ``reach`` of ``home``, nearest first (cached: cards share them)."""
        key = (home.start, home.stop, reach)
        rows = self._nearest.get(key)
        if rows is None:
            centre = (home.start + home.stop - 1) / 2
            rows = self._nearest[key] = sorted(
                range(home.start - reach, home.stop + reach),
                key=lambda r: (abs(r - centre), r),
            )
        return rows

    def add(self, box: Box, *, hard: bool) -> None:
        for row in self.span(box.y, box.bottom):
            if hard:
                self.hard.setdefault(row, _Intervals()).add(box.x, box.right)
            self.every.setdefault(row, _Intervals()).add(box.x, box.right)


def layout_labels(
    anchors: Sequence[Box],
    sizes: Sequence[tuple[float, float]],
    *,
    obstacles: Sequence[Box] = (),
    bounds: Box | None = None,
    gap: float = 3.0,
    max_distance: float | None = None,
    short_sizes: Sequence[tuple[float, float]] | None = None,
    short_tries: int | None = None,
) -> list[Placement | None]:
    """Place label ``i`` (``sizes[i]`` = width, height) beside ``anchors[i]``.

    ``obstacles`` are hard: no label covers them.  The anchors themselves are soft for the
    other labels (avoided when possible).  ``gap`` is the space kept between a label and its
    own card and between neighbouring rows; ``max_distance`` (default four rows) bounds how far
    a label may be from its card.  ``short_sizes`` (one per label, a shortened text's) give
    the labels that had no room a second chance: once every full label is placed, each of
    them is placed at its short size in the room left (:attr:`Placement.short`) — the first
    ``short_tries`` of them at most, in order (a search that fails costs as much as one that
    succeeds, and on a plane this crowded most do).  Returns one :class:`Placement` or
    ``None`` per anchor, in order.
    """
    if len(anchors) != len(sizes) or (short_sizes is not None and len(short_sizes) != len(sizes)):
        raise ValueError("one size per anchor")
    if not anchors:
        return []
    if any(w <= 0 or h <= 0 for w, h in [*sizes, *(short_sizes or ())]):
        raise ValueError("label sizes must be positive")
    row_height = max(h for _w, h in [*sizes, *(short_sizes or ())]) + gap
    limit = 4 * row_height if max_distance is None else max_distance
    rows = _Rows(bounds.y if bounds is not None else 0.0, row_height)
    for box in obstacles:
        rows.add(box, hard=True)
    for box in anchors:
        rows.add(box, hard=False)
        # A label may cover the edge of another card, never its middle: every card stays
        # visible and can be grabbed.
        rows.add(core(box), hard=True)
    reach_rows = math.ceil(limit / row_height) + 1

    out: list[Placement | None] = []
    for anchor, (width, height) in zip(anchors, sizes, strict=True):
        placed = _place(rows, anchor, width, height, gap, limit, reach_rows, bounds)
        if placed is not None:
            rows.add(_spaced(placed.box, gap), hard=True)
        out.append(placed)
    if short_sizes is not None:
        tries = len(out) if short_tries is None else short_tries
        for i, placed in enumerate(out):
            if placed is not None or short_sizes[i] == sizes[i]:
                continue
            if tries <= 0:
                break
            tries -= 1
            width, height = short_sizes[i]
            second = _place(rows, anchors[i], width, height, gap, limit, reach_rows, bounds)
            if second is not None:
                rows.add(_spaced(second.box, gap), hard=True)
                out[i] = Placement(second.box, second.leader, short=True)
    return out


def _spaced(box: Box, gap: float) -> Box:
    """A placed label as it occupies its row: with twice the gap each side, so that two
    labels side by side never read as one line of text."""
    return Box(box.x - 2 * gap, box.y, box.w + 4 * gap, box.h)


#: The share of a card's width and height, around its centre, that no label covers.
CORE = 1 / 3


def core(box: Box) -> Box:
    """The middle of a card (:data:`CORE` of its size), which no label covers."""
    margin = (1 - CORE) / 2
    return Box(box.x + box.w * margin, box.y + box.h * margin, box.w * CORE, box.h * CORE)


def _place(
    rows: _Rows,
    anchor: Box,
    width: float,
    height: float,
    gap: float,
    limit: float,
    reach_rows: int,
    bounds: Box | None,
) -> Placement | None:
    ax, ay, ar, ab = anchor.x, anchor.y, anchor.x + anchor.w, anchor.y + anchor.h
    origin, row_height = rows.origin, rows.height
    lo = -math.inf if bounds is None else bounds.x
    hi = math.inf if bounds is None else bounds.x + bounds.w - width
    top_limit = -math.inf if bounds is None else bounds.y - _EPS
    bottom_limit = math.inf if bounds is None else bounds.y + bounds.h + _EPS
    inset = (row_height - gap - height) / 2
    every, hard = rows.every, rows.hard
    # One walk over the rows, nearest first, looking for two spots at once: the best clear of
    # every card, and (until one of those turns up) the best clear of labels only.
    clear = [math.inf, 0.0, 0.0]  # score, x, y
    fallback = [math.inf, 0.0, 0.0]
    for row in rows.nearest(rows.span(ay, ab), reach_rows):
        y = origin + row * row_height + inset
        if y < top_limit or y + height > bottom_limit:
            continue
        dy = max(0.0, ay - (y + height), y - ab)
        if dy > limit + _EPS:
            continue
        want_clear = dy <= clear[0] + _EPS
        want_fallback = clear[0] == math.inf and dy <= fallback[0] + _EPS
        if not (want_clear or want_fallback):
            continue
        spans: tuple[tuple[float, float, float, float], ...]
        if dy < gap - _EPS:  # level with the card: right of it first, then left
            spans = (
                (max(lo, ar + gap), hi, ar + gap, 0.0),
                (lo, min(hi, ax - gap - width), ax - gap - width, gap * 0.01),
            )
        else:
            spans = ((lo, hi, (ax + ar) / 2 - width / 2, gap * 0.02),)
        for span in spans:
            if span[0] > span[1] + _EPS:
                continue
            if want_clear:
                _best_in(every.get(row), span, width, ax, ar, dy, y, limit, clear)
            if clear[0] == math.inf and want_fallback:
                _best_in(hard.get(row), span, width, ax, ar, dy, y, limit, fallback)
    best = clear if clear[0] < math.inf else fallback
    if best[0] == math.inf:
        return None
    box = Box(best[1], best[2], width, height)
    return Placement(box, leader=box.distance(anchor) > gap * _ADJACENT + _EPS)


def _best_in(
    free: _Intervals | None,
    span: tuple[float, float, float, float],
    width: float,
    ax: float,
    ar: float,
    dy: float,
    y: float,
    limit: float,
    best: list[float],
) -> None:
    """Improve ``best`` ([score, x, y]) with the spot of ``span`` (start range, target
    start, penalty) in this row's free gaps nearest the card, if it is nearer."""
    s_lo, s_hi, target, penalty = span
    if free is None or not free.starts:
        gaps = [(-math.inf, math.inf)]
    else:
        gaps = _gaps_near(free, target, width, ax, ar, dy, min(limit, best[0]), s_lo, s_hi)
    for g_lo, g_hi in gaps:
        a = s_lo if s_lo > g_lo else g_lo
        b = s_hi if s_hi < g_hi - width else g_hi - width
        if a > b + _EPS:
            continue
        x = a if target < a else (b if target > b else target)
        dx = max(0.0, ax - x - width, x - ar)
        d = math.hypot(dx, dy)
        if d > limit + _EPS:
            continue
        score = d + penalty
        if score < best[0] - _EPS:
            best[0], best[1], best[2] = score, x, y


def _gaps_near(
    free: _Intervals,
    target: float,
    width: float,
    ax: float,
    ar: float,
    dy: float,
    reach: float,
    s_lo: float,
    s_hi: float,
) -> list[tuple[float, float]]:
    """The free gaps of a row at least ``width`` wide, walking outwards from ``target``, that
    may hold a label starting in [s_lo, s_hi] within ``reach`` of the card spanning [ax, ar]."""
    starts, ends = free.starts, free.ends
    n = len(starts)
    i = bisect_right(starts, target)
    out: list[tuple[float, float]] = []
    for j in range(i, n + 1):  # rightwards: stop past the span, or too far from the card
        g_lo = ends[j - 1] if j > 0 else -math.inf
        if g_lo > s_hi or (g_lo >= ar and math.hypot(g_lo - ar, dy) > reach + _EPS):
            break
        g_hi = starts[j] if j < n else math.inf
        if g_hi - g_lo >= width - _EPS:
            out.append((g_lo, g_hi))
    for j in range(i - 1, -1, -1):  # leftwards: the same, the other way
        g_hi = starts[j]
        if g_hi - width < s_lo or (g_hi <= ax and math.hypot(ax - g_hi, dy) > reach + _EPS):
            break
        g_lo = ends[j - 1] if j > 0 else -math.inf
        if g_hi - g_lo >= width - _EPS:
            out.append((g_lo, g_hi))
    return out
