"""Sync in the window: settings, Sync Now on a worker, the changes to review, presence,
Undo Last Sync — with two simulated computers sharing a folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.enums import Stage
from ldpm.services import initiatives
from ldpm.services import sync as sync_svc
from ldpm.services.commands import execute
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from ldpm.ui.main_window import MainWindow
from ldpm.ui.models.conflicts import COL_FIELD, COL_ITEM, COL_KEPT, COL_OTHER, COL_WHO
from ldpm.ui.sync_ui import SyncSettingsDialog, SyncUi, presence_text
from ldpm.ui.workers import wait_for_pool
from tests.conftest import MemoryKeyring
from tests.filesystems import mounted_tmpfs

LAPTOP, CLIENT = "a1a1a1a1a1a1a1a1", "c2c2c2c2c2c2c2c2"
NAMES = {LAPTOP: "Maya Keller", CLIENT: "Dana Ortiz"}
SHOTS = Path(__file__).resolve().parents[2] / "shots"
WAIT_MS = 30_000


class Devices:
    """Two computers in one process: each its own LDPM home and device id.  The window is the
    client's computer; the laptop works through the services."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        self.shared = tmp / "OneDrive" / "Clients"
        self.shared.mkdir(parents=True)
        original = tmp / "original" / "Northwind.ldpm"
        original.parent.mkdir()
        with self.on(LAPTOP):
            Project.create_file(original, name="Northwind", populate=populate_demo)
        self.files = {}
        for device in (LAPTOP, CLIENT):
            copy = tmp / device / "Northwind.ldpm"
            copy.parent.mkdir()
            shutil.copyfile(original, copy)
            self.files[device] = copy
        self.settings = sync_svc.SyncSettings(kind="folder", folder=str(self.shared))

    @contextmanager
    def on(self, device: str) -> Iterator[None]:
        self.monkeypatch.setenv("LDPM_HOME", str(self.tmp / f"home-{device}"))
        self.monkeypatch.setenv("LDPM_DEVICE_ID", device)
        self.monkeypatch.setenv("LDPM_USER_NAME", NAMES[device])
        try:
            yield
        finally:  # the window is the client's computer
            self.monkeypatch.setenv("LDPM_HOME", str(self.tmp / f"home-{CLIENT}"))
            self.monkeypatch.setenv("LDPM_DEVICE_ID", CLIENT)
            self.monkeypatch.setenv("LDPM_USER_NAME", NAMES[CLIENT])

    def laptop_edits_and_syncs(self) -> str:
        """The laptop changes the owner (the true conflict) and the outcome, and syncs."""
        with self.on(LAPTOP):
            project = Project.open(self.files[LAPTOP])
            try:
                main = initiatives.list_initiatives(project)[0]
                execute(project, initiatives.edit_initiative(project, main.id, {"owner": "Maya"}))
                execute(
                    project,
                    initiatives.edit_initiative(project, main.id, {"outcome": "MTTR down 25%"}),
                )
                target = sync_svc.make_target(self.settings, project)
                sync_svc.finish_sync(project, sync_svc.run_sync(project, target))
                project.save()
            finally:
                project.close(discard_unsaved=True)
        return main.id


@pytest.fixture
def devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Devices:
    d = Devices(tmp_path, monkeypatch)
    monkeypatch.setenv("LDPM_HOME", str(tmp_path / f"home-{CLIENT}"))
    monkeypatch.setenv("LDPM_DEVICE_ID", CLIENT)
    monkeypatch.setenv("LDPM_USER_NAME", NAMES[CLIENT])
    return d


def client_opens_and_edits(window: MainWindow, devices: Devices, main_id: str) -> SyncUi:
    """The client (the window) changes the owner too, and the stage; sync goes to the folder."""
    assert window.open_path(devices.files[CLIENT])
    assert window.runner is not None and window.project is not None
    p = window.project
    window.runner.run(initiatives.edit_initiative(p, main_id, {"owner": "Dana"}))
    window.runner.run(initiatives.edit_initiative(p, main_id, {"stage": Stage.PILOT}))
    sync_svc.save_settings(p, devices.settings)
    assert window.sync_ui is not None
    return window.sync_ui


def sync_in_window(window: MainWindow, qtbot: QtBot) -> object:
    ui = window.sync_ui
    assert ui is not None
    with qtbot.waitSignal(ui.sync_finished, timeout=WAIT_MS) as blocker:
        window.menu_actions["sync_now"].trigger()
        assert ui.running and not window.menu_actions["sync_now"].isEnabled()
        assert ui.state.text().startswith("Syncing…")
    return blocker.args[0]


def owner(window: MainWindow, main_id: str) -> str:
    assert window.project is not None
    main = initiatives.get_initiative(window.project, main_id)
    assert main is not None
    return main.owner


def test_conflict_review_in_the_window(
    window: MainWindow,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    devices: Devices,
    messages: list[str],
) -> None:
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    assert not ui.badge.isVisible()

    report = sync_in_window(window, qtbot)
    assert isinstance(report, sync_svc.SyncReport) and report.merged
    assert window.statusBar().currentMessage() == report.summary()
    assert messages == []  # nothing modal during a sync
    assert window.project is not None and window.project.unsaved  # the merge is to be saved
    # The merge reached the views: the laptop's outcome is here, both owners are kept.
    main = initiatives.get_initiative(window.project, main_id)
    assert main is not None and main.outcome == "MTTR down 25%" and main.stage == Stage.PILOT
    assert owner(window, main_id) == "Dana"  # the later write wins

    # The badge, and the panel it opens.
    assert ui.badge.isVisible() and ui.badge.text() == "1 change to review"
    # A person's name, not an account on a host.
    assert ui.presence.isVisible() and ui.presence.text() == "Maya Keller has this open (just now)"
    assert window.menu_actions["undo_sync"].isEnabled()
    assert ui.panel is not None and not ui.panel.isVisible()
    qtbot.mouseClick(ui.badge, Qt.MouseButton.LeftButton)
    panel = ui.panel
    assert panel.isVisible()
    model = panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in (COL_ITEM, COL_FIELD, COL_KEPT, COL_OTHER)]
    assert cells[0].startswith("Initiative: ") and len(cells[0]) > len("Initiative: ")
    assert cells[1:] == ["Owner", "Dana", "Maya"]
    who = model.index(0, COL_WHO).data()
    assert who.startswith("kept: ") and " · other: " in who
    assert " on " not in who  # people, not accounts on computers
    assert panel.keep.isEnabled() and panel.use_other.isEnabled()

    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert window.grab().save(str(SHOTS / "sync-conflicts.png"))

    # "Use the Other": an ordinary, undoable edit.
    qtbot.mouseClick(panel.use_other, Qt.MouseButton.LeftButton)
    assert owner(window, main_id) == "Maya"
    assert model.rowCount() == 0 and not ui.badge.isVisible()
    assert panel.empty.isVisibleTo(panel) and not panel.use_other.isEnabled()
    # Undo Last Sync keeps later edits, so an edit after the sync does not disable it.
    assert window.menu_actions["undo_sync"].isEnabled()
    window.menu_actions["undo"].trigger()
    assert owner(window, main_id) == "Dana"
    assert model.rowCount() == 1 and ui.badge.text() == "1 change to review"
    qtmodeltester.check(model)
    window.menu_actions["redo"].trigger()
    assert owner(window, main_id) == "Maya" and not ui.badge.isVisible()

    # "Keep This" after undoing: the kept value stays, the review is done.
    window.menu_actions["undo"].trigger()
    qtbot.mouseClick(panel.keep, Qt.MouseButton.LeftButton)
    assert owner(window, main_id) == "Dana" and model.rowCount() == 0


def test_undo_last_sync(window: MainWindow, qtbot: QtBot, devices: Devices) -> None:
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    sync_in_window(window, qtbot)
    assert window.project is not None
    main = initiatives.get_initiative(window.project, main_id)
    assert main is not None and main.outcome == "MTTR down 25%"
    assert window.menu_actions["undo_sync"].isEnabled()
    window.menu_actions["undo_sync"].trigger()
    main = initiatives.get_initiative(window.project, main_id)
    assert main is not None and main.outcome != "MTTR down 25%"
    assert main.owner == "Dana"  # the client's own edit before the sync is still there
    # The laptop's outcome waits for review beside the owner conflict the merge found.
    assert ui.badge.isVisible() and ui.badge.text() == "2 changes to review"
    assert "Undid the last sync: 1 change(s)" in window.statusBar().currentMessage()
    assert not window.menu_actions["undo_sync"].isEnabled()
    assert window.project.unsaved


def test_closing_waits_for_a_running_sync(
    window: MainWindow, qtbot: QtBot, devices: Devices
) -> None:
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    finished: list[object] = []
    ui.sync_finished.connect(finished.append)
    window.menu_actions["autosave"].setChecked(True)  # closing saves without asking
    assert ui.sync_now()
    assert not ui.sync_now()  # never two at once
    assert window.close_project()  # takes the running sync's result, then closes
    assert window.project is None and not ui.running
    assert len(finished) == 1
    # The merge was taken into account before closing, so it was saved with the project.
    with devices.on(CLIENT):
        project = Project.open(devices.files[CLIENT])
        try:
            assert len(sync_svc.list_conflicts(project)) == 1
        finally:
            project.close(discard_unsaved=True)


def test_a_failed_sync_is_a_sentence_in_the_status_bar(
    window: MainWindow, qtbot: QtBot, demo_path: Path, tmp_path: Path, messages: list[str]
) -> None:
    window.open_path(demo_path)
    assert window.project is not None and window.sync_ui is not None
    missing = tmp_path / "not-mounted"
    sync_svc.save_settings(
        window.project, sync_svc.SyncSettings(kind="folder", folder=str(missing))
    )
    assert sync_in_window(window, qtbot) is None
    sentence = window.statusBar().currentMessage()
    assert sentence and "Traceback" not in sentence
    assert window.sync_ui.state.text() == "Not synced"
    assert messages == []
    assert window.menu_actions["sync_now"].isEnabled()


def test_sync_after_each_save(window: MainWindow, qtbot: QtBot, devices: Devices) -> None:
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    with qtbot.waitSignal(ui.sync_finished, timeout=WAIT_MS):
        window.start_save(explicit=True)
    assert ui.badge.text() == "1 change to review"
    assert ui.timer.isActive() and ui.timer.interval() == 2 * 60 * 1000


def test_settings_dialog_saves_a_folder(
    window: MainWindow, qtbot: QtBot, demo_path: Path, tmp_path: Path
) -> None:
    window.open_path(demo_path)
    assert window.project is not None
    dialog = SyncSettingsDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.folder_choice.setChecked(True)
    assert dialog.folder.isEnabled() and not dialog.url.isEnabled()
    dialog.accept()  # nothing chosen yet: a sentence, not a closed dialog
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog) and "shared folder" in dialog.error.text()
    dialog.folder.setText(str(tmp_path / "Dropbox"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = sync_svc.load_settings(window.project)
    assert saved == sync_svc.SyncSettings(kind="folder", folder=str(tmp_path / "Dropbox"))
    for widget in (dialog, dialog.folder, dialog.browse, dialog.url, dialog.password):
        assert widget.accessibleName()


def test_settings_dialog_puts_the_webdav_password_in_the_keyring_only(
    window: MainWindow,
    qtbot: QtBot,
    demo_path: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    secret = "c0rrect-h0rse-Battery"
    url = "https://dav.example.invalid/remote.php/dav/files/maya/LDPM"
    window.open_path(demo_path)
    assert window.project is not None
    dialog = SyncSettingsDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.webdav_choice.setChecked(True)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.url.setText(url)
    dialog.user.setText("maya")
    dialog.accept()
    assert "password" in dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    dialog.password.setText(secret)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.notice == ""
    assert memory_keyring.passwords == {("ldpm", f"maya@{url}"): secret}
    assert sync_svc.load_settings(window.project).url == url
    assert window.save()
    # Reopened, the dialog does not ask again.
    again = SyncSettingsDialog(window.project, window)
    qtbot.addWidget(again)
    assert again.webdav_choice.isChecked() and again.password.text() == ""
    assert again.problem() is None
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_presence_text() -> None:
    now = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)
    seen = [
        sync_svc.Presence("d1", "Dana Ortiz", "", now - timedelta(minutes=3)),
        sync_svc.Presence("d2", "Lee Chen", "OLD-PC", now - timedelta(minutes=40)),
    ]
    assert presence_text(seen, now) == "Dana Ortiz has this open (3 min ago)"
    assert presence_text(seen[1:], now) == ""
    assert "just now" in presence_text([seen[0]], seen[0].last_seen)


def test_a_new_file_in_the_shared_folder_starts_a_sync(
    window: MainWindow, qtbot: QtBot, devices: Devices
) -> None:
    """The shared folder is watched: when a sync client drops the laptop's copy into it, the
    window syncs by itself after a quiet moment (no need to wait for the 2-minute timer)."""
    ui = client_opens_and_edits(window, devices, devices.laptop_edits_and_syncs())
    sync_in_window(window, qtbot)  # publishes; the shared folder now exists and is watched
    assert any(path.endswith("replicas") for path in ui.watcher.directories())
    ui.watch_delay.setInterval(50)
    devices.laptop_edits_and_syncs()  # the laptop publishes again: a change in the folder
    with qtbot.waitSignal(ui.sync_finished, timeout=WAIT_MS) as blocker:
        pass
    report = blocker.args[0]
    assert report is not None


def test_a_sync_can_be_cancelled_from_the_status_bar(
    window: MainWindow, qtbot: QtBot, devices: Devices
) -> None:
    ui = client_opens_and_edits(window, devices, devices.laptop_edits_and_syncs())
    status = window.job_status
    with qtbot.waitSignal(ui.sync_finished, timeout=WAIT_MS):
        window.menu_actions["sync_now"].trigger()
        assert ui.running and not window.menu_actions["sync_now"].isEnabled()
        status.cancel()  # honoured between merges; the merge under way completes
    assert status.isHidden()
    assert ui.state.text() in ("Not synced",) or ui.state.text().startswith("Synced")


# ------------------------------------------------------------------ issue 6 scenarios


def test_save_as_while_a_sync_runs_waits_for_it(
    window: MainWindow,
    qtbot: QtBot,
    devices: Devices,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Scenario 25: Save As moved the working folder under a running sync (an internal
    error).  Save As now takes the running sync's result first, then saves it along."""
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    chosen = threading.Event()
    real_run_sync = sync_svc.run_sync

    def run_sync_once_save_as_is_chosen(*args: Any, **kwargs: Any) -> sync_svc.SyncReport:
        assert chosen.wait(WAIT_MS / 1000)  # the sync runs on while Save As goes ahead
        return real_run_sync(*args, **kwargs)

    def choose(*_args: object, **_kwargs: object) -> tuple[str, str]:
        chosen.set()
        return str(tmp_path / "Saved elsewhere.ldpm"), ""

    monkeypatch.setattr(sync_svc, "run_sync", run_sync_once_save_as_is_chosen)
    monkeypatch.setattr("ldpm.ui.document_controller.QFileDialog.getSaveFileName", choose)
    finished: list[object] = []
    ui.sync_finished.connect(finished.append)
    assert ui.sync_now()
    assert window.save_as()
    assert len(finished) == 1 and isinstance(finished[0], sync_svc.SyncReport)
    assert "internal error" not in window.statusBar().currentMessage()
    assert window.project is not None and window.project.path.name == "Saved elsewhere.ldpm"
    con = sqlite3.connect(f"file:{tmp_path / 'Saved elsewhere.ldpm'}?mode=ro", uri=True)
    try:
        [(outcome,)] = con.execute("SELECT outcome FROM initiative WHERE id=?", (main_id,))
    finally:
        con.close()
    assert outcome == "MTTR down 25%"  # the merge was taken first, and saved along
    assert not ui._paused  # syncing resumes after Save As


def test_a_failure_after_merging_still_records_the_merge(
    window: MainWindow, qtbot: QtBot, devices: Devices, messages: list[str]
) -> None:
    """Scenario 23: the share turns read-only after the laptop published, so this sync merges
    and then cannot publish.  The merge is recorded: unsaved, refreshed, undoable."""
    with mounted_tmpfs(devices.tmp / "share", "size=16m") as share:
        devices.settings = sync_svc.SyncSettings(kind="folder", folder=str(share))
        main_id = devices.laptop_edits_and_syncs()
        ui = client_opens_and_edits(window, devices, main_id)
        subprocess.run(["mount", "-o", "remount,ro", str(share)], check=True)
        assert sync_in_window(window, qtbot) is None  # the sync failed…
        message = window.statusBar().currentMessage()
        assert "Merged 1 changed item" in message and "read-only" in message
        assert window.project is not None and window.project.unsaved  # …its merge is kept
        assert owner(window, main_id) == "Dana"
        main = initiatives.get_initiative(window.project, main_id)
        assert main is not None and main.outcome == "MTTR down 25%"
        assert ui.badge.text() == "1 change to review"
        assert window.menu_actions["undo_sync"].isEnabled()
        assert ui.state.text() == "Not synced"
        window.sync_ui.settle()
        window.project.close(discard_unsaved=True)
        window.documents.project = None
    assert messages == []


def test_one_accurate_summary_per_sync(window: MainWindow, qtbot: QtBot, devices: Devices) -> None:
    """Scenario 29: "Nothing new to merge" beside "1 change to review"."""
    main_id = devices.laptop_edits_and_syncs()
    client_opens_and_edits(window, devices, main_id)
    sync_in_window(window, qtbot)
    first = window.statusBar().currentMessage()
    assert first.startswith("Merged 1 changed item from 1 other copy. 1 new change to review.")
    sync_in_window(window, qtbot)  # nothing new this time; the review still waits
    second = window.statusBar().currentMessage()
    assert second.startswith("Up to date: nothing new from other computers.")
    assert "1 change still to review." in second and "Nothing new to merge" not in second


def test_summaries_never_contradict_themselves() -> None:
    report = sync_svc.SyncReport(merged=["replicas/a.ldpm"])
    report.result.by_table = {"device": 1}  # only bookkeeping changed
    report.result.inserted = 1
    assert report.summary() == "Up to date: nothing new from other computers."
    report.result.conflicts = 1
    assert report.summary(pending=3) == (
        "1 new change to review. 2 earlier changes still to review."
    )


def test_closing_removes_this_computers_presence(
    window: MainWindow, qtbot: QtBot, devices: Devices
) -> None:
    """Scenario 30: the presence line outlived a device that quit cleanly, and named an
    account and a computer.  It names a person, and goes away when the project closes."""
    main_id = devices.laptop_edits_and_syncs()
    client_opens_and_edits(window, devices, main_id)
    sync_in_window(window, qtbot)
    [sync_folder] = [p for p in devices.shared.iterdir() if p.is_dir()]
    mine = sync_folder / "presence" / f"{CLIENT}.json"
    note = json.loads(mine.read_text(encoding="utf-8"))
    assert note["user"] == "Dana Ortiz" and note["host"] == ""
    assert window.close_project()
    assert wait_for_pool(WAIT_MS)
    assert not mine.exists()
    assert (sync_folder / "presence" / f"{LAPTOP}.json").exists()  # only its own


def test_plain_http_needs_a_tick_that_says_why(
    window: MainWindow, qtbot: QtBot, demo_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """Scenario 28 (the dialog): an http:// address of another computer needs the user's
    explicit consent, for that host, with the reason in plain words."""
    window.open_path(demo_path)
    assert window.project is not None
    dialog = SyncSettingsDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.webdav_choice.setChecked(True)
    dialog.url.setText("https://dav.example.invalid/files/maya")
    assert not dialog.allow_http.isVisibleTo(dialog)
    dialog.url.setText("http://dav.example.invalid/files/maya")
    assert dialog.allow_http.isVisibleTo(dialog) and dialog.http_warning.isVisibleTo(dialog)
    assert "unencrypted" in dialog.http_warning.text()
    dialog.user.setText("maya")
    dialog.password.setText("pw")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "unencrypted" in dialog.error.text()
    dialog.allow_http.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert sync_svc.load_settings(window.project).plain_http_host == "dav.example.invalid"
    again = SyncSettingsDialog(window.project, window)
    qtbot.addWidget(again)
    assert again.allow_http.isChecked()
    again.url.setText("http://127.0.0.1:8080/dav")  # this computer: nothing leaves it
    assert not again.allow_http.isVisibleTo(again)
    assert again.problem() is None


def test_undo_with_a_missing_backup_says_so_and_changes_nothing(
    window: MainWindow, qtbot: QtBot, devices: Devices, messages: list[str]
) -> None:
    """Scenario 5 in the window: the message used to say the project was put back, while a
    missing backup had emptied it."""
    main_id = devices.laptop_edits_and_syncs()
    ui = client_opens_and_edits(window, devices, main_id)
    sync_in_window(window, qtbot)
    assert ui.undo_report is not None and ui.undo_report.backup is not None
    ui.undo_report.backup.unlink()
    assert not ui.undo_last_sync()
    message = window.statusBar().currentMessage()
    assert "is missing" in message and "nothing was changed" in message
    assert owner(window, main_id) == "Dana"
    assert window.project is not None
    main = initiatives.get_initiative(window.project, main_id)
    assert main is not None and main.outcome == "MTTR down 25%"
    assert messages == []
