"""WebDAVTarget against a real wsgidav server on 127.0.0.1 (see conftest.py), plus a tiny
stdlib HTTP server for status codes wsgidav cannot be made to answer (507 and friends).

The shared publish/fetch/list/compare-and-swap tests run against WebDAV too: they are the
``remote``-parametrized tests in test_targets.py.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ldpm.sync.targets import (
    Changed,
    Entry,
    TargetAuthFailed,
    TargetBusy,
    TargetError,
    TargetFull,
    TargetReadOnly,
    TargetUnreachable,
    WebDAVTarget,
    is_temp_name,
    replica_name,
    sync_folder_name,
)
from tests.sync.conftest import (
    DAV_PASSWORD,
    DAV_READONLY_SHARE,
    DAV_USER,
    PROJECT,
    DavServer,
    free_port,
)

DEVICE = "ab12cd34ef56ab78"


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temp_name(p.name)]


@pytest.fixture
def space(dav_server: DavServer) -> tuple[WebDAVTarget, Path]:
    """A target on a fresh folder of the server, and its sync folder on disk."""
    url, root = dav_server.new_space()
    target = WebDAVTarget(url, DAV_USER, DAV_PASSWORD, PROJECT, timeout=10)
    return target, root / sync_folder_name(PROJECT)


def test_wrong_password(dav_server: DavServer, tmp_path: Path) -> None:
    url, root = dav_server.new_space()
    target = WebDAVTarget(url, DAV_USER, "wrong", PROJECT)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    with pytest.raises(TargetAuthFailed) as info:
        target.list_entries()
    assert str(info.value).startswith("The WebDAV server refused the user name or password.")
    with pytest.raises(TargetAuthFailed):
        target.publish(source, replica_name(DEVICE), None)
    assert list(root.iterdir()) == []
    assert "wrong" not in repr(target) and "wrong" not in target.label


def test_server_down(tmp_path: Path) -> None:
    target = WebDAVTarget(f"http://127.0.0.1:{free_port()}/dav", DAV_USER, "pw", PROJECT)
    with pytest.raises(TargetUnreachable) as info:
        target.list_entries()
    assert "network" in str(info.value)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    with pytest.raises(TargetUnreachable):
        target.publish(source, replica_name(DEVICE), None)


def test_missing_folder_on_the_server(dav_server: DavServer, tmp_path: Path) -> None:
    target = WebDAVTarget(f"{dav_server.base_url}/no/such/folder", DAV_USER, DAV_PASSWORD, "P")
    with pytest.raises(TargetUnreachable) as info:
        target.list_entries()
    assert "does not exist" in str(info.value)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    with pytest.raises(TargetUnreachable):
        target.publish(source, replica_name(DEVICE), None)
    assert not (dav_server.root / "no").exists()


def test_read_only_share(dav_server: DavServer, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{dav_server.port}/{DAV_READONLY_SHARE}"
    sync = dav_server.readonly_root / sync_folder_name(PROJECT) / "replicas"
    sync.mkdir(parents=True, exist_ok=True)
    (sync / f"{DEVICE}.ldpm").write_bytes(b"old")
    target = WebDAVTarget(url, DAV_USER, DAV_PASSWORD, PROJECT)
    (existing,) = target.list_entries()
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"new")
    with pytest.raises(TargetReadOnly) as info:
        target.publish(source, replica_name(DEVICE), existing.fingerprint)
    assert "write access" in str(info.value)
    assert target.list_entries() == [existing]
    assert (sync / f"{DEVICE}.ldpm").read_bytes() == b"old"


def test_the_server_enforces_compare_and_swap(
    space: tuple[WebDAVTarget, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the file changes between LDPM's last check and the MOVE, the server refuses the
    MOVE (the ``If`` header with the expected ETag) and nothing changes."""
    target, sync = space
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"first")
    first = target.publish(source, replica_name(DEVICE), None)
    remote_file = sync / "replicas" / f"{DEVICE}.ldpm"
    remote_file.write_bytes(b"changed on the server meanwhile")
    real_stat = WebDAVTarget._stat

    def stale_stat(self: WebDAVTarget, conn: http.client.HTTPConnection, name: str) -> Entry:
        return first  # the client's own checks see the old state: only the server can tell

    monkeypatch.setattr(WebDAVTarget, "_stat", stale_stat)
    source.write_bytes(b"second")
    with pytest.raises(Changed):
        target.publish(source, replica_name(DEVICE), first.fingerprint)
    monkeypatch.setattr(WebDAVTarget, "_stat", real_stat)
    assert remote_file.read_bytes() == b"changed on the server meanwhile"
    assert not temp_files(sync)


def test_a_file_changing_during_get_is_changed(
    space: tuple[WebDAVTarget, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, sync = space
    remote_file = sync / "replicas" / "a.ldpm"
    remote_file.parent.mkdir(parents=True)
    remote_file.write_bytes(b"version one")
    (entry,) = target.list_entries()
    real_send = WebDAVTarget._send

    def send(
        self: WebDAVTarget, conn: http.client.HTTPConnection, method: str, *a: Any, **k: Any
    ) -> http.client.HTTPResponse:
        response = real_send(self, conn, method, *a, **k)
        if method == "GET":
            remote_file.write_bytes(b"version two, longer")  # written after the GET started
        return response

    monkeypatch.setattr(WebDAVTarget, "_send", send)
    with pytest.raises(Changed):
        target.fetch(entry, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_names_are_percent_encoded(space: tuple[WebDAVTarget, Path], tmp_path: Path) -> None:
    target, sync = space
    odd = [
        f"replicas/{DEVICE} (Maya's conflicted copy 2026-11-22).ldpm",
        "replicas/ümlaut #1 100%?.ldpm",
        "Sub folder/a&b+c.ldpm",
    ]
    for i, name in enumerate(odd):
        path = sync.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"file {i}".encode())
    entries = {e.name: e for e in target.list_entries()}
    assert sorted(entries) == sorted(odd)
    for i, name in enumerate(odd):
        target.fetch(entries[name], tmp_path / "dest")
        assert (tmp_path / "dest").read_bytes() == f"file {i}".encode()


def test_collections_are_created_on_first_publish(
    space: tuple[WebDAVTarget, Path], tmp_path: Path
) -> None:
    target, sync = space
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x" * 10_000)
    entry = target.publish(source, replica_name(DEVICE), None)
    assert (sync / "replicas" / f"{DEVICE}.ldpm").read_bytes() == source.read_bytes()
    assert entry.fingerprint.startswith('"')  # the server's ETag
    target.write_text("presence/ab12cd34ef56ab78.json", '{"user": "Maya"}')
    assert (sync / "presence" / f"{DEVICE}.json").read_text(encoding="utf-8") == (
        '{"user": "Maya"}'
    )


# ------------------------------------------------------- status codes from a stub server


class _Stub(BaseHTTPRequestHandler):
    """Answers each method with the status in ``answers`` (PROPFIND: 404, nothing there)."""

    answers: dict[str, int]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"error"
        self.send_response(self.answers.get(self.command, 404))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_MOVE = do_DELETE = do_MKCOL = do_PROPFIND = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[tuple[dict[str, int], str]]:
    answers: dict[str, int] = {}
    handler = type("Handler", (_Stub,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield answers, f"http://127.0.0.1:{server.server_address[1]}/dav"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("answers", "error", "phrase"),
    [
        ({"PUT": 401}, TargetAuthFailed, "refused the user name or password"),
        ({"PUT": 403}, TargetReadOnly, "write access"),
        ({"PUT": 507}, TargetFull, "no space left"),
        ({"PUT": 201, "MOVE": 507}, TargetFull, "no space left"),
        ({"PUT": 201, "MOVE": 423}, TargetBusy, "locked"),
        ({"PUT": 201, "MOVE": 412}, Changed, "changed"),
        ({"PUT": 500}, TargetError, "500"),
        ({"PUT": 302}, TargetUnreachable, "moved"),
    ],
)
def test_status_codes_become_sentences(
    stub: tuple[dict[str, int], str],
    tmp_path: Path,
    answers: dict[str, int],
    error: type[TargetError],
    phrase: str,
) -> None:
    stub[0].update(answers)
    target = WebDAVTarget(stub[1], "u", "p", "P", timeout=5)
    source = tmp_path / "mine.ldpm"
    source.write_bytes(b"x")
    with pytest.raises(error) as info:
        target.publish(source, replica_name(DEVICE), None)
    assert type(info.value) is error
    assert phrase in str(info.value) and str(info.value).endswith(".")
