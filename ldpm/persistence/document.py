"""A project document: the user's ``.ldpm`` file and its local working copy.

The user's file may sit on a USB stick, a network share or a cloud folder, so it is never
opened live.  :meth:`Document.open` copies it into a private *working folder* under the data
directory, validates the copy (the original is never touched), and every edit commits to that
working copy at once.  :meth:`Document.save` writes the file back atomically:

1. ``VACUUM INTO`` a temporary file in the target folder (a consistent snapshot, already in
   rollback-journal mode);
2. stamp ``meta`` (writer version, device, time) and seal it (see :mod:`fileformat`);
3. fsync it, ``os.replace`` it over the target, fsync the folder.

At every instant the target is the whole old file or the whole new one.

A working folder holds ``project.db`` (the working copy, WAL mode), ``session.json`` (which
document it belongs to and whether it has unsaved changes) and ``lock`` (see :mod:`lock`).  Its
name is derived from the document's path, so a second LDPM opening the same file finds the lock.
If LDPM dies with unsaved changes, the folder stays behind: :func:`find_recoverable` lists such
folders and ``Document.open(..., restore=True)`` continues from them.  Nothing is thrown away
without a backup (:mod:`backups`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ldpm import __version__
from ldpm.domain.entities import Workspace
from ldpm.persistence import backups
from ldpm.persistence.database import init_database, migrate, utc_now
from ldpm.persistence.fileformat import (
    CHECKSUM_KEY,
    MIN_READER_VERSION,
    SCHEMA_VERSION,
    FileInfo,
    FileProblem,
    display_name,
    fsync_dir,
    inspect_file,
    new_placeholder,
    read_meta,
    seal_file,
)
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.lock import ProjectLock
from ldpm.persistence.store import Store, Tx

WORKING_DB = "project.db"
SESSION_FILE = "session.json"
LOCK_FILE = "lock"


class SaveFailed(FileProblem):
    code = "save_failed"


class ReadOnlyTarget(SaveFailed):
    code = "read_only"


class DiskFull(SaveFailed):
    code = "disk_full"


@dataclass(frozen=True, slots=True)
class Recoverable:
    """Unsaved work left behind by an LDPM that did not close properly."""

    folder: Path
    document: Path
    project_name: str
    last_change: datetime


def working_key(path: Path) -> str:
    normal = os.path.normcase(os.path.abspath(path))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:24]


# --------------------------------------------------------------------------- atomic write


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _save_error(exc: BaseException, target: Path) -> SaveFailed:
    """Turn an OS or SQLite error during a save into one sentence for the user."""
    name = display_name(target)
    folder = target.parent
    safe = "your work is kept safe in LDPM meanwhile."
    code = getattr(exc, "errno", None)
    message = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "disk is full" in message:
        return DiskFull(
            f"LDPM could not save {name} because the disk is full. Free up some space, or use "
            f"Save As… to save it on another drive; {safe}",
            target,
        )
    if (
        code in (errno.EACCES, errno.EPERM, errno.EROFS)
        or "readonly" in message
        or "read-only" in message
        or ("unable to open" in message and not os.access(folder, os.W_OK))
    ):
        return ReadOnlyTarget(
            f"LDPM could not save {name} because the folder “{folder.name or folder}” is "
            f"read-only. Use Save As… to save it somewhere you can write; {safe}",
            target,
        )
    if code == errno.ENOENT or not folder.is_dir():
        return SaveFailed(
            f"LDPM could not save {name} because its folder is no longer there (was a drive "
            f"disconnected?). Reconnect it, or use Save As…; {safe}",
            target,
        )
    detail = getattr(exc, "strerror", None) or str(exc)
    return SaveFailed(
        f"LDPM could not save {name} ({detail}). Try again, or use Save As… to save it "
        f"elsewhere; {safe}",
        target,
    )


#: Test seam: called with the temporary file after it is fully written, before it replaces
#: the target.  Fault-injection tests raise from here.
_before_replace: Callable[[Path], None] | None = None


_target_locks: dict[str, threading.Lock] = {}
_target_locks_guard = threading.Lock()


def _target_lock(target: Path) -> threading.Lock:
    key = os.path.normcase(os.path.abspath(target))
    with _target_locks_guard:
        return _target_locks.setdefault(key, threading.Lock())


def write_snapshot(source: Path, target: Path, *, device: str) -> str:
    """Atomically write a sealed copy of the working database ``source`` to ``target``.
    Returns the content checksum.  Raises :class:`SaveFailed`; the target is untouched.
    Writes to one target are serialised, so an older snapshot never lands after a newer one
    that started later."""
    with _target_lock(Path(target)):
        return _write_snapshot(source, Path(target), device=device)


def _write_snapshot(source: Path, target: Path, *, device: str) -> str:
    folder = target.parent
    tmp = folder / f".{target.name}.{uuid.uuid4().hex[:10]}.tmp"
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "folder missing", str(folder))
        mode = None
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(target.stat().st_mode)
        if mode is not None and not mode & stat.S_IWUSR:
            raise ReadOnlyTarget(
                f"LDPM could not save {display_name(target)} because the file is read-only. "
                "Use Save As… to save a copy under another name; your work is kept safe in "
                "LDPM meanwhile.",
                target,
            )
        src = sqlite3.connect(source)
        try:
            src.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            src.close()
        placeholder = new_placeholder()
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("format_version", str(SCHEMA_VERSION)),
                        ("min_reader_version", str(MIN_READER_VERSION)),
                        ("app_version", __version__),
                        ("device", device),
                        ("saved_at", utc_now()),
                        (CHECKSUM_KEY, placeholder),
                    ],
                )
        finally:
            con.close()
        checksum = seal_file(tmp, placeholder)
        if mode is not None:
            tmp.chmod(mode)  # keep the file's permissions
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if _before_replace is not None:
            _before_replace(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        _remove_quietly(tmp, tmp.with_name(tmp.name + "-journal"))
        if isinstance(exc, SaveFailed):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise _save_error(exc, target) from exc
        raise
    fsync_dir(folder)
    return checksum


# ----------------------------------------------------------------------------- sessions


def _read_session(folder: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {}


def _write_session(folder: Path, data: dict[str, Any]) -> None:
    tmp = folder / (SESSION_FILE + ".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, folder / SESSION_FILE)


def _workspace_name(db: Path) -> str:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT name FROM workspace WHERE deleted=0 ORDER BY id LIMIT 1"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _last_change(folder: Path) -> datetime:
    times = [
        p.stat().st_mtime
        for p in (folder / WORKING_DB, folder / (WORKING_DB + "-wal"))
        if p.exists()
    ]
    return datetime.fromtimestamp(max(times, default=0), UTC)


def find_recoverable(root: Path) -> list[Recoverable]:
    """Working folders with unsaved changes whose LDPM is gone."""
    found: list[Recoverable] = []
    if not root.is_dir():
        return found
    for candidate in sorted(root.iterdir()):
        folder = candidate
        if not (folder / WORKING_DB).exists():
            continue
        session = _read_session(folder)
        if not session.get("unsaved"):
            continue
        lock = ProjectLock(folder / LOCK_FILE)
        if lock.path.exists() and not lock.is_stale():
            continue  # that LDPM is still running
        document = Path(session.get("document", ""))
        right = root / working_key(document)
        if folder != right and not right.exists():
            # LDPM died during Save As, between moving the folder and recording the new
            # path (or the reverse): file it under the path its session names.
            with contextlib.suppress(OSError):
                os.replace(folder, right)
                folder = right
        found.append(
            Recoverable(
                folder=folder,
                document=document,
                project_name=_workspace_name(folder / WORKING_DB),
                last_change=_last_change(folder),
            )
        )
    return found


def discard_recoverable(item: Recoverable, backup_root: Path) -> Path | None:
    """Put unsaved work the user chose not to restore into the backups, then remove it."""
    saved = backups.backup_database(
        item.folder / WORKING_DB,
        backup_root,
        _project_uuid(item.folder / WORKING_DB),
        "unsaved-work-not-restored",
    )
    shutil.rmtree(item.folder, ignore_errors=True)
    return saved


def _project_uuid(db: Path) -> str:
    return read_meta(db, "project_uuid", "unknown")


def _is_intact(db: Path) -> bool:
    try:
        con = sqlite3.connect(db)
        try:
            return bool(con.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


# ----------------------------------------------------------------------------- document


@dataclass(slots=True)
class SaveJob:
    """One save of a working copy to its document, runnable on a worker thread."""

    source: Path
    target: Path
    device: str
    generation: int
    checksum: str | None = None

    def run(self) -> str:
        """Write the snapshot.  Thread-safe: it reads the working copy through its own SQLite
        connection (a consistent snapshot under WAL).  Raises :class:`SaveFailed`."""
        self.checksum = write_snapshot(self.source, self.target, device=self.device)
        return self.checksum


class Document:
    """An open project: its file, its working copy and its store."""

    def __init__(
        self,
        path: Path,
        folder: Path,
        lock: ProjectLock,
        clock: HybridClock,
        project_uuid: str,
        backup_root: Path,
        *,
        unsaved: bool,
        restored: bool,
    ) -> None:
        self.path = path
        self.folder = folder
        self.lock = lock
        self.clock = clock
        self.project_uuid = project_uuid
        self.backup_root = backup_root
        self.store = Store(folder / WORKING_DB, clock)
        self.unsaved = unsaved
        #: Counts committed edits, so a save that ran alongside edits knows it missed some.
        self.generation = 0
        #: True if this document continued unsaved work left by a crashed LDPM.
        self.restored = restored
        #: A sentence for the user if restoring was asked for but could not be done.
        self.restore_problem = ""
        self.closed = False
        with self.store.transaction() as tx:
            row = tx.conn.exec_driver_sql("SELECT value FROM meta WHERE key='hlc'").first()
        if row is not None:
            clock.observe(str(row[0]))

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        root: Path,
        backup_root: Path,
        device: str,
        restore: bool = False,
    ) -> Document:
        """Open ``path``.  With ``restore``, continue from unsaved work left in its working
        folder by an LDPM that crashed.  Raises :class:`FileProblem` (including
        :class:`~ldpm.persistence.lock.LockHeld`); the file itself is never modified."""
        path = Path(path).absolute()
        folder = root / working_key(path)
        folder.mkdir(parents=True, exist_ok=True)
        lock = ProjectLock(folder / LOCK_FILE)
        lock.acquire(display_name(path))
        try:
            db = folder / WORKING_DB
            session = _read_session(folder)
            leftover = db.exists() and bool(session.get("unsaved"))
            restore_problem = ""
            if restore and leftover and not _is_intact(db):
                restore = False
                restore_problem = (
                    "The unsaved work from last time was damaged and could not be restored; "
                    f"it is kept in LDPM's backups folder, and the saved {display_name(path)} "
                    "was opened instead."
                )
            if restore and leftover:
                project_uuid = _project_uuid(db)
                unsaved, restored = True, True
            else:
                if leftover:
                    backups.backup_database(
                        db, backup_root, _project_uuid(db), "unsaved-work-not-restored"
                    )
                info = cls._copy_in(path, folder)
                project_uuid = info.project_uuid
                unsaved, restored = False, False
            migrate(
                db, lambda reason: backups.backup_database(db, backup_root, project_uuid, reason)
            )
            _write_session(
                folder,
                {
                    "document": str(path),
                    "project_uuid": project_uuid,
                    "opened_at": utc_now(),
                    "unsaved": unsaved,
                },
            )
            clock = HybridClock(device)
            doc = cls(
                path,
                folder,
                lock,
                clock,
                project_uuid,
                backup_root,
                unsaved=unsaved,
                restored=restored,
            )
            doc.restore_problem = restore_problem
            return doc
        except BaseException:
            lock.release()
            if not (folder / WORKING_DB).exists():
                shutil.rmtree(folder, ignore_errors=True)
            raise

    @staticmethod
    def _copy_in(path: Path, folder: Path) -> FileInfo:
        """Copy the document into the working folder, validate the copy, make it the working
        copy.  The previous working copy (if any) is replaced only once the new one is good."""
        incoming = folder / "incoming.tmp"
        _remove_quietly(incoming, incoming.with_name("incoming.tmp-journal"))
        inspect_file(path, header_only=True)  # clear sentences for missing or foreign files
        try:
            shutil.copyfile(path, incoming)
        except OSError as exc:
            _remove_quietly(incoming)
            raise FileProblem(
                f"LDPM could not read {display_name(path)} ({exc.strerror}). Check that the "
                "drive is connected and try again.",
                path,
            ) from exc
        try:
            info = inspect_file(incoming, shown_as=path)
        except FileProblem:
            _remove_quietly(incoming)
            raise
        assert info is not None
        db = folder / WORKING_DB
        _remove_quietly(db, db.with_name(WORKING_DB + "-wal"), db.with_name(WORKING_DB + "-shm"))
        os.replace(incoming, db)
        con = sqlite3.connect(db)
        try:
            con.execute("PRAGMA journal_mode=WAL")
        finally:
            con.close()
        return info

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        root: Path,
        backup_root: Path,
        device: str,
        name: str,
        populate: Callable[[Tx], None] | None = None,
    ) -> Document:
        """Write a new project file at ``path`` and open it."""
        create_file(path, root=root, device=device, name=name, populate=populate)
        return cls.open(path, root=root, backup_root=backup_root, device=device)

    # ------------------------------------------------------------------- state
    @property
    def working_path(self) -> Path:
        return self.folder / WORKING_DB

    def mark_unsaved(self) -> None:
        """Record that the working copy has changes the file does not have."""
        if not self.unsaved:
            self.unsaved = True
            self._update_session()

    def _update_session(self) -> None:
        session = _read_session(self.folder)
        session.update(document=str(self.path), unsaved=self.unsaved)
        _write_session(self.folder, session)

    # ------------------------------------------------------------------- saving
    def save(self, target: Path | None = None) -> str:
        """Write the working copy to the document (or to ``target``: Save As).  Returns the
        checksum.  Raises :class:`SaveFailed`; on failure nothing changes on disk."""
        target = Path(target).absolute() if target is not None else self.path
        if target == self.path:
            job = self.begin_save()
            job.run()
            self.finish_save(job)
            assert job.checksum is not None
            return job.checksum
        self._move_to(target)
        try:
            checksum = write_snapshot(self.working_path, target, device=self.clock.device)
        except BaseException:
            self._move_to(self._previous_path)
            raise
        self.unsaved = False
        self._update_session()
        return checksum

    def note_change(self) -> None:
        """Record a committed edit (called after every unit of work that wrote something)."""
        self.generation += 1
        self.mark_unsaved()

    def begin_save(self) -> SaveJob:
        """A save of the document to its own path whose :meth:`SaveJob.run` may run on any
        thread while edits continue; hand it back to :meth:`finish_save` afterwards."""
        return SaveJob(self.working_path, self.path, self.clock.device, self.generation)

    def finish_save(self, job: SaveJob) -> bool:
        """Record a successful save.  Returns True if the document is now fully saved, False
        if edits were made while the job ran (they still need saving)."""
        if job.checksum is None or job.target != self.path or self.closed:
            return False
        if job.generation != self.generation:
            return False
        self.unsaved = False
        self._update_session()
        return True

    def _move_to(self, target: Path) -> None:
        """Re-key the working folder for a new document path (Save As)."""
        new_folder = self.folder.parent / working_key(target)
        if new_folder == self.folder:
            self._previous_path, self.path = self.path, target
            return
        new_lock = ProjectLock(new_folder / LOCK_FILE)
        if new_folder.exists():
            if new_lock.path.exists() and not new_lock.is_stale():
                raise SaveFailed(
                    f"{display_name(target)} is open in another LDPM window. Close it there, "
                    "or save under another name.",
                    target,
                )
            stale_db = new_folder / WORKING_DB
            if stale_db.exists():
                backups.backup_database(
                    stale_db, self.backup_root, _project_uuid(stale_db), "replaced-working-copy"
                )
            shutil.rmtree(new_folder, ignore_errors=True)
        self.store.dispose()
        self.lock.release()
        os.replace(self.folder, new_folder)
        self.folder = new_folder
        self.lock = new_lock
        self.lock.acquire(display_name(target))
        self.store = Store(new_folder / WORKING_DB, self.clock)
        self._previous_path, self.path = self.path, target
        self._update_session()

    _previous_path: Path

    # ------------------------------------------------------------------ closing
    def backup(self, reason: str) -> Path | None:
        return backups.backup_database(
            self.working_path, self.backup_root, self.project_uuid, reason
        )

    def restore_working_copy(self, backup: Path) -> None:
        """Put the working copy back to a backup of it (e.g. "Undo last sync")."""
        self.store.dispose()
        src = sqlite3.connect(backup)
        try:
            dst = sqlite3.connect(self.working_path)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()

    def close(self, *, discard_unsaved: bool = False) -> None:
        """Close the document.  Unsaved changes must have been saved, or explicitly
        discarded (they then go to the backups, never just away)."""
        if self.closed:
            return
        if self.unsaved and not discard_unsaved:
            raise RuntimeError("close() with unsaved changes: save first or discard")
        self.store.dispose()
        if self.unsaved:
            self.backup("unsaved-work-discarded")
        self.lock.release()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.closed = True


def create_file(
    path: Path,
    *,
    root: Path,
    device: str,
    name: str,
    populate: Callable[[Tx], None] | None = None,
) -> str:
    """Write a new, sealed project file at ``path`` without opening it.  Returns its
    project UUID.  Raises :class:`SaveFailed` (the target is then untouched)."""
    path = Path(path).absolute()
    scratch = root / f"new-{uuid.uuid4().hex}"
    scratch.mkdir(parents=True)
    try:
        db = scratch / WORKING_DB
        project_uuid = uuid.uuid4().hex
        init_database(db, project_uuid=project_uuid, device=device)
        store = Store(db, HybridClock(device))
        try:
            with store.transaction() as tx:
                tx.insert(Workspace(name=name))
                if populate is not None:
                    populate(tx)
        finally:
            store.dispose()
        write_snapshot(db, path, device=device)
        return project_uuid
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
