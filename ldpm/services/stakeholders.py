"""Stakeholders and people: the register of an initiative, the workspace's people, and every
edit of them as an undoable command.

A *person* is one record in the workspace (name, role, department, expertise, notes); their
*stake* in an initiative (:class:`~ldpm.domain.entities.Stakeholder`: kind, power, interest,
support, engagement, the engagement plan) is one row per initiative.  Reads return rows that
carry both, with what is worked out from them (the name that tells namesakes apart, the
suggested strategy, a drift alert, an overdue contact).  Writes are command factories, as in
:mod:`ldpm.services.initiatives`; a refusal that needs the data (a person who already has a
stake here) is checked inside the command's unit of work (:class:`Guarded`), so the operation
runner reports it like any other refused value.

Dated re-assessments are in :mod:`ldpm.services.assessments`, the interaction log in
:mod:`ldpm.services.engagement`, NEED ↔ HAVE in :mod:`ldpm.services.experts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ldpm.domain.drift import Drift, Reading, drift
from ldpm.domain.entities import (
    Assessment,
    BacklogItem,
    Initiative,
    Interaction,
    ItemSme,
    Person,
    Stakeholder,
)
from ldpm.domain.enums import StakeholderKind
from ldpm.domain.expertise import SmeLoad, format_tags, parse_tags
from ldpm.domain.stakeholder_filter import distinct_names
from ldpm.domain.stakeholders import Strategy, engagement_strategy, is_overdue
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.experts import sme_loads
from ldpm.services.initiatives import field_title
from ldpm.services.project import Project

#: Fields of a person (the rest of a register row's fields are the stake's).
PERSON_FIELDS = frozenset(
    {
        "name",
        "role",
        "department",
        "email",
        "expertise",
        "expertise_tags",
        "notes",
        "notes_private",
    }
)


@dataclass(eq=False)
class Guarded(Command):
    """``command``, after ``check(tx)`` has let it run (it raises
    :class:`~ldpm.domain.validation.ValidationError` with a sentence otherwise) — checked in
    the same unit of work, each time it is applied."""

    command: Command
    check: Callable[[Tx], None]

    def __post_init__(self) -> None:
        self.text = self.command.text

    def apply(self, tx: Tx) -> ChangeRecord:
        self.check(tx)
        return self.command.apply(tx)

    def revert(self, tx: Tx) -> ChangeRecord:
        return self.command.revert(tx)


@dataclass(eq=False)
class Refused(Command):
    """A command that was refused while it was being made (a missing date, nobody to
    assess): applying it raises :class:`~ldpm.domain.validation.ValidationError` with the
    sentence, so the operation runner reports it where the user asked, and nothing is
    written."""

    sentence: str
    field: str = ""

    def apply(self, tx: Tx) -> ChangeRecord:
        raise ValidationError(self.field, self.sentence)

    def revert(self, tx: Tx) -> ChangeRecord:  # never applied, so never reverted
        raise ValidationError(self.field, self.sentence)


@dataclass(eq=False)
class WithBelonging(Command):
    """``command`` (a delete), whose change record also names the rows the store deletes or
    brings back with it (the rows that belong to the deleted one), so that views watching
    those kinds refresh."""

    command: Command
    belonging: ChangeRecord

    def __post_init__(self) -> None:
        self.text = self.command.text

    def apply(self, tx: Tx) -> ChangeRecord:
        return self.command.apply(tx) | self.belonging

    def revert(self, tx: Tx) -> ChangeRecord:
        return self.command.revert(tx) | self.belonging


# ------------------------------------------------------------------------------- reads


@dataclass(frozen=True, slots=True)
class StakeRow:
    """One row of an initiative's register: the stake, the person, and what follows."""

    stakeholder: Stakeholder
    person: Person
    #: The person's name, with role and department when someone else has the same name.
    name: str
    suggested: Strategy
    drift: Drift | None = None
    overdue: bool = False
    #: Open backlog items this person is the SME of, in the whole workspace.
    load: SmeLoad = field(default_factory=SmeLoad)

    @property
    def id(self) -> str:
        return self.stakeholder.id

    @property
    def strategy(self) -> str:
        """The strategy to follow: the user's own, or the suggestion."""
        own = self.stakeholder.strategy.strip()
        return own or f"{self.suggested.headline}: {self.suggested.action}"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person of the workspace, with how many initiatives they have a stake in and what
    they carry as an SME."""

    person: Person
    name: str
    initiatives: int = 0
    load: SmeLoad = field(default_factory=SmeLoad)

    @property
    def id(self) -> str:
        return self.person.id


def _by_stake(assessments: Iterable[Assessment]) -> dict[str, list[Assessment]]:
    out: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        out[a.stakeholder_id].append(a)
    return out


def stake_rows(
    project: Project, initiative_id: str, *, today: date | None = None
) -> list[StakeRow]:
    """The register of an initiative, by name."""
    today = today or date.today()
    with project.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
        people = tx.list(Person)
        wanted = {s.id for s in stakes}
        history = _by_stake(a for a in tx.list(Assessment) if a.stakeholder_id in wanted)
    loads = sme_loads(project)
    by_id = {p.id: p for p in people}
    names = distinct_names(people)
    rows = []
    for s in stakes:
        person = by_id.get(s.person_id)
        if person is None:  # the person was deleted on another computer: the stake goes too
            continue
        rows.append(
            StakeRow(
                stakeholder=s,
                person=person,
                name=names[person.id],
                suggested=engagement_strategy(s),
                drift=drift(Reading.of(s), history.get(s.id, ())),
                overdue=is_overdue(s.next_contact, today),
                load=loads.get(person.id, SmeLoad()),
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.id))
    return rows


def person_rows(project: Project) -> list[PersonRow]:
    """Everyone in the workspace, by name."""
    with project.read() as tx:
        people = tx.list(Person)
        live = {i.id for i in tx.list(Initiative)}
        stakes = [s for s in tx.list(Stakeholder) if s.initiative_id in live]
    loads = sme_loads(project)
    counts: dict[str, set[str]] = defaultdict(set)
    for s in stakes:
        counts[s.person_id].add(s.initiative_id)
    names = distinct_names(people)
    rows = [
        PersonRow(p, names[p.id], len(counts.get(p.id, ())), loads.get(p.id, SmeLoad()))
        for p in people
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.id))
    return rows


def get_person(project: Project, person_id: str) -> Person | None:
    with project.read() as tx:
        return tx.get(Person, person_id)


def get_stake(project: Project, stake_id: str) -> Stakeholder | None:
    with project.read() as tx:
        return tx.get(Stakeholder, stake_id)


def departments(project: Project) -> list[str]:
    """Every department named in the workspace, sorted, without duplicates (ignoring case)."""
    seen: dict[str, str] = {}
    with project.read() as tx:
        for person in tx.list(Person):
            name = person.department.strip()
            if name:
                seen.setdefault(name.casefold(), name)
    return sorted(seen.values(), key=str.casefold)


def people_without_stake(project: Project, initiative_id: str) -> list[tuple[str, str]]:
    """(id, name to show) of the people who have no stake in the initiative yet, by name."""
    with project.read() as tx:
        people = tx.list(Person)
        taken = {s.person_id for s in tx.list(Stakeholder, where={"initiative_id": initiative_id})}
    names = distinct_names(people)
    free = [(p.id, names[p.id]) for p in people if p.id not in taken]
    return sorted(free, key=lambda pair: pair[1].casefold())


# ------------------------------------------------------------------------------ writes


def _title(changes: dict[str, Any]) -> str:
    if len(changes) == 1:
        return f"Change to {field_title(next(iter(changes)))}"
    return "Edit Stakeholder"


def edit_person(person_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    """Change fields of a person (in every initiative they have a stake in)."""
    return edit(Person, person_id, changes, _title(changes), coalesce=typing)


def edit_stake(stake_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    """Change fields of a stake (power, interest, support, the engagement plan …)."""
    return edit(Stakeholder, stake_id, changes, _title(changes), coalesce=typing)


def edit_row(row: StakeRow, field_name: str, value: Any) -> EditFields:
    """Set one field of a register row: the person's or the stake's, as the field says.
    Expertise tags are stored tidied up ("a,b ,a" → "a, b")."""
    if field_name == "expertise_tags":
        value = format_tags(parse_tags(str(value)))
    if field_name in PERSON_FIELDS:
        return edit_person(row.person.id, {field_name: value})
    return edit_stake(row.id, {field_name: value})


def add_person(name: str, **fields: Any) -> AddEntity:
    """A new person in the workspace (no stake yet)."""
    return AddEntity(Person(name=name, **fields), text=f"Add person “{name}”")


def new_stakeholder(
    initiative_id: str, name: str, *, kind: StakeholderKind = StakeholderKind.OTHER, **person: Any
) -> Composite:
    """A new person with a stake in the initiative, in one undo step."""
    who = Person(name=name, **person)
    stake = Stakeholder(initiative_id=initiative_id, person_id=who.id, kind=kind)
    return Composite([AddEntity(who), AddEntity(stake)], text=f"Add stakeholder “{name}”")


def add_stake(
    initiative_id: str, person_id: str, *, kind: StakeholderKind = StakeholderKind.OTHER
) -> Guarded:
    """Give someone already in the workspace a stake in the initiative.  Refused if they
    have one."""
    stake = Stakeholder(initiative_id=initiative_id, person_id=person_id, kind=kind)

    def check(tx: Tx) -> None:
        person = tx.get(Person, person_id)
        if person is None:
            raise ValidationError("person_id", "That person is no longer in the workspace.")
        others = tx.list(Stakeholder, where={"initiative_id": initiative_id})
        if any(s.person_id == person_id and s.id != stake.id for s in others):
            raise ValidationError(
                "person_id", f"{person.name} is already a stakeholder of this initiative."
            )

    return Guarded(AddEntity(stake, text="Add stakeholder"), check)


def remove_stake(stake_id: str, name: str = "") -> DeleteEntity:
    """Take a person off the initiative's register (they stay in the workspace).  Their
    assessments and interaction log stay with the stake, so undo brings everything back."""
    who = f" “{name}”" if name else ""
    return DeleteEntity(Stakeholder, stake_id, text=f"Remove stakeholder{who}")


@dataclass(frozen=True)
class PersonLinks:
    """What deleting a person also removes: their stakes (initiative names) and their SME
    links (backlog item titles)."""

    name: str
    stakes: tuple[str, ...] = ()
    sme_items: tuple[str, ...] = ()


def person_links(project: Project, person_id: str) -> PersonLinks:
    with project.read() as tx:
        person = tx.get(Person, person_id)
        initiatives = {i.id: i.name for i in tx.list(Initiative)}
        stakes = [
            initiatives[s.initiative_id]
            for s in tx.list(Stakeholder, where={"person_id": person_id})
            if s.initiative_id in initiatives
        ]
        items = {i.id: i.title for i in tx.list(BacklogItem)}
        links = [
            items[link.item_id]
            for link in tx.list(ItemSme, where={"person_id": person_id})
            if link.item_id in items
        ]
    return PersonLinks(person.name if person else "", tuple(sorted(stakes)), tuple(links))


def delete_person(project: Project, person_id: str) -> Command:
    """Delete a person with their stakes (and the stakes' assessments and interactions) and SME
    links, in one undo step (see :func:`person_links` for what goes).

    It is one delete: the store tombstones the rows that belong to the person with it, as one
    group, so an edit of any of them on another computer that beats the delete brings the
    person back whole, links and all (:mod:`ldpm.persistence.store`)."""
    with project.read() as tx:
        person = tx.get(Person, person_id)
        links = [link.id for link in tx.list(ItemSme, where={"person_id": person_id})]
        stakes = [s.id for s in tx.list(Stakeholder, where={"person_id": person_id})]
    name = person.name if person else ""
    belonging = (
        ChangeRecord.structural(ItemSme, *links)
        | ChangeRecord.structural(Stakeholder, *stakes)
        | ChangeRecord.structural(Assessment)
        | ChangeRecord.structural(Interaction)
    )
    return WithBelonging(DeleteEntity(Person, person_id, text=f"Delete “{name}”"), belonging)


def move_on_grid(
    moves: Sequence[tuple[str, int, int]], names: dict[str, str] | None = None
) -> Command | None:
    """Set power and interest of stakes (``(stake id, power, interest)``): one undo step for
    a drag of one card or several."""
    if not moves:
        return None
    names = names or {}
    parts = [
        edit_stake(stake_id, {"power": power, "interest": interest})
        for stake_id, power, interest in moves
    ]
    if len(parts) == 1:
        stake_id, power, interest = moves[0]
        who = names.get(stake_id, "stakeholder")
        text = f"Move {who} to power {power}, interest {interest}"
    else:
        text = f"Move {len(parts)} stakeholders"
    return Composite(parts, text=text)


def set_for_all(stake_ids: Sequence[str], field_name: str, value: Any) -> Command | None:
    """Set one stake field of several stakeholders: one undo step (bulk edit)."""
    if not stake_ids:
        return None
    parts: list[Command] = [edit_stake(i, {field_name: value}) for i in stake_ids]
    title = field_title(field_name)
    text = f"Set {title} of {len(parts)} Stakeholders" if len(parts) > 1 else f"Set {title}"
    return Composite(parts, text=text)
