"""The engagement plan: the interaction log with its follow-ups, and the plan as a page to
forward.

Logging an interaction (:func:`log_interaction`) needs a date.  When the stakeholder has a
cadence LDPM can read ("Fortnightly 1:1", "every 3 weeks") and no later contact is planned,
the next contact moves to one cadence after the interaction, in the same undo step.

:func:`plan_html` writes the plan — who, where on the grid, the strategy, channel, cadence,
owner, next contact and the latest interactions — as a self-contained HTML page.  Private
notes (a stake's, and a person's unless marked shared) are left out unless
``include_private`` says otherwise: the user asks for them explicitly.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from ldpm.atomic import atomic_write
from ldpm.domain.entities import Initiative, Interaction, Stakeholder
from ldpm.domain.stakeholders import engagement_gap, is_overdue, next_contact_after, quadrant
from ldpm.domain.validation import ValidationError
from ldpm.persistence.store import Tx
from ldpm.services.commands import AddEntity, Command, Composite, DeleteEntity, edit
from ldpm.services.project import Project
from ldpm.services.stakeholders import Guarded, Refused, stake_rows

#: How many of a stakeholder's latest interactions the plan page lists.
PLAN_INTERACTIONS = 3
_NO_DATE = "An interaction needs a date: when did it happen?"


def interactions(project: Project, stake_id: str) -> list[Interaction]:
    """A stakeholder's interaction log, newest first."""
    with project.read() as tx:
        found = tx.list(Interaction, where={"stakeholder_id": stake_id})
    return sorted(found, key=lambda i: i.on, reverse=True)


def log_interaction(
    project: Project,
    stake_id: str,
    on: date | None,
    *,
    channel: str = "",
    summary: str = "",
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> Command:
    """Add an entry to the log (see the module docstring); a :class:`Refused` command
    without a date."""
    if on is None:
        return Refused(_NO_DATE, "on")
    entry = Interaction(
        stakeholder_id=stake_id,
        on=on,
        channel=channel,
        summary=summary,
        follow_up=follow_up,
        follow_up_due=follow_up_due,
    )
    parts: list[Command] = [AddEntity(entry)]
    with project.read() as tx:
        stake = tx.get(Stakeholder, stake_id)
    if stake is not None:
        following = next_contact_after(on, stake.cadence)
        if following is not None and (stake.next_contact is None or stake.next_contact <= on):
            parts.append(
                edit(Stakeholder, stake_id, {"next_contact": following}, "Log interaction")
            )
    return Composite(parts, text="Log interaction")


def edit_interaction(
    interaction_id: str, changes: dict[str, Any], *, typing: bool = False
) -> Command:
    """Change an entry of the log; its date can be changed but not removed."""
    command = edit(Interaction, interaction_id, changes, "Edit interaction", coalesce=typing)
    if "on" in changes and changes["on"] is None:

        def check(_tx: Tx) -> None:
            raise ValidationError("on", _NO_DATE)

        return Guarded(command, check)
    return command


def delete_interaction(interaction_id: str) -> DeleteEntity:
    return DeleteEntity(Interaction, interaction_id, text="Delete interaction")


def open_follow_ups(items: list[Interaction], today: date) -> list[Interaction]:
    """Follow-ups not done yet whose due date has passed."""
    return [
        i
        for i in items
        if i.follow_up.strip()
        and not i.follow_up_done
        and i.follow_up_due is not None
        and i.follow_up_due < today
    ]


# ------------------------------------------------------------------------------- the page


def _label(member: Enum) -> str:
    return str(member.value).replace("_", " ").capitalize()


def _date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value is not None else ""


def plan_html(
    project: Project,
    initiative_id: str,
    *,
    include_private: bool = False,
    today: date | None = None,
    label: Callable[[Enum], str] = _label,
) -> str:
    """The engagement plan of an initiative as an HTML page (see the module docstring).
    ``label`` names enum values (the UI passes its translated labels)."""
    today = today or date.today()
    with project.read() as tx:
        initiative = tx.get(Initiative, initiative_id)
        stake_ids = {s.id for s in tx.list(Stakeholder, where={"initiative_id": initiative_id})}
        log: dict[str, list[Interaction]] = defaultdict(list)
        for entry in tx.list(Interaction):
            if entry.stakeholder_id in stake_ids:
                log[entry.stakeholder_id].append(entry)
    rows = stake_rows(project, initiative_id, today=today)
    title = initiative.name if initiative else ""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Engagement plan — {e(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "line-height:1.4;color:#1d2330}h2{margin-top:1.6em}dt{font-weight:600}"
        "dd{margin:0 0 .5em 0}.warn{color:#8a5100;font-weight:600}"
        ".private{border-left:4px solid #8a5100;padding-left:.6em}</style></head><body>",
        f"<h1>Engagement plan — {e(title)}</h1>",
        f"<p>{len(rows)} stakeholders, as of {e(_date(today))}."
        + ("" if include_private else " Private notes are not included.")
        + "</p>",
    ]
    for row in rows:
        s, p = row.stakeholder, row.person
        q = quadrant(s.power, s.interest)
        gap = engagement_gap(s.current_engagement, s.desired_engagement)
        who = ", ".join(x for x in (p.role, p.department) if x.strip())
        out.append(f"<h2>{e(row.name)}</h2>")
        if who:
            out.append(f"<p>{e(who)} · {e(label(s.kind))}</p>")
        facts = [
            ("Position", f"power {s.power}, interest {s.interest}: {label(q)}"),
            ("Support", label(s.support)),
            (
                "Engagement",
                label(s.current_engagement)
                + (f" → {label(s.desired_engagement)}" if gap else " (on target)"),
            ),
            ("Strategy", row.strategy),
            ("Channel", s.channel),
            ("Cadence", s.cadence),
            ("Owner", s.owner),
            ("Plan", s.engagement_plan),
        ]
        out.append("<dl>")
        for name, value in facts:
            if value.strip():
                out.append(f"<dt>{e(name)}</dt><dd>{e(value)}</dd>")
        if s.next_contact is not None:
            late = is_overdue(s.next_contact, today)
            mark = ' class="warn"' if late else ""
            note = " (overdue)" if late else ""
            out.append(f"<dt>Next contact</dt><dd{mark}>{e(_date(s.next_contact))}{note}</dd>")
        if row.drift is not None:
            out.append('<dt>Alert</dt><dd class="warn">Support or engagement dropped</dd>')
        out.append("</dl>")
        entries = sorted(log.get(s.id, []), key=lambda i: i.on, reverse=True)
        if entries:
            out.append("<h3>Latest interactions</h3><ul>")
            for entry in entries[:PLAN_INTERACTIONS]:
                text = " — ".join(x for x in (entry.channel, entry.summary) if x.strip())
                follow = ""
                if entry.follow_up.strip():
                    state = "done" if entry.follow_up_done else f"due {_date(entry.follow_up_due)}"
                    follow = f" Follow-up: {e(entry.follow_up)} ({e(state.strip())})."
                out.append(f"<li>{e(_date(entry.on))}: {e(text)}.{follow}</li>")
            out.append("</ul>")
        if include_private:
            notes = [n for n in (p.notes if p.notes_private else "", s.private_notes) if n.strip()]
            if notes:
                out.append('<div class="private"><h3>Private notes</h3>')
                out.extend(f"<p>{e(n)}</p>" for n in notes)
                out.append("</div>")
        if not p.notes_private and p.notes.strip():
            out.append(f"<h3>Notes</h3><p>{e(p.notes)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def export_plan(
    project: Project,
    initiative_id: str,
    path: Path,
    *,
    include_private: bool = False,
    label: Callable[[Enum], str] = _label,
) -> None:
    """Write :func:`plan_html` to ``path``, atomically.  Raises OSError."""
    page = plan_html(project, initiative_id, include_private=include_private, label=label)
    atomic_write(Path(path), page.encode("utf-8"))
