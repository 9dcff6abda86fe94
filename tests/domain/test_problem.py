from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from ldpm.domain.entities import Initiative
from ldpm.domain.enums import RootCause
from ldpm.domain.problem import (
    PARTS,
    ProblemCheck,
    check_problem_statement,
    is_knowledge_problem,
    routing_hint,
)

HANDOFFS = Initiative(
    name="Incident hand-offs between Dev and Ops",
    request="A class on communication",
    requested_by="Head of engineering",
    root_cause=RootCause.KNOWLEDGE,
    problem_segment="Remote engineers and new hires on call",
    problem_behaviour="Hand incidents over from Development to Operations without the facts "
    "the next person needs",
    problem_metric="Incident hand-off errors per month",
    problem_unit="errors",
    problem_baseline=30.0,
    problem_target=18.0,
    problem_date=date(2025, 12, 31),
)


def test_complete_problem_statement_is_measurable() -> None:
    check = check_problem_statement(HANDOFFS)
    assert check.measurable
    assert check.missing == ()
    assert check.present == PARTS
    assert not check.baseline_equals_target
    assert check.summary() == (
        "Measurable: segment, behaviour, metric, baseline, target and date are all set."
    )


def test_a_new_initiative_misses_everything() -> None:
    check = check_problem_statement(Initiative())
    assert not check.measurable
    assert check.missing == ("segment", "behaviour", "metric", "baseline", "target", "date")
    assert check.present == ()
    assert check.summary() == (
        "Add a segment, a behaviour, a metric, a baseline, a target and a date to make this "
        "problem statement measurable."
    )


@pytest.mark.parametrize(
    ("changes", "missing", "summary"),
    [
        (
            {"problem_baseline": None, "problem_date": None},
            ("baseline", "date"),
            "Add a baseline and a date to make this problem statement measurable.",
        ),
        (
            {"problem_segment": "   \n\t"},
            ("segment",),
            "Add a segment to make this problem statement measurable.",
        ),
        (
            {"problem_behaviour": "", "problem_metric": " ", "problem_target": None},
            ("behaviour", "metric", "target"),
            "Add a behaviour, a metric and a target to make this problem statement measurable.",
        ),
        (
            {"problem_baseline": float("nan")},
            ("baseline",),
            "Add a baseline to make this problem statement measurable.",
        ),
    ],
)
def test_missing_parts(changes: dict[str, Any], missing: tuple[str, ...], summary: str) -> None:
    check = check_problem_statement(dataclasses.replace(HANDOFFS, **changes))
    assert not check.measurable
    assert check.missing == missing
    assert set(check.present) | set(missing) == set(PARTS)
    assert check.summary() == summary


def test_a_zero_baseline_is_set() -> None:
    # Zero is a real baseline (for instance, nobody uses the checklist yet).
    check = check_problem_statement(
        dataclasses.replace(HANDOFFS, problem_baseline=0.0, problem_target=80.0)
    )
    assert check.measurable


def test_baseline_equal_to_target_is_not_measurable() -> None:
    check = check_problem_statement(dataclasses.replace(HANDOFFS, problem_target=30.0))
    assert check.missing == ()
    assert check.baseline_equals_target
    assert not check.measurable
    assert check.summary() == (
        "The target equals the baseline: set a target that differs from it to make this "
        "problem statement measurable."
    )


def test_problem_check_is_frozen() -> None:
    check = ProblemCheck(present=(), missing=PARTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.missing = ()  # type: ignore[misc]  # the point: mypy knows it is frozen too


@pytest.mark.parametrize("cause", list(RootCause))
def test_only_knowledge_is_a_knowledge_problem(cause: RootCause) -> None:
    assert is_knowledge_problem(cause) is (cause is RootCause.KNOWLEDGE)


@pytest.mark.parametrize(
    ("cause", "words"),
    [
        (RootCause.PROCESS, "process owner"),
        (RootCause.TOOLS, "owns the tools"),
        (RootCause.INCENTIVES, "HR and reward"),
        (RootCause.MANAGER_SUPPORT, "line managers"),
        (RootCause.ENVIRONMENT, "workload"),
        (RootCause.KNOWLEDGE, "learning solution can help"),
        (RootCause.UNKNOWN, "finish the intake"),
    ],
)
def test_routing_hint(cause: RootCause, words: str) -> None:
    hint = routing_hint(cause)
    assert words in hint
    assert hint[0].isupper()
    assert hint.endswith(".")


def test_routing_hints_are_all_different() -> None:
    hints = [routing_hint(c) for c in RootCause]
    assert len(set(hints)) == len(RootCause)
