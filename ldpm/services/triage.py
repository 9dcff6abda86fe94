"""Requests and triage: capture a request in seconds, record why people aren't doing it,
route what learning cannot fix, and decide — approve, waitlist, decline or close as routed.

The rules live in :mod:`ldpm.domain.triage`; here they are applied inside the command (so a
decision the rules refuse is reported by the operation runner with one sentence and nothing
is written, whichever widget asked).  Also the portfolio's triage flags and counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    InitiativeCause,
    Person,
    Stakeholder,
)
from ldpm.domain.enums import Cause, ItemStatus, Sourcing, Stage, StakeholderKind, TriageStatus
from ldpm.domain.problem import check_problem_statement
from ldpm.domain.ranking import rank_between
from ldpm.domain.sourcing import SourcingSplit
from ldpm.domain.triage import Exemplar, find_exemplars, refusal
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.bulk import SetPresence, link_id
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import AddEntity, Command, Composite, EditFields, edit
from ldpm.services.project import Project

if TYPE_CHECKING:  # ldpm.services.portfolio lists these providers: imported when called
    from ldpm.services.portfolio import Flag

#: Longest name made from a request's words.
_NAME_CHARS = 80

# ----------------------------------------------------------------------------- reads


def list_causes(project: Project, initiative_id: str) -> list[InitiativeCause]:
    """The causes checked for an initiative, in the order of :class:`Cause`."""
    with project.read() as tx:
        rows = tx.list(InitiativeCause, where={"initiative_id": initiative_id}, order_by=("id",))
    order = {c: i for i, c in enumerate(Cause)}
    return sorted(rows, key=lambda c: order[c.cause])


def triage_counts(initiatives: Sequence[Initiative]) -> dict[TriageStatus, int]:
    """How many of ``initiatives`` stand at each triage status (every status present)."""
    counts = Counter(i.triage for i in initiatives)
    return {status: counts.get(status, 0) for status in TriageStatus}


# ----------------------------------------------------------------------------- capture


def name_for_request(words: str, solution: str) -> str:
    """A name for a captured request: the solution asked for, else the first sentence of
    the request, shortened to a line."""
    text = " ".join((solution or words).split())
    if not solution:
        ends = [text.index(stop) for stop in (". ", "? ", "! ") if stop in text]
        if ends:
            text = text[: min(ends) + 1]
    if len(text) > _NAME_CHARS:
        text = text[: _NAME_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text or "New request"


def capture_request(
    project: Project,
    requested_by: str,
    words: str,
    solution: str = "",
    *,
    on: date | None = None,
) -> AddEntity:
    """A request, as the requester put it, as a new initiative in Discover, not yet
    triaged, at the end of the portfolio."""
    with project.read() as tx:
        ranks = [i.rank for i in tx.list(Initiative)]
    initiative = Initiative(
        name=name_for_request(words, solution),
        request=words.strip(),
        requested_by=requested_by.strip(),
        requested_solution=solution.strip(),
        requested_on=on or date.today(),
        stage=Stage.DISCOVER,
        triage=TriageStatus.NEW,
        rank=rank_between(max(ranks) if ranks else None, None),
    )
    return AddEntity(initiative, text="Capture request")


# ------------------------------------------------------------------------------ triage


@dataclass(eq=False)
class SetTriage(Command):
    """Move an initiative to a triage status (with the reason for the requester, if given),
    if the rules allow it; the date of the decision is kept."""

    initiative_id: str
    status: TriageStatus
    reason: str | None = None
    on: date = field(default_factory=date.today)
    text: str = "Triage"
    _edit: EditFields | None = None

    def apply(self, tx: Tx) -> ChangeRecord:
        if self._edit is None:
            initiative = tx.get(Initiative, self.initiative_id)
            if initiative is None:
                raise KeyError(self.initiative_id)
            causes = tx.list(InitiativeCause, where={"initiative_id": self.initiative_id})
            problem = refusal(initiative, self.status, causes, reason=self.reason)
            if problem is not None:
                raise ValidationError("triage", problem)
            changes: dict[str, Any] = {"triage": self.status, "triaged_on": self.on}
            if self.reason is not None:
                changes["triage_reason"] = self.reason
            self._edit = edit(Initiative, self.initiative_id, changes, self.text)
        return self._edit.apply(tx)

    def revert(self, tx: Tx) -> ChangeRecord:
        assert self._edit is not None
        return self._edit.revert(tx)


def set_triage(
    initiative_id: str, status: TriageStatus, reason: str | None = None, *, on: date | None = None
) -> SetTriage:
    texts = {
        TriageStatus.NEW: "Mark as new",
        TriageStatus.IN_REVIEW: "Start the review",
        TriageStatus.WAITLISTED: "Waitlist",
        TriageStatus.APPROVED: "Approve",
        TriageStatus.DECLINED: "Decline",
        TriageStatus.ROUTED: "Close as routed",
    }
    return SetTriage(initiative_id, status, reason, on or date.today(), texts[status])


# ------------------------------------------------------------------------------ causes


def cause_row(initiative_id: str, cause: Cause) -> InitiativeCause:
    return InitiativeCause(
        id=link_id(InitiativeCause, initiative_id, cause.value),
        initiative_id=initiative_id,
        cause=cause,
    )


def set_cause(project: Project, initiative_id: str, cause: Cause, present: bool) -> SetPresence:
    """Check or uncheck a cause.  Unchecking keeps its routing (owner, note, date) in the
    tombstoned row, so checking it again brings them back."""
    row = cause_row(initiative_id, cause)
    with project.read() as tx:
        for existing in tx.list(
            InitiativeCause, where={"initiative_id": initiative_id}, include_deleted=True
        ):
            if existing.cause is cause:
                row = existing  # a row made elsewhere (the demo, an older file)
                break
    return SetPresence(row, present, text="Check a cause" if present else "Uncheck a cause")


def edit_cause(cause_id: str, changes: dict[str, Any], *, typing: bool = False) -> EditFields:
    return edit(InitiativeCause, cause_id, changes, "Edit routing", coalesce=typing)


# --------------------------------------------------------------------------- exemplars


def exemplars(project: Project, initiative_id: str) -> list[Exemplar]:
    """The people "who already do it well" names, known people first."""
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        people = [(p.id, p.name) for p in tx.list(Person)]
    if initiative is None:
        return []
    return find_exemplars(initiative.intake_exemplars, people)


def sme_person_ids(project: Project, initiative_id: str) -> set[str]:
    """The people who are subject-matter experts of the initiative already."""
    with project.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
    return {s.person_id for s in stakes if s.kind is StakeholderKind.SME}


def mark_smes(project: Project, initiative_id: str, chosen: Sequence[Exemplar]) -> Command | None:
    """Make the chosen exemplars subject-matter experts of the initiative, in one step: a
    person for each new name, a stakeholder of kind SME where they have no stake yet (an
    existing stake of kind "other" becomes SME), and "does it well" as their expertise when
    none is recorded."""
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        stakes = {
            s.person_id: s for s in tx.list(Stakeholder, where={"initiative_id": initiative_id})
        }
        people = {p.id: p for p in tx.list(Person)}
    if initiative is None or not chosen:
        return None
    note = f"Does it well: {initiative.name}"
    parts: list[Command] = []
    for exemplar in chosen:
        person_id = exemplar.person_id
        if person_id is None or person_id not in people:
            person = Person(name=exemplar.name, expertise=note)
            parts.append(AddEntity(person))
            person_id = person.id
        elif not people[person_id].expertise.strip():
            parts.append(edit(Person, person_id, {"expertise": note}, "Expertise"))
        stake = stakes.get(person_id)
        if stake is None:
            parts.append(
                AddEntity(
                    Stakeholder(
                        initiative_id=initiative_id, person_id=person_id, kind=StakeholderKind.SME
                    )
                )
            )
        elif stake.kind is StakeholderKind.OTHER:
            parts.append(edit(Stakeholder, stake.id, {"kind": StakeholderKind.SME}, "SME"))
    if not parts:
        return None
    count = len(chosen)
    return Composite(parts, text=f"Mark {count} {'person' if count == 1 else 'people'} as SMEs")


# ----------------------------------------------------------------------------- flags


_FLAG_TEXT = {
    TriageStatus.NEW: ("New request: not triaged", "warning"),
    TriageStatus.IN_REVIEW: ("Request in review", "info"),
    TriageStatus.WAITLISTED: ("Waitlisted", "info"),
    TriageStatus.DECLINED: ("Declined", "info"),
    TriageStatus.ROUTED: ("Routed: not training", "info"),
}


def triage_flags(project: Project, initiatives: Sequence[Initiative]) -> list[Flag]:
    """The portfolio's triage flags: requests still to triage (a warning), waitlisted,
    declined and routed ones, and approvals without a measurable problem statement."""
    from ldpm.services.portfolio import Flag

    del project  # everything needed is on the initiatives
    out = []
    for i in initiatives:
        if i.archived:
            continue
        text = _FLAG_TEXT.get(i.triage)
        if text is not None:
            out.append(Flag(i.id, text[0], text[1], "triage"))
        elif i.approval_override.strip() and not check_problem_statement(i).measurable:
            out.append(Flag(i.id, "Approved, not measurable", "warning", "triage"))
    return out


def sourcing_flags(project: Project, initiatives: Sequence[Initiative]) -> list[Flag]:
    """How much L&D builds versus enables, per approved initiative with learning items (one
    grouped query however many items there are)."""
    from ldpm.services.portfolio import Flag

    live = {i.id for i in initiatives if i.triage is TriageStatus.APPROVED and not i.archived}
    with project.read() as tx:
        counts = tx.count_by(BacklogItem, ("initiative_id", "sourcing", "status"))
    by_initiative: dict[str, dict[Sourcing, int]] = {}
    for (initiative_id, sourcing, status), count in counts.items():
        if initiative_id in live and status is not ItemStatus.DROPPED:
            split = by_initiative.setdefault(initiative_id, {})
            split[sourcing] = split.get(sourcing, 0) + count
    out = []
    for initiative_id, split in by_initiative.items():
        share = SourcingSplit(split).build_share()
        if share is not None:
            built = round(share * 100)
            out.append(
                Flag(
                    initiative_id, f"Builds {built}% · enables {100 - built}%", "info", "sourcing"
                )
            )
    return out
