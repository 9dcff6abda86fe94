"""Releases as buckets: what is in each, what it costs against its capacity, how it is
sourced, where the MVP's cut line falls, and where each release sits on the roadmap.

**Buckets.**  An item of an initiative is in one release (``release_id``), or *not planned*
(no release), or *out of scope* (``out_of_scope``: deliberately left out; it has no release).
:func:`bucket_of` says which.

**Load.**  :func:`release_load` sums the effort of a release's items against the capacity the
user set (person-days).  Dropped items cost nothing; items without an estimate are counted
apart, so "12 of 20 days, 2 items not estimated" never pretends they are free.

**Sourcing.**  :func:`sourcing_split` gives count and effort per sourcing (build, curate,
SME-led, outsource) — a release that is all "build" is a warning sign for an L&D team.

**The MVP and its cut line.**  :func:`mvp_of` is the release flagged ``is_mvp``, or else the
first.  :func:`cut_list` orders the candidates (items in the plan): the MVP's items by rank,
then the others by rank; the *cut line* sits after the MVP's items.  The UI shows the list
with the line as one more row; after a drag it hands back the new order with ``None`` for the
line, and :func:`cut_changes` says who joins and who leaves the MVP, :func:`side_of_cut`
among which items a moved item is ranked.

**Roadmap.**  :func:`roadmap` puts each release in Now, Next or Later: where the user set it
by hand, else from the dates — releases not yet shipped, by target date (undated last), are
Now, Next, then Later.  A release is *shipped* when it has items and every one is done (or
dropped); shipped releases leave the roadmap unless placed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter

from ldpm.domain.coverage import in_plan
from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.enums import Horizon, ItemStatus, Sourcing


class Bucket(StrEnum):
    """Where an item is planned, besides a release."""

    RELEASE = "release"
    NOT_PLANNED = "not_planned"
    OUT_OF_SCOPE = "out_of_scope"


def bucket_of(item: BacklogItem) -> Bucket:
    if item.out_of_scope:
        return Bucket.OUT_OF_SCOPE
    return Bucket.NOT_PLANNED if item.release_id is None else Bucket.RELEASE


# ------------------------------------------------------------------------------ load


@dataclass(frozen=True)
class Load:
    """The effort of a release against its capacity."""

    count: int
    effort: float
    unestimated: int
    capacity: float | None

    @property
    def over(self) -> bool:
        """More effort planned than there is capacity for."""
        return self.capacity is not None and self.effort > self.capacity + 1e-9

    @property
    def remaining(self) -> float | None:
        return None if self.capacity is None else self.capacity - self.effort

    @property
    def share(self) -> float | None:
        """Effort as a share of the capacity (None without a capacity; 0 capacity: inf if
        anything is planned)."""
        if self.capacity is None:
            return None
        if self.capacity == 0:
            return float("inf") if self.effort > 0 else 0.0
        return self.effort / self.capacity


def release_load(items: Iterable[BacklogItem], capacity: float | None) -> Load:
    """The load of ``items`` (a release's) against ``capacity``; dropped items cost nothing."""
    count = unestimated = 0
    effort = 0.0
    for item in items:
        if item.status is ItemStatus.DROPPED:
            continue
        count += 1
        if item.effort is None:
            unestimated += 1
        else:
            effort += item.effort
    return Load(count, effort, unestimated, capacity)


@dataclass(frozen=True)
class Share:
    count: int
    effort: float


def sourcing_split(items: Iterable[BacklogItem]) -> dict[Sourcing, Share]:
    """Count and effort per sourcing, every sourcing present (in declaration order)."""
    counts = dict.fromkeys(Sourcing, 0)
    efforts = dict.fromkeys(Sourcing, 0.0)
    for item in items:
        if item.status is ItemStatus.DROPPED:
            continue
        counts[item.sourcing] += 1
        efforts[item.sourcing] += item.effort or 0.0
    return {s: Share(counts[s], efforts[s]) for s in Sourcing}


# ------------------------------------------------------------------------- the MVP


def mvp_of(releases: Sequence[Release]) -> Release | None:
    """The MVP: the release flagged as such, else the first (``releases`` in rank order)."""
    for release in releases:
        if release.is_mvp:
            return release
    return releases[0] if releases else None


def cut_list(items: Iterable[BacklogItem], mvp_id: str | None) -> tuple[list[BacklogItem], int]:
    """The candidates for the MVP in order — its items by rank, then the rest by rank — and
    where the cut line falls (the number of items above it)."""
    by_rank = attrgetter("rank", "id")
    candidates = [i for i in items if in_plan(i)]
    members = sorted((i for i in candidates if i.release_id == mvp_id), key=by_rank)
    others = sorted((i for i in candidates if i.release_id != mvp_id), key=by_rank)
    if mvp_id is None:
        return sorted(candidates, key=by_rank), 0
    return members + others, len(members)


def cut_changes(rows: Sequence[str | None], members: Iterable[str]) -> tuple[list[str], list[str]]:
    """After a drag: ``rows`` is the list in its new order with ``None`` for the cut line;
    returns the ids that join the MVP (now above the line) and those that leave it."""
    if rows.count(None) != 1:
        raise ValueError("the rows need exactly one cut line")
    line = rows.index(None)
    was = set(members)
    joining = [r for r in rows[:line] if r is not None and r not in was]
    leaving = [r for r in rows[line + 1 :] if r is not None and r in was]
    return joining, leaving


def side_of_cut(rows: Sequence[str | None], moved: str) -> list[str]:
    """The ids on ``moved``'s side of the cut line (``None`` in ``rows``), in order."""
    line = rows.index(None)
    group = rows[:line] if rows.index(moved) < line else rows[line + 1 :]
    return [r for r in group if r is not None]


def release_date_problem(target: date | None, start: date | None) -> str | None:
    """A sentence if a release's target date falls before the initiative started (the date
    of its request), else None."""
    if target is None or start is None or target >= start:
        return None
    return (
        f"The target date cannot be before the initiative started "
        f"({start.day} {start:%b %Y}, the date of the request)."
    )


# ------------------------------------------------------------------------- roadmap


def is_shipped(items: Sequence[BacklogItem]) -> bool:
    """A release is shipped when it has items and every one is done or dropped."""
    live = [i for i in items if i.status is not ItemStatus.DROPPED]
    return bool(live) and all(i.status is ItemStatus.DONE for i in live)


@dataclass(frozen=True)
class RoadmapEntry:
    release: Release
    horizon: Horizon
    by_hand: bool
    load: Load
    done: int
    #: Not shipped, and its target date has passed.
    overdue: bool


@dataclass(frozen=True)
class Roadmap:
    lanes: dict[Horizon, list[RoadmapEntry]]
    #: Shipped releases not placed by hand, oldest first.
    shipped: list[Release]


def roadmap(
    releases: Sequence[Release],
    items_of: Mapping[str, Sequence[BacklogItem]],
    today: date,
) -> Roadmap:
    """Place each release of ``releases`` (rank order) in Now, Next or Later."""
    lanes: dict[Horizon, list[RoadmapEntry]] = {h: [] for h in Horizon}
    shipped: list[Release] = []

    def entry(release: Release, horizon: Horizon, by_hand: bool, done_all: bool) -> None:
        items = items_of.get(release.id, ())
        overdue = not done_all and release.target_date is not None and release.target_date < today
        lanes[horizon].append(
            RoadmapEntry(
                release,
                horizon,
                by_hand,
                release_load(items, release.capacity),
                sum(1 for i in items if i.status is ItemStatus.DONE),
                overdue,
            )
        )

    automatic: list[Release] = []
    for release in releases:
        done_all = is_shipped(items_of.get(release.id, ()))
        if release.horizon is not None:
            entry(release, release.horizon, True, done_all)
        elif done_all:
            shipped.append(release)
        else:
            automatic.append(release)
    automatic.sort(key=lambda r: (r.target_date is None, r.target_date or date.max, r.rank))
    for n, release in enumerate(automatic):
        horizon = Horizon.NOW if n == 0 else Horizon.NEXT if n == 1 else Horizon.LATER
        entry(release, horizon, False, False)
    for lane in lanes.values():
        lane.sort(
            key=lambda e: (
                e.release.target_date is None,
                e.release.target_date or date.max,
                e.release.rank,
            )
        )
    shipped.sort(key=lambda r: (r.target_date is None, r.target_date or date.max, r.rank))
    return Roadmap(lanes, shipped)
