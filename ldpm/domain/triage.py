"""Triage: is a training request a learning problem, and what happens to it.

A request comes in as an initiative in stage Discover with triage status *new*.  The intake
asks "why aren't they doing it?" and records the causes (:class:`~ldpm.domain.enums.Cause`,
more than one allowed).  Knowledge and skill gaps lead to a learning solution; every other
cause is *not a training problem* and is routed to whoever owns it, with a suggested owner, a
hand-off note and a date.  The rules of the decision:

* **approved** only when the problem statement is measurable (see
  :mod:`ldpm.domain.problem`), or when the user wrote why they approve it anyway (the override
  is kept and shown);
* **declined** and **waitlisted** carry a reason written for the requester;
* **routed** closes a request that is not a training problem, without failure: it needs at
  least one cause learning cannot fix, no knowledge or skill gap, and a suggested owner for
  every routed cause.

Each rule is a function returning one plain sentence when the decision is refused, or None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ldpm.domain.entities import Initiative, InitiativeCause
from ldpm.domain.enums import Cause, TriageStatus
from ldpm.domain.problem import check_problem_statement

#: The causes a learning solution can address.
LEARNING_CAUSES = frozenset({Cause.KNOWLEDGE, Cause.SKILL})

#: Statuses that end triage: nothing more to decide.
CLOSED = frozenset({TriageStatus.APPROVED, TriageStatus.DECLINED, TriageStatus.ROUTED})

#: Where each cause learning cannot fix usually belongs (a hint, not a rule).
_OWNERS = {
    Cause.EXPECTATIONS: "the team's manager, who sets what good looks like",
    Cause.PROCESS: "the process owner",
    Cause.TOOLS: "the team that owns the tools or the access",
    Cause.INCENTIVES: "HR and reward, or whoever sets targets and bonuses",
    Cause.CONFIDENCE: "line managers and coaches, through practice and feedback on the job",
    Cause.MANAGER_SUPPORT: "the line managers and their own managers",
    Cause.MEASUREMENT: "whoever owns the metric and its data",
    Cause.ENVIRONMENT: "the leaders who control workload, staffing and working conditions",
}


def is_learning_cause(cause: Cause) -> bool:
    """True for a knowledge or skill gap: something learning can fix."""
    return cause in LEARNING_CAUSES


def owner_hint(cause: Cause) -> str:
    """Who usually owns a cause learning cannot fix ("" for knowledge and skill)."""
    return _OWNERS.get(cause, "")


@dataclass(frozen=True, slots=True)
class CauseSummary:
    """What the checked causes say about a request."""

    learning: tuple[Cause, ...]
    routed: tuple[Cause, ...]

    @property
    def known(self) -> bool:
        return bool(self.learning or self.routed)

    @property
    def training_problem(self) -> bool:
        return bool(self.learning)

    def sentence(self) -> str:
        """One line for the intake, e.g. "Learning can help with the skill gap; process and
        tools are not a training problem: route them."."""
        if not self.known:
            return (
                "No cause chosen yet: ask why people aren't doing it before choosing a solution."
            )
        learning = _names(self.learning)
        routed = _names(self.routed)
        if self.learning and self.routed:
            return (
                f"Learning can help with {learning}; {routed} "
                f"{'is' if len(self.routed) == 1 else 'are'} not a training problem: route "
                f"{'it' if len(self.routed) == 1 else 'them'} to the people who own "
                f"{'it' if len(self.routed) == 1 else 'them'}."
            )
        if self.learning:
            return f"A learning solution can help: this is {learning}."
        return (
            f"Not a training problem: {routed}. Route it to the people who own it and close "
            "the request as routed."
        )


_NAMES = {
    Cause.KNOWLEDGE: "a knowledge gap",
    Cause.SKILL: "a skill gap",
    Cause.EXPECTATIONS: "unclear expectations",
    Cause.PROCESS: "the process",
    Cause.TOOLS: "tools or access",
    Cause.INCENTIVES: "incentives",
    Cause.CONFIDENCE: "confidence",
    Cause.MANAGER_SUPPORT: "manager support",
    Cause.MEASUREMENT: "measurement",
    Cause.ENVIRONMENT: "the work environment",
}


def _names(causes: Sequence[Cause]) -> str:
    words = [_NAMES[c] for c in causes]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def summarise(causes: Iterable[Cause]) -> CauseSummary:
    chosen = set(causes)
    ordered = [c for c in Cause if c in chosen]
    return CauseSummary(
        learning=tuple(c for c in ordered if is_learning_cause(c)),
        routed=tuple(c for c in ordered if not is_learning_cause(c)),
    )


def refusal(
    initiative: Initiative,
    status: TriageStatus,
    causes: Sequence[InitiativeCause] = (),
    *,
    reason: str | None = None,
) -> str | None:
    """Why ``initiative`` may not move to triage ``status`` (None: it may).  ``reason`` is the
    reason for the requester that comes with the decision (None: the stored one)."""
    written = (initiative.triage_reason if reason is None else reason).strip()
    if status is TriageStatus.APPROVED:
        check = check_problem_statement(initiative)
        if not check.measurable and not initiative.approval_override.strip():
            return (
                "Approval refused: the problem statement is not measurable yet. "
                + check.summary()
                + " Or write why you approve it anyway under “Approve without a measurable "
                "statement”."
            )
    elif status is TriageStatus.DECLINED and not written:
        return "Write the reason for the requester before you decline the request."
    elif status is TriageStatus.WAITLISTED and not written:
        return (
            "Write the reason for the requester (and when you will look again) before you "
            "waitlist the request."
        )
    elif status is TriageStatus.ROUTED:
        return routing_refusal(causes)
    return None


def routing_refusal(causes: Sequence[InitiativeCause]) -> str | None:
    """Why the request cannot close as routed, or None."""
    summary = summarise(c.cause for c in causes)
    if not summary.routed:
        return (
            "Only a request that is not a training problem can close as routed: check the "
            "causes learning cannot fix (process, tools, incentives …) first."
        )
    if summary.learning:
        return (
            f"{_names(summary.learning).capitalize()} is checked, so a learning solution can "
            "help: approve the request instead, or uncheck it."
        )
    for cause in causes:
        if not is_learning_cause(cause.cause) and not cause.owner.strip():
            return (
                f"Name a suggested owner for {_NAMES[cause.cause]} before you close the "
                "request as routed."
            )
    return None


# --------------------------------------------------------------------------- exemplars

#: Two or three capitalised words: how a person's name usually looks in a sentence.
_NAME = re.compile(r"\b([A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+){1,2})\b")
#: Capitalised words that start a sentence or name a team rather than a person.
_NOT_NAMES = frozenset(
    {"The", "Both", "Not", "Ask", "Two", "Team", "Teams", "Our", "Their", "This", "These"}
)


@dataclass(frozen=True, slots=True)
class Exemplar:
    """Someone the intake says already does it well."""

    name: str
    person_id: str | None  # the person in the workspace, if known


def find_exemplars(text: str, people: Sequence[tuple[str, str]]) -> list[Exemplar]:
    """The people named in "who already does it well?": first every workspace person
    (``(id, name)``) whose full name appears in ``text`` (ignoring case), then other names
    that look like a person's (two or three capitalised words), in the order they appear."""
    found: list[tuple[int, Exemplar]] = []
    lowered = text.casefold()
    taken: list[tuple[int, int]] = []
    for person_id, name in people:
        clean = name.strip()
        if not clean:
            continue
        at = lowered.find(clean.casefold())
        if at >= 0:
            found.append((at, Exemplar(clean, person_id)))
            taken.append((at, at + len(clean)))
    for match in _NAME.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        words = match.group(1).split()
        if words[0] in _NOT_NAMES:
            continue
        found.append((start, Exemplar(" ".join(words), None)))
        taken.append((start, end))
    found.sort(key=lambda pair: pair[0])
    seen: set[str] = set()
    out = []
    for _at, exemplar in found:
        key = exemplar.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(exemplar)
    return out
