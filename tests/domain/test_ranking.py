from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import BacklogItem, Initiative
from ldpm.domain.ranking import (
    DIGITS,
    is_valid_rank,
    rank_between,
    rank_for_move,
    ranks_between,
    ranks_for_move,
    spread_ranks,
)

# A valid rank: digits from the alphabet, never ending in "0".
ranks = st.builds(
    lambda body, last: body + last,
    st.text(alphabet=DIGITS, max_size=8),
    st.sampled_from(DIGITS[1:]),
)


def _value(key: str) -> int:
    """A fixed-length key read as a base-62 integer."""
    n = 0
    for c in key:
        n = n * 62 + DIGITS.index(c)
    return n


def test_alphabet_is_in_ascii_order() -> None:
    assert list(DIGITS) == sorted(DIGITS)
    assert len(DIGITS) == 62


def test_first_rank_is_the_entity_default() -> None:
    assert rank_between(None, None) == "V"
    assert Initiative().rank == "V"
    assert BacklogItem(initiative_id="x").rank == "V"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # Open ends: the midpoint of 31 ("V") and 62 is 47 ("l"); of 0 and 31 is 16 ("G").
        ("V", None, "l"),
        (None, "V", "G"),
        # Consecutive single digits: append the middle digit.
        ("a", "b", "aV"),
        ("V", "W", "VV"),
        # The upper key is longer: its first digit alone fits between.
        ("a", "b1", "b"),
        # Common prefix is kept.
        ("Va", "Vc", "Vb"),
        # Nothing above "z" at this length: grow by one digit.
        ("z", None, "zV"),
        (None, "1", "0V"),
        ("az", "b", "azV"),
        # "4" + the midpoint of "9" (digit 9) and the open end (62), rounded up: 36 ("a").
        ("49", "5", "4a"),
    ],
)
def test_rank_between_known_values(before: str | None, after: str | None, expected: str) -> None:
    assert rank_between(before, after) == expected


@pytest.mark.parametrize(("before", "after"), [("b", "a"), ("a", "a"), ("V", "G"), ("a1", "a")])
def test_rank_between_rejects_wrong_order(before: str, after: str) -> None:
    with pytest.raises(ValueError, match="must sort before"):
        rank_between(before, after)


@pytest.mark.parametrize("bad", ["", "a0", "V ", "a-b", "é", "00"])
def test_rank_between_rejects_invalid_keys(bad: str) -> None:
    assert not is_valid_rank(bad)
    with pytest.raises(ValueError, match="Invalid"):
        rank_between(bad, None)
    with pytest.raises(ValueError, match="Invalid"):
        rank_between(None, bad)


@given(ranks, ranks)
def test_rank_between_is_strictly_between(a: str, b: str) -> None:
    if a == b:
        return
    low, high = min(a, b), max(a, b)
    mid = rank_between(low, high)
    assert low < mid < high
    assert is_valid_rank(mid)


@given(ranks)
def test_open_ends(key: str) -> None:
    after = rank_between(key, None)
    before = rank_between(None, key)
    assert before < key < after
    assert is_valid_rank(before)
    assert is_valid_rank(after)


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=200))
def test_repeated_insertion_never_fails(positions: list[int]) -> None:
    keys: list[str] = []
    for p in positions:
        at = p % (len(keys) + 1)
        before = keys[at - 1] if at > 0 else None
        after = keys[at] if at < len(keys) else None
        keys.insert(at, rank_between(before, after))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert all(is_valid_rank(k) for k in keys)


@pytest.mark.parametrize("where", ["end", "start", "second"])
def test_a_thousand_inserts_at_one_spot_stay_usable(where: str) -> None:
    keys = ["V"]
    for _ in range(1000):
        if where == "end":
            keys.append(rank_between(keys[-1], None))
        elif where == "start":
            keys.insert(0, rank_between(None, keys[0]))
        else:  # always squeeze in right after the first key: the worst case
            keys.insert(1, rank_between(keys[0], keys[1] if len(keys) > 1 else None))
    assert keys == sorted(keys)
    assert len(set(keys)) == 1001
    # Keys grow by about one character per five inserts at the same spot: re-space with
    # spread_ranks long before that matters.
    assert max(len(k) for k in keys) <= 1000 // 5 + 1


def test_appending_grows_about_one_character_per_five_keys() -> None:
    keys = ["V"]
    for _ in range(100):
        keys.append(rank_between(keys[-1], None))
    assert len(keys[-1]) <= 25


def test_spread_ranks_small() -> None:
    assert spread_ranks(0) == []
    assert spread_ranks(1) == ["V"]
    # Thirds of 62: 20 ("K") and 41 ("f").
    assert spread_ranks(2) == ["K", "f"]


@pytest.mark.parametrize(
    ("n", "length"), [(1, 1), (30, 1), (31, 2), (1921, 2), (1922, 3), (10_000, 3)]
)
def test_spread_ranks_are_short(n: int, length: int) -> None:
    keys = spread_ranks(n)
    assert len(keys) == n
    assert {len(k) for k in keys} == {length}


def test_spread_ranks_ten_thousand() -> None:
    keys = spread_ranks(10_000)
    assert keys == sorted(keys)
    assert len(set(keys)) == 10_000
    assert all(is_valid_rank(k) for k in keys)


@given(st.integers(min_value=0, max_value=3000))
def test_spread_ranks_sorted_unique_valid(n: int) -> None:
    keys = spread_ranks(n)
    assert len(keys) == n
    assert keys == sorted(keys)
    assert len(set(keys)) == n
    assert all(is_valid_rank(k) for k in keys)
    assert len({len(k) for k in keys}) <= 1


@pytest.mark.parametrize("n", [10, 100, 500])
def test_spread_ranks_are_evenly_spaced(n: int) -> None:
    values = [_value(k) for k in spread_ranks(n)]
    gaps = [b - a for a, b in pairwise(values)]
    # Flooring makes gaps differ by one; nudging a key off a trailing "0" moves one more.
    assert max(gaps) - min(gaps) <= 3
    assert min(gaps) >= 2


def test_spread_ranks_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        spread_ranks(-1)


def _move(ranks_: list[str], frm: int, to: int) -> list[str]:
    new_key = rank_for_move(ranks_, frm, to)
    moved = ranks_.copy()
    moved.pop(frm)
    moved.insert(to, new_key)
    return moved


def test_rank_for_move_examples() -> None:
    r = spread_ranks(5)
    to_end = rank_for_move(r, 0, 4)
    assert to_end > r[4]
    to_start = rank_for_move(r, 4, 0)
    assert to_start < r[0]
    # Moving the second item to index 3 puts it between the old r[3] and r[4].
    middle = rank_for_move(r, 1, 3)
    assert r[3] < middle < r[4]
    # Moving r[3] to index 1 puts it between r[0] and r[1].
    down = rank_for_move(r, 3, 1)
    assert r[0] < down < r[1]


def test_rank_for_move_onto_itself_keeps_the_key() -> None:
    r = ["G", "V", "l"]
    assert rank_for_move(r, 1, 1) == "V"


@given(st.data())
def test_rank_for_move_puts_the_item_where_asked(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=1, max_value=40))
    r = spread_ranks(n)
    frm = data.draw(st.integers(min_value=0, max_value=n - 1))
    to = data.draw(st.integers(min_value=0, max_value=n - 1))
    moved = _move(r, frm, to)
    assert moved == sorted(moved)
    assert len(set(moved)) == n
    others = r[:frm] + r[frm + 1 :]
    assert [k for i, k in enumerate(moved) if i != to] == others


@pytest.mark.parametrize(("frm", "to"), [(-1, 0), (3, 0), (0, 3), (0, -1)])
def test_rank_for_move_rejects_bad_indexes(frm: int, to: int) -> None:
    with pytest.raises(IndexError):
        rank_for_move(["G", "V", "l"], frm, to)


@pytest.mark.parametrize("bad", [["V", "V", "l"], ["l", "V"]])
def test_rank_for_move_needs_strictly_increasing_ranks(bad: list[str]) -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        rank_for_move(bad, 0, len(bad) - 1)


# ------------------------------------------------------------- moves among equal ranks


def _apply(order: list[tuple[str, str]], new: dict[str, str]) -> list[str]:
    """The ids in display order (rank, then id) after giving ``new`` ranks."""
    return [i for _r, i in sorted((new.get(i, r), i) for r, i in order)]


def _wanted(order: list[tuple[str, str]], frm: int, to: int) -> list[str]:
    ids = [i for _r, i in order]
    ids.insert(to, ids.pop(frm))
    return ids


def test_ranks_between_are_increasing_and_short() -> None:
    keys = ranks_between("G", "H", 50)
    assert keys == sorted(keys) and len(set(keys)) == 50
    assert all("G" < k < "H" and is_valid_rank(k) for k in keys)
    assert max(len(k) for k in keys) <= 3
    assert ranks_between(None, None, 0) == []


def test_a_move_with_room_rewrites_only_the_moved_row() -> None:
    order = [("G", "a"), ("V", "b"), ("l", "c")]
    assert set(ranks_for_move(order, 2, 0)) == {"c"}
    assert _apply(order, ranks_for_move(order, 2, 0)) == ["c", "a", "b"]
    assert ranks_for_move(order, 1, 1) == {}


def test_two_devices_moved_rows_to_one_slot() -> None:
    """After a merge two rows share a rank; moving a row between them (or anywhere) rewrites
    one or two rows, not the whole list (the old code re-spread every rank)."""
    order = [("G", "a"), ("V", "b"), ("V", "d"), ("l", "e"), ("s", "c")]
    new = ranks_for_move(order, 4, 2)  # "c" between the tied "b" and "d": takes their rank
    assert new == {"c": "V"}
    assert _apply(order, new) == ["a", "b", "c", "d", "e"]
    new = ranks_for_move(order, 3, 2)  # "e" between them, but its id does not sort there
    assert _apply(order, new) == ["a", "b", "e", "d", "c"]
    assert len(new) == 2  # the moved row and one side of the tie
    new = ranks_for_move(order, 4, 1)  # before the tie: room below it
    assert set(new) == {"c"} and _apply(order, new) == _wanted(order, 4, 1)


def test_a_long_tie_rewrites_its_shorter_side() -> None:
    order = [("V", f"{i:02d}") for i in range(40)]  # forty rows, one rank
    new = ranks_for_move(order, 39, 3)
    assert _apply(order, new) == _wanted(order, 39, 3)
    assert len(new) <= 4  # the moved row and the three rows before it


def test_invalid_ranks_in_the_way_are_rewritten() -> None:
    order = [("", "a"), ("V0", "b"), ("V", "c")]  # written by another program
    new = ranks_for_move(order, 2, 0)
    assert _apply(order, new) == ["c", "a", "b"]
    assert all(is_valid_rank(k) for k in new.values())


ties = st.lists(st.sampled_from(["G", "V", "l", "V"]), min_size=1, max_size=25)


@given(ties, st.data())
def test_ranks_for_move_gives_the_moved_order(keys: list[str], data: st.DataObject) -> None:
    order = sorted((k, f"{i:03d}") for i, k in enumerate(keys))
    frm = data.draw(st.integers(0, len(order) - 1))
    to = data.draw(st.integers(0, len(order) - 1))
    new = ranks_for_move(order, frm, to)
    assert _apply(order, new) == _wanted(order, frm, to)
    assert all(is_valid_rank(k) for k in new.values())
    # Minimal: never more rows than the moved one plus the tied run it lands in.
    run = sum(1 for k, _i in order if k == order[frm][0]) + max(keys.count(k) for k in keys)
    assert len(new) <= 1 + run
