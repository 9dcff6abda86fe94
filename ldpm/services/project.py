"""The open project, as the rest of the application sees it.

:class:`Project` wraps a persistence :class:`~ldpm.persistence.document.Document` and offers a
unit of work (:meth:`Project.unit`): one transaction, after which the project knows it has unsaved
changes.  It also re-exports the error types the UI needs, so that the UI never imports the
persistence layer.  File locations and this device's identity come from :mod:`ldpm.paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ldpm import paths
from ldpm.domain.entities import Workspace
from ldpm.domain.validation import ValidationError
from ldpm.persistence import backups, presence_note
from ldpm.persistence import document as _document
from ldpm.persistence.beside import bring_in, find_copies
from ldpm.persistence.document import Document, Recoverable, SaveFailed, SaveJob, SaveOutcome
from ldpm.persistence.fileformat import FILE_SUFFIX, FileInfo, FileProblem, inspect_file
from ldpm.persistence.lock import LockHeld
from ldpm.persistence.presence_note import Present
from ldpm.persistence.store import Tx
from ldpm.persistence.working import real_path
from ldpm.services.changes import ChangeRecord
from ldpm.sync.merge import MergeResult, merge_replica

__all__ = [
    "FILE_SUFFIX",
    "FileInfo",
    "FileProblem",
    "LockHeld",
    "Present",
    "Project",
    "Recoverable",
    "SaveFailed",
    "SaveJob",
    "SaveReport",
    "ValidationError",
    "check_file",
    "demo_file",
    "discard_recoverable",
    "document_path",
    "find_recoverable",
    "user_message",
]


def user_message(exc: BaseException) -> str | None:
    """The sentence to show for an expected failure, or None if ``exc`` is a bug.  Expected
    failures carry their sentence: file problems, unreachable sync targets, rejected values."""
    if isinstance(exc, ValidationError):
        return exc.message
    sentence = getattr(exc, "sentence", None)
    if isinstance(sentence, str) and sentence:
        return sentence
    return None


def document_path(path: Path) -> Path:
    """The one spelling of a document's path (absolute, links resolved), as an open project
    reports it in :attr:`Project.path`."""
    return real_path(path)


def check_file(path: Path) -> FileInfo:
    """Validate a project file without changing it.  Raises :class:`FileProblem`."""
    info = inspect_file(path)
    assert info is not None
    return info


def find_recoverable() -> list[Recoverable]:
    return _document.find_recoverable(paths.working_dir())


def discard_recoverable(item: Recoverable) -> None:
    _document.discard_recoverable(item, paths.backups_dir())


@dataclass(frozen=True)
class SaveReport:
    """What a save did, for the window to show."""

    saved: bool  # everything is saved (no edits were made while it ran)
    path: Path  # where the project is now kept
    merged: MergeResult | None = None  # another version found on disk, merged in first
    problem: str = ""  # a sentence when the work had to be saved beside the file

    @property
    def record(self) -> ChangeRecord:
        """What the views must reload: everything, if a merge changed the project."""
        return ChangeRecord.all() if self.merged is not None else ChangeRecord()

    def summary(self) -> str:
        """One sentence for the status bar about what happened besides saving."""
        if self.problem:
            return self.problem
        if self.merged is None:
            return ""
        conflicts = self.merged.conflicts
        review = (
            ""
            if not conflicts
            else f"; {conflicts} change{'s' if conflicts != 1 else ''} to review"
        )
        return f"Merged a colleague's changes from “{self.path.name}” before saving{review}."


class Project:
    """An open project file."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._listeners: list[Callable[[bool], None]] = []
        self._set_aside: set[Path] = set()

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def open(cls, path: Path, *, restore: bool = False) -> Project:
        doc = Document.open(
            Path(path),
            root=paths.working_dir(),
            backup_root=paths.backups_dir(),
            device=paths.device_id(),
            restore=restore,
        )
        project = cls(doc)
        project._announce()
        return project

    @classmethod
    def create(
        cls, path: Path, *, name: str | None = None, populate: Callable[[Tx], None] | None = None
    ) -> Project:
        path = Path(path)
        doc = Document.create(
            path,
            root=paths.working_dir(),
            backup_root=paths.backups_dir(),
            device=paths.device_id(),
            name=name or path.stem,
            populate=populate,
        )
        project = cls(doc)
        project._announce()
        return project

    @staticmethod
    def create_file(
        path: Path, *, name: str | None = None, populate: Callable[[Tx], None] | None = None
    ) -> str:
        """Write a new project file without opening it.  Returns its project UUID."""
        path = Path(path)
        return _document.create_file(
            path,
            root=paths.working_dir(),
            device=paths.device_id(),
            name=name or path.stem,
            populate=populate,
        )

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def unsaved(self) -> bool:
        return self.document.unsaved

    @property
    def restored(self) -> bool:
        return self.document.restored

    @property
    def device(self) -> str:
        """This computer's device id (it names its replica and its presence notes)."""
        return self.document.clock.device

    @property
    def open_notes(self) -> list[str]:
        """What opening found and put right, one sentence each (future stamps dated today,
        values over a field's limit kept)."""
        return list(self.document.notes)

    @property
    def restore_problem(self) -> str:
        """A sentence if restoring unsaved work was asked for but could not be done."""
        return self.document.restore_problem

    def on_unsaved_changed(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(unsaved)`` whenever the unsaved state flips."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self.document.unsaved)

    # ------------------------------------------------------------- unit of work
    @contextmanager
    def unit(self) -> Iterator[Tx]:
        """One transaction.  Commits at the end of the block (rolls back if it raises) and
        records that the project has unsaved changes if anything was written."""
        with self.document.store.transaction() as tx:
            yield tx
        if tx.stamped:
            was_unsaved = self.document.unsaved
            self.document.note_change()
            if not was_unsaved:
                self._notify()

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A transaction for reading only."""
        with self.document.store.transaction() as tx:
            yield tx

    def workspace(self) -> Workspace:
        with self.read() as tx:
            return tx.list(Workspace, order_by=("id",))[0]

    # ------------------------------------------------------------------- saving
    def _merge_from_file(self, incoming: Path) -> MergeResult:
        """Merge another version of this project, found at the document's path, into the
        working copy (on the save's thread; the merge has its own connection)."""
        return merge_replica(self.document.working_path, incoming)

    def save(self, target: Path | None = None) -> SaveReport:
        """Save (or Save As ``target``).  Raises :class:`SaveFailed`.  A version of the
        project that someone else saved at the path meanwhile is merged in first."""
        was_unsaved = self.document.unsaved
        outcome = self.document.save(target, merge=self._merge_from_file)
        report = self._report(outcome, saved=True)
        if self._announced != self.path:
            self._announce()
        if was_unsaved or report.merged is not None:
            self._notify()
        return report

    def begin_save(self) -> SaveJob:
        """A save to the project's own path whose ``run()`` may go on a worker thread while
        the user keeps editing; pass it to :meth:`finish_save` on this thread afterwards."""
        return self.document.begin_save(merge=self._merge_from_file)

    def finish_save(self, job: SaveJob) -> SaveReport:
        """Record a finished save job.  ``saved`` is False if edits were made while it ran
        (or it did not finish)."""
        done = self.document.finish_save(job)
        if job.outcome is None:
            return SaveReport(saved=False, path=self.path)
        report = self._report(job.outcome, saved=done)
        if self._announced != self.path:
            self._announce()
        if done:
            self._notify()
        return report

    def _report(self, outcome: SaveOutcome, *, saved: bool) -> SaveReport:
        merged: MergeResult | None = None
        for result in outcome.merged:
            assert isinstance(result, MergeResult)
            merged = merged or MergeResult()
            merged.add(result)
        if merged is not None and merged.max_stamp:
            self.document.clock.observe(merged.max_stamp)
        return SaveReport(saved=saved, path=self.path, merged=merged, problem=outcome.problem)

    # -------------------------------------------------- copies beside the file
    def copies_beside(self) -> list[Path]:
        """Copies of this project that sync clients left beside its file, not yet merged
        (nor set aside by the user this session)."""
        return [
            p
            for p in find_copies(self.path, self.document.project_uuid)
            if p not in self._set_aside
        ]

    def set_aside_copies(self, copies: list[Path]) -> None:
        """ "Not now": do not offer these copies again while the project is open."""
        self._set_aside.update(copies)

    def merge_copies(self, copies: list[Path]) -> tuple[MergeResult, list[Path], list[str]]:
        """Merge copies found beside the file (each validated first; a backup of the working
        copy is taken before the first merge), then move each merged copy into the backups
        so it is not offered again.  Returns the combined result, the copies merged, and a
        sentence for each copy that could not be merged or tidied away."""
        doc = self.document
        total, merged, problems, backed_up = MergeResult(), [], [], False
        for copy in copies:
            try:
                local = bring_in(copy, doc.folder / "incoming", doc.project_uuid)
            except FileProblem as problem:
                problems.append(problem.sentence)
                self._set_aside.add(copy)
                continue
            try:
                if not backed_up:
                    doc.backup(backups.BEFORE_MERGE)
                    backed_up = True
                total.add(merge_replica(doc.working_path, local))
                merged.append(copy)
                backups.backup_database(local, doc.backup_root, doc.project_uuid, "merged-copy")
            finally:
                local.unlink(missing_ok=True)
            try:
                copy.unlink()
            except OSError:
                self._set_aside.add(copy)
                problems.append(
                    f"“{copy.name}” was merged but could not be removed; you can delete it."
                )
        if total.max_stamp:
            doc.clock.observe(total.max_stamp)
        if total.changed:
            with self.unit() as tx:
                tx.stamped = True  # the merge wrote: the file must be saved
        return total, merged, problems

    def close(self, *, discard_unsaved: bool = False) -> None:
        self.document.close(discard_unsaved=discard_unsaved)
        presence_note.withdraw(self._announced, self.document.clock.device)

    # ------------------------------------------------------------------ presence
    #: How often :meth:`heartbeat` should run while the project is open, in seconds.
    HEARTBEAT_SECONDS = presence_note.HEARTBEAT_SECONDS

    def _announce(self) -> None:
        """Leave (or refresh) a note beside the file saying who has it open."""
        previous = getattr(self, "_announced", None)
        device = self.document.clock.device
        if previous is not None and previous != self.path:
            presence_note.withdraw(previous, device)
        self._announced = self.path
        presence_note.announce(self.path, device)

    _announced: Path

    def heartbeat(self) -> tuple[bool, list[Present]]:
        """Once a minute while open: keep this computer's lock and note fresh, and read who
        else has the file open.  Returns (lock still ours, the others, newest first)."""
        held = self.document.lock.refresh()
        self._announce()
        return held, self.others()

    def others(self) -> list[Present]:
        """Other people who have this file open right now (from their notes beside it)."""
        return presence_note.others(self.path, self.document.clock.device)


def demo_file(*, reset: bool = False) -> Path:
    """The demo project in LDPM's data folder, written on first use (or when ``reset``)."""
    path = paths.demo_path()
    if reset or not path.exists():
        from ldpm.services.demo import populate_demo

        _document.create_file(
            path,
            root=paths.working_dir(),
            device=paths.device_id(),
            name="Northwind Engineering",
            populate=populate_demo,
        )
    return path
