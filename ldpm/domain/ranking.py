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
inside a run of equal ranks, the shorter side of that run.
"""

from __future__ import annotations

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


def ranks_between(before: str | None, after: str | None, count: int) -> list[str]:
    """``count`` increasing ranks strictly between ``before`` and ``after`` (``None``: an open
    end), split evenly so that they stay short.  Raises :class:`ValueError` as
    :func:`rank_between` does."""
    if count <= 0:
        return []
    middle = rank_between(before, after)
    half = (count - 1) // 2
    return [
        *ranks_between(before, middle, half),
        middle,
        *ranks_between(middle, after, count - 1 - half),
    ]


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


def _room(before: str | None, after: str | None) -> bool:
    return before is None or after is None or before < after
