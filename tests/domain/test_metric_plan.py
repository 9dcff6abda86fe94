"""The evaluation plan's rules: a target on the wrong side of its baseline, the vanity ladder,
and "data due" by cadence."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ldpm.domain.entities import Initiative, Metric
from ldpm.domain.enums import Cadence, Direction, MetricTier
from ldpm.domain.metrics import (
    add_months,
    due_dates,
    missing_due,
    target_side_problem,
    vanity_ladder,
)

ERRORS = Metric(
    initiative_id="i",
    name="Hand-off errors per incident",
    tier=MetricTier.BEHAVIOUR,
    direction=Direction.DECREASE,
    baseline=2.5,
    target=1.5,
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),
        ({"target": 3.0}, "The target 3 is above the baseline 2.5, but “Hand-off errors per "
                          "incident” should fall."),
        ({"direction": Direction.INCREASE}, "The target 1.5 is below the baseline 2.5, but "
                                            "“Hand-off errors per incident” should rise."),
        ({"target": 2.5}, None),  # equal: another warning (health), nothing to ask
        ({"baseline": None}, None),
        ({"target": float("nan")}, None),
    ],
)  # fmt: skip
def test_target_side_problem(changes: dict[str, object], expected: str | None) -> None:
    metric = dataclasses.replace(ERRORS, **changes)  # type: ignore[arg-type]
    assert target_side_problem(metric) == expected


def test_a_vanity_ladder_from_the_problem_statement() -> None:
    initiative = Initiative(
        name="Sales demo certification",
        problem_segment="EMEA enterprise account executives",
        problem_behaviour="skip the technical deep dive in enterprise demos",
        problem_metric="Demo-to-opportunity conversion",
        problem_unit="%",
        problem_baseline=18.0,
        problem_target=25.0,
        problem_date=date(2026, 12, 31),
    )
    measured = [
        Metric(initiative_id=initiative.id, name="AEs certified", kirkpatrick=2),
        Metric(initiative_id=initiative.id, name="Session rating", kirkpatrick=1),
    ]
    ladder = vanity_ladder(initiative, measured)
    assert ladder is not None
    assert ladder.measured == ("AEs certified", "Session rating")
    behaviour, business = ladder.suggestions
    assert behaviour.name == (
        "How often EMEA enterprise account executives skip the technical deep dive in "
        "enterprise demos"
    )
    assert (behaviour.tier, behaviour.kirkpatrick, behaviour.ltem) == (MetricTier.BEHAVIOUR, 3, 7)
    assert behaviour.direction is Direction.DECREASE  # the problem behaviour should fall
    assert behaviour.initiative_id == initiative.id
    assert business.name == "Demo-to-opportunity conversion"
    assert (business.tier, business.kirkpatrick, business.ltem) == (MetricTier.BUSINESS, 4, 8)
    assert (business.unit, business.baseline, business.target) == ("%", 18.0, 25.0)
    assert business.target_date == date(2026, 12, 31)
    assert business.direction is Direction.INCREASE  # 18 → 25
    for metric in ladder.suggestions:
        metric.validate()


@pytest.mark.parametrize(
    ("names", "behaviour", "unit"),
    [
        (["Attendance at briefings"], "Participants who apply what they practised at work "
                                      "(observed)", "% of participants"),
        (["Course completions"], "Learners who use the new practice at work within 30 days",
         "% of learners"),
        (["Satisfaction score"], "People their managers see doing it the new way "
                                 "(observation checklist)", "% observed"),
        (["Training hours"], "Time until a newcomer does the task alone", "days"),
        (["Something else"], "People doing the task the new way at work", "% of the audience"),
    ],
)  # fmt: skip
def test_a_vanity_ladder_from_what_is_measured(
    names: list[str], behaviour: str, unit: str
) -> None:
    initiative = Initiative(name="Leadership essentials")
    ladder = vanity_ladder(initiative, [Metric(initiative_id="i", name=n) for n in names])
    assert ladder is not None
    assert (ladder.behaviour.name, ladder.behaviour.unit) == (behaviour, unit)
    assert ladder.behaviour.direction is (
        Direction.DECREASE if unit == "days" else Direction.INCREASE
    )
    assert ladder.business.name == "The business KPI the sponsor tracks"
    assert ladder.business.baseline is None


def test_no_ladder_unless_every_metric_is_operational() -> None:
    initiative = Initiative(name="x")
    assert vanity_ladder(initiative, []) is None
    assert vanity_ladder(initiative, [ERRORS]) is None
    attendance = Metric(initiative_id="i", name="Attendance")
    assert vanity_ladder(initiative, [attendance, ERRORS]) is None


def test_a_long_suggested_name_is_clipped() -> None:
    initiative = Initiative(name="x", problem_behaviour="do " * 80)
    ladder = vanity_ladder(initiative, [Metric(initiative_id="i", name="Attendance")])
    assert ladder is not None
    assert len(ladder.behaviour.name) == 120 and ladder.behaviour.name.endswith("…")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_due_dates_by_cadence() -> None:
    start = date(2026, 1, 31)
    assert due_dates(Cadence.MONTHLY, start, date(2026, 4, 30)) == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert due_dates(Cadence.QUARTERLY, start, date(2026, 12, 31)) == [
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
    ]
    assert due_dates(Cadence.FORTNIGHTLY, date(2026, 1, 5), date(2026, 2, 2)) == [
        date(2026, 1, 19),
        date(2026, 2, 2),
    ]
    assert due_dates(Cadence.NONE, start, date(2027, 1, 1)) == []


def _days(*days: date) -> list[int]:
    return [d.toordinal() for d in days]


WEEKLY = dataclasses.replace(ERRORS, cadence=Cadence.WEEKLY, baseline_date=date(2026, 1, 5))


def test_missing_due_measurements() -> None:
    # Due on 12, 19, 26 Jan, 2 and 9 Feb.  Measured on 12 Jan, on the 20th (a day late: within
    # half a week of the 19th) and on 2 Feb: the 26th and the 9th are missing.
    measured = _days(date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 20), date(2026, 2, 2))
    assert missing_due(WEEKLY, measured, date(2026, 2, 10)) == [
        date(2026, 1, 26),
        date(2026, 2, 9),
    ]


def test_a_window_is_half_a_period_either_side() -> None:
    due = date(2026, 1, 12)
    for offset, covered in ((-3, True), (3, True), (-4, False), (4, False)):
        measured = [due.toordinal() + offset]
        missing = missing_due(WEEKLY, measured, date(2026, 1, 14))
        assert (due not in missing) is covered, offset


def test_nothing_is_due_after_the_target_date_or_without_a_start() -> None:
    ending = dataclasses.replace(WEEKLY, target_date=date(2026, 1, 28))
    assert missing_due(ending, [], date(2026, 6, 1)) == [
        date(2026, 1, 12),
        date(2026, 1, 19),
        date(2026, 1, 26),
    ]
    no_start = dataclasses.replace(WEEKLY, baseline_date=None)
    assert missing_due(no_start, [], date(2026, 6, 1)) == []
    # Without a baseline date, the first measurement starts the schedule.
    assert missing_due(no_start, _days(date(2026, 1, 5)), date(2026, 1, 20)) == [
        date(2026, 1, 12),
        date(2026, 1, 19),
    ]
    assert (
        missing_due(dataclasses.replace(WEEKLY, cadence=Cadence.NONE), [], date(2027, 1, 1)) == []
    )
