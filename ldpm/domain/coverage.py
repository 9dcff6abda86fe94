"""Coverage of a plan: 70:20:10 mode × the Five Moments of Need, and when it is lopsided.

:func:`coverage` counts an initiative's items (those in the plan: not dropped, not out of
scope) in a grid of learning mode (experience 70, exposure 20, education 10) by moment of need
(New, More, Apply, Solve, Change), with the effort in each cell.  Items without a mode or a
moment are counted apart (the "not classified" row and column).

:func:`coverage_notes` says when the plan is lopsided, in the terms of the two models: solutions
in the flow of work (experience, Apply and Solve) rather than all classroom and all for the
New moment.  Each note carries the numbers behind it; the UI words it.  A plan needs at least
:data:`MIN_TO_JUDGE` classified items before it is judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus, LearningMode, MomentOfNeed

#: Fewer classified items than this: too early to call the plan lopsided.
MIN_TO_JUDGE = 3
#: Formal education is "most of the plan" from this share of the items with a mode.
FORMAL_SHARE = 0.5
#: The New moment is "most of the plan" from this share of the items with a moment.
NEW_SHARE = 0.6

Key = tuple[LearningMode | None, MomentOfNeed | None]


def in_plan(item: BacklogItem) -> bool:
    """Items that count in a plan: not dropped and not set out of scope."""
    return not item.out_of_scope and item.status is not ItemStatus.DROPPED


@dataclass
class Cell:
    """The items of one mode at one moment (either may be None: not classified)."""

    mode: LearningMode | None
    moment: MomentOfNeed | None
    count: int = 0
    effort: float = 0.0
    #: Items counted without an effort estimate.
    unestimated: int = 0
    item_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    def add(self, item: BacklogItem) -> None:
        self.count += 1
        if item.effort is None:
            self.unestimated += 1
        else:
            self.effort += item.effort
        self.item_ids.append(item.id)
        self.titles.append(item.title)


@dataclass
class Coverage:
    """The grid, with totals per mode and per moment."""

    cells: dict[Key, Cell]
    total: int

    def cell(self, mode: LearningMode | None, moment: MomentOfNeed | None) -> Cell:
        return self.cells[(mode, moment)]

    def mode_count(self, mode: LearningMode | None) -> int:
        return sum(c.count for (m, _), c in self.cells.items() if m is mode)

    def moment_count(self, moment: MomentOfNeed | None) -> int:
        return sum(c.count for (_, n), c in self.cells.items() if n is moment)

    def mode_effort(self, mode: LearningMode | None) -> float:
        return sum(c.effort for (m, _), c in self.cells.items() if m is mode)

    def moment_effort(self, moment: MomentOfNeed | None) -> float:
        return sum(c.effort for (_, n), c in self.cells.items() if n is moment)

    @property
    def max_count(self) -> int:
        return max((c.count for c in self.cells.values()), default=0)

    @property
    def max_effort(self) -> float:
        return max((c.effort for c in self.cells.values()), default=0.0)


MODES: tuple[LearningMode | None, ...] = (*LearningMode, None)
MOMENTS: tuple[MomentOfNeed | None, ...] = (*MomentOfNeed, None)


def coverage(items: Iterable[BacklogItem]) -> Coverage:
    """Count the items in the plan by mode and moment (items in title order within a cell's
    list are kept in the order given)."""
    cells = {(mode, moment): Cell(mode, moment) for mode in MODES for moment in MOMENTS}
    total = 0
    for item in items:
        if not in_plan(item):
            continue
        cells[(item.mode, item.moment)].add(item)
        total += 1
    return Coverage(cells, total)


class NoteKind(StrEnum):
    """Why a plan looks lopsided (or what it leaves out)."""

    MOSTLY_FORMAL = "mostly_formal"  # education is most of the items with a mode
    NO_EXPERIENCE = "no_experience"  # nothing learned on the job
    MOSTLY_NEW = "mostly_new"  # the New moment is most of the items with a moment
    NO_APPLY_SOLVE = "no_apply_solve"  # nothing at the moments of work itself
    UNCLASSIFIED = "unclassified"  # items without a mode or a moment are not on the map


@dataclass(frozen=True)
class CoverageNote:
    """A note about the plan: ``count`` items of ``total`` make the point."""

    kind: NoteKind
    count: int
    total: int

    @property
    def lopsided(self) -> bool:
        """A warning about balance (UNCLASSIFIED is only information)."""
        return self.kind is not NoteKind.UNCLASSIFIED


def coverage_notes(cov: Coverage) -> list[CoverageNote]:
    """The notes for ``cov``, warnings first (see the module docstring)."""
    notes: list[CoverageNote] = []
    with_mode = cov.total - cov.mode_count(None)
    with_moment = cov.total - cov.moment_count(None)
    if with_mode >= MIN_TO_JUDGE:
        formal = cov.mode_count(LearningMode.EDUCATION)
        if formal >= FORMAL_SHARE * with_mode:
            notes.append(CoverageNote(NoteKind.MOSTLY_FORMAL, formal, with_mode))
        if cov.mode_count(LearningMode.EXPERIENCE) == 0:
            notes.append(CoverageNote(NoteKind.NO_EXPERIENCE, 0, with_mode))
    if with_moment >= MIN_TO_JUDGE:
        new = cov.moment_count(MomentOfNeed.NEW)
        if new >= NEW_SHARE * with_moment:
            notes.append(CoverageNote(NoteKind.MOSTLY_NEW, new, with_moment))
        at_work = cov.moment_count(MomentOfNeed.APPLY) + cov.moment_count(MomentOfNeed.SOLVE)
        if at_work == 0:
            notes.append(CoverageNote(NoteKind.NO_APPLY_SOLVE, 0, with_moment))
    unclassified = sum(
        c.count for (mode, moment), c in cov.cells.items() if mode is None or moment is None
    )
    if unclassified:
        notes.append(CoverageNote(NoteKind.UNCLASSIFIED, unclassified, cov.total))
    return notes
