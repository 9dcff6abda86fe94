"""Where stakeholders stood on a date, who moved between two dates, and drift alerts.

A :class:`Reading` is one position on the power/interest grid with a stance (support) and an
engagement level: a dated :class:`~ldpm.domain.entities.Assessment`, or a stakeholder's
current position (undated: "now").

**Snapshots.**  "Record assessment" stores one assessment per stakeholder of an initiative,
all on one date with one label ("after kick-off workshop"); :func:`snapshots` lists the dates
an initiative has assessments on, with their labels.  Where someone was on a date
(:func:`reading_on`) is their latest assessment on or before it, so stakeholders assessed one
by one on other dates still take part in a comparison.

**Comparing** two dates (:func:`compare`) gives a :class:`Movement` per stakeholder: where
they were, where they are, whether they moved on the grid, and whether it is a drop.

**Drift.**  A *key player* — power above :data:`~ldpm.domain.stakeholders.HIGH_ABOVE` (6..10)
in either reading — whose support (blocker … champion) or engagement (unaware … leading)
went down is drifting.  :func:`drift` compares a stakeholder's current position with their
latest assessment; when the two agree on support and engagement (say, the assessment was just
recorded), it compares the latest two assessments instead, so a drop stays flagged until a
later assessment shows it no longer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ldpm.domain.entities import Assessment, Stakeholder
from ldpm.domain.enums import Engagement, Support
from ldpm.domain.stakeholders import HIGH_ABOVE

_SUPPORT = {s: i for i, s in enumerate(Support)}
_ENGAGEMENT = {e: i for i, e in enumerate(Engagement)}


@dataclass(frozen=True, slots=True)
class Reading:
    """One position: power and interest (1..10), support and engagement; ``on`` is the
    assessment's date (None: the current position) and ``label`` what it was."""

    power: int
    interest: int
    support: Support
    engagement: Engagement
    on: date | None = None
    label: str = ""

    @classmethod
    def of(cls, subject: Stakeholder | Assessment) -> Reading:
        """The current position of a stakeholder, or a dated assessment."""
        if isinstance(subject, Stakeholder):
            return cls(
                subject.power, subject.interest, subject.support, subject.current_engagement
            )
        return cls(
            subject.power,
            subject.interest,
            subject.support,
            subject.engagement,
            subject.on,
            subject.label,
        )

    @property
    def cell(self) -> tuple[int, int]:
        return self.power, self.interest

    @property
    def stance(self) -> tuple[Support, Engagement]:
        return self.support, self.engagement


@dataclass(frozen=True, slots=True)
class Drift:
    """A key player's support or engagement went down from ``before`` to ``after``, by
    ``support`` and ``engagement`` steps of their scales (0 when that one did not drop)."""

    before: Reading
    after: Reading
    support: int
    engagement: int


@dataclass(frozen=True, slots=True)
class Movement:
    """One stakeholder between two readings (either may be missing: not assessed yet)."""

    before: Reading | None
    after: Reading | None

    @property
    def moved(self) -> bool:
        """Moved on the grid (both readings known and in different cells)."""
        return (
            self.before is not None
            and self.after is not None
            and self.before.cell != self.after.cell
        )

    @property
    def changed(self) -> bool:
        """Moved, or changed stance or engagement."""
        return (
            self.before is not None
            and self.after is not None
            and (self.before.cell, self.before.stance) != (self.after.cell, self.after.stance)
        )

    @property
    def drift(self) -> Drift | None:
        if self.before is None or self.after is None:
            return None
        return dropped(self.before, self.after)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A date an initiative has assessments on: its label (the most used one that day) and how
    many stakeholders were assessed."""

    on: date
    label: str
    count: int


def is_key_player(*readings: Reading) -> bool:
    """High power (above 5) in any of ``readings``."""
    return any(r.power > HIGH_ABOVE for r in readings)


def dropped(before: Reading, after: Reading) -> Drift | None:
    """The drift from ``before`` to ``after``: None unless a key player's support or
    engagement went down."""
    if not is_key_player(before, after):
        return None
    support = _SUPPORT[before.support] - _SUPPORT[after.support]
    engagement = _ENGAGEMENT[before.engagement] - _ENGAGEMENT[after.engagement]
    if support <= 0 and engagement <= 0:
        return None
    return Drift(before, after, max(support, 0), max(engagement, 0))


def history(assessments: Iterable[Assessment | Reading]) -> list[Reading]:
    """Readings in date order (assessments on one date keep their given order)."""
    readings = [a if isinstance(a, Reading) else Reading.of(a) for a in assessments]
    return sorted(readings, key=lambda r: r.on or date.max)


def reading_on(assessments: Iterable[Assessment | Reading], day: date) -> Reading | None:
    """Where a stakeholder stood on ``day``: their latest assessment on or before it (the later
    one in the given order if two share a date), or None if none was made by then."""
    found: Reading | None = None
    for reading in history(assessments):
        if reading.on is not None and reading.on <= day:
            found = reading
    return found


def drift(
    current: Stakeholder | Reading, assessments: Iterable[Assessment | Reading]
) -> Drift | None:
    """A stakeholder's drift (see the module docstring): their current position against their
    latest assessment, or, when those agree on support and engagement, their latest two
    assessments."""
    now = current if isinstance(current, Reading) else Reading.of(current)
    readings = [r for r in history(assessments) if r.on is not None]
    if not readings:
        return None
    latest = readings[-1]
    if latest.stance != now.stance:
        return dropped(latest, now)
    if len(readings) < 2:
        return None
    return dropped(readings[-2], latest)


def compare(
    before: Mapping[str, Reading | None], after: Mapping[str, Reading | None]
) -> dict[str, Movement]:
    """A movement for every id in either mapping."""
    ids = list(dict.fromkeys([*before, *after]))
    return {i: Movement(before.get(i), after.get(i)) for i in ids}


def positions_on(
    assessments: Mapping[str, Sequence[Assessment | Reading]], day: date
) -> dict[str, Reading | None]:
    """Where each stakeholder (by id) stood on ``day`` (see :func:`reading_on`)."""
    return {key: reading_on(items, day) for key, items in assessments.items()}


def snapshots(assessments: Iterable[Assessment]) -> list[Snapshot]:
    """The dates assessments were made on, newest first, each with its most used label (the
    first one given, between labels used as often) and how many were made that day."""
    counts: dict[date, int] = Counter()
    labels: dict[date, Counter[str]] = {}
    for a in assessments:
        counts[a.on] += 1
        if a.label.strip():
            labels.setdefault(a.on, Counter())[a.label.strip()] += 1
    out = []
    for day in sorted(counts, reverse=True):
        used = labels.get(day)
        label = used.most_common(1)[0][0] if used else ""
        out.append(Snapshot(day, label, counts[day]))
    return out
