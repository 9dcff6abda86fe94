"""Enumerations of the domain vocabulary.

Values are stable strings: they are what the ``.ldpm`` file stores, so never rename a value
(add a migration instead).  Human-readable, translatable labels live in the UI layer.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Life-cycle stage of an initiative, in order."""

    DISCOVER = "discover"
    DEFINE = "define"
    BUILD_MVP = "build_mvp"
    PILOT = "pilot"
    SCALE = "scale"
    SUSTAIN = "sustain"  # "Sustain / Retire"


class RootCause(StrEnum):
    """What the intake found behind a training request."""

    UNKNOWN = "unknown"
    KNOWLEDGE = "knowledge"  # a genuine knowledge or skill gap: learning can help
    PROCESS = "process"
    TOOLS = "tools"
    INCENTIVES = "incentives"
    MANAGER_SUPPORT = "manager_support"
    ENVIRONMENT = "environment"


class ItemKind(StrEnum):
    CONTENT = "content"
    PRACTICE = "practice"  # practice / experience
    PERFORMANCE_SUPPORT = "performance_support"
    COMMUNITY = "community"  # community / social
    TOOL = "tool"  # tool / automation
    EXPERIMENT = "experiment"
    NON_TRAINING_FIX = "non_training_fix"


class LearningMode(StrEnum):
    """70:20:10."""

    EXPERIENCE = "experience"  # 70
    EXPOSURE = "exposure"  # 20, social
    EDUCATION = "education"  # 10, formal


class MomentOfNeed(StrEnum):
    """Gottfredson and Mosher's Five Moments of Learning Need."""

    NEW = "new"
    MORE = "more"
    APPLY = "apply"
    SOLVE = "solve"
    CHANGE = "change"


class Sourcing(StrEnum):
    BUILD = "build"
    CURATE = "curate"
    SME_LED = "sme_led"
    OUTSOURCE = "outsource"  # outsource / buy
    NOT_TRAINING = "not_training"  # a fix outside learning (process, tools …), handed over


class MoSCoW(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


class ItemStatus(StrEnum):
    IDEA = "idea"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class StakeholderKind(StrEnum):
    SPONSOR = "sponsor"
    BUSINESS_LEADER = "business_leader"
    SME = "sme"
    LEARNER_REP = "learner_rep"
    LEARNER = "learner"
    LIAISON = "liaison"
    HR = "hr"
    OTHER = "other"


class Support(StrEnum):
    """Stance towards the initiative, from blocker to champion (in order)."""

    BLOCKER = "blocker"
    SCEPTIC = "sceptic"
    NEUTRAL = "neutral"
    SUPPORTER = "supporter"
    CHAMPION = "champion"


class Engagement(StrEnum):
    """Stakeholder engagement level (current or desired), in order."""

    UNAWARE = "unaware"
    RESISTANT = "resistant"
    NEUTRAL = "neutral"
    SUPPORTIVE = "supportive"
    LEADING = "leading"


class MetricTier(StrEnum):
    OPERATIONAL = "operational"  # attendance, completions, satisfaction, hours: vanity
    BEHAVIOUR = "behaviour"  # learner goal: what people do differently
    BUSINESS = "business"  # the KPI the business cares about


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Decision(StrEnum):
    """What to do with a Trojan-mouse experiment once it has a result."""

    PENDING = "pending"
    AMPLIFY = "amplify"
    ITERATE = "iterate"
    DROP = "drop"


class StoryKind(StrEnum):
    SUCCESS = "success"
    NON_SUCCESS = "non_success"
    QUOTE = "quote"


class Quadrant(StrEnum):
    """Power/interest grid quadrant."""

    MANAGE_CLOSELY = "manage_closely"  # high power, high interest
    KEEP_SATISFIED = "keep_satisfied"  # high power, low interest
    KEEP_INFORMED = "keep_informed"  # low power, high interest
    MONITOR = "monitor"  # low power, low interest


class ValueEffortQuadrant(StrEnum):
    QUICK_WIN = "quick_win"  # high value, low effort
    BIG_BET = "big_bet"  # high value, high effort
    FILL_IN = "fill_in"  # low value, low effort
    MONEY_PIT = "money_pit"  # low value, high effort


class TriageStatus(StrEnum):
    """Where a request stands in triage.  Declined and waitlisted carry a reason for the
    requester; *routed* closes a request that is not a training problem, without failure."""

    NEW = "new"
    IN_REVIEW = "in_review"
    WAITLISTED = "waitlisted"
    APPROVED = "approved"
    DECLINED = "declined"
    ROUTED = "routed"


class Cause(StrEnum):
    """ "Why aren't they doing it?" — more than one may apply.  Knowledge and skill lead to a
    learning solution; every other cause is routed to whoever owns it."""

    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    EXPECTATIONS = "expectations"  # unclear expectations
    PROCESS = "process"
    TOOLS = "tools"  # tools or access
    INCENTIVES = "incentives"
    CONFIDENCE = "confidence"
    MANAGER_SUPPORT = "manager_support"
    MEASUREMENT = "measurement"
    ENVIRONMENT = "environment"  # work environment (older files' root cause)


class ScoringMethod(StrEnum):
    """How a backlog is ordered.  Values are stable strings (stored per workspace)."""

    RICE = "rice"
    WSJF = "wsjf"
    VALUE_EFFORT = "value_effort"
    MOSCOW = "moscow"
    RANK = "rank"  # the manual order only


class Horizon(StrEnum):
    """Where a release sits on the Now / Next / Later roadmap, when set by hand."""

    NOW = "now"
    NEXT = "next"
    LATER = "later"


class Cadence(StrEnum):
    """How often a metric is measured: a measurement missing at its due date is "data due"."""

    NONE = "none"  # measured when it happens: nothing is ever due
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class ExperimentState(StrEnum):
    """Where a Trojan-mouse experiment stands (worked out from its dates and decision)."""

    PLANNED = "planned"  # not started yet (or no start date)
    RUNNING = "running"
    DECIDING = "deciding"  # ended, no decision yet
    DECIDED = "decided"


class Track(StrEnum):
    """Whether a metric will reach its target by its date at the current trend."""

    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    MET = "met"  # the target date has passed and the target was reached
    MISSED = "missed"  # the target date has passed and it was not
    NO_TARGET = "no_target"  # no usable baseline, target or date
    NOT_ENOUGH_DATA = "not_enough_data"
