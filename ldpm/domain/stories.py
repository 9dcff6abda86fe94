"""Stories and evidence: the most and the least successful cases.

Brinkerhoff's success case method looks at the extremes: the few people for whom it worked
best and the few for whom it did not work at all, and asks why.  A story's success is its
:attr:`~ldpm.domain.entities.Story.rating` (1 not at all … 5 fully) when it has one; an
unrated success case counts as 4, an unrated non-success case as 2, an unrated quote as
neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ldpm.domain.entities import Story
from ldpm.domain.enums import StoryKind

#: At or above: among the most successful cases; at or below ``LEAST``: the least.
MOST, LEAST = 4, 2

_UNRATED = {StoryKind.SUCCESS: 4, StoryKind.NON_SUCCESS: 2}


class StoryFilter(StrEnum):
    ALL = "all"
    MOST = "most"  # the most successful cases, best first
    LEAST = "least"  # the least successful cases, worst first


def success_score(story: Story) -> int | None:
    """How successful the case is, 1..5 (see the module docstring); None for an unrated
    quote."""
    if story.rating is not None:
        return story.rating
    return _UNRATED.get(story.kind)


def select(stories: Iterable[Story], which: StoryFilter) -> list[Story]:
    """All stories (newest first, undated last), or the most or least successful cases.

    Ties keep the newest first."""
    items = sorted(stories, key=lambda s: (s.on is None, -(s.on.toordinal() if s.on else 0)))
    if which is StoryFilter.ALL:
        return items
    scored = [(success_score(s), s) for s in items]
    if which is StoryFilter.MOST:
        best = [(score, s) for score, s in scored if score is not None and score >= MOST]
        return [s for _score, s in sorted(best, key=lambda p: -p[0])]
    worst = [(score, s) for score, s in scored if score is not None and score <= LEAST]
    return [s for _score, s in sorted(worst, key=lambda p: p[0])]
