"""A project document: the user's ``.ldpm`` file and its local working copy.

The user's file may sit on a USB stick, a network share or a cloud folder, so it is never
opened live.  :meth:`Document.open` validates it, copies it into a private *working folder*
(see :mod:`working`; keyed by the file's real path, so every spelling of the path finds the
same lock and working copy) and every edit commits to that working copy at once.

**A save never overwrites changes it has not seen.**  The document knows the file as it last
read or wrote it (:class:`~ldpm.persistence.snapshot.FileState`: its seal and its file-system
identity).  Before a save replaces the file it looks at it: unchanged (the common case costs one
``stat``) → write; changed by someone else (a colleague's save on a shared drive, a sync
client delivering another version) and the same project → take a backup, **merge** it into the
working copy first (the caller supplies the merge, the sync layer's per-field merge that logs
conflicts for review), then write; another project, a newer LDPM's file, or a damaged one →
do not touch it: save beside it under a new name and say so.  Just before the rename the file
is looked at once more, so a version that lands during the save is merged too, never lost.

Writing itself is :func:`~ldpm.persistence.snapshot.write_snapshot`: the target is always the
whole old file or the whole new one.  Nothing is thrown away without a backup (:mod:`backups`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ldpm.atomic import remove_quietly, sweep_stale_temps
from ldpm.domain.entities import Workspace
from ldpm.persistence import backups
from ldpm.persistence.beside import copies_named_like
from ldpm.persistence.content import clamp_future_stamps
from ldpm.persistence.database import init_database, migrate, utc_now
from ldpm.persistence.fileformat import (
    FileInfo,
    FileProblem,
    MissingFile,
    display_name,
    inspect_file,
)
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.lock import LockHeld, ProjectLock
from ldpm.persistence.saving import MergeFn, SaveJob, SaveOutcome
from ldpm.persistence.snapshot import (
    DiskFull,
    FileState,
    ReadOnlyTarget,
    SaveFailed,
    target_lock,
    write_snapshot,
)
from ldpm.persistence.store import Store, Tx
from ldpm.persistence.working import (
    LOCK_FILE,
    WORKING_DB,
    Recoverable,
    clock_mark,
    discard_recoverable,
    find_recoverable,
    has_unsaved_work,
    is_intact,
    open_elsewhere,
    project_uuid_of,
    read_session,
    real_path,
    working_key,
    write_session,
)

__all__ = [
    "DiskFull",
    "Document",
    "ReadOnlyTarget",
    "Recoverable",
    "SaveFailed",
    "SaveJob",
    "SaveOutcome",
    "create_file",
    "discard_recoverable",
    "find_recoverable",
    "working_key",
    "write_snapshot",
]


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
        known: FileState | None = None,
    ) -> None:
        self.path = path
        self.folder = folder
        self.lock = lock
        self.clock = clock
        self.project_uuid = project_uuid
        self.backup_root = backup_root
        self.store = Store(folder / WORKING_DB, clock)
        self.unsaved = unsaved
        #: The file as this session last read or wrote it.
        self.known = known
        #: Counts committed edits, so a save that ran alongside edits knows it missed some.
        self.generation = 0
        #: True if this document continued unsaved work left by a crashed LDPM.
        self.restored = restored
        #: A sentence for the user if restoring was asked for but could not be done.
        self.restore_problem = ""
        #: Sentences about what opening found and put right (future stamps, long values).
        self.notes: list[str] = []
        self.closed = False
        mark = clock_mark(self.working_path)
        if mark:
            clock.observe(mark)

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
        path = real_path(path)
        folder = root / working_key(path)
        folder.mkdir(parents=True, exist_ok=True)
        lock = ProjectLock(folder / LOCK_FILE)
        lock.acquire(display_name(path))
        try:
            other = open_elsewhere(root, path, folder)
            if other is not None:
                owner = ProjectLock(other / LOCK_FILE).read_owner()
                assert owner is not None
                raise LockHeld(
                    f"{display_name(path)} is already open in another LDPM window under "
                    "another path. Switch to that window, or close the project there first.",
                    owner,
                )
            db = folder / WORKING_DB
            session = read_session(folder)
            leftover = has_unsaved_work(folder)
            restore_problem = ""
            if restore and leftover and not is_intact(db):
                restore = False
                restore_problem = (
                    "The unsaved work from last time was damaged and could not be restored; "
                    f"it is kept in LDPM's backups folder, and the saved {display_name(path)} "
                    "was opened instead."
                )
            known: FileState | None
            notes: list[str] = []
            if restore and leftover:
                project_uuid = project_uuid_of(db)
                known = FileState.from_json(session.get("known"))
                unsaved, restored = True, True
            else:
                if leftover:
                    # Unsaved work the user declined to restore (or that was damaged).
                    backups.backup_database(
                        db, backup_root, project_uuid_of(db), "unsaved-work-not-restored"
                    )
                info, known = cls._copy_in(path, folder)
                project_uuid = info.project_uuid
                unsaved, restored = False, False
                notes, clamped = _open_notes(info, db, path)
                unsaved = clamped
            migrate(
                db, lambda reason: backups.backup_database(db, backup_root, project_uuid, reason)
            )
            write_session(
                folder,
                {
                    "document": str(path),
                    "project_uuid": project_uuid,
                    "opened_at": utc_now(),
                    "unsaved": unsaved,
                    "saved_hlc": str(session.get("saved_hlc", "")) if restored else clock_mark(db),
                    "known": known.to_json() if known is not None else None,
                },
            )
            sweep_stale_temps(path.parent)
            doc = cls(
                path,
                folder,
                lock,
                HybridClock(device),
                project_uuid,
                backup_root,
                unsaved=unsaved,
                restored=restored,
                known=known,
            )
            doc.restore_problem = restore_problem
            doc.notes = notes
            return doc
        except BaseException:
            lock.release()
            if not (folder / WORKING_DB).exists():
                shutil.rmtree(folder, ignore_errors=True)
            raise

    @staticmethod
    def _copy_in(path: Path, folder: Path) -> tuple[FileInfo, FileState]:
        """Copy the document into the working folder, validate the copy, make it the working
        copy.  The previous working copy (if any) is replaced only once the new one is good."""
        incoming = folder / "incoming.tmp"
        remove_quietly(incoming, incoming.with_name("incoming.tmp-journal"))
        try:
            # Clear sentences for missing, foreign and absurd files, before copying anything.
            inspect_file(path, header_only=True)
        except MissingFile as missing:
            raise _missing_with_copies(missing, path) from None
        try:
            before = path.stat()
            shutil.copyfile(path, incoming)
        except OSError as exc:
            remove_quietly(incoming)
            raise FileProblem(
                f"LDPM could not read {display_name(path)} ({exc.strerror}). Check that the "
                "drive is connected and try again.",
                path,
            ) from exc
        try:
            # Stamps from a computer whose clock ran ahead do not stop a document opening:
            # they are brought back to now below (a replica with them is refused instead).
            info = inspect_file(incoming, shown_as=path, future_stamps="report")
        except FileProblem:
            remove_quietly(incoming)
            raise
        assert info is not None
        db = folder / WORKING_DB
        remove_quietly(db, db.with_name(WORKING_DB + "-wal"), db.with_name(WORKING_DB + "-shm"))
        os.replace(incoming, db)
        con = sqlite3.connect(db)
        try:
            con.execute("PRAGMA journal_mode=WAL")
        finally:
            con.close()
        # If the file changed while it was copied, this state will not match it and the
        # next save looks at it again (and merges it): nothing is missed.
        return info, FileState.of(before, info.checksum)

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

    def _update_session(self, **extra: Any) -> None:
        session = read_session(self.folder)
        session.update(
            document=str(self.path),
            unsaved=self.unsaved,
            known=self.known.to_json() if self.known is not None else None,
            **extra,
        )
        write_session(self.folder, session)

    def note_change(self) -> None:
        """Record a committed edit (called after every unit of work that wrote something)."""
        self.generation += 1
        self.mark_unsaved()

    # ------------------------------------------------------------------- saving
    def save(self, target: Path | None = None, *, merge: MergeFn | None = None) -> SaveOutcome:
        """Write the working copy to the document (or to ``target``: Save As, which replaces
        whatever the user chose to replace).  Raises :class:`SaveFailed`; on failure nothing
        changes on disk."""
        if target is None or real_path(target) == self.path:
            job = self.begin_save(merge=merge)
            job.run()
            self.finish_save(job)
            assert job.outcome is not None
            return job.outcome
        target = real_path(target)
        self._move_to(target)
        try:
            with target_lock(target):
                mark = clock_mark(self.working_path)
                checksum = write_snapshot(self.working_path, target, device=self.clock.device)
        except BaseException:
            self._move_to(self._previous_path)
            raise
        self.known = FileState.of(target.stat(), checksum)
        self.unsaved = False
        self._update_session(saved_hlc=mark)
        return SaveOutcome(checksum, self.known, target)

    def begin_save(self, *, merge: MergeFn | None = None) -> SaveJob:
        """A save of the document to its own path whose :meth:`SaveJob.run` may run on any
        thread while edits continue; hand it back to :meth:`finish_save` afterwards.
        ``merge`` merges another version of the project found at the path first."""
        return SaveJob(
            self.working_path,
            self.path,
            self.clock.device,
            self.generation,
            project_uuid=self.project_uuid,
            known=self.known,
            merge=merge,
            backup=self.backup,
            work=self.folder / "incoming",
        )

    def finish_save(self, job: SaveJob) -> bool:
        """Record a successful save.  Returns True if the document is now fully saved, False
        if edits were made while the job ran (they still need saving)."""
        outcome = job.outcome
        if outcome is None or job.target != self.path or self.closed:
            return False
        if outcome.saved_to != self.path:
            self._move_to(outcome.saved_to)  # saved beside the file: that is the document now
        self.known = outcome.state
        if job.generation != self.generation:
            self._update_session()
            return False
        self.unsaved = False
        self._update_session(saved_hlc=job.saved_hlc)
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
                    stale_db, self.backup_root, project_uuid_of(stale_db), "replaced-working-copy"
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

    def close(self, *, discard_unsaved: bool = False) -> None:
        """Close the document.  Unsaved changes must have been saved, or explicitly
        discarded (they then go to the backups, never just away)."""
        if self.closed:
            return
        if self.unsaved and not discard_unsaved:
            raise RuntimeError("close() with unsaved changes: save first or discard")
        if self.unsaved:
            # Before anything is let go: a failed backup (BackupFailed) leaves the document
            # open and whole.  The backup reads through its own read-only connection.
            self.backup(backups.UNSAVED_DISCARDED)
        self.store.dispose()
        self.lock.release()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.closed = True


def _open_notes(info: FileInfo, db: Path, path: Path) -> tuple[list[str], bool]:
    """What opening found: stamps dated in the future are brought back to now in the working
    copy (so later edits count; the document keeps them until the next save), and values over
    a field's limit are reported (kept, and editable).  Returns sentences, and whether the
    working copy was changed."""
    notes: list[str] = []
    clamped = clamp_future_stamps(db) if info.future_stamps else 0
    if clamped:
        notes.append(
            f"{clamped} change{'s' if clamped != 1 else ''} in {display_name(path)} "
            "carried dates in the future (a computer with a wrong clock saved them); LDPM "
            "dated them today, so that later edits count."
        )
    if info.over_limit:
        first = info.over_limit[0]
        more = len(info.over_limit) - 1
        also = f" and {more} other value{'s' if more != 1 else ''}" if more else ""
        notes.append(
            f"{first.message} ({first.table.replace('_', ' ')} {first.field.replace('_', ' ')}"
            f"{also}). It is kept as it is; shorten it when you next edit it."
        )
    return notes, bool(clamped)


def _missing_with_copies(missing: MissingFile, path: Path) -> MissingFile:
    """A missing document whose sync client left a copy beside it: say which to open."""
    copies = copies_named_like(path)
    if not copies:
        return missing
    names = ", ".join(display_name(p) for p in copies[:3])
    return MissingFile(
        f"{display_name(path)} was not found, but {names} beside it looks like a copy a sync "
        "client made of it: open that instead.",
        path,
    )


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
    path = real_path(path)
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
        with target_lock(path):
            write_snapshot(db, path, device=device)
        return project_uuid
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
