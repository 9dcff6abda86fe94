"""Is the problem statement measurable, and is it a problem learning can solve?

A measurable problem statement has six parts: *who* (segment) does *what* (behaviour), shown
by which *metric*, from what *baseline* to what *target* by what *date*, e.g. "Remote
engineers and new hires (segment) hand incidents over from Development to Operations without
a checklist (behaviour): hand-off errors per month (metric) should fall from 30 (baseline) to
18 (target) by 30 June (date)."
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ldpm.domain.entities import Initiative
from ldpm.domain.enums import RootCause

#: The six parts, in the order they are checked and reported.
PARTS = ("segment", "behaviour", "metric", "baseline", "target", "date")


@dataclass(frozen=True, slots=True)
class ProblemCheck:
    """Which parts of a problem statement are set."""

    present: tuple[str, ...]
    missing: tuple[str, ...]  # in the order of PARTS
    baseline_equals_target: bool = False

    @property
    def measurable(self) -> bool:
        """All six parts are set and the target differs from the baseline."""
        return not self.missing and not self.baseline_equals_target

    def summary(self) -> str:
        """One plain sentence telling the user what to do next, or that all is well."""
        if self.measurable:
            return "Measurable: segment, behaviour, metric, baseline, target and date are all set."
        if not self.missing:
            return (
                "The target equals the baseline: set a target that differs from it to make "
                "this problem statement measurable."
            )
        parts = [f"a {p}" for p in self.missing]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Add {listed} to make this problem statement measurable."


def _text_set(value: str) -> bool:
    return bool(value.strip())


def _number_set(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def check_problem_statement(initiative: Initiative) -> ProblemCheck:
    """Check the six parts of the initiative's problem statement.

    Blank or whitespace-only text and missing or non-finite numbers count as missing.  A
    baseline equal to the target is reported separately (``baseline_equals_target``).
    """
    i = initiative
    flags = {
        "segment": _text_set(i.problem_segment),
        "behaviour": _text_set(i.problem_behaviour),
        "metric": _text_set(i.problem_metric),
        "baseline": _number_set(i.problem_baseline),
        "target": _number_set(i.problem_target),
        "date": i.problem_date is not None,
    }
    same = flags["baseline"] and flags["target"] and i.problem_baseline == i.problem_target
    return ProblemCheck(
        present=tuple(p for p in PARTS if flags[p]),
        missing=tuple(p for p in PARTS if not flags[p]),
        baseline_equals_target=same,
    )


def is_knowledge_problem(root_cause: RootCause) -> bool:
    """True only for a genuine knowledge or skill gap, the kind learning can fix."""
    return root_cause is RootCause.KNOWLEDGE


_HINTS = {
    RootCause.UNKNOWN: (
        "The root cause is not known yet: finish the intake before choosing a solution."
    ),
    RootCause.KNOWLEDGE: ("This is a knowledge or skill gap, so a learning solution can help."),
    RootCause.PROCESS: (
        "This looks like a process problem: take it to the process owner, because training "
        "cannot fix a broken process."
    ),
    RootCause.TOOLS: (
        "This looks like a tooling problem: route it to the team that owns the tools or systems."
    ),
    RootCause.INCENTIVES: (
        "This looks like an incentive problem: raise it with HR and reward, because people "
        "do what they are measured and rewarded for."
    ),
    RootCause.MANAGER_SUPPORT: (
        "This looks like a manager-support problem: work with the line managers so that they "
        "coach and reinforce the behaviour."
    ),
    RootCause.ENVIRONMENT: (
        "This looks like a work-environment problem: raise it with the leaders who control "
        "workload, staffing and working conditions."
    ),
}


def routing_hint(root_cause: RootCause) -> str:
    """One plain sentence on where the problem should go (learning, or someone else)."""
    return _HINTS[root_cause]
