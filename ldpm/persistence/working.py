"""Working folders: where an open document's working copy lives, and finding unsaved work.

A working folder (under the data folder, named by :func:`working_key` of the document's real
path) holds ``project.db`` (the working copy, WAL mode), ``session.json`` and ``lock`` (see
:mod:`lock`).  ``session.json`` says which document the folder belongs to, what LDPM last saw of
that document on disk (its :class:`~ldpm.persistence.snapshot.FileState`), and how far the
working copy was saved: ``unsaved`` and ``saved_hlc``, the working copy's clock high-water mark
when it was last saved or copied in.

If LDPM dies, the folder stays behind.  It holds unsaved work if the session says so *or* if the
working copy's clock moved past ``saved_hlc`` — every committed edit moves it — so even an edit
committed a moment before the crash, before the session could record it, is offered for
recovery (:func:`find_recoverable`).  Nothing is thrown away without a backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ldpm.atomic import atomic_write
from ldpm.persistence import backups
from ldpm.persistence.fileformat import read_meta
from ldpm.persistence.lock import ProjectLock

WORKING_DB = "project.db"
SESSION_FILE = "session.json"
LOCK_FILE = "lock"


@dataclass(frozen=True, slots=True)
class Recoverable:
    """Unsaved work left behind by an LDPM that did not close properly."""

    folder: Path
    document: Path
    project_name: str
    last_change: datetime


def real_path(path: Path) -> Path:
    """The one spelling of a document's path: absolute, symbolic links resolved (a symlinked
    folder, a link to the file), so that every spelling finds the same lock and working copy
    and a save goes to the real file, never replacing a link."""
    return Path(os.path.realpath(Path(path).absolute()))


def working_key(path: Path) -> str:
    normal = os.path.normcase(str(real_path(path)))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:24]


def read_session(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_session(folder: Path, data: dict[str, Any]) -> None:
    atomic_write(folder / SESSION_FILE, json.dumps(data, indent=1))


def clock_mark(db: Path) -> str:
    """The working copy's clock high-water mark (``""`` before the first edit)."""
    return read_meta(db, "hlc", "")


def has_unsaved_work(folder: Path) -> bool:
    """True if the working copy in ``folder`` holds changes its document does not have."""
    db = folder / WORKING_DB
    if not db.exists():
        return False
    session = read_session(folder)
    if session.get("unsaved"):
        return True
    if "saved_hlc" not in session:
        return False  # written by an older LDPM, which recorded only the flag
    return clock_mark(db) != str(session["saved_hlc"])


def project_uuid_of(db: Path) -> str:
    return read_meta(db, "project_uuid", "unknown")


def workspace_name(db: Path) -> str:
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


def last_change(folder: Path) -> datetime:
    times = [
        p.stat().st_mtime
        for p in (folder / WORKING_DB, folder / (WORKING_DB + "-wal"))
        if p.exists()
    ]
    return datetime.fromtimestamp(max(times, default=0), UTC)


def is_intact(db: Path) -> bool:
    try:
        con = sqlite3.connect(db)
        try:
            return bool(con.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def find_recoverable(root: Path) -> list[Recoverable]:
    """Working folders with unsaved changes whose LDPM is gone."""
    found: list[Recoverable] = []
    if not root.is_dir():
        return found
    for candidate in sorted(root.iterdir()):
        folder = candidate
        if not has_unsaved_work(folder):
            continue
        lock = ProjectLock(folder / LOCK_FILE)
        if lock.path.exists() and not lock.is_stale():
            continue  # that LDPM is still running
        session = read_session(folder)
        document = Path(str(session.get("document", "")))
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
                project_name=workspace_name(folder / WORKING_DB),
                last_change=last_change(folder),
            )
        )
    return found


def discard_recoverable(item: Recoverable, backup_root: Path) -> Path | None:
    """Put unsaved work the user chose not to restore into the backups, then remove it."""
    saved = backups.backup_database(
        item.folder / WORKING_DB,
        backup_root,
        project_uuid_of(item.folder / WORKING_DB),
        "unsaved-work-not-restored",
    )
    shutil.rmtree(item.folder, ignore_errors=True)
    return saved


def open_elsewhere(root: Path, path: Path, own_folder: Path) -> Path | None:
    """Another working folder, held by a running LDPM, whose document is the same file as
    ``path`` under another spelling that :func:`real_path` cannot see through (a second mount
    of a share, a hard link).  Returns that folder, or None."""
    try:
        mine = path.stat()
    except OSError:
        return None
    if not root.is_dir():
        return None
    for folder in root.iterdir():
        if folder == own_folder or not (folder / LOCK_FILE).exists():
            continue
        other = Path(str(read_session(folder).get("document", "")))
        if not str(other) or other == path:
            continue
        try:
            theirs = other.stat()
        except OSError:
            continue
        if (theirs.st_dev, theirs.st_ino) != (mine.st_dev, mine.st_ino):
            continue
        if not ProjectLock(folder / LOCK_FILE).is_stale():
            return folder
    return None
