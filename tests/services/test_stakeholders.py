"""The register's services on a real demo file: rows, edits, bulk edits as one step, refusals,
deleting a person with their links, and moves on the grid."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.entities import ItemSme, Person, Stakeholder
from ldpm.domain.enums import Engagement, StakeholderKind, Support
from ldpm.domain.validation import ValidationError
from ldpm.services import initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.commands import execute
from ldpm.services.project import Project

TODAY = date(2026, 11, 29)


def handoffs(project: Project) -> str:
    return initiatives.list_initiatives(project)[0].id


def row(project: Project, name: str) -> svc.StakeRow:
    [found] = [
        r for r in svc.stake_rows(project, handoffs(project), today=TODAY) if name in r.name
    ]
    return found


def test_the_register_of_the_demo(demo: Project) -> None:
    rows = svc.stake_rows(demo, handoffs(demo), today=TODAY)
    names = [r.name for r in rows]
    assert names == sorted(names, key=str.casefold) and len(rows) == 9
    helen = row(demo, "Helen")
    assert helen.stakeholder.support is Support.SCEPTIC
    assert helen.suggested.headline == "Manage closely"  # power 9, interest 7
    assert helen.strategy.startswith("Numbers, not slides")  # her own strategy, not the hint
    assert helen.overdue and helen.drift is None  # 13 July has passed; she moved up
    priya = row(demo, "Priya")
    assert priya.drift is not None and priya.drift.support == 1  # supporter → neutral
    assert row(demo, "Daniel").strategy.startswith("Manage closely: Give them a visible role")
    assert row(demo, "Tomás").load.items == 3  # community, buddy, game day (open items)


def test_people_of_the_workspace(demo: Project) -> None:
    people = {r.name: r for r in svc.person_rows(demo)}
    assert people["Maya Lindqvist"].initiatives == 0  # the L&D PM is no stakeholder
    assert people["Grace Adeyemi"].initiatives == 2
    assert "On-call engineers (72)" in people
    assert svc.departments(demo)[:3] == ["Engineering", "Learning & Development", "Operations"]


def test_an_edit_reaches_the_person_or_the_stake_and_undoes(demo: Project) -> None:
    helen = row(demo, "Helen")
    command = svc.edit_row(helen, "role", "COO")
    execute(demo, command)
    assert svc.get_person(demo, helen.person.id).role == "COO"  # type: ignore[union-attr]
    execute(demo, command, undo=True)
    assert svc.get_person(demo, helen.person.id).role == "Operations Director"  # type: ignore[union-attr]
    execute(demo, svc.edit_row(helen, "expertise_tags", " SLAs,budget , slas"))
    assert svc.get_person(demo, helen.person.id).expertise_tags == "SLAs, budget"  # type: ignore[union-attr]
    execute(demo, svc.edit_row(helen, "support", Support.BLOCKER))
    assert row(demo, "Helen").drift is not None  # sceptic → blocker since the June review


@pytest.mark.parametrize("value", [0, 11])
def test_power_off_the_grid_is_refused(demo: Project, value: int) -> None:
    helen = row(demo, "Helen")
    with pytest.raises(ValidationError, match=r"The power must be between 1 and 10\."):
        execute(demo, svc.edit_row(helen, "power", value))
    assert svc.get_stake(demo, helen.id).power == 9  # type: ignore[union-attr]


def test_a_bulk_edit_is_one_step(demo: Project) -> None:
    ids = [r.id for r in svc.stake_rows(demo, handoffs(demo), today=TODAY)][:4]
    before = [svc.get_stake(demo, i) for i in ids]
    command = svc.set_for_all(ids, "current_engagement", Engagement.LEADING)
    assert command is not None and command.text == "Set Current Engagement of 4 Stakeholders"
    execute(demo, command)
    assert {svc.get_stake(demo, i).current_engagement for i in ids} == {Engagement.LEADING}  # type: ignore[union-attr]
    execute(demo, command, undo=True)
    assert [svc.get_stake(demo, i) for i in ids] == before
    assert svc.set_for_all([], "kind", StakeholderKind.HR) is None


def test_a_move_on_the_grid_is_one_step(demo: Project) -> None:
    helen = row(demo, "Helen")
    command = svc.move_on_grid([(helen.id, 8, 3)], {helen.id: "Helen Marsh"})
    assert command is not None and command.text == "Move Helen Marsh to power 8, interest 3"
    execute(demo, command)
    stake = svc.get_stake(demo, helen.id)
    assert stake is not None and (stake.power, stake.interest) == (8, 3)
    execute(demo, command, undo=True)
    assert svc.get_stake(demo, helen.id).interest == 7  # type: ignore[union-attr]
    assert svc.move_on_grid([]) is None


def test_new_people_and_stakes(demo: Project) -> None:
    initiative = handoffs(demo)
    command = svc.new_stakeholder(
        initiative, "Kofi Mensah", role="Team lead", kind=StakeholderKind.SME
    )
    execute(demo, command)
    assert row(demo, "Kofi").stakeholder.kind is StakeholderKind.SME
    # Someone already in the workspace, but not on this register:
    [(maya_id, _name)] = [p for p in svc.people_without_stake(demo, initiative) if "Maya" in p[1]]
    execute(demo, svc.add_stake(initiative, maya_id))
    assert row(demo, "Maya").person.id == maya_id
    with pytest.raises(ValidationError, match="Maya Lindqvist is already a stakeholder"):
        execute(demo, svc.add_stake(initiative, maya_id))


def test_namesakes_are_told_apart(demo: Project) -> None:
    initiative = handoffs(demo)
    execute(
        demo, svc.new_stakeholder(initiative, "Helen Marsh", role="Analyst", department="Finance")
    )
    names = {r.name for r in svc.stake_rows(demo, initiative, today=TODAY)}
    assert {
        "Helen Marsh (Operations Director, Operations)",
        "Helen Marsh (Analyst, Finance)",
    } <= names


def test_deleting_a_person_says_what_goes_and_undo_brings_it_back(demo: Project) -> None:
    tomas = row(demo, "Tomás").person
    links = svc.person_links(demo, tomas.id)
    assert links.name == "Tomás Reyes" and links.stakes == ("Incident hand-offs",)
    assert (
        len(links.sme_items) == 4 and "Incident hand-off checklist (7 points)" in links.sme_items
    )
    command = svc.delete_person(demo, tomas.id)
    execute(demo, command)
    with demo.read() as tx:
        assert tx.get(Person, tomas.id) is None
        assert tx.list(ItemSme, where={"person_id": tomas.id}) == []
        assert tx.list(Stakeholder, where={"person_id": tomas.id}) == []
    assert not any("Tomás" in r.name for r in svc.stake_rows(demo, handoffs(demo)))
    execute(demo, command, undo=True)
    assert svc.person_links(demo, tomas.id) == links


def test_removing_a_stake_keeps_the_person(demo: Project) -> None:
    sam = row(demo, "Sam")
    execute(demo, svc.remove_stake(sam.id, "Sam Whitfield"))
    assert svc.get_person(demo, sam.person.id) is not None
    assert not any("Sam" in r.name for r in svc.stake_rows(demo, handoffs(demo)))
