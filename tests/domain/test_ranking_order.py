"""Re-ranking to an order with as few rank writes as possible (drag, Alt+Up/Down, adopting a
score's order), and evenly spaced ranks between two neighbours."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.ranking import (
    is_valid_rank,
    rank_between,
    ranks_between,
    ranks_for_order,
    spread_ranks,
)


def apply(ranks: list[str], new: dict[int, str]) -> list[str]:
    return [new.get(i, r) for i, r in enumerate(ranks)]


def test_ranks_between_are_even_short_and_inside() -> None:
    assert ranks_between(None, None, 3) == spread_ranks(3)
    keys = ranks_between("V", "W", 3)
    assert keys == ["VF", "VV", "Vk"]
    assert ranks_between("V", "V1", 2) == ["V0K", "V0f"]
    many = ranks_between("a", "b", 5000)
    assert len(many) == 5000 and max(map(len, many)) == 4  # not 5000 characters long
    assert many == sorted(set(many)) and many[0] > "a" and many[-1] < "b"
    assert ranks_between("a", "b", 0) == []


def test_moving_one_row_writes_only_that_row() -> None:
    ranks = ["G", "V", "l", "z"]
    # Drag the last row to the top: the order is now z, G, V, l.
    order = [ranks[3], ranks[0], ranks[1], ranks[2]]
    new = ranks_for_order(order, frozenset({0}))
    assert list(new) == [0]
    assert new[0] < "G"


def test_the_moved_row_is_the_one_rewritten_even_for_a_swap() -> None:
    order = ["V", "G"]  # the user moved "V" (index 0) above "G"
    assert list(ranks_for_order(order, frozenset({0}))) == [0]
    assert list(ranks_for_order(order, frozenset({1}))) == [1]


def test_ties_are_broken_by_rewriting_all_but_one() -> None:
    new = ranks_for_order(["G", "G", "G", "z"])
    assert sorted(new) == [0, 1]
    assert apply(["G", "G", "G", "z"], new) == sorted(set(apply(["G", "G", "G", "z"], new)))


def test_an_order_that_already_holds_writes_nothing() -> None:
    assert ranks_for_order(["1", "5", "a"]) == {}
    assert ranks_for_order([]) == {}


rank_lists = st.lists(
    st.sampled_from([*spread_ranks(40), "V", "V", "VV", "z"]), min_size=0, max_size=60
)


@given(rank_lists, st.randoms())
def test_any_order_becomes_strictly_increasing(ranks: list[str], rnd: object) -> None:
    order = list(ranks)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    moved = frozenset(i for i in range(len(order)) if i % 7 == 3)
    new = ranks_for_order(order, moved)
    result = apply(order, new)
    assert all(a < b for a, b in itertools.pairwise(result))
    assert all(is_valid_rank(r) for r in result)
    assert moved <= set(new) or not order
    # Minimal: the rows kept form an increasing run (a longest one, so at most n - LIS write).
    kept = [order[i] for i in range(len(order)) if i not in new]
    assert kept == sorted(kept) and len(set(kept)) == len(kept)


def test_rank_between_still_splits_any_two() -> None:
    assert "V" < rank_between("V", "W") < "W"
