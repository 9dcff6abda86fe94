"""Hybrid logical clock stamps.

A stamp is ``(wall-clock milliseconds, counter, device id)``.  It is stored as a fixed-width
string, ``"%012x%04x" % (ms, counter) + device``, so that comparing two stamps as strings
compares them as clocks, with the device id breaking ties.  Stamps from one device always
increase, even when the wall clock stands still or jumps back; after seeing a stamp from
another device (``observe``) the next local stamp is later than it.

The clock never runs away: ``observe`` moves it at most to :func:`latest_trusted_ms` (a stamp
from elsewhere further ahead than that comes from a broken clock or a crafted file, and the
validation of files and replicas deals with it), and no stamp is ever wider than the fixed
width, so string order stays clock order.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

MS_WIDTH = 12
COUNTER_WIDTH = 4
MAX_COUNTER = 16**COUNTER_WIDTH - 1
#: The largest millisecond value a stamp can hold (its fixed width); stamps near it would
#: leave the clock no room to move forward.
MAX_MS: int = 16**MS_WIDTH - 1
#: How far ahead of this computer's clock a stamp from elsewhere may be and still be trusted.
#: Computers' clocks drift by seconds, a wrongly set time zone by hours; a stamp further ahead
#: than this comes from a broken clock or a crafted file, and would beat every later edit.
MAX_FUTURE_MS = 24 * 60 * 60 * 1000
#: A well-formed stamp: lower-case hex milliseconds and counter, then the device id (hex).
STAMP_PATTERN = re.compile(rf"^[0-9a-f]{{{MS_WIDTH + COUNTER_WIDTH}}}[0-9a-f]{{1,64}}$")
#: A stamp older than every real stamp (used for rows that predate stamping).
ZERO = "0" * (MS_WIDTH + COUNTER_WIDTH)


def format_stamp(ms: int, counter: int, device: str) -> str:
    return f"{ms:0{MS_WIDTH}x}{counter:0{COUNTER_WIDTH}x}{device}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    """Split a stamp into (ms, counter, device).  Raises ValueError if malformed."""
    if len(stamp) < MS_WIDTH + COUNTER_WIDTH:
        raise ValueError(f"not a clock stamp: {stamp!r}")
    ms = int(stamp[:MS_WIDTH], 16)
    counter = int(stamp[MS_WIDTH : MS_WIDTH + COUNTER_WIDTH], 16)
    return ms, counter, stamp[MS_WIDTH + COUNTER_WIDTH :]


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def is_well_formed(stamp: object) -> bool:
    """True for a string that is a stamp this version can order correctly."""
    return isinstance(stamp, str) and STAMP_PATTERN.match(stamp) is not None


def latest_trusted_ms(wall_ms: int | None = None) -> int:
    """The latest wall-clock millisecond a stamp from elsewhere may carry right now."""
    now = _wall_ms() if wall_ms is None else wall_ms
    return min(now + MAX_FUTURE_MS, MAX_MS)


def stamp_ms_hex(ms: int) -> str:
    """``ms`` as the fixed-width prefix of a stamp: stamps whose first :data:`MS_WIDTH`
    characters compare greater than this are later than ``ms`` (useful in SQL)."""
    return f"{ms:0{MS_WIDTH}x}"


class HybridClock:
    """Issues increasing stamps for one device.  Thread-safe."""

    def __init__(self, device: str, wall: Callable[[], int] = _wall_ms) -> None:
        if not device or not all(c in "0123456789abcdef" for c in device):
            raise ValueError("device id must be lower-case hex")
        self.device = device
        self._wall = wall
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        """A well-formed stamp later than every stamp this clock issued, and than every stamp
        it observed (as far as :meth:`observe` trusted it).  Raises :class:`OverflowError`
        only when the fixed width is exhausted, which a trusted clock cannot reach before the
        year 10889."""
        with self._lock:
            self._advance(min(self._wall(), MAX_MS))
            return format_stamp(self._ms, self._counter, self.device)

    def now_many(self, count: int) -> list[str]:
        """``count`` stamps, each later than the one before: what ``count`` calls of
        :meth:`now` in the same millisecond give, in one call (a bulk write of 100,000 rows
        stamps each row, as single writes do, without 100,000 trips through the lock)."""
        out: list[str] = []
        with self._lock:
            wall = min(self._wall(), MAX_MS)
            while len(out) < count:
                self._advance(wall)  # a new millisecond, or the next count within this one
                first = self._counter
                last = min(MAX_COUNTER, first + count - len(out) - 1)
                ms = f"{self._ms:0{MS_WIDTH}x}"
                out += [f"{ms}{c:0{COUNTER_WIDTH}x}{self.device}" for c in range(first, last + 1)]
                self._counter = last
        return out

    def _advance(self, wall: int) -> None:
        """Move to the next stamp (the lock is held)."""
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        elif self._ms < MAX_MS:  # counter exhausted within one millisecond: borrow the next
            self._ms, self._counter = self._ms + 1, 0
        else:
            raise OverflowError("the clock has reached the largest stamp it can write")

    def observe(self, stamp: str) -> None:
        """Move the clock past a stamp seen elsewhere (another device, or the file), but never
        beyond :func:`latest_trusted_ms`: a stamp further ahead than that is observed as the
        bound.  Raises :class:`ValueError` if ``stamp`` is not well-formed."""
        if not is_well_formed(stamp):
            raise ValueError(f"not a clock stamp: {stamp!r}")
        ms, counter, _device = parse_stamp(stamp)
        with self._lock:
            bound = latest_trusted_ms(self._wall())
            if ms > bound:
                ms, counter = bound, 0
            self._ms, self._counter = max((self._ms, self._counter), (ms, counter))

    @property
    def last(self) -> str:
        with self._lock:
            return format_stamp(self._ms, self._counter, self.device)
