"""Importing spreadsheets into a project: mapping, checking, writing as one undo step.

The steps, as the import dialog and ``ldpm import`` take them:

1. :func:`open_file` opens the file (:mod:`ldpm.exchange`): a CSV in whatever encoding and
   delimiter, or a sheet of a workbook.
2. :func:`suggest` proposes :class:`ImportSettings`: the mapping remembered for files with
   these columns (:mod:`~ldpm.services.exchange_profiles`), or one proposed from the column
   names (:func:`~ldpm.services.exchange_kinds.propose`), and the source's name.
3. :func:`check_import` is a dry run over the whole file: it decides number and date styles
   per column, reads and validates every row exactly as the import would, and returns an
   :class:`ImportCheck` — rows new, changed and unchanged, every bad row with its number and
   reason, and notes (the date order assumed …).  Nothing is written.
4. :class:`ImportJob` writes it, off the GUI thread: the same two passes, in **one
   transaction** on the job's own connection; a bad row (the file changed since the check) or
   a cancel rolls everything back.  Its :class:`ImportCommand` becomes **one undo step**:
   undo tombstones the new rows and restores the changed fields; redo brings them back.
   The mapping is remembered for next time.

An external-id column records an :class:`~ldpm.domain.entities.ExternalRef` per row under
the source's name, so importing the same source again updates the rows it made before.

The engine — the settings, both passes over the file, reading rows — is
:mod:`~ldpm.services.exchange_run`; the rows of each kind are resolved to entities in
:mod:`~ldpm.services.exchange_rows`; exports are :mod:`~ldpm.services.exchange_export`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldpm.domain.entities import Entity
from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import Row, Table, open_table
from ldpm.exchange.values import text_of
from ldpm.persistence.schema import table_name
from ldpm.persistence.store import Tx
from ldpm.services import exchange_profiles as profiles
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.services.exchange_kinds import KINDS, Labeler, plain_label, propose
from ldpm.services.exchange_rows import Plan
from ldpm.services.exchange_run import (
    BadRow,
    ImportCheck,
    ImportRejected,
    ImportSettings,
    run_import,
)
from ldpm.services.jobs import Job, JobDone, Progress
from ldpm.services.project import Project

__all__ = [
    "KINDS",
    "BadRow",
    "CheckJob",
    "ExchangeProblem",
    "ImportCheck",
    "ImportCommand",
    "ImportJob",
    "ImportRejected",
    "ImportSettings",
    "Row",
    "Table",
    "check_import",
    "guess_kind",
    "import_now",
    "open_file",
    "run_import",
    "suggest",
    "text_of",
]

# ------------------------------------------------------------------------------- opening


def open_file(path: Path, sheet: str | None = None) -> Table:
    """Open a CSV or XLSX file for import.  Raises :class:`ExchangeProblem`."""
    return open_table(path, sheet)


def guess_source(table: Table) -> str:
    """A name for the file's source: "Jira" for a Jira export, else the file's name without
    dates, copy numbers and the like ("hr-export (2).xlsx" → "hr-export")."""
    names = {h.casefold() for h in table.headers}
    if {"issue key", "issue id"} & names:
        return "Jira"
    stem = table.path.stem
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    stem = re.sub(r"[\s_-]*\d{4}[-_.]?\d{2}[-_.]?\d{2}.*$", "", stem)
    return stem.strip(" _-") or table.path.stem


def guess_kind(table: Table) -> str:
    """What the rows of ``table`` most likely are: the kind whose fields its columns name
    most (an HR list names people's fields, a tracker's export backlog fields), backlog
    items when nothing says."""
    best, score = "items", 0
    for key, kind in KINDS.items():
        if profiles.find(key, table.headers) is not None:
            return key  # imported before as this kind
        mapped = propose(kind, table.headers, initiative=True)
        points = sum(2 if (t := kind.target(k)) and t.required else 1 for k in mapped.values())
        if points > score:
            best, score = key, points
    return best


def suggest(table: Table, kind: str, initiative_id: str | None) -> ImportSettings:
    """Settings for importing ``table`` as ``kind``: the mapping remembered for files with
    these columns, or one proposed from the column names."""
    profile = profiles.find(kind, table.headers)
    if profile is not None:
        return ImportSettings(
            kind=kind,
            initiative_id=initiative_id,
            columns=profile.columns,
            constants=profile.constants,
            source=profile.source or guess_source(table),
            dayfirst=profile.dayfirst,
            remembered=profile.used,
        )
    proposed = propose(KINDS[kind], table.headers, initiative=initiative_id is not None)
    return ImportSettings(
        kind=kind, initiative_id=initiative_id, columns=proposed, source=guess_source(table)
    )


def remember(table: Table, settings: ImportSettings) -> None:
    """Keep the mapping for the next file from this source."""
    profiles.remember(
        profiles.Profile(
            kind=settings.kind,
            headers=list(table.headers),
            columns=dict(settings.columns),
            constants=dict(settings.constants),
            source=settings.source,
            dayfirst=settings.dayfirst,
        )
    )


def check_import(
    project: Project,
    table: Table,
    settings: ImportSettings,
    *,
    labeler: Labeler = plain_label,
    progress: Progress | None = None,
) -> ImportCheck:
    """What importing ``table`` with ``settings`` would do; writes nothing.  Raises
    :class:`ExchangeProblem` (the file) or :class:`ImportRejected` (a fixed value)."""
    with project.read() as tx:
        check, _plan = run_import(
            tx, table, settings, write=False, labeler=labeler, progress=progress
        )
    return check


class CheckJob(Job):
    """:func:`check_import` off the GUI thread (a large file takes seconds); writes nothing.
    ``check`` holds the result once finished."""

    def __init__(
        self,
        project: Project,
        table: Table,
        settings: ImportSettings,
        *,
        labeler: Labeler = plain_label,
    ) -> None:
        self.project = project
        self.table = table
        self.settings = settings
        self.labeler = labeler
        self.title = f"Checking “{table.name}”…"
        self.check: ImportCheck | None = None

    def run(self, progress: Progress) -> ImportCheck:
        return check_import(
            self.project, self.table, self.settings, labeler=self.labeler, progress=progress
        )

    def finish(self, result: Any) -> JobDone:
        assert isinstance(result, ImportCheck)
        self.check = result
        return JobDone()


# ------------------------------------------------------------------------------- writing


@dataclass(eq=False)
class ImportCommand(Command):
    """An import as one undo step: undo tombstones the rows it added, as one delete, and
    puts back the fields it changed; redo does both again."""

    inserted: dict[type[Entity], list[str]]
    updated: list[tuple[type[Entity], str, dict[str, Any], dict[str, Any]]]
    text: str = "Import"

    def record(self) -> ChangeRecord:
        kinds = set(self.inserted) | {kind for kind, *_rest in self.updated}
        return ChangeRecord(frozenset(table_name(k) for k in kinds), structure=True)

    def apply(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted_rows(self.inserted, False)
        for kind, id_, _old, new in self.updated:
            tx.update(kind, id_, new)
        return self.record()

    def revert(self, tx: Tx) -> ChangeRecord:
        for kind, id_, old, _new in reversed(self.updated):
            tx.update(kind, id_, old)
        # One delete (one stamp, one group): an edit on another computer that had not seen
        # the undo brings back the whole import, not the one row it touched.
        tx.set_deleted_rows(self.inserted, True)
        return self.record()


class ImportJob(Job):
    """Write an import off the GUI thread (see the module docstring).  ``check`` holds the
    result once finished."""

    def __init__(
        self,
        project: Project,
        table: Table,
        settings: ImportSettings,
        *,
        labeler: Labeler = plain_label,
        checked: ImportCheck | None = None,
    ) -> None:
        """``checked``: the check the user saw (its decisions are used, not made again)."""
        self.project = project
        self.table = table
        self.settings = settings
        self.labeler = labeler
        self.checked = checked
        self.title = f"Importing “{table.name}”…"
        self.check: ImportCheck | None = None
        #: What the status bar says once it is done.
        self.message = ""

    def run(self, progress: Progress) -> tuple[ImportCheck, Plan]:
        with self.project.document.store.transaction() as tx:
            check, plan = run_import(
                tx, self.table, self.settings, write=True, labeler=self.labeler,
                progress=progress, decided=self.checked,
            )  # fmt: skip
            progress.check()  # a cancel at the very end still leaves nothing
        return check, plan

    def finish(self, result: Any) -> JobDone:
        check, plan = result
        assert isinstance(check, ImportCheck) and isinstance(plan, Plan)
        self.check = check
        self.message = check.done_sentence(self.table.name)
        if self.project.document.closed:
            return JobDone()
        remember(self.table, self.settings)
        if not plan.inserted and not plan.updated:
            return JobDone(message=self.message)
        with self.project.unit() as tx:
            tx.stamped = True  # the job wrote: the project has unsaved changes
        command = ImportCommand(plan.inserted, plan.updated, text=f"Import “{self.table.name}”")
        return JobDone(record=command.record(), command=command, message=self.message)


def import_now(
    project: Project,
    table: Table,
    settings: ImportSettings,
    *,
    labeler: Labeler = plain_label,
    progress: Callable[[int, int, str], None] | None = None,
    checked: ImportCheck | None = None,
) -> tuple[ImportCheck, ImportCommand | None]:
    """Run an import on this thread (the command line, tests): the job's two halves.
    Raises :class:`ImportRejected` (nothing written) or :class:`ExchangeProblem`."""
    job = ImportJob(project, table, settings, labeler=labeler, checked=checked)
    done = job.finish(job.run(Progress(progress)))
    assert job.check is not None
    command = done.command
    assert command is None or isinstance(command, ImportCommand)
    return job.check, command
