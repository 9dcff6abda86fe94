"""Slow work, Qt-free: a job runs off the GUI thread, then finishes on it.

A :class:`Job` has two halves:

``run(progress)``
    runs on a worker thread.  It opens its own database connections (or its own unit of work
    on its own connection), never touches objects the GUI thread uses, reports progress with
    ``progress(done, total, text)`` and stops with :class:`Cancelled` when the user cancels
    (``progress`` raises it).  Anything it writes must be whole or nothing: one transaction,
    or a result that :meth:`finish` applies.
``finish(result)``
    runs on the GUI thread with what ``run`` returned.  It records the result in the project
    (the clock, the unsaved flag) and returns a :class:`JobDone`: the change record the views
    reload from, optionally an undoable command (already applied: it becomes one undo step),
    and a sentence for the status bar.

The UI runs jobs through :meth:`ldpm.ui.operations.OperationRunner.start`, which gives them a
progress bar and a Cancel button, turns an expected failure into one plain sentence, and
broadcasts the change record like any other operation.  Save, sync, import, export and reports
are jobs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ldpm.cancel import Cancelled
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command


class Progress:
    """Handed to :meth:`Job.run`: report progress, and learn about a cancel."""

    def __init__(
        self,
        report: Callable[[int, int, str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self._report = report
        self._cancel = cancel or threading.Event()

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        """Report ``done`` of ``total`` steps (total 0: unknown) with an optional sentence;
        raises :class:`Cancelled` if the user cancelled meanwhile."""
        self.check()
        self.note(done, total, text)

    def note(self, done: int = 0, total: int = 0, text: str = "") -> None:
        """Report progress without checking for a cancel (for work that checks
        :attr:`cancelled` at its own safe points)."""
        if self._report is not None:
            self._report(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


@dataclass
class JobDone:
    """What a finished job changed, for the runner to broadcast."""

    record: ChangeRecord = field(default_factory=ChangeRecord)
    #: Already applied by the job; pushed on the undo stack as one step.
    command: Command | None = None
    #: A sentence for the status bar ("Imported 212 items.").
    message: str = ""


class Job:
    """Base class of background jobs; see the module docstring."""

    #: What the status bar says while the job runs ("Saving “Plan.ldpm”…").
    title: str = ""
    #: Whether the user may cancel it.
    cancellable: bool = True

    def run(self, progress: Progress) -> Any:
        raise NotImplementedError

    def finish(self, result: Any) -> JobDone:
        return JobDone()

    def abandon(self, error: BaseException) -> JobDone | None:
        """On the GUI thread, after ``run`` raised (including :class:`Cancelled`): put right
        whatever must be, and return what changed all the same (a sync that merged before it
        failed), if anything."""
        return None
