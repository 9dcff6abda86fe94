"""Rotating local backups of working copies.

Taken before a migration, a merge or an import, and whenever unsaved work is discarded, so that
nothing is ever simply thrown away.  They live under the data folder (never in a shared folder):
``<root>/<project uuid>/<UTC time>-<reason>.ldpm``.  The newest :data:`KEEP` per project are
kept.  A backup is a consistent ``VACUUM INTO`` snapshot, written to a temporary name first.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

KEEP = 20
_SAFE = re.compile(r"[^a-z0-9-]+")


def backup_database(source: Path, root: Path, project_uuid: str, reason: str) -> Path | None:
    """Snapshot ``source`` into the backups of ``project_uuid``.  Returns the backup's path,
    or None if ``source`` does not exist."""
    if not source.exists():
        return None
    folder = root / _SAFE.sub("-", project_uuid.lower())
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{_SAFE.sub('-', reason.lower())}.ldpm"
    tmp = target.with_suffix(".tmp")
    try:
        con = sqlite3.connect(source)
        try:
            con.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            con.close()
    except sqlite3.DatabaseError:
        # Too damaged for SQLite to read: keep the raw bytes (with the WAL beside them).
        with contextlib.suppress(OSError):
            tmp.unlink()
        shutil.copyfile(source, tmp)
        wal = source.with_name(source.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    os.replace(tmp, target)
    prune(folder)
    return target


def prune(folder: Path, keep: int = KEEP) -> None:
    files = sorted(folder.glob("*.ldpm"))
    for old in files[:-keep] if keep else files:
        with contextlib.suppress(OSError):
            old.unlink()


def list_backups(root: Path, project_uuid: str) -> list[Path]:
    """Backups of a project, newest first."""
    folder = root / _SAFE.sub("-", project_uuid.lower())
    return sorted(folder.glob("*.ldpm"), reverse=True) if folder.is_dir() else []
