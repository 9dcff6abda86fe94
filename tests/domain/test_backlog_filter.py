"""The shared backlog filter: empty means any, a field's values OR, fields AND."""

from __future__ import annotations

from typing import Any

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemKind, ItemStatus, LearningMode, MomentOfNeed, Sourcing


def item(**fields: Any) -> BacklogItem:
    return BacklogItem(initiative_id="i", **fields)


def test_an_empty_filter_shows_everything() -> None:
    f = BacklogFilter()
    assert not f.active and f.matches(item()) and f.matches(item(mode=None))


def test_values_of_one_field_or_and_fields_and() -> None:
    f = BacklogFilter(
        statuses=frozenset({ItemStatus.IDEA, ItemStatus.READY}),
        modes=frozenset({LearningMode.EXPERIENCE}),
    )
    assert f.active
    assert f.matches(item(status=ItemStatus.READY, mode=LearningMode.EXPERIENCE))
    assert not f.matches(item(status=ItemStatus.DONE, mode=LearningMode.EXPERIENCE))
    assert not f.matches(item(status=ItemStatus.IDEA, mode=LearningMode.EDUCATION))


def test_none_selects_the_unset_and_the_unplanned() -> None:
    f = BacklogFilter(moments=frozenset({None}), releases=frozenset({None}))
    assert f.matches(item(moment=None, release_id=None))
    assert not f.matches(item(moment=MomentOfNeed.APPLY))
    assert not f.matches(item(release_id="r1"))
    assert BacklogFilter(releases=frozenset({"r1"})).matches(item(release_id="r1"))


def test_every_word_somewhere_in_title_or_description() -> None:
    checklist = item(title="Hand-off checklist", description="For on-call engineers")
    assert BacklogFilter(text="checklist ON-CALL").matches(checklist)
    assert not BacklogFilter(text="checklist module").matches(checklist)
    assert BacklogFilter(text="   ").matches(checklist) and not BacklogFilter(text=" ").active


def test_kind_and_sourcing() -> None:
    f = BacklogFilter(kinds=frozenset({ItemKind.PERFORMANCE_SUPPORT}), sourcings=frozenset())
    assert f.matches(item(kind=ItemKind.PERFORMANCE_SUPPORT))
    assert not BacklogFilter(sourcings=frozenset({Sourcing.SME_LED})).matches(item())
