"""Human-readable, translatable labels for the domain's enumerations.

The domain stores stable value strings (``"build_mvp"``); people read "Build MVP".  Every
label is marked with ``QT_TRANSLATE_NOOP`` in the context ``"labels"`` so that
``pyside6-lupdate`` extracts it, and is translated when asked for (not at import), so a change
of language applies at once::

    label(Stage.BUILD_MVP)      # "Build MVP"
    choices(Stage)              # [(Stage.DISCOVER, "Discover"), ...] in declaration order
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ldpm.domain.enums import (
    Cadence,
    Cause,
    Decision,
    Direction,
    Engagement,
    ExperimentState,
    Horizon,
    ItemKind,
    ItemStatus,
    LearningMode,
    MetricTier,
    MomentOfNeed,
    MoSCoW,
    Quadrant,
    RootCause,
    ScoringMethod,
    Sourcing,
    Stage,
    StakeholderKind,
    StoryKind,
    Support,
    Track,
    TriageStatus,
    ValueEffortQuadrant,
)

E = TypeVar("E", bound=Enum)

CONTEXT = "labels"

# QT_TRANSLATE_NOOP only marks the text for lupdate and returns it unchanged.
_SOURCE: dict[Enum, object] = {
    # Stage
    Stage.DISCOVER: QT_TRANSLATE_NOOP("labels", "Discover"),
    Stage.DEFINE: QT_TRANSLATE_NOOP("labels", "Define"),
    Stage.BUILD_MVP: QT_TRANSLATE_NOOP("labels", "Build MVP"),
    Stage.PILOT: QT_TRANSLATE_NOOP("labels", "Pilot"),
    Stage.SCALE: QT_TRANSLATE_NOOP("labels", "Scale"),
    Stage.SUSTAIN: QT_TRANSLATE_NOOP("labels", "Sustain / Retire"),
    # RootCause
    RootCause.UNKNOWN: QT_TRANSLATE_NOOP("labels", "Not known yet"),
    RootCause.KNOWLEDGE: QT_TRANSLATE_NOOP("labels", "Knowledge or skill gap"),
    RootCause.PROCESS: QT_TRANSLATE_NOOP("labels", "Process"),
    RootCause.TOOLS: QT_TRANSLATE_NOOP("labels", "Tools or systems"),
    RootCause.INCENTIVES: QT_TRANSLATE_NOOP("labels", "Incentives"),
    RootCause.MANAGER_SUPPORT: QT_TRANSLATE_NOOP("labels", "Manager support"),
    RootCause.ENVIRONMENT: QT_TRANSLATE_NOOP("labels", "Work environment"),
    # ItemKind
    ItemKind.CONTENT: QT_TRANSLATE_NOOP("labels", "Content"),
    ItemKind.PRACTICE: QT_TRANSLATE_NOOP("labels", "Practice / experience"),
    ItemKind.PERFORMANCE_SUPPORT: QT_TRANSLATE_NOOP("labels", "Performance support"),
    ItemKind.COMMUNITY: QT_TRANSLATE_NOOP("labels", "Community / social"),
    ItemKind.TOOL: QT_TRANSLATE_NOOP("labels", "Tool / automation"),
    ItemKind.EXPERIMENT: QT_TRANSLATE_NOOP("labels", "Experiment"),
    ItemKind.NON_TRAINING_FIX: QT_TRANSLATE_NOOP("labels", "Non-training fix"),
    # LearningMode (70:20:10)
    LearningMode.EXPERIENCE: QT_TRANSLATE_NOOP("labels", "Experience (70)"),
    LearningMode.EXPOSURE: QT_TRANSLATE_NOOP("labels", "Exposure / social (20)"),
    LearningMode.EDUCATION: QT_TRANSLATE_NOOP("labels", "Education (10)"),
    # MomentOfNeed
    MomentOfNeed.NEW: QT_TRANSLATE_NOOP("labels", "New"),
    MomentOfNeed.MORE: QT_TRANSLATE_NOOP("labels", "More"),
    MomentOfNeed.APPLY: QT_TRANSLATE_NOOP("labels", "Apply"),
    MomentOfNeed.SOLVE: QT_TRANSLATE_NOOP("labels", "Solve"),
    MomentOfNeed.CHANGE: QT_TRANSLATE_NOOP("labels", "Change"),
    # Sourcing
    Sourcing.BUILD: QT_TRANSLATE_NOOP("labels", "Build in-house"),
    Sourcing.CURATE: QT_TRANSLATE_NOOP("labels", "Curate"),
    Sourcing.SME_LED: QT_TRANSLATE_NOOP("labels", "SME-led"),
    Sourcing.OUTSOURCE: QT_TRANSLATE_NOOP("labels", "Outsource / buy"),
    Sourcing.NOT_TRAINING: QT_TRANSLATE_NOOP("labels", "Not training"),
    # MoSCoW
    MoSCoW.MUST: QT_TRANSLATE_NOOP("labels", "Must have"),
    MoSCoW.SHOULD: QT_TRANSLATE_NOOP("labels", "Should have"),
    MoSCoW.COULD: QT_TRANSLATE_NOOP("labels", "Could have"),
    MoSCoW.WONT: QT_TRANSLATE_NOOP("labels", "Won’t have (this time)"),
    # ItemStatus
    ItemStatus.IDEA: QT_TRANSLATE_NOOP("labels", "Idea"),
    ItemStatus.READY: QT_TRANSLATE_NOOP("labels", "Ready"),
    ItemStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("labels", "In progress"),
    ItemStatus.DONE: QT_TRANSLATE_NOOP("labels", "Done"),
    ItemStatus.DROPPED: QT_TRANSLATE_NOOP("labels", "Dropped"),
    # StakeholderKind
    StakeholderKind.SPONSOR: QT_TRANSLATE_NOOP("labels", "Sponsor"),
    StakeholderKind.BUSINESS_LEADER: QT_TRANSLATE_NOOP("labels", "Business leader"),
    StakeholderKind.SME: QT_TRANSLATE_NOOP("labels", "Subject-matter expert"),
    StakeholderKind.LEARNER_REP: QT_TRANSLATE_NOOP("labels", "Learner representative"),
    StakeholderKind.LEARNER: QT_TRANSLATE_NOOP("labels", "Learner"),
    StakeholderKind.LIAISON: QT_TRANSLATE_NOOP("labels", "Liaison"),
    StakeholderKind.HR: QT_TRANSLATE_NOOP("labels", "HR"),
    StakeholderKind.OTHER: QT_TRANSLATE_NOOP("labels", "Other"),
    # Support
    Support.BLOCKER: QT_TRANSLATE_NOOP("labels", "Blocker"),
    Support.SCEPTIC: QT_TRANSLATE_NOOP("labels", "Sceptic"),
    Support.NEUTRAL: QT_TRANSLATE_NOOP("labels", "Neutral"),
    Support.SUPPORTER: QT_TRANSLATE_NOOP("labels", "Supporter"),
    Support.CHAMPION: QT_TRANSLATE_NOOP("labels", "Champion"),
    # Engagement
    Engagement.UNAWARE: QT_TRANSLATE_NOOP("labels", "Unaware"),
    Engagement.RESISTANT: QT_TRANSLATE_NOOP("labels", "Resistant"),
    Engagement.NEUTRAL: QT_TRANSLATE_NOOP("labels", "Neutral"),
    Engagement.SUPPORTIVE: QT_TRANSLATE_NOOP("labels", "Supportive"),
    Engagement.LEADING: QT_TRANSLATE_NOOP("labels", "Leading"),
    # MetricTier
    MetricTier.OPERATIONAL: QT_TRANSLATE_NOOP("labels", "Operational"),
    MetricTier.BEHAVIOUR: QT_TRANSLATE_NOOP("labels", "Learner goal / behaviour"),
    MetricTier.BUSINESS: QT_TRANSLATE_NOOP("labels", "Business"),
    # Direction
    Direction.INCREASE: QT_TRANSLATE_NOOP("labels", "Increase"),
    Direction.DECREASE: QT_TRANSLATE_NOOP("labels", "Decrease"),
    # Decision
    Decision.PENDING: QT_TRANSLATE_NOOP("labels", "Pending"),
    Decision.AMPLIFY: QT_TRANSLATE_NOOP("labels", "Amplify"),
    Decision.ITERATE: QT_TRANSLATE_NOOP("labels", "Iterate"),
    Decision.DROP: QT_TRANSLATE_NOOP("labels", "Drop"),
    # StoryKind
    StoryKind.SUCCESS: QT_TRANSLATE_NOOP("labels", "Success case"),
    StoryKind.NON_SUCCESS: QT_TRANSLATE_NOOP("labels", "Non-success case"),
    StoryKind.QUOTE: QT_TRANSLATE_NOOP("labels", "Quote"),
    # Quadrant (power / interest)
    Quadrant.MANAGE_CLOSELY: QT_TRANSLATE_NOOP("labels", "Manage closely"),
    Quadrant.KEEP_SATISFIED: QT_TRANSLATE_NOOP("labels", "Keep satisfied"),
    Quadrant.KEEP_INFORMED: QT_TRANSLATE_NOOP("labels", "Keep informed"),
    Quadrant.MONITOR: QT_TRANSLATE_NOOP("labels", "Monitor"),
    # ValueEffortQuadrant
    ValueEffortQuadrant.QUICK_WIN: QT_TRANSLATE_NOOP("labels", "Quick win"),
    ValueEffortQuadrant.BIG_BET: QT_TRANSLATE_NOOP("labels", "Big bet"),
    ValueEffortQuadrant.FILL_IN: QT_TRANSLATE_NOOP("labels", "Fill-in"),
    ValueEffortQuadrant.MONEY_PIT: QT_TRANSLATE_NOOP("labels", "Money pit"),
    # Horizon (the roadmap)
    Horizon.NOW: QT_TRANSLATE_NOOP("labels", "Now"),
    Horizon.NEXT: QT_TRANSLATE_NOOP("labels", "Next"),
    Horizon.LATER: QT_TRANSLATE_NOOP("labels", "Later"),
    # Cadence
    Cadence.NONE: QT_TRANSLATE_NOOP("labels", "When it happens"),
    Cadence.WEEKLY: QT_TRANSLATE_NOOP("labels", "Weekly"),
    Cadence.FORTNIGHTLY: QT_TRANSLATE_NOOP("labels", "Fortnightly"),
    Cadence.MONTHLY: QT_TRANSLATE_NOOP("labels", "Monthly"),
    Cadence.QUARTERLY: QT_TRANSLATE_NOOP("labels", "Quarterly"),
    # ExperimentState
    ExperimentState.PLANNED: QT_TRANSLATE_NOOP("labels", "Planned"),
    ExperimentState.RUNNING: QT_TRANSLATE_NOOP("labels", "Running"),
    ExperimentState.DECIDING: QT_TRANSLATE_NOOP("labels", "Deciding"),
    ExperimentState.DECIDED: QT_TRANSLATE_NOOP("labels", "Decided"),
    # Track
    Track.ON_TRACK: QT_TRANSLATE_NOOP("labels", "On track"),
    Track.OFF_TRACK: QT_TRANSLATE_NOOP("labels", "Off track"),
    Track.MET: QT_TRANSLATE_NOOP("labels", "Met"),
    Track.MISSED: QT_TRANSLATE_NOOP("labels", "Missed"),
    Track.NO_TARGET: QT_TRANSLATE_NOOP("labels", "No target"),
    Track.NOT_ENOUGH_DATA: QT_TRANSLATE_NOOP("labels", "Not enough data"),
}

#: Labels of enums whose values repeat another enum's ("knowledge" is a Cause and a RootCause;
#: a StrEnum member equals its value, so members of two enums with one value are one dict key):
#: keyed by (enum, value).
_SOURCE_BY_ENUM: dict[tuple[type[Enum], object], object] = {
    # TriageStatus
    (TriageStatus, TriageStatus.NEW.value): QT_TRANSLATE_NOOP("labels", "New"),
    (TriageStatus, TriageStatus.IN_REVIEW.value): QT_TRANSLATE_NOOP("labels", "In review"),
    (TriageStatus, TriageStatus.WAITLISTED.value): QT_TRANSLATE_NOOP("labels", "Waitlisted"),
    (TriageStatus, TriageStatus.APPROVED.value): QT_TRANSLATE_NOOP("labels", "Approved"),
    (TriageStatus, TriageStatus.DECLINED.value): QT_TRANSLATE_NOOP("labels", "Declined"),
    (TriageStatus, TriageStatus.ROUTED.value): QT_TRANSLATE_NOOP(
        "labels", "Routed (not a training problem)"
    ),
    # Cause ("why aren't they doing it?")
    (Cause, Cause.KNOWLEDGE.value): QT_TRANSLATE_NOOP("labels", "Knowledge"),
    (Cause, Cause.SKILL.value): QT_TRANSLATE_NOOP("labels", "Skill"),
    (Cause, Cause.EXPECTATIONS.value): QT_TRANSLATE_NOOP("labels", "Unclear expectations"),
    (Cause, Cause.PROCESS.value): QT_TRANSLATE_NOOP("labels", "Process"),
    (Cause, Cause.TOOLS.value): QT_TRANSLATE_NOOP("labels", "Tools or access"),
    (Cause, Cause.INCENTIVES.value): QT_TRANSLATE_NOOP("labels", "Incentives"),
    (Cause, Cause.CONFIDENCE.value): QT_TRANSLATE_NOOP("labels", "Confidence"),
    (Cause, Cause.MANAGER_SUPPORT.value): QT_TRANSLATE_NOOP("labels", "Manager support"),
    (Cause, Cause.MEASUREMENT.value): QT_TRANSLATE_NOOP("labels", "Measurement"),
    (Cause, Cause.ENVIRONMENT.value): QT_TRANSLATE_NOOP("labels", "Work environment"),
    # ScoringMethod
    (ScoringMethod, ScoringMethod.RICE.value): QT_TRANSLATE_NOOP("labels", "RICE"),
    (ScoringMethod, ScoringMethod.WSJF.value): QT_TRANSLATE_NOOP("labels", "WSJF"),
    (ScoringMethod, ScoringMethod.VALUE_EFFORT.value): QT_TRANSLATE_NOOP(
        "labels", "Value / effort"
    ),
    (ScoringMethod, ScoringMethod.MOSCOW.value): QT_TRANSLATE_NOOP("labels", "MoSCoW"),
    (ScoringMethod, ScoringMethod.RANK.value): QT_TRANSLATE_NOOP("labels", "Manual rank"),
}
_BY_KEY: dict[tuple[type[Enum], object], object] = {
    **{(type(member), member.value): text for member, text in _SOURCE.items()},
    **_SOURCE_BY_ENUM,
}


#: Translated labels by (enum, value): a table of thousands of rows asks for the same few.
_TRANSLATED: dict[tuple[type[Enum], object], str] = {}


def label(member: Enum) -> str:
    """The translated label of an enum member (its value, if none is declared)."""
    key = (type(member), member.value)
    text = _TRANSLATED.get(key)
    if text is None:
        source = _BY_KEY.get(key) or _SOURCE.get(member)
        text = (
            str(member.value)
            if source is None
            else QCoreApplication.translate(CONTEXT, str(source))
        )
        _TRANSLATED[key] = text
    return text


def forget_translations() -> None:
    """Translate the labels again (after the application's language changed)."""
    _TRANSLATED.clear()


def choices(enum_cls: type[E]) -> list[tuple[E, str]]:
    """Every member of ``enum_cls`` with its label, in declaration order (for combo boxes)."""
    return [(member, label(member)) for member in enum_cls]


def has_label(member: Enum) -> bool:
    """True if a label is declared for ``member`` (tests use it to catch new enum members)."""
    return (type(member), member.value) in _BY_KEY or member in _SOURCE
