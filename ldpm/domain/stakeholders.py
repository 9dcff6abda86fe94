"""Stakeholder analysis: the power/interest grid, engagement strategies and trends.

Power and interest are rated on the grid ``GRID_MIN..GRID_MAX`` (1..10).  A rating is *high*
when it is above :data:`HIGH_ABOVE` (5), i.e. 6..10; 1..5 is low.  So a stakeholder rated
(5, 5) sits in "Monitor" and (6, 6) in "Manage closely".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import overload

from ldpm.domain.entities import GRID_MAX, GRID_MIN, Assessment, Stakeholder
from ldpm.domain.enums import Engagement, Quadrant, Support

#: Ratings above this are "high".
HIGH_ABOVE = 5

_HEADLINES = {
    Quadrant.MANAGE_CLOSELY: "Manage closely",
    Quadrant.KEEP_SATISFIED: "Keep satisfied",
    Quadrant.KEEP_INFORMED: "Keep informed",
    Quadrant.MONITOR: "Monitor",
}

_SUPPORT_ORDER = {s: i for i, s in enumerate(Support)}
_ENGAGEMENT_ORDER = {e: i for i, e in enumerate(Engagement)}

_HIGH_POWER = (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_SATISFIED)

# What to do, by quadrant and stance.  One plain clause each, without a final full stop.
_ACTIONS: dict[tuple[Quadrant, Support], str] = {}
for _q in _HIGH_POWER:
    _ACTIONS[_q, Support.BLOCKER] = (
        "Meet them 1:1 to hear and address their concerns before any workshop or announcement"
    )
    _ACTIONS[_q, Support.SCEPTIC] = (
        "Meet them 1:1 early, show the evidence behind the problem and ask what would "
        "convince them"
    )
    _ACTIONS[_q, Support.CHAMPION] = (
        "Give them a visible role, such as opening the launch or sponsoring the pilot"
    )
_ACTIONS[Quadrant.MANAGE_CLOSELY, Support.NEUTRAL] = (
    "Involve them in key decisions and review progress with them regularly"
)
_ACTIONS[Quadrant.MANAGE_CLOSELY, Support.SUPPORTER] = (
    "Involve them in key decisions and ask them to back the next milestone in public"
)
_ACTIONS[Quadrant.KEEP_SATISFIED, Support.NEUTRAL] = (
    "Send them short, regular updates on results and ask for their view before big decisions"
)
_ACTIONS[Quadrant.KEEP_SATISFIED, Support.SUPPORTER] = (
    "Keep them satisfied with brief updates on results, without asking for more of their time "
    "than needed"
)
_ACTIONS[Quadrant.KEEP_INFORMED, Support.BLOCKER] = (
    "Talk with them to understand their objection, because their concerns may spread to others"
)
_ACTIONS[Quadrant.KEEP_INFORMED, Support.SCEPTIC] = (
    "Keep them informed and invite their feedback on the pilot so concerns surface early"
)
_ACTIONS[Quadrant.KEEP_INFORMED, Support.NEUTRAL] = (
    "Keep them informed with regular updates and invite their feedback"
)
_ACTIONS[Quadrant.KEEP_INFORMED, Support.SUPPORTER] = (
    "Keep them informed and invite them to try early versions and share their experience"
)
_ACTIONS[Quadrant.KEEP_INFORMED, Support.CHAMPION] = (
    "Give them a visible role, such as peer advocate or pilot tester"
)
_ACTIONS[Quadrant.MONITOR, Support.BLOCKER] = (
    "Check in once to understand their objection, then keep an eye on it"
)
_ACTIONS[Quadrant.MONITOR, Support.SCEPTIC] = (
    "Keep an eye on their stance and share results as they come in"
)
_ACTIONS[Quadrant.MONITOR, Support.NEUTRAL] = (
    "Monitor them occasionally and send a general update now and then"
)
_ACTIONS[Quadrant.MONITOR, Support.SUPPORTER] = (
    "Send a general update now and then and check whether their interest grows"
)
_ACTIONS[Quadrant.MONITOR, Support.CHAMPION] = (
    "Give them a small visible role, such as sharing their story with peers"
)


def quadrant(power: int, interest: int) -> Quadrant:
    """The power/interest quadrant; each rating is high when above 5 (6..10).

    Raises :class:`ValueError` for a rating outside 1..10.
    """
    for what, rating in (("power", power), ("interest", interest)):
        if not GRID_MIN <= rating <= GRID_MAX:
            raise ValueError(f"The {what} rating must be between {GRID_MIN} and {GRID_MAX}.")
    high_power = power > HIGH_ABOVE
    high_interest = interest > HIGH_ABOVE
    if high_power:
        return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


def engagement_gap(current: Engagement, desired: Engagement) -> int:
    """Steps from ``current`` to ``desired`` engagement in the order unaware → leading.

    Positive: they need to become more engaged; 0: on target; negative: already more engaged
    than planned.  ``abs()`` gives the plain distance.
    """
    return _ENGAGEMENT_ORDER[desired] - _ENGAGEMENT_ORDER[current]


@dataclass(frozen=True, slots=True)
class Strategy:
    """What to do with a stakeholder, in words a user can act on."""

    quadrant: Quadrant
    headline: str  # e.g. "Manage closely"
    action: str  # one sentence
    gap: int  # engagement_gap(current, desired)


@overload
def engagement_strategy(stakeholder: Stakeholder, /) -> Strategy: ...


@overload
def engagement_strategy(
    power: int,
    interest: int,
    support: Support = ...,
    current: Engagement = ...,
    desired: Engagement = ...,
    /,
) -> Strategy: ...


def engagement_strategy(
    subject: Stakeholder | int,
    interest: int | None = None,
    support: Support = Support.NEUTRAL,
    current: Engagement = Engagement.UNAWARE,
    desired: Engagement = Engagement.SUPPORTIVE,
    /,
) -> Strategy:
    """Suggested engagement for a stakeholder, or for ratings given one by one.

    Call it as ``engagement_strategy(stakeholder)`` or
    ``engagement_strategy(power, interest, support, current, desired)``.  The headline comes
    from the power/interest quadrant; the action also weighs their stance (blocker …
    champion) and the gap between current and desired engagement.
    """
    if isinstance(subject, Stakeholder):
        power = subject.power
        interest = subject.interest
        support = subject.support
        current = subject.current_engagement
        desired = subject.desired_engagement
    else:
        power = subject
        if interest is None:
            raise TypeError("engagement_strategy() needs both power and interest.")
    q = quadrant(power, interest)
    gap = engagement_gap(current, desired)
    action = _ACTIONS[q, support] + _gap_clause(current, desired, gap) + "."
    return Strategy(quadrant=q, headline=_HEADLINES[q], action=action, gap=gap)


def _gap_clause(current: Engagement, desired: Engagement, gap: int) -> str:
    move = f"from {current.value} to {desired.value}"
    if gap >= 2:
        return f"; plan several touchpoints to move them {move}"
    if gap == 1:
        return f"; one more step is needed, {move}"
    if gap < 0:
        return "; they are already more engaged than planned, so consider raising the goal"
    return ""


@dataclass(frozen=True, slots=True)
class Trend:
    """Movement between two dated assessments: positive numbers are increases.

    ``support`` and ``engagement`` are counted in steps of their scales
    (blocker … champion, unaware … leading).
    """

    since: date
    on: date
    power: int
    interest: int
    support: int
    engagement: int

    @property
    def moved(self) -> bool:
        return any((self.power, self.interest, self.support, self.engagement))


def trend(assessments: Iterable[Assessment]) -> Trend | None:
    """How one stakeholder moved between their two most recent assessments, by date.

    Returns ``None`` with fewer than two assessments.  Assessments on the same date keep their
    given order (the later one in the list counts as more recent).
    """
    ordered = sorted(assessments, key=lambda a: a.on)
    if len(ordered) < 2:
        return None
    old, new = ordered[-2], ordered[-1]
    return Trend(
        since=old.on,
        on=new.on,
        power=new.power - old.power,
        interest=new.interest - old.interest,
        support=_SUPPORT_ORDER[new.support] - _SUPPORT_ORDER[old.support],
        engagement=_ENGAGEMENT_ORDER[new.engagement] - _ENGAGEMENT_ORDER[old.engagement],
    )


# ------------------------------------------------------------------- engagement plan

#: Words of a cadence ("Fortnightly 1:1", "monthly metrics review") and their days.
_CADENCE_WORDS = {
    "daily": 1,
    "weekly": 7,
    "fortnightly": 14,
    "biweekly": 14,
    "monthly": 30,
    "quarterly": 91,
    "yearly": 365,
    "annually": 365,
    "annual": 365,
}
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "six": 6}
_WORD = re.compile(r"[a-z]+|\d+")


def cadence_days(cadence: str) -> int | None:
    """How many days a cadence written in words stands for, or None if it names none:
    "Weekly on-call sync" → 7, "Fortnightly 1:1" → 14, "every 3 weeks" → 21, "Monthly" → 30,
    "Quarterly review" → 91, "ad hoc" → None."""
    words = _WORD.findall(cadence.casefold())
    for i, word in enumerate(words):
        if word in ("every", "each") and i + 1 < len(words):
            count, unit = 1, words[i + 1]
            if i + 2 < len(words) and (unit.isdigit() or unit in _NUMBERS):
                count = int(unit) if unit.isdigit() else _NUMBERS[unit]
                unit = words[i + 2]
            if unit in _UNITS and 0 < count <= 52:
                return count * _UNITS[unit]
    for word in words:
        if word in _CADENCE_WORDS:
            return _CADENCE_WORDS[word]
    return None


def next_contact_after(on: date, cadence: str) -> date | None:
    """The next contact a cadence asks for after a contact ``on`` a date (None: no cadence)."""
    days = cadence_days(cadence)
    return None if days is None else on + timedelta(days=days)


def is_overdue(next_contact: date | None, today: date) -> bool:
    """A planned contact is overdue once its day has passed (on the day itself it is due)."""
    return next_contact is not None and next_contact < today


def chosen_strategy(stakeholder: Stakeholder) -> str:
    """The strategy to follow: the user's own, or else the suggested one (headline and
    action)."""
    own = stakeholder.strategy.strip()
    if own:
        return own
    suggested = engagement_strategy(stakeholder)
    return f"{suggested.headline}: {suggested.action}"
