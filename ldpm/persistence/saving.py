"""Saving a working copy to its document without overwriting changes it has not seen.

A :class:`SaveJob` is one save, runnable on a worker thread while the user keeps editing.  It
knows the file as the document last read or wrote it (a
:class:`~ldpm.persistence.snapshot.FileState`) and, before replacing it, looks at it:

* unchanged — the common case costs one ``stat`` — or only touched (same seal): write;
* another version of the same project (a colleague's save on a shared drive, a sync client's
  delivery): copy it privately, validate it like any file from elsewhere, back up the working
  copy and **merge** it in with the caller's merge (the sync layer's per-field merge, which
  logs conflicts for review); then look again and write;
* another project, a newer LDPM's file, a damaged file: never replace it; write the work beside
  it under a new name (:func:`alternative_path`) and say so in one sentence.

Just before the rename, the file is checked once more against what was looked at
(``write_snapshot(expect=…)``); if a new version landed during the save, the job starts over,
so it is merged too.  Writes to one target are serialised within the process.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ldpm.atomic import remove_quietly, sweep_stale_temps
from ldpm.persistence.backups import BEFORE_MERGE
from ldpm.persistence.fileformat import (
    FileProblem,
    NewerVersion,
    WrongProject,
    connect_readonly,
    display_name,
    inspect_file,
    verify_seal,
)
from ldpm.persistence.snapshot import (
    FileState,
    SaveFailed,
    TargetChanged,
    stat_or_none,
    target_lock,
    write_snapshot,
)
from ldpm.persistence.working import clock_mark

#: Merges a validated private copy of the document into the working copy; its result is
#: handed back in :attr:`SaveOutcome.merged` (persistence does not look inside it).
MergeFn = Callable[[Path], Any]
#: How often a save looks again when the file keeps changing under it.
SAVE_ATTEMPTS = 4


@dataclass
class SaveOutcome:
    """What a save did."""

    checksum: str
    state: FileState  # the file as written
    saved_to: Path  # where: the document, or a new file beside it (see ``problem``)
    merged: list[Any] = field(default_factory=list)  # versions found on disk, merged first
    problem: str = ""  # why the document was not replaced, when saved_to is a new file


@dataclass
class _Look:
    """What a save found on disk at the document's path."""

    state: FileState | None = None  # the file is (still) the version we know: this state
    incoming: Path | None = None  # a valid other version of this project, copied here
    problem: FileProblem | None = None  # the file must not be replaced


def alternative_path(target: Path, when: datetime | None = None) -> Path:
    """A new name beside ``target`` for work that must not replace it."""
    moment = (when or datetime.now()).strftime("%Y-%m-%d %H%M")
    for n in range(1, 1000):
        extra = "" if n == 1 else f" {n}"
        candidate = target.with_name(f"{target.stem} (LDPM copy {moment}{extra}){target.suffix}")
        if not candidate.exists():
            return candidate
    return target.with_name(f"{target.stem} (LDPM copy {uuid.uuid4().hex[:8]}){target.suffix}")


@dataclass(slots=True)
class SaveJob:
    """One save of a working copy to its document, runnable on a worker thread."""

    source: Path
    target: Path
    device: str
    generation: int
    project_uuid: str = ""
    known: FileState | None = None
    merge: MergeFn | None = None
    backup: Callable[[str], object] | None = None
    work: Path | None = None  # a private folder for copies of the file found on disk
    saved_hlc: str = ""
    outcome: SaveOutcome | None = None

    @property
    def checksum(self) -> str | None:
        return self.outcome.checksum if self.outcome is not None else None

    def run(self) -> SaveOutcome:
        """Look at the file, merge what changed there, write.  Thread-safe: it uses its own
        SQLite connections.  Raises :class:`SaveFailed`; on failure nothing changes on disk
        (a merge already made stays in the working copy, where it belongs)."""
        sweep_stale_temps(self.target.parent)
        with target_lock(self.target):
            self.outcome = self._run()
        return self.outcome

    def _run(self) -> SaveOutcome:
        target, known, merged, problem = self.target, self.known, [], ""
        for _attempt in range(SAVE_ATTEMPTS):
            st = stat_or_none(target)
            if st is not None and not (known is not None and known.same_file(st)):
                look = self._look(target, st, known)
                if look.problem is not None:
                    target, known = alternative_path(self.target), None
                    problem = _saved_beside_sentence(look.problem, self.target, target)
                    continue
                if look.incoming is not None:
                    merged.append(self._merge(look.incoming))
                    known = look.state
                    continue  # look again: it may have changed once more meanwhile
                known = look.state
            still_there = _unchanged_since(known)
            self.saved_hlc = clock_mark(self.source)
            try:
                checksum = write_snapshot(
                    self.source, target, device=self.device, expect=still_there
                )
            except TargetChanged:
                continue
            state = FileState.of(target.stat(), checksum)
            return SaveOutcome(checksum, state, target, merged, problem)
        raise SaveFailed(
            f"LDPM could not save {display_name(self.target)} because another program keeps "
            "changing it. Try again in a moment; your work is kept safe in LDPM meanwhile.",
            self.target,
        )

    def _look(self, target: Path, st: os.stat_result, known: FileState | None) -> _Look:
        """The file at ``target`` is not the exact file we last saw: is its content?"""
        if (
            known is not None
            and _sealed_checksum(target) == known.checksum
            and verify_seal(target, known.checksum)
        ):
            return _Look(state=FileState.of(st, known.checksum))  # touched, not changed
        folder = self.work or target.parent
        folder.mkdir(parents=True, exist_ok=True)
        incoming = folder / f"incoming-{uuid.uuid4().hex[:10]}.ldpm"
        try:
            shutil.copyfile(target, incoming)
            if stat_or_none(target) is None or not FileState.of(st, "").same_file(target.stat()):
                raise TargetChanged(str(target))  # changed while we copied it: look again
            info = inspect_file(
                incoming, expected_project=self.project_uuid or None, shown_as=target
            )
            assert info is not None
        except TargetChanged:
            remove_quietly(incoming)
            return _Look(state=known)
        except FileProblem as problem:
            remove_quietly(incoming)
            return _Look(problem=problem)
        except OSError as exc:
            remove_quietly(incoming)
            return _Look(
                problem=FileProblem(
                    f"LDPM could not read {display_name(target)} ({exc.strerror}).", target
                )
            )
        state = FileState.of(st, info.checksum)
        if known is not None and info.checksum == known.checksum:
            remove_quietly(incoming)
            return _Look(state=state)
        if self.merge is None:
            remove_quietly(incoming)
            return _Look(problem=ChangedOnDisk("", target))
        return _Look(state=state, incoming=incoming)

    def _merge(self, incoming: Path) -> Any:
        assert self.merge is not None
        try:
            if self.backup is not None:
                self.backup(BEFORE_MERGE)
            return self.merge(incoming)
        finally:
            remove_quietly(incoming)


def _unchanged_since(known: FileState | None) -> Callable[[os.stat_result | None], bool]:
    """A check that the file on disk is still ``known`` (or still absent)."""

    def check(now: os.stat_result | None) -> bool:
        return now is None if known is None else known.same_file(now)

    return check


class ChangedOnDisk(FileProblem):
    """Another version of the project is on disk and no merge was offered."""

    code = "changed_on_disk"


def _sealed_checksum(path: Path) -> str:
    try:
        con = connect_readonly(path)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='content_checksum'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _saved_beside_sentence(problem: FileProblem, target: Path, saved: Path) -> str:
    name, new = display_name(target), display_name(saved)
    if isinstance(problem, WrongProject):
        why = f"{name} on disk now holds a different project"
    elif isinstance(problem, NewerVersion):
        why = f"{name} was saved meanwhile by a newer LDPM, which this one cannot merge"
    elif isinstance(problem, ChangedOnDisk):
        why = f"{name} was changed meanwhile by someone else"
    else:
        why = f"{name} was changed by another program and cannot be read safely"
    return f"{why}, so LDPM saved your work beside it as {new} instead of replacing it."
