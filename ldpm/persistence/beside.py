"""Copies of a document that sync clients leave beside it.

When two people change a synced file at once, sync clients keep both versions under a second
name: ``Plan (Maya's conflicted copy 2026-11-29).ldpm`` (Dropbox), ``Plan-LAPTOP.ldpm``
(OneDrive), ``Plan (1).ldpm`` (Google Drive), ``Plan.sync-conflict-20261129-143000-ABC.ldpm``
(Syncthing), ``Plan.ldpm..path1`` or ``Plan.ldpm.conflict1`` (rclone), and LDPM's own
``Plan (LDPM copy 2026-11-29 1432).ldpm`` when a save could not replace the file.  Each holds a
colleague's saved edits.  :func:`find_copies` finds those that are copies of *this* project
(same application id and project UUID; the name alone is never trusted) so the user can be
offered to merge them; :func:`copies_named_like` lists likely copies of a document that is
itself gone, so "not found" can point at them.

Deliberately named copies ("Plan - before the workshop.ldpm") are left alone: only names in
the patterns above count, and nothing is merged or moved without the user's say.  A copy is
untrusted input like any replica: :func:`bring_in` validates a private copy of it before a
merge may read it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import uuid
from pathlib import Path

from ldpm.atomic import is_temp_name, remove_quietly
from ldpm.persistence.fileformat import (
    APPLICATION_ID,
    SQLITE_MAGIC,
    FileProblem,
    connect_readonly,
    display_name,
    inspect_file,
)

#: What a sync client appends to a document's stem (before the suffix).
_STEM_TAILS = re.compile(
    r"""^(
        \ \([^()]{0,120}\)                       # " (1)", " (Maya's conflicted copy …)"
      | -[A-Za-z0-9_-]{1,40}                     # "-LAPTOP-4471" (OneDrive's machine name)
      | \.sync-conflict-[A-Za-z0-9_-]{1,60}      # Syncthing
    )$""",
    re.VERBOSE,
)
#: What a sync client appends after the whole file name.
_NAME_TAILS = re.compile(r"^(\.\.path[0-9]{1,3}|\.conflict[0-9]{0,3}|~[A-Za-z0-9_-]{1,40})$")
#: The bytes of the SQLite header that identify an LDPM file.
_HEADER = 100


def looks_like_copy_name(document_name: str, name: str) -> bool:
    """True if ``name`` is how a sync client names a second version of ``document_name``."""
    if name == document_name or is_temp_name(name):
        return False
    doc = Path(document_name)
    lower = name.lower()
    if lower.startswith(document_name.lower()):
        return bool(_NAME_TAILS.match(name[len(document_name) :]))
    candidate = Path(name)
    if candidate.suffix.lower() != doc.suffix.lower():
        return False
    stem = candidate.stem
    if not stem.lower().startswith(doc.stem.lower()):
        return False
    return bool(_STEM_TAILS.match(stem[len(doc.stem) :]))


def copies_named_like(document: Path) -> list[Path]:
    """Files beside ``document`` named like sync-client copies of it (content unchecked)."""
    try:
        entries = list(os.scandir(document.parent))
    except OSError:
        return []
    return sorted(
        Path(e.path)
        for e in entries
        if looks_like_copy_name(document.name, e.name) and e.is_file(follow_symlinks=True)
    )


def project_of(path: Path) -> str:
    """The project UUID of an LDPM file, or ``""`` if it is not a readable LDPM file."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEADER)
    except OSError:
        return ""
    if (
        len(head) < _HEADER
        or not head.startswith(SQLITE_MAGIC)
        or int.from_bytes(head[68:72], "big") != APPLICATION_ID
    ):
        return ""
    try:
        con = connect_readonly(path)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='project_uuid'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def find_copies(document: Path, project_uuid: str) -> list[Path]:
    """Sync-client copies of ``document`` beside it that hold the same project."""
    return [p for p in copies_named_like(document) if project_of(p) == project_uuid]


def bring_in(copy: Path, work: Path, project_uuid: str) -> Path:
    """A private, validated copy of ``copy`` in ``work``, ready to merge.  Raises
    :class:`~ldpm.persistence.fileformat.FileProblem` (nothing is left behind) if it is not a
    whole, valid file of this project."""
    work.mkdir(parents=True, exist_ok=True)
    local = work / f"copy-{uuid.uuid4().hex[:10]}.ldpm"
    try:
        shutil.copyfile(copy, local)
        inspect_file(local, expected_project=project_uuid, shown_as=copy)
    except OSError as exc:
        remove_quietly(local)
        raise FileProblem(
            f"LDPM could not read {display_name(copy)} ({exc.strerror}).", copy
        ) from exc
    except BaseException:
        remove_quietly(local)
        raise
    return local
