"""The engagement plan's rules (cadence, overdue, the chosen strategy), the shared filter,
names told apart, and the power/interest grid as a plane."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.entities import Assessment, Person, Stakeholder
from ldpm.domain.enums import Engagement, StakeholderKind, Support
from ldpm.domain.power_grid import Grid, cluster_offsets, place
from ldpm.domain.stakeholder_filter import StakeholderFilter, distinct_names
from ldpm.domain.stakeholders import (
    cadence_days,
    chosen_strategy,
    is_overdue,
    next_contact_after,
)
from ldpm.domain.validation import MAX_NAME, ValidationError


@pytest.mark.parametrize(
    ("cadence", "days"),
    [
        ("Weekly on-call sync", 7),
        ("Fortnightly 1:1", 14),
        ("bi-weekly", 7),  # "bi" alone is no word: "weekly" is
        ("Biweekly", 14),
        ("Monthly metrics review", 30),
        ("Quarterly review", 91),
        ("every 3 weeks", 21),
        ("Every two months", 60),
        ("each week", 7),
        ("Every day", 1),
        ("annual review", 365),
        ("ad hoc", None),
        ("Once, then at the Q3 plan review", None),
        ("After each rotation", None),
        ("", None),
    ],
)
def test_cadence_days(cadence: str, days: int | None) -> None:
    assert cadence_days(cadence) == days


def test_next_contact_and_overdue() -> None:
    assert next_contact_after(date(2026, 6, 15), "Monthly") == date(2026, 7, 15)
    assert next_contact_after(date(2026, 6, 15), "ad hoc") is None
    today = date(2026, 7, 1)
    assert is_overdue(date(2026, 6, 30), today)
    assert not is_overdue(today, today)  # due today, not overdue yet
    assert not is_overdue(None, today)


def test_the_chosen_strategy_is_the_users_own_or_the_suggestion() -> None:
    helen = Stakeholder(
        initiative_id="i",
        person_id="p",
        power=9,
        interest=4,
        support=Support.SCEPTIC,
        current_engagement=Engagement.RESISTANT,
    )
    assert chosen_strategy(helen).startswith("Keep satisfied: Meet them 1:1 early")
    helen.strategy = "  Numbers, not slides.  "
    assert chosen_strategy(helen) == "Numbers, not slides."


HELEN = Person(
    id="h",
    name="Helen Marsh",
    role="Operations Director",
    department="Operations",
    expertise_tags="incident SLAs",
)
SAM = Person(id="s", name="Sam Whitfield", role="SRE", department="operations ")


def stake(kind: StakeholderKind, support: Support) -> Stakeholder:
    return Stakeholder(initiative_id="i", person_id="p", kind=kind, support=support)


def test_the_filter_combines_fields_with_and_and_values_with_or() -> None:
    leader = stake(StakeholderKind.BUSINESS_LEADER, Support.SCEPTIC)
    anyone = StakeholderFilter()
    assert not anyone.active and anyone.matches(leader, HELEN)
    kinds = StakeholderFilter(
        kinds=frozenset({StakeholderKind.SPONSOR, StakeholderKind.BUSINESS_LEADER})
    )
    assert kinds.active and kinds.matches(leader, HELEN)
    assert not kinds.matches(stake(StakeholderKind.SME, Support.SCEPTIC), HELEN)
    both = StakeholderFilter(kinds=kinds.kinds, supports=frozenset({Support.CHAMPION}))
    assert not both.matches(leader, HELEN)
    ops = StakeholderFilter(departments=frozenset({"Operations"}))
    assert ops.matches(leader, HELEN) and ops.matches(None, SAM)  # case and spaces ignored
    assert StakeholderFilter(text="sla director").matches(leader, HELEN)  # tags and role
    assert not StakeholderFilter(text="sla finance").matches(leader, HELEN)
    # Kind and support do not apply to a person without a stake (the workspace's list).
    assert StakeholderFilter(supports=frozenset({Support.CHAMPION})).matches(None, HELEN)


def test_people_with_the_same_name_are_told_apart_by_role_and_department() -> None:
    people = [
        Person(id="1", name="Alex Kim", role="Engineer", department="Sales"),
        Person(id="2", name="Alex  Kim", role="Manager", department="Finance"),
        Person(id="4", name="alex kim", role="Engineer", department="Sales"),
        Person(id="3", name="Alex Kim"),
        HELEN,
    ]
    assert distinct_names(people) == {
        "1": "Alex Kim (Engineer, Sales, 1)",
        "4": "alex kim (Engineer, Sales, 2)",
        "2": "Alex  Kim (Manager, Finance)",
        "3": "Alex Kim",  # the only one without a role or department
        "h": "Helen Marsh",
    }


GRID = Grid(left=100, top=20, width=1000, height=700)


def test_the_grid_maps_ratings_to_cells_and_back() -> None:
    assert GRID.cell_width == 100 and GRID.cell_height == 70
    assert GRID.centre(10, 10) == (1050, 55)  # top right
    assert GRID.centre(1, 1) == (150, 685)  # bottom left
    assert GRID.middle == (600, 370)  # between 5 and 6 on both axes
    for power in range(1, 11):
        for interest in range(1, 11):
            x, y = GRID.centre(power, interest)
            assert GRID.rating_at(x, y) == (power, interest)
            assert GRID.rating_at(x + 49, y - 34) == (power, interest)  # anywhere in the cell
    assert GRID.rating_at(0, 0) == (10, 1)  # beyond the grid: the nearest cell
    assert GRID.rating_at(5000, 5000) == (1, 10)


def test_cards_sharing_a_cell_are_spread_inside_it() -> None:
    assert cluster_offsets(1, (100, 70), (44, 28)) == [(0.0, 0.0)]
    four = cluster_offsets(4, (100, 70), (44, 28), gap=4)
    assert four == [(-24.0, -16.0), (24.0, -16.0), (-24.0, 16.0), (24.0, 16.0)]  # 2 × 2
    three = cluster_offsets(3, (100, 70), (44, 28), gap=4)
    assert three[2] == (0.0, 16.0)  # the short last row is centred
    for n in range(1, 30):
        for dx, dy in cluster_offsets(n, (100, 70), (44, 28)):
            assert abs(dx) + 22 <= 50 + 1e-9 and abs(dy) + 14 <= 35 + 1e-9  # inside the cell
    spots = place(GRID, [("a", 9, 7), ("b", 9, 7), ("c", 3, 8)], (44, 28))
    assert spots["c"] == GRID.centre(3, 8)
    assert {GRID.rating_at(*spots[k]) for k in "ab"} == {(9, 7)}
    assert spots["a"] != spots["b"]


@pytest.mark.parametrize(
    ("field", "sentence"),
    [
        ("cadence", "The cadence is too long"),
        ("channel", "The channel is too long"),
        ("owner", "The owner is too long"),
    ],
)
def test_the_plans_words_are_bounded(field: str, sentence: str) -> None:
    stake = Stakeholder(initiative_id="i", person_id="p")
    setattr(stake, field, "x" * MAX_NAME)
    stake.validate([field])
    setattr(stake, field, "x" * (MAX_NAME + 1))
    with pytest.raises(ValidationError, match=sentence) as caught:
        stake.validate([field])
    assert caught.value.field == field
    stake.validate(["power"])  # an edit of another field is not blocked by it


def test_an_assessment_label_is_bounded() -> None:
    reading = Assessment(stakeholder_id="s", on=date(2026, 3, 1), label="x" * (MAX_NAME + 1))
    with pytest.raises(ValidationError, match="The assessment label is too long"):
        reading.validate()
