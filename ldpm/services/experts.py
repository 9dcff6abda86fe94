"""NEED ↔ HAVE: who knows what a backlog item (or a stated need) needs, linking them as its
subject-matter experts, and how much each SME already carries.

:func:`suggest` ranks the workspace's people for a need with
:func:`ldpm.domain.expertise.match_experts` (expertise tags, expertise text, role and
department; names never count) and says for each what they already carry
(:func:`sme_loads`: open backlog items — not done or dropped — of initiatives that are not
archived) and whether that is too much.  :func:`link_smes` links several people to an item in
one undo step.  :class:`FindExperts` is a navigation target: another view (the backlog) can
send the user here for one item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ldpm.domain.entities import BacklogItem, Initiative, ItemSme, Person
from ldpm.domain.enums import ItemStatus
from ldpm.domain.expertise import (
    Candidate,
    SmeLoad,
    match_experts,
    overloaded,
    parse_tags,
)
from ldpm.domain.stakeholder_filter import distinct_names
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity
from ldpm.services.project import Project

_CLOSED = frozenset({ItemStatus.DONE, ItemStatus.DROPPED})


@dataclass(frozen=True)
class FindExperts:
    """Navigation target: suggest experts for a backlog item."""

    item_id: str


@dataclass(frozen=True, slots=True)
class ExpertRow:
    """A person suggested for a need (or listed by load): why, and what they carry."""

    person: Person
    name: str
    score: float = 0.0
    matched: tuple[str, ...] = ()
    load: SmeLoad = field(default_factory=SmeLoad)
    #: Already an SME of the item the need comes from.
    linked: bool = False

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def overloaded(self) -> bool:
        return overloaded(self.load)


def sme_loads(project: Project) -> dict[str, SmeLoad]:
    """Person id → the open items (and their initiatives) they are the SME of."""
    with project.read() as tx:
        live = {i.id for i in tx.list(Initiative) if not i.archived}
        items = {
            i.id: i.initiative_id
            for i in tx.list(BacklogItem)
            if i.status not in _CLOSED and i.initiative_id in live
        }
        links = tx.list(ItemSme)
    carried: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.item_id in items:
            carried[link.person_id].add(link.item_id)
    return {
        person: SmeLoad(len(ids), len({items[i] for i in ids})) for person, ids in carried.items()
    }


def items_of(project: Project, initiative_id: str) -> list[BacklogItem]:
    """The initiative's backlog items that still need doing (for choosing a need), in order."""
    with project.read() as tx:
        items = tx.list(BacklogItem, where={"initiative_id": initiative_id})
    return [i for i in items if i.status not in _CLOSED]


def item_need(project: Project, item_id: str) -> str:
    """What a backlog item needs, in words: its title and description."""
    with project.read() as tx:
        item = tx.get(BacklogItem, item_id)
    if item is None:
        return ""
    return f"{item.title}\n{item.description}".strip()


def smes_of(project: Project, item_id: str) -> list[str]:
    """Ids of the people linked to an item as its SMEs."""
    with project.read() as tx:
        return [link.person_id for link in tx.list(ItemSme, where={"item_id": item_id})]


def suggest(project: Project, need: str, *, item_id: str | None = None) -> list[ExpertRow]:
    """People whose expertise matches ``need``, best first (see the module docstring)."""
    with project.read() as tx:
        people = tx.list(Person)
    loads = sme_loads(project)
    linked = set(smes_of(project, item_id)) if item_id else set()
    names = distinct_names(people)
    by_id = {p.id: p for p in people}
    candidates = [
        Candidate(
            id=p.id,
            name=names[p.id],
            role=p.role,
            department=p.department,
            expertise=p.expertise,
            tags=tuple(parse_tags(p.expertise_tags)),
            load=loads.get(p.id, SmeLoad()),
        )
        for p in people
    ]
    return [
        ExpertRow(
            by_id[m.id],
            m.candidate.name,
            m.score,
            m.matched,
            m.candidate.load,
            m.id in linked,
        )
        for m in match_experts(need, candidates)
    ]


def load_rows(project: Project) -> list[ExpertRow]:
    """Everyone who carries SME work, the most loaded first."""
    with project.read() as tx:
        people = tx.list(Person)
    loads = sme_loads(project)
    names = distinct_names(people)
    rows = [ExpertRow(p, names[p.id], load=loads[p.id]) for p in people if p.id in loads]
    rows.sort(key=lambda r: (-r.load.items, -r.load.initiatives, r.name.casefold()))
    return rows


def link_smes(
    project: Project, item_id: str, person_ids: Sequence[str], *, title: str = ""
) -> Command | None:
    """Link people to a backlog item as its SMEs, in one undo step; people already linked
    are left as they are.  None if there is nobody new."""
    present = set(smes_of(project, item_id))
    new = [p for p in dict.fromkeys(person_ids) if p not in present]
    if not new:
        return None
    parts = [AddEntity(ItemSme(item_id=item_id, person_id=p)) for p in new]
    what = f" to “{title}”" if title else ""
    text = f"Link {len(new)} SMEs{what}" if len(new) > 1 else f"Link SME{what}"
    return Composite(parts, text=text)


def unlink_sme(project: Project, item_id: str, person_id: str) -> Command | None:
    """Remove a person from an item's SMEs (None if they are not one)."""
    with project.read() as tx:
        links = tx.list(ItemSme, where={"item_id": item_id, "person_id": person_id})
    if not links:
        return None
    return Composite([DeleteEntity(ItemSme, link.id) for link in links], text="Unlink SME")
