"""The stakeholder map's flags in the portfolio: key players drifting, contacts overdue.

Two providers for :data:`ldpm.services.portfolio.PROVIDERS`, each looking at every initiative
at once (one read of the stakes, one of the assessments).  ``today`` defaults to the date of
this computer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ldpm.domain.drift import Reading, drift
from ldpm.domain.entities import Assessment, Initiative, Person, Stakeholder
from ldpm.domain.stakeholders import is_overdue
from ldpm.services.project import Project

if TYPE_CHECKING:
    from ldpm.services.portfolio import Flag

AREA = "stakeholders"


def _stakes(project: Project, initiatives: Sequence[Initiative]) -> list[Stakeholder]:
    wanted = {i.id for i in initiatives}
    with project.read() as tx:
        return [s for s in tx.list(Stakeholder) if s.initiative_id in wanted]


def drift_flags(
    project: Project, initiatives: Sequence[Initiative], *, today: date | None = None
) -> list[Flag]:
    """ "Drift: Helen Marsh" (or "3 key players drifting") for each initiative with key players
    whose support or engagement dropped (see :mod:`ldpm.domain.drift`)."""
    from ldpm.services.portfolio import Flag  # portfolio lists this provider

    del today  # drift does not depend on the date
    stakes = _stakes(project, initiatives)
    if not stakes:
        return []
    ids = {s.id for s in stakes}
    history: dict[str, list[Assessment]] = defaultdict(list)
    with project.read() as tx:
        for a in tx.list(Assessment):
            if a.stakeholder_id in ids:
                history[a.stakeholder_id].append(a)
        names = {p.id: p.name for p in tx.list(Person)}
    drifting: dict[str, list[str]] = defaultdict(list)
    for s in stakes:
        if s.id in history and drift(Reading.of(s), history[s.id]) is not None:
            drifting[s.initiative_id].append(names.get(s.person_id, ""))
    flags = []
    for initiative_id, who in drifting.items():
        text = f"Drift: {who[0]}" if len(who) == 1 else f"{len(who)} key players drifting"
        flags.append(Flag(initiative_id, text, "warning", AREA))
    return flags


def overdue_flags(
    project: Project, initiatives: Sequence[Initiative], *, today: date | None = None
) -> list[Flag]:
    """ "2 contacts overdue" for each initiative with stakeholders whose next contact has
    passed."""
    from ldpm.services.portfolio import Flag  # portfolio lists this provider

    today = today or date.today()
    late: dict[str, int] = defaultdict(int)
    for s in _stakes(project, initiatives):
        if is_overdue(s.next_contact, today):
            late[s.initiative_id] += 1
    return [
        Flag(i, f"{n} contact{'s' if n != 1 else ''} overdue", "warning", AREA)
        for i, n in late.items()
    ]
