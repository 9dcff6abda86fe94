"""Saving as a background job: the project's file is written off the GUI thread.

The job wraps :meth:`Project.begin_save` (run on the worker: look at the file, merge another
version found there, write) and :meth:`Project.finish_save` (on the GUI thread: record what was
saved).  A save is whole or nothing, so it cannot be cancelled half way.  Its
:class:`~ldpm.services.project.SaveReport` is kept on the job for the window to show.
"""

from __future__ import annotations

from typing import Any

from ldpm.persistence.document import SaveJob
from ldpm.services.jobs import Job, JobDone, Progress
from ldpm.services.project import Project, SaveReport


class SaveProject(Job):
    """Save ``project`` to its own file (``explicit``: the user asked, not autosave)."""

    cancellable = False

    def __init__(self, project: Project, *, explicit: bool = False) -> None:
        self.project = project
        self.explicit = explicit
        self.title = f"Saving “{project.path.name}”…"
        self.save: SaveJob = project.begin_save()
        self.report: SaveReport | None = None

    def run(self, progress: Progress) -> Any:
        return self.save.run()

    def finish(self, result: Any) -> JobDone:
        if self.project.document.closed:
            return JobDone()
        self.report = self.project.finish_save(self.save)
        return JobDone(record=self.report.record, message=self.report.summary())
