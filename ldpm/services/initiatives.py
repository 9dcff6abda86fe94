"""Initiatives and their overview: the portfolio, segments, objectives and key results.

Reads return domain dataclasses.  Writes are command factories: they build an undoable
:class:`~ldpm.services.commands.Command` which the UI's operation runner executes.
"""

from __future__ import annotations

from typing import Any

from ldpm.domain.entities import Initiative, KeyResult, Objective, Person, Segment
from ldpm.domain.ranking import rank_between, ranks_for_move
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.project import Project

#: Fields of an initiative whose change the portfolio list shows.
PORTFOLIO_FIELDS = frozenset({"name", "stage", "archived", "rank", "owner"})

# ----------------------------------------------------------------------------- reads


def list_initiatives(project: Project, *, include_archived: bool = True) -> list[Initiative]:
    """Initiatives in portfolio order."""
    with project.read() as tx:
        items = tx.list(Initiative)
    return items if include_archived else [i for i in items if not i.archived]


def get_initiative(project: Project, initiative_id: str) -> Initiative | None:
    with project.read() as tx:
        return tx.get(Initiative, initiative_id)


def list_segments(project: Project, initiative_id: str) -> list[Segment]:
    with project.read() as tx:
        return tx.list(Segment, where={"initiative_id": initiative_id})


def list_objectives(
    project: Project, initiative_id: str
) -> list[tuple[Objective, list[KeyResult]]]:
    """Objectives in order, each with its key results in order."""
    with project.read() as tx:
        objectives = tx.list(Objective, where={"initiative_id": initiative_id})
        return [(obj, tx.list(KeyResult, where={"objective_id": obj.id})) for obj in objectives]


# ---------------------------------------------------------------------------- writes


def _last_rank(ranks: list[str]) -> str:
    return rank_between(max(ranks) if ranks else None, None)


def add_initiative(project: Project, name: str, **fields: Any) -> AddEntity:
    """A new initiative at the end of the portfolio."""
    ranks = [i.rank for i in list_initiatives(project)]
    initiative = Initiative(name=name, rank=_last_rank(ranks), **fields)
    return AddEntity(initiative, text=f"Add initiative “{name}”")


def edit_initiative(
    project: Project, initiative_id: str, changes: dict[str, Any], *, typing: bool = False
) -> EditFields:
    """Change fields of an initiative.  ``typing`` merges consecutive edits of one field."""
    del project  # kept for a uniform signature; the command reads the old values itself
    if len(changes) == 1:
        text = f"Change to {field_title(next(iter(changes)))}"
    else:
        text = "Edit Initiative"
    return edit(Initiative, initiative_id, changes, text, coalesce=typing)


#: How a field is named in menus ("Undo Change to Requested On"), where its name alone would
#: not do.
FIELD_TITLES = {
    "problem_statement": "Problem Statement",
    "problem_segment": "Segment",
    "problem_behaviour": "Behaviour",
    "problem_metric": "Metric",
    "problem_unit": "Unit",
    "problem_baseline": "Baseline",
    "problem_target": "Target",
    "problem_date": "Target Date",
    "intake_problem": "The Problem",
    "intake_who": "Who Needs Help",
    "intake_optimal": "Optimal Performance",
    "intake_measure": "How to Measure",
    "intake_exemplars": "Who Does It Well",
    "intake_form": "Form and Length",
    "outcome": "Desired Outcome",
    "audience": "Target Audience",
}


def field_title(field: str) -> str:
    """A field's name as a menu shows it: ``requested_on`` → "Requested On"."""
    return FIELD_TITLES.get(field) or field.replace("_", " ").title()


def rename_initiative(project: Project, initiative_id: str, name: str) -> EditFields:
    return edit(Initiative, initiative_id, {"name": name}, f"Rename to “{name}”")


def set_archived(project: Project, initiative_id: str, archived: bool) -> EditFields:
    return edit(
        Initiative,
        initiative_id,
        {"archived": archived},
        "Archive initiative" if archived else "Restore initiative",
    )


def delete_initiative(project: Project, initiative_id: str) -> DeleteEntity:
    initiative = get_initiative(project, initiative_id)
    name = initiative.name if initiative else ""
    return DeleteEntity(Initiative, initiative_id, text=f"Delete initiative “{name}”")


def move_initiative(project: Project, initiative_id: str, to_index: int) -> Command | None:
    """Move an initiative to position ``to_index`` of the full portfolio order (archived
    included).  Returns None if it is already there.  Rewrites the moved initiative's rank
    only, unless it lands among equal ranks (two offline moves merged), and then as few more
    as :func:`~ldpm.domain.ranking.ranks_for_move` needs."""
    items = list_initiatives(project)
    ids = [i.id for i in items]
    from_index = ids.index(initiative_id)
    to_index = max(0, min(to_index, len(items) - 1))
    new = ranks_for_move([(i.rank, i.id) for i in items], from_index, to_index)
    if not new:
        return None
    edits = [edit(Initiative, id_, {"rank": rank}, "Move initiative") for id_, rank in new.items()]
    return edits[0] if len(edits) == 1 else Composite(edits, text="Move initiative")


def add_segment(project: Project, initiative_id: str, name: str) -> AddEntity:
    ranks = [s.rank for s in list_segments(project, initiative_id)]
    segment = Segment(initiative_id=initiative_id, name=name, rank=_last_rank(ranks))
    return AddEntity(segment, text=f"Add segment “{name}”")


def edit_segment(segment_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    return edit(Segment, segment_id, changes, "Edit segment", coalesce=typing)


def delete_segment(segment_id: str) -> DeleteEntity:
    return DeleteEntity(Segment, segment_id, text="Delete segment")


def add_objective(project: Project, initiative_id: str, title: str) -> AddEntity:
    ranks = [o.rank for o, _krs in list_objectives(project, initiative_id)]
    objective = Objective(initiative_id=initiative_id, title=title, rank=_last_rank(ranks))
    return AddEntity(objective, text="Add objective")


def edit_objective(objective_id: str, changes: dict[str, Any]) -> EditFields:
    return edit(Objective, objective_id, changes, "Edit objective")


def delete_objective(objective_id: str) -> DeleteEntity:
    return DeleteEntity(Objective, objective_id, text="Delete objective")


def add_key_result(project: Project, objective_id: str, title: str) -> AddEntity:
    with project.read() as tx:
        ranks = [k.rank for k in tx.list(KeyResult, where={"objective_id": objective_id})]
    key_result = KeyResult(objective_id=objective_id, title=title, rank=_last_rank(ranks))
    return AddEntity(key_result, text="Add key result")


def edit_key_result(key_result_id: str, changes: dict[str, Any]) -> EditFields:
    return edit(KeyResult, key_result_id, changes, "Edit key result")


def delete_key_result(key_result_id: str) -> DeleteEntity:
    return DeleteEntity(KeyResult, key_result_id, text="Delete key result")


def list_people_names(project: Project, *, exclude_initiative: str | None = None) -> list[str]:
    """Names to offer when typing an owner, sponsor or requester: every person in the
    workspace plus the names already used on initiatives (except ``exclude_initiative``, the
    one being edited, whose half-typed names would only echo back), sorted, no duplicates."""
    with project.read() as tx:
        names = {p.name for p in tx.list(Person)}
        for i in tx.list(Initiative):
            if i.id != exclude_initiative:
                names.update((i.owner, i.sponsor, i.requested_by))
    return sorted((n for n in names if n.strip()), key=str.casefold)
