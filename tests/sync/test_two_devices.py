"""The issue's scenario: two devices edit copies of the demo offline, sync, and end identical
with the one true conflict up for review — through a shared folder, and through WebDAV with
the password in the keyring (an in-memory keyring backend here)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ldpm import cli
from ldpm.domain.enums import Stage
from ldpm.services import initiatives
from ldpm.services import sync as sync_svc
from ldpm.services.commands import execute
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from tests.conftest import MemoryKeyring
from tests.sync.conftest import DAV_PASSWORD, DAV_USER, DavServer
from tests.sync.devices import dump_rows

LAPTOP, CLIENT = "a1a1a1a1a1a1a1a1", "c2c2c2c2c2c2c2c2"


class Devices:
    """Two computers in one test process: each has its own LDPM home and device id."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        original = tmp / "original" / "Northwind.ldpm"
        original.parent.mkdir()
        with self.on(LAPTOP):
            Project.create_file(original, name="Northwind", populate=populate_demo)
        self.files = {}
        for device in (LAPTOP, CLIENT):
            copy = tmp / device / "Northwind.ldpm"  # the consultant's copy, the client's copy
            copy.parent.mkdir()
            shutil.copyfile(original, copy)
            self.files[device] = copy

    @contextmanager
    def on(self, device: str) -> Iterator[None]:
        self.monkeypatch.setenv("LDPM_HOME", str(self.tmp / f"home-{device}"))
        self.monkeypatch.setenv("LDPM_DEVICE_ID", device)
        yield

    @contextmanager
    def project(self, device: str) -> Iterator[Project]:
        with self.on(device):
            project = Project.open(self.files[device])
            try:
                yield project
                if project.unsaved:
                    project.save()
            finally:
                project.close(discard_unsaved=True)

    def sync(self, device: str, *where: str, capsys: pytest.CaptureFixture[str]) -> str:
        with self.on(device):
            code = cli.main(["sync", str(self.files[device]), *where])
        out = capsys.readouterr()
        assert code == 0, out.err
        return out.out

    def dump(self, device: str) -> dict[str, list[tuple[object, ...]]]:
        return dump_rows(self.files[device])


def edit_offline(devices: Devices) -> str:
    """Both edit the main initiative: the owner on both (the true conflict), the outcome on the
    laptop only, the stage on the client only.  Returns the initiative's id."""
    with devices.project(LAPTOP) as p:
        main = initiatives.list_initiatives(p)[0]
        execute(p, initiatives.edit_initiative(p, main.id, {"owner": "Maya (laptop)"}))
        execute(p, initiatives.edit_initiative(p, main.id, {"outcome": "MTTR down 25%"}))
    with devices.project(CLIENT) as p:
        execute(p, initiatives.edit_initiative(p, main.id, {"owner": "Dana (client)"}))
        execute(p, initiatives.edit_initiative(p, main.id, {"stage": Stage.PILOT}))
    return main.id


def check_converged(devices: Devices, initiative_id: str) -> None:
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)
    for device in (LAPTOP, CLIENT):
        with devices.project(device) as p:
            main = initiatives.get_initiative(p, initiative_id)
            assert main is not None
            assert main.owner == "Dana (client)"  # the later write wins…
            assert main.outcome == "MTTR down 25%" and main.stage == Stage.PILOT
            [conflict] = sync_svc.list_conflicts(p)  # …and the other is up for review
            assert conflict.field == "owner"
            assert sync_svc.decode_value(conflict, "other") == "Maya (laptop)"
            names = sync_svc.device_names(p)
            assert set(names) == {LAPTOP, CLIENT}


def test_two_devices_through_a_shared_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    main_id = edit_offline(devices)
    shared = ["--folder", str(tmp_path / "OneDrive" / "Clients")]
    (tmp_path / "OneDrive" / "Clients").mkdir(parents=True)
    devices.sync(LAPTOP, *shared, capsys=capsys)
    out = devices.sync(CLIENT, *shared, capsys=capsys)
    assert "Merged 1 changed item from 1 other copy." in out
    assert "1 new change to review." in out
    devices.sync(LAPTOP, *shared, capsys=capsys)
    devices.sync(CLIENT, *shared, capsys=capsys)  # nothing new: no change
    check_converged(devices, main_id)

    # The laptop reviews it: "use the other" is itself a synced edit.
    with devices.project(LAPTOP) as p:
        [conflict] = sync_svc.list_conflicts(p)
        execute(p, sync_svc.resolve_conflict(conflict, use_other=True))
    devices.sync(LAPTOP, capsys=capsys)  # the settings were remembered
    devices.sync(CLIENT, capsys=capsys)
    for device in (LAPTOP, CLIENT):
        with devices.project(device) as p:
            assert sync_svc.list_conflicts(p) == []
            main = initiatives.get_initiative(p, main_id)
            assert main is not None and main.owner == "Maya (laptop)"
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)


def test_two_devices_through_webdav_with_the_password_in_the_keyring(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dav_server: DavServer,
    memory_keyring: MemoryKeyring,
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    main_id = edit_offline(devices)
    url, _folder = dav_server.new_space()
    monkeypatch.setenv("LDPM_SYNC_PASSWORD", DAV_PASSWORD)  # typed once, then kept
    devices.sync(LAPTOP, "--webdav", url, "--user", DAV_USER, capsys=capsys)
    monkeypatch.delenv("LDPM_SYNC_PASSWORD")
    assert memory_keyring.passwords == {("ldpm", f"{DAV_USER}@{url}"): DAV_PASSWORD}
    devices.sync(CLIENT, "--webdav", url, "--user", DAV_USER, capsys=capsys)
    devices.sync(LAPTOP, capsys=capsys)
    check_converged(devices, main_id)
    # No secret in any file LDPM wrote: the projects, the settings, the sync state.
    for path in tmp_path.rglob("*"):
        if path.is_file() and "webdav" not in str(path):
            assert DAV_PASSWORD.encode() not in path.read_bytes(), path


def test_a_wrong_password_is_one_sentence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dav_server: DavServer,
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    url, _folder = dav_server.new_space()
    monkeypatch.setenv("LDPM_SYNC_PASSWORD", "not the password")
    before = devices.dump(LAPTOP)
    with devices.on(LAPTOP):
        code = cli.main(["sync", str(devices.files[LAPTOP]), "--webdav", url, "--user", DAV_USER])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused the user name or password" in err and "Traceback" not in err
    assert devices.dump(LAPTOP) == before  # the file is as it was before the failed sync


def test_undo_last_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    main_id = edit_offline(devices)
    shared = tmp_path / "share"
    shared.mkdir()
    devices.sync(LAPTOP, "--folder", str(shared), capsys=capsys)
    with devices.on(CLIENT), devices.project(CLIENT) as p:
        settings = sync_svc.SyncSettings(kind="folder", folder=str(shared))
        report = sync_svc.run_sync(p, sync_svc.make_target(settings, p))
        sync_svc.finish_sync(p, report)
        main = initiatives.get_initiative(p, main_id)
        assert main is not None and main.outcome == "MTTR down 25%"
        sync_svc.undo_last_sync(p, report)
        main = initiatives.get_initiative(p, main_id)
        assert main is not None and main.outcome != "MTTR down 25%"
        assert main.owner == "Dana (client)" and main.stage == Stage.PILOT  # the client's own
        # The laptop's outcome is not lost: it waits for review (the owner conflict the merge
        # found is still there too).
        fields = sorted(c.field for c in sync_svc.list_conflicts(p))
        assert fields == ["outcome", "owner"]
