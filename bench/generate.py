"""Write a large, realistic LDPM workspace for the benchmarks.

The default scale is the one the benchmarks are specified for: 50 initiatives, 10,000 backlog
items, 1,500 stakeholders (and the people behind them, some of them stakeholders in several
initiatives), 60 metrics with 100,000 measurements, plus segments, objectives and key results,
releases, assessments, interactions, subject-matter experts, experiments and stories.  The
content is deterministic for a given ``seed`` (ids included); only the clock stamps, the
project UUID and the save time differ between two runs.

The file is written the way the app writes a new project: :func:`create_file` with a
``populate`` callback that bulk-inserts every entity type with :meth:`Tx.insert_many`.  Ranks,
measurement series and the bulk insert are the ones the demo uses
(:mod:`ldpm.services.dataset`).

Usage::

    python bench/generate.py OUT.ldpm [--seed N] [--initiatives N] [--items N] ...
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from ldpm.domain.entities import (
    RICE_IMPACTS,
    Assessment,
    BacklogItem,
    Experiment,
    Initiative,
    Interaction,
    ItemSme,
    KeyResult,
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
from ldpm.persistence.document import create_file
from ldpm.persistence.schema import table_name
from ldpm.services.dataset import Batch, series, set_ranks

#: The device id the generator writes with (16 hex characters).
DEVICE = "00000000be4c0001"
WORKSPACE_NAME = "Large workspace"
#: "Today" for the generated data, fixed so that the content does not depend on the date.
TODAY = date(2025, 6, 30)
#: Rows per ``insert_many`` call.
CHUNK = 20_000

# ------------------------------------------------------------------------------ vocabulary

_AUDIENCES = [
    "field engineers",
    "new hires",
    "team leads",
    "customer service agents",
    "warehouse staff",
    "account managers",
    "nurses on night shift",
    "store managers",
    "software developers",
    "finance analysts",
    "HR business partners",
    "call-centre supervisors",
    "sales engineers",
    "plant operators",
    "project managers",
]
_TOPICS = [
    "onboarding",
    "safety compliance",
    "first-time fix",
    "difficult conversations",
    "product knowledge",
    "data literacy",
    "coaching skills",
    "incident response",
    "negotiation",
    "quality inspection",
    "time management",
    "customer empathy",
    "change leadership",
    "cyber hygiene",
    "forecasting",
    "handover routines",
]
_REGIONS = ["EMEA", "Americas", "APAC", "Nordics", "DACH", "UK&I", "Iberia", "Benelux"]
_ITEM_FORMATS = [
    "Job aid",
    "Micro-video",
    "Checklist",
    "Peer-coaching circle",
    "Simulation",
    "Workshop",
    "Shadowing programme",
    "Decision tree",
    "Community of practice",
    "Quick-reference card",
    "Case study",
    "Scenario quiz",
    "Chatbot answer set",
    "Mentoring pairs",
    "Lunch-and-learn",
    "Practice lab",
    "Podcast episode",
    "Template pack",
    "Manager conversation guide",
    "Process fix",
]
_ITEM_SUBJECTS = [
    "for the first week",
    "on escalation paths",
    "for the new CRM",
    "on root-cause analysis",
    "for shift handovers",
    "on pricing exceptions",
    "for remote teams",
    "on the returns process",
    "for peak season",
    "on giving feedback",
    "for audit preparation",
    "on the mobile app",
    "for spare-parts ordering",
    "on customer complaints",
    "for the quarterly review",
    "on data privacy",
]
_SENTENCES = [
    "People already know the theory but do not apply it on the job.",
    "Managers asked for something that fits into a ten-minute stand-up.",
    "The current e-learning module has a completion rate of 34 %.",
    "Experts spend hours answering the same questions every week.",
    "Errors cluster in the first three months after hiring.",
    "The process changed in March and the documentation did not.",
    "Learners want examples from their own region.",
    "A pilot with two teams showed promising results.",
    "Needs sign-off from the works council before rollout.",
    "Can reuse material from the 2023 programme.",
    "Depends on the new ticketing system going live.",
    "Measure with the quality dashboard, not with a survey.",
    "SMEs are available on Thursdays only.",
    "Translate into German, French and Polish.",
    "Keep it under five minutes; people watch it on the phone.",
    "The audience works in shifts, so live sessions are hard.",
]
_FIRST = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elif",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jasmin",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Ursula",
    "Viktor",
    "Wen",
    "Xavier",
    "Yusuf",
    "Zoë",
    "Amira",
    "Bruno",
    "Carmen",
    "David",
    "Eva",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kim",
    "Luca",
    "Maja",
    "Noah",
]
_LAST = [
    "Andersson",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Müller",
    "Nowak",
    "O'Brien",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Uddin",
    "Virtanen",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Ahmed",
    "Bauer",
    "Chen",
    "Diaz",
    "Evans",
    "Fontaine",
    "Gruber",
    "Horvat",
    "Iqbal",
    "Janssen",
    "Kaur",
    "Lindqvist",
    "Moreau",
    "Nakamura",
]
_DEPARTMENTS = [
    "Operations",
    "Sales",
    "Customer Service",
    "Engineering",
    "Finance",
    "HR",
    "IT",
    "Quality",
    "Logistics",
    "Marketing",
    "Legal",
    "Field Service",
]
_ROLES = [
    "Director",
    "Head of",
    "Manager",
    "Team lead",
    "Specialist",
    "Senior specialist",
    "Coordinator",
    "Analyst",
    "Engineer",
    "Trainer",
]
_EXPERTISE = [
    "pricing rules",
    "the ERP system",
    "safety regulations",
    "key accounts",
    "the diagnostics tool",
    "contract law",
    "warehouse layout",
    "the product roadmap",
    "",
    "",
    "",
]
_CADENCES = ["weekly 1:1", "fortnightly 1:1", "monthly steering", "quarterly review", "ad hoc", ""]
_CHANNELS = ["meeting", "e-mail", "workshop", "chat", "phone", "steering committee"]
_SEGMENTS = [
    "Remote staff",
    "New hires",
    "Team leads",
    "Night shift",
    "Veterans (5+ years)",
    "Part-time staff",
    "Contractors",
    "Region North",
    "Region South",
]
_METRICS = [
    ("Time to competence", "days", MetricTier.BUSINESS, Direction.DECREASE, 3),
    ("First-time fix rate", "%", MetricTier.BUSINESS, Direction.INCREASE, 4),
    ("Course completions", "people", MetricTier.OPERATIONAL, Direction.INCREASE, 1),
    ("Learner satisfaction", "score", MetricTier.OPERATIONAL, Direction.INCREASE, 1),
    ("Escalations per week", "tickets", MetricTier.BUSINESS, Direction.DECREASE, 4),
    ("Checklist used on the job", "%", MetricTier.BEHAVIOUR, Direction.INCREASE, 3),
    ("Audit findings", "findings", MetricTier.BUSINESS, Direction.DECREASE, 4),
    ("Coaching conversations held", "per month", MetricTier.BEHAVIOUR, Direction.INCREASE, 3),
    ("Average handling time", "minutes", MetricTier.BUSINESS, Direction.DECREASE, 4),
    ("Training hours", "hours", MetricTier.OPERATIONAL, Direction.INCREASE, 1),
    ("Error rate", "%", MetricTier.BUSINESS, Direction.DECREASE, 4),
    ("Peer-review participation", "%", MetricTier.BEHAVIOUR, Direction.INCREASE, 3),
]
_STORY_TITLES = [
    "Fixed it on the first visit",
    "Still calling the hotline",
    "The checklist saved an audit",
    "Nobody opened the module",
    "New hire closed a deal in week three",
    "Team lead started weekly huddles",
    "Video too long for the shop floor",
    "Customer praised the technician",
]


# ------------------------------------------------------------------------------- helpers

T = TypeVar("T")


def _id(rng: random.Random) -> str:
    """A UUID4-shaped id drawn from ``rng`` (deterministic, unlike ``uuid4``)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(low, high)))


def _maybe(rng: random.Random, p: float, value: T) -> T | None:
    return value if rng.random() < p else None


def _split(rng: random.Random, total: int, parts: int, *, minimum: int = 0) -> list[int]:
    """``total`` split into ``parts`` varied, non-negative shares that sum to ``total``."""
    if parts <= 0:
        if total:
            raise ValueError("cannot split a positive count over no parts")
        return []
    base = min(minimum, total // parts)
    rest = total - base * parts
    weights = [rng.uniform(0.3, 2.0) for _ in range(parts)]
    scale = rest / sum(weights)
    shares = [int(w * scale) for w in weights]
    order = sorted(range(parts), key=lambda i: weights[i] * scale - shares[i], reverse=True)
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [base + s for s in shares]


def _day(rng: random.Random, back: int, forward: int = 0) -> date:
    return TODAY + timedelta(days=rng.randint(-back, forward))


# ----------------------------------------------------------------------------- generation


def build(
    *,
    seed: int = 1,
    initiatives: int = 50,
    items: int = 10_000,
    stakeholders: int = 1_500,
    metrics: int = 60,
    measurements: int = 100_000,
) -> Batch:
    """All entities of the workspace (but the Workspace row), by type."""
    if min(initiatives, items, stakeholders, metrics, measurements) < 0:
        raise ValueError("counts cannot be negative")
    if initiatives == 0 and (items or stakeholders or metrics):
        raise ValueError("items, stakeholders and metrics need at least one initiative")
    if metrics == 0 and measurements:
        raise ValueError("measurements need at least one metric")
    rng = random.Random(seed)
    out = Batch()

    # Initiatives -------------------------------------------------------------------------
    inits: list[Initiative] = []
    for _ in range(initiatives):
        topic, audience = rng.choice(_TOPICS), rng.choice(_AUDIENCES)
        baseline = round(rng.uniform(10, 80), 1)
        inits.append(
            Initiative(
                id=_id(rng),
                name=f"{topic.capitalize()} for {audience} ({rng.choice(_REGIONS)})",
                owner=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                sponsor=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                stage=rng.choice(list(Stage)),
                archived=rng.random() < 0.1,
                request=f"We need a training on {topic} for our {audience}. {_text(rng, 1, 3)}",
                requested_by=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                requested_on=_day(rng, 720),
                intake_problem=_text(rng, 1, 4),
                intake_who=f"{audience.capitalize()} in {rng.choice(_REGIONS)}",
                intake_optimal=_text(rng, 0, 3),
                intake_measure=_text(rng, 0, 2),
                intake_exemplars=_text(rng, 0, 2),
                intake_form=_text(rng, 0, 2),
                root_cause=rng.choice(list(RootCause)),
                problem_statement=_text(rng, 1, 3),
                problem_segment=audience,
                problem_behaviour=f"apply {topic} on the job",
                problem_metric=rng.choice(_METRICS)[0],
                problem_unit="%",
                problem_baseline=baseline,
                problem_target=round(baseline * rng.uniform(1.1, 1.6), 1),
                problem_date=_day(rng, 0, 365),
                audience=audience,
                outcome=_text(rng, 1, 2),
            )
        )
    set_ranks(inits)
    out.extend(inits)

    # Segments, releases, objectives ---------------------------------------------------------
    segment_names: dict[str, list[str]] = {}
    releases: dict[str, list[Release]] = {}
    for init in inits:
        names = rng.sample(_SEGMENTS, rng.randint(2, 4))
        segment_names[init.id] = names
        segment_rows = [
            Segment(
                id=_id(rng),
                initiative_id=init.id,
                name=name,
                description=_text(rng, 0, 1),
                size=_maybe(rng, 0.8, rng.randint(5, 5000)),
            )
            for name in names
        ]
        releases[init.id] = [
            Release(
                id=_id(rng),
                initiative_id=init.id,
                name="MVP" if n == 0 else f"Release {n + 1}",
                story=_text(rng, 1, 2),
                target_date=TODAY + timedelta(days=30 * (n + 1) + rng.randint(-10, 10)),
                is_mvp=n == 0,
            )
            for n in range(rng.randint(2, 5))
        ]
        for ranked in (segment_rows, releases[init.id]):
            set_ranks(ranked)
            out.extend(ranked)

    # Metrics and measurements -------------------------------------------------------------
    metrics_of: dict[str, list[Metric]] = {init.id: [] for init in inits}
    all_metrics: list[Metric] = []
    for init, count in zip(inits, _split(rng, metrics, len(inits)), strict=True):
        for _ in range(count):
            name, unit, tier, direction, level = rng.choice(_METRICS)
            baseline = round(rng.uniform(5, 90), 1)
            factor = (
                rng.uniform(1.1, 1.5) if direction is Direction.INCREASE else rng.uniform(0.5, 0.9)
            )
            metric = Metric(
                id=_id(rng),
                initiative_id=init.id,
                name=name,
                description=_text(rng, 0, 2),
                tier=tier,
                kirkpatrick=level,
                ltem=_maybe(rng, 0.7, rng.randint(1, 8)),
                unit=unit,
                direction=direction,
                baseline=baseline,
                target=round(baseline * factor, 1),
                target_date=_day(rng, 0, 365),
                source=rng.choice(["LMS export", "Quality dashboard", "CRM", "Survey", "HRIS"]),
                owner=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                segment=rng.choice(["", "", *segment_names[init.id]]),
            )
            metrics_of[init.id].append(metric)
            all_metrics.append(metric)
    out.extend(all_metrics)
    make_id = partial(_id, rng)
    for metric, count in zip(
        all_metrics, _split(rng, measurements, len(all_metrics)), strict=True
    ):
        # Dated points drifting from the baseline towards the target; every n-th point is
        # measured on the n-th segment ("" = everyone), some notes mark an outlier.
        segments = ["", *segment_names[metric.initiative_id]]
        span = rng.randint(365, 3 * 365)  # days of history
        start = TODAY - timedelta(days=span)
        dates = [start + timedelta(days=j * span // max(count, 1)) for j in range(count)]
        baseline = metric.baseline or 0.0
        trend = [(start, baseline), (TODAY, metric.target or baseline)]
        for n, segment in enumerate(segments):
            on = dates[n :: len(segments)]
            outliers = {d: "Outlier: system outage" for d in on if rng.random() < 0.005}
            out.extend(
                series(
                    rng,
                    metric.id,
                    on,
                    trend=trend,
                    noise=abs(baseline) * 0.03 + 0.1,
                    segment=segment,
                    notes=outliers,
                    make_id=make_id,
                )
            )

    # Objectives and key results ------------------------------------------------------------
    for init in inits:
        objectives: list[Objective] = []
        for _ in range(rng.randint(1, 3)):
            objective = Objective(
                id=_id(rng),
                initiative_id=init.id,
                title=f"Improve {rng.choice(_TOPICS)} among {init.audience}",
            )
            objectives.append(objective)
            key_results: list[KeyResult] = []
            for _ in range(rng.randint(1, 3)):
                linked = metrics_of[init.id]
                kr_metric = rng.choice(linked) if linked and rng.random() < 0.6 else None
                baseline = round(rng.uniform(10, 60), 1)
                key_results.append(
                    KeyResult(
                        id=_id(rng),
                        objective_id=objective.id,
                        title=f"{rng.choice(_METRICS)[0]} from {baseline} to target",
                        metric_id=kr_metric.id if kr_metric else None,
                        unit=kr_metric.unit if kr_metric else "%",
                        baseline=baseline,
                        target=round(baseline * 1.3, 1),
                        current=_maybe(rng, 0.7, round(baseline * rng.uniform(0.9, 1.3), 1)),
                        due=_day(rng, 0, 365),
                    )
                )
            set_ranks(key_results)
            out.extend(key_results)
        set_ranks(objectives)
        out.extend(objectives)

    # People and stakeholders ---------------------------------------------------------------
    per_init = _split(rng, stakeholders, len(inits), minimum=1)
    pool = max(-(-stakeholders * 3 // 5), max(per_init, default=0))  # ~0.6 per stake: shared
    chosen = [rng.sample(range(pool), k) for k in per_init]
    used = sorted({p for picks in chosen for p in picks})
    full_names = [(f, la) for f in _FIRST for la in _LAST]
    rng.shuffle(full_names)
    people: dict[int, Person] = {}
    for n, index in enumerate(used):
        first, last = full_names[n % len(full_names)]
        suffix = f" {n // len(full_names) + 1}" if n >= len(full_names) else ""
        dept = rng.choice(_DEPARTMENTS)
        people[index] = Person(
            id=_id(rng),
            name=f"{first} {last}{suffix}",
            role=f"{rng.choice(_ROLES)} {dept}",
            department=dept,
            email=f"{first}.{last}{suffix.strip()}@example.com".lower().replace("'", ""),
            expertise=rng.choice(_EXPERTISE),
            notes=_text(rng, 0, 1),
        )
    out.extend(people[i] for i in used)
    stakes_of: dict[str, list[Stakeholder]] = {}
    for init, picks in zip(inits, chosen, strict=True):
        stakes_of[init.id] = []
        for index in picks:
            stake = Stakeholder(
                id=_id(rng),
                initiative_id=init.id,
                person_id=people[index].id,
                kind=rng.choice(list(StakeholderKind)),
                power=rng.randint(1, 10),
                interest=rng.randint(1, 10),
                support=rng.choice(list(Support)),
                current_engagement=rng.choice(list(Engagement)),
                desired_engagement=rng.choice(list(Engagement)),
                engagement_plan=_text(rng, 0, 2),
                cadence=rng.choice(_CADENCES),
                private_notes=_text(rng, 0, 1),
            )
            stakes_of[init.id].append(stake)
            out.add(stake)
            if rng.random() < 0.4:
                for _ in range(rng.randint(1, 3)):
                    out.add(
                        Assessment(
                            id=_id(rng),
                            stakeholder_id=stake.id,
                            on=_day(rng, 540),
                            power=rng.randint(1, 10),
                            interest=rng.randint(1, 10),
                            support=rng.choice(list(Support)),
                            engagement=rng.choice(list(Engagement)),
                            note=_text(rng, 0, 1),
                        )
                    )
            if rng.random() < 0.6:
                for _ in range(rng.randint(1, 4)):
                    out.add(
                        Interaction(
                            id=_id(rng),
                            stakeholder_id=stake.id,
                            on=_day(rng, 540),
                            channel=rng.choice(_CHANNELS),
                            summary=_text(rng, 1, 3),
                        )
                    )

    # Backlog items (and their SMEs) --------------------------------------------------------
    kinds = list(ItemKind)
    kind_weights = [30, 20, 20, 10, 8, 7, 5]
    statuses = list(ItemStatus)
    status_weights = [40, 20, 15, 20, 5]
    for init, count in zip(inits, _split(rng, items, len(inits)), strict=True):
        init_releases = releases[init.id]
        stakes = stakes_of[init.id]
        backlog: list[BacklogItem] = []
        for _ in range(count):
            status = rng.choices(statuses, status_weights)[0]
            scored = rng.random() < 0.75
            item = BacklogItem(
                id=_id(rng),
                initiative_id=init.id,
                title=f"{rng.choice(_ITEM_FORMATS)} {rng.choice(_ITEM_SUBJECTS)}",
                description=_text(rng, 0, 4),
                kind=rng.choices(kinds, kind_weights)[0],
                mode=_maybe(rng, 0.8, rng.choice(list(LearningMode))),
                moment=_maybe(rng, 0.7, rng.choice(list(MomentOfNeed))),
                sourcing=rng.choice(list(Sourcing)),
                effort=_maybe(rng, 0.9, rng.choice([0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0])),
                reach=rng.randint(0, 2000) if scored else None,
                impact=rng.choice(RICE_IMPACTS) if scored else None,
                confidence=rng.choice([0.5, 0.8, 1.0]) if scored else None,
                business_value=rng.randint(1, 10) if scored else None,
                time_criticality=rng.randint(1, 10) if scored else None,
                risk_reduction=rng.randint(1, 10) if scored else None,
                job_size=rng.choice([1, 2, 3, 5, 8, 13, 20]) if scored else None,
                value=_maybe(rng, 0.85, rng.randint(1, 10)),
                moscow=_maybe(rng, 0.6, rng.choice(list(MoSCoW))),
                status=status,
                release_id=(
                    rng.choice(init_releases).id
                    if status is not ItemStatus.IDEA and rng.random() < 0.6
                    else None
                ),
            )
            backlog.append(item)
            if stakes and rng.random() < 0.08:
                for stake in rng.sample(stakes, min(len(stakes), rng.randint(1, 2))):
                    out.add(ItemSme(id=_id(rng), item_id=item.id, person_id=stake.person_id))
        set_ranks(backlog)
        out.extend(backlog)

    # Experiments and stories -----------------------------------------------------------------
    for init in inits:
        linked = metrics_of[init.id]
        experiments: list[Experiment] = []
        for _ in range(rng.randint(1, 4)):
            start = _day(rng, 300, 30)
            decision = rng.choice(list(Decision))
            experiment = Experiment(
                id=_id(rng),
                initiative_id=init.id,
                title=f"Try a {rng.choice(_ITEM_FORMATS).lower()} {rng.choice(_ITEM_SUBJECTS)}",
                hypothesis=_text(rng, 1, 2),
                change=_text(rng, 1, 2),
                audience=rng.choice(segment_names[init.id]),
                metric_id=rng.choice(linked).id if linked else None,
                pass_criterion="At least 10 % better than the control group",
                start=start,
                end=start + timedelta(days=rng.randint(14, 90)),
                result="" if decision is Decision.PENDING else _text(rng, 1, 2),
                decision=decision,
            )
            experiments.append(experiment)
            out.add(experiment)
        for _ in range(rng.randint(2, 6)):
            out.add(
                Story(
                    id=_id(rng),
                    initiative_id=init.id,
                    title=rng.choice(_STORY_TITLES),
                    kind=rng.choice(list(StoryKind)),
                    text=_text(rng, 1, 5),
                    source=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                    on=_day(rng, 365),
                    metric_id=rng.choice(linked).id if linked and rng.random() < 0.5 else None,
                    experiment_id=rng.choice(experiments).id if rng.random() < 0.3 else None,
                )
            )
    return out


def generate(
    path: Path,
    *,
    seed: int = 1,
    initiatives: int = 50,
    items: int = 10_000,
    stakeholders: int = 1_500,
    metrics: int = 60,
    measurements: int = 100_000,
) -> dict[str, int]:
    """Write the workspace to ``path`` (replacing it).  Returns the row count per table."""
    entities = build(
        seed=seed,
        initiatives=initiatives,
        items=items,
        stakeholders=stakeholders,
        metrics=metrics,
        measurements=measurements,
    )
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="ldpm-bench-gen-") as work:
        create_file(
            path,
            root=Path(work),
            device=DEVICE,
            name=WORKSPACE_NAME,
            populate=partial(entities.insert, chunk=CHUNK),
        )
    return {table_name(Workspace): 1, **entities.counts()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the large LDPM benchmark workspace.")
    parser.add_argument("out", type=Path, help="the .ldpm file to write (replaced if present)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--initiatives", type=int, default=50)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--stakeholders", type=int, default=1_500)
    parser.add_argument("--metrics", type=int, default=60)
    parser.add_argument("--measurements", type=int, default=100_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(
        args.out,
        seed=args.seed,
        initiatives=args.initiatives,
        items=args.items,
        stakeholders=args.stakeholders,
        metrics=args.metrics,
        measurements=args.measurements,
    )
    elapsed = time.perf_counter() - started
    for name, count in counts.items():
        print(f"{name:<14} {count:>8,}")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
