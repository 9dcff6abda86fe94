"""The open project, as the rest of the application sees it.

:class:`Project` wraps a persistence :class:`~ldpm.persistence.document.Document` and offers a
unit of work (:meth:`Project.unit`): one transaction, after which the project knows it has unsaved
changes.  It also re-exports the error types the UI needs, so that the UI never imports the
persistence layer.  File locations and this device's identity come from :mod:`ldpm.paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ldpm import paths
from ldpm.domain.entities import Workspace
from ldpm.domain.validation import ValidationError
from ldpm.persistence import document as _document
from ldpm.persistence.document import Document, Recoverable, SaveFailed, SaveJob
from ldpm.persistence.fileformat import FILE_SUFFIX, FileInfo, FileProblem, inspect_file
from ldpm.persistence.lock import LockHeld
from ldpm.persistence.store import Tx

__all__ = [
    "FILE_SUFFIX",
    "FileInfo",
    "FileProblem",
    "LockHeld",
    "Project",
    "Recoverable",
    "SaveFailed",
    "SaveJob",
    "ValidationError",
    "check_file",
    "demo_file",
    "discard_recoverable",
    "find_recoverable",
    "user_message",
]


def user_message(exc: BaseException) -> str | None:
    """The sentence to show for an expected failure, or None if ``exc`` is a bug."""
    if isinstance(exc, FileProblem):
        return exc.sentence
    if isinstance(exc, ValidationError):
        return exc.message
    return None


def check_file(path: Path) -> FileInfo:
    """Validate a project file without changing it.  Raises :class:`FileProblem`."""
    info = inspect_file(path)
    assert info is not None
    return info


def find_recoverable() -> list[Recoverable]:
    return _document.find_recoverable(paths.working_dir())


def discard_recoverable(item: Recoverable) -> None:
    _document.discard_recoverable(item, paths.backups_dir())


class Project:
    """An open project file."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._listeners: list[Callable[[bool], None]] = []

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
        return cls(doc)

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
        return cls(doc)

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
    def save(self, target: Path | None = None) -> None:
        """Save (or Save As ``target``).  Raises :class:`SaveFailed`."""
        was_unsaved = self.document.unsaved
        self.document.save(target)
        if was_unsaved:
            self._notify()

    def begin_save(self) -> SaveJob:
        """A save to the project's own path whose ``run()`` may go on a worker thread while
        the user keeps editing; pass it to :meth:`finish_save` on this thread afterwards."""
        return self.document.begin_save()

    def finish_save(self, job: SaveJob) -> bool:
        """Returns True if everything is saved (no edits were made while the job ran)."""
        done = self.document.finish_save(job)
        if done:
            self._notify()
        return done

    def close(self, *, discard_unsaved: bool = False) -> None:
        self.document.close(discard_unsaved=discard_unsaved)


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
