"""Labels beside cards that never overlap: greedy placement on rows, with leader lines.

:func:`layout_labels` places one label per card (an *anchor* box) so that

* no two placed labels overlap, and two side by side keep twice the gap between them (so
  they never read as one line);
* no label covers its own card, the middle of any card (:data:`CORE` of its size: a label
  may overlap an edge), nor a *hard* obstacle (an axis title, say);
* every placed label lies within ``max_distance`` of its card (the distance between the two
  rectangles), and inside ``bounds`` if given;
* labels avoid covering other cards (*soft* obstacles) when they can: a spot clear of every
  card is taken if one exists within ``max_distance``, else the nearest spot clear of labels
  and of the cards' middles (so every card stays visible);
* a label that cannot be placed under these rules is not placed (``None``): the caller shows
  it another way (on hover, when zoomed in) rather than on top of another label.

A label sits right beside its card when there is room (no leader line); otherwise it moves to
the nearest free spot and :attr:`Placement.leader` asks for a line from the card to it.

**How.**  Labels are one text line high, so the plane is cut into *rows* as tall as the
tallest label plus the vertical gap; every label occupies exactly one row.  Each row keeps
the occupied horizontal intervals, merged and sorted, twice: the hard ones (placed labels and
hard obstacles) and all of them (cards included).  Placing a label visits the rows nearest its
card first and, in each, finds the free gap nearest the card with a binary search; it stops as
soon as a row is farther away than the best spot found.  That is O(r log n) per label for r
rows within reach, which lays out 500 labels in a few milliseconds (``bench/plan_bench.py``).

Labels are placed in the order given: pass the most important first (the selected card, the
highest value …).  Pure Python, no Qt: coordinates are plain floats (y grows downwards).
"""

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
        self._nearest: dict[tuple[int, int], list[int]] = {}

    def span(self, y: float, bottom: float) -> range:
        """The rows a vertical extent [y, bottom) touches."""
        first = math.floor((y - self.origin) / self.height + _EPS)
        last = math.ceil((bottom - self.origin) / self.height - _EPS)
        return range(first, max(first + 1, last))

    def nearest(self, home: range, reach: int) -> list[int]:
        """The rows within ``reach`` of ``home``, nearest first.  The order depends only on
        the height of ``home`` and on ``reach``, so it is sorted once for each of those (a
        handful per layout) and shifted to ``home``."""
        key = (home.stop - home.start, reach)
        offsets = self._nearest.get(key)
        if offsets is None:
            centre = (key[0] - 1) / 2
            offsets = self._nearest[key] = sorted(
                range(-reach, key[0] + reach), key=lambda r: (abs(r - centre), r)
            )
        start = home.start
        return [start + offset for offset in offsets]

    def fill(self, *, hard: Sequence[Box], soft: Sequence[Box]) -> None:
        """Start with these boxes occupied: the same rows as :meth:`add` for each would
        give (merging is the same whatever the order: intervals that overlap or touch
        become one), sorted and merged once per row rather than spliced in one by one."""
        pending: tuple[dict[int, list[tuple[float, float]]], ...] = ({}, {})
        for boxes, to in ((hard, pending), (soft, pending[1:])):
            for box in boxes:
                x, right = box.x, box.x + box.w
                for row in self.span(box.y, box.y + box.h):
                    for found in to:
                        found.setdefault(row, []).append((x, right))
        for rows, spans in zip((self.hard, self.every), pending, strict=True):
            for row, row_spans in spans.items():
                rows[row] = _merged(row_spans)

    def add(self, box: Box, *, hard: bool) -> None:
        x, right = box.x, box.x + box.w
        for row in self.span(box.y, box.y + box.h):
            if hard:
                _intervals(self.hard, row).add(x, right)
            _intervals(self.every, row).add(x, right)


def _merged(spans: list[tuple[float, float]]) -> _Intervals:
    """The intervals of ``spans`` merged as :meth:`_Intervals.add` merges them."""
    spans.sort()
    merged = _Intervals()
    starts, ends = merged.starts, merged.ends
    for start, end in spans:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return merged


def _intervals(rows: dict[int, _Intervals], row: int) -> _Intervals:
    """The intervals of ``row``, created empty if it has none yet."""
    found = rows.get(row)
    if found is None:
        found = rows[row] = _Intervals()
    return found


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
    # A label may cover the edge of another card, never its middle: every card stays
    # visible and can be grabbed.
    rows.fill(hard=[*obstacles, *(core(box) for box in anchors)], soft=anchors)
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
    # Where a label may start (from, to), where it would rather start, and the penalty for
    # that side: level with the card, right of it first, then left; above or below it,
    # centred.  The same for every row, so worked out once (an empty range never holds one).
    level = [
        span
        for span in (
            (max(lo, ar + gap), hi, ar + gap, 0.0),
            (lo, min(hi, ax - gap - width), ax - gap - width, gap * 0.01),
        )
        if span[0] <= span[1] + _EPS
    ]
    apart = [
        span
        for span in ((lo, hi, (ax + ar) / 2 - width / 2, gap * 0.02),)
        if span[0] <= span[1] + _EPS
    ]
    reach, level_below = limit + _EPS, gap - _EPS
    inf = math.inf
    for row in rows.nearest(rows.span(ay, ab), reach_rows):
        y = origin + row * row_height + inset
        if y < top_limit or y + height > bottom_limit:
            continue
        above, below = ay - (y + height), y - ab
        dy = above if above > below else below
        if dy > reach:
            continue
        dy = dy if dy > 0.0 else 0.0
        found_clear, found_fallback = clear[0], fallback[0]
        spans = level if dy < level_below else apart
        if found_clear == inf and found_fallback == inf:
            # Nothing found yet: look clear of labels first.  Every spot clear of the cards
            # is clear of labels, so where there is none of those there is none clear of the
            # cards either (see _best_in), and on a crowded plane most labels search row
            # after row in vain.
            every_row, hard_row = every.get(row), hard.get(row)
            for span in spans:  # (from, to, target, penalty)
                if fallback[0] == inf and clear[0] == inf and span[1] >= span[2]:
                    _best_in(hard_row, span, width, ax, ar, dy, y, limit, fallback)
                    if fallback[0] < inf:
                        _best_in(every_row, span, width, ax, ar, dy, y, limit, clear)
                    continue
                _best_in(every_row, span, width, ax, ar, dy, y, limit, clear)
                if clear[0] == inf:
                    _best_in(hard_row, span, width, ax, ar, dy, y, limit, fallback)
            continue
        want_clear = dy <= found_clear + _EPS
        want_fallback = found_clear == inf and dy <= found_fallback + _EPS
        if not (want_clear or want_fallback):
            continue
        every_row, hard_row = every.get(row), hard.get(row)
        for span in spans:
            if want_clear:
                _best_in(every_row, span, width, ax, ar, dy, y, limit, clear)
            if clear[0] == inf and want_fallback:
                _best_in(hard_row, span, width, ax, ar, dy, y, limit, fallback)
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
    start, penalty) in this row's free gaps nearest the card, if it is nearer.

    The row's free gaps at least ``width`` wide are visited walking outwards from the target,
    rightwards then leftwards, and the walk stops past the span or once a gap is farther from
    the card than the best spot so far (or ``limit``).  This is the hot loop of the layout:
    plain floats, no lists or tuples per gap.

    With nothing found yet (``best`` at infinity), a search of the hard intervals that finds
    nothing proves that a search of all of them (a superset) finds nothing either, as long
    as the span does not end before its target (``_place`` checks): every free gap of all
    intervals lies inside a free gap of the hard ones, which is at least as wide, no farther
    from the card, and visited by the same walk (the gap that holds the target is the one a
    walk to the right could leave out, past the span's end, and the check rules that out).
    """
    s_lo, s_hi, target, penalty = span
    if free is None or not free.starts:
        _try_gap(
            -math.inf, math.inf, s_lo, s_hi, target, penalty, width, ax, ar, dy, y, limit, best
        )
        return
    starts, ends = free.starts, free.ends
    n = len(starts)
    reach = min(limit, best[0]) + _EPS
    w_eps = width - _EPS
    i = bisect_right(starts, target)
    # ``reach`` stays as it was at the start of the walk, so the gaps visited do not depend
    # on what the walk finds; they are tried in the order visited (ties go to the first).
    for j in range(i, n + 1):  # rightwards: stop past the span, or too far from the card
        g_lo = ends[j - 1] if j > 0 else -math.inf
        if g_lo > s_hi:
            break
        if g_lo >= ar:
            d = g_lo - ar
            if d > reach or math.hypot(d, dy) > reach:
                break
        g_hi = starts[j] if j < n else math.inf
        if g_hi - g_lo >= w_eps:
            _try_gap(g_lo, g_hi, s_lo, s_hi, target, penalty, width, ax, ar, dy, y, limit, best)
    for j in range(i - 1, -1, -1):  # leftwards: the same, the other way
        g_hi = starts[j]
        if g_hi - width < s_lo:
            break
        if g_hi <= ax:
            d = ax - g_hi
            if d > reach or math.hypot(d, dy) > reach:
                break
        g_lo = ends[j - 1] if j > 0 else -math.inf
        if g_hi - g_lo >= w_eps:
            _try_gap(g_lo, g_hi, s_lo, s_hi, target, penalty, width, ax, ar, dy, y, limit, best)


def _try_gap(
    g_lo: float,
    g_hi: float,
    s_lo: float,
    s_hi: float,
    target: float,
    penalty: float,
    width: float,
    ax: float,
    ar: float,
    dy: float,
    y: float,
    limit: float,
    best: list[float],
) -> None:
    """Improve ``best`` with the spot nearest ``target`` in the free gap [g_lo, g_hi)."""
    a = s_lo if s_lo > g_lo else g_lo
    b = s_hi if s_hi < g_hi - width else g_hi - width
    if a > b + _EPS:
        return
    x = a if target < a else (b if target > b else target)
    dx = max(0.0, ax - x - width, x - ar)
    d = math.hypot(dx, dy)
    if d > limit + _EPS:
        return
    score = d + penalty
    if score < best[0] - _EPS:
        best[0], best[1], best[2] = score, x, y
