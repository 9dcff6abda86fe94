"""Fractional-index rank keys: ordering strings that can always be split between neighbours.

A rank is a non-empty string over :data:`DIGITS` (``0-9A-Za-z``, in ASCII order, so plain
Python string comparison sorts ranks) that never ends in ``"0"``.  Read a rank as a base-62
fraction ``0.<digits>``: ``"V"`` (digit 31 of 62) is the middle of the range, which is why it is
the default rank of new entities.  Because no key ends in the zero digit, there is always
room for a key between any two distinct keys, and before any key; after any key there is
room too.  Moving or inserting one row therefore only writes that row's rank, which keeps
merges of offline edits small.

The midpoint algorithm is the well-known one from rocicorp's ``fractional-indexing``
(David Greenspan, "Implementing Fractional Indexing"), without the integer part: keys grow by
about one character every five appends at the same end, and :func:`spread_ranks` re-spaces a
whole list with short fixed-length keys when they get long.

Two devices that move rows to the same place offline end up with *equal* ranks after their
copies merge; lists then order equal ranks by id.  :func:`ranks_for_move` moves a row in such a
list while rewriting as few ranks as possible: the moved row's, and only if the move lands
inside a run of equal ranks, the shorter side of that run.  :func:`ranks_for_insert` does
the same for rows dropped into a list from another one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

#: The rank alphabet, in ASCII (and therefore ``str`` comparison) order.
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)  # 62
_ZERO = DIGITS[0]
_INDEX = {d: i for i, d in enumerate(DIGITS)}


def is_valid_rank(key: str) -> bool:
    """True when ``key`` is a non-empty string over :data:`DIGITS` not ending in ``"0"``."""
    return bool(key) and key[-1] != _ZERO and all(c in _INDEX for c in key)


def _check(key: str, what: str) -> None:
    if not is_valid_rank(key):
        raise ValueError(
            f"Invalid {what} rank {key!r}: use digits 0-9A-Za-z and do not end in '0'."
        )


def rank_between(before: str | None, after: str | None) -> str:
    """A rank strictly between ``before`` and ``after``.

    ``None`` means an open end: ``rank_between(None, None)`` is ``"V"``, ``rank_between(k, None)``
    sorts after ``k`` and ``rank_between(None, k)`` before it.  Raises :class:`ValueError` if a key
    is not a valid rank or if ``before >= after``.
    """
    if before is not None:
        _check(before, "lower")
    if after is not None:
        _check(after, "upper")
    if before is not None and after is not None and before >= after:
        raise ValueError(f"Rank {before!r} must sort before {after!r}.")
    return _midpoint(before or "", after)


def _midpoint(a: str, b: str | None) -> str:
    """Midpoint of the fractions ``0.a`` and ``0.b`` (``b`` None = 1.0); ``a < b``."""
    if b is not None:
        # Strip the common prefix, reading missing digits of ``a`` as zeros.
        n = 0
        while n < len(b) and (a[n] if n < len(a) else _ZERO) == b[n]:
            n += 1
        if n > 0:
            return b[:n] + _midpoint(a[n:], b[n:])
    # The first digits (or the lack of one) differ.
    digit_a = _INDEX[a[0]] if a else 0
    digit_b = _INDEX[b[0]] if b is not None else BASE
    if digit_b - digit_a > 1:
        return DIGITS[(digit_a + digit_b + 1) // 2]  # rounds .5 up, as the original does
    # The first digits are consecutive.
    if b is not None and len(b) > 1:
        return b[0]
    return DIGITS[digit_a] + _midpoint(a[1:], None)


def spread_ranks(n: int) -> list[str]:
    """``n`` evenly spaced ranks of one fixed length, in increasing order.

    The length is the smallest that leaves a gap of at least two between neighbours, so keys
    stay short: one character up to 30 keys, two up to 1,921, three up to 119,163.
    ``spread_ranks(1)`` is ``["V"]``.
    """
    if n < 0:
        raise ValueError("The number of ranks cannot be negative.")
    if n == 0:
        return []
    length = 1
    while BASE**length < 2 * (n + 1):
        length += 1
    space = BASE**length
    keys: list[str] = []
    for i in range(1, n + 1):
        # Steps are at least 2 apart, so bumping a value ending in the zero digit by one keeps
        # the keys strictly increasing, unique and below ``space``.
        value = i * space // (n + 1)
        if value % BASE == 0:
            value += 1
        keys.append(_to_digits(value, length))
    return keys


def _to_digits(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, BASE)
        chars.append(DIGITS[digit])
    return "".join(reversed(chars))


def rank_for_move(ranks: list[str], from_index: int, to_index: int) -> str:
    """The new rank for moving ``ranks[from_index]`` so that it ends up at ``to_index``.

    ``ranks`` is an ordered list (strictly increasing).  ``to_index`` is the position in the
    list after the move, as with ``item = lst.pop(from_index); lst.insert(to_index, item)``.
    Moving an element onto its own position returns its current rank.  Raises
    :class:`IndexError` for an index outside the list and :class:`ValueError` if ``ranks`` is
    not strictly increasing (for instance after two offline edits gave rows the same rank:
    re-space them with :func:`spread_ranks` first).
    """
    size = len(ranks)
    if not 0 <= from_index < size:
        raise IndexError(f"from_index {from_index} is outside a list of {size} ranks.")
    if not 0 <= to_index < size:
        raise IndexError(f"to_index {to_index} is outside a list of {size} ranks.")
    for lower, upper in pairwise(ranks):
        if lower >= upper:
            raise ValueError(f"Ranks are not strictly increasing: {lower!r} then {upper!r}.")
    if from_index == to_index:
        return ranks[from_index]
    others = ranks[:from_index] + ranks[from_index + 1 :]
    before = others[to_index - 1] if to_index > 0 else None
    after = others[to_index] if to_index < len(others) else None
    return rank_between(before, after)


def ranks_for_move(
    order: Sequence[tuple[str, str]], from_index: int, to_index: int
) -> dict[str, str]:
    """New ranks for moving ``order[from_index]`` to position ``to_index``, for as few rows
    as possible.

    ``order`` is a list of ``(rank, id)`` pairs in display order — sorted by rank, then id —
    in which ranks may repeat (after a merge) or be invalid (written by another program).
    ``to_index`` is the position after the move, as with ``lst.insert(to_index,
    lst.pop(from_index))``.  Returns ``{id: new rank}``: usually only the moved row; when it
    lands inside a run of equal ranks, also the rows of the shorter side of that run (and any
    invalid rank in the way).  Sorting by ``(rank, id)`` afterwards gives the moved order.
    Moving a row onto its own position returns ``{}``.  Raises :class:`IndexError` for an
    index outside the list.
    """
    size = len(order)
    if not 0 <= from_index < size:
        raise IndexError(f"from_index {from_index} is outside a list of {size} rows.")
    if not 0 <= to_index < size:
        raise IndexError(f"to_index {to_index} is outside a list of {size} rows.")
    if from_index == to_index:
        return {}
    target = list(order)
    moved = target.pop(from_index)
    target.insert(to_index, moved)

    def rank(index: int) -> str | None:  # None: an open end
        return target[index][0] if 0 <= index < size else None

    def usable(index: int) -> bool:
        key = rank(index)
        return key is None or is_valid_rank(key)

    # Inside a run of one rank, the moved row can take that rank if its id sorts right.
    low, high = rank(to_index - 1), rank(to_index + 1)
    if (
        low is not None
        and low == high
        and is_valid_rank(low)
        and target[to_index - 1][1] < moved[1] < target[to_index + 1][1]
    ):
        return {moved[1]: low}
    # Otherwise rewrite the window [lo, hi) around the moved row, whose neighbours outside it
    # keep their ranks: widen it downwards or upwards until those neighbours leave room.
    windows = []
    hi = to_index + 1
    while not usable(hi):
        hi += 1
    lo = to_index
    while not (usable(lo - 1) and _room(rank(lo - 1), rank(hi))):
        lo -= 1
    windows.append((lo, hi))
    lo = to_index
    while not usable(lo - 1):
        lo -= 1
    hi = to_index + 1
    while not (usable(hi) and _room(rank(lo - 1), rank(hi))):
        hi += 1
    windows.append((lo, hi))
    lo, hi = min(windows, key=lambda w: w[1] - w[0])
    keys = ranks_between(rank(lo - 1), rank(hi), hi - lo)
    return {
        row_id: key for (old, row_id), key in zip(target[lo:hi], keys, strict=True) if key != old
    }


def ranks_for_insert(
    order: Sequence[tuple[str, str]], moving: Sequence[tuple[str, str]], at: int
) -> dict[str, str]:
    """New ranks that put the rows ``moving`` (``(rank, id)`` pairs, in that order) at
    position ``at`` of the list ``order`` (the ``(rank, id)`` pairs of the other rows), for
    as few rows as possible: rows dropped into a list from another one.

    Each moving row in turn goes from where its rank sorts it to its place, by
    :func:`ranks_for_move`; so usually only the moving rows are rewritten, and only those
    whose rank does not already put them there.  Returns ``{id: new rank}``; sorting by
    ``(rank, id)`` afterwards gives ``order[:at] + moving + order[at:]``.  Raises
    :class:`IndexError` if ``at`` is outside ``0..len(order)``.
    """
    if not 0 <= at <= len(order):
        raise IndexError(f"position {at} is outside a list of {len(order)} rows.")
    rows = sorted(order)
    new: dict[str, str] = {}
    for k, row in enumerate(moving):
        start = bisect_left(rows, row)
        rows.insert(start, row)
        changed = ranks_for_move(rows, start, at + k)
        new.update(changed)
        rows = sorted((changed.get(id_, rank), id_) for rank, id_ in rows)
    return new


def _room(before: str | None, after: str | None) -> bool:
    return before is None or after is None or before < after


def _value(key: str, length: int) -> int:
    """``key`` read as a base-62 fraction with ``length`` digits (missing digits are zeros)."""
    value = 0
    for i in range(length):
        value = value * BASE + (_INDEX[key[i]] if i < len(key) else 0)
    return value


def _strip(key: str) -> str:
    return key.rstrip(_ZERO)


def ranks_between(before: str | None, after: str | None, count: int) -> list[str]:
    """``count`` evenly spaced ranks, increasing, strictly between ``before`` and ``after``
    (None: an open end).  Keys stay short: one or two characters longer than the ends at
    most, however many are asked for (unlike calling :func:`rank_between` in a loop, which
    grows a key by a character every few calls)."""
    if count < 0:
        raise ValueError("The number of ranks cannot be negative.")
    if before is not None:
        _check(before, "lower")
    if after is not None:
        _check(after, "upper")
    if before is not None and after is not None and before >= after:
        raise ValueError(f"Rank {before!r} must sort before {after!r}.")
    if count == 0:
        return []
    length = max(len(before or ""), len(after or ""), 1)
    while True:
        low = _value(before, length) if before is not None else 0
        high = _value(after, length) if after is not None else BASE**length
        if (high - low) // (count + 1) >= 2:
            break
        length += 1
    keys = []
    for i in range(1, count + 1):
        value = low + i * (high - low) // (count + 1)
        if value % BASE == 0:  # never end in the zero digit (steps of 2+ keep the order)
            value += 1
        keys.append(_strip(_to_digits(value, length)))
    return keys


def ranks_for_order(ranks: list[str], rewrite: frozenset[int] = frozenset()) -> dict[int, str]:
    """New ranks that make ``ranks`` — keys listed in the order they should sort in —
    strictly increasing, changing as few as possible: the longest run that already
    increases keeps its keys, every other position (and every index in ``rewrite``, e.g. the
    row a user moved) gets a key between its kept neighbours.  Returns ``{index: new rank}``
    for the positions that change.

    Ties (two rows with one rank after an offline merge) are resolved by rewriting all but
    one of them, so moving one row among tied rows writes a few rows, not the whole list.
    """
    for key in ranks:
        _check(key, "listed")
    keep = _longest_increasing([i for i in range(len(ranks)) if i not in rewrite], ranks)
    out: dict[int, str] = {}
    run: list[int] = []
    before: str | None = None
    for i in range(len(ranks) + 1):
        if i < len(ranks) and i not in keep:
            run.append(i)
            continue
        after = ranks[i] if i < len(ranks) else None
        if run:
            for index, key in zip(run, ranks_between(before, after, len(run)), strict=True):
                out[index] = key
            run = []
        before = after
    return out


def _longest_increasing(indexes: list[int], ranks: list[str]) -> set[int]:
    """The indexes of a longest strictly increasing subsequence of ``ranks`` restricted to
    ``indexes`` (patience sorting, O(n log n))."""
    from bisect import bisect_left

    tails: list[str] = []  # smallest tail key of an increasing run of each length
    tail_at: list[int] = []  # the index holding that tail
    previous: dict[int, int | None] = {}
    for i in indexes:
        key = ranks[i]
        length = bisect_left(tails, key)
        if length == len(tails):
            tails.append(key)
            tail_at.append(i)
        else:
            tails[length] = key
            tail_at[length] = i
        previous[i] = tail_at[length - 1] if length > 0 else None
    out: set[int] = set()
    node: int | None = tail_at[-1] if tail_at else None
    while node is not None:
        out.add(node)
        node = previous[node]
    return out
