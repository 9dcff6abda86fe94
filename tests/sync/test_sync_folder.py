"""Where a project syncs, and what may be found there (issue 6, scenarios 21, 22, 24, 28, 31
and the sync-folder part of 33): the sync folder is the project's whatever the document or the
folder are called; each copy of a project remembers what *it* merged; names and temporary
files left by others never stop a sync; plain http needs consent."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ldpm import cli
from ldpm.atomic import STALE_AFTER_SECONDS, temp_path
from ldpm.services import sync as sync_svc
from ldpm.sync.discovery import find_replicas
from ldpm.sync.targets import (
    FolderTarget,
    WebDAVTarget,
    marker_name,
    presence_name,
    replica_name,
)
from tests.sync.computers import CLIENT, LAPTOP, Computers, edit, main_initiative
from tests.sync.conftest import DAV_PASSWORD, DAV_USER, DavServer, Remote

OUTCOME = "MTTR down 25%"
#: The demo's workspace is "Northwind Engineering": its sync folder is named after it.
SYNC = "Northwind Engineering.ldpm-sync"


class CliComputers(Computers):
    """The computers, and pytest's capture of what their command lines printed."""

    def __init__(
        self, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        super().__init__(tmp, monkeypatch)
        self.capsys = capsys


@pytest.fixture
def computers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CliComputers:
    return CliComputers(tmp_path, monkeypatch, capsys)


def cli_sync(
    computers: CliComputers, device: str, path: Path, *where: str, ok: bool = True
) -> tuple[str, str]:
    with computers.on(device):
        code = cli.main(["sync", str(path), *where])
    out, err = computers.capsys.readouterr()
    assert (code == 0) is ok, err
    assert "Traceback" not in err
    return out, err


def laptop_sets_outcome(computers: CliComputers, *where: str) -> None:
    with computers.project(LAPTOP) as p:
        edit(p, main_initiative(p).id, outcome=OUTCOME)
    cli_sync(computers, LAPTOP, computers.files[LAPTOP], *where)


def only_folder(root: Path) -> Path:
    """The one sync folder under ``root``."""
    [folder] = [p for p in root.iterdir() if p.is_dir()]
    return folder


def outcome(computers: Computers, device: str, path: Path) -> str:
    with computers.project(device, path) as p:
        return main_initiative(p).outcome


# ------------------------------------------------------------------ 21: the sync folder


@pytest.mark.parametrize("kind", ["folder", "webdav"])
def test_a_renamed_copy_finds_the_projects_sync_folder_whatever_it_is_called(
    computers: CliComputers, kind: str, request: pytest.FixtureRequest
) -> None:
    """Scenario 21: a copy named "Northwind (1).ldpm" synced into "Northwind (1).ldpm-sync",
    and reported "nothing new".  The folder is the project's: found by its marker even after
    someone renamed it, for a renamed copy, and after a Save As."""
    if kind == "folder":
        where = ["--folder", str(computers.shared)]
        on_disk = computers.shared
    else:
        server: DavServer = request.getfixturevalue("dav_server")
        url, on_disk = server.new_space()
        where = ["--webdav", url, "--user", DAV_USER]
        computers.monkeypatch.setenv("LDPM_SYNC_PASSWORD", DAV_PASSWORD)
    laptop_sets_outcome(computers, *where)
    only_folder(on_disk).rename(on_disk / "Northwind (shared with the client)")

    renamed = computers.files[CLIENT].with_name("Northwind (1).ldpm")
    computers.files[CLIENT].rename(renamed)
    out, _err = cli_sync(computers, CLIENT, renamed, *where)
    assert "Merged 1 changed item" in out
    assert outcome(computers, CLIENT, renamed) == OUTCOME
    # Save As under another name: still the same folder.
    saved_as = renamed.parent / "Client plan.ldpm"
    with computers.project(CLIENT, renamed) as p:
        p.save(saved_as)
    with computers.project(LAPTOP) as p:
        edit(p, main_initiative(p).id, audience="remote engineers")
    cli_sync(computers, LAPTOP, computers.files[LAPTOP], *where)
    cli_sync(computers, CLIENT, saved_as, *where)
    with computers.project(CLIENT, saved_as) as p:
        assert main_initiative(p).audience == "remote engineers"
    assert [p.name for p in on_disk.iterdir()] == ["Northwind (shared with the client)"]


def test_a_new_sync_folder_is_named_after_the_project_and_marked(computers: CliComputers) -> None:
    with computers.project(LAPTOP) as p:
        report = computers.sync(p)
    assert report.folder_name == SYNC  # the workspace's name, not the file's
    assert [p.name for p in computers.shared.iterdir()] == [SYNC]
    marker = computers.shared / SYNC / marker_name(uuid_of(computers))
    assert "Northwind Engineering" in marker.read_text(encoding="utf-8")


def uuid_of(computers: Computers) -> str:
    from ldpm.persistence.fileformat import read_meta

    return read_meta(computers.original, "project_uuid")


def test_a_sync_folder_made_by_an_older_ldpm_is_adopted(computers: CliComputers) -> None:
    """Older versions named the folder after the file and wrote no marker: a folder of that
    name without any marker is taken over (and marked), not duplicated."""
    legacy = FolderTarget(computers.shared, "Plan 2026")  # no project id: the old naming
    with computers.project(LAPTOP) as p:
        edit(p, main_initiative(p).id, outcome=OUTCOME)
        sync_svc.finish_sync(p, sync_svc.run_sync(p, legacy))
    client_file = computers.files[CLIENT].with_name("Plan 2026.ldpm")
    computers.files[CLIENT].rename(client_file)
    cli_sync(computers, CLIENT, client_file, "--folder", str(computers.shared))
    assert outcome(computers, CLIENT, client_file) == OUTCOME
    assert [p.name for p in computers.shared.iterdir()] == ["Plan 2026.ldpm-sync"]
    assert (computers.shared / "Plan 2026.ldpm-sync" / marker_name(uuid_of(computers))).exists()


def test_another_projects_folder_of_the_same_name_is_left_alone(computers: CliComputers) -> None:
    other = computers.shared / SYNC
    other.mkdir()  # another client's project of the same name
    (other / marker_name("f" * 32)).write_text("someone else's project")
    with computers.project(LAPTOP) as p:
        report = computers.sync(p)
    assert report.folder_name == "Northwind Engineering (2).ldpm-sync"
    assert sorted(p.name for p in other.iterdir()) == [marker_name("f" * 32)]


# ----------------------------------------------------- 22: state per copy, not per project


def test_a_second_copy_on_the_same_computer_receives_a_colleagues_changes(
    computers: CliComputers,
) -> None:
    """Scenario 22: the sync state was kept per project on the computer, so a second copy of
    the project inherited "already merged" and never received the laptop's changes."""
    shared = ["--folder", str(computers.shared)]
    laptop_sets_outcome(computers, *shared)
    cli_sync(computers, CLIENT, computers.files[CLIENT], *shared)
    second = computers.tmp / CLIENT / "Archive" / "Northwind.ldpm"
    computers.copy(CLIENT, second)
    out, _err = cli_sync(computers, CLIENT, second, *shared)
    assert "Merged" in out
    assert outcome(computers, CLIENT, second) == OUTCOME


# -------------------------------------------------------------------- 24: odd names


def test_a_backslash_in_a_file_name_does_not_stop_the_sync(computers: CliComputers) -> None:
    """Scenario 24 (folder): a file whose name holds a backslash (legal on Linux and macOS,
    a path separator on Windows) aborted every sync with an internal error."""
    shared = ["--folder", str(computers.shared)]
    laptop_sets_outcome(computers, *shared)
    sync_folder = only_folder(computers.shared)
    (sync_folder / "replicas" / "..\\..\\evil.ldpm").write_bytes(b"not a replica")
    (sync_folder / "a\\b").mkdir()
    out, _err = cli_sync(computers, CLIENT, computers.files[CLIENT], *shared)
    assert "Merged 1 changed item" in out
    assert outcome(computers, CLIENT, computers.files[CLIENT]) == OUTCOME


def test_odd_names_on_a_webdav_server_do_not_stop_the_sync(
    computers: CliComputers, dav_server: DavServer
) -> None:
    """Scenario 24 (WebDAV, a real server): a file name with a backslash is skipped."""
    url, on_disk = dav_server.new_space()
    computers.monkeypatch.setenv("LDPM_SYNC_PASSWORD", DAV_PASSWORD)
    where = ["--webdav", url, "--user", DAV_USER]
    laptop_sets_outcome(computers, *where)
    (only_folder(on_disk) / "replicas" / "x\\y.ldpm").write_bytes(b"odd")
    out, _err = cli_sync(computers, CLIENT, computers.files[CLIENT], *where)
    assert "Merged 1 changed item" in out


class _Traversal(BaseHTTPRequestHandler):
    """A confused (or hostile) WebDAV server: its listing of the sync folder holds an href
    that climbs out of it with "..", and one that is fine."""

    def do_PROPFIND(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        base = "/dav/Plan.ldpm-sync"
        hrefs = [f"{base}/", f"{base}/replicas/../../../etc/passwd", f"{base}/%2e%2e/x.ldpm"]
        hrefs.append(f"{base}/notes.txt")
        items = "".join(
            f"<d:response><d:href>{h}</d:href><d:propstat><d:prop><d:resourcetype/>"
            f'<d:getcontentlength>4</d:getcontentlength><d:getetag>"{i}"</d:getetag>'
            "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
            for i, h in enumerate(hrefs)
        )
        body = f'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">{items}</d:multistatus>'
        data = body.encode()
        self.send_response(207)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "4")
        self.send_header("ETag", '"3"')
        self.end_headers()
        self.wfile.write(b"note")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def traversal_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Traversal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/dav"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_webdav_href_with_dot_dot_is_skipped(traversal_server: str, tmp_path: Path) -> None:
    """Scenario 24 (WebDAV): an href with ".." was listed, then refused as a traversal with a
    ValueError that aborted the sync.  It is now skipped while listing."""
    target = WebDAVTarget(traversal_server, "u", "p", "Plan", timeout=5)
    assert [e.name for e in target.list_entries()] == ["notes.txt"]
    found = find_replicas(target, project_uuid="0" * 32, work_dir=tmp_path, previous={})
    assert found.replicas == [] and found.rejected == []


# -------------------------------------------------------------- 33: stale temporaries


def age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_stale_temporaries_of_this_device_are_removed_by_the_next_sync(remote: Remote) -> None:
    """Scenario 33 (sync folder): temporary files of interrupted publishes piled up in the
    shared folder, where the sync client uploads them.  The next sync removes this device's
    stale ones — never another device's, never a fresh one (a write may be under way)."""
    me, other = "ab12cd34ef56ab78", "cd34ef56ab78ab12"
    replicas = remote.sync_folder / "replicas"
    replicas.mkdir(parents=True)
    (remote.sync_folder / "presence").mkdir()
    old = STALE_AFTER_SECONDS + 60
    mine_old = temp_path(replicas / f"{me}.ldpm")
    mine_old.write_bytes(b"half a replica")
    age(mine_old, old)
    legacy = replicas / f".{me}.ldpm.0123456789ab.tmp"  # named by an earlier LDPM
    legacy.write_bytes(b"half")
    age(legacy, old)
    presence_old = temp_path(remote.sync_folder / presence_name(me))
    presence_old.write_text("{")
    age(presence_old, old)
    mine_fresh = temp_path(replicas / f"{me}.ldpm")
    mine_fresh.write_bytes(b"being written right now")
    theirs_old = temp_path(replicas / f"{other}.ldpm")
    theirs_old.write_bytes(b"another device's")
    age(theirs_old, old)

    removed = remote.target.sweep_temps(me)

    assert sorted(removed) == sorted(
        [f"replicas/{mine_old.name}", f"replicas/{legacy.name}", f"presence/{presence_old.name}"]
    )
    assert not mine_old.exists() and not legacy.exists() and not presence_old.exists()
    assert mine_fresh.exists() and theirs_old.exists()
    assert remote.target.list_entries() == []  # temporaries are never listed


def test_the_sync_engine_sweeps_before_publishing(computers: CliComputers) -> None:
    shared = ["--folder", str(computers.shared)]
    laptop_sets_outcome(computers, *shared)
    replicas = only_folder(computers.shared) / "replicas"
    leftover = temp_path(replicas / f"{LAPTOP}.ldpm")
    leftover.write_bytes(b"killed mid-publish")
    age(leftover, STALE_AFTER_SECONDS + 1)
    cli_sync(computers, LAPTOP, computers.files[LAPTOP], *shared)
    assert not leftover.exists()


# --------------------------------------------------------------------- 28: plain http


def test_plain_http_to_another_computer_needs_consent(computers: CliComputers) -> None:
    """Scenario 28: an http:// address sent the password in clear on every sync, unasked."""
    url = "http://dav.example.invalid/remote.php/dav/files/maya"
    with computers.project(CLIENT) as p:
        refused = sync_svc.SyncSettings(kind="webdav", url=url, user="maya")
        with pytest.raises(sync_svc.SyncError) as info:
            sync_svc.make_target(refused, p, "secret")
        assert "unencrypted" in str(info.value) and "https://" in str(info.value)
        allowed = sync_svc.SyncSettings(
            kind="webdav", url=url, user="maya", plain_http_host="dav.example.invalid"
        )
        assert isinstance(sync_svc.make_target(allowed, p, "secret"), WebDAVTarget)
        elsewhere = sync_svc.SyncSettings(
            kind="webdav", url=url, user="maya", plain_http_host="other.example.invalid"
        )
        with pytest.raises(sync_svc.SyncError):  # consent is for one host only
            sync_svc.make_target(elsewhere, p, "secret")
        for local in ("http://127.0.0.1:8080/dav", "http://localhost/dav", "http://[::1]/d"):
            loopback = sync_svc.SyncSettings(kind="webdav", url=local, user="maya")
            assert isinstance(sync_svc.make_target(loopback, p, "secret"), WebDAVTarget)
    _out, err = cli_sync(
        computers, CLIENT, computers.files[CLIENT], "--webdav", url, "--user", "maya", ok=False
    )
    assert "unencrypted" in err


# ---------------------------------------------------------------- 31: Windows' fsync


def test_publishing_never_fsyncs_a_read_only_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scenario 31 (targets): Windows refuses fsync on a descriptor opened read-only.  Here
    fsync behaves that way, and publishing and presence still work."""
    real = os.fsync

    def windows_fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")
        real(fd)

    monkeypatch.setattr(os, "fsync", windows_fsync)
    target = FolderTarget(tmp_path, "Plan", project_uuid="e" * 32)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"replica")
    entry = target.publish(source, replica_name("ab12cd34ef56ab78"), None)
    target.write_text(presence_name("ab12cd34ef56ab78"), "{}")
    assert entry in target.list_entries()
    shutil.rmtree(target.folder)


def test_an_unrelated_folder_is_never_taken_for_the_sync_folder(tmp_path: Path) -> None:
    """Only folders named the way LDPM names them are adopted without a marker: a folder the
    settings remember by another name, now without a marker, is somebody's own."""
    mine = tmp_path / "Shared with Dana"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"\xff\xd8")
    target = FolderTarget(tmp_path, "Plan", project_uuid="e" * 32, look_first=[mine.name])
    assert target.locate().name == "Plan.ldpm-sync"
    target.write_text(presence_name("ab12cd34ef56ab78"), "{}")
    assert sorted(p.name for p in mine.iterdir()) == ["holiday.jpg"]
    assert (tmp_path / "Plan.ldpm-sync" / marker_name("e" * 32)).is_file()


def test_the_command_line_leaves_no_presence_behind(computers: CliComputers) -> None:
    """Scenario 30: ``ldpm sync`` opens, syncs and closes; afterwards nobody has the project
    open on that computer, so its presence note is gone."""
    laptop_sets_outcome(computers, "--folder", str(computers.shared))
    presence = only_folder(computers.shared) / "presence"
    assert presence.is_dir() and list(presence.iterdir()) == []
