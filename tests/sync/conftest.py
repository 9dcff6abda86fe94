"""Fixtures for sync: two simulated devices on one demo project, and for sync targets a real
WebDAV server (wsgidav on cheroot) on 127.0.0.1 with basic auth and valid replica files."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ldpm.sync.targets import FolderTarget, SyncTarget, WebDAVTarget, sync_folder_name
from tests.sync.devices import A, B, Clock, SimDevice, make_base

DAV_USER = "maya"
DAV_PASSWORD = "s3cret pass"
DAV_SHARE = "dav"
DAV_READONLY_SHARE = "ro"
PROJECT = "Plan ’26"  # a typographic apostrophe and a space: names must survive encoding


@dataclass(frozen=True)
class DavServer:
    root: Path  # the folder the server serves read-write at /dav
    readonly_root: Path  # served read-only at /ro
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{DAV_SHARE}"

    def new_space(self) -> tuple[str, Path]:
        """A fresh, empty folder on the server: (its URL, its path on disk)."""
        name = f"space {uuid.uuid4().hex[:8]}"  # a space, to exercise percent-encoding
        folder = self.root / name
        folder.mkdir()
        return f"{self.base_url}/{name.replace(' ', '%20')}", folder


@pytest.fixture(scope="session")
def dav_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    root = tmp_path_factory.mktemp("webdav")
    readonly_root = tmp_path_factory.mktemp("webdav-ro")
    config = {
        "host": "127.0.0.1",
        "port": 0,
        "provider_mapping": {
            f"/{DAV_SHARE}": str(root),
            f"/{DAV_READONLY_SHARE}": {"root": str(readonly_root), "readonly": True},
        },
        "http_authenticator": {
            "domain_controller": None,  # wsgidav's SimpleDomainController
            "accept_basic": True,
            "accept_digest": False,
            "default_to_digest": False,
        },
        "simple_dc": {"user_mapping": {"*": {DAV_USER: {"password": DAV_PASSWORD}}}},
        "verbose": 0,
        "logging": {"enable": False},
        "dir_browser": {"enable": False},
        "lock_storage": True,
        "property_manager": None,
    }
    app = WsgiDAVApp(config)
    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=4)
    server.prepare()
    port = int(server.bind_addr[1])
    thread = threading.Thread(target=server.serve, name="wsgidav", daemon=True)
    thread.start()
    try:
        yield DavServer(root, readonly_root, port)
    finally:
        server.stop()
        thread.join(timeout=10)


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Remote:
    """A target under test and the sync folder behind it on disk (where the tests play the
    other devices and the sync clients)."""

    kind: str
    target: SyncTarget
    sync_folder: Path


@pytest.fixture(params=["folder", "webdav"])
def remote(request: pytest.FixtureRequest, tmp_path: Path) -> Remote:
    if request.param == "folder":
        root = tmp_path / "shared"
        root.mkdir()
        target: SyncTarget = FolderTarget(root, PROJECT)
    else:
        server: DavServer = request.getfixturevalue("dav_server")
        url, root = server.new_space()
        target = WebDAVTarget(url, DAV_USER, DAV_PASSWORD, PROJECT, timeout=10)
    return Remote(request.param, target, root / sync_folder_name(PROJECT))


# ------------------------------------------------------------------- simulated devices


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo project, as every device first received it (once per test module)."""
    return make_base(tmp_path_factory.mktemp("base"))


@pytest.fixture
def pair(tmp_path: Path, base: Path) -> Iterator[tuple[SimDevice, SimDevice]]:
    """Devices A and B, each with its own working copy of ``base``, on one wall clock."""
    clock = Clock()
    a = SimDevice(tmp_path / "a", A, base, clock)
    b = SimDevice(tmp_path / "b", B, base, clock)
    yield a, b
    a.close()
    b.close()
