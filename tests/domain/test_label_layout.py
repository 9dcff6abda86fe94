"""Label placement: hand-checked cases, and properties over random layouts (no two labels
overlap, each is near its card, inside the bounds, never over its own card or a hard
obstacle)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldpm.domain.label_layout import Box, Placement, _Rows, layout_labels


def test_box_geometry() -> None:
    a = Box(0, 0, 10, 10)
    assert (a.right, a.bottom, a.cx, a.cy) == (10, 10, 5, 5)
    assert not a.overlaps(Box(10, 0, 5, 5))  # touching is not overlapping
    assert a.overlaps(Box(9, 9, 5, 5))
    assert a.distance(Box(13, 14, 1, 1)) == 5.0  # 3-4-5
    assert a.distance(Box(5, 5, 1, 1)) == 0.0
    assert Box(1, 1, 2, 2).inside(a) and not Box(9, 9, 2, 2).inside(a)


def test_a_lone_label_sits_right_of_its_card_without_a_leader() -> None:
    [placed] = layout_labels([Box(100, 100, 20, 20)], [(60, 14)], gap=3)
    assert placed is not None and not placed.leader
    assert placed.box.x == 123  # right edge 120 + gap 3
    assert placed.box.overlaps(Box(123, 100, 60, 20))  # level with the card
    assert placed.box.distance(Box(100, 100, 20, 20)) == pytest.approx(3)


def test_at_the_right_edge_the_label_goes_left() -> None:
    bounds = Box(0, 0, 200, 200)
    [placed] = layout_labels([Box(170, 100, 20, 20)], [(60, 14)], bounds=bounds, gap=3)
    assert placed is not None and not placed.leader
    assert placed.box.right == pytest.approx(167)  # left of the card, gap 3
    assert placed.box.inside(bounds)


def test_two_cards_side_by_side_share_the_row_when_they_can() -> None:
    anchors = [Box(0, 0, 10, 10), Box(200, 0, 10, 10)]
    out = layout_labels(anchors, [(50, 8), (50, 8)], gap=2)
    assert all(p is not None and not p.leader for p in out)


def test_a_crowded_label_moves_away_with_a_leader() -> None:
    # Five cards on one spot that spans two rows (12 high: label 10 + gap 2): four labels fit
    # level with it, right first and then left; the fifth goes a row above or below, with a
    # leader line.
    anchors = [Box(100, 100, 10, 10)] * 5
    out = layout_labels(anchors, [(40, 10)] * 5, gap=2)
    assert all(p is not None for p in out)
    placed = [p for p in out if p is not None]
    assert [p.box.x for p in placed[:2]] == [112, 112]  # right of the card
    assert [p.box.right for p in placed[2:4]] == [98, 98]  # then left of it
    assert not any(p.leader for p in placed[:4])
    assert placed[4].leader
    assert placed[4].box.distance(anchors[4]) <= 4 * 12


def test_labels_avoid_other_cards_when_they_can() -> None:
    # A card right of A blocks A's usual place: A's label goes left instead of over it.
    a, b = Box(100, 100, 10, 10), Box(113, 100, 10, 10)
    out = layout_labels([a, b], [(40, 10), (40, 10)], gap=2)
    assert out[0] is not None and out[0].box.right <= a.x
    assert out[1] is not None and out[1].box.x >= b.right


def test_hard_obstacles_are_never_covered() -> None:
    wall = Box(0, 0, 1000, 95)  # everything above y=95 is taken
    out = layout_labels([Box(100, 96, 10, 10)], [(40, 10)], obstacles=[wall], gap=2)
    assert out[0] is not None and not out[0].box.overlaps(wall)


def test_no_room_within_reach_means_no_label() -> None:
    bounds = Box(0, 0, 30, 30)
    out = layout_labels([Box(10, 10, 10, 10)], [(100, 10)], bounds=bounds)
    assert out == [None]


def test_a_label_with_no_room_is_placed_short_in_the_room_left() -> None:
    # A wall 40 right of the first card: its 100-wide label has no room, its 30-wide short
    # form has.  The other card's full label has room and keeps its full size.
    bounds = Box(0, 0, 300, 30)
    wall = [Box(60, 0, 10, 30)]
    anchors = [Box(10, 10, 10, 10), Box(200, 10, 10, 10)]
    full = [(100, 10), (30, 10)]
    short = [(30, 10), (20, 10)]
    assert layout_labels(anchors, full, bounds=bounds, obstacles=wall, gap=2)[0] is None
    first, second = layout_labels(
        anchors, full, bounds=bounds, obstacles=wall, gap=2, short_sizes=short
    )
    assert first is not None and first.short and first.box.w == 30
    assert not first.box.overlaps(wall[0]) and not first.leader
    assert second is not None and not second.short and second.box.w == 30
    # The same size twice is no second chance.
    # No tries left: no second chance.
    none = layout_labels(
        anchors, full, bounds=bounds, obstacles=wall, gap=2, short_sizes=short, short_tries=0
    )
    assert none[0] is None
    same = layout_labels(anchors, full, bounds=bounds, obstacles=wall, gap=2, short_sizes=full)
    assert same[0] is None


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="one size per anchor"):
        layout_labels([Box(0, 0, 1, 1)], [])
    with pytest.raises(ValueError, match="positive"):
        layout_labels([Box(0, 0, 1, 1)], [(0, 10)])
    with pytest.raises(ValueError, match="one size per anchor"):
        layout_labels([Box(0, 0, 1, 1)], [(5, 10)], short_sizes=[])
    with pytest.raises(ValueError, match="positive"):
        layout_labels([Box(0, 0, 1, 1)], [(5, 10)], short_sizes=[(0, 10)])
    assert layout_labels([], []) == []


# ------------------------------------------------------------------------- properties

coord = st.floats(min_value=0, max_value=600, allow_nan=False)
card = st.builds(
    lambda x, y, s: Box(x, y, s, s), coord, coord, st.floats(min_value=2, max_value=40)
)
label = st.tuples(st.floats(min_value=5, max_value=160), st.floats(min_value=6, max_value=18))


@st.composite
def scenes(draw: st.DrawFn) -> tuple[list[Box], list[tuple[float, float]]]:
    n = draw(st.integers(min_value=1, max_value=60))
    anchors = draw(st.lists(card, min_size=n, max_size=n))
    sizes = draw(st.lists(label, min_size=n, max_size=n))
    return anchors, sizes


def check(
    anchors: list[Box],
    out: list[Placement | None],
    limit: float,
    bounds: Box | None,
    obstacles: list[Box],
) -> None:
    placed = [p for p in out if p is not None]
    for i, p in enumerate(placed):
        for q in placed[i + 1 :]:
            assert not p.box.overlaps(q.box), (p, q)
    for anchor, placement in zip(anchors, out, strict=True):
        if placement is None:
            continue
        assert placement.box.distance(anchor) <= limit + 1e-6
        assert not placement.box.overlaps(anchor)
        assert not any(placement.box.overlaps(o) for o in obstacles)
        # No label hides the middle of any card (a third of its width and height).
        assert not any(
            placement.box.overlaps(Box(a.x + a.w / 3, a.y + a.h / 3, a.w / 3, a.h / 3))
            for a in anchors
        )
        if bounds is not None:
            assert placement.box.inside(bounds)


@settings(max_examples=150, deadline=None)
@given(scenes(), st.floats(min_value=1, max_value=8), st.booleans())
def test_no_overlaps_and_every_label_near_its_card(
    scene: tuple[list[Box], list[tuple[float, float]]], gap: float, bounded: bool
) -> None:
    anchors, sizes = scene
    bounds = Box(-20, -20, 700, 700) if bounded else None
    wall = [Box(300, 300, 40, 40)]
    out = layout_labels(anchors, sizes, gap=gap, bounds=bounds, obstacles=wall)
    limit = 4 * (max(h for _w, h in sizes) + gap)
    check(anchors, out, limit, bounds, wall)
    # Labels side by side (sharing rows) keep twice the gap between them.
    placed = [p.box for p in out if p is not None]
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.y < b.bottom and b.y < a.bottom:
                assert max(b.x - a.right, a.x - b.right) >= 2 * gap - 1e-6, (a, b)


@settings(max_examples=100, deadline=None)
@given(scenes(), st.floats(min_value=0.2, max_value=1))
def test_short_labels_keep_every_rule_and_add_to_the_full_ones(
    scene: tuple[list[Box], list[tuple[float, float]]], shrink: float
) -> None:
    anchors, sizes = scene
    bounds = Box(-20, -20, 700, 700)
    wall = [Box(300, 300, 40, 40)]
    short = [(w * shrink, h) for w, h in sizes]
    full = layout_labels(anchors, sizes, bounds=bounds, obstacles=wall)
    both = layout_labels(anchors, sizes, bounds=bounds, obstacles=wall, short_sizes=short)
    check(anchors, both, 4 * (max(h for _w, h in sizes) + 3.0), bounds, wall)
    # The full labels are placed as before; only labels that had no room are placed short.
    for alone, p in zip(full, both, strict=True):
        if alone is not None:
            assert p == alone
        elif p is not None:
            assert p.short


@settings(max_examples=100, deadline=None)
@given(scenes(), st.floats(min_value=0, max_value=50))
def test_the_distance_bound_is_kept(
    scene: tuple[list[Box], list[tuple[float, float]]], limit: float
) -> None:
    anchors, sizes = scene
    out = layout_labels(anchors, sizes, max_distance=limit)
    check(anchors, out, limit, None, [])


@settings(max_examples=60, deadline=None)
@given(st.lists(label, min_size=1, max_size=30))
def test_cards_far_apart_all_get_a_label_beside_them(sizes: list[tuple[float, float]]) -> None:
    # Cards a row apart vertically and further than the widest label apart horizontally:
    # every label fits beside its card, with no leader.
    anchors = [Box(i * 400.0, i * 40.0, 12, 12) for i in range(len(sizes))]
    out = layout_labels(anchors, sizes, gap=3)
    assert all(p is not None and not p.leader for p in out)
    for anchor, p in zip(anchors, out, strict=True):
        assert p is not None and p.box.distance(anchor) <= 3 * 1.5 + 1e-6


@settings(max_examples=40, deadline=None)
@given(scenes())
def test_the_layout_is_deterministic(scene: tuple[list[Box], list[tuple[float, float]]]) -> None:
    anchors, sizes = scene
    assert layout_labels(anchors, sizes) == layout_labels(anchors, sizes)


@pytest.mark.parametrize("seed", range(5))
def test_rows_filled_at_once_hold_what_adding_one_box_at_a_time_holds(seed: int) -> None:
    """The bulk start of a layout (sorted and merged once per row) gives the same occupied
    intervals as adding the boxes one by one, overlapping, touching and apart."""
    rng = random.Random(seed)

    def box() -> Box:
        return Box(
            float(rng.randint(0, 60)) * 5,
            rng.uniform(0, 300),
            float(rng.randint(0, 8)) * 5,
            rng.uniform(1, 40),
        )

    hard = [box() for _ in range(60)]
    soft = [box() for _ in range(60)]
    one_by_one, at_once = _Rows(0.0, 19.0), _Rows(0.0, 19.0)
    for b in hard:
        one_by_one.add(b, hard=True)
    for b in soft:
        one_by_one.add(b, hard=False)
    at_once.fill(hard=hard, soft=soft)
    for mine, theirs in ((at_once.hard, one_by_one.hard), (at_once.every, one_by_one.every)):
        assert {r: (i.starts, i.ends) for r, i in mine.items()} == {
            r: (i.starts, i.ends) for r, i in theirs.items()
        }
