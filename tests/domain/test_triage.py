"""Triage rules: approval needs a measurable statement or a written override; declining and
waitlisting need a reason; routing needs a cause learning cannot fix and its owner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ldpm.domain.entities import Initiative, InitiativeCause
from ldpm.domain.enums import Cause, TriageStatus
from ldpm.domain.triage import (
    Exemplar,
    find_exemplars,
    is_learning_cause,
    owner_hint,
    refusal,
    routing_refusal,
    summarise,
)

MEASURABLE = Initiative(
    name="Incident hand-offs",
    problem_segment="Remote engineers and new hires on call",
    problem_behaviour="hand incidents over without impact, actions, hypotheses and owner",
    problem_metric="Hand-off errors per incident",
    problem_baseline=2.5,
    problem_target=1.5,
    problem_date=date(2026, 9, 30),
)
VAGUE = Initiative(name="Communication class", problem_segment="Engineers")


def cause(c: Cause, owner: str = "") -> InitiativeCause:
    return InitiativeCause(initiative_id=MEASURABLE.id, cause=c, owner=owner)


def test_only_knowledge_and_skill_are_learning_causes() -> None:
    assert {c for c in Cause if is_learning_cause(c)} == {Cause.KNOWLEDGE, Cause.SKILL}
    assert all(owner_hint(c) for c in Cause if not is_learning_cause(c))
    assert owner_hint(Cause.SKILL) == ""


def test_a_measurable_statement_may_be_approved() -> None:
    assert refusal(MEASURABLE, TriageStatus.APPROVED) is None


def test_approval_is_refused_while_the_statement_is_not_measurable() -> None:
    sentence = refusal(VAGUE, TriageStatus.APPROVED)
    assert sentence == (
        "Approval refused: the problem statement is not measurable yet. Add a behaviour, a "
        "metric, a baseline, a target and a date to make this problem statement measurable. "
        "Or write why you approve it anyway under “Approve without a measurable statement”."
    )


def test_a_written_override_allows_approval() -> None:
    assert refusal(replace(VAGUE, approval_override="   "), TriageStatus.APPROVED) is not None
    why = replace(VAGUE, approval_override="The sponsor sets the target after the pilot.")
    assert refusal(why, TriageStatus.APPROVED) is None


@pytest.mark.parametrize("status", [TriageStatus.DECLINED, TriageStatus.WAITLISTED])
def test_declining_and_waitlisting_need_a_reason_for_the_requester(status: TriageStatus) -> None:
    sentence = refusal(MEASURABLE, status)
    assert sentence is not None and "reason for the requester" in sentence
    assert refusal(MEASURABLE, status, reason="  ") is not None
    assert refusal(MEASURABLE, status, reason="Not this quarter: budget is spent.") is None
    stored = replace(MEASURABLE, triage_reason="Already covered by the Q3 programme.")
    assert refusal(stored, status) is None
    assert refusal(stored, status, reason="") is not None  # the reason given counts


@pytest.mark.parametrize("status", [TriageStatus.NEW, TriageStatus.IN_REVIEW])
def test_going_back_to_new_or_review_is_always_allowed(status: TriageStatus) -> None:
    assert refusal(VAGUE, status) is None


def test_routing_needs_a_cause_learning_cannot_fix() -> None:
    assert routing_refusal([]) is not None
    assert "not a training problem" in (routing_refusal([cause(Cause.KNOWLEDGE)]) or "")


def test_routing_is_refused_while_a_learning_cause_is_checked() -> None:
    sentence = routing_refusal([cause(Cause.SKILL), cause(Cause.PROCESS, "Priya")])
    assert sentence == (
        "A skill gap is checked, so a learning solution can help: approve the request "
        "instead, or uncheck it."
    )


def test_every_routed_cause_needs_a_suggested_owner() -> None:
    causes = [cause(Cause.PROCESS, "Priya Natarajan"), cause(Cause.TOOLS, " ")]
    assert routing_refusal(causes) == (
        "Name a suggested owner for tools or access before you close the request as routed."
    )
    causes[1] = cause(Cause.TOOLS, "Developer Experience")
    assert routing_refusal(causes) is None
    assert refusal(MEASURABLE, TriageStatus.ROUTED, causes) is None


def test_the_summary_says_what_learning_can_and_cannot_fix() -> None:
    assert not summarise([]).known
    mixed = summarise([Cause.TOOLS, Cause.SKILL, Cause.PROCESS])
    assert mixed.learning == (Cause.SKILL,) and mixed.routed == (Cause.PROCESS, Cause.TOOLS)
    assert mixed.training_problem
    assert mixed.sentence() == (
        "Learning can help with a skill gap; the process and tools or access are not a "
        "training problem: route them to the people who own them."
    )
    only = summarise([Cause.INCENTIVES])
    assert not only.training_problem
    assert only.sentence().startswith("Not a training problem: incentives.")
    assert summarise([Cause.KNOWLEDGE]).sentence() == (
        "A learning solution can help: this is a knowledge gap."
    )


def test_exemplars_are_found_among_the_people_then_by_their_look() -> None:
    text = (
        "Tomás Reyes (Platform Operations) and aisha karimi, the two on-call leads. Both "
        "learned it from Grace Adeyemi."
    )
    people = [("t", "Tomás Reyes"), ("a", "Aisha Karimi"), ("s", "Sam Whitfield")]
    found = find_exemplars(text, people)
    assert found == [
        Exemplar("Tomás Reyes", "t"),
        Exemplar("Platform Operations", None),  # looks like a name: offered, not chosen
        Exemplar("Aisha Karimi", "a"),
        Exemplar("Grace Adeyemi", None),
    ]
    assert find_exemplars("", people) == []
    assert find_exemplars("Not found yet: ask HR.", people) == []
