"""Demo data: the brief's scenario, as a complete, realistic workspace.

:func:`populate_demo` fills a freshly created project file (see
:func:`ldpm.persistence.document.create_file`) for *Northwind Engineering*: the head of
engineering asked for "a class on communication"; the intake found that Dev→Ops hand-offs fail
during incidents, and the answer became a hand-off kit (checklist, shadowing, a 10-minute
module) tested first as a Trojan mouse with one on-call team.  Three lighter initiatives at other
stages and one archived one fill the portfolio.

Everything is deterministic: dates are fixed in 2026 and measurements come from
``random.Random(42)``.  Only the entity ids (UUIDs) differ between two runs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from ldpm.domain.entities import (
    Assessment,
    BacklogItem,
    Entity,
    Experiment,
    Initiative,
    Interaction,
    ItemSme,
    KeyResult,
    Measurement,
    Metric,
    Objective,
    Person,
    Release,
    Segment,
    Stakeholder,
    Story,
    Workspace,
)
from ldpm.domain.enums import (
    Decision,
    Direction,
    Engagement,
    ItemKind,
    ItemStatus,
    LearningMode,
    MetricTier,
    MomentOfNeed,
    MoSCoW,
    RootCause,
    Sourcing,
    Stage,
    StakeholderKind,
    StoryKind,
    Support,
)
from ldpm.domain.ranking import spread_ranks
from ldpm.persistence.store import Tx

__all__ = ["populate_demo"]

SEED = 42

# Key dates of the main initiative (all Mondays unless noted).
REQUESTED_ON = date(2026, 2, 9)
STARTED_ON = date(2026, 3, 2)
FIRST_WEEK = date(2026, 2, 2)  # first weekly measurement (baseline period)
WEEKS = 21  # 2 February … 22 June 2026
PILOT_START = date(2026, 3, 16)  # Trojan mouse with Team Blue
CHECKLIST_V2 = date(2026, 3, 30)  # the 7-point checklist replaces the 22-point one
PILOT_END = date(2026, 4, 12)  # a Sunday: four full weeks
MODULE_LAUNCH = date(2026, 4, 6)
MVP_DATE = date(2026, 4, 27)
RELEASE_2_DATE = date(2026, 7, 31)
OUTCOME_DATE = date(2026, 9, 30)  # "within two quarters" of the start

MAIN_SEGMENTS = ("Remote engineers", "New hires (under 6 months)", "On-call rotation")


@dataclass(slots=True)
class _Batch:
    """Entities collected per type, inserted parents first."""

    rows: dict[type[Entity], list[Entity]] = field(default_factory=dict)

    def add(self, *entities: Entity) -> None:
        for entity in entities:
            self.rows.setdefault(type(entity), []).append(entity)

    def flush(self, tx: Tx, order: Sequence[type[Entity]]) -> None:
        for cls in order:
            tx.insert_many(self.rows.get(cls, []))


_ORDER: tuple[type[Entity], ...] = (
    Initiative,
    Segment,
    Metric,
    Measurement,
    Objective,
    KeyResult,
    Release,
    BacklogItem,
    Person,
    ItemSme,
    Stakeholder,
    Assessment,
    Interaction,
    Experiment,
    Story,
)


def populate_demo(tx: Tx) -> None:
    """Fill the workspace in ``tx`` with the Northwind Engineering demo."""
    ws = tx.list(Workspace)[0]
    tx.update(
        Workspace,
        ws.id,
        {
            "name": "Northwind Engineering",
            "organisation": "Northwind Systems",
            "description": (
                "Learning initiatives for Northwind's engineering and operations teams, run "
                "as products: a real problem, an MVP, stakeholders and evidence of impact."
            ),
        },
    )
    rng = random.Random(SEED)
    batch = _Batch()
    people = _people(batch)
    ranks = spread_ranks(5)
    _main_initiative(batch, rng, people, ranks[0])
    _secure_coding(batch, rng, people, ranks[1])
    _manager_onboarding(batch, people, ranks[2])
    _sales_demo(batch, rng, people, ranks[3])
    _kubernetes_archived(batch, rng, people, ranks[4])
    batch.flush(tx, _ORDER)


# --------------------------------------------------------------------------- helpers


def _weeks(start: date, count: int, step: int = 7) -> list[date]:
    return [start + timedelta(days=step * i) for i in range(count)]


def _interpolate(points: Sequence[tuple[date, float]], on: date) -> float:
    """Piecewise-linear value at ``on``, flat before the first and after the last point."""
    if on <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in pairwise(points):
        if on <= d1:
            return v0 + (v1 - v0) * (on - d0).days / (d1 - d0).days
    return points[-1][1]


def _series(
    rng: random.Random,
    metric_id: str,
    dates: Sequence[date],
    trend: Sequence[tuple[date, float]],
    *,
    noise: float,
    digits: int,
    low: float = 0.0,
    high: float | None = None,
    segment: str = "",
    notes: dict[date, str] | None = None,
) -> list[Measurement]:
    """Noisy measurements around a trend line, clamped to ``[low, high]``."""
    out = []
    for on in dates:
        value = _interpolate(trend, on) + rng.gauss(0.0, noise)
        value = max(low, value if high is None else min(high, value))
        out.append(
            Measurement(
                metric_id=metric_id,
                on=on,
                value=round(value, digits),
                segment=segment,
                note=(notes or {}).get(on, ""),
            )
        )
    return out


def _email(name: str) -> str:
    first, last = name.lower().replace("á", "a").replace("é", "e").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@northwind.example"


def _person(batch: _Batch, name: str, role: str, department: str, **fields: str) -> Person:
    person = Person(name=name, role=role, department=department, email=_email(name), **fields)
    batch.add(person)
    return person


# ---------------------------------------------------------------------------- people


@dataclass(frozen=True, slots=True)
class _People:
    head_eng: Person
    ops_director: Person
    lead_ops: Person
    lead_dev: Person
    learner_rep: Person
    hrbp: Person
    new_hire: Person
    sre_manager: Person
    ld_pm: Person
    designer: Person
    cpo: Person
    appsec: Person
    vp_sales: Person


def _people(batch: _Batch) -> _People:
    p = _person
    return _People(
        head_eng=p(
            batch,
            "Daniel Okafor",
            "Head of Engineering",
            "Engineering",
            notes="Asked for the 'communication class'. Decides fast; likes a one-page update.",
        ),
        ops_director=p(
            batch,
            "Helen Marsh",
            "Operations Director",
            "Operations",
            notes=(
                "Owns the on-call budget and the incident SLAs. Ran the 2024 incident-training "
                "programme that changed nothing; has been wary of L&D since."
            ),
        ),
        lead_ops=p(
            batch,
            "Tomás Reyes",
            "On-call Lead, Platform Operations",
            "Operations",
            expertise=(
                "Incident command and Dev→Ops hand-offs; wrote the original runbook "
                "conventions. His hand-offs have the lowest re-work rate in the PIR data."
            ),
        ),
        lead_dev=p(
            batch,
            "Aisha Karimi",
            "On-call Lead, Payments Engineering",
            "Engineering",
            expertise=(
                "Structured hand-offs from the development side: states impact, actions taken, "
                "open hypotheses and next owner in under two minutes. Mentors new on-callers."
            ),
        ),
        learner_rep=p(
            batch,
            "Sam Whitfield",
            "Site Reliability Engineer (on call, Team Blue)",
            "Operations",
            notes="Remote (Leeds). Speaks for the on-call engineers; honest about what fails.",
        ),
        hrbp=p(batch, "Grace Adeyemi", "HR Business Partner, Engineering", "People"),
        new_hire=p(
            batch,
            "Lena Hoffmann",
            "Software Engineer (joined January 2026)",
            "Engineering",
            notes="Remote (Berlin). First on-call rotation in April 2026.",
        ),
        sre_manager=p(
            batch,
            "Priya Natarajan",
            "SRE Manager",
            "Operations",
            expertise="Owns incident metrics and the post-incident review (PIR) process.",
        ),
        ld_pm=p(batch, "Maya Lindqvist", "L&D Product Manager", "Learning & Development"),
        designer=p(
            batch,
            "Ravi Menon",
            "Learning Experience Designer",
            "Learning & Development",
            expertise="Microlearning, job aids and short-form video.",
        ),
        cpo=p(batch, "Fiona Gallagher", "Chief People Officer", "People"),
        appsec=p(
            batch,
            "Owen Price",
            "Application Security Lead",
            "Security",
            expertise="OWASP Top 10, static analysis rules, secure code review.",
        ),
        vp_sales=p(batch, "Carla Jensen", "VP Sales, EMEA", "Sales"),
    )


# ------------------------------------------------------------------- main initiative


def _main_initiative(batch: _Batch, rng: random.Random, people: _People, rank: str) -> None:
    initiative = Initiative(
        name="Incident hand-offs",
        owner=people.ld_pm.name,
        sponsor=people.head_eng.name,
        stage=Stage.BUILD_MVP,
        rank=rank,
        request=(
            "We need a class on communication. Dev and Ops keep talking past each other "
            "during incidents."
        ),
        requested_by=f"{people.head_eng.name}, {people.head_eng.role}",
        requested_on=REQUESTED_ON,
        intake_problem=(
            "When an incident moves from the developers who caused or first saw it to the "
            "Operations on-call engineer, context is lost: customer impact, what was already "
            "tried and who owns the next step are missing or wrong. Post-incident reviews "
            "(PIRs) for January 2026 record 2.5 hand-off errors per incident on average, and "
            "roughly a third of the time to resolve is spent re-discovering what the first "
            "responder already knew."
        ),
        intake_who=(
            "Engineers on the Dev→Ops on-call rotation (72 people across six teams). Remote "
            "engineers (38) and new hires in their first six months (14) are most affected: "
            "their hand-offs carry about 30% more errors, mostly at night and across time "
            "zones when no one can be tapped on the shoulder."
        ),
        intake_optimal=(
            "Every hand-off states, in the incident channel and in under two minutes: current "
            "customer impact, what has been tried and ruled out, open hypotheses, the exact "
            "next step and who now owns the incident. The receiving engineer confirms it back."
        ),
        intake_measure=(
            "Hand-off errors per incident, coded in every PIR (new 'hand-off' field); mean "
            "time to resolve for P1–P3 incidents from the pager analytics; share of hand-offs "
            "with a completed checklist in the incident channel."
        ),
        intake_exemplars=(
            "Tomás Reyes (Platform Operations) and Aisha Karimi (Payments Engineering), the "
            "two on-call leads whose hand-offs almost never need re-work. Both already use a "
            "personal, informal hand-off routine."
        ),
        intake_form=(
            "In the flow of work and short: nothing that takes engineers off the rota for a "
            "day. A checklist usable at 3 a.m., shadowing real hand-offs with the two leads, "
            "and at most 10 minutes of self-paced content for new hires."
        ),
        root_cause=RootCause.KNOWLEDGE,
        routed_to=(
            "Process part (no hand-off field in the PIR template, no hand-off prompt in the "
            "pager tool) routed to Priya Natarajan, SRE Manager, and the Developer Experience "
            "team (ticket DX-412)."
        ),
        problem_statement=(
            "Remote engineers and new hires on the Dev→Ops on-call rotation hand incidents "
            "over without a structured hand-off (impact, actions taken, hypotheses, next "
            "owner). Hand-off errors per incident should fall from 2.5 to 1.5 by 30 September "
            "2026. It is mostly a practice gap — the two on-call leads show it can be done — "
            "with a process gap alongside: nothing in the tools asks for a hand-off."
        ),
        problem_segment="Remote engineers and new hires on the Dev→Ops on-call rotation",
        problem_behaviour=(
            "hand incidents over without stating impact, actions taken, open hypotheses and "
            "the next owner"
        ),
        problem_metric="Hand-off errors per incident (coded in post-incident reviews)",
        problem_unit="errors per incident",
        problem_baseline=2.5,
        problem_target=1.5,
        problem_date=OUTCOME_DATE,
        audience=(
            "The 72 engineers on the Dev→Ops on-call rotation, first the remote engineers and "
            "new hires; their on-call leads and the incident commanders who receive hand-offs."
        ),
        outcome=(
            "Incident hand-off errors down 40% and mean time to resolve down 25% within two "
            "quarters (by 30 September 2026)."
        ),
    )
    iid = initiative.id
    batch.add(initiative)
    seg_ranks = spread_ranks(len(MAIN_SEGMENTS))
    batch.add(
        Segment(
            initiative_id=iid,
            name=MAIN_SEGMENTS[0],
            description="Engineers working from home or another office; 11 time zones.",
            size=38,
            rank=seg_ranks[0],
        ),
        Segment(
            initiative_id=iid,
            name=MAIN_SEGMENTS[1],
            description="Joined Northwind less than six months ago; first on-call rotations.",
            size=14,
            rank=seg_ranks[1],
        ),
        Segment(
            initiative_id=iid,
            name=MAIN_SEGMENTS[2],
            description="Everyone on the six Dev→Ops on-call teams (Blue, Green, Red, Amber, "
            "Payments, Data).",
            size=72,
            rank=seg_ranks[2],
        ),
    )
    metrics = _main_metrics(batch, rng, people, iid)
    _main_okrs(batch, iid, metrics)
    experiment = _main_experiment(batch, iid, metrics)
    _main_backlog(batch, iid, people)
    _main_stakeholders(batch, iid, people)
    _main_stories(batch, iid, people, metrics, experiment)


@dataclass(frozen=True, slots=True)
class _MainMetrics:
    errors: Metric
    mttr: Metric
    usage: Metric
    completions: Metric
    satisfaction: Metric
    latest: dict[str, float]  # metric id → latest all-teams value


def _main_metrics(batch: _Batch, rng: random.Random, people: _People, iid: str) -> _MainMetrics:
    errors = Metric(
        initiative_id=iid,
        name="Hand-off errors per incident",
        description=(
            "Missing or wrong impact, actions, hypotheses or next owner at a Dev→Ops hand-off, "
            "as coded by the incident commander in the post-incident review."
        ),
        tier=MetricTier.BEHAVIOUR,
        kirkpatrick=3,
        ltem=7,
        unit="errors per incident",
        direction=Direction.DECREASE,
        baseline=2.5,
        target=1.5,
        target_date=OUTCOME_DATE,
        source="Post-incident reviews (PIR template, 'hand-off' field), P1–P3 incidents",
        owner=people.sre_manager.name,
    )
    mttr = Metric(
        initiative_id=iid,
        name="Mean time to resolve (P1–P3)",
        description="Mean minutes from page to resolution for P1–P3 incidents, weekly.",
        tier=MetricTier.BUSINESS,
        kirkpatrick=4,
        ltem=8,
        unit="minutes",
        direction=Direction.DECREASE,
        baseline=96.0,
        target=72.0,
        target_date=OUTCOME_DATE,
        source="Pager analytics export (weekly), P1–P3 incidents",
        owner=people.ops_director.name,
    )
    usage = Metric(
        initiative_id=iid,
        name="Hand-offs with a completed checklist",
        description=(
            "Share of Dev→Ops hand-offs where the hand-off checklist was posted and confirmed "
            "in the incident channel, across all six on-call teams."
        ),
        tier=MetricTier.BEHAVIOUR,
        kirkpatrick=3,
        ltem=7,
        unit="% of hand-offs",
        direction=Direction.INCREASE,
        baseline=0.0,
        target=80.0,
        target_date=OUTCOME_DATE,
        source="Incident channel export (checklist posts), checked against the pager log",
        owner=people.ld_pm.name,
        segment=MAIN_SEGMENTS[2],
    )
    completions = Metric(
        initiative_id=iid,
        name="Micro-module completions",
        description=(
            "Cumulative completions of 'Hand-offs in 10 minutes'. Activity, not impact: "
            "managers assigned it to whole teams, so it rises whatever happens at 3 a.m."
        ),
        tier=MetricTier.OPERATIONAL,
        ltem=2,
        unit="completions (cumulative)",
        direction=Direction.INCREASE,
        baseline=0.0,
        target=72.0,
        target_date=OUTCOME_DATE,
        source="Learning platform report",
        owner=people.designer.name,
    )
    satisfaction = Metric(
        initiative_id=iid,
        name="Hand-off kit usefulness rating",
        description="Fortnightly one-question pulse to on-call engineers: 'How useful was "
        "the hand-off kit this fortnight?' (1–5).",
        tier=MetricTier.OPERATIONAL,
        kirkpatrick=1,
        ltem=3,
        unit="average rating (1–5)",
        direction=Direction.INCREASE,
        baseline=3.9,
        target=4.3,
        target_date=OUTCOME_DATE,
        source="Pulse survey in the on-call chat channel",
        owner=people.ld_pm.name,
    )
    batch.add(errors, mttr, usage, completions, satisfaction)

    weekly = _weeks(FIRST_WEEK, WEEKS)
    events = {
        PILOT_START: "Trojan mouse starts: Team Blue uses checklist v1 (22 points).",
        CHECKLIST_V2: "Checklist v2 (7 points) replaces v1 in Team Blue.",
        MVP_DATE: "MVP hand-off kit released to Teams Blue, Green and Red.",
    }
    error_trend = [
        (FIRST_WEEK, 2.5),
        (date(2026, 3, 9), 2.5),
        (PILOT_END, 2.3),
        (MVP_DATE, 2.2),
        (weekly[-1], 1.75),
    ]
    all_errors = _series(
        rng, errors.id, weekly, error_trend, noise=0.15, digits=2, low=0.3, notes=events
    )
    remote = _series(
        rng,
        errors.id,
        weekly,
        [(d, v * 1.3) for d, v in error_trend],
        noise=0.25,
        digits=2,
        low=0.3,
        segment=MAIN_SEGMENTS[0],
    )
    new_hires = _series(
        rng,
        errors.id,
        weekly,
        [(FIRST_WEEK, 3.4), (date(2026, 3, 9), 3.4), (MVP_DATE, 3.1), (weekly[-1], 2.0)],
        noise=0.22,
        digits=2,
        low=0.3,
        segment=MAIN_SEGMENTS[1],
    )
    mttr_values = _series(
        rng,
        mttr.id,
        weekly,
        [(FIRST_WEEK, 96.0), (date(2026, 3, 9), 96.0), (MVP_DATE, 92.0), (weekly[-1], 82.0)],
        noise=3.5,
        digits=0,
        low=30.0,
        notes={MVP_DATE: events[MVP_DATE]},
    )
    usage_values = _series(
        rng,
        usage.id,
        _weeks(PILOT_START, 15),
        [
            (PILOT_START, 10.0),
            (date(2026, 3, 23), 5.0),
            (CHECKLIST_V2, 13.0),
            (date(2026, 4, 20), 14.0),
            (MVP_DATE, 30.0),
            (weekly[-1], 62.0),
        ],
        noise=2.0,
        digits=0,
        high=100.0,
        notes={
            date(2026, 3, 23): "Team Blue stopped using v1 at night: too long.",
            **{k: v for k, v in events.items() if k != PILOT_START},
        },
    )
    completions_values = []
    total = 0.0
    for i, on in enumerate(_weeks(MODULE_LAUNCH, 12)):
        total += rng.randint(5, 9) if i < 3 else rng.randint(1, 4)
        completions_values.append(
            Measurement(
                metric_id=completions.id,
                on=on,
                value=total,
                note="Launched; assigned to all on-call engineers by their managers."
                if i == 0
                else "",
            )
        )
    satisfaction_values = _series(
        rng,
        satisfaction.id,
        _weeks(date(2026, 4, 13), 6, step=14),
        [(date(2026, 4, 13), 3.9), (date(2026, 6, 22), 4.2)],
        noise=0.08,
        digits=1,
        high=5.0,
    )
    batch.add(
        *all_errors,
        *remote,
        *new_hires,
        *mttr_values,
        *usage_values,
        *completions_values,
        *satisfaction_values,
    )
    latest = {
        errors.id: all_errors[-1].value,
        mttr.id: mttr_values[-1].value,
        usage.id: usage_values[-1].value,
        completions.id: completions_values[-1].value,
        satisfaction.id: satisfaction_values[-1].value,
    }
    return _MainMetrics(errors, mttr, usage, completions, satisfaction, latest)


def _main_okrs(batch: _Batch, iid: str, m: _MainMetrics) -> None:
    obj_ranks = spread_ranks(2)
    handoffs = Objective(
        initiative_id=iid,
        title="Incidents change hands without losing what the first responder knew",
        rank=obj_ranks[0],
    )
    service = Objective(
        initiative_id=iid,
        title="Customers get service back sooner after an incident",
        rank=obj_ranks[1],
    )
    batch.add(handoffs, service)
    kr3 = spread_ranks(3)
    kr2 = spread_ranks(2)
    batch.add(
        KeyResult(
            objective_id=handoffs.id,
            title="Cut hand-off errors per incident by 40%, from 2.5 to 1.5",
            metric_id=m.errors.id,
            unit=m.errors.unit,
            baseline=m.errors.baseline,
            target=m.errors.target,
            current=m.latest[m.errors.id],
            due=OUTCOME_DATE,
            rank=kr3[0],
        ),
        KeyResult(
            objective_id=handoffs.id,
            title="80% of Dev→Ops hand-offs use the checklist",
            metric_id=m.usage.id,
            unit=m.usage.unit,
            baseline=m.usage.baseline,
            target=m.usage.target,
            current=m.latest[m.usage.id],
            due=OUTCOME_DATE,
            rank=kr3[1],
        ),
        KeyResult(
            objective_id=handoffs.id,
            title="Every new hire shadows two live hand-offs before their first solo shift",
            unit="% of new hires",
            baseline=10.0,
            target=100.0,
            current=55.0,
            due=OUTCOME_DATE,
            rank=kr3[2],
        ),
        KeyResult(
            objective_id=service.id,
            title="Cut mean time to resolve P1–P3 incidents by 25%, from 96 to 72 minutes",
            metric_id=m.mttr.id,
            unit=m.mttr.unit,
            baseline=m.mttr.baseline,
            target=m.mttr.target,
            current=m.latest[m.mttr.id],
            due=OUTCOME_DATE,
            rank=kr2[0],
        ),
        KeyResult(
            objective_id=service.id,
            title="No P1 post-incident review finds 'context lost at hand-off' for 8 weeks "
            "running",
            unit="consecutive weeks",
            baseline=0.0,
            target=8.0,
            current=3.0,
            due=OUTCOME_DATE,
            rank=kr2[1],
        ),
    )


def _main_experiment(batch: _Batch, iid: str, m: _MainMetrics) -> Experiment:
    experiment = Experiment(
        initiative_id=iid,
        title="Trojan mouse: hand-off checklist with Team Blue",
        hypothesis=(
            "If Team Blue posts a short hand-off checklist in the incident channel at every "
            "Dev→Ops hand-off for four weeks, their hand-off errors per incident fall by at "
            "least 30% against their previous four weeks, without slowing the hand-off down."
        ),
        change=(
            "Team Blue's on-call engineers use the checklist (v1: 22 points; v2 from 30 March: "
            "7 points) at every hand-off, pinned in the incident channel. No training session; "
            "Tomás Reyes demonstrates it once in the weekly on-call sync."
        ),
        audience="On-call Team Blue: 11 engineers, 4 of them remote and 2 new hires",
        metric_id=m.errors.id,
        pass_criterion=(
            "Team Blue's hand-off errors per incident at or below 1.8 (from 2.6) over at least "
            "8 incidents, and median hand-off time up by no more than 2 minutes."
        ),
        start=PILOT_START,
        end=PILOT_END,
        result=(
            "14 incidents, 23 hand-offs. Hand-off errors per incident fell from 2.6 to 1.4 "
            "(−46%); median hand-off time rose by 1 minute. Checklist v1 was skipped at night "
            "in week 2; after v2 (7 points) it was used in 19 of the 23 hand-offs. Two "
            "engineers asked for a /handoff command so they would not have to paste it."
        ),
        decision=Decision.AMPLIFY,
    )
    batch.add(experiment)
    return experiment


@dataclass(frozen=True, slots=True)
class _Item:
    title: str
    description: str
    kind: ItemKind
    mode: LearningMode | None
    moment: MomentOfNeed | None
    sourcing: Sourcing
    effort: float
    reach: int
    impact: float
    confidence: float
    wsjf: tuple[int, int, int, int]  # business value, time criticality, risk reduction, size
    value: int
    moscow: MoSCoW
    status: ItemStatus
    release: str | None  # "mvp", "r2", "later"


_MAIN_ITEMS = (
    _Item(
        "Incident hand-off checklist (7 points)",
        "One screen, pinned in every incident channel: impact now, actions taken, ruled out, "
        "open hypotheses, next step, new owner, confirm-back. Used at the hand-off itself "
        "(Apply) and when an incident stalls (Solve). Built from how Tomás and Aisha already "
        "hand over.",
        ItemKind.PERFORMANCE_SUPPORT,
        LearningMode.EXPERIENCE,
        MomentOfNeed.APPLY,
        Sourcing.BUILD,
        4.0,
        72,
        3.0,
        0.8,
        (9, 8, 8, 3),
        9,
        MoSCoW.MUST,
        ItemStatus.DONE,
        "mvp",
    ),
    _Item(
        "Trojan mouse: checklist with Team Blue for four weeks",
        "Run the checklist with one on-call team before anyone else sees it; compare hand-off "
        "errors with the team's previous four weeks; report back to the sponsor and the "
        "operations director.",
        ItemKind.EXPERIMENT,
        LearningMode.EXPERIENCE,
        MomentOfNeed.APPLY,
        Sourcing.BUILD,
        2.0,
        11,
        2.0,
        0.9,
        (7, 9, 8, 2),
        8,
        MoSCoW.MUST,
        ItemStatus.DONE,
        "mvp",
    ),
    _Item(
        "Shadowing rotation with the two on-call leads",
        "Each new hire and each remote engineer without a recent P1 shadows two live hand-offs "
        "with Tomás Reyes or Aisha Karimi, then is shadowed by them on one. Half an hour of "
        "debrief per shift; no slides.",
        ItemKind.PRACTICE,
        LearningMode.EXPOSURE,
        MomentOfNeed.MORE,
        Sourcing.SME_LED,
        6.0,
        30,
        2.0,
        0.7,
        (8, 6, 7, 5),
        8,
        MoSCoW.MUST,
        ItemStatus.IN_PROGRESS,
        "mvp",
    ),
    _Item(
        "'Hand-offs in 10 minutes' micro-module for new hires",
        "Ten minutes, self-paced, in the first on-call week: why hand-offs fail, the checklist "
        "walked through on a replayed incident, and a two-question check. Linked from the "
        "onboarding plan, not the LMS catalogue.",
        ItemKind.CONTENT,
        LearningMode.EDUCATION,
        MomentOfNeed.NEW,
        Sourcing.BUILD,
        5.0,
        14,
        1.0,
        0.6,
        (5, 5, 4, 5),
        6,
        MoSCoW.SHOULD,
        ItemStatus.DONE,
        "mvp",
    ),
    _Item(
        "'Hand-off' field in the post-incident review template",
        "Process fix, routed to Priya Natarajan (SRE Manager): the incident commander codes "
        "hand-off errors in every PIR. Without it there is no metric and no feedback loop.",
        ItemKind.NON_TRAINING_FIX,
        None,
        None,
        Sourcing.OUTSOURCE,
        1.0,
        72,
        1.0,
        1.0,
        (6, 9, 7, 1),
        7,
        MoSCoW.MUST,
        ItemStatus.DONE,
        "mvp",
    ),
    _Item(
        "Checklist v2: cut from 22 points to 7",
        "Team Blue stopped using v1 at night after a week: too long to read half-awake. Keep "
        "only what the receiving engineer acts on; move the rest to the PIR.",
        ItemKind.PERFORMANCE_SUPPORT,
        LearningMode.EXPERIENCE,
        MomentOfNeed.SOLVE,
        Sourcing.BUILD,
        1.0,
        11,
        2.0,
        0.9,
        (7, 9, 6, 1),
        8,
        MoSCoW.MUST,
        ItemStatus.DONE,
        "mvp",
    ),
    _Item(
        "Hand-off prompt in the pager tool",
        "Tooling fix, routed to the Developer Experience team (ticket DX-412): when an incident "
        "is reassigned, the pager tool asks for the seven checklist fields before it pages the "
        "next owner. Not training: the tool should make the right thing the easy thing.",
        ItemKind.NON_TRAINING_FIX,
        None,
        MomentOfNeed.APPLY,
        Sourcing.OUTSOURCE,
        8.0,
        72,
        2.0,
        0.6,
        (8, 5, 8, 8),
        8,
        MoSCoW.SHOULD,
        ItemStatus.READY,
        "r2",
    ),
    _Item(
        "/handoff chat command that posts the checklist",
        "Asked for by two Team Blue engineers: type /handoff in the incident channel and the "
        "checklist appears pre-filled with the incident number and current owner.",
        ItemKind.TOOL,
        LearningMode.EXPERIENCE,
        MomentOfNeed.APPLY,
        Sourcing.BUILD,
        3.0,
        72,
        1.0,
        0.8,
        (6, 5, 4, 3),
        7,
        MoSCoW.SHOULD,
        ItemStatus.READY,
        "r2",
    ),
    _Item(
        "On-call buddy for a new hire's first three rotations",
        "Pair every new hire with an experienced on-call engineer from another team for their "
        "first three rotations; the buddy reviews each hand-off the morning after.",
        ItemKind.PRACTICE,
        LearningMode.EXPOSURE,
        MomentOfNeed.NEW,
        Sourcing.SME_LED,
        3.0,
        14,
        2.0,
        0.5,
        (6, 4, 6, 3),
        7,
        MoSCoW.SHOULD,
        ItemStatus.READY,
        "r2",
    ),
    _Item(
        "On-call community of practice: 'hand-off of the month'",
        "Monthly 30-minute call and a chat channel: one real hand-off replayed and improved, "
        "led by the on-call leads. Keeps the checklist alive after the launch.",
        ItemKind.COMMUNITY,
        LearningMode.EXPOSURE,
        MomentOfNeed.MORE,
        Sourcing.SME_LED,
        2.0,
        40,
        1.0,
        0.6,
        (5, 3, 5, 2),
        6,
        MoSCoW.SHOULD,
        ItemStatus.IDEA,
        "r2",
    ),
    _Item(
        "Quarterly incident game day with hand-off drills",
        "A half-day simulated outage per quarter, run with an external game-day facilitator; "
        "every team practises two hand-offs under time pressure.",
        ItemKind.PRACTICE,
        LearningMode.EXPERIENCE,
        MomentOfNeed.SOLVE,
        Sourcing.OUTSOURCE,
        12.0,
        72,
        2.0,
        0.5,
        (6, 3, 7, 8),
        6,
        MoSCoW.COULD,
        ItemStatus.IDEA,
        "later",
    ),
    _Item(
        "15-minute overlap at follow-the-sun shift changes",
        "Rota change, routed to Operations scheduling: remote teams in different time zones "
        "overlap for 15 minutes at shift change so that hand-offs are spoken, not only written.",
        ItemKind.NON_TRAINING_FIX,
        None,
        None,
        Sourcing.OUTSOURCE,
        2.0,
        38,
        1.0,
        0.5,
        (5, 3, 6, 2),
        6,
        MoSCoW.COULD,
        ItemStatus.IDEA,
        "later",
    ),
    _Item(
        "Curated reading: managing incidents",
        "Two chapters, curated not written: the SRE book's 'Managing Incidents' and our own "
        "incident-commander guide, linked from the checklist for those who want more.",
        ItemKind.CONTENT,
        LearningMode.EDUCATION,
        MomentOfNeed.MORE,
        Sourcing.CURATE,
        0.5,
        20,
        0.25,
        0.8,
        (2, 1, 2, 1),
        3,
        MoSCoW.COULD,
        ItemStatus.IDEA,
        "later",
    ),
    _Item(
        "Coaching guide for managers: debrief a hand-off in a 1:1",
        "One page for engineering managers: three questions to ask after a night on call, so "
        "that the habit is reinforced outside the incident.",
        ItemKind.CONTENT,
        LearningMode.EXPOSURE,
        MomentOfNeed.CHANGE,
        Sourcing.BUILD,
        2.0,
        12,
        0.5,
        0.5,
        (3, 2, 3, 2),
        4,
        MoSCoW.COULD,
        ItemStatus.IDEA,
        "later",
    ),
    _Item(
        "Two-day 'Effective communication' classroom course",
        "The original request. Dropped at intake: the engineers communicate well enough in "
        "daylight; what fails is a structured hand-off at 3 a.m. A generic course would take "
        "72 people off the rota for two days and not touch the metric.",
        ItemKind.CONTENT,
        LearningMode.EDUCATION,
        MomentOfNeed.NEW,
        Sourcing.OUTSOURCE,
        20.0,
        72,
        0.25,
        0.2,
        (3, 2, 1, 13),
        2,
        MoSCoW.WONT,
        ItemStatus.DROPPED,
        None,
    ),
)


def _item(initiative_id: str, spec: _Item, rank: str, release_id: str | None) -> BacklogItem:
    bv, tc, rr, size = spec.wsjf
    return BacklogItem(
        initiative_id=initiative_id,
        title=spec.title,
        description=spec.description,
        kind=spec.kind,
        mode=spec.mode,
        moment=spec.moment,
        sourcing=spec.sourcing,
        effort=spec.effort,
        reach=spec.reach,
        impact=spec.impact,
        confidence=spec.confidence,
        business_value=bv,
        time_criticality=tc,
        risk_reduction=rr,
        job_size=size,
        value=spec.value,
        moscow=spec.moscow,
        status=spec.status,
        release_id=release_id,
        rank=rank,
    )


def _main_backlog(batch: _Batch, iid: str, people: _People) -> None:
    rel_ranks = spread_ranks(3)
    releases = {
        "mvp": Release(
            initiative_id=iid,
            name="MVP — hand-off kit",
            story=(
                "Not a class: a 7-point hand-off checklist in every incident channel, "
                "shadowing real hand-offs with the two on-call leads, and 10 minutes for new "
                "hires. Tried first with Team Blue, then Blue, Green and Red."
            ),
            target_date=MVP_DATE,
            is_mvp=True,
            rank=rel_ranks[0],
        ),
        "r2": Release(
            initiative_id=iid,
            name="Release 2 — scale to all on-call teams",
            story=(
                "All six on-call teams, with the tools doing half the work: a hand-off prompt "
                "in the pager tool, a /handoff command, buddies for new hires and a monthly "
                "'hand-off of the month'."
            ),
            target_date=RELEASE_2_DATE,
            rank=rel_ranks[1],
        ),
        "later": Release(
            initiative_id=iid,
            name="Later",
            story="Ideas we will pick up only if the numbers stall after Release 2.",
            rank=rel_ranks[2],
        ),
    }
    batch.add(*releases.values())
    item_ranks = spread_ranks(len(_MAIN_ITEMS))
    items = [
        _item(iid, spec, rank, releases[spec.release].id if spec.release else None)
        for spec, rank in zip(_MAIN_ITEMS, item_ranks, strict=True)
    ]
    batch.add(*items)
    by_title = {i.title: i for i in items}
    leads = (people.lead_ops, people.lead_dev)
    for title in (
        "Incident hand-off checklist (7 points)",
        "Shadowing rotation with the two on-call leads",
    ):
        for lead in leads:
            batch.add(ItemSme(item_id=by_title[title].id, person_id=lead.id))
    batch.add(
        ItemSme(
            item_id=by_title["On-call community of practice: 'hand-off of the month'"].id,
            person_id=people.lead_ops.id,
        ),
        ItemSme(
            item_id=by_title["'Hand-off' field in the post-incident review template"].id,
            person_id=people.sre_manager.id,
        ),
    )


def _main_stakeholders(batch: _Batch, iid: str, people: _People) -> None:
    def stake(
        person: Person,
        kind: StakeholderKind,
        *,
        power: int,
        interest: int,
        support: Support,
        current_engagement: Engagement,
        desired_engagement: Engagement,
        engagement_plan: str,
        cadence: str,
        private_notes: str = "",
    ) -> Stakeholder:
        s = Stakeholder(
            initiative_id=iid,
            person_id=person.id,
            kind=kind,
            power=power,
            interest=interest,
            support=support,
            current_engagement=current_engagement,
            desired_engagement=desired_engagement,
            engagement_plan=engagement_plan,
            cadence=cadence,
            private_notes=private_notes,
        )
        batch.add(s)
        return s

    sponsor = stake(
        people.head_eng,
        StakeholderKind.SPONSOR,
        power=9,
        interest=9,
        support=Support.CHAMPION,
        current_engagement=Engagement.LEADING,
        desired_engagement=Engagement.LEADING,
        engagement_plan=(
            "Fortnightly 20-minute review of the numbers; he opens the MVP launch in the "
            "on-call sync and asks every team lead about hand-offs in his staff meeting."
        ),
        cadence="Fortnightly 1:1",
        private_notes=(
            "Came in wanting a class and a date; was won over by the PIR numbers, not by "
            "arguments. Keep updates to one page."
        ),
    )
    ops = stake(
        people.ops_director,
        StakeholderKind.BUSINESS_LEADER,
        power=9,
        interest=7,
        support=Support.SCEPTIC,
        current_engagement=Engagement.NEUTRAL,
        desired_engagement=Engagement.SUPPORTIVE,
        engagement_plan=(
            "Numbers, not slides: a monthly MTTR and hand-off-error chart from her own pager "
            "data, reviewed with Priya. Invite her to close the Release 2 decision."
        ),
        cadence="Monthly metrics review",
        private_notes=(
            "Sceptical after the 2024 incident-training flop; wants numbers, not slides. "
            "Blocked the original class because it took engineers off the rota. Will not "
            "move on one team's results: show her two quarters."
        ),
    )
    lead_ops = stake(
        people.lead_ops,
        StakeholderKind.SME,
        power=4,
        interest=9,
        support=Support.CHAMPION,
        current_engagement=Engagement.LEADING,
        desired_engagement=Engagement.LEADING,
        engagement_plan="Co-owns the checklist; runs shadowing for Platform Operations.",
        cadence="Weekly on-call sync",
        private_notes="Protect his time: shadowing must not exceed two shifts a week.",
    )
    lead_dev = stake(
        people.lead_dev,
        StakeholderKind.SME,
        power=4,
        interest=7,
        support=Support.SUPPORTER,
        current_engagement=Engagement.SUPPORTIVE,
        desired_engagement=Engagement.LEADING,
        engagement_plan=(
            "Runs shadowing for the development side; asked to lead the 'hand-off of the "
            "month' call from Release 2."
        ),
        cadence="Weekly on-call sync",
        private_notes=(
            "Worried shadowing would eat her sprint; agreed once her manager counted it as "
            "20% time."
        ),
    )
    rep = stake(
        people.learner_rep,
        StakeholderKind.LEARNER_REP,
        power=3,
        interest=8,
        support=Support.SUPPORTER,
        current_engagement=Engagement.SUPPORTIVE,
        desired_engagement=Engagement.SUPPORTIVE,
        engagement_plan="Tests every version of the checklist on real night shifts first.",
        cadence="Weekly, after his on-call week",
        private_notes="The first to say v1 was unusable. Keep asking him; he will tell us.",
    )
    stake(
        people.hrbp,
        StakeholderKind.LIAISON,
        power=5,
        interest=4,
        support=Support.NEUTRAL,
        current_engagement=Engagement.NEUTRAL,
        desired_engagement=Engagement.SUPPORTIVE,
        engagement_plan=(
            "Add shadowing and the micro-module to the engineering onboarding plan; recognise "
            "on-call leads' coaching in the performance cycle."
        ),
        cadence="Monthly",
        private_notes="Sees this as an Engineering matter; needs a concrete ask, not updates.",
    )
    stake(
        people.sre_manager,
        StakeholderKind.BUSINESS_LEADER,
        power=6,
        interest=8,
        support=Support.SUPPORTER,
        current_engagement=Engagement.SUPPORTIVE,
        desired_engagement=Engagement.LEADING,
        engagement_plan="Owns the PIR field and the weekly metrics export.",
        cadence="Weekly",
    )
    stake(
        people.new_hire,
        StakeholderKind.LEARNER,
        power=1,
        interest=7,
        support=Support.SUPPORTER,
        current_engagement=Engagement.SUPPORTIVE,
        desired_engagement=Engagement.SUPPORTIVE,
        engagement_plan="Interview after each of her first three rotations.",
        cadence="After each rotation",
    )

    batch.add(
        Assessment(
            stakeholder_id=ops.id,
            on=date(2026, 2, 16),
            power=9,
            interest=3,
            support=Support.BLOCKER,
            engagement=Engagement.RESISTANT,
            note="Refused to release on-call engineers for a two-day class; 'we tried that'.",
        ),
        Assessment(
            stakeholder_id=ops.id,
            on=date(2026, 4, 20),
            power=9,
            interest=6,
            support=Support.SCEPTIC,
            engagement=Engagement.RESISTANT,
            note="Read the Team Blue results. 'One team, four weeks — prove it.' No longer "
            "blocking the MVP.",
        ),
        Assessment(
            stakeholder_id=ops.id,
            on=date(2026, 6, 15),
            power=9,
            interest=7,
            support=Support.SCEPTIC,
            engagement=Engagement.NEUTRAL,
            note="Asked for MTTR by team every month; agreed to review Release 2 scope.",
        ),
        Assessment(
            stakeholder_id=sponsor.id,
            on=date(2026, 2, 16),
            power=9,
            interest=8,
            support=Support.SUPPORTER,
            engagement=Engagement.SUPPORTIVE,
            note="Still expects a class; open to the intake findings.",
        ),
        Assessment(
            stakeholder_id=sponsor.id,
            on=date(2026, 4, 20),
            power=9,
            interest=9,
            support=Support.CHAMPION,
            engagement=Engagement.LEADING,
            note="Presented the Team Blue result at the engineering all-hands himself.",
        ),
        Assessment(
            stakeholder_id=lead_dev.id,
            on=date(2026, 2, 23),
            power=4,
            interest=5,
            support=Support.NEUTRAL,
            engagement=Engagement.NEUTRAL,
            note="Likes the idea; worried about the time shadowing takes.",
        ),
        Assessment(
            stakeholder_id=lead_dev.id,
            on=date(2026, 5, 18),
            power=4,
            interest=7,
            support=Support.SUPPORTER,
            engagement=Engagement.SUPPORTIVE,
            note="Shadowing counted as 20% time; has run six sessions.",
        ),
        Assessment(
            stakeholder_id=lead_ops.id,
            on=date(2026, 2, 23),
            power=4,
            interest=9,
            support=Support.CHAMPION,
            engagement=Engagement.SUPPORTIVE,
            note="Offered his own hand-off notes as the first draft of the checklist.",
        ),
        Assessment(
            stakeholder_id=lead_ops.id,
            on=date(2026, 4, 27),
            power=4,
            interest=9,
            support=Support.CHAMPION,
            engagement=Engagement.LEADING,
            note="Demonstrates the checklist at every on-call sync.",
        ),
    )
    batch.add(
        Interaction(
            stakeholder_id=sponsor.id,
            on=date(2026, 2, 9),
            channel="Meeting",
            summary="Request taken: 'a class on communication'. Agreed to a two-week intake "
            "before choosing any solution.",
        ),
        Interaction(
            stakeholder_id=ops.id,
            on=date(2026, 2, 16),
            channel="Meeting",
            summary="Intake interview. Shared PIR data showing 2.5 hand-off errors per "
            "incident; she rejected any classroom time. Agreed to a one-team experiment.",
        ),
        Interaction(
            stakeholder_id=lead_ops.id,
            on=date(2026, 2, 23),
            channel="Workshop",
            summary="Hand-off walkthrough with both on-call leads: their routines became the "
            "first checklist draft.",
        ),
        Interaction(
            stakeholder_id=rep.id,
            on=date(2026, 3, 27),
            channel="Video call",
            summary="Team Blue feedback: v1 (22 points) unusable at night. Cut to 7 points "
            "together; v2 live on 30 March.",
        ),
        Interaction(
            stakeholder_id=ops.id,
            on=date(2026, 4, 20),
            channel="Metrics review",
            summary="Presented the Trojan-mouse result (2.6 → 1.4 errors per incident). She "
            "accepted the MVP for three teams and asked for monthly MTTR by team.",
        ),
        Interaction(
            stakeholder_id=sponsor.id,
            on=date(2026, 4, 20),
            channel="E-mail",
            summary="One-page update with the experiment result and the decision to amplify.",
        ),
        Interaction(
            stakeholder_id=ops.id,
            on=date(2026, 6, 15),
            channel="Metrics review",
            summary="MTTR down from 96 to about 80 minutes; she wants the pager-tool prompt "
            "(DX-412) prioritised before Release 2.",
        ),
    )


def _main_stories(
    batch: _Batch, iid: str, people: _People, m: _MainMetrics, experiment: Experiment
) -> None:
    batch.add(
        Story(
            initiative_id=iid,
            title="INC-2291: the checkout outage hand-off took four minutes, not forty",
            kind=StoryKind.SUCCESS,
            text=(
                "At 02:40 on 19 May the payments database failed over and checkout errors "
                "spiked. Lena Hoffmann, on her second rotation, handed the incident to "
                "Operations with the checklist: impact (12% of checkouts failing), the "
                "rollback she had already tried, and her hypothesis about connection-pool "
                "limits. Operations did not repeat the rollback, went straight to the pool "
                "settings and resolved it in 51 minutes. The last comparable incident, in "
                "January, took 2 hours 10 minutes, 40 of them re-discovering what had been "
                "tried."
            ),
            source=f"{people.lead_dev.name}, incident commander",
            on=date(2026, 5, 19),
            metric_id=m.mttr.id,
        ),
        Story(
            initiative_id=iid,
            title="Checklist v1: 22 points nobody used at 3 a.m.",
            kind=StoryKind.NON_SUCCESS,
            text=(
                "The first checklist tried to cover everything the PIRs had ever flagged. In "
                "the second week of the Team Blue experiment it was skipped at every night "
                "hand-off: too long to read half-awake, and half its points did not matter to "
                "the person receiving the incident. We cut it to the seven points the receiver "
                "acts on and moved the rest into the post-incident review."
            ),
            source=f"{people.learner_rep.name}, on-call engineer, Team Blue",
            on=date(2026, 3, 27),
            metric_id=m.usage.id,
            experiment_id=experiment.id,
        ),
        Story(
            initiative_id=iid,
            title="“I stopped dreading the 3 a.m. hand-off”",
            kind=StoryKind.QUOTE,
            text=(
                "“I stopped dreading the 3 a.m. hand-off. I paste the seven lines, the person "
                "on the other end reads them back, and I can go to sleep knowing nothing is "
                "stuck in my head.”"
            ),
            source=f"{people.learner_rep.name}, on-call engineer, Team Blue",
            on=date(2026, 4, 14),
            experiment_id=experiment.id,
        ),
        Story(
            initiative_id=iid,
            title="“One team for four weeks isn't proof”",
            kind=StoryKind.QUOTE,
            text=(
                "“One team for four weeks isn't proof. Show me MTTR for two quarters and I'll "
                "back it in front of the board.”"
            ),
            source=f"{people.ops_director.name}, {people.ops_director.role}",
            on=date(2026, 4, 20),
            metric_id=m.mttr.id,
        ),
    )


# ----------------------------------------------------------------- other initiatives


def _secure_coding(batch: _Batch, rng: random.Random, people: _People, rank: str) -> None:
    initiative = Initiative(
        name="Secure coding nudges",
        owner=people.designer.name,
        sponsor=people.appsec.name,
        stage=Stage.PILOT,
        rank=rank,
        request="Can we make every developer redo the OWASP e-learning before the audit?",
        requested_by=f"{people.appsec.name}, {people.appsec.role}",
        requested_on=date(2025, 11, 3),
        intake_problem=(
            "The same three vulnerability classes (injection, broken access control, secrets "
            "in code) reappear in static-analysis findings; the annual OWASP e-learning has a "
            "97% completion rate and no effect on them."
        ),
        intake_who="Developers merging to the Payments and Checkout repositories first.",
        intake_optimal="Developers fix a finding on first review and do not reintroduce it.",
        intake_measure="High-severity static-analysis findings per 100 merged pull requests.",
        intake_exemplars="The Checkout team, whose finding rate is a third of the average.",
        intake_form=(
            "Two-minute nudges at the moment a finding is raised, inside the pull request."
        ),
        root_cause=RootCause.KNOWLEDGE,
        problem_statement=(
            "Developers on Payments and Checkout reintroduce known vulnerability classes: "
            "high-severity findings per 100 merged PRs should fall from 4.2 to 2.5 by the end "
            "of 2026."
        ),
        problem_segment="Developers on the Payments and Checkout repositories",
        problem_behaviour="reintroduce injection, access-control and secrets findings",
        problem_metric="High-severity static-analysis findings per 100 merged PRs",
        problem_unit="findings per 100 PRs",
        problem_baseline=4.2,
        problem_target=2.5,
        problem_date=date(2026, 12, 31),
        audience="About 60 developers on the Payments and Checkout repositories.",
        outcome="High-severity findings per 100 merged PRs down 40% by December 2026.",
    )
    iid = initiative.id
    batch.add(initiative)
    batch.add(
        Segment(
            initiative_id=iid,
            name="Payments and Checkout developers",
            size=60,
            description="The two pilot repositories.",
        )
    )
    pilot = Release(
        initiative_id=iid,
        name="Pilot — Payments and Checkout",
        story="Nudges on two repositories for eight weeks before any wider roll-out.",
        target_date=date(2026, 6, 30),
        is_mvp=True,
    )
    batch.add(pilot)
    ranks = spread_ranks(3)
    batch.add(
        BacklogItem(
            initiative_id=iid,
            title="Two-minute nudge attached to each high-severity finding",
            description="A short explainer and a fixed example, posted by the static-analysis "
            "bot as a PR comment when it raises a finding.",
            kind=ItemKind.CONTENT,
            mode=LearningMode.EDUCATION,
            moment=MomentOfNeed.APPLY,
            sourcing=Sourcing.BUILD,
            effort=6.0,
            reach=60,
            impact=2.0,
            confidence=0.7,
            business_value=8,
            time_criticality=6,
            risk_reduction=9,
            job_size=5,
            value=8,
            moscow=MoSCoW.MUST,
            status=ItemStatus.DONE,
            release_id=pilot.id,
            rank=ranks[0],
        ),
        BacklogItem(
            initiative_id=iid,
            title="Secure review checklist in the pull-request template",
            kind=ItemKind.PERFORMANCE_SUPPORT,
            mode=LearningMode.EXPERIENCE,
            moment=MomentOfNeed.APPLY,
            sourcing=Sourcing.SME_LED,
            effort=1.0,
            reach=60,
            impact=1.0,
            confidence=0.6,
            value=6,
            moscow=MoSCoW.SHOULD,
            status=ItemStatus.IN_PROGRESS,
            release_id=pilot.id,
            rank=ranks[1],
        ),
        BacklogItem(
            initiative_id=iid,
            title="Retire the annual OWASP e-learning for these teams",
            description="Replace the 90-minute course with the nudges if the pilot passes.",
            kind=ItemKind.NON_TRAINING_FIX,
            sourcing=Sourcing.BUILD,
            effort=0.5,
            value=5,
            moscow=MoSCoW.COULD,
            status=ItemStatus.IDEA,
            rank=ranks[2],
        ),
    )
    metric = Metric(
        initiative_id=iid,
        name="High-severity findings per 100 merged PRs",
        tier=MetricTier.BEHAVIOUR,
        kirkpatrick=3,
        ltem=7,
        unit="findings per 100 PRs",
        direction=Direction.DECREASE,
        baseline=4.2,
        target=2.5,
        target_date=date(2026, 12, 31),
        source="Static-analysis dashboard, Payments and Checkout repositories",
        owner=people.appsec.name,
    )
    batch.add(metric)
    batch.add(
        *_series(
            rng,
            metric.id,
            _weeks(date(2026, 4, 6), 12),
            [(date(2026, 4, 6), 4.2), (date(2026, 5, 4), 4.1), (date(2026, 6, 22), 3.3)],
            noise=0.3,
            digits=1,
            notes={date(2026, 5, 4): "Nudges switched on."},
        )
    )
    batch.add(
        Experiment(
            initiative_id=iid,
            title="Nudges on Payments only, Checkout as control",
            hypothesis="Developers who get a nudge with a finding reintroduce that class of "
            "finding half as often in the following six weeks.",
            change="Nudges switched on for the Payments repository only.",
            audience="Payments developers (34); Checkout developers as the comparison group.",
            metric_id=metric.id,
            pass_criterion="Reintroduced findings in Payments at least 40% below Checkout.",
            start=date(2026, 5, 4),
            end=date(2026, 6, 14),
            result="Reintroductions 45% below Checkout; two developers found the nudges "
            "patronising for trivial findings.",
            decision=Decision.ITERATE,
        )
    )
    sponsor = Stakeholder(
        initiative_id=iid,
        person_id=people.appsec.id,
        kind=StakeholderKind.SPONSOR,
        power=7,
        interest=9,
        support=Support.CHAMPION,
        current_engagement=Engagement.LEADING,
        desired_engagement=Engagement.LEADING,
        engagement_plan="Writes the nudges' examples; reviews the findings trend monthly.",
        cadence="Monthly",
        private_notes="Needs an answer for the PCI audit in October, whatever the pilot shows.",
    )
    batch.add(sponsor)
    batch.add(
        Story(
            initiative_id=iid,
            title="“The bot told me why, not just what”",
            kind=StoryKind.QUOTE,
            text="“The bot told me why the query was injectable and showed the fix. I haven't "
            "written one since.”",
            source="Payments developer, pilot feedback",
            on=date(2026, 6, 2),
            metric_id=metric.id,
        )
    )


def _manager_onboarding(batch: _Batch, people: _People, rank: str) -> None:
    initiative = Initiative(
        name="Manager onboarding",
        owner=people.ld_pm.name,
        sponsor=people.cpo.name,
        stage=Stage.DEFINE,
        rank=rank,
        request="New engineering managers need a leadership course.",
        requested_by=f"{people.cpo.name}, {people.cpo.role}",
        requested_on=date(2026, 4, 14),
        intake_problem=(
            "Engineers promoted to manager keep coding and postpone people work: fewer than "
            "half hold a 1:1 with every report in their first month."
        ),
        intake_who="Engineers promoted to engineering manager in the last 12 months (9 a year).",
        intake_optimal="A 1:1 with every report within 30 days; a first career conversation "
        "within 90.",
        intake_measure="1:1 coverage from the HR system; engagement pulse of their teams.",
        intake_exemplars=(
            "Not found yet: ask HR for managers whose teams stayed engaged through a promotion."
        ),
        intake_form="Still open: a cohort, a playbook or both.",
        root_cause=RootCause.KNOWLEDGE,
        problem_segment="New engineering managers (first 12 months)",
        problem_behaviour="postpone 1:1s and people work in favour of coding",
        problem_metric="New managers with a 1:1 with every report in 30 days",
        problem_unit="% of new managers",
        problem_baseline=45.0,
        audience="New engineering managers and their own managers.",
        outcome="Nine in ten new managers hold 1:1s with every report within 30 days.",
    )
    iid = initiative.id
    batch.add(initiative)
    ranks = spread_ranks(2)
    batch.add(
        Segment(initiative_id=iid, name="First-time engineering managers", size=9),
        BacklogItem(
            initiative_id=iid,
            title="First-90-days playbook for new managers",
            description="Week-by-week checklist: 1:1s, expectations, first career conversation.",
            kind=ItemKind.PERFORMANCE_SUPPORT,
            mode=LearningMode.EXPERIENCE,
            moment=MomentOfNeed.NEW,
            sourcing=Sourcing.BUILD,
            effort=5.0,
            value=7,
            moscow=MoSCoW.MUST,
            status=ItemStatus.IDEA,
            rank=ranks[0],
        ),
        BacklogItem(
            initiative_id=iid,
            title="Peer circle of new managers, hosted by an experienced manager",
            kind=ItemKind.COMMUNITY,
            mode=LearningMode.EXPOSURE,
            moment=MomentOfNeed.MORE,
            sourcing=Sourcing.SME_LED,
            effort=2.0,
            value=6,
            moscow=MoSCoW.SHOULD,
            status=ItemStatus.IDEA,
            rank=ranks[1],
        ),
        Metric(
            initiative_id=iid,
            name="New managers with a 1:1 with every report in 30 days",
            tier=MetricTier.BEHAVIOUR,
            kirkpatrick=3,
            unit="% of new managers",
            direction=Direction.INCREASE,
            baseline=45.0,
            target=90.0,
            target_date=date(2026, 12, 31),
            source="HR system (1:1 records)",
            owner=people.hrbp.name,
        ),
        Stakeholder(
            initiative_id=iid,
            person_id=people.cpo.id,
            kind=StakeholderKind.SPONSOR,
            power=10,
            interest=6,
            support=Support.SUPPORTER,
            current_engagement=Engagement.SUPPORTIVE,
            desired_engagement=Engagement.LEADING,
            engagement_plan="Agree the problem statement with her before choosing a format.",
            cadence="Monthly",
        ),
        Stakeholder(
            initiative_id=iid,
            person_id=people.hrbp.id,
            kind=StakeholderKind.LIAISON,
            power=5,
            interest=8,
            support=Support.CHAMPION,
            current_engagement=Engagement.SUPPORTIVE,
            desired_engagement=Engagement.LEADING,
            cadence="Fortnightly",
        ),
    )


def _sales_demo(batch: _Batch, rng: random.Random, people: _People, rank: str) -> None:
    initiative = Initiative(
        name="Sales demo certification",
        owner=people.ld_pm.name,
        sponsor=people.vp_sales.name,
        stage=Stage.DISCOVER,
        rank=rank,
        request="Every account executive must be certified on the product demo by Q3.",
        requested_by=f"{people.vp_sales.name}, {people.vp_sales.role}",
        requested_on=date(2026, 5, 11),
        intake_problem=(
            "Demos rarely reach the technical deep dive that converts enterprise buyers. "
            "Account executives can give it — most did in their onboarding assessment — but "
            "skip it in the field."
        ),
        intake_who="Account executives in EMEA enterprise sales (28).",
        intake_optimal="The deep dive, with a solutions engineer, in every enterprise demo.",
        intake_measure="Demo-to-opportunity conversion from the CRM.",
        intake_exemplars="Two AEs whose conversion is twice the average both book an SE early.",
        intake_form="Not decided: the intake points away from training.",
        root_cause=RootCause.INCENTIVES,
        routed_to=(
            "Sales operations and RevOps: the commission plan pays on closed bookings within "
            "the quarter, so AEs avoid the longer SE-led demo. Raised with Carla Jensen for the "
            "Q3 plan review; L&D will curate exemplar recordings only if asked."
        ),
        problem_segment="EMEA enterprise account executives",
        problem_behaviour="skip the technical deep dive in enterprise demos",
        problem_metric="Demo-to-opportunity conversion",
        audience="EMEA enterprise account executives and their sales managers.",
        outcome="Demo-to-opportunity conversion from 18% to 25% by the end of Q4 2026.",
    )
    iid = initiative.id
    batch.add(initiative)
    ranks = spread_ranks(2)
    metric = Metric(
        initiative_id=iid,
        name="Demo-to-opportunity conversion",
        tier=MetricTier.BUSINESS,
        kirkpatrick=4,
        ltem=8,
        unit="%",
        direction=Direction.INCREASE,
        baseline=18.0,
        target=25.0,
        target_date=date(2026, 12, 31),
        source="CRM report, EMEA enterprise",
        owner=people.vp_sales.name,
    )
    batch.add(
        BacklogItem(
            initiative_id=iid,
            title="Take the incentive finding to RevOps",
            description="Share the intake evidence with the commission-plan owners before any "
            "certification is built.",
            kind=ItemKind.NON_TRAINING_FIX,
            sourcing=Sourcing.OUTSOURCE,
            effort=1.0,
            value=8,
            moscow=MoSCoW.MUST,
            status=ItemStatus.IN_PROGRESS,
            rank=ranks[0],
        ),
        BacklogItem(
            initiative_id=iid,
            title="Curate three recorded demos by the top-converting AEs",
            kind=ItemKind.CONTENT,
            mode=LearningMode.EXPOSURE,
            moment=MomentOfNeed.MORE,
            sourcing=Sourcing.CURATE,
            effort=2.0,
            value=4,
            moscow=MoSCoW.COULD,
            status=ItemStatus.IDEA,
            rank=ranks[1],
        ),
        metric,
        *_series(
            rng,
            metric.id,
            _weeks(date(2026, 1, 31), 5, step=28),
            [(date(2026, 1, 31), 18.0), (date(2026, 6, 20), 18.0)],
            noise=1.0,
            digits=1,
        ),
        Stakeholder(
            initiative_id=iid,
            person_id=people.vp_sales.id,
            kind=StakeholderKind.SPONSOR,
            power=8,
            interest=6,
            support=Support.NEUTRAL,
            current_engagement=Engagement.NEUTRAL,
            desired_engagement=Engagement.SUPPORTIVE,
            engagement_plan="Walk her through the intake: the gap is the plan, not the AEs.",
            cadence="Once, then at the Q3 plan review",
            private_notes="Promised the board a certification; needs a face-saving path.",
        ),
    )


def _kubernetes_archived(batch: _Batch, rng: random.Random, people: _People, rank: str) -> None:
    initiative = Initiative(
        name="Kubernetes fundamentals",
        owner=people.designer.name,
        sponsor=people.head_eng.name,
        stage=Stage.SUSTAIN,
        rank=rank,
        archived=True,
        request="Everyone needs Kubernetes training before the platform migration.",
        requested_by=f"{people.head_eng.name}, {people.head_eng.role}",
        requested_on=date(2025, 3, 3),
        intake_problem="Misconfigured manifests caused most rollbacks after the migration.",
        intake_who="Product engineers deploying to the new platform.",
        root_cause=RootCause.KNOWLEDGE,
        audience="Product engineers deploying to Kubernetes.",
        outcome="Rollbacks caused by misconfigured manifests down by half. Reached in "
        "November 2025; retired in favour of a curated path and linting in CI.",
    )
    iid = initiative.id
    batch.add(initiative)
    ranks = spread_ranks(2)
    metric = Metric(
        initiative_id=iid,
        name="Rollbacks caused by misconfigured manifests",
        tier=MetricTier.BUSINESS,
        kirkpatrick=4,
        unit="rollbacks per month",
        direction=Direction.DECREASE,
        baseline=14.0,
        target=7.0,
        target_date=date(2025, 12, 31),
        source="Deployment log",
        owner=people.sre_manager.name,
    )
    batch.add(
        BacklogItem(
            initiative_id=iid,
            title="Manifest linting in CI with links to the fix",
            kind=ItemKind.TOOL,
            mode=LearningMode.EXPERIENCE,
            moment=MomentOfNeed.SOLVE,
            sourcing=Sourcing.BUILD,
            effort=3.0,
            value=9,
            moscow=MoSCoW.MUST,
            status=ItemStatus.DONE,
            rank=ranks[0],
        ),
        BacklogItem(
            initiative_id=iid,
            title="Curated learning path: Kubernetes for product engineers",
            kind=ItemKind.CONTENT,
            mode=LearningMode.EDUCATION,
            moment=MomentOfNeed.NEW,
            sourcing=Sourcing.CURATE,
            effort=2.0,
            value=5,
            moscow=MoSCoW.SHOULD,
            status=ItemStatus.DONE,
            rank=ranks[1],
        ),
        metric,
        *_series(
            rng,
            metric.id,
            _weeks(date(2025, 6, 30), 6, step=28),
            [(date(2025, 6, 30), 14.0), (date(2025, 11, 17), 6.0)],
            noise=1.0,
            digits=0,
        ),
        Story(
            initiative_id=iid,
            title="Linting did more than the course",
            kind=StoryKind.SUCCESS,
            text="Rollbacks halved within two months of linting in CI; course completions "
            "barely moved them. The course was retired and the linting kept.",
            source=people.sre_manager.name,
            on=date(2025, 11, 24),
            metric_id=metric.id,
        ),
    )
