from __future__ import annotations

import itertools
from datetime import date

import pytest

from ldpm.domain.entities import Assessment, Stakeholder
from ldpm.domain.enums import Engagement, Quadrant, StakeholderKind, Support
from ldpm.domain.stakeholders import (
    Strategy,
    engagement_gap,
    engagement_strategy,
    quadrant,
    trend,
)

OPS_DIRECTOR = Stakeholder(
    initiative_id="handoffs",
    person_id="ops-director",
    kind=StakeholderKind.BUSINESS_LEADER,
    power=9,
    interest=4,
    support=Support.SCEPTIC,
    current_engagement=Engagement.RESISTANT,
    desired_engagement=Engagement.SUPPORTIVE,
)


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (9, 9, Quadrant.MANAGE_CLOSELY),  # head of engineering, the sponsor
        (9, 4, Quadrant.KEEP_SATISFIED),  # operations director
        (3, 8, Quadrant.KEEP_INFORMED),  # on-call engineers
        (4, 3, Quadrant.MONITOR),  # HR business partner
        # "High" means above 5.
        (5, 5, Quadrant.MONITOR),
        (6, 6, Quadrant.MANAGE_CLOSELY),
        (6, 5, Quadrant.KEEP_SATISFIED),
        (5, 6, Quadrant.KEEP_INFORMED),
        (1, 1, Quadrant.MONITOR),
        (10, 10, Quadrant.MANAGE_CLOSELY),
        (10, 1, Quadrant.KEEP_SATISFIED),
        (1, 10, Quadrant.KEEP_INFORMED),
    ],
)
def test_quadrant(power: int, interest: int, expected: Quadrant) -> None:
    assert quadrant(power, interest) is expected


@pytest.mark.parametrize(("power", "interest"), [(0, 5), (11, 5), (5, 0), (5, 11)])
def test_quadrant_rejects_ratings_off_the_grid(power: int, interest: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 10"):
        quadrant(power, interest)


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [
        (Engagement.UNAWARE, Engagement.SUPPORTIVE, 3),
        (Engagement.RESISTANT, Engagement.SUPPORTIVE, 2),
        (Engagement.NEUTRAL, Engagement.SUPPORTIVE, 1),
        (Engagement.SUPPORTIVE, Engagement.SUPPORTIVE, 0),
        (Engagement.LEADING, Engagement.SUPPORTIVE, -1),
        (Engagement.UNAWARE, Engagement.LEADING, 4),
    ],
)
def test_engagement_gap(current: Engagement, desired: Engagement, expected: int) -> None:
    assert engagement_gap(current, desired) == expected


def test_strategy_for_the_sceptical_operations_director() -> None:
    s = engagement_strategy(OPS_DIRECTOR)
    assert s.quadrant is Quadrant.KEEP_SATISFIED
    assert s.headline == "Keep satisfied"
    assert s.gap == 2
    assert "1:1" in s.action
    assert "from resistant to supportive" in s.action


def test_stakeholder_and_ratings_give_the_same_strategy() -> None:
    by_ratings = engagement_strategy(
        9, 4, Support.SCEPTIC, Engagement.RESISTANT, Engagement.SUPPORTIVE
    )
    assert by_ratings == engagement_strategy(OPS_DIRECTOR)


def test_ratings_default_to_neutral_unaware_to_supportive() -> None:
    s = engagement_strategy(3, 8)
    assert s.quadrant is Quadrant.KEEP_INFORMED
    assert s.gap == 3
    assert s.action == (
        "Keep them informed with regular updates and invite their feedback; "
        "plan several touchpoints to move them from unaware to supportive."
    )


@pytest.mark.parametrize(("power", "interest"), [(9, 9), (9, 2)])
def test_a_powerful_blocker_is_met_one_to_one_before_any_workshop(
    power: int, interest: int
) -> None:
    s = engagement_strategy(
        power, interest, Support.BLOCKER, Engagement.RESISTANT, Engagement.NEUTRAL
    )
    assert "1:1" in s.action
    assert "before any workshop" in s.action


@pytest.mark.parametrize(("power", "interest"), [(9, 9), (9, 2), (3, 9)])
def test_champions_get_a_visible_role(power: int, interest: int) -> None:
    s = engagement_strategy(
        power, interest, Support.CHAMPION, Engagement.LEADING, Engagement.LEADING
    )
    assert "visible role" in s.action
    assert s.gap == 0


def test_gap_wording() -> None:
    on_target = engagement_strategy(
        9, 9, Support.SUPPORTER, Engagement.SUPPORTIVE, Engagement.SUPPORTIVE
    )
    assert on_target.action == (
        "Involve them in key decisions and ask them to back the next milestone in public."
    )
    one_step = engagement_strategy(
        9, 9, Support.SUPPORTER, Engagement.NEUTRAL, Engagement.SUPPORTIVE
    )
    assert one_step.action.endswith("; one more step is needed, from neutral to supportive.")
    ahead = engagement_strategy(2, 2, Support.SUPPORTER, Engagement.LEADING, Engagement.NEUTRAL)
    assert ahead.gap == -2
    assert "more engaged than planned" in ahead.action


@pytest.mark.parametrize(
    ("power", "interest", "support", "current", "desired"),
    list(
        itertools.product([2, 9], [2, 9], list(Support), list(Engagement), [Engagement.SUPPORTIVE])
    ),
)
def test_every_strategy_reads_as_one_plain_sentence(
    power: int, interest: int, support: Support, current: Engagement, desired: Engagement
) -> None:
    s = engagement_strategy(power, interest, support, current, desired)
    assert isinstance(s, Strategy)
    assert s.headline in {"Manage closely", "Keep satisfied", "Keep informed", "Monitor"}
    assert s.action[0].isupper()
    assert s.action.endswith(".")
    assert s.action.count(".") == 1
    assert s.action.count(";") == (0 if s.gap == 0 else 1)
    assert "  " not in s.action
    assert "None" not in s.action
    assert "_" not in s.action


def test_strategies_differ_by_stance() -> None:
    actions = {engagement_strategy(9, 9, s).action for s in Support}
    assert len(actions) == len(Support)


def test_engagement_strategy_needs_interest() -> None:
    with pytest.raises(TypeError):
        engagement_strategy(5)  # type: ignore[call-overload]  # the point: a wrong call


def _assess(on: date, power: int, interest: int, support: Support, eng: Engagement) -> Assessment:
    return Assessment(
        stakeholder_id="ops-director",
        on=on,
        power=power,
        interest=interest,
        support=support,
        engagement=eng,
    )


def test_trend_uses_the_two_most_recent_assessments_by_date() -> None:
    january = _assess(date(2025, 1, 15), 9, 3, Support.BLOCKER, Engagement.RESISTANT)
    march = _assess(date(2025, 3, 10), 9, 4, Support.SCEPTIC, Engagement.RESISTANT)
    may = _assess(date(2025, 5, 5), 8, 7, Support.SUPPORTER, Engagement.SUPPORTIVE)
    t = trend([may, january, march])  # not in date order
    assert t is not None
    assert (t.since, t.on) == (date(2025, 3, 10), date(2025, 5, 5))
    assert t.power == -1
    assert t.interest == 3
    assert t.support == 2  # sceptic → supporter
    assert t.engagement == 2  # resistant → supportive
    assert t.moved


def test_trend_needs_two_assessments() -> None:
    only = _assess(date(2025, 1, 15), 9, 3, Support.BLOCKER, Engagement.RESISTANT)
    assert trend([]) is None
    assert trend([only]) is None


def test_trend_on_the_same_day_takes_the_later_entry_as_newer() -> None:
    day = date(2025, 4, 1)
    morning = _assess(day, 5, 5, Support.NEUTRAL, Engagement.NEUTRAL)
    afternoon = _assess(day, 7, 5, Support.SUPPORTER, Engagement.NEUTRAL)
    t = trend([morning, afternoon])
    assert t is not None
    assert t.power == 2
    assert t.support == 1


def test_no_movement() -> None:
    a = _assess(date(2025, 1, 1), 4, 6, Support.NEUTRAL, Engagement.NEUTRAL)
    b = _assess(date(2025, 2, 1), 4, 6, Support.NEUTRAL, Engagement.NEUTRAL)
    t = trend([a, b])
    assert t is not None
    assert not t.moved
