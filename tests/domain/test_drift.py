"""Readings on a date, comparisons and drift alerts, on hand-made histories."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.drift import (
    Reading,
    compare,
    drift,
    dropped,
    history,
    is_key_player,
    positions_on,
    reading_on,
    snapshots,
)
from ldpm.domain.entities import Assessment, Stakeholder
from ldpm.domain.enums import Engagement, Support

E, S = Engagement, Support
FEB, APR, JUN = date(2026, 2, 16), date(2026, 4, 20), date(2026, 6, 15)


def assess(
    on: date, power: int, interest: int, support: Support, engagement: Engagement, label: str = ""
) -> Assessment:
    return Assessment(
        stakeholder_id="helen",
        on=on,
        power=power,
        interest=interest,
        support=support,
        engagement=engagement,
        label=label,
    )


def stake(power: int, support: Support, engagement: Engagement) -> Stakeholder:
    return Stakeholder(
        id="helen",
        initiative_id="i",
        person_id="p",
        power=power,
        interest=7,
        support=support,
        current_engagement=engagement,
    )


HELEN = [
    assess(APR, 9, 6, S.SCEPTIC, E.RESISTANT, "After the Trojan mouse"),
    assess(FEB, 9, 3, S.BLOCKER, E.RESISTANT, "Intake interviews"),
    assess(JUN, 9, 7, S.SCEPTIC, E.NEUTRAL, "Mid-pilot review"),
]


def test_history_is_in_date_order_and_a_reading_on_a_day_is_the_latest_by_then() -> None:
    assert [r.on for r in history(HELEN)] == [FEB, APR, JUN]
    assert reading_on(HELEN, date(2026, 2, 15)) is None  # not assessed yet
    assert reading_on(HELEN, FEB) == Reading(
        9, 3, S.BLOCKER, E.RESISTANT, FEB, "Intake interviews"
    )
    may = reading_on(HELEN, date(2026, 5, 1))
    assert may is not None and may.on == APR and may.cell == (9, 6)
    assert reading_on(HELEN, date(2027, 1, 1)) == Reading.of(HELEN[2])


def test_two_assessments_on_one_day_the_later_given_counts() -> None:
    first = assess(FEB, 9, 3, S.BLOCKER, E.RESISTANT)
    second = assess(FEB, 8, 4, S.SCEPTIC, E.RESISTANT)
    found = reading_on([first, second], FEB)
    assert found is not None and found.cell == (8, 4)


def test_comparing_two_dates_shows_who_moved() -> None:
    before = positions_on({"helen": HELEN, "new": []}, FEB)
    after = positions_on({"helen": HELEN, "new": []}, JUN)
    moves = compare(before, after)
    helen = moves["helen"]
    assert helen.moved and helen.changed
    assert helen.before is not None and helen.before.cell == (9, 3)
    assert helen.after is not None and helen.after.cell == (9, 7)
    assert helen.drift is None  # blocker → sceptic is a rise
    assert not moves["new"].moved and moves["new"].before is None


def test_a_change_of_stance_alone_is_a_change_but_no_move() -> None:
    moves = compare(
        {"a": Reading(9, 7, S.SUPPORTER, E.SUPPORTIVE)},
        {"a": Reading(9, 7, S.SCEPTIC, E.SUPPORTIVE)},
    )
    assert not moves["a"].moved and moves["a"].changed
    found = moves["a"].drift
    assert found is not None and (found.support, found.engagement) == (2, 0)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # A key player (power above 5) whose support dropped two steps.
        (Reading(9, 7, S.CHAMPION, E.LEADING), Reading(9, 7, S.NEUTRAL, E.LEADING), (2, 0)),
        # Engagement dropped one step.
        (Reading(6, 2, S.NEUTRAL, E.SUPPORTIVE), Reading(6, 2, S.NEUTRAL, E.NEUTRAL), (0, 1)),
        # Both dropped.
        (Reading(8, 8, S.SUPPORTER, E.LEADING), Reading(8, 8, S.BLOCKER, E.UNAWARE), (3, 4)),
        # Power fell from high to low in the same step: still a key player before.
        (Reading(7, 5, S.SUPPORTER, E.SUPPORTIVE), Reading(3, 5, S.SCEPTIC, E.SUPPORTIVE), (2, 0)),
        # Low power both times: not a key player, no alert.
        (Reading(5, 9, S.CHAMPION, E.LEADING), Reading(5, 9, S.BLOCKER, E.UNAWARE), None),
        # A rise, or no change: no alert.
        (Reading(9, 3, S.BLOCKER, E.RESISTANT), Reading(9, 7, S.SCEPTIC, E.NEUTRAL), None),
        (Reading(9, 3, S.SCEPTIC, E.NEUTRAL), Reading(2, 9, S.SCEPTIC, E.NEUTRAL), None),
        # Support up, engagement down: the drop counts.
        (Reading(9, 9, S.SCEPTIC, E.LEADING), Reading(9, 9, S.CHAMPION, E.SUPPORTIVE), (0, 1)),
    ],
)
def test_dropped(before: Reading, after: Reading, expected: tuple[int, int] | None) -> None:
    found = dropped(before, after)
    assert (None if found is None else (found.support, found.engagement)) == expected


def test_key_player_means_power_above_five() -> None:
    assert is_key_player(Reading(6, 1, S.NEUTRAL, E.NEUTRAL))
    assert not is_key_player(Reading(5, 10, S.NEUTRAL, E.NEUTRAL))


def test_drift_compares_now_with_the_latest_assessment() -> None:
    # Helen's latest assessment: sceptic, neutral.  Now she is a blocker again.
    found = drift(stake(9, S.BLOCKER, E.NEUTRAL), HELEN)
    assert found is not None and found.support == 1 and found.engagement == 0
    assert found.before.on == JUN and found.after.on is None
    # Now as at the latest assessment (which was a rise): no drift.
    assert drift(stake(9, S.SCEPTIC, E.NEUTRAL), HELEN) is None


def test_a_recorded_drop_stays_flagged_until_a_later_assessment() -> None:
    dropped_in_june = [
        assess(APR, 9, 7, S.SUPPORTER, E.SUPPORTIVE),
        assess(JUN, 9, 7, S.SCEPTIC, E.SUPPORTIVE),
    ]
    now = stake(9, S.SCEPTIC, E.SUPPORTIVE)  # as recorded in June
    found = drift(now, dropped_in_june)
    assert found is not None and found.before.on == APR and found.after.on == JUN
    steady = [*dropped_in_june, assess(date(2026, 9, 1), 9, 7, S.SCEPTIC, E.SUPPORTIVE)]
    assert drift(now, steady) is None
    assert drift(now, []) is None  # never assessed: nothing to compare with
    assert drift(now, dropped_in_june[1:]) is None  # one assessment, same as now


def test_snapshots_list_dates_newest_first_with_their_most_used_label() -> None:
    more = [
        *HELEN,
        Assessment(stakeholder_id="daniel", on=FEB, label="Intake interviews"),
        Assessment(stakeholder_id="tomas", on=FEB, label="intake (typo)"),
        Assessment(stakeholder_id="tomas", on=date(2026, 2, 23)),
    ]
    found = snapshots(more)
    assert [(s.on, s.label, s.count) for s in found] == [
        (JUN, "Mid-pilot review", 1),
        (APR, "After the Trojan mouse", 1),
        (date(2026, 2, 23), "", 1),
        (FEB, "Intake interviews", 3),
    ]
