"""An undone import is one delete: its items, its new release and its external ids go as one
group with one stamp, so an edit on another computer that had not seen the undo brings the
whole import back on both computers (logged once for review) — and without such an edit the
undo reaches the other computer whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ldpm.domain.entities import BacklogItem, Conflict, ExternalRef, Release
from ldpm.persistence.links import delete_stamp
from ldpm.services import backlog, initiatives
from ldpm.services import exchange as svc
from ldpm.services.commands import execute
from ldpm.services.exchange import ImportCommand
from tests.sync.test_two_devices import CLIENT, LAPTOP, Devices

DATA = Path(__file__).resolve().parent.parent / "data"
TABLES = ("backlog_item", "release", "external_ref")


def imported(devices: Devices) -> tuple[ImportCommand, dict[str, list[str]]]:
    """The laptop imports the Jira export into a new initiative (4 items, a release, 4
    external ids).  Returns the import and its rows by table."""
    with devices.project(LAPTOP) as p:
        new = initiatives.add_initiative(p, "Incident hand-offs")
        execute(p, new)
        table = svc.open_file(DATA / "jira-all-fields.csv")
        settings = svc.suggest(table, "items", new.entity.id)
        settings.skip_bad = True
        _check, command = svc.import_now(p, table, settings)
    assert command is not None
    rows = {
        "backlog_item": command.inserted[BacklogItem],
        "release": command.inserted[Release],
        "external_ref": command.inserted[ExternalRef],
    }
    assert [len(rows[t]) for t in TABLES] == [4, 1, 4]
    return command, rows


def states(devices: Devices, device: str, rows: dict[str, list[str]]) -> dict[str, set[str]]:
    """Per row of the import: its ``deleted`` flag and delete stamp, as text."""
    con = sqlite3.connect(devices.files[device])
    try:
        out: dict[str, set[str]] = {}
        for table, ids in rows.items():
            marks = ",".join("?" * len(ids))
            for deleted, stamps in con.execute(
                f'SELECT deleted, stamps FROM "{table}" WHERE id IN ({marks})', ids
            ):
                out.setdefault(str(deleted), set()).add(delete_stamp(json.loads(stamps)))
        return out
    finally:
        con.close()


@pytest.fixture
def share(tmp_path: Path) -> list[str]:
    (tmp_path / "share").mkdir()
    return ["--folder", str(tmp_path / "share")]


def test_an_edit_the_undo_had_not_seen_brings_the_whole_import_back(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    share: list[str],
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    command, rows = imported(devices)
    for device in (LAPTOP, CLIENT):
        devices.sync(device, *share, capsys=capsys)
    with devices.project(LAPTOP) as p:
        execute(p, command, undo=True)
    undone = states(devices, LAPTOP, rows)
    assert list(undone) == ["1"] and len(undone["1"]) == 1  # nine rows, one delete
    [delete] = undone["1"]
    with devices.project(CLIENT) as p:  # meanwhile, not knowing of the undo
        edited = rows["backlog_item"][1]
        execute(p, backlog.edit_item(edited, {"title": "Shadowing rotation, weekly"}))
    for device in (LAPTOP, CLIENT, LAPTOP):
        devices.sync(device, *share, capsys=capsys)
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)
    for device in (LAPTOP, CLIENT):
        assert states(devices, device, rows) == {"0": {delete}}  # all back, the delete undone
        with devices.project(device) as p, p.read() as tx:
            item = tx.get(BacklogItem, edited)
            assert item is not None and item.title == "Shadowing rotation, weekly"
            assert tx.count(ExternalRef, where={"source": "Jira"}) == 4
            logged = [c for c in tx.list(Conflict, order_by=("id",)) if c.field == "deleted"]
        assert len(logged) == 1  # once for the whole import
        assert logged[0].entity in TABLES and logged[0].other_stamp == delete


def test_an_undo_no_one_contradicts_reaches_the_other_computer_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    share: list[str],
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    command, rows = imported(devices)
    for device in (LAPTOP, CLIENT):
        devices.sync(device, *share, capsys=capsys)
    with devices.project(LAPTOP) as p:
        execute(p, command, undo=True)
    [delete] = states(devices, LAPTOP, rows)["1"]
    for device in (LAPTOP, CLIENT):
        devices.sync(device, *share, capsys=capsys)
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)
    assert states(devices, CLIENT, rows) == {"1": {delete}}
    with devices.project(CLIENT) as p, p.read() as tx:
        assert (
            tx.count(BacklogItem, where={"title": "Hand-off checklist in the incident channel"})
            == 0
        )
        assert [c for c in tx.list(Conflict) if c.field == "deleted"] == []
