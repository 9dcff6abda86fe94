"""Sync, as the application uses it: settings, running a sync, conflicts to review.

Sync settings are per project and per computer (a shared folder has a different path on each
computer), kept in LDPM's configuration folder as ``sync/<project uuid>.json``.  They never
hold a password: that goes to the system keyring (:mod:`ldpm.sync.credentials`).

:func:`run_sync` does the slow part and may run on a worker thread; :func:`finish_sync` then
records the result in the project on the thread that owns it.
"""

from __future__ import annotations

import getpass
import json
import shutil
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ldpm import __version__, paths
from ldpm.domain.entities import Conflict, Device
from ldpm.persistence.schema import ENTITY_BY_TABLE, SPECS
from ldpm.persistence.store import decode_value as store_decode
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command, Composite, DeleteEntity, EditFields
from ldpm.services.project import Project
from ldpm.sync.credentials import CredentialStore
from ldpm.sync.engine import SyncCancelled, SyncReport, SyncState, sync_once
from ldpm.sync.presence import Presence
from ldpm.sync.targets import FolderTarget, SyncTarget, TargetError, WebDAVTarget

__all__ = [
    "Presence",
    "SyncCancelled",
    "SyncError",
    "SyncReport",
    "SyncSettings",
    "TargetError",
    "credentials",
    "finish_sync",
    "list_conflicts",
    "load_settings",
    "make_target",
    "resolve_conflict",
    "run_sync",
    "save_settings",
    "undo_last_sync",
    "watch_paths",
]

#: One store per run: without a keyring, passwords given this run are remembered in it.
credentials = CredentialStore()


class SyncError(Exception):
    """Sync cannot start (no settings, no password).  ``str()`` is a sentence for the user."""


@dataclass
class SyncSettings:
    kind: str = ""  # "folder", "webdav" or "" (not set up)
    folder: str = ""
    url: str = ""
    user: str = ""

    @property
    def configured(self) -> bool:
        return (self.kind == "folder" and bool(self.folder)) or (
            self.kind == "webdav" and bool(self.url) and bool(self.user)
        )


def _settings_path(project_uuid: str) -> Path:
    return paths.config_dir() / "sync" / f"{project_uuid}.json"


def _state_path(project_uuid: str) -> Path:
    return paths.data_dir() / "sync" / f"{project_uuid}.state.json"


def load_settings(project: Project) -> SyncSettings:
    try:
        data = json.loads(_settings_path(project.document.project_uuid).read_text("utf-8"))
        return SyncSettings(
            **{k: str(v) for k, v in data.items() if k in SyncSettings.__annotations__}
        )
    except (OSError, ValueError, TypeError):
        return SyncSettings()


def save_settings(project: Project, settings: SyncSettings, password: str | None = None) -> bool:
    """Store the settings (and the password, in the keyring).  Returns False if the password
    could only be kept for this run (``credentials.notice`` then says why)."""
    path = _settings_path(project.document.project_uuid)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=1), encoding="utf-8")
    tmp.replace(path)
    if settings.kind == "webdav" and password is not None:
        return credentials.set(settings.url, settings.user, password)
    return True


def make_target(
    settings: SyncSettings, project_name: str, password: str | None = None
) -> SyncTarget:
    if settings.kind == "folder" and settings.folder:
        return FolderTarget(Path(settings.folder), project_name)
    if settings.kind == "webdav" and settings.url and settings.user:
        secret = password if password is not None else credentials.get(settings.url, settings.user)
        if secret is None:
            raise SyncError(
                f"LDPM needs the password for {settings.user} on {settings.url}. Enter it in "
                "File ▸ Sync Settings…"
            )
        try:
            return WebDAVTarget(settings.url, settings.user, secret, project_name)
        except ValueError:
            raise SyncError(
                f"“{settings.url}” is not a web address LDPM can use for WebDAV; it should "
                "start with https:// or http://."
            ) from None
    raise SyncError("Choose a shared folder or a WebDAV server in File ▸ Sync Settings… first.")


def watch_paths(project: Project) -> list[Path]:
    """Local folders whose changes mean there may be something new to merge (shared-folder
    sync only; a WebDAV server is polled).  Only folders that exist are returned."""
    settings = load_settings(project)
    if settings.kind != "folder" or not settings.folder:
        return []
    folder = FolderTarget(Path(settings.folder), project.path.stem).folder
    return [p for p in (folder, folder / "replicas") if p.is_dir()]


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "someone"


def run_sync(
    project: Project,
    target: SyncTarget,
    *,
    progress: Callable[[str], None] = lambda _s: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """The slow part of a sync; safe on a worker thread (it uses its own connections).
    Raises :class:`TargetError` with a sentence for the user."""
    doc = project.document
    state_path = _state_path(doc.project_uuid)
    state = SyncState.load(state_path)
    registered = _register_device(project)
    report = sync_once(
        working_db=doc.working_path,
        project_uuid=doc.project_uuid,
        device=doc.clock.device,
        target=target,
        state=state,
        work_dir=doc.folder / "sync",
        backup=doc.backup,
        user=_user(),
        host=socket.gethostname(),
        app_version=__version__,
        progress=progress,
        cancelled=cancelled,
    )
    state.save(state_path)
    report.local_changes = registered
    return report


def _register_device(project: Project) -> bool:
    """Make sure this computer is named in the project, for "who changed what".  Returns
    True if it had to be added (the project then has a change to save)."""
    doc = project.document
    with doc.store.transaction() as tx:
        if tx.get(Device, doc.clock.device, include_deleted=True) is not None:
            return False
        tx.insert(
            Device(
                id=doc.clock.device,
                user=_user(),
                host=socket.gethostname(),
                app_version=__version__,
            )
        )
    return True


def finish_sync(project: Project, report: SyncReport) -> ChangeRecord:
    """On the project's thread: take the merged changes into account (clock, unsaved)."""
    if report.result.max_stamp:
        project.document.clock.observe(report.result.max_stamp)
    if report.result.changed or report.local_changes:
        with project.unit() as tx:
            tx.stamped = True  # the merge wrote: the file must be saved
        return ChangeRecord.all()
    return ChangeRecord()


def undo_last_sync(project: Project, report: SyncReport) -> ChangeRecord:
    """Put the working copy back as it was before ``report``'s merges.  Edits made since are
    undone too, so the UI only offers this right after a sync."""
    if report.backup is None:
        return ChangeRecord()
    project.document.restore_working_copy(report.backup)
    with project.unit() as tx:
        tx.stamped = True
    return ChangeRecord.all()


# ---------------------------------------------------------------------- conflicts


def list_conflicts(project: Project, *, include_resolved: bool = False) -> list[Conflict]:
    with project.read() as tx:
        items = tx.list(Conflict, order_by=("kept_stamp", "id"))
    return items if include_resolved else [c for c in items if not c.resolved]


def device_names(project: Project) -> dict[str, str]:
    """Device id → "user on host", for saying who made a change."""
    with project.read() as tx:
        return {d.id: f"{d.user} on {d.host}" for d in tx.list(Device, order_by=("id",))}


def decode_value(conflict: Conflict, which: str) -> Any:
    """The kept (``which="kept"``) or other value of a conflict, as the domain sees it."""
    raw = json.loads(conflict.kept_value if which == "kept" else conflict.other_value)
    kind = ENTITY_BY_TABLE.get(conflict.entity)
    if kind is None or conflict.field not in {s.name for s in SPECS[kind]}:
        return raw
    return store_decode(kind, conflict.field, raw)


def resolve_conflict(conflict: Conflict, *, use_other: bool) -> Command:
    """ "Keep this" (the value that won) or "use the other"; either way the conflict is marked
    resolved.  A synced, undoable edit."""
    parts: list[Command] = [
        EditFields(Conflict, conflict.id, {"resolved": True}, text="Resolve change")
    ]
    kind = ENTITY_BY_TABLE.get(conflict.entity)
    if use_other and kind is not None:
        value = decode_value(conflict, "other")
        if conflict.field == "deleted":
            parts.insert(0, DeleteEntity(kind, conflict.row_id))
        else:
            parts.insert(0, EditFields(kind, conflict.row_id, {conflict.field: value}))
    return Composite(parts, text="Use the other value" if use_other else "Keep this value")


def clear_sync_state(project: Project) -> None:
    shutil.rmtree(project.document.folder / "sync", ignore_errors=True)
    _state_path(project.document.project_uuid).unlink(missing_ok=True)
