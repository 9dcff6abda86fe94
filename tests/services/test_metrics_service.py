"""Metrics, measurements, links, experiments and stories as undoable commands on a real
project file."""

from __future__ import annotations

import gc
import random
from datetime import date, timedelta

import pytest

from ldpm.domain.entities import (
    BacklogItem,
    Experiment,
    Initiative,
    KeyResult,
    Measurement,
    Metric,
    MetricLink,
    Objective,
    Release,
    Segment,
)
from ldpm.domain.enums import Cadence, Decision, Direction, ExperimentState, MetricTier
from ldpm.domain.validation import ValidationError
from ldpm.services import experiments, metrics, stories
from ldpm.services.commands import execute
from ldpm.services.initiatives import add_initiative
from ldpm.services.project import Project

TODAY = date(2026, 3, 1)


def _initiative(project: Project, **fields: object) -> str:
    command = add_initiative(project, "Incident hand-offs", **fields)
    execute(project, command)
    return command.entity.id


def _metric(project: Project, initiative_id: str, name: str, **fields: object) -> str:
    command = metrics.add_metric(project, initiative_id, name, **fields)
    execute(project, command)
    return command.entity.id


def test_the_plan_is_ordered_by_tier_then_name(project: Project) -> None:
    initiative = _initiative(project)
    for name, tier in (
        ("Zeta errors", MetricTier.BEHAVIOUR),
        ("MTTR", MetricTier.BUSINESS),
        ("Attendance", MetricTier.OPERATIONAL),
        ("alpha use", MetricTier.BEHAVIOUR),
    ):
        _metric(project, initiative, name, tier=tier)
    assert [m.name for m in metrics.list_metrics(project, initiative)] == [
        "Attendance",
        "alpha use",
        "Zeta errors",
        "MTTR",
    ]


def test_measurements_add_edit_delete_and_undo(project: Project) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Hand-off errors")
    add = metrics.add_measurement(metric, date(2026, 3, 16), 2.5, " Team Blue ", " v1 ")
    execute(project, add)
    [stored] = metrics.list_measurements(project, metric)
    assert (stored.on, stored.value, stored.segment, stored.note) == (
        date(2026, 3, 16),
        2.5,
        "Team Blue",
        "v1",
    )
    execute(project, metrics.edit_measurement(stored.id, {"value": 2.1}))
    assert metrics.list_measurements(project, metric)[0].value == 2.1
    delete = metrics.delete_measurements([stored.id])
    assert delete is not None
    execute(project, delete)
    assert metrics.list_measurements(project, metric) == []
    execute(project, delete, undo=True)
    assert [m.id for m in metrics.list_measurements(project, metric)] == [stored.id]
    assert metrics.delete_measurements([]) is None
    with pytest.raises(ValidationError, match="must be a number"):
        execute(project, metrics.add_measurement(metric, date(2026, 3, 16), float("nan")))


def test_a_paste_is_one_undo_step(project: Project) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Hand-off errors")
    rows = [
        (date(2026, 3, 23), 2.0, "", ""),
        (date(2026, 3, 16), 2.5, "", "first"),
        (date(2026, 3, 16), 2.7, "Remote engineers", ""),
    ]
    paste = metrics.add_measurements(metric, rows)
    assert paste.text == "Add 3 measurements"
    execute(project, paste)
    listed = metrics.list_measurements(project, metric)
    # By date, then segment ("" first).
    assert [(m.on.day, m.value, m.segment) for m in listed] == [
        (16, 2.5, ""),
        (16, 2.7, "Remote engineers"),
        (23, 2.0, ""),
    ]
    lines = metrics.metric_lines(project, metric)
    assert sorted(lines) == ["", "Remote engineers"]
    assert list(lines[""].days) == [date(2026, 3, 16).toordinal(), date(2026, 3, 23).toordinal()]
    assert list(lines[""].values) == [2.5, 2.0]
    execute(project, paste, undo=True)
    assert metrics.list_measurements(project, metric) == []


def test_impact_reads_everything_the_view_draws(project: Project) -> None:
    initiative = _initiative(project)
    execute(project, metrics.add_metric(project, initiative, "Errors",
                                        tier=MetricTier.BEHAVIOUR, cadence=Cadence.WEEKLY,
                                        baseline_date=date(2026, 2, 2)))  # fmt: skip
    [metric] = metrics.list_metrics(project, initiative)
    execute(project, metrics.add_measurements(metric.id, [
        (date(2026, 2, 9), 2.4, "", ""), (date(2026, 2, 16), 2.3, "Pilot", ""),
    ]))  # fmt: skip
    with project.unit() as tx:
        tx.insert(Release(initiative_id=initiative, name="MVP", target_date=date(2026, 2, 12)))
        tx.insert(Release(initiative_id=initiative, name="Later"))  # no date: no marker
        tx.insert(Segment(initiative_id=initiative, name="Remote engineers"))
    data = metrics.impact(project, initiative, TODAY)
    assert data is not None and data.today == TODAY
    assert [e.title for e in data.events] == ["MVP"]
    assert data.segments == ["Remote engineers", "Pilot"]
    # Due weekly from 2 Feb: the 9th and 16th were measured (any segment), then 23 Feb: missing.
    assert data.missing[metric.id] == [date(2026, 2, 23)]
    assert metrics.segment_names(project, initiative) == ["Remote engineers", "Pilot"]
    assert metrics.impact(project, "nope", TODAY) is None


def test_lines_of_measurements_written_out_of_order(project: Project) -> None:
    """The lines are sorted in Python, not by SQLite: rows written in any order, in segments
    whose names sort differently as text and as case-folded words, give each segment its
    measurements ascending by day, as the full entity read sorted by hand does."""
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Hand-off errors")
    other = _metric(project, initiative, "Other metric")
    rng = random.Random(7)
    segments = ["", "Remote", "on site", "Équipe B", "Zulu", "Ünter"]
    rows = [
        (date(2026, 1, 1) + timedelta(days=rng.randrange(200)), rng.uniform(0, 10), s, "")
        for s in segments
        for _ in range(40)
    ]
    rng.shuffle(rows)
    rows.append((rows[0][0], -1.0, rows[0][2], ""))  # two on one day: lower value first
    execute(project, metrics.add_measurements(metric, rows))
    execute(project, metrics.add_measurements(other, [(date(2026, 1, 5), 99.0, "Remote", "")]))
    lines = metrics.metric_lines(project, metric)
    assert list(lines) == sorted(segments)  # segments in code-point order, as bisected
    for segment, line in lines.items():
        expected = sorted(
            (m.on.toordinal(), m.value)
            for m in metrics.list_measurements(project, metric)
            if m.segment == segment
        )
        assert list(zip(line.days, line.values, strict=True)) == expected
        assert (line.metric_id, line.segment) == (metric, segment)
    data = metrics.impact(project, initiative, TODAY)
    assert data is not None and data.lines[metric] == lines
    assert list(data.lines[other]["Remote"].values) == [99.0]


def test_a_bulk_read_leaves_garbage_collection_as_it_was(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Errors", tier=MetricTier.BEHAVIOUR)
    execute(project, metrics.add_measurement(metric, date(2026, 2, 9), 2.4))
    seen: list[bool] = []
    lines = metrics._lines

    def reading(tx: object, metric_id: str) -> object:
        seen.append(gc.isenabled())
        return lines(tx, metric_id)

    monkeypatch.setattr(metrics, "_lines", reading)
    assert gc.isenabled()
    data = metrics.impact(project, initiative, TODAY)
    assert data is not None and data.lines[metric][""].values == (2.4,)
    assert metrics.metric_lines(project, metric)[""].days == (date(2026, 2, 9).toordinal(),)
    assert seen == [False, False] and gc.isenabled()  # off while reading, on again after
    gc.disable()
    try:
        metrics.impact(project, initiative, TODAY)
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
    monkeypatch.setattr(metrics, "_lines", lambda tx, metric_id: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        metrics.impact(project, initiative, TODAY)
    assert gc.isenabled()


def test_links_to_items_releases_and_key_results(project: Project) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Errors")
    item = BacklogItem(initiative_id=initiative, title="Checklist")
    release = Release(initiative_id=initiative, name="MVP")
    objective = Objective(initiative_id=initiative, title="Hand-offs work")
    key_result = KeyResult(objective_id=objective.id, title="Errors down 40%")
    with project.unit() as tx:
        for entity in (item, release, objective, key_result):
            tx.insert(entity)
    link = metrics.set_link(project, metric, item_id=item.id, linked=True)
    assert link is not None
    execute(project, link)
    assert metrics.set_link(project, metric, item_id=item.id, linked=True) is None
    to_release = metrics.set_link(project, metric, release_id=release.id, linked=True)
    assert to_release is not None
    execute(project, to_release)
    execute(project, metrics.set_key_result_metric(key_result.id, metric))
    choices = metrics.link_choices(project, initiative, metric)
    assert choices.linked_items == {item.id} and choices.linked_releases == {release.id}
    assert choices.key_results == [(key_result.id, "Errors down 40%", metric)]
    # Two devices linked the same item: unlinking removes both, as one step.
    with project.unit() as tx:
        tx.insert(MetricLink(metric_id=metric, item_id=item.id))
    unlink = metrics.set_link(project, metric, item_id=item.id, linked=False)
    assert unlink is not None
    execute(project, unlink)
    assert metrics.link_choices(project, initiative, metric).linked_items == frozenset()
    execute(project, unlink, undo=True)
    assert metrics.link_choices(project, initiative, metric).linked_items == {item.id}
    with (
        pytest.raises(ValidationError, match="one backlog item or one release"),
        project.unit() as tx,
    ):
        tx.insert(MetricLink(metric_id=metric))


def test_the_suggested_ladder_is_one_step(project: Project) -> None:
    initiative = _initiative(
        project, problem_metric="Incident hand-off errors", problem_baseline=30.0,
        problem_target=18.0,
    )  # fmt: skip
    _metric(project, initiative, "Attendance at briefings", kirkpatrick=1)
    ladder = metrics.add_ladder(project, initiative)
    assert ladder is not None
    execute(project, ladder)
    plan = metrics.list_metrics(project, initiative)
    assert [m.tier for m in plan] == [
        MetricTier.OPERATIONAL,
        MetricTier.BEHAVIOUR,
        MetricTier.BUSINESS,
    ]
    business = plan[-1]
    assert (business.name, business.direction) == ("Incident hand-off errors", Direction.DECREASE)
    assert metrics.add_ladder(project, initiative) is None  # no longer vanity-only
    execute(project, ladder, undo=True)
    assert len(metrics.list_metrics(project, initiative)) == 1


def test_vanity_flags_in_one_query(project: Project) -> None:
    vanity = _initiative(project)
    fine = _initiative(project)
    empty = _initiative(project)
    _metric(project, vanity, "Attendance")
    _metric(project, fine, "Attendance")
    _metric(project, fine, "Errors", tier=MetricTier.BEHAVIOUR)
    with project.read() as tx:
        items = tx.list(Initiative)
    flagged = metrics.vanity_flags(project, items)
    assert [(f.initiative_id, f.text, f.severity) for f in flagged] == [
        (vanity, "only vanity metrics", "warning")
    ]
    del empty


def test_experiments_on_the_board(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Errors", direction=Direction.DECREASE)
    execute(project, metrics.add_measurements(metric, [
        (date(2026, 1, 12), 32.0, "", ""), (date(2026, 1, 19), 30.0, "", ""),
        (date(2026, 1, 26), 22.0, "", ""), (date(2026, 2, 2), 20.0, "", ""),
    ]))  # fmt: skip
    add = experiments.add_experiment(
        project, initiative, "Checklist", metric_id=metric, start=date(2026, 1, 26),
        end=date(2026, 2, 8), pass_value=24.0,
    )  # fmt: skip
    execute(project, add)
    planned = experiments.add_experiment(project, initiative, "Command", start=date(2026, 4, 1))
    execute(project, planned)
    [first, second] = experiments.board(project, initiative, TODAY)
    assert first.experiment.title == "Checklist" and first.state is ExperimentState.DECIDING
    assert first.metric_name == "Errors"
    assert first.result is not None and first.result.during == pytest.approx(21.0)
    assert first.result.passed is True
    assert second.state is ExperimentState.PLANNED and second.result is None
    monkeypatch.setattr(metrics, "today", lambda: TODAY)
    with project.read() as tx:
        items = tx.list(Initiative)
    assert [f.text for f in experiments.experiment_flags(project, items)] == ["decide: Checklist"]


def test_moves_between_the_columns(project: Project) -> None:
    initiative = _initiative(project)
    add = experiments.add_experiment(project, initiative, "Checklist")
    execute(project, add)
    experiment = add.entity
    assert isinstance(experiment, Experiment)
    start = experiments.move(experiment, ExperimentState.RUNNING, TODAY)
    assert start is not None and start.new == {"start": TODAY}
    execute(project, start)
    running = experiments.get_experiment(project, experiment.id)
    assert running is not None
    assert experiments.move(running, ExperimentState.RUNNING, TODAY) is None
    assert experiments.move(running, ExperimentState.PLANNED, TODAY) is None  # it started
    stop = experiments.move(running, ExperimentState.DECIDING, TODAY)
    assert stop is not None and stop.new == {"end": TODAY}
    execute(project, stop)
    stopped = experiments.get_experiment(project, experiment.id)
    assert stopped is not None
    assert experiments.move(stopped, ExperimentState.DECIDED, TODAY) is None  # which decision?
    decide = experiments.move(stopped, ExperimentState.DECIDED, TODAY, Decision.AMPLIFY)
    assert decide is not None and decide.new == {"decision": Decision.AMPLIFY}
    execute(project, decide)
    decided = experiments.get_experiment(project, experiment.id)
    assert decided is not None
    reopen = experiments.move(decided, ExperimentState.RUNNING, TODAY)
    assert reopen is not None
    assert reopen.new == {"decision": Decision.PENDING, "end": None}
    execute(project, decide, undo=True)
    again = experiments.get_experiment(project, experiment.id)
    assert again is not None and again.decision is Decision.PENDING


def test_stories_filtered_and_undone(project: Project) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Errors")
    good = stories.add_story(initiative, "Outage", metric_id=metric, rating=5)
    bad = stories.add_story(initiative, "v1 unused", rating=1)
    for command in (good, bad):
        execute(project, command)
    from ldpm.domain.stories import StoryFilter

    assert [s.title for s in stories.list_stories(project, initiative, StoryFilter.MOST)] == [
        "Outage"
    ]
    assert [s.title for s in stories.list_stories(project, initiative, StoryFilter.LEAST)] == [
        "v1 unused"
    ]
    assert [s.title for s in stories.list_stories(project, initiative, metric_id=metric)] == [
        "Outage"
    ]
    execute(project, stories.edit_story(good.entity.id, {"quote": "“Nobody asked twice.”"}))
    assert stories.get_story(project, good.entity.id).quote == "“Nobody asked twice.”"  # type: ignore[union-attr]
    delete = stories.delete_story(project, bad.entity.id)
    execute(project, delete)
    assert len(stories.list_stories(project, initiative)) == 1
    with pytest.raises(ValidationError, match="between 1 and 5"):
        execute(project, stories.edit_story(good.entity.id, {"rating": 6}))


def test_bulk_columns_read_day_numbers_and_distinct_values(project: Project) -> None:
    initiative = _initiative(project)
    metric = _metric(project, initiative, "Errors")
    execute(project, metrics.add_measurements(metric, [
        (date(2026, 3, 16), 2.5, "A", ""), (date(2026, 3, 23), 2.0, "A", ""),
        (date(2026, 3, 23), 2.1, "", ""),
    ]))  # fmt: skip
    with project.read() as tx:
        rows = tx.columns(
            Measurement, ("on", "value"), where={"metric_id": metric},
            order_by=("on", "value"), day_numbers=("on",),
        )  # fmt: skip
        segments = tx.columns(Measurement, ("segment",), distinct=True, order_by=("segment",))
        raw = tx.columns(Metric, ("name", "tier"))
    assert rows == [
        (date(2026, 3, 16).toordinal(), 2.5),
        (date(2026, 3, 23).toordinal(), 2.0),
        (date(2026, 3, 23).toordinal(), 2.1),
    ]
    assert segments == [("",), ("A",)]
    assert raw == [("Errors", "operational")]  # stored values: an enum's text
