"""Trojan-mouse experiments: the board, results computed from the linked metric, moves between
the board's columns, and the portfolio's flags (running, overdue for a decision).

State is worked out from the dates and the decision (:mod:`ldpm.domain.experiments`), so a
move on the board is an edit of those: starting sets the start date to today, stopping sets
the end date, deciding sets the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ldpm.domain import experiments as rules
from ldpm.domain.entities import Experiment, Initiative, Metric
from ldpm.domain.enums import Decision, ExperimentState
from ldpm.domain.experiments import ExperimentResult
from ldpm.services import metrics as metric_svc
from ldpm.services.commands import AddEntity, DeleteEntity, EditFields, edit
from ldpm.services.project import Project

if TYPE_CHECKING:
    from ldpm.services.portfolio import Flag


def list_experiments(project: Project, initiative_id: str) -> list[Experiment]:
    """By start date (undated last), then title."""
    with project.read() as tx:
        items = tx.list(Experiment, where={"initiative_id": initiative_id}, order_by=("id",))
    return sorted(items, key=lambda e: (e.start is None, e.start or date.max, e.title.casefold()))


def get_experiment(project: Project, experiment_id: str) -> Experiment | None:
    with project.read() as tx:
        return tx.get(Experiment, experiment_id)


@dataclass(frozen=True, slots=True)
class Card:
    """One experiment on the board, with what the board shows about it."""

    experiment: Experiment
    state: ExperimentState
    overdue: bool
    metric_name: str
    result: ExperimentResult | None

    @property
    def id(self) -> str:
        return self.experiment.id


def board(project: Project, initiative_id: str, on: date | None = None) -> list[Card]:
    """Every experiment of the initiative as a card, with its state on ``on`` (today) and
    its result computed from its metric's measurements where it can be."""
    now = on or metric_svc.today()
    experiments = list_experiments(project, initiative_id)
    wanted = {e.metric_id for e in experiments if e.metric_id}
    with project.read() as tx:
        metrics = {m.id: m for m in tx.list(Metric, where={"initiative_id": initiative_id})}
    lines = {
        metric_id: metric_svc.metric_lines(project, metric_id)
        for metric_id in wanted
        if metric_id in metrics
    }
    cards = []
    for e in experiments:
        metric = metrics.get(e.metric_id) if e.metric_id else None
        result = rules.result(e, metric, lines.get(e.metric_id or "", {}), now)
        cards.append(
            Card(
                e,
                rules.state(e, now),
                rules.overdue(e, now),
                metric.name if metric else "",
                result,
            )
        )
    return cards


def add_experiment(project: Project, initiative_id: str, title: str, **fields: Any) -> AddEntity:
    del project
    experiment = Experiment(initiative_id=initiative_id, title=title, **fields)
    return AddEntity(experiment, text=f"Add experiment “{title}”")


def edit_experiment(
    experiment_id: str, changes: dict[str, Any], *, typing: bool = False
) -> EditFields:
    label = next(iter(changes)).replace("_", " ") if len(changes) == 1 else "experiment"
    return edit(Experiment, experiment_id, changes, f"Edit {label}", coalesce=typing)


def delete_experiment(project: Project, experiment_id: str) -> DeleteEntity:
    experiment = get_experiment(project, experiment_id)
    title = experiment.title if experiment else ""
    return DeleteEntity(Experiment, experiment_id, text=f"Delete experiment “{title}”")


def move(
    experiment: Experiment,
    to: ExperimentState,
    on: date | None = None,
    decision: Decision | None = None,
) -> EditFields | None:
    """The edit that puts ``experiment`` in column ``to`` on ``on`` (today), or None when it
    is there already or cannot go there that way.

    * → running: it starts today if it had not started (an end date already past is cleared);
    * → deciding: it stops today (and starts today if it had not started);
    * → decided: the ``decision`` (amplify, iterate or drop) is taken;
    * leaving "decided" takes the decision back (pending again);
    * → planned: only an experiment that has not started can go back there."""
    now = on or metric_svc.today()
    if to is rules.state(experiment, now) and to is not ExperimentState.DECIDED:
        return None
    changes: dict[str, Any] = {}
    if to is ExperimentState.DECIDED:
        if decision in (None, Decision.PENDING) or decision == experiment.decision:
            return None
        changes["decision"] = decision
    else:
        if experiment.decision is not Decision.PENDING:
            changes["decision"] = Decision.PENDING
        not_started = experiment.start is None or experiment.start > now
        if to is ExperimentState.PLANNED and not not_started:
            return None  # it has started: moving it back would rewrite what happened
        if to in (ExperimentState.RUNNING, ExperimentState.DECIDING) and not_started:
            changes["start"] = now
        if to is ExperimentState.RUNNING and experiment.end is not None and experiment.end <= now:
            changes["end"] = None
        if to is ExperimentState.DECIDING and (experiment.end is None or experiment.end > now):
            changes["end"] = now
    if not changes:
        return None
    texts = {
        ExperimentState.RUNNING: "Start experiment",
        ExperimentState.DECIDING: "Stop experiment",
        ExperimentState.DECIDED: "Decide experiment",
        ExperimentState.PLANNED: "Plan experiment",
    }
    return edit(Experiment, experiment.id, changes, texts[to])


# ------------------------------------------------------------------------- portfolio


def experiment_flags(project: Project, initiatives: Sequence[Initiative]) -> list[Flag]:
    """Portfolio flags: how many experiments are running, and which are overdue for a
    decision (one query for every initiative)."""
    from ldpm.services.portfolio import Flag

    now = metric_svc.today()
    wanted = {i.id for i in initiatives}
    with project.read() as tx:
        items = [e for e in tx.list(Experiment, order_by=("id",)) if e.initiative_id in wanted]
    running: dict[str, int] = {}
    overdue: dict[str, list[str]] = {}
    for e in sorted(items, key=lambda e: (e.end or date.max, e.title)):
        if rules.state(e, now) is ExperimentState.RUNNING:
            running[e.initiative_id] = running.get(e.initiative_id, 0) + 1
        if rules.overdue(e, now):
            overdue.setdefault(e.initiative_id, []).append(e.title)
    flags = []
    for initiative_id, titles in overdue.items():
        shown = titles[0] if len(titles) == 1 else f"{len(titles)} experiments"
        flags.append(Flag(initiative_id, f"decide: {shown}", "warning", "experiments"))
    for initiative_id, count in running.items():
        text = f"{count} experiment{'s' if count != 1 else ''} running"
        flags.append(Flag(initiative_id, text, "info", "experiments"))
    return flags
