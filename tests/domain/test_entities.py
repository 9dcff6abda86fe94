from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pytest

from ldpm.domain.entities import (
    ENTITY_TYPES,
    GRID_MAX,
    GRID_MIN,
    RICE_IMPACTS,
    Assessment,
    BacklogItem,
    Conflict,
    Device,
    Entity,
    Experiment,
    ExternalRef,
    Initiative,
    InitiativeCause,
    Interaction,
    ItemSme,
    KeyResult,
    Measurement,
    Metric,
    MetricLink,
    Objective,
    Person,
    Release,
    Segment,
    Stakeholder,
    Story,
    Workspace,
    new_id,
)
from ldpm.domain.enums import Cause
from ldpm.domain.validation import MAX_NAME, MAX_TEXT, ValidationError

NAN = float("nan")
INF = float("inf")
LONG_NAME = "x" * (MAX_NAME + 1)
LONG_TEXT = "x" * (MAX_TEXT + 1)

#: The fields each entity type cannot be built without.
REQUIRED: dict[type[Entity], dict[str, Any]] = {
    Segment: {"initiative_id": "i"},
    Objective: {"initiative_id": "i"},
    KeyResult: {"objective_id": "o"},
    Release: {"initiative_id": "i"},
    BacklogItem: {"initiative_id": "i"},
    ItemSme: {"item_id": "b", "person_id": "p"},
    Stakeholder: {"initiative_id": "i", "person_id": "p"},
    Assessment: {"stakeholder_id": "s", "on": date(2025, 3, 10)},
    Interaction: {"stakeholder_id": "s", "on": date(2025, 3, 10)},
    Metric: {"initiative_id": "i"},
    Measurement: {"metric_id": "m", "on": date(2025, 3, 31)},
    Experiment: {"initiative_id": "i"},
    Story: {"initiative_id": "i"},
    Conflict: {"entity": "initiative", "row_id": "r", "field": "name"},
    InitiativeCause: {"initiative_id": "i", "cause": Cause.PROCESS},
    MetricLink: {"metric_id": "m", "item_id": "b"},
    ExternalRef: {
        "source": "Jira",
        "external_id": "OPS-1",
        "entity": "backlog_item",
        "row_id": "b",
    },
}


def make(cls: type[Entity], **fields: Any) -> Entity:
    return cls(**(REQUIRED.get(cls, {}) | fields))


@pytest.mark.parametrize("cls", ENTITY_TYPES, ids=lambda c: c.__name__)
def test_defaults_are_valid(cls: type[Entity]) -> None:
    make(cls).validate()


def test_entity_types_cover_every_entity_once() -> None:
    from ldpm.domain import entities

    defined = {
        c
        for c in vars(entities).values()
        if isinstance(c, type) and issubclass(c, Entity) and c is not Entity
    }
    assert len(set(ENTITY_TYPES)) == len(ENTITY_TYPES) and set(ENTITY_TYPES) == defined
    assert all(issubclass(t, Entity) for t in ENTITY_TYPES)


def test_ids_are_fresh_uuid_hex() -> None:
    ids = {new_id() for _ in range(100)} | {Workspace().id, Workspace().id}
    assert len(ids) == 102
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


# (entity type, field, bad value, field named in the error, words in the message)
RULES: list[tuple[type[Entity], str, Any, str, str]] = [
    (ExternalRef, "source", " ", "source", "source needs a name"),
    (ExternalRef, "external_id", "", "external_id", "external id cannot be empty"),
    (ExternalRef, "external_id", "  ", "external_id", "external id cannot be empty"),
    (ExternalRef, "external_id", LONG_NAME, "external_id", "external id is too long"),
    (Workspace, "name", "", "name", "needs a name"),
    (Workspace, "name", "   ", "name", "needs a name"),
    (Workspace, "name", LONG_NAME, "name", "too long"),
    (Workspace, "description", LONG_TEXT, "description", "too long"),
    (Workspace, "impact_scale", "3; lots", "impact_scale", "separated by semicolons"),
    (Workspace, "impact_scale", "", "impact_scale", "separated by semicolons"),
    (Workspace, "impact_scale", "2; 0", "impact_scale", "greater than zero"),
    (Workspace, "impact_scale", "; ".join(map(str, range(1, 12))), "impact_scale", "at most 10"),
    (Workspace, "confidence_scale", "100; 150", "confidence_scale", "at most 100"),
    (Workspace, "wsjf_weight_time", -1.0, "wsjf_weight_time", "cannot be negative"),
    (Workspace, "wsjf_weight_risk", NAN, "wsjf_weight_risk", "must be a number"),
    (Workspace, "rubric_impact", LONG_TEXT, "rubric_impact", "too long"),
    (Initiative, "triage_reason", LONG_TEXT, "triage_reason", "too long"),
    (Initiative, "approval_override", LONG_TEXT, "approval_override", "too long"),
    (InitiativeCause, "note", LONG_TEXT, "note", "too long"),
    (InitiativeCause, "owner", LONG_NAME, "owner", "too long"),
    (Initiative, "name", " ", "name", "initiative needs a name"),
    (Initiative, "name", LONG_NAME, "name", "too long"),
    (Initiative, "request", LONG_TEXT, "request", "request is too long"),
    (Initiative, "intake_problem", LONG_TEXT, "intake_problem", "too long"),
    (Initiative, "intake_who", LONG_TEXT, "intake_who", "too long"),
    (Initiative, "intake_optimal", LONG_TEXT, "intake_optimal", "too long"),
    (Initiative, "intake_measure", LONG_TEXT, "intake_measure", "too long"),
    (Initiative, "intake_exemplars", LONG_TEXT, "intake_exemplars", "too long"),
    (Initiative, "intake_form", LONG_TEXT, "intake_form", "too long"),
    (Initiative, "problem_statement", LONG_TEXT, "problem_statement", "too long"),
    (Initiative, "audience", LONG_TEXT, "audience", "too long"),
    (Initiative, "outcome", LONG_TEXT, "outcome", "too long"),
    (Initiative, "problem_baseline", NAN, "problem_baseline", "must be a number"),
    (Initiative, "problem_target", INF, "problem_target", "must be a number"),
    (Segment, "name", "", "name", "segment needs a name"),
    (Segment, "size", -1, "size", "cannot be negative"),
    (Objective, "title", "", "title", "objective needs a name"),
    (KeyResult, "title", "", "title", "key result needs a name"),
    (KeyResult, "baseline", NAN, "baseline", "must be a number"),
    (KeyResult, "target", -INF, "target", "must be a number"),
    (KeyResult, "current", NAN, "current", "must be a number"),
    (Release, "name", "", "name", "release needs a name"),
    (Release, "story", LONG_TEXT, "story", "too long"),
    (Release, "capacity", -1.0, "capacity", "cannot be negative"),
    (Release, "capacity", INF, "capacity", "must be a number"),
    (BacklogItem, "title", "", "title", "backlog item needs a name"),
    (BacklogItem, "description", LONG_TEXT, "description", "too long"),
    (BacklogItem, "effort", 0.0, "effort", "greater than zero"),
    (BacklogItem, "effort", -3.0, "effort", "greater than zero"),
    (BacklogItem, "effort", NAN, "effort", "must be a number"),
    (BacklogItem, "reach", -10, "reach", "cannot be negative"),
    # Whether an impact is on the workspace's scale is checked when it is edited.
    (BacklogItem, "impact", 0.0, "impact", "greater than zero"),
    (BacklogItem, "impact", NAN, "impact", "must be a number"),
    (BacklogItem, "sourcing_reason", LONG_TEXT, "sourcing_reason", "too long"),
    (BacklogItem, "confidence", 1.2, "confidence", "between 0 and 1"),
    (BacklogItem, "confidence", -0.1, "confidence", "between 0 and 1"),
    (BacklogItem, "confidence", NAN, "confidence", "must be a number"),
    (BacklogItem, "business_value", 0, "business_value", "between 1 and 10"),
    (BacklogItem, "business_value", 11, "business_value", "between 1 and 10"),
    (BacklogItem, "time_criticality", 0, "time_criticality", "between 1 and 10"),
    (BacklogItem, "risk_reduction", 11, "risk_reduction", "between 1 and 10"),
    (BacklogItem, "value", 0, "value", "between 1 and 10"),
    (BacklogItem, "job_size", 0, "job_size", "greater than zero"),
    (Person, "name", "", "name", "person needs a name"),
    (Person, "notes", LONG_TEXT, "notes", "too long"),
    (Stakeholder, "power", GRID_MIN - 1, "power", "between 1 and 10"),
    (Stakeholder, "power", GRID_MAX + 1, "power", "between 1 and 10"),
    (Stakeholder, "interest", 0, "interest", "between 1 and 10"),
    (Stakeholder, "interest", 11, "interest", "between 1 and 10"),
    (Stakeholder, "engagement_plan", LONG_TEXT, "engagement_plan", "too long"),
    (Stakeholder, "private_notes", LONG_TEXT, "private_notes", "too long"),
    (Assessment, "power", 0, "power", "between 1 and 10"),
    (Assessment, "interest", 11, "interest", "between 1 and 10"),
    (Interaction, "summary", LONG_TEXT, "summary", "too long"),
    (Metric, "name", "", "name", "metric needs a name"),
    (Metric, "kirkpatrick", 0, "kirkpatrick", "between 1 and 4"),
    (Metric, "kirkpatrick", 5, "kirkpatrick", "between 1 and 4"),
    (Metric, "ltem", 0, "ltem", "between 1 and 8"),
    (Metric, "ltem", 9, "ltem", "between 1 and 8"),
    (Metric, "baseline", NAN, "baseline", "must be a number"),
    (Metric, "target", INF, "target", "must be a number"),
    (Measurement, "value", NAN, "value", "must be a number"),
    (Experiment, "title", "", "title", "experiment needs a name"),
    (Story, "title", "", "title", "story needs a name"),
    (Story, "text", LONG_TEXT, "text", "too long"),
    (Metric, "description", LONG_TEXT, "description", "too long"),
    (Experiment, "cost", -1.0, "cost", "cannot be negative"),
    (Experiment, "pass_value", NAN, "pass_value", "must be a number"),
    (Experiment, "hypothesis", LONG_TEXT, "hypothesis", "too long"),
    (Story, "rating", 0, "rating", "between 1 and 5"),
    (Story, "rating", 6, "rating", "between 1 and 5"),
    (Story, "quote", LONG_TEXT, "quote", "too long"),
    (MetricLink, "item_id", None, "item_id", "one backlog item or one release"),
]


@pytest.mark.parametrize(
    ("cls", "name", "bad", "field", "words"),
    RULES,
    ids=[f"{r[0].__name__}.{r[1]}={str(r[2])[:12]}" for r in RULES],
)
def test_rule(cls: type[Entity], name: str, bad: Any, field: str, words: str) -> None:
    entity = make(cls, **{name: bad})
    with pytest.raises(ValidationError) as info:
        entity.validate()
    err = info.value
    assert err.field == field
    assert words in err.message
    assert str(err) == err.message
    assert err.message[0].isupper()
    assert err.message.endswith(".")


def test_every_entity_with_rules_is_covered() -> None:
    ruled = {r[0] for r in RULES}
    without_rules = {ItemSme, Conflict, Device}  # bookkeeping: written by sync, not typed
    assert ruled | without_rules == set(ENTITY_TYPES)


def test_experiment_cannot_end_before_it_starts() -> None:
    trial = Experiment(
        initiative_id="i",
        title="Checklist with one on-call team",
        start=date(2025, 5, 1),
        end=date(2025, 4, 30),
    )
    with pytest.raises(ValidationError) as info:
        trial.validate()
    assert info.value.field == "end"
    assert info.value.message == "The experiment cannot end before it starts."
    # Same day, or only one end set, is fine.
    dataclasses.replace(trial, end=date(2025, 5, 1)).validate()
    dataclasses.replace(trial, end=None).validate()
    dataclasses.replace(trial, start=None).validate()


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Workspace, {"name": "x" * MAX_NAME, "description": "x" * MAX_TEXT}),
        (BacklogItem, {"confidence": 0.0, "effort": 0.5, "reach": 0, "job_size": 1}),
        (BacklogItem, {"confidence": 1.0, "business_value": 1, "value": 10}),
        (Stakeholder, {"power": GRID_MIN, "interest": GRID_MAX}),
        (Stakeholder, {"power": GRID_MAX, "interest": GRID_MIN}),
        (Metric, {"kirkpatrick": 1, "ltem": 8, "baseline": -5.0, "target": 0.0}),
        (Metric, {"kirkpatrick": 4, "ltem": 1}),
        (Segment, {"size": 0}),
        (Initiative, {"problem_baseline": 0.0, "problem_target": -1.0}),
        (ExternalRef, {"external_id": "x" * MAX_NAME}),
    ],
)
def test_boundary_values_are_valid(cls: type[Entity], values: dict[str, Any]) -> None:
    make(cls, **values).validate()


@pytest.mark.parametrize("impact", RICE_IMPACTS)
def test_every_rice_impact_is_valid(impact: float) -> None:
    BacklogItem(initiative_id="i", impact=impact).validate()


def test_an_item_moves_a_metric_or_a_key_result_not_both() -> None:
    BacklogItem(initiative_id="i", metric_id="m").validate()
    BacklogItem(initiative_id="i", key_result_id="k").validate()
    with pytest.raises(ValidationError) as info:
        BacklogItem(initiative_id="i", metric_id="m", key_result_id="k").validate()
    assert info.value.field == "key_result_id"
    assert info.value.message == "An item moves one metric or one key result, not both."


def test_every_wsjf_weight_zero_is_refused_but_one_is_enough() -> None:
    zero: dict[str, Any] = {
        "wsjf_weight_value": 0.0,
        "wsjf_weight_time": 0.0,
        "wsjf_weight_risk": 0.0,
    }
    with pytest.raises(ValidationError) as info:
        Workspace(**zero).validate()
    assert info.value.field == "wsjf_weight_value"
    assert "at least one factor a weight above zero" in info.value.message
    Workspace(**(zero | {"wsjf_weight_risk": 0.5})).validate()


def test_too_long_name_message_states_the_limit() -> None:
    with pytest.raises(ValidationError) as info:
        Workspace(name=LONG_NAME).validate()
    assert info.value.message == (
        "The workspace name is too long: keep it to 200 characters or fewer."
    )


def test_demo_entities_are_valid() -> None:
    Initiative(
        name="Incident hand-offs between Dev and Ops",
        request="A class on communication",
        problem_baseline=30.0,
        problem_target=18.0,
        problem_date=date(2025, 12, 31),
    ).validate()
    BacklogItem(
        initiative_id="i",
        title="Incident hand-off checklist",
        effort=4.0,
        reach=120,
        impact=2.0,
        confidence=0.8,
        business_value=8,
        time_criticality=9,
        risk_reduction=7,
        job_size=3,
        value=9,
    ).validate()
    Stakeholder(initiative_id="i", person_id="ops-director", power=9, interest=4).validate()


def test_a_comparison_group_differs_from_the_group_that_got_the_change() -> None:
    for entity in (
        Metric(initiative_id="i", treated_segment="Team Blue", comparison_segment=" Team Blue"),
        Experiment(initiative_id="i", segment="Team Blue", comparison_segment="Team Blue"),
    ):
        with pytest.raises(ValidationError) as info:
            entity.validate()
        assert info.value.field == "comparison_segment"
        assert info.value.message == (
            "The comparison group must differ from the group that got the change."
        )
    # No comparison, or the main line ("") against a segment, is fine.
    Metric(initiative_id="i", treated_segment="Team Blue").validate()
    Metric(initiative_id="i", comparison_segment="Other teams").validate()
    Experiment(initiative_id="i", comparison_segment="Other teams").validate()


def test_a_metric_link_points_at_one_item_or_one_release() -> None:
    """Exactly one: neither is in RULES above; both is here (a stored file needs a real
    release for it, see tests/persistence/test_metrics_schema.py)."""
    for edited in (["release_id"], ["item_id"], None):
        with pytest.raises(ValidationError) as info:
            MetricLink(metric_id="m", item_id="b", release_id="r").validate(edited)
        assert info.value.field == "item_id"
        assert "one backlog item or one release" in info.value.message
    MetricLink(metric_id="m", release_id="r").validate()
    MetricLink(metric_id="m", item_id="b").validate()


def test_a_comparison_group_rule_runs_when_either_group_is_edited() -> None:
    metric = Metric(initiative_id="i", treated_segment="Remote", comparison_segment="Remote")
    metric.validate(["name"])
    for edited in (["treated_segment"], ["comparison_segment"]):
        with pytest.raises(ValidationError) as info:
            metric.validate(edited)
        assert info.value.field == "comparison_segment"


def test_a_metric_target_date_is_not_before_its_baseline_date() -> None:
    metric = Metric(
        initiative_id="i", baseline_date=date(2026, 2, 2), target_date=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as info:
        metric.validate()
    assert info.value.field == "target_date"
    assert info.value.message == "The target date cannot be before the baseline date."
    dataclasses.replace(metric, target_date=date(2026, 2, 2)).validate()
    dataclasses.replace(metric, baseline_date=None).validate()


# --------------------------------------------------------------- validating what an edit touches


@pytest.mark.parametrize("cls", ENTITY_TYPES, ids=lambda c: c.__name__)
def test_every_rule_reads_fields_of_its_entity(cls: type[Entity]) -> None:
    names = {f.name for f in dataclasses.fields(cls)}
    for rule in cls.RULES:
        assert rule.fields and set(rule.fields) <= names, rule


def test_an_edit_checks_only_the_rules_of_the_fields_it_touches() -> None:
    """Scenario 38: a stored value over its limit does not block editing another field."""
    item = BacklogItem(initiative_id="i", title="Checklist", description=LONG_TEXT)
    item.validate(["title", "effort"])  # the description is not what changed
    item.validate([])
    with pytest.raises(ValidationError) as info:
        item.validate(["description"])
    assert info.value.field == "description"
    item.title = ""
    with pytest.raises(ValidationError) as info:
        item.validate(["title"])
    assert info.value.field == "title"  # the edited field's own message, not another's
    with pytest.raises(ValidationError):
        item.validate()  # everything, as on insert


def test_a_rule_over_two_fields_runs_when_either_is_edited() -> None:
    trial = Experiment(initiative_id="i", start=date(2025, 5, 2), end=date(2025, 5, 1))
    trial.validate(["title"])
    for edited in (["start"], ["end"]):
        with pytest.raises(ValidationError) as info:
            trial.validate(edited)
        assert info.value.field == "end"
