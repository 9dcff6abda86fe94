"""An initiative's backlog: its items, their scores, ranks, SMEs and what they should move.

Reads return domain dataclasses (and a :class:`BacklogContext` of what the items refer to).
Writes are command factories, as in :mod:`ldpm.services.initiatives`; the UI runs them through
the operation runner.  Three of them are worth knowing:

* :func:`edit_item` checks an impact or confidence against the workspace's scale *when it is
  applied* (so every path — a table cell, the detail panel, a paste — is refused alike, with
  one sentence, and nothing is written);
* :func:`reorder` turns an order the user made (by drag, Alt+Up/Down, or by adopting a
  score's order) into new rank strings for as few rows as possible — normally only the row
  that moved — so two people re-ranking offline still merge;
* :func:`bulk_edit` changes many items as one undo step with one write per field set.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    ItemSme,
    KeyResult,
    Metric,
    Objective,
    Person,
    Release,
    Workspace,
)
from ldpm.domain.enums import ScoringMethod
from ldpm.domain.ranking import rank_between, ranks_for_order
from ldpm.domain.scoring import Factor, ScoringScheme, scale_problem
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.bulk import EditMany, SetPresence, link_id
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.project import Project

#: The fields a bulk edit may set.
BULK_FIELDS = frozenset({"status", "release_id", "sourcing", "kind", "mode", "moment"})

# ----------------------------------------------------------------------------- reads


def list_items(project: Project, initiative_id: str) -> list[BacklogItem]:
    """The initiative's items in manual rank order."""
    with project.read() as tx:
        return tx.list(BacklogItem, where={"initiative_id": initiative_id})


def get_items(project: Project, ids: Sequence[str]) -> dict[str, BacklogItem]:
    """The live items with these ids, by id (deleted or unknown ones left out)."""
    with project.read() as tx:
        return tx.get_many(BacklogItem, ids)


def get_item(project: Project, item_id: str) -> BacklogItem | None:
    with project.read() as tx:
        return tx.get(BacklogItem, item_id)


def workspace(project: Project) -> Workspace:
    with project.read() as tx:
        return tx.list(Workspace)[0]


def scheme(project: Project) -> ScoringScheme:
    """The workspace's scoring scheme."""
    return ScoringScheme.of(workspace(project))


@dataclass(frozen=True)
class Target:
    """Something an item can be expected to move: a metric or a key result."""

    kind: type[Metric] | type[KeyResult]
    id: str
    name: str


@dataclass(frozen=True)
class BacklogContext:
    """What the items of one initiative refer to, read in one go."""

    scheme: ScoringScheme = field(default_factory=ScoringScheme)
    releases: tuple[Release, ...] = ()
    people: Mapping[str, Person] = field(default_factory=dict)
    #: item id → the people linked as SMEs (in name order).
    smes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    targets: tuple[Target, ...] = ()

    def release_name(self, release_id: str | None) -> str:
        for release in self.releases:
            if release.id == release_id:
                return release.name
        return ""

    def release_position(self, release_id: str | None) -> int | None:
        for i, release in enumerate(self.releases):
            if release.id == release_id:
                return i
        return None

    def sme_names(self, item_id: str) -> tuple[str, ...]:
        people = self.people
        return tuple(people[p].name for p in self.smes.get(item_id, ()) if p in people)

    def target_of(self, item: BacklogItem) -> Target | None:
        wanted = item.metric_id or item.key_result_id
        if wanted is None:
            return None
        return next((t for t in self.targets if t.id == wanted), None)


def load_context(project: Project, initiative_id: str) -> BacklogContext:
    with project.read() as tx:
        return _context(tx, initiative_id)


def _context(tx: Tx, initiative_id: str) -> BacklogContext:
    releases = tuple(tx.list(Release, where={"initiative_id": initiative_id}))
    people = {p.id: p for p in tx.list(Person)}
    item_ids = set(tx.children_ids(BacklogItem, "initiative_id", [initiative_id]))
    links: dict[str, list[str]] = {}
    for link in tx.list(ItemSme, order_by=("id",)):
        if link.item_id in item_ids and link.person_id in people:
            links.setdefault(link.item_id, []).append(link.person_id)
    smes = {
        item: tuple(sorted(set(ids), key=lambda p: people[p].name.casefold()))
        for item, ids in links.items()
    }
    targets: list[Target] = [
        Target(Metric, m.id, m.name)
        for m in tx.list(Metric, where={"initiative_id": initiative_id}, order_by=("name",))
    ]
    for objective in tx.list(Objective, where={"initiative_id": initiative_id}):
        targets.extend(
            Target(KeyResult, k.id, k.title)
            for k in tx.list(KeyResult, where={"objective_id": objective.id})
        )
    workspace_row = tx.list(Workspace)[0]
    return BacklogContext(
        scheme=ScoringScheme.of(workspace_row),
        releases=releases,
        people=people,
        smes=smes,
        targets=tuple(targets),
    )


def people_matching(people: Sequence[Person], text: str) -> list[Person]:
    """People whose name, role, department or expertise contains every word of ``text``
    (ignoring case), by name; everyone for blank text."""
    words = text.casefold().split()
    out = [
        p
        for p in people
        if all(w in f"{p.name}\n{p.role}\n{p.department}\n{p.expertise}".casefold() for w in words)
    ]
    return sorted(out, key=lambda p: p.name.casefold())


# ---------------------------------------------------------------------------- writes


@dataclass(eq=False)
class EditItem(EditFields):
    """Edit an item; an impact or confidence must be a step of the workspace's scale (read
    when applied, so every way of editing is checked alike)."""

    def apply(self, tx: Tx) -> ChangeRecord:
        if not self.old and {"impact", "confidence"} & set(self.new):
            current = ScoringScheme.of(tx.list(Workspace)[0])
            for name in ("impact", "confidence"):
                if name in self.new:
                    problem = scale_problem(Factor(name), self.new[name], current)
                    if problem is not None:
                        raise ValidationError(name, problem)
        return super().apply(tx)


def edit_item(item_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditItem:
    """Change fields of an item.  ``typing`` merges consecutive edits of one text field."""
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "item"
    return EditItem(BacklogItem, item_id, dict(changes), text=f"Edit {label}", coalesce=typing)


def add_item(
    project: Project, initiative_id: str, title: str, *, after: str | None = None, **fields: Any
) -> AddEntity:
    """A new item at the end of the manual order, or right after item ``after``."""
    ranks = sorted(i.rank for i in list_items(project, initiative_id))
    rank = rank_between(ranks[-1] if ranks else None, None)
    if after is not None:
        anchor = get_item(project, after)
        if anchor is not None:
            later = [r for r in ranks if r > anchor.rank]
            rank = rank_between(anchor.rank, later[0] if later else None)
    item = BacklogItem(initiative_id=initiative_id, title=title, rank=rank, **fields)
    return AddEntity(item, text=f"Add item “{title}”")


def delete_items(ids: Sequence[str]) -> Command | None:
    """Remove items (undo brings them back, with their SMEs)."""
    if not ids:
        return None
    if len(ids) == 1:
        return DeleteEntity(BacklogItem, ids[0], text="Delete item")
    return Composite([DeleteEntity(BacklogItem, i) for i in ids], text=f"Delete {len(ids)} items")


def reorder(
    order: Sequence[tuple[str, str]], moved: Collection[str] = (), *, text: str = "Move item"
) -> EditMany | None:
    """New ranks so that items sort in ``order`` — ``(id, current rank)`` pairs, as the user
    arranged them — writing as few as possible: the ``moved`` items, and others only where
    ranks tie.  None if the order already holds."""
    ids = [i for i, _r in order]
    rewrite = frozenset(n for n, i in enumerate(ids) if i in moved)
    if len(rewrite) == 1 and _increasing(
        [r for k, (_i, r) in enumerate(order) if k not in rewrite]
    ):
        # One row moved among rows in rank order (a drag, Alt+Up/Down): its new rank lies
        # between its neighbours', and nothing else changes.
        [n] = rewrite
        before = order[n - 1][1] if n > 0 else None
        after = order[n + 1][1] if n + 1 < len(order) else None
        current = order[n][1]
        if (before is None or before < current) and (after is None or current < after):
            return None  # already in place
        if before is None or after is None or before < after:
            rank = rank_between(before, after)
            return EditMany(BacklogItem, {ids[n]: {"rank": rank}}, text=text)
    ranks = ranks_for_order([r for _i, r in order], rewrite)
    changes = {ids[n]: {"rank": rank} for n, rank in ranks.items() if rank != order[n][1]}
    return EditMany(BacklogItem, changes, text=text) if changes else None


def _increasing(ranks: Sequence[str]) -> bool:
    return all(a < b for a, b in pairwise(ranks))


def bulk_edit(ids: Sequence[str], changes: Mapping[str, Any]) -> EditMany:
    """Set the same fields on many items: one undo step."""
    unknown = set(changes) - BULK_FIELDS
    if unknown:
        raise ValueError(f"not a bulk field: {sorted(unknown)}")
    label = next(iter(changes)).replace("_id", "").replace("_", " ")
    count = len(ids)
    return EditMany(
        BacklogItem,
        {i: dict(changes) for i in ids},
        text=f"Set {label} of {count} item{'s' if count != 1 else ''}",
    )


def set_target(item_id: str, target: Target | None) -> EditFields:
    """Say which metric or key result the item should move (None: neither)."""
    return edit(
        BacklogItem,
        item_id,
        {
            "metric_id": target.id if target is not None and target.kind is Metric else None,
            "key_result_id": (
                target.id if target is not None and target.kind is KeyResult else None
            ),
        },
        "Set what the item moves",
    )


def link_sme(project: Project, item_id: str, person_id: str, present: bool = True) -> Command:
    """Link a person to an item as a subject-matter expert (or unlink them).  A link made
    elsewhere (the demo, an older file, another device) is the one brought back or removed;
    a new link's id follows from the item and the person, so two devices linking the same
    SME offline make one row."""
    with project.read() as tx:
        rows = [
            r
            for r in tx.list(ItemSme, where={"item_id": item_id}, include_deleted=True)
            if r.person_id == person_id
        ]
    if not rows:
        rows = [
            ItemSme(id=link_id(ItemSme, item_id, person_id), item_id=item_id, person_id=person_id)
        ]
    text = "Link SME" if present else "Unlink SME"
    if present or len(rows) == 1:
        return SetPresence(rows[0], present, text=text)
    return Composite([SetPresence(r, False) for r in rows], text=text)  # duplicates merged in


def edit_scoring(project: Project, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    """Change the workspace's scoring: method, scales, weights or rubrics."""
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "scoring"
    return edit(Workspace, workspace(project).id, changes, f"Edit {label}", coalesce=typing)


def adopt_order(
    project: Project,
    order: Sequence[tuple[str, str]],
    method: ScoringMethod = ScoringMethod.RANK,
    moved: Collection[str] = (),
) -> Command:
    """Make ``order`` — the order a score gives, perhaps with some items moved by hand —
    the manual rank, and rank the backlog by ``method`` (by hand) from now on: one undo
    step."""
    parts: list[Command] = []
    ranks = reorder(order, moved, text="Rank by hand")
    if ranks is not None:
        parts.append(ranks)
    parts.append(edit(Workspace, workspace(project).id, {"scoring_method": method}, "Rank"))
    return Composite(parts, text="Rank by hand from the scored order")


def initiative_of(project: Project, item_id: str) -> Initiative | None:
    item = get_item(project, item_id)
    if item is None:
        return None
    with project.read() as tx:
        return tx.get(Initiative, item.initiative_id)
