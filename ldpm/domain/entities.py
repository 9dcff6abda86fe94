"""The things in a project file, as plain dataclasses.

Every entity has a UUID ``id`` (a 32-character hex string) so that rows made on different
devices never collide.  Fields hold plain values (str, int, float, bool, date, enums, None);
references to other entities are ids.  Each entity type declares its rules as data in ``RULES``
(see :mod:`ldpm.domain.validation`); ``validate()`` raises :class:`ValidationError` with a
sentence for the user, and ``validate(fields)`` checks only the rules that read those fields.
Ordering uses ``rank`` strings (see :mod:`ldpm.domain.ranking`), which sort lexicographically
and can always be split between two neighbours.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from ldpm.domain.enums import (
    Cadence,
    Cause,
    Decision,
    Direction,
    Engagement,
    Horizon,
    ItemKind,
    ItemStatus,
    LearningMode,
    MetricTier,
    MomentOfNeed,
    MoSCoW,
    RootCause,
    ScoringMethod,
    Sourcing,
    Stage,
    StakeholderKind,
    StoryKind,
    Support,
    TriageStatus,
)
from ldpm.domain.scales import (
    DEFAULT_CONFIDENCE_SCALE,
    DEFAULT_IMPACT_SCALE,
    check_confidence_scale,
    check_impact_scale,
    check_weights,
)
from ldpm.domain.validation import (
    MAX_NAME,
    Custom,
    DifferentGroups,
    ExactlyOne,
    Exclusive,
    Finite,
    Name,
    NonNegative,
    Ordered,
    Positive,
    Range,
    Required,
    Rule,
    Short,
    Text,
    check_rules,
)

#: The standard RICE impact values (massive, high, medium, low, minimal); a workspace may
#: choose its own steps (``Workspace.impact_scale``).
RICE_IMPACTS = (3.0, 2.0, 1.0, 0.5, 0.25)
#: Power and interest are rated 1 (lowest) to 10 (highest).
GRID_MIN, GRID_MAX = 1, 10
#: A story's rating: 1 (not successful at all) to 5 (fully successful).
STORY_RATING_MIN, STORY_RATING_MAX = 1, 5


#: The workspace's rubric fields, one per scoring factor.
RUBRIC_FIELDS = (
    "rubric_reach",
    "rubric_impact",
    "rubric_confidence",
    "rubric_effort",
    "rubric_business_value",
    "rubric_time_criticality",
    "rubric_risk_reduction",
    "rubric_job_size",
    "rubric_value",
    "rubric_moscow",
)
#: The workspace's WSJF weights: value, time criticality, risk reduction.
WSJF_WEIGHT_FIELDS = ("wsjf_weight_value", "wsjf_weight_time", "wsjf_weight_risk")


def new_id() -> str:
    """A fresh random UUID as 32 hex characters."""
    return uuid.uuid4().hex


@dataclass(kw_only=True, slots=True)
class Entity:
    id: str = field(default_factory=new_id)
    #: The rules the entity's fields follow, in the order they are checked.
    RULES: ClassVar[tuple[Rule, ...]] = ()

    def validate(self, fields: Iterable[str] | None = None) -> None:
        """Raise :class:`ValidationError` if a field breaks a rule.  With ``fields``, check
        only the rules that read one of them (what an edit of those fields touches)."""
        check_rules(self, self.RULES, fields)


@dataclass(kw_only=True, slots=True)
class Workspace(Entity):
    """The file: one organisation or client."""

    name: str = "Untitled workspace"
    organisation: str = ""
    description: str = ""
    # Scoring (see ldpm.domain.scoring): the method that ranks backlogs by default, the
    # scales and weights, and a written rubric per factor ("" means the built-in rubric).
    scoring_method: ScoringMethod = ScoringMethod.RICE
    impact_scale: str = DEFAULT_IMPACT_SCALE
    confidence_scale: str = DEFAULT_CONFIDENCE_SCALE  # percentages
    wsjf_weight_value: float = 1.0
    wsjf_weight_time: float = 1.0
    wsjf_weight_risk: float = 1.0
    rubric_reach: str = ""
    rubric_impact: str = ""
    rubric_confidence: str = ""
    rubric_effort: str = ""
    rubric_business_value: str = ""
    rubric_time_criticality: str = ""
    rubric_risk_reduction: str = ""
    rubric_job_size: str = ""
    rubric_value: str = ""
    rubric_moscow: str = ""

    RULES = (
        Name("name", "workspace"),
        Text("description", "description"),
        Custom(("impact_scale",), lambda w: check_impact_scale("impact_scale", w.impact_scale)),
        Custom(
            ("confidence_scale",),
            lambda w: check_confidence_scale("confidence_scale", w.confidence_scale),
        ),
        Custom(
            WSJF_WEIGHT_FIELDS,
            lambda w: check_weights(
                WSJF_WEIGHT_FIELDS, [getattr(w, name) for name in WSJF_WEIGHT_FIELDS]
            ),
        ),
        *(Text(name, "rubric") for name in RUBRIC_FIELDS),
    )


@dataclass(kw_only=True, slots=True)
class Initiative(Entity):
    """A learning initiative, run as a product."""

    name: str = "New initiative"
    owner: str = ""
    sponsor: str = ""
    stage: Stage = Stage.DISCOVER
    rank: str = "V"
    archived: bool = False
    # The original request, as the business put it.
    request: str = ""
    requested_by: str = ""
    requested_on: date | None = None
    # Intake answers (the consulting conversation).
    intake_problem: str = ""  # what exactly is the problem
    intake_who: str = ""  # who exactly needs help
    intake_optimal: str = ""  # what optimal performance looks like
    intake_measure: str = ""  # how it would be measured
    intake_exemplars: str = ""  # who already does it well
    intake_form: str = ""  # what form and length would fit how the team works
    root_cause: RootCause = RootCause.UNKNOWN
    routed_to: str = ""  # where a non-knowledge problem was sent
    # Problem statement, in parts, so that we can tell whether it is measurable.
    problem_statement: str = ""
    problem_segment: str = ""
    problem_behaviour: str = ""
    problem_metric: str = ""
    problem_unit: str = ""
    problem_baseline: float | None = None
    problem_target: float | None = None
    problem_date: date | None = None
    # Audience and outcome.
    audience: str = ""
    outcome: str = ""
    # Triage: the solution the requester proposed, where the request stands, the reason
    # written for the requester (declined, waitlisted), why it was approved although the
    # problem statement is not measurable, and when triage last decided.
    requested_solution: str = ""
    triage: TriageStatus = TriageStatus.NEW
    triage_reason: str = ""
    approval_override: str = ""
    triaged_on: date | None = None

    RULES = (
        Name("name", "initiative"),
        *(
            Text(name, name.replace("_", " "))
            for name in (
                "request",
                "intake_problem",
                "intake_who",
                "intake_optimal",
                "intake_measure",
                "intake_exemplars",
                "intake_form",
                "problem_statement",
                "audience",
                "outcome",
                "requested_solution",
                "triage_reason",
                "approval_override",
            )
        ),
        Finite("problem_baseline", "baseline"),
        Finite("problem_target", "target"),
    )


@dataclass(kw_only=True, slots=True)
class Segment(Entity):
    """A part of an initiative's audience (remote staff, new hires …)."""

    initiative_id: str
    name: str = "New segment"
    description: str = ""
    size: int | None = None
    rank: str = "V"

    RULES = (Name("name", "segment"), NonNegative("size", "segment size"))


@dataclass(kw_only=True, slots=True)
class Objective(Entity):
    initiative_id: str
    title: str = "New objective"
    rank: str = "V"

    RULES = (Name("title", "objective"),)


@dataclass(kw_only=True, slots=True)
class KeyResult(Entity):
    objective_id: str
    title: str = "New key result"
    metric_id: str | None = None
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    due: date | None = None
    rank: str = "V"

    RULES = (
        Name("title", "key result"),
        Finite("baseline", "baseline"),
        Finite("target", "target"),
        Finite("current", "current value"),
    )


@dataclass(kw_only=True, slots=True)
class Release(Entity):
    """A bucket of backlog items with a story line; the MVP is the first."""

    initiative_id: str
    name: str = "MVP"
    story: str = ""  # the scope line people can absorb
    target_date: date | None = None
    is_mvp: bool = False
    rank: str = "V"
    capacity: float | None = None  # person-days the team can spend on it
    horizon: Horizon | None = None  # set by hand on the roadmap; None: from the dates

    RULES = (
        Name("name", "release"),
        Text("story", "story line"),
        NonNegative("capacity", "capacity"),
    )


@dataclass(kw_only=True, slots=True)
class BacklogItem(Entity):
    initiative_id: str
    title: str = "New item"
    description: str = ""
    kind: ItemKind = ItemKind.CONTENT
    mode: LearningMode | None = None
    moment: MomentOfNeed | None = None
    sourcing: Sourcing = Sourcing.BUILD
    effort: float | None = None  # person-days; also RICE effort
    # RICE
    reach: int | None = None  # people per quarter
    impact: float | None = None  # one of RICE_IMPACTS
    confidence: float | None = None  # 0..1
    # WSJF (each 1..10; job size is the effort estimate in points)
    business_value: int | None = None
    time_criticality: int | None = None
    risk_reduction: int | None = None
    job_size: int | None = None
    # Value / effort matrix (value 1..10)
    value: int | None = None
    moscow: MoSCoW | None = None
    status: ItemStatus = ItemStatus.IDEA
    release_id: str | None = None
    rank: str = "V"
    # Why it is built, curated, SME-led, bought — or not training at all.
    sourcing_reason: str = ""
    # What the item is expected to move: a metric or a key result (one at most).
    metric_id: str | None = None
    key_result_id: str | None = None
    out_of_scope: bool = False  # deliberately left out of every release

    RULES = (
        Name("title", "backlog item"),
        Text("description", "description"),
        Text("sourcing_reason", "sourcing reason"),
        Positive("effort", "effort"),
        NonNegative("reach", "reach"),
        # Whether the impact is a step of the workspace's scale is checked when it is edited
        # (ldpm.services.backlog): the scale may change later without making items invalid.
        Positive("impact", "impact"),
        Exclusive(
            "metric_id", "key_result_id", "An item moves one metric or one key result, not both."
        ),
        Range("confidence", 0, 1, "confidence"),
        Range("business_value", 1, 10, "business value"),
        Range("time_criticality", 1, 10, "time criticality"),
        Range("risk_reduction", 1, 10, "risk reduction"),
        Range("value", 1, 10, "value"),
        Positive("job_size", "job size"),
    )


@dataclass(kw_only=True, slots=True)
class InitiativeCause(Entity):
    """One answer to "why aren't they doing it?" for an initiative.  A cause learning cannot
    fix is routed: a suggested owner, a hand-off note and a date."""

    initiative_id: str
    cause: Cause
    owner: str = ""
    note: str = ""
    due: date | None = None

    RULES = (Short("owner", 200, "suggested owner"), Text("note", "hand-off note"))


@dataclass(kw_only=True, slots=True)
class ItemSme(Entity):
    """A subject-matter expert linked to a backlog item."""

    item_id: str
    person_id: str


@dataclass(kw_only=True, slots=True)
class Person(Entity):
    """Someone in the organisation: a stakeholder in one or more initiatives, maybe an SME."""

    name: str = "New person"
    role: str = ""
    department: str = ""
    email: str = ""
    expertise: str = ""  # for SMEs: what they know
    notes: str = ""  # private unless ``notes_private`` is False; never in workshop mode
    #: Expertise as short tags, separated by commas ("incident command, hand-offs").
    expertise_tags: str = ""
    #: The notes are private: never drawn on a map, shown in workshop mode or exported
    #: unless the user explicitly asks.
    notes_private: bool = True

    RULES = (
        Name("name", "person"),
        Text("notes", "notes"),
        Text("expertise", "expertise"),
        Text("expertise_tags", "expertise tags"),
    )


@dataclass(kw_only=True, slots=True)
class Stakeholder(Entity):
    """A person's stake in one initiative."""

    initiative_id: str
    person_id: str
    kind: StakeholderKind = StakeholderKind.OTHER
    power: int = 5
    interest: int = 5
    support: Support = Support.NEUTRAL
    current_engagement: Engagement = Engagement.UNAWARE
    desired_engagement: Engagement = Engagement.SUPPORTIVE
    engagement_plan: str = ""
    cadence: str = ""  # how often we engage, e.g. "fortnightly 1:1"
    private_notes: str = ""  # always private (see Person.notes_private)
    channel: str = ""  # how we usually reach them: "1:1 meeting", "e-mail" …
    owner: str = ""  # who in L&D keeps in touch with them
    next_contact: date | None = None
    #: The user's own strategy; empty: the one suggested from the quadrant and the gap.
    strategy: str = ""

    RULES = (
        Range("power", GRID_MIN, GRID_MAX, "power"),
        Range("interest", GRID_MIN, GRID_MAX, "interest"),
        Text("engagement_plan", "engagement plan"),
        Text("private_notes", "private notes"),
        Text("strategy", "strategy"),
        Short("cadence", MAX_NAME, "cadence"),
        Short("channel", MAX_NAME, "channel"),
        Short("owner", MAX_NAME, "owner"),
    )


@dataclass(kw_only=True, slots=True)
class Assessment(Entity):
    """A dated re-assessment of a stakeholder."""

    stakeholder_id: str
    on: date
    power: int = 5
    interest: int = 5
    support: Support = Support.NEUTRAL
    engagement: Engagement = Engagement.UNAWARE
    note: str = ""
    #: What the assessment was ("after kick-off workshop"); one label for everyone assessed
    #: together on a date.
    label: str = ""

    RULES = (
        Range("power", GRID_MIN, GRID_MAX, "power"),
        Range("interest", GRID_MIN, GRID_MAX, "interest"),
        Text("note", "note"),
        Short("label", MAX_NAME, "assessment label"),
    )


@dataclass(kw_only=True, slots=True)
class Interaction(Entity):
    """An entry in a stakeholder's interaction log."""

    stakeholder_id: str
    on: date
    channel: str = ""  # meeting, e-mail, workshop …
    summary: str = ""
    follow_up: str = ""  # what we promised to do next
    follow_up_due: date | None = None
    follow_up_done: bool = False

    RULES = (Text("summary", "summary"), Text("follow_up", "follow-up"))


@dataclass(kw_only=True, slots=True)
class Metric(Entity):
    initiative_id: str
    name: str = "New metric"
    description: str = ""
    tier: MetricTier = MetricTier.OPERATIONAL
    kirkpatrick: int | None = None  # 1..4
    ltem: int | None = None  # Thalheimer's LTEM tier 1..8
    unit: str = ""
    direction: Direction = Direction.INCREASE
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    source: str = ""
    owner: str = ""
    segment: str = ""  # the audience segment it is measured on, if any
    baseline_date: date | None = None  # when the baseline was measured
    cadence: Cadence = Cadence.NONE  # how often it is measured ("data due" when missed)
    # Difference-in-differences: the segment that got the change ("" = the main line, the
    # measurements without a segment) and the one marked as the comparison group.
    treated_segment: str = ""
    comparison_segment: str = ""

    RULES = (
        Name("name", "metric"),
        Text("description", "description"),
        Range("kirkpatrick", 1, 4, "Kirkpatrick level"),
        Range("ltem", 1, 8, "LTEM tier"),
        Finite("baseline", "baseline"),
        Finite("target", "target"),
        Ordered(
            "baseline_date",
            "target_date",
            "evaluation plan",
            "The target date cannot be before the baseline date.",
        ),
        DifferentGroups("comparison_segment", "treated_segment"),
    )


@dataclass(kw_only=True, slots=True)
class Measurement(Entity):
    metric_id: str
    on: date
    value: float = 0.0
    segment: str = ""
    note: str = ""

    RULES = (Finite("value", "measured value"),)


@dataclass(kw_only=True, slots=True)
class Experiment(Entity):
    """A Trojan mouse: a small, cheap experiment on a real business problem."""

    initiative_id: str
    title: str = "New experiment"
    hypothesis: str = ""
    change: str = ""
    audience: str = ""
    metric_id: str | None = None
    pass_criterion: str = ""
    start: date | None = None
    end: date | None = None
    result: str = ""
    decision: Decision = Decision.PENDING
    cost: float | None = None  # what it cost, in the workspace's currency
    # The segment the pilot group's measurements carry ("" = the metric's main line), the
    # comparison group's, and the value the metric must reach for the experiment to pass.
    segment: str = ""
    comparison_segment: str = ""
    pass_value: float | None = None

    RULES = (
        Name("title", "experiment"),
        Ordered("start", "end", "experiment"),
        *(
            Text(name, name.replace("_", " "))
            for name in ("hypothesis", "change", "pass_criterion", "result")
        ),
        NonNegative("cost", "cost"),
        Finite("pass_value", "pass value"),
        DifferentGroups("comparison_segment", "segment"),
    )


@dataclass(kw_only=True, slots=True)
class Story(Entity):
    """Evidence: a success or non-success case, or a quote."""

    initiative_id: str
    title: str = "New story"
    kind: StoryKind = StoryKind.SUCCESS
    text: str = ""
    source: str = ""  # who told it
    on: date | None = None
    metric_id: str | None = None
    experiment_id: str | None = None
    who: str = ""  # whom the case is about
    quote: str = ""  # in their own words
    release_id: str | None = None
    rating: int | None = None  # how successful the case is, 1 (not at all) to 5 (fully)

    RULES = (
        Name("title", "story"),
        Text("text", "story"),
        Text("quote", "quote"),
        Range("rating", STORY_RATING_MIN, STORY_RATING_MAX, "rating"),
    )


@dataclass(kw_only=True, slots=True)
class Conflict(Entity):
    """A field that two devices changed at the same time, found when their copies merged.

    The newer write (by hybrid clock) was kept; the other value is kept here, so that a person
    can review it and choose.  Values are JSON text, as they would be stored.  The id is
    derived from the row, the field and both stamps, so every device that finds the same
    conflict records the same entry."""

    entity: str  # the table, e.g. "initiative"
    row_id: str
    field: str
    kept_value: str = "null"
    kept_stamp: str = ""
    other_value: str = "null"
    other_stamp: str = ""
    resolved: bool = False


@dataclass(kw_only=True, slots=True)
class Device(Entity):
    """A computer that edits the project (``id`` is its device id), for saying who did what."""

    user: str = ""
    host: str = ""
    app_version: str = ""


@dataclass(kw_only=True, slots=True)
class MetricLink(Entity):
    """A metric linked to the backlog item or the release meant to move it (one of the two).

    A key result names its metric itself (:attr:`KeyResult.metric_id`)."""

    metric_id: str
    item_id: str | None = None
    release_id: str | None = None

    RULES = (
        ExactlyOne(
            "item_id", "release_id", "A metric link points at one backlog item or one release."
        ),
    )


@dataclass(kw_only=True, slots=True)
class ExternalRef(Entity):
    """Where a row came from: the id another tool gave it (a Jira issue key, an HR number).

    An import that names an external-id column records one per row it makes, so importing
    the same file again updates those rows instead of adding them twice.  ``source`` names
    the tool (as the user calls it), ``entity`` the table of the row (``"backlog_item"``)."""

    source: str
    external_id: str
    entity: str
    row_id: str

    RULES = (Name("source", "source"), Required("external_id", "external id"))


#: Every entity type, in a stable order (parents before children).
ENTITY_TYPES: tuple[type[Entity], ...] = (
    Workspace,
    Initiative,
    Segment,
    Objective,
    KeyResult,
    Release,
    BacklogItem,
    Person,
    ItemSme,
    InitiativeCause,
    Stakeholder,
    Assessment,
    Interaction,
    Metric,
    Measurement,
    Experiment,
    Story,
    Conflict,
    Device,
    MetricLink,
    ExternalRef,
)
