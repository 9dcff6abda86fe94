"""Requests and triage on a real project file: capture, decide (refused with a sentence where
the rules say so, nothing written), causes and routing, exemplars to SMEs, portfolio flags."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    InitiativeCause,
    Person,
    Stakeholder,
)
from ldpm.domain.enums import (
    Cause,
    ItemStatus,
    Sourcing,
    Stage,
    StakeholderKind,
    TriageStatus,
)
from ldpm.domain.triage import Exemplar
from ldpm.domain.validation import ValidationError
from ldpm.services import initiatives, triage
from ldpm.services.commands import AddEntity, execute
from ldpm.services.portfolio import Flag
from ldpm.services.project import Project


def get(project: Project, initiative_id: str) -> Initiative:
    found = initiatives.get_initiative(project, initiative_id)
    assert found is not None
    return found


@pytest.fixture
def request_id(project: Project) -> str:
    command = triage.capture_request(
        project,
        " Daniel Okafor ",
        "We need a class on communication. Dev and Ops keep talking past each other.",
        "A communication class",
        on=date(2026, 2, 9),
    )
    execute(project, command)
    return command.entity.id


def test_a_request_is_captured_as_a_new_initiative_in_discover(
    project: Project, request_id: str
) -> None:
    request = get(project, request_id)
    assert (request.name, request.stage, request.triage) == (
        "A communication class",
        Stage.DISCOVER,
        TriageStatus.NEW,
    )
    assert request.requested_by == "Daniel Okafor"
    assert request.request.startswith("We need a class")
    assert request.requested_solution == "A communication class"
    assert request.requested_on == date(2026, 2, 9)


@pytest.mark.parametrize(
    ("words", "solution", "name"),
    [
        ("Excel for everyone? We waste hours. Thanks", "", "Excel for everyone?"),
        ("  ", "", "New request"),
        ("x " * 100, "", "x " * 38 + "x…"),
    ],
)
def test_a_captured_request_is_named_from_its_words(words: str, solution: str, name: str) -> None:
    assert triage.name_for_request(words, solution) == name


def test_approval_is_refused_until_measurable_or_overridden(
    project: Project, request_id: str
) -> None:
    with pytest.raises(ValidationError, match="Approval refused"):
        execute(project, triage.set_triage(request_id, TriageStatus.APPROVED))
    assert get(project, request_id).triage is TriageStatus.NEW  # nothing written
    execute(
        project,
        initiatives.edit_initiative(
            project, request_id, {"approval_override": "The sponsor sets the target in June."}
        ),
    )
    approve = triage.set_triage(request_id, TriageStatus.APPROVED, on=date(2026, 2, 20))
    execute(project, approve)
    approved = get(project, request_id)
    assert (approved.triage, approved.triaged_on) == (TriageStatus.APPROVED, date(2026, 2, 20))
    execute(project, approve, undo=True)
    assert get(project, request_id).triage is TriageStatus.NEW
    assert get(project, request_id).triaged_on is None


def test_declining_takes_the_reason_for_the_requester(project: Project, request_id: str) -> None:
    with pytest.raises(ValidationError, match="reason for the requester"):
        execute(project, triage.set_triage(request_id, TriageStatus.DECLINED))
    reason = "The reviews drag because of their format, not people's speaking."
    execute(project, triage.set_triage(request_id, TriageStatus.DECLINED, reason))
    declined = get(project, request_id)
    assert (declined.triage, declined.triage_reason) == (TriageStatus.DECLINED, reason)


def test_causes_are_checked_routed_and_brought_back(project: Project, request_id: str) -> None:
    execute(project, triage.set_cause(project, request_id, Cause.SKILL, True))
    process = triage.set_cause(project, request_id, Cause.PROCESS, True)
    execute(project, process)
    assert [c.cause for c in triage.list_causes(project, request_id)] == [
        Cause.SKILL,
        Cause.PROCESS,
    ]
    cause_id = process.entity.id
    execute(project, triage.edit_cause(cause_id, {"owner": "Priya Natarajan"}))
    execute(project, triage.edit_cause(cause_id, {"due": date(2026, 3, 31)}))
    # Unchecking keeps the routing; checking again brings it back.
    execute(project, triage.set_cause(project, request_id, Cause.PROCESS, False))
    assert [c.cause for c in triage.list_causes(project, request_id)] == [Cause.SKILL]
    execute(project, triage.set_cause(project, request_id, Cause.PROCESS, True))
    [_skill, back] = triage.list_causes(project, request_id)
    assert (back.id, back.owner, back.due) == (cause_id, "Priya Natarajan", date(2026, 3, 31))


def test_closing_as_routed_follows_the_causes(project: Project, request_id: str) -> None:
    close = triage.set_triage(request_id, TriageStatus.ROUTED)
    with pytest.raises(ValidationError, match="Only a request that is not a training problem"):
        execute(project, close)
    execute(project, triage.set_cause(project, request_id, Cause.INCENTIVES, True))
    with pytest.raises(ValidationError, match="Name a suggested owner for incentives"):
        execute(project, triage.set_triage(request_id, TriageStatus.ROUTED))
    [incentives] = triage.list_causes(project, request_id)
    execute(project, triage.edit_cause(incentives.id, {"owner": "Carla Jensen, VP Sales"}))
    execute(project, triage.set_triage(request_id, TriageStatus.ROUTED))
    assert get(project, request_id).triage is TriageStatus.ROUTED


def test_a_cause_checked_on_two_devices_is_one_row() -> None:
    a = triage.cause_row("initiative-1", Cause.TOOLS)
    b = triage.cause_row("initiative-1", Cause.TOOLS)
    assert a.id == b.id != triage.cause_row("initiative-2", Cause.TOOLS).id


def test_exemplars_become_smes_in_one_step(project: Project, request_id: str) -> None:
    tomas = Person(name="Tomás Reyes")
    aisha = Person(name="Aisha Karimi", expertise="Structured hand-offs")
    for person in (tomas, aisha):
        execute(project, AddEntity(person))
    execute(
        project,
        AddEntity(Stakeholder(initiative_id=request_id, person_id=aisha.id)),  # kind "other"
    )
    text = "Tomás Reyes and Aisha Karimi, with help from Lee Chen."
    execute(project, initiatives.edit_initiative(project, request_id, {"intake_exemplars": text}))
    found = triage.exemplars(project, request_id)
    assert found == [
        Exemplar("Tomás Reyes", tomas.id),
        Exemplar("Aisha Karimi", aisha.id),
        Exemplar("Lee Chen", None),
    ]
    command = triage.mark_smes(project, request_id, found)
    assert command is not None and command.text == "Mark 3 people as SMEs"
    execute(project, command)
    with project.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": request_id})
        people = {p.id: p for p in tx.list(Person)}
    assert {people[s.person_id].name: s.kind for s in stakes} == {
        "Tomás Reyes": StakeholderKind.SME,
        "Aisha Karimi": StakeholderKind.SME,
        "Lee Chen": StakeholderKind.SME,
    }
    name = get(project, request_id).name
    assert people[tomas.id].expertise == f"Does it well: {name}"
    assert people[aisha.id].expertise == "Structured hand-offs"  # kept
    execute(project, command, undo=True)  # one step
    with project.read() as tx:
        assert [s.kind for s in tx.list(Stakeholder)] == [StakeholderKind.OTHER]
        assert {p.name for p in tx.list(Person)} == {"Tomás Reyes", "Aisha Karimi"}


def test_triage_flags_and_counts(project: Project, request_id: str) -> None:
    second = triage.capture_request(project, "Helen", "Public speaking for all")
    execute(project, second)
    execute(
        project,
        triage.set_triage(second.entity.id, TriageStatus.WAITLISTED, "Next quarter, maybe."),
    )
    found = triage.triage_flags(project, initiatives.list_initiatives(project))
    assert found == [
        Flag(request_id, "New request: not triaged", "warning", "triage"),
        Flag(second.entity.id, "Waitlisted", "info", "triage"),
    ]
    counts = triage.triage_counts(initiatives.list_initiatives(project))
    assert counts[TriageStatus.NEW] == 1 and counts[TriageStatus.WAITLISTED] == 1
    assert sum(counts.values()) == 2


def test_sourcing_flags_count_in_one_query(project: Project, request_id: str) -> None:
    for sourcing, status in [
        (Sourcing.BUILD, ItemStatus.IDEA),
        (Sourcing.SME_LED, ItemStatus.READY),
        (Sourcing.CURATE, ItemStatus.DONE),
        (Sourcing.OUTSOURCE, ItemStatus.IDEA),
        (Sourcing.BUILD, ItemStatus.DROPPED),  # not counted
        (Sourcing.NOT_TRAINING, ItemStatus.IDEA),  # not learning: not in the share
    ]:
        item = BacklogItem(initiative_id=request_id, sourcing=sourcing, status=status)
        execute(project, AddEntity(item))
    assert triage.sourcing_flags(project, initiatives.list_initiatives(project)) == []  # new
    execute(
        project,
        initiatives.edit_initiative(project, request_id, {"approval_override": "Pilot first."}),
    )
    execute(project, triage.set_triage(request_id, TriageStatus.APPROVED))
    flags = triage.sourcing_flags(project, initiatives.list_initiatives(project))
    assert flags == [Flag(request_id, "Builds 25% · enables 75%", "info", "sourcing")]


def test_causes_survive_save_and_reopen(project: Project, request_id: str) -> None:
    execute(project, triage.set_cause(project, request_id, Cause.TOOLS, True))
    path = project.path
    project.save()
    project.close()
    again = Project.open(path)
    try:
        [tools] = triage.list_causes(again, request_id)
        assert isinstance(tools, InitiativeCause) and tools.cause is Cause.TOOLS
    finally:
        again.close()
