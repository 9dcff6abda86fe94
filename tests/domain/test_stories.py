"""The most and least successful cases."""

from __future__ import annotations

from datetime import date

from ldpm.domain.entities import Story
from ldpm.domain.enums import StoryKind
from ldpm.domain.stories import StoryFilter, select, success_score


def story(title: str, kind: StoryKind, rating: int | None, day: int | None) -> Story:
    return Story(
        initiative_id="i",
        title=title,
        kind=kind,
        rating=rating,
        on=date(2026, 4, day) if day is not None else None,
    )


OUTAGE = story("Outage hand-off in four minutes", StoryKind.SUCCESS, 5, 19)
TEAM = story("Team Blue's four weeks", StoryKind.SUCCESS, None, 13)  # unrated success: 4
V1 = story("Checklist v1 nobody used", StoryKind.NON_SUCCESS, 1, 3)
SCEPTIC = story("One team isn't proof", StoryKind.QUOTE, None, 20)  # unrated quote: none
MIXED = story("Used it once", StoryKind.SUCCESS, 2, None)
ALL = [V1, SCEPTIC, MIXED, OUTAGE, TEAM]


def test_scores() -> None:
    assert [success_score(s) for s in ALL] == [1, None, 2, 5, 4]


def test_all_newest_first_undated_last() -> None:
    assert select(ALL, StoryFilter.ALL) == [SCEPTIC, OUTAGE, TEAM, V1, MIXED]


def test_most_successful_best_first() -> None:
    assert select(ALL, StoryFilter.MOST) == [OUTAGE, TEAM]


def test_least_successful_worst_first() -> None:
    assert select(ALL, StoryFilter.LEAST) == [V1, MIXED]
