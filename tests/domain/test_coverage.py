"""Coverage by 70:20:10 mode and moment of need, and the lopsided-plan notes, with
hand-counted values."""

from __future__ import annotations

from ldpm.domain.coverage import (
    MIN_TO_JUDGE,
    CoverageNote,
    NoteKind,
    coverage,
    coverage_notes,
    in_plan,
)
from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus, LearningMode, MomentOfNeed

EXP, SOC, EDU = LearningMode.EXPERIENCE, LearningMode.EXPOSURE, LearningMode.EDUCATION
NEW, MORE, APPLY, SOLVE = (
    MomentOfNeed.NEW,
    MomentOfNeed.MORE,
    MomentOfNeed.APPLY,
    MomentOfNeed.SOLVE,
)


def item(
    title: str, mode: LearningMode | None, moment: MomentOfNeed | None, **kw: object
) -> BacklogItem:
    return BacklogItem(initiative_id="i", title=title, mode=mode, moment=moment, **kw)  # type: ignore[arg-type]


# The demo's hand-off kit, as the brief describes it.
HANDOFF = [
    item("Checklist", EXP, APPLY, effort=4.0),
    item("Checklist v2", EXP, SOLVE, effort=1.0),
    item("Shadowing", SOC, MORE, effort=6.0),
    item("Micro-module", EDU, NEW, effort=5.0),
    item("PIR field", None, None, effort=1.0),
    item("Classroom course", EDU, NEW, effort=20.0, status=ItemStatus.DROPPED),
    item("Game day", EXP, SOLVE, out_of_scope=True),
]


def test_counts_and_effort_per_cell() -> None:
    cov = coverage(HANDOFF)
    assert cov.total == 5  # the dropped course and the out-of-scope game day do not count
    assert (cov.cell(EXP, APPLY).count, cov.cell(EXP, APPLY).effort) == (1, 4.0)
    assert cov.cell(EXP, APPLY).titles == ["Checklist"]
    assert cov.cell(EXP, SOLVE).titles == ["Checklist v2"]
    assert (cov.cell(EDU, NEW).count, cov.cell(EDU, NEW).effort) == (1, 5.0)
    assert cov.cell(None, None).count == 1
    assert cov.mode_count(EXP) == 2 and cov.mode_effort(EXP) == 5.0
    assert cov.moment_count(NEW) == 1 and cov.moment_effort(SOLVE) == 1.0
    assert cov.max_count == 1 and cov.max_effort == 6.0
    assert not in_plan(HANDOFF[5]) and not in_plan(HANDOFF[6])


def test_unestimated_items_are_counted_apart() -> None:
    cov = coverage([item("A", EXP, APPLY), item("B", EXP, APPLY, effort=2.0)])
    cell = cov.cell(EXP, APPLY)
    assert (cell.count, cell.effort, cell.unestimated) == (2, 2.0, 1)


def test_a_balanced_plan_has_no_warnings() -> None:
    assert coverage_notes(coverage(HANDOFF)) == [CoverageNote(NoteKind.UNCLASSIFIED, 1, 5)]


def test_all_classroom_and_all_new_is_lopsided() -> None:
    # The "communication class" as first requested: three formal items, all for New.
    plan = [
        item("Two-day course", EDU, NEW),
        item("E-learning", EDU, NEW),
        item("Webinar", SOC, NEW),
    ]
    notes = coverage_notes(coverage(plan))
    assert notes == [
        CoverageNote(NoteKind.MOSTLY_FORMAL, 2, 3),
        CoverageNote(NoteKind.NO_EXPERIENCE, 0, 3),
        CoverageNote(NoteKind.MOSTLY_NEW, 3, 3),
        CoverageNote(NoteKind.NO_APPLY_SOLVE, 0, 3),
    ]
    assert all(n.lopsided for n in notes)


def test_thresholds() -> None:
    # Formal exactly half of the items with a mode counts as most; New at 3 of 5 (60%) too.
    plan = [
        item("a", EDU, NEW),
        item("b", EDU, NEW),
        item("c", EXP, NEW),
        item("d", EXP, APPLY),
        item("e", None, MORE),
    ]
    kinds = [n.kind for n in coverage_notes(coverage(plan))]
    assert kinds == [NoteKind.MOSTLY_FORMAL, NoteKind.MOSTLY_NEW, NoteKind.UNCLASSIFIED]
    # One formal item fewer: no longer most of four.
    kinds = [n.kind for n in coverage_notes(coverage(plan[1:]))]
    assert NoteKind.MOSTLY_FORMAL not in kinds


def test_too_few_items_are_not_judged() -> None:
    plan = [item("a", EDU, NEW)] * (MIN_TO_JUDGE - 1)
    assert coverage_notes(coverage(plan)) == []
    assert coverage_notes(coverage([])) == []
