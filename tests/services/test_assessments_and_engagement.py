"""Dated re-assessments, the interaction log, the plan page, NEED ↔ HAVE and the portfolio
flags, on a real demo file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ldpm.domain.drift import reading_on
from ldpm.domain.entities import Assessment, Stakeholder
from ldpm.domain.enums import Support
from ldpm.domain.validation import ValidationError
from ldpm.services import assessments, engagement, experts, initiatives, portfolio
from ldpm.services import stakeholders as svc
from ldpm.services.commands import AddEntity, execute
from ldpm.services.project import Project
from ldpm.services.stakeholder_flags import drift_flags, overdue_flags

TODAY = date(2026, 11, 29)
FEB, APR, JUN = date(2026, 2, 16), date(2026, 4, 20), date(2026, 6, 15)


def handoffs(project: Project) -> str:
    return initiatives.list_initiatives(project)[0].id


def stake_of(project: Project, name: str) -> svc.StakeRow:
    [found] = [
        r for r in svc.stake_rows(project, handoffs(project), today=TODAY) if name in r.name
    ]
    return found


# ------------------------------------------------------------------------- assessments


def test_the_demo_has_three_assessments_with_labels(demo: Project) -> None:
    found = assessments.list_snapshots(demo, handoffs(demo))
    assert [(s.on, s.label, s.count) for s in found] == [
        (JUN, "Mid-pilot review", 9),
        (APR, "After the Trojan mouse", 9),
        (FEB, "Intake interviews", 9),
    ]


def test_the_operations_directors_move_between_two_dates(demo: Project) -> None:
    helen = stake_of(demo, "Helen")
    moves = assessments.movements(demo, handoffs(demo), FEB, JUN)
    move = moves[helen.id]
    assert move.moved and move.before is not None and move.after is not None
    assert (move.before.cell, move.after.cell) == ((9, 3), (9, 7))
    assert (move.before.support, move.after.support) == (Support.BLOCKER, Support.SCEPTIC)
    priya = stake_of(demo, "Priya")
    assert moves[priya.id].drift is not None  # supporter in February, neutral in June
    # To "now" (None): the current positions.
    now = assessments.positions(demo, handoffs(demo), None)
    assert now[helen.id].cell == (9, 7) and now[helen.id].on is None
    # Before anyone was assessed: nobody has a position.
    assert assessments.positions(demo, handoffs(demo), date(2026, 1, 1)) == {}


@pytest.mark.parametrize(
    "day", [date(2026, 1, 1), FEB, date(2026, 3, 1), APR, JUN, TODAY], ids=str
)
def test_positions_read_in_bulk_are_the_domains_reading_on_each_date(
    demo: Project, day: date
) -> None:
    # positions_on reads plain values for speed; it must give what the domain's reading_on
    # gives over the assessments as entities, including labels and dates — one more
    # assessment on a date (the later id wins) included.
    initiative = handoffs(demo)
    helen = stake_of(demo, "Helen")
    extra = Assessment(
        stakeholder_id=helen.id,
        on=APR,
        power=2,
        interest=2,
        label="Second look",
        id="ffffffff-ffff-4fff-bfff-ffffffffffff",
    )
    execute(demo, AddEntity(extra))
    with demo.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative})
        listed = tx.list(Assessment)
    expected = {}
    for s in stakes:
        found = reading_on([a for a in listed if a.stakeholder_id == s.id], day)
        if found is not None:
            expected[s.id] = found
    [bulk] = assessments.positions_on(demo, initiative, [day])
    assert bulk == expected
    assert (bulk.get(helen.id) is not None) == (day >= FEB)


def test_recording_an_assessment_snapshots_everyone(demo: Project) -> None:
    initiative = handoffs(demo)
    helen = stake_of(demo, "Helen")
    execute(demo, svc.edit_row(helen, "interest", 9))
    command = assessments.record_assessment(
        demo, initiative, TODAY, "  after the  kick-off workshop ", today=TODAY
    )
    assert command.text == "Record assessment “after the kick-off workshop”"
    execute(demo, command)
    [latest, *_rest] = assessments.list_snapshots(demo, initiative)
    assert (latest.on, latest.label, latest.count) == (TODAY, "after the kick-off workshop", 9)
    assert assessments.positions(demo, initiative, TODAY)[helen.id].cell == (9, 9)
    # Again on the same day: that day's snapshot is updated, not doubled.
    execute(demo, svc.edit_row(helen, "interest", 8))
    execute(demo, assessments.record_assessment(demo, initiative, TODAY, "again", today=TODAY))
    [latest, *_rest] = assessments.list_snapshots(demo, initiative)
    assert (latest.count, latest.label) == (9, "again")
    assert assessments.positions(demo, initiative, TODAY)[helen.id].cell == (9, 8)


def test_recording_is_one_undo_step(demo: Project) -> None:
    initiative = handoffs(demo)
    command = assessments.record_assessment(demo, initiative, TODAY, "x", today=TODAY)
    execute(demo, command)
    execute(demo, command, undo=True)
    assert len(assessments.list_snapshots(demo, initiative)) == 3


@pytest.mark.parametrize(
    ("on", "sentence"),
    [
        (date(2026, 11, 30), "cannot be dated in the future"),
        (None, "An assessment needs a date."),
    ],
)
def test_an_assessment_in_the_future_or_without_a_date_is_refused(
    demo: Project, on: date | None, sentence: str
) -> None:
    command = assessments.record_assessment(demo, handoffs(demo), on, "later", today=TODAY)
    with pytest.raises(ValidationError, match=sentence):
        execute(demo, command)
    assert len(assessments.list_snapshots(demo, handoffs(demo))) == 3  # nothing written
    one = assessments.assessments_of(demo, stake_of(demo, "Helen").id)[0]
    with pytest.raises(ValidationError, match=sentence):
        execute(demo, assessments.edit_assessment(one.id, {"on": on}, today=TODAY))


def test_nobody_to_assess(demo: Project) -> None:
    command = initiatives.add_initiative(demo, "Empty")
    execute(demo, command)
    refused = assessments.record_assessment(demo, command.entity.id, TODAY, "", today=TODAY)
    with pytest.raises(ValidationError, match="nobody to assess"):
        execute(demo, refused)


def test_a_snapshot_can_be_renamed_and_deleted(demo: Project) -> None:
    initiative = handoffs(demo)
    execute(demo, assessments.relabel_snapshot(demo, initiative, APR, "After Team Blue"))
    assert assessments.list_snapshots(demo, initiative)[1].label == "After Team Blue"
    command = assessments.delete_snapshot(demo, initiative, APR)
    execute(demo, command)
    assert [s.on for s in assessments.list_snapshots(demo, initiative)] == [JUN, FEB]
    execute(demo, command, undo=True)
    with demo.read() as tx:
        assert len([a for a in tx.list(Assessment) if a.on == APR]) == 9


# ----------------------------------------------------------------------- interactions


def test_an_interaction_needs_a_date(demo: Project) -> None:
    helen = stake_of(demo, "Helen")
    with pytest.raises(ValidationError, match="An interaction needs a date"):
        execute(demo, engagement.log_interaction(demo, helen.id, None, summary="Chat"))
    [entry, *_] = engagement.interactions(demo, helen.id)
    with pytest.raises(ValidationError, match="An interaction needs a date"):
        execute(demo, engagement.edit_interaction(entry.id, {"on": None}))
    assert engagement.interactions(demo, helen.id)[0].on == JUN


def test_logging_moves_the_next_contact_by_the_cadence(demo: Project) -> None:
    helen = stake_of(demo, "Helen")  # "Monthly metrics review", next contact 13 July
    command = engagement.log_interaction(
        demo,
        helen.id,
        date(2026, 7, 20),
        channel="Metrics review",
        summary="June numbers",
        follow_up="Send the team view",
        follow_up_due=date(2026, 7, 27),
    )
    execute(demo, command)
    stake = svc.get_stake(demo, helen.id)
    assert stake is not None and stake.next_contact == date(2026, 8, 19)  # 30 days on
    entry = engagement.interactions(demo, helen.id)[0]
    assert (entry.on, entry.follow_up_due, entry.follow_up_done) == (
        date(2026, 7, 20),
        date(2026, 7, 27),
        False,
    )
    assert engagement.open_follow_ups([entry], TODAY) == [entry]
    execute(demo, command, undo=True)  # one step: the entry and the next contact
    assert svc.get_stake(demo, helen.id).next_contact == date(2026, 7, 13)  # type: ignore[union-attr]
    # A later contact already planned is left alone.
    execute(demo, engagement.log_interaction(demo, helen.id, date(2026, 7, 1)))
    assert svc.get_stake(demo, helen.id).next_contact == date(2026, 7, 13)  # type: ignore[union-attr]


PRIVATE = "Blocked the original class because it took engineers off the rota"


def test_the_plan_page_leaves_private_notes_out_unless_asked(
    demo: Project, tmp_path: Path
) -> None:
    page = engagement.plan_html(demo, handoffs(demo), today=TODAY)
    assert "Helen Marsh" in page and "Numbers, not slides" in page
    assert "13 Jul 2026</dd>" not in page and "(overdue)" in page
    assert PRIVATE not in page and "wary of L&amp;D" not in page  # Helen's own notes
    assert "Private notes are not included." in page
    assert "Remote (Leeds)" in page  # Sam's notes are marked shared
    asked = engagement.plan_html(demo, handoffs(demo), include_private=True, today=TODAY)
    assert PRIVATE in asked and "wary of L&amp;D" in asked
    target = tmp_path / "plan.html"
    engagement.export_plan(demo, handoffs(demo), target)
    assert PRIVATE.encode() not in target.read_bytes()


# ------------------------------------------------------------------------ need ↔ have


def test_the_leads_are_suggested_for_the_shadowing_rotation_and_linked_in_one_step(
    demo: Project,
) -> None:
    [item] = [i for i in experts.items_of(demo, handoffs(demo)) if i.title.startswith("Shadowing")]
    found = experts.suggest(demo, experts.item_need(demo, item.id), item_id=item.id)
    assert {r.name for r in found[:2]} == {"Tomás Reyes", "Aisha Karimi"}
    assert not any(r.linked for r in found)
    tomas = next(r for r in found if r.name == "Tomás Reyes")
    assert (tomas.load.items, tomas.load.initiatives, tomas.overloaded) == (3, 1, False)
    command = experts.link_smes(demo, item.id, [r.id for r in found[:2]], title=item.title)
    assert command is not None and command.text.startswith("Link 2 SMEs")
    execute(demo, command)
    found = experts.suggest(demo, experts.item_need(demo, item.id), item_id=item.id)
    assert all(r.linked for r in found[:2])
    tomas = next(r for r in found if r.name == "Tomás Reyes")
    assert tomas.load.items == 4 and tomas.overloaded  # four open items: too many
    assert experts.load_rows(demo)[0].name == "Tomás Reyes"
    assert experts.link_smes(demo, item.id, [tomas.id]) is None  # already linked
    execute(demo, command, undo=True)
    assert experts.smes_of(demo, item.id) == []
    unlink = experts.unlink_sme(demo, item.id, tomas.id)
    assert unlink is None


# ---------------------------------------------------------------------------- flags


def test_portfolio_flags_for_drift_and_overdue_contacts(demo: Project) -> None:
    items = initiatives.list_initiatives(demo)
    main = handoffs(demo)
    [drifting] = drift_flags(demo, items)
    assert (drifting.initiative_id, drifting.text, drifting.severity) == (
        main,
        "Drift: Priya Natarajan",
        "warning",
    )
    late = {f.initiative_id: f.text for f in overdue_flags(demo, items, today=TODAY)}
    assert late == {main: "2 contacts overdue"}  # Helen (13 July) and Priya (1 July)
    assert overdue_flags(demo, items, today=date(2026, 6, 30)) == []
    assert drift_flags in portfolio.PROVIDERS and overdue_flags in portfolio.PROVIDERS
    assert [f.text for f in portfolio.flags(demo, items)[main]][:1] == ["Drift: Priya Natarajan"]
