"""Two devices edit triage, causes, scoring settings and the backlog offline, then merge: new
values survive, a cause checked on both is one row, and two people re-ranking different items
still merge into one strict order."""

from __future__ import annotations

from pathlib import Path

from ldpm.domain.entities import BacklogItem, Initiative, InitiativeCause, Workspace
from ldpm.domain.enums import Cause, ScoringMethod, Sourcing, TriageStatus
from ldpm.services import backlog, triage
from ldpm.services.bulk import SetPresence
from ldpm.services.commands import Command
from tests.sync.devices import SimDevice, first_initiative, sync


def run(device: SimDevice, command: Command) -> None:
    with device.store.transaction() as tx:
        command.apply(tx)
    device.wall.tick()


def items(device: SimDevice, initiative_id: str) -> list[BacklogItem]:
    with device.store.transaction() as tx:
        return tx.list(BacklogItem, where={"initiative_id": initiative_id})


def test_new_fields_and_values_survive_a_merge(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    main = first_initiative(a)
    first, second = items(a, main.id)[:2]
    a.edit(Initiative, main.id, triage_reason="Approved after the intake call.")
    a.edit(BacklogItem, first.id, sourcing=Sourcing.NOT_TRAINING, sourcing_reason="A rota fix.")
    with b.store.transaction() as tx:
        workspace = tx.list(Workspace)[0]
    b.edit(Workspace, workspace.id, scoring_method=ScoringMethod.WSJF, wsjf_weight_time=2.0)
    b.edit(Initiative, main.id, triage=TriageStatus.IN_REVIEW)
    run(b, backlog.bulk_edit([second.id], {"sourcing": Sourcing.CURATE}))
    sync(a, b, folder=tmp_path / "r")
    assert a.dump() == b.dump()
    merged = a.get(Initiative, main.id)
    assert (merged.triage, merged.triage_reason) == (
        TriageStatus.IN_REVIEW,
        "Approved after the intake call.",
    )
    assert a.get(BacklogItem, first.id).sourcing is Sourcing.NOT_TRAINING
    assert a.get(BacklogItem, first.id).sourcing_reason == "A rota fix."
    assert a.get(BacklogItem, second.id).sourcing is Sourcing.CURATE
    ws = a.get(Workspace, workspace.id)
    assert (ws.scoring_method, ws.wsjf_weight_time) == (ScoringMethod.WSJF, 2.0)
    assert a.conflicts() == []


def test_a_cause_checked_on_both_devices_is_one_row(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    request = Initiative(name="Excel for everyone")
    a.insert(request)
    sync(a, b, folder=tmp_path / "r1")
    row = triage.cause_row(request.id, Cause.TOOLS)
    run(a, SetPresence(row, True))
    run(b, SetPresence(triage.cause_row(request.id, Cause.TOOLS), True))
    b.edit(InitiativeCause, row.id, owner="IT service desk")
    sync(a, b, folder=tmp_path / "r2")
    assert a.dump() == b.dump()
    with a.store.transaction() as tx:
        causes = tx.list(InitiativeCause, where={"initiative_id": request.id})
    assert [(c.cause, c.owner) for c in causes] == [(Cause.TOOLS, "IT service desk")]


def test_two_people_re_ranking_different_items_still_merge(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    main = first_initiative(a)
    rows = items(a, main.id)
    order = [(i.id, i.rank) for i in rows]
    # A drags the last item to the top; B moves the second item to the bottom.
    mine = backlog.reorder([order[-1], *order[:-1]], moved={order[-1][0]})
    theirs = backlog.reorder([order[0], *order[2:], order[1]], moved={order[1][0]})
    assert mine is not None and theirs is not None
    run(a, mine)
    run(b, theirs)
    sync(a, b, folder=tmp_path / "r")
    assert a.dump() == b.dump()
    merged = [i.id for i in items(a, main.id)]
    assert merged[0] == order[-1][0] and merged[-1] == order[1][0]
    ranks = [i.rank for i in items(a, main.id)]
    assert ranks == sorted(set(ranks))  # still a strict order: no ties
