"""Several computers in one test process, each with its own LDPM home, device id and person
name, working on copies of one project through the real services (open, edit, sync, save)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative
from ldpm.services import initiatives
from ldpm.services import sync as sync_svc
from ldpm.services.commands import execute
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from tests.sync.devices import dump_rows

LAPTOP, CLIENT = "a1a1a1a1a1a1a1a1", "c2c2c2c2c2c2c2c2"
NAMES = {LAPTOP: "Maya Keller", CLIENT: "Dana Ortiz"}


class Computers:
    """``files[device]`` is that computer's copy of the project (a demo workspace named
    "Northwind", in a file named "Northwind.ldpm")."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        original = tmp / "original" / "Northwind.ldpm"
        original.parent.mkdir()
        with self.on(LAPTOP):
            Project.create_file(original, name="Northwind", populate=populate_demo)
        self.original = original
        self.files: dict[str, Path] = {}
        for device in (LAPTOP, CLIENT):
            self.files[device] = self.copy(device, tmp / device / "Northwind.ldpm")
        self.shared = tmp / "OneDrive" / "Clients"
        self.shared.mkdir(parents=True)

    def copy(self, device: str, where: Path) -> Path:
        where.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.original, where)
        self.files.setdefault(device, where)
        return where

    def home(self, device: str) -> Path:
        return self.tmp / f"home-{device}"

    @contextmanager
    def on(self, device: str) -> Iterator[None]:
        with self.monkeypatch.context() as m:
            m.setenv("LDPM_HOME", str(self.home(device)))
            m.setenv("LDPM_DEVICE_ID", device)
            m.setenv("LDPM_USER_NAME", NAMES.get(device, device))
            yield

    @contextmanager
    def project(self, device: str, path: Path | None = None) -> Iterator[Project]:
        """Open the computer's copy; save it afterwards if it changed."""
        with self.on(device):
            project = Project.open(path or self.files[device])
            try:
                yield project
                if project.unsaved:
                    project.save()
            finally:
                project.close(discard_unsaved=True)

    def folder_settings(self, root: Path | None = None) -> sync_svc.SyncSettings:
        return sync_svc.SyncSettings(kind="folder", folder=str(root or self.shared))

    def sync(
        self, project: Project, settings: sync_svc.SyncSettings | None = None
    ) -> sync_svc.SyncReport:
        """One sync through the services, recorded as the window does."""
        target = sync_svc.make_target(settings or self.folder_settings(), project)
        report = sync_svc.run_sync(project, target)
        sync_svc.finish_sync(project, report)
        return report

    def dump(self, path: Path) -> dict[str, list[tuple[object, ...]]]:
        return dump_rows(path)


def main_initiative(project: Project) -> Initiative:
    return initiatives.list_initiatives(project)[0]


def edit(project: Project, initiative_id: str, **changes: object) -> None:
    execute(project, initiatives.edit_initiative(project, initiative_id, dict(changes)))
