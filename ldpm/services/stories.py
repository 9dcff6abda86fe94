"""Stories and evidence: success and non-success cases and quotes, each linked to the metric,
experiment or release it explains."""

from __future__ import annotations

from typing import Any

from ldpm.domain.entities import Story
from ldpm.domain.stories import StoryFilter, select
from ldpm.services.commands import AddEntity, DeleteEntity, EditFields, edit
from ldpm.services.project import Project


def list_stories(
    project: Project,
    initiative_id: str,
    which: StoryFilter = StoryFilter.ALL,
    *,
    metric_id: str | None = None,
    experiment_id: str | None = None,
) -> list[Story]:
    """The initiative's stories (newest first), or its most or least successful cases; only
    those linked to ``metric_id`` or ``experiment_id`` when given."""
    with project.read() as tx:
        stories = tx.list(Story, where={"initiative_id": initiative_id}, order_by=("id",))
    if metric_id is not None:
        stories = [s for s in stories if s.metric_id == metric_id]
    if experiment_id is not None:
        stories = [s for s in stories if s.experiment_id == experiment_id]
    return select(stories, which)


def get_story(project: Project, story_id: str) -> Story | None:
    with project.read() as tx:
        return tx.get(Story, story_id)


def add_story(initiative_id: str, title: str, **fields: Any) -> AddEntity:
    story = Story(initiative_id=initiative_id, title=title, **fields)
    return AddEntity(story, text=f"Add story “{title}”")


def edit_story(story_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "story"
    return edit(Story, story_id, changes, f"Edit {label}", coalesce=typing)


def delete_story(project: Project, story_id: str) -> DeleteEntity:
    story = get_story(project, story_id)
    title = story.title if story else ""
    return DeleteEntity(Story, story_id, text=f"Delete story “{title}”")
