"""The optimised label layout places exactly the labels the straightforward one placed, at
exactly the same spots (``label_layout_oracle.py`` keeps the version before the optimisation),
on crowded random planes of a few hundred cards like the stakeholder map's and the matrix's."""

from __future__ import annotations

import random

import pytest

from ldpm.domain import label_layout as fast
from tests.domain import label_layout_oracle as oracle


def _plane(seed: int, n: int) -> dict[str, object]:
    """``n`` cards, half of them in clusters, labels of varied length, a few hard obstacles."""
    rng = random.Random(seed)
    width, height = rng.choice([(600.0, 400.0), (1200.0, 800.0), (1600.0, 1000.0)])
    scale = rng.choice([0.5, 1.0, 1.7])
    centres = [(rng.uniform(0, width), rng.uniform(0, height)) for _ in range(6)]
    anchors: list[tuple[float, float, float, float]] = []
    for i in range(n):
        if i % 2:
            cx, cy = rng.choice(centres)
            x, y = rng.gauss(cx, 40), rng.gauss(cy, 30)
        else:
            x, y = rng.uniform(0, width), rng.uniform(0, height)
        side = rng.choice([10.0, 16.0, 24.0]) / scale
        anchors.append((x, y, side, side * rng.choice([0.6, 1.0])))
    sizes = [(rng.uniform(30, 200) / scale, 16.0 / scale) for _ in range(n)]
    short_sizes = [(min(w, rng.uniform(20, 90) / scale), h) for w, h in sizes]
    obstacles = [
        (rng.uniform(0, width), rng.uniform(0, height), rng.uniform(20, 120), rng.uniform(10, 30))
        for _ in range(rng.randint(0, 5))
    ]
    return {
        "anchors": anchors,
        "sizes": sizes,
        "short_sizes": short_sizes,
        "obstacles": obstacles,
        "bounds": (-20.0, -20.0, width + 40, height + 40) if rng.random() < 0.8 else None,
        "gap": 3.0 / scale,
        "max_distance": rng.choice([None, 3 * 19.0 / scale, 80.0]),
        "short_tries": rng.choice([None, 150, 20]),
    }


def _run(module: object, plane: dict[str, object]) -> list[tuple[object, ...] | None]:
    box = module.Box  # type: ignore[attr-defined]
    bounds = plane["bounds"]
    placements = module.layout_labels(  # type: ignore[attr-defined]
        [box(*a) for a in plane["anchors"]],  # type: ignore[attr-defined]
        plane["sizes"],
        obstacles=[box(*o) for o in plane["obstacles"]],  # type: ignore[attr-defined]
        bounds=None if bounds is None else box(*bounds),  # type: ignore[misc]
        gap=plane["gap"],
        max_distance=plane["max_distance"],
        short_sizes=plane["short_sizes"],
        short_tries=plane["short_tries"],
    )
    return [
        None if p is None else (p.box.x, p.box.y, p.box.w, p.box.h, p.leader, p.short)
        for p in placements
    ]


@pytest.mark.parametrize("seed", range(12))
def test_the_optimised_layout_places_what_the_old_one_placed(seed: int) -> None:
    plane = _plane(seed, 100 + 40 * seed)
    expected = _run(oracle, plane)
    assert _run(fast, plane) == expected


def test_the_planes_exercise_every_outcome() -> None:
    """Beside the card, with a leader, short, and no room at all: the comparison above is
    not over easy planes only."""
    kinds = {
        None if p is None else (p[4], p[5])
        for seed in (4, 11)
        for p in _run(oracle, _plane(seed, 100 + 40 * seed))
    }
    assert {None, (False, False), (True, False), (True, True)} <= kinds


def _grid_plane(seed: int) -> dict[str, object]:
    """Cards side by side in the cells of a grid, as the stakeholder map sets them out: the
    edges of cards, cores and bounds line up exactly, where a search that skips work on the
    strength of one interval ending before another could go wrong."""
    rng = random.Random(seed)
    cell_w, cell_h, card = 120.0, 70.0, rng.choice([(36.0, 22.0), (30.0, 18.0)])
    anchors: list[tuple[float, float, float, float]] = []
    for col in range(10):
        for row in range(10):
            for k in range(rng.choice([0, 1, 2, 3, 6])):
                x = col * cell_w + 6 + (k % 3) * (card[0] + 4)
                y = row * cell_h + 6 + (k // 3) * (card[1] + 4)
                anchors.append((x, y, *card))
    sizes = [(float(rng.choice([48, 72, 96, 120])), 16.0) for _ in anchors]
    return {
        "anchors": anchors,
        "sizes": sizes,
        "short_sizes": [(min(w, 48.0), h) for w, h in sizes],
        "obstacles": [(0.0, 0.0, 10 * cell_w, 4.0)],
        "bounds": (0.0, 0.0, 10 * cell_w, 10 * cell_h),
        "gap": 3.0,
        "max_distance": 3 * 19.0,
        "short_tries": 150,
    }


@pytest.mark.parametrize("seed", range(6))
def test_on_a_grid_the_optimised_layout_places_what_the_old_one_placed(seed: int) -> None:
    plane = _grid_plane(seed)
    expected = _run(oracle, plane)
    assert None in expected  # crowded enough that some labels find no room
    assert _run(fast, plane) == expected
