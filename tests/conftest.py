"""Shared fixtures.

Every test gets its own LDPM home (data and settings) and a fixed device id, so tests never
touch the real user's files and stamps are reproducible.  Tests that use Qt (``qtbot``,
``qapp``) are marked ``gui`` automatically, so ``pytest -m "not gui"`` runs the Qt-free tier.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

if TYPE_CHECKING:
    from ldpm.services.project import Project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEVICE = "ab12cd34ef56ab78"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "window" in fixtures:
            item.add_marker(pytest.mark.gui)


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in ``passwords`` for the test that set it."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def ldpm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "ldpm-home"
    monkeypatch.setenv("LDPM_HOME", str(home))
    monkeypatch.setenv("LDPM_DEVICE_ID", DEVICE)
    return home


@pytest.fixture
def work(tmp_path: Path) -> dict[str, Path]:
    """Folders for persistence-level tests: working copies, backups, documents."""
    folders = {name: tmp_path / name for name in ("work", "backups", "docs")}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    return folders


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A real demo project file on disk."""
    from ldpm.persistence.document import create_file
    from ldpm.services.demo import populate_demo

    path = tmp_path / "docs" / "Demo.ldpm"
    path.parent.mkdir(exist_ok=True)
    create_file(
        path, root=tmp_path / "scratch", device=DEVICE, name="Demo", populate=populate_demo
    )
    return path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An open, empty project (services level)."""
    from ldpm.services.project import Project

    p = Project.create(
        tmp_path / "docs" / "Test.ldpm"
        if (tmp_path / "docs").is_dir()
        else tmp_path / "Test.ldpm",
        name="Test",
    )
    yield p
    if not p.document.closed:
        p.close(discard_unsaved=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Delete what the test scheduled for deletion (pytest-qt closes a test's widgets with
    deleteLater, and nothing returns to a top-level event loop to delete them): otherwise
    every window of every test stays alive, and each theme change repolishes all of them."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if item.get_closest_marker("gui") is not None:
            # And collect the test's cycles now, while nothing paints: left to a later test,
            # the collector may run inside a paint and free a wrapper the scene still draws.
            gc.collect()
