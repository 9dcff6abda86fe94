"""Sync, as the application uses it: settings, running a sync, Undo Last Sync.

Sync settings are per project and per computer (a shared folder has a different path on each
computer), kept in LDPM's configuration folder as ``sync/<project uuid>.json``.  They never
hold a password: that goes to the system keyring (:mod:`ldpm.sync.credentials`).  A WebDAV
address starting with ``http://`` is refused unless the user allowed plain http for that very
host (``plain_http_host``), since the password and the project would travel unencrypted;
addresses on this computer are exempt.

What a sync has merged is remembered inside the working copy itself (see
:mod:`ldpm.sync.engine`), so it travels with the data; the sync folder is found by the
project's marker whatever it is called, and the name it was found under is remembered in the
settings (``sync_folder``) to find it at once next time.

:func:`run_sync` does the slow part and may run on a worker thread; :func:`finish_sync` then
records the result in the project on the thread that owns it — also after a failure, when the
exception carries the partial report (:func:`partial_report`): whatever was merged is never
left unrecorded.  :func:`undo_last_sync` reverts a sync's merges as new edits (see
:mod:`ldpm.sync.undo`).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ldpm import __version__, paths
from ldpm.atomic import atomic_write
from ldpm.domain.entities import Conflict, Device
from ldpm.identity import person_name
from ldpm.services.changes import ChangeRecord
from ldpm.services.jobs import Job, JobDone, Progress
from ldpm.services.project import Project
from ldpm.services.review import decode_value, device_names, list_conflicts, resolve_conflict
from ldpm.sync import undo
from ldpm.sync.credentials import CredentialStore
from ldpm.sync.engine import STATE_KEY, SyncCancelled, SyncReport, partial_report, sync_once
from ldpm.sync.presence import Presence, withdraw_presence
from ldpm.sync.targets import (
    FolderTarget,
    PlainHttpRefused,
    SyncTarget,
    TargetError,
    WebDAVTarget,
    is_loopback,
    sync_folder_name,
)
from ldpm.sync.undo import UndoImpossible

__all__ = [
    "Presence",
    "SyncCancelled",
    "SyncError",
    "SyncJob",
    "SyncReport",
    "SyncSettings",
    "TargetError",
    "UndoImpossible",
    "UndoneSync",
    "credentials",
    "decode_value",
    "device_names",
    "failure_summary",
    "finish_sync",
    "leave",
    "list_conflicts",
    "load_settings",
    "make_target",
    "needs_plain_http_consent",
    "partial_report",
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

    @property
    def sentence(self) -> str:
        return str(self)


@dataclass
class SyncSettings:
    kind: str = ""  # "folder", "webdav" or "" (not set up)
    folder: str = ""
    url: str = ""
    user: str = ""
    #: The host the user allowed to be reached over plain http (password and project travel
    #: unencrypted); "" allows none.
    plain_http_host: str = ""
    #: The sync folder's name under the folder or address, as last found (a hint).
    sync_folder: str = ""

    @property
    def configured(self) -> bool:
        return (self.kind == "folder" and bool(self.folder)) or (
            self.kind == "webdav" and bool(self.url) and bool(self.user)
        )


def _settings_path(project_uuid: str) -> Path:
    return paths.config_dir() / "sync" / f"{project_uuid}.json"


def rejected_dir(project_uuid: str) -> Path:
    """Where copies that could not be merged are kept for inspection: in LDPM's data folder,
    so they outlive the session (the working folder is removed on close)."""
    return paths.data_dir() / "rejected" / project_uuid


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
    atomic_write(path, json.dumps(asdict(settings), indent=1))
    if settings.kind == "webdav" and password is not None:
        return credentials.set(settings.url, settings.user, password)
    return True


def needs_plain_http_consent(url: str) -> str:
    """The host of an ``http://`` address that is not on this computer (the password and the
    project would travel unencrypted), or "" if the address needs no consent."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme.lower() != "http" or not host or is_loopback(host):
        return ""
    return host


def _plain_http_allowed(settings: SyncSettings) -> bool:
    host = needs_plain_http_consent(settings.url)
    return bool(host) and host.lower() == settings.plain_http_host.strip().lower()


def make_target(
    settings: SyncSettings,
    project: Project,
    password: str | None = None,
    *,
    timeout: float = 20,
) -> SyncTarget:
    """The target ``settings`` describe for ``project``: its sync folder is found by the
    project's marker (see :mod:`ldpm.sync.target_base`), or created under the workspace's
    name.  Raises :class:`SyncError` with a sentence."""
    doc = project.document
    look_first = [settings.sync_folder, sync_folder_name(project.path.stem)]
    name = project.workspace().name
    if settings.kind == "folder" and settings.folder:
        return FolderTarget(
            Path(settings.folder),
            name,
            project_uuid=doc.project_uuid,
            look_first=look_first,
        )
    if settings.kind == "webdav" and settings.url and settings.user:
        host = needs_plain_http_consent(settings.url)
        allowed = _plain_http_allowed(settings)
        if host and not allowed:
            raise SyncError(
                f"LDPM did not connect to {host} because the address starts with http://: your "
                "password and the project would travel unencrypted. Use an https:// address, "
                "or allow plain http for this server in File ▸ Sync Settings…"
            )
        secret = password if password is not None else credentials.get(settings.url, settings.user)
        if secret is None:
            raise SyncError(
                f"LDPM needs the password for {settings.user} on {settings.url}. Enter it in "
                "File ▸ Sync Settings…"
            )
        try:
            return WebDAVTarget(
                settings.url,
                settings.user,
                secret,
                name,
                project_uuid=doc.project_uuid,
                look_first=look_first,
                allow_plain_http=allowed,
                timeout=timeout,
            )
        except PlainHttpRefused:  # pragma: no cover - checked above
            raise SyncError("LDPM does not send your password unencrypted.") from None
        except ValueError:
            raise SyncError(
                f"“{settings.url}” is not a web address LDPM can use for WebDAV; it should "
                "start with https://."
            ) from None
    raise SyncError("Choose a shared folder or a WebDAV server in File ▸ Sync Settings… first.")


def watch_paths(project: Project) -> list[Path]:
    """Local folders whose changes mean there may be something new to merge (shared-folder
    sync only; a WebDAV server is polled).  Only folders that exist are returned: the sync
    folder as the last sync found it, nothing before the first sync."""
    settings = load_settings(project)
    if settings.kind != "folder" or not settings.folder or not settings.sync_folder:
        return []
    if "/" in settings.sync_folder or "\\" in settings.sync_folder:
        return []
    folder = Path(settings.folder) / settings.sync_folder
    return [p for p in (folder, folder / "replicas") if p.is_dir()]


def run_sync(
    project: Project,
    target: SyncTarget,
    *,
    progress: Callable[[str], None] = lambda _s: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """The slow part of a sync; safe on a worker thread (it uses its own connections).
    Raises :class:`TargetError` with a sentence for the user (or :class:`SyncCancelled`);
    the exception carries what was merged before it (:func:`partial_report`), which must be
    passed to :func:`finish_sync` all the same."""
    doc = project.document
    registered = _register_device(project)
    try:
        report = sync_once(
            working_db=doc.working_path,
            project_uuid=doc.project_uuid,
            device=doc.clock.device,
            target=target,
            work_dir=doc.folder / "sync",
            rejected_dir=rejected_dir(doc.project_uuid),
            backup=doc.backup,
            user=person_name(),
            app_version=__version__,
            progress=progress,
            cancelled=cancelled,
        )
    except Exception as exc:
        partial = partial_report(exc)
        if partial is not None:
            partial.local_changes = registered
        raise
    report.local_changes = registered
    return report


class SyncJob(Job):
    """One sync of ``project`` with ``target`` as a background job.  ``auto``: started by a
    save, the timer or the folder watcher, not by the user.  The report (or, after a failure,
    what was merged before it) is kept on the job for the window to show."""

    def __init__(self, project: Project, target: SyncTarget, *, auto: bool = False) -> None:
        self.project = project
        self.target = target
        self.auto = auto
        self.title = "Syncing…"
        #: The finished sync's report; after a failure, the partial report (or None).
        self.report: SyncReport | None = None
        self.failed = False

    def run(self, progress: Progress) -> SyncReport:
        return run_sync(
            self.project,
            self.target,
            progress=lambda step: progress.note(0, 0, step),
            cancelled=lambda: progress.cancelled,
        )

    def finish(self, result: Any) -> JobDone:
        assert isinstance(result, SyncReport)
        self.report = result
        return JobDone(record=finish_sync(self.project, result))

    def abandon(self, error: BaseException) -> JobDone | None:
        self.failed = True
        self.report = partial_report(error)
        if self.report is None or self.project.document.closed:
            return None
        # The merges are in the working copy all the same: record them (scenario 23).
        return JobDone(record=finish_sync(self.project, self.report))


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
                user=person_name(),
                host=socket.gethostname(),
                app_version=__version__,
            )
        )
    return True


def finish_sync(project: Project, report: SyncReport) -> ChangeRecord:
    """On the project's thread: take the merged changes into account (clock, unsaved) — after
    a successful sync, and after a failed one with its :func:`partial_report`."""
    if report.result.max_stamp:
        project.document.clock.observe(report.result.max_stamp)
    _remember_folder(project, report.folder_name)
    if report.result.changed or report.local_changes:
        with project.unit() as tx:
            tx.stamped = True  # the merge wrote: the file must be saved
        return ChangeRecord.all()
    return ChangeRecord()


def _remember_folder(project: Project, name: str) -> None:
    settings = load_settings(project)
    if not name or not settings.configured or settings.sync_folder == name:
        return
    settings.sync_folder = name
    with contextlib.suppress(OSError):  # only a hint for next time
        save_settings(project, settings)


def failure_summary(report: SyncReport | None, sentence: str, pending: int = 0) -> str:
    """The one account of a sync that failed: what it merged before failing, then why."""
    if report is None or not (report.merged or report.rejected):
        return sentence
    merged = report.summary(pending).replace("Up to date: nothing new from other computers.", "")
    merged = merged.replace("Published this computer's changes.", "").strip()
    return f"{merged} {sentence}".strip()


def pending_reviews(project: Project) -> int:
    with project.read() as tx:
        return tx.count(Conflict, where={"resolved": False})


def leave(target: SyncTarget, device: str) -> bool:
    """This device closed the project: remove its presence note.  Best effort, safe on a
    worker thread (it does not touch the project); returns False if it could not."""
    return withdraw_presence(target, device)


# ------------------------------------------------------------------- undo last sync


@dataclass(frozen=True)
class UndoneSync:
    record: ChangeRecord
    #: Changes reverted; each is now a change to review.
    reverted: int
    #: The backup of the working copy taken just before undoing.
    backup: Path | None


def undo_last_sync(project: Project, report: SyncReport) -> UndoneSync:
    """Revert what ``report``'s merges changed, as new edits of this computer (see
    :mod:`ldpm.sync.undo`): edits made here since (or while it ran) stay, the reverted changes
    become changes to review, and they do not come back with the next sync.  The working copy
    is backed up first.  Raises :class:`UndoImpossible` (a sentence; nothing changed) if the
    sync's backup is missing or unusable."""
    doc = project.document
    source = undo.check_backup(report.backup, doc.project_uuid)
    plan = undo.plan_undo(doc.working_path, source, doc.clock.device)
    if not plan:
        return UndoneSync(ChangeRecord(), 0, None)
    try:
        saved = doc.backup("before-undo-sync")
    except (OSError, sqlite3.Error) as exc:
        raise UndoImpossible(
            "LDPM could not back up the project before undoing the last sync, so it did not "
            "undo it; nothing was changed. Check that the disk has free space."
        ) from exc
    with project.unit() as tx:
        done = undo.apply_undo(tx, plan)
    return UndoneSync(ChangeRecord.all() if done else ChangeRecord(), done, saved)


def clear_sync_state(project: Project) -> None:
    """Forget what was merged from where: the next sync examines every file again."""
    shutil.rmtree(project.document.folder / "sync", ignore_errors=True)
    con = sqlite3.connect(project.document.working_path, timeout=30)
    try:
        with con:
            con.execute("DELETE FROM meta WHERE key=?", (STATE_KEY,))
    finally:
        con.close()
