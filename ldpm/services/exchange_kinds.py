"""What an import can fill: the fields of backlog items, people and measurements.

Each :class:`ImportKind` lists its :class:`Target` fields: a key, an English label (source
text: the UI translates it in the ``"exchange"`` context), the type its cells are read as,
and the column names that propose it (compared without case, spaces or punctuation, so
"Issue key", "issue_key" and "ISSUE KEY" are one name).  An export's headers are the targets'
labels, so an LDPM export always maps itself when imported back.

Choices (status, kind, MoSCoW …) are read from the stored value (``in_progress``), its plain
form ("In progress"), the label the user sees (passed in, so it is the translated one) and
the words other tools use (Jira's "To Do", "Won't Do" …).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from ldpm.domain.enums import (
    Engagement,
    ItemKind,
    ItemStatus,
    LearningMode,
    MomentOfNeed,
    MoSCoW,
    Sourcing,
    StakeholderKind,
    Support,
)

#: Turns a choice into the text a person reads (the UI passes its translated labels).
Labeler = Callable[[Enum], str]


def plain_label(member: Enum) -> str:
    """``ItemStatus.IN_PROGRESS`` → "In progress" (the default labeler)."""
    return str(member.value).replace("_", " ").capitalize()


def normalise(name: str) -> str:
    """A column name or choice as compared: lower case, words separated by one space."""
    return " ".join(re.sub(r"[^\w%]+", " ", name.casefold()).replace("_", " ").split())


@dataclass(frozen=True)
class Target:
    """A field an import can fill (see the module docstring).  ``type`` is one of "text",
    "number", "whole", "date", "choice" or "id" (the external or LDPM id)."""

    key: str
    label: str
    type: str = "text"
    choices: builtins.type[Enum] | None = None
    aliases: tuple[str, ...] = ()
    required: bool = False
    #: Only when importing into an initiative (a person's stake in it).
    stake: bool = False

    def names(self) -> set[str]:
        return {normalise(self.label), normalise(self.key)} | {normalise(a) for a in self.aliases}


EXTERNAL_ID = Target(
    "external_id",
    "External id (for re-imports)",
    "id",
    aliases=(
        "issue key",
        "key",
        "external id",
        "employee id",
        "employee number",
        "personnel number",
        "personalnummer",
        "staff id",
        "reference",
    ),
)
LDPM_ID = Target("id", "LDPM ID", "id", aliases=("ldpm id",))


@dataclass(frozen=True)
class ImportKind:
    key: str  # "items", "people", "measurements"
    label: str  # "Backlog items"
    noun: str  # "backlog item"
    plural: str  # "backlog items"
    entity: str  # the table name of the rows it makes
    targets: tuple[Target, ...]
    needs_initiative: bool = True

    def targets_for(self, *, initiative: bool) -> list[Target]:
        return [t for t in self.targets if initiative or not t.stake]

    def target(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)


ITEMS = ImportKind(
    "items",
    "Backlog items",
    "backlog item",
    "backlog items",
    "backlog_item",
    (
        EXTERNAL_ID,
        LDPM_ID,
        Target("title", "Title", aliases=("summary", "name", "item", "story", "idea"),
               required=True),
        Target("description", "Description", aliases=("details", "body")),
        Target("kind", "Kind", "choice", ItemKind, aliases=("item kind",)),
        Target("mode", "70:20:10 mode", "choice", LearningMode,
               aliases=("mode", "70 20 10", "learning mode")),
        Target("moment", "Moment of need", "choice", MomentOfNeed, aliases=("moment",)),
        Target("sourcing", "Sourcing", "choice", Sourcing, aliases=("build or buy",)),
        Target("status", "Status", "choice", ItemStatus, aliases=("state",)),
        Target("moscow", "MoSCoW", "choice", MoSCoW, aliases=("moscow priority",)),
        Target("release", "Release", aliases=("fix version s", "fix versions", "fix version",
                                                "release name")),
        Target("effort", "Effort (days)", "number", aliases=("effort", "effort days",
                                                               "estimate days")),
        Target("reach", "Reach", "whole", aliases=("reach per quarter",)),
        Target("impact", "Impact", "number", aliases=("rice impact",)),
        Target("confidence", "Confidence", "number", aliases=("rice confidence",)),
        Target("business_value", "Business value", "whole"),
        Target("time_criticality", "Time criticality", "whole"),
        Target("risk_reduction", "Risk reduction", "whole",
               aliases=("risk reduction opportunity enablement",)),
        Target("job_size", "Job size", "whole",
               aliases=("story points", "custom field story points", "points",
                        "story point estimate", "custom field story point estimate")),
        Target("value", "Value", "whole", aliases=("value 1 10",)),
    ),
)  # fmt: skip

PEOPLE = ImportKind(
    "people",
    "People (stakeholders)",
    "person",
    "people",
    "person",
    (
        EXTERNAL_ID,
        LDPM_ID,
        Target("name", "Name", aliases=("full name", "person", "employee", "employee name",
                                          "display name", "stakeholder")),
        Target("first_name", "First name", aliases=("given name", "forename", "vorname")),
        Target("last_name", "Last name", aliases=("surname", "family name", "nachname")),
        Target("role", "Role", aliases=("job title", "title", "position", "job", "funktion")),
        Target("department", "Department", aliases=("dept", "org unit", "organisation unit",
                                                      "organization unit", "business unit",
                                                      "division", "abteilung")),
        Target("email", "E-mail", aliases=("email", "e mail", "mail", "email address",
                                             "e mail address", "work email")),
        Target("expertise", "Expertise", aliases=("skills", "knows about")),
        Target("notes", "Notes (private)", aliases=("notes", "private notes person")),
        Target("stakeholder_kind", "Stakeholder kind", "choice", StakeholderKind,
               aliases=("stakeholder type", "stakeholder role", "kind"), stake=True),
        Target("power", "Power", "whole", aliases=("influence",), stake=True),
        Target("interest", "Interest", "whole", stake=True),
        Target("support", "Support", "choice", Support, aliases=("stance", "attitude"),
               stake=True),
        Target("current_engagement", "Current engagement", "choice", Engagement,
               aliases=("engagement", "engagement now"), stake=True),
        Target("desired_engagement", "Desired engagement", "choice", Engagement,
               aliases=("target engagement",), stake=True),
        Target("cadence", "Cadence", aliases=("contact cadence", "how often"), stake=True),
        Target("engagement_plan", "Engagement plan", aliases=("plan",), stake=True),
        Target("private_notes", "Private notes", aliases=("stakeholder notes",), stake=True),
    ),
    needs_initiative=False,
)  # fmt: skip

MEASUREMENTS = ImportKind(
    "measurements",
    "Measurements",
    "measurement",
    "measurements",
    "measurement",
    (
        EXTERNAL_ID,
        LDPM_ID,
        Target("metric", "Metric", aliases=("metric name", "kpi", "measure", "indicator",
                                              "kennzahl", "messgröße")),
        Target("on", "Date", "date", aliases=("day", "measured on", "period", "timestamp",
                                                "datum", "stichtag", "week", "month"),
               required=True),
        Target("value", "Value", "number", aliases=("wert", "result", "score", "amount",
                                                      "count", "measurement", "messwert"),
               required=True),
        Target("segment", "Segment", aliases=("group", "cohort", "audience segment")),
        Target("note", "Note", aliases=("notes", "comment", "comments", "remark", "notiz",
                                          "bemerkung", "kommentar")),
    ),
)  # fmt: skip

KINDS: dict[str, ImportKind] = {k.key: k for k in (ITEMS, PEOPLE, MEASUREMENTS)}

#: Words other tools use for LDPM's choices (compared normalised).
SYNONYMS: dict[type[Enum], dict[str, Enum]] = {
    ItemStatus: {
        "to do": ItemStatus.IDEA, "todo": ItemStatus.IDEA, "open": ItemStatus.IDEA,
        "backlog": ItemStatus.IDEA, "new": ItemStatus.IDEA, "proposed": ItemStatus.IDEA,
        "selected for development": ItemStatus.READY, "ready for development": ItemStatus.READY,
        "doing": ItemStatus.IN_PROGRESS, "in review": ItemStatus.IN_PROGRESS,
        "in development": ItemStatus.IN_PROGRESS, "started": ItemStatus.IN_PROGRESS,
        "closed": ItemStatus.DONE, "resolved": ItemStatus.DONE, "complete": ItemStatus.DONE,
        "completed": ItemStatus.DONE, "finished": ItemStatus.DONE,
        "won t do": ItemStatus.DROPPED, "wont do": ItemStatus.DROPPED,
        "rejected": ItemStatus.DROPPED, "cancelled": ItemStatus.DROPPED,
        "canceled": ItemStatus.DROPPED, "declined": ItemStatus.DROPPED,
    },
    MoSCoW: {
        "must have": MoSCoW.MUST, "m": MoSCoW.MUST, "should have": MoSCoW.SHOULD,
        "s": MoSCoW.SHOULD, "could have": MoSCoW.COULD, "c": MoSCoW.COULD,
        "won t": MoSCoW.WONT, "won t have": MoSCoW.WONT, "wont have": MoSCoW.WONT,
        "won t have this time": MoSCoW.WONT, "w": MoSCoW.WONT,
    },
    Sourcing: {
        "in house": Sourcing.BUILD, "build in house": Sourcing.BUILD, "sme": Sourcing.SME_LED,
        "sme led": Sourcing.SME_LED, "buy": Sourcing.OUTSOURCE, "vendor": Sourcing.OUTSOURCE,
        "outsource buy": Sourcing.OUTSOURCE,
    },
    LearningMode: {
        "70": LearningMode.EXPERIENCE, "20": LearningMode.EXPOSURE,
        "10": LearningMode.EDUCATION, "social": LearningMode.EXPOSURE,
        "formal": LearningMode.EDUCATION,
    },
    StakeholderKind: {
        "subject matter expert": StakeholderKind.SME, "expert": StakeholderKind.SME,
        "learner representative": StakeholderKind.LEARNER_REP,
        "business leader": StakeholderKind.BUSINESS_LEADER,
        "leader": StakeholderKind.BUSINESS_LEADER,
    },
    Support: {"skeptic": Support.SCEPTIC, "sceptical": Support.SCEPTIC,
              "skeptical": Support.SCEPTIC, "supportive": Support.SUPPORTER},
    ItemKind: {
        "practice experience": ItemKind.PRACTICE, "tool automation": ItemKind.TOOL,
        "community social": ItemKind.COMMUNITY, "non training": ItemKind.NON_TRAINING_FIX,
    },
}  # fmt: skip

#: RICE impact in words.
IMPACT_WORDS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}


@cache
def _choice_table(enum_cls: type[Enum], labeler: Labeler) -> dict[str, Enum]:
    table: dict[str, Enum] = {}
    for word, member in SYNONYMS.get(enum_cls, {}).items():
        table[normalise(word)] = member
    for member in enum_cls:
        for text in (str(member.value), plain_label(member), labeler(member)):
            table[normalise(text)] = member
    return table


def parse_choice(enum_cls: type[Enum], text: str, labeler: Labeler = plain_label) -> Enum:
    """The member of ``enum_cls`` that ``text`` names.  Raises ValueError."""
    member = _choice_table(enum_cls, labeler).get(normalise(text))
    if member is None:
        raise ValueError("is not one of the choices")
    return member


def choices_text(enum_cls: type[Enum], labeler: Labeler = plain_label) -> str:
    """ "Idea, Ready, In progress, Done or Dropped" (for a sentence)."""
    names = [labeler(m) for m in enum_cls]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def propose(kind: ImportKind, headers: Iterable[str], *, initiative: bool) -> dict[str, str]:
    """A mapping of column → target key from the column names: each target at most once, to
    the first column that names it."""
    out: dict[str, str] = {}
    used: set[str] = set()
    names = {t.key: t.names() for t in kind.targets_for(initiative=initiative)}
    headers = list(headers)
    # Exact names first (the label or key), then the aliases, so "Title" wins over "Summary".
    for exact in (True, False):
        for header in headers:
            if header in out:
                continue
            key = normalise(header)
            for target in kind.targets_for(initiative=initiative):
                if target.key in used:
                    continue
                pool = (
                    {normalise(target.label), normalise(target.key)}
                    if exact
                    else names[target.key]
                )
                if key in pool:
                    out[header] = target.key
                    used.add(target.key)
                    break
    return out
