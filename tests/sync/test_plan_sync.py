"""The plan's fields (schema 3) travel between computers: a release's capacity and hand-set
horizon edited on one, an item moved out of scope and another release's capacity on the
other; after syncing both ways both copies hold every change, and a save and reopen keep it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldpm.domain.enums import Horizon
from ldpm.services import plan as svc
from ldpm.services.commands import execute
from tests.sync.computers import CLIENT, LAPTOP, Computers, main_initiative


@pytest.fixture
def computers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Computers:
    return Computers(tmp_path, monkeypatch)


def state(computers: Computers, device: str) -> tuple[object, ...]:
    with computers.project(device) as p:
        plan = svc.load_plan(p, main_initiative(p).id)
        mvp, r2, later = plan.releases
        out = sorted(i.title for i in plan.items if i.out_of_scope)
        return mvp.capacity, r2.capacity, later.horizon, out


def test_plan_fields_survive_two_computers_syncing(computers: Computers) -> None:
    with computers.project(LAPTOP) as p:
        plan = svc.load_plan(p, main_initiative(p).id)
        mvp, _r2, later = plan.releases
        execute(p, svc.edit_release(mvp.id, {"capacity": 25.0}))
        execute(p, svc.set_horizon(later.id, Horizon.NEXT))
    with computers.project(CLIENT) as p:
        plan = svc.load_plan(p, main_initiative(p).id)
        r2 = plan.releases[1]
        game_day = next(i for i in plan.items if i.title.startswith("Quarterly incident"))
        execute(p, svc.edit_release(r2.id, {"capacity": 18.0}))
        command = svc.move_items(p, [game_day.id], None, out_of_scope=True)
        assert command is not None
        execute(p, command)

    for device in (LAPTOP, CLIENT, LAPTOP):
        with computers.project(device) as p:
            computers.sync(p)

    expected = (
        25.0,
        18.0,
        Horizon.NEXT,
        [
            "Quarterly incident game day with hand-off drills",
            "Two-day 'Effective communication' classroom course",
        ],
    )
    assert state(computers, LAPTOP) == expected
    assert state(computers, CLIENT) == expected
