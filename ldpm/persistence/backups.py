"""Rotating local backups of working copies.

Taken before a migration, a merge or an import, and whenever unsaved work is discarded, so that
nothing is ever simply thrown away.  They live under the data folder (never in a shared folder):
``<root>/<project uuid>/<sequence>-<UTC time>-<reason>.ldpm``, for example
``000042-20250301T101500Z-before-sync.ldpm``.

Order.  Backups are ordered by their *sequence number* (one more than the highest in the
project's folder), never by the wall clock: a clock that was set back does not make a new backup
look old.  The time in the name is for people only.  Backups named the old way
(``<UTC time>-<reason>.ldpm``, before sequence numbers) are older than every numbered one and
ordered among themselves by name.  A backup never replaces another: it is placed with a hard
link, which fails if the name is taken (then the next number is tried); where the file system
has no hard links, it is placed only if the name is free.

Rotation.  Each reason keeps its own number of backups (:data:`LIMITS`), so routine backups
(:data:`ROUTINE`: before every sync that merges, before merging a file from elsewhere) can never
push out a safety-net backup (unsaved work that was not restored or was discarded, before an
upgrade, a replaced working copy, before undoing a sync).  Reasons not in :data:`LIMITS` are
safety nets too; they share one rotation of :data:`KEEP`.  Files in the folder whose names LDPM
did not give them are listed last and never removed.

Verification.  A backup is a consistent ``VACUUM INTO`` snapshot, read through a read-only
connection (SQLite must not checkpoint, roll back or delete the source's WAL) and written to a
temporary name (:func:`ldpm.atomic.temp_path`; ``VACUUM INTO`` writes rollback-journal mode).
It is checked — SQLite must open it and ``PRAGMA quick_check`` must say ``ok`` — and only then
fsynced and moved into place, the folder fsynced, and older backups pruned.  A working copy too
damaged for SQLite to read is kept as a *raw copy* of its bytes (and of its ``-wal`` beside it,
as ``<backup>-wal``); such a copy cannot pass ``quick_check``, so for it "verified" means the
bytes read back from the disk after fsync are exactly the bytes read from the source.  A backup
that fails raises :class:`BackupFailed` (a sentence for the user), leaves no partial file and
prunes nothing; callers must then not go on with what the backup was for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ldpm.atomic import fsync_dir, fsync_file, remove_quietly, sweep_stale_temps, temp_path
from ldpm.persistence.fileformat import FileProblem

# Reasons used by LDPM (callers may pass others; those are kept as safety nets).
BEFORE_SYNC = "before-sync"
BEFORE_MERGE = "before-merge"  # before merging a file from elsewhere into the working copy
BEFORE_UPGRADE = "before-upgrade"
BEFORE_UNDO_SYNC = "before-undo-sync"
UNSAVED_NOT_RESTORED = "unsaved-work-not-restored"
UNSAVED_DISCARDED = "unsaved-work-discarded"
REPLACED_WORKING_COPY = "replaced-working-copy"

#: Routine backups, taken often; they rotate only among themselves.
ROUTINE = frozenset({BEFORE_SYNC, BEFORE_MERGE})
#: How many backups of each reason are kept.
LIMITS: dict[str, int] = {
    BEFORE_SYNC: 20,
    BEFORE_MERGE: 20,
    BEFORE_UPGRADE: 5,
    BEFORE_UNDO_SYNC: 10,
    UNSAVED_NOT_RESTORED: 10,
    UNSAVED_DISCARDED: 10,
    REPLACED_WORKING_COPY: 5,
}
#: How many backups of all other (unrecognised) reasons are kept, together.
KEEP = 20
_OTHER = ""  # the pool of unrecognised reasons

_SAFE = re.compile(r"[^a-z0-9-]+")
_NAMED = re.compile(r"^(?P<seq>\d{6,})-(?P<time>\d{8}T\d{6}Z)-(?P<reason>[a-z0-9-]+)\.ldpm$")
_LEGACY = re.compile(r"^(?P<time>\d{8}T\d{6}\d*Z)-(?P<reason>[a-z0-9-]+)\.ldpm$")
_CHUNK = 1 << 20


class BackupFailed(FileProblem):
    code = "backup_failed"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file, as its name describes it."""

    path: Path
    sequence: int | None  # None: named the old way, or not by LDPM
    reason: str
    ours: bool  # named by LDPM (so rotation may remove it)

    @property
    def order(self) -> tuple[int, int, str]:
        """Sort key, oldest first: foreign names, then old names by time, then by sequence."""
        rank = 2 if self.sequence is not None else (1 if self.ours else 0)
        return (rank, self.sequence or 0, self.path.name)


def reason_slug(reason: str) -> str:
    """The reason as it appears in a backup's name."""
    return _SAFE.sub("-", reason.lower()).strip("-")[:60] or "backup"


def limit_for(reason: str) -> int:
    return LIMITS.get(reason_slug(reason), KEEP)


def _folder(root: Path, project_uuid: str) -> Path:
    return root / (_SAFE.sub("-", project_uuid.lower()) or "unknown")


def _describe(path: Path) -> Backup:
    named = _NAMED.match(path.name)
    if named:
        return Backup(path, int(named["seq"]), named["reason"], True)
    legacy = _LEGACY.match(path.name)
    if legacy:
        return Backup(path, None, legacy["reason"], True)
    return Backup(path, None, "", False)


def _entries(folder: Path) -> list[Backup]:
    """The backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = [_describe(p) for p in folder.glob("*.ldpm") if p.is_file()]
    return sorted(found, key=lambda b: b.order)


def list_backups(root: Path, project_uuid: str) -> list[Path]:
    """Backups of a project, newest first (by sequence, not by the time in their names)."""
    return [b.path for b in reversed(_entries(_folder(root, project_uuid)))]


def backup_database(source: Path, root: Path, project_uuid: str, reason: str) -> Path | None:
    """Snapshot ``source`` into the backups of ``project_uuid``, verify it, then rotate.
    Returns the backup's path, or None if ``source`` does not exist.  Raises
    :class:`BackupFailed`; nothing is then left behind and no older backup is removed."""
    if not source.exists():
        return None
    folder = _folder(root, project_uuid)
    slug = reason_slug(reason)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(folder)
        tmp = temp_path(folder / f"{slug}.ldpm")
        wal: Path | None = None
        try:
            wal = _snapshot(source, tmp)
            target = _place(folder, slug, tmp, wal)
        finally:
            leftovers = [tmp.with_name(tmp.name + s) for s in ("-journal", "-wal")]
            remove_quietly(tmp, *leftovers, *([wal] if wal is not None else []))
    except OSError as exc:
        raise BackupFailed(
            f"LDPM could not make a backup in its data folder ({exc.strerror or exc}), so "
            "nothing was changed; free some disk space there and try again.",
            source,
        ) from exc
    prune(folder)
    return target


def _snapshot(source: Path, tmp: Path) -> Path | None:
    """Write a verified copy of ``source`` to ``tmp``.  Returns the temporary copy of its WAL
    when the copy is raw (a damaged source), else None.  Raises OSError."""
    try:
        _vacuum_into(source, tmp)
        if _passes_quick_check(tmp):
            fsync_file(tmp)
            return None
    except sqlite3.Error as exc:
        if not _is_damage(exc):
            raise OSError(str(exc)) from exc
    # Too damaged for SQLite: keep the raw bytes, with the WAL beside them.
    remove_quietly(tmp, tmp.with_name(tmp.name + "-journal"))
    _raw_copy(source, tmp)
    wal_source = source.with_name(source.name + "-wal")
    if not wal_source.exists():
        return None
    wal_tmp = temp_path(tmp.with_name(tmp.name + "-wal"))
    try:
        _raw_copy(wal_source, wal_tmp)
    except BaseException:
        remove_quietly(wal_tmp)
        raise
    return wal_tmp


def _read_only_uri(path: Path) -> str:
    return path.absolute().as_uri() + "?mode=ro"


def _vacuum_into(source: Path, tmp: Path) -> None:
    # Read-only: SQLite must not checkpoint, roll back or delete the source's WAL (a damaged
    # working copy's WAL may hold the very work this backup is for).
    con = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        con.execute("VACUUM INTO ?", (str(tmp),))
    finally:
        con.close()


def _passes_quick_check(path: Path) -> bool:
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return rows == [("ok",)]


def _is_damage(exc: sqlite3.Error) -> bool:
    """True if SQLite refused the source as damaged or not a database (SQLITE_CORRUPT,
    SQLITE_NOTADB), rather than for want of disk, access or time."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)
    return type(exc) is sqlite3.DatabaseError


def _raw_copy(source: Path, target: Path) -> None:
    """Copy the bytes of ``source`` to a new file ``target``, fsync it, and check that what is
    on the disk is exactly what was read.  Raises OSError."""
    read = hashlib.sha256()
    with source.open("rb") as src, target.open("xb") as dst:
        while chunk := src.read(_CHUNK):
            read.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    written = hashlib.sha256()
    with target.open("rb") as check:
        while chunk := check.read(_CHUNK):
            written.update(chunk)
    if written.digest() != read.digest():
        raise OSError(f"the copy of {source.name} did not read back the same")


def _place(folder: Path, slug: str, tmp: Path, wal: Path | None) -> Path:
    """Give the verified copy the next free numbered name, never replacing a file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    sequence = max((b.sequence or 0 for b in _entries(folder)), default=0) + 1
    for _attempt in range(100):
        target = folder / f"{sequence:06d}-{stamp}-{slug}.ldpm"
        sequence += 1
        target_wal = target.with_name(target.name + "-wal")
        # The WAL first: a main file is never seen without the WAL it needs.
        if wal is not None and not _link_new(wal, target_wal):
            continue
        try:
            placed = _link_new(tmp, target)
        except BaseException:
            if wal is not None:
                remove_quietly(target_wal)
            raise
        if not placed:
            if wal is not None:
                os.replace(target_wal, wal)  # keep it for the next name
            continue
        fsync_dir(folder)
        if not target.is_file():
            raise OSError(f"the backup {target.name} vanished after it was written")
        return target
    raise OSError("no free backup name")


def _link_new(src: Path, dst: Path) -> bool:
    """Put ``src`` at ``dst`` unless ``dst`` exists (False).  ``src`` goes away."""
    try:
        os.link(src, dst)
    except FileExistsError:
        return False
    except OSError:
        # No hard links here (FAT on a USB stick): place it only if the name is free.
        if dst.exists():
            return False
        os.replace(src, dst)
        return True
    remove_quietly(src)
    return True


def prune(folder: Path, keep: int | None = None) -> None:
    """Remove the oldest backups of each reason beyond its limit (:func:`limit_for`); with
    ``keep``, every reason keeps that many instead.  Never raises."""
    pools: dict[str, list[Backup]] = {}
    for backup in _entries(folder):
        if not backup.ours:
            continue
        pool = backup.reason if backup.reason in LIMITS else _OTHER
        pools.setdefault(pool, []).append(backup)
    for pool, members in pools.items():
        limit = keep if keep is not None else LIMITS.get(pool, KEEP)
        for old in members[: max(len(members) - limit, 0)]:
            with contextlib.suppress(OSError):
                old.path.unlink()
            remove_quietly(old.path.with_name(old.path.name + "-wal"))
