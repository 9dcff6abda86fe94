"""Dated re-assessments of an initiative's stakeholders: recording one for everyone, where
everyone stood on a date, and comparing two dates.

"Record assessment" (:func:`record_assessment`) snapshots every stakeholder's current position
(power, interest, support, current engagement) with one date and one label.  Recording again
on the same date updates that day's snapshot instead of adding a second one.  A date in the
future is refused: an assessment says where people stood, not where they will.

Where everyone stood on a date (:func:`positions`) follows :mod:`ldpm.domain.drift`: each
stakeholder's latest assessment on or before it; ``None`` for a date means *now* (the current
positions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from ldpm.domain.drift import Movement, Reading, Snapshot, compare, reading_on, snapshots
from ldpm.domain.entities import Assessment, Person, Stakeholder
from ldpm.domain.enums import Engagement, Support
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, EditFields, edit
from ldpm.services.project import Project
from ldpm.services.stakeholders import Guarded, Refused


def _today(today: date | None) -> date:
    return today or date.today()


def check_date(on: date | None, today: date | None = None) -> None:
    """Refuse an assessment without a date or dated after today."""
    if on is None:
        raise ValidationError("on", "An assessment needs a date.")
    if on > _today(today):
        raise ValidationError(
            "on",
            "An assessment says where people stood, so it cannot be dated in the future: "
            "choose today or an earlier date.",
        )


def _of_initiative(tx: Tx, initiative_id: str) -> tuple[list[Stakeholder], list[Assessment]]:
    stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
    ids = {s.id for s in stakes}
    return stakes, [a for a in tx.list(Assessment) if a.stakeholder_id in ids]


def list_snapshots(project: Project, initiative_id: str) -> list[Snapshot]:
    """The dates the initiative's stakeholders were assessed on, newest first."""
    with project.read() as tx:
        _stakes, assessments = _of_initiative(tx, initiative_id)
    return snapshots(assessments)


def assessments_of(project: Project, stake_id: str) -> list[Assessment]:
    """One stakeholder's assessments, newest first."""
    with project.read() as tx:
        found = tx.list(Assessment, where={"stakeholder_id": stake_id})
    return sorted(found, key=lambda a: a.on, reverse=True)


def positions(project: Project, initiative_id: str, when: date | None) -> dict[str, Reading]:
    """Stake id → where they stood on ``when`` (None: now).  Stakeholders not assessed by
    then are left out."""
    [found] = positions_on(project, initiative_id, [when])
    return found


#: What a reading needs of an assessment, in :class:`Reading`'s order after the stake.
#: Above this many people, reading every assessment beats binding each id in the query.
_IN_AT_MOST = 5_000
_READING_FIELDS = ("stakeholder_id", "on", "power", "interest", "support", "engagement", "label")


def positions_on(
    project: Project, initiative_id: str, whens: Sequence[date | None]
) -> list[dict[str, Reading]]:
    """:func:`positions` on each of ``whens``, read in one go (a comparison reads two)."""
    with project.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
        ids = {s.id for s in stakes}
        # The assessments of this initiative's people only, as plain values (not those of
        # every initiative in the file); a very large initiative reads them all and sorts.
        only = {"stakeholder_id": ids} if len(ids) <= _IN_AT_MOST else None
        rows = tx.columns(Assessment, _READING_FIELDS, where=only, order_by=("id",))
    history: dict[str, list[Reading]] = defaultdict(list)
    for stake_id, day, power, interest, support, engagement, label in rows:
        if stake_id in ids:
            history[stake_id].append(
                Reading(
                    power,
                    interest,
                    Support(support),
                    Engagement(engagement),
                    date.fromisoformat(day),
                    label or "",
                )
            )
    out: list[dict[str, Reading]] = []
    for when in whens:
        if when is None:
            out.append({s.id: Reading.of(s) for s in stakes})
            continue
        on: dict[str, Reading] = {}
        for s in stakes:
            found = reading_on(history.get(s.id, ()), when)
            if found is not None:
                on[s.id] = found
        out.append(on)
    return out


def movements(
    project: Project, initiative_id: str, before: date | None, after: date | None
) -> dict[str, Movement]:
    """Who moved between two dates (None: now)."""
    return compare(*positions_on(project, initiative_id, [before, after]))


def record_assessment(
    project: Project, initiative_id: str, on: date | None, label: str, *, today: date | None = None
) -> Command:
    """Snapshot every stakeholder of the initiative on ``on`` with ``label``, in one undo
    step.  A missing or future date, or an initiative without stakeholders, gives a
    :class:`Refused` command that says why."""
    try:
        check_date(on, today)
    except ValidationError as err:
        return Refused(err.message, "on")
    assert on is not None
    label = " ".join(label.split())
    with project.read() as tx:
        stakes, assessments = _of_initiative(tx, initiative_id)
    if not stakes:
        return Refused(
            "There is nobody to assess yet: add the initiative's stakeholders first.", "on"
        )
    that_day = {a.stakeholder_id: a for a in assessments if a.on == on}
    parts: list[Command] = []
    for s in stakes:
        values: dict[str, Any] = {
            "power": s.power,
            "interest": s.interest,
            "support": s.support,
            "engagement": s.current_engagement,
            "label": label,
        }
        existing = that_day.get(s.id)
        if existing is not None:
            parts.append(edit(Assessment, existing.id, values, "Record assessment"))
        else:
            parts.append(AddEntity(Assessment(stakeholder_id=s.id, on=on, **values)))
    what = f" “{label}”" if label else ""
    return Composite(parts, text=f"Record assessment{what}")


def edit_assessment(
    assessment_id: str, changes: dict[str, Any], *, today: date | None = None
) -> Command:
    """Change a recorded assessment (its date may not move into the future)."""
    command: EditFields = edit(Assessment, assessment_id, changes, "Edit assessment")
    if "on" not in changes:
        return command

    def check(_tx: Tx) -> None:
        check_date(changes["on"], today)

    return Guarded(command, check)


def relabel_snapshot(project: Project, initiative_id: str, on: date, label: str) -> Command:
    """Give every assessment of one date the label ``label``."""
    with project.read() as tx:
        _stakes, assessments = _of_initiative(tx, initiative_id)
    parts: list[Command] = [
        edit(Assessment, a.id, {"label": label}, "Rename assessment")
        for a in assessments
        if a.on == on
    ]
    return Composite(parts, text="Rename assessment")


def delete_snapshot(project: Project, initiative_id: str, on: date) -> Command:
    """Delete every assessment of one date (undo brings them back)."""
    with project.read() as tx:
        _stakes, assessments = _of_initiative(tx, initiative_id)
    parts: list[Command] = [DeleteEntity(Assessment, a.id) for a in assessments if a.on == on]
    return Composite(parts, text="Delete assessment")


def names_of(project: Project, initiative_id: str) -> dict[str, str]:
    """Stake id → the person's name (for command texts)."""
    with project.read() as tx:
        people = {p.id: p.name for p in tx.list(Person)}
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
    return {s.id: people.get(s.person_id, "") for s in stakes}
