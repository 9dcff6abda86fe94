"""Planning an initiative: releases, what goes in them, the MVP's cut line, the roadmap and
rescoring on the value/effort matrix.

Reads return domain dataclasses (:func:`load_plan` reads everything a plan view shows in one
transaction).  Writes are command factories, as in :mod:`ldpm.services.initiatives`: they
return an undoable :class:`~ldpm.services.commands.Command` (or None when there is nothing to
do) that the UI's operation runner executes, so a drag is one undo step.

Bad input is refused with a sentence, never stored: a negative capacity by the entity's own
rule, a target date before the initiative started by :class:`EditRelease` (the rule needs the
initiative, so it is checked when the command runs, inside its transaction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ldpm.domain.entities import BacklogItem, Initiative, Release
from ldpm.domain.enums import Horizon
from ldpm.domain.ranking import rank_between, ranks_for_insert, ranks_for_move
from ldpm.domain.release_plan import cut_changes, cut_list, mvp_of, side_of_cut
from ldpm.domain.release_plan import release_date_problem as _date_problem
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.project import Project

# ----------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class PlanData:
    """An initiative with its releases and items, each in rank order."""

    initiative: Initiative | None
    releases: list[Release]
    items: list[BacklogItem]

    def items_of(self, release_id: str) -> list[BacklogItem]:
        return [i for i in self.items if i.release_id == release_id and not i.out_of_scope]

    def by_release(self) -> dict[str, list[BacklogItem]]:
        out: dict[str, list[BacklogItem]] = {r.id: [] for r in self.releases}
        for item in self.items:
            if item.release_id in out and not item.out_of_scope:
                out[item.release_id].append(item)
        return out

    @property
    def mvp(self) -> Release | None:
        return mvp_of(self.releases)


def load_plan(project: Project, initiative_id: str) -> PlanData:
    """Everything a plan view shows of one initiative, read in one transaction."""
    with project.read() as tx:
        return PlanData(
            tx.get(Initiative, initiative_id),
            tx.list(Release, where={"initiative_id": initiative_id}),
            tx.list(BacklogItem, where={"initiative_id": initiative_id}),
        )


def list_releases(project: Project, initiative_id: str) -> list[Release]:
    with project.read() as tx:
        return tx.list(Release, where={"initiative_id": initiative_id})


def get_release(project: Project, release_id: str) -> Release | None:
    with project.read() as tx:
        return tx.get(Release, release_id)


def today() -> date:
    """Today's date, for the roadmap's "overdue"."""
    return date.today()


# ------------------------------------------------------------------------- releases


@dataclass(eq=False)
class EditRelease(EditFields):
    """Fields of a release; a target date before the initiative started is refused."""

    def apply(self, tx: Tx) -> ChangeRecord:
        target = self.new.get("target_date")
        if target is not None:
            release = tx.get(Release, self.id)
            initiative = tx.get(Initiative, release.initiative_id) if release else None
            start = initiative.requested_on if initiative is not None else None
            problem = _date_problem(target, start)
            if problem is not None:
                raise ValidationError("target_date", problem)
        return super().apply(tx)


def edit_release(release_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditRelease:
    """Change fields of a release (name, story line, target date, capacity, horizon)."""
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "release"
    return EditRelease(Release, release_id, dict(changes), text=f"Edit {label}", coalesce=typing)


def add_release(project: Project, initiative_id: str, name: str, **fields: Any) -> AddEntity:
    """A new release after the others; the first release of an initiative is its MVP."""
    releases = list_releases(project, initiative_id)
    rank = rank_between(max((r.rank for r in releases), default=None), None)
    fields.setdefault("is_mvp", not releases)
    release = Release(initiative_id=initiative_id, name=name, rank=rank, **fields)
    return AddEntity(release, text=f"Add release “{name}”")


def delete_release(project: Project, release_id: str) -> Command:
    """Delete a release; its items become "not planned" (undo puts them back in it)."""
    with project.read() as tx:
        release = tx.get(Release, release_id)
        items = tx.list(BacklogItem, where={"release_id": release_id})
    name = release.name if release else ""
    parts: list[Command] = [
        edit(BacklogItem, i.id, {"release_id": None}, "Unplan item") for i in items
    ]
    parts.append(DeleteEntity(Release, release_id))
    return Composite(parts, text=f"Delete release “{name}”")


def set_mvp(project: Project, release_id: str) -> Command | None:
    """Make ``release_id`` the MVP (and no other release of its initiative)."""
    release = get_release(project, release_id)
    if release is None:
        return None
    parts = [
        edit(Release, r.id, {"is_mvp": r.id == release_id}, "Set the MVP")
        for r in list_releases(project, release.initiative_id)
        if r.is_mvp != (r.id == release_id)
    ]
    return Composite(parts, text=f"Make “{release.name}” the MVP") if parts else None


def move_release(project: Project, release_id: str, delta: int) -> Command | None:
    """Move a release ``delta`` places in the order of releases (None if it cannot)."""
    release = get_release(project, release_id)
    if release is None:
        return None
    releases = list_releases(project, release.initiative_id)
    ids = [r.id for r in releases]
    at = ids.index(release_id)
    to = at + delta
    if not 0 <= to < len(releases) or to == at:
        return None
    new = ranks_for_move([(r.rank, r.id) for r in releases], at, to)
    edits = [edit(Release, id_, {"rank": rank}, "Move release") for id_, rank in new.items()]
    return edits[0] if len(edits) == 1 else Composite(edits, text="Move release")


def set_horizon(release_id: str, horizon: Horizon | None) -> EditFields:
    """Place a release on the roadmap by hand (None: from its dates again)."""
    text = "Place release by its dates" if horizon is None else f"Move release to {horizon}"
    return edit(Release, release_id, {"horizon": horizon}, text)


# ---------------------------------------------------------------------------- items


def move_items(
    project: Project,
    item_ids: Sequence[str],
    release_id: str | None,
    *,
    out_of_scope: bool = False,
    before: str | None = None,
    at_end: bool = False,
) -> Command | None:
    """Put items in a release (``release_id``), in "not planned" (None) or out of scope.

    With ``before`` (an item of the target bucket) or ``at_end`` the items are also ranked
    there, in the order given; otherwise they keep their rank.  One undo step; None if
    nothing changes."""
    if not item_ids:
        return None
    with project.read() as tx:
        moving = [i for i in (tx.get(BacklogItem, id_) for id_ in item_ids) if i is not None]
        if not moving:
            return None
        target = [
            i
            for i in tx.list(BacklogItem, where={"initiative_id": moving[0].initiative_id})
            if i.out_of_scope == out_of_scope
            and (out_of_scope or i.release_id == release_id)
            and i.id not in item_ids
        ]
    changes: dict[str, dict[str, Any]] = {}
    for item in moving:
        new: dict[str, Any] = {}
        if item.out_of_scope != out_of_scope:
            new["out_of_scope"] = out_of_scope
        wanted_release = None if out_of_scope else release_id
        if item.release_id != wanted_release:
            new["release_id"] = wanted_release
        changes[item.id] = new
    if before is not None or at_end:
        ids = [i.id for i in target]
        at = ids.index(before) if before in ids else len(ids)
        placed = ranks_for_insert(
            [(i.rank, i.id) for i in target], [(i.rank, i.id) for i in moving], at
        )
        for id_, rank in placed.items():
            changes.setdefault(id_, {})["rank"] = rank
    parts = [edit(BacklogItem, id_, new, "Move item") for id_, new in changes.items() if new]
    if not parts:
        return None
    if out_of_scope:
        where = "out of scope"
    elif release_id is None:
        where = "not planned"
    else:
        release = get_release(project, release_id)
        where = f"“{release.name}”" if release else "a release"
    what = f"“{moving[0].title}”" if len(moving) == 1 else f"{len(moving)} items"
    return Composite(parts, text=f"Move {what} to {where}")


@dataclass(frozen=True)
class Rescore:
    """A card dropped on the matrix: the item's new value and effort."""

    item_id: str
    value: int
    effort: float


def rescore(project: Project, scores: Iterable[Rescore]) -> Command | None:
    """Set value and effort of the items dropped on the matrix (one undo step)."""
    parts: list[Command] = []
    titles: list[str] = []
    with project.read() as tx:
        for score in scores:
            item = tx.get(BacklogItem, score.item_id)
            if item is None:
                continue
            new: dict[str, Any] = {}
            if item.value != score.value:
                new["value"] = score.value
            if item.effort != score.effort:
                new["effort"] = score.effort
            if new:
                parts.append(edit(BacklogItem, item.id, new, "Rescore item"))
                titles.append(item.title)
    if not parts:
        return None
    what = f"“{titles[0]}”" if len(titles) == 1 else f"{len(titles)} items"
    return Composite(parts, text=f"Rescore {what}")


def cut_order(project: Project, initiative_id: str) -> tuple[list[BacklogItem], int]:
    """The MVP's ranked list and where its cut line falls (see
    :func:`ldpm.domain.release_plan.cut_list`)."""
    plan = load_plan(project, initiative_id)
    mvp = plan.mvp
    return cut_list(plan.items, mvp.id if mvp else None)


def rearrange_cut(
    project: Project, initiative_id: str, rows: Sequence[str | None], moved: str | None
) -> Command | None:
    """After a drag in the MVP's ranked list: ``rows`` is the new order with None for the cut
    line; ``moved`` the item dragged (None when the line itself was).  Items that end above
    the line join the MVP, those below it that were in it go to "not planned"; a moved item
    is ranked between its new neighbours.  One undo step; None if nothing changes."""
    plan = load_plan(project, initiative_id)
    mvp = plan.mvp
    if mvp is None:
        return None
    by_id = {i.id: i for i in plan.items}
    members = [i.id for i in plan.items if i.release_id == mvp.id and not i.out_of_scope]
    joining, leaving = cut_changes(rows, members)
    changes: dict[str, dict[str, Any]] = {}
    for id_ in joining:
        changes.setdefault(id_, {})["release_id"] = mvp.id
    for id_ in leaving:
        changes.setdefault(id_, {})["release_id"] = None
    if moved is not None:  # ranked among its new neighbours on its side of the line
        side = side_of_cut(rows, moved)
        others = [(by_id[id_].rank, id_) for id_ in side if id_ != moved]
        placed = ranks_for_insert(others, [(by_id[moved].rank, moved)], side.index(moved))
        for id_, rank in placed.items():
            changes.setdefault(id_, {})["rank"] = rank
    parts = [edit(BacklogItem, id_, new, "Move item") for id_, new in changes.items() if new]
    if not parts:
        return None
    if moved is None:
        text = "Move the MVP cut line"
    else:
        text = f"Move “{by_id[moved].title}”"
        if moved in joining:
            text += " into the MVP"
        elif moved in leaving:
            text += " out of the MVP"
    return Composite(parts, text=text)
