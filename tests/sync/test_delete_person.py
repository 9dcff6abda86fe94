"""Deleting a person is one delete (their stakes, assessments, interactions and SME links go
with them as one group): an edit of their stake on another computer that had not seen the
delete brings them back whole, on both computers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldpm.domain.entities import ItemSme, Person, Stakeholder
from ldpm.services import initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.commands import execute
from tests.sync.test_two_devices import CLIENT, LAPTOP, Devices


def test_an_edit_of_the_stake_beats_deleting_the_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    with devices.project(LAPTOP) as p:
        main = initiatives.list_initiatives(p)[0].id
        tomas = next(r for r in svc.stake_rows(p, main) if r.name.startswith("Tomás"))
        links = svc.person_links(p, tomas.person.id)
        assert len(links.sme_items) == 4
        record = execute(p, svc.delete_person(p, tomas.person.id))
        # The record names what went with the person, so the views watching it refresh.
        assert {"person", "stakeholder", "item_sme"} <= record.kinds
        with p.read() as tx:
            assert tx.list(ItemSme, where={"person_id": tomas.person.id}) == []
            assert tx.get(Stakeholder, tomas.id) is None
    with devices.project(CLIENT) as p:
        move = svc.move_on_grid([(tomas.id, 9, 9)])
        assert move is not None
        execute(p, move)
    shared = ["--folder", str(tmp_path / "share")]
    (tmp_path / "share").mkdir()
    for device in (LAPTOP, CLIENT, LAPTOP):
        devices.sync(device, *shared, capsys=capsys)
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)
    for device in (LAPTOP, CLIENT):
        with devices.project(device) as p:
            with p.read() as tx:
                assert tx.get(Person, tomas.person.id) is not None
                stake = tx.get(Stakeholder, tomas.id)
                assert stake is not None and (stake.power, stake.interest) == (9, 9)
            assert svc.person_links(p, tomas.person.id) == links
