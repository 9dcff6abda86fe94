"""What the stakeholder map says about a card and a move, in words: a card's tooltip, what a
screen reader hears about it, and the tooltip of a move's ghost.  The map asks for them only
when they are wanted (the pointer rests, a card becomes current), never for 300 cards at
once.  Nothing private is in them: notes are never part of a map's text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from ldpm.domain.drift import Movement, Reading
from ldpm.domain.stakeholders import quadrant
from ldpm.services.stakeholders import StakeRow
from ldpm.ui.labels import label
from ldpm.ui.widgets import format_date


def _tr(text: str) -> str:
    # The map view's context: these texts were the view's own.
    return QCoreApplication.translate("StakeholderMapView", text)


def when(day: date | None) -> str:
    """A date as the map writes it (None: now)."""
    return format_date(day) if day is not None else _tr("now")


def card_tooltip(row: StakeRow, reading: Reading) -> str:
    """Who the card is, where ``reading`` puts them, and what needs attention."""
    p, s = row.person, row.stakeholder
    q = quadrant(reading.power, reading.interest)
    about = ", ".join(x for x in (p.role, p.department) if x)
    lines = [
        f"{row.name} — {about}" if about else row.name,
        f"{label(s.kind)} · {label(q)}",
        _tr("Power {p}, interest {i} · Support: {s}").format(
            p=reading.power, i=reading.interest, s=label(reading.support)
        ),
        _tr("Engagement: {now} → wanted {goal}").format(
            now=label(reading.engagement), goal=label(s.desired_engagement)
        ),
    ]
    if row.drift is not None:
        lines.append(_tr("⚠ A key player whose support or engagement dropped"))
    if row.overdue:
        lines.append(_tr("◷ Next contact overdue"))
    return "\n".join(lines)


def card_description(row: StakeRow, reading: Reading) -> str:
    """The card in one sentence, for a screen reader."""
    return _tr("{name}: power {p}, interest {i}, {support}, {kind}").format(
        name=row.name,
        p=reading.power,
        i=reading.interest,
        support=label(reading.support),
        kind=label(row.stakeholder.kind),
    )


def move_tip(row: StakeRow, movement: Movement) -> str:
    """Where they were and where they are ("" if they were not on the map at both)."""
    a, b = movement.before, movement.after
    if a is None or b is None:
        return ""
    return _tr(
        "{name}: power {p1}, interest {i1} ({s1}) on {d1} → power {p2}, interest {i2} ({s2}) {d2}"
    ).format(
        name=row.name,
        p1=a.power,
        i1=a.interest,
        s1=label(a.support),
        d1=when(a.on),
        p2=b.power,
        i2=b.interest,
        s2=label(b.support),
        d2=_tr("on {day}").format(day=format_date(b.on)) if b.on else _tr("now"),
    )


def status(everyone: int, shown: int, moved: int | None, crowded: int, *, hint: bool) -> str:
    """The line below the map: how many are on it (and hidden by the filter), how many moved
    (``moved`` None: not comparing), how many names need more room, and (``hint``) what a
    drag does."""
    if not everyone:
        return _tr("Nobody on the map yet: add stakeholders in the Stakeholders tab.")
    text = _tr("{n} stakeholders").format(n=shown)
    if everyone > shown:
        text += " · " + _tr("{n} hidden by the filter").format(n=everyone - shown)
    parts = [text]
    if moved is not None:
        parts.append(_tr("{n} moved").format(n=moved))
    if crowded:
        parts.append(_tr("{n} names need more room: zoom in (Ctrl+wheel or +)").format(n=crowded))
    if hint:
        parts.append(_tr("Drag a card to change power and interest"))
    return " · ".join(parts)


def dragging(name: str, power: int, interest: int, more: int) -> str:
    """What the status line says while ``name`` (and ``more`` others) is dragged."""
    text = _tr("{name} → power {p}, interest {i}: {quadrant}").format(
        name=name, p=power, i=interest, quadrant=label(quadrant(power, interest))
    )
    if more:
        text += " " + _tr("(and {n} more)").format(n=more)
    return text
