"""Writing files atomically, and tidying up after writes that were interrupted.

Every file LDPM writes for the user, or for itself, goes through :func:`atomic_write` (small
files) or follows its steps (big snapshots, see :mod:`ldpm.persistence.document`):

1. write to a temporary file *in the same folder*, named recognisably (:func:`temp_path`);
2. flush and ``fsync`` it;
3. ``os.replace`` it over the final name (atomic on every platform LDPM supports);
4. ``fsync`` the folder, so the rename itself survives a power cut.

A reader therefore sees the whole old file or the whole new one.  A write that is killed half
way leaves only its temporary file behind; :func:`sweep_stale_temps` removes such files once
they are older than any running write could make them, so that interrupted saves do not pile
up beside the user's document or inside a shared sync folder.

Temporary names look like ``.Plan.ldpm.4f1c9a2b7d.ldpm-tmp``: hidden, ending in
:data:`TEMP_SUFFIX`, so sync clients' ignore rules and people can tell them apart.

This module is below every layer (plain ``os``); the UI, services, sync and persistence all use
it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import uuid
from pathlib import Path

#: What every temporary file LDPM writes ends with.
TEMP_SUFFIX = ".ldpm-tmp"
#: A temporary file untouched for this long belongs to no running write: the slowest save of
#: the largest project over a slow network share takes well under a minute, and writes keep
#: touching the file while they run.
STALE_AFTER_SECONDS = 15 * 60.0
#: SQLite keeps these beside a database it writes (``VACUUM INTO`` a temporary file).
_SQLITE_SIDECARS = ("-journal", "-wal", "-shm")


def temp_path(final: Path) -> Path:
    """A fresh temporary path beside ``final`` (same folder, so ``os.replace`` is atomic)."""
    final = Path(final)
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:10]}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """True for a temporary file (or its SQLite sidecar) written by :func:`temp_path`."""
    base = name.rsplit("/", 1)[-1]
    for suffix in _SQLITE_SIDECARS:
        if base.endswith(TEMP_SUFFIX + suffix):
            base = base[: -len(suffix)]
            break
    return base.startswith(".") and base.endswith(TEMP_SUFFIX)


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk.  Opened for writing: Windows refuses ``fsync`` (it is
    ``FlushFileBuffers``) on a descriptor opened read-only."""
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened, such as
    Windows, whose file systems make renames durable themselves)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            Path(p).unlink()


def atomic_write(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` atomically and durably.  Raises ``OSError``; the old
    file (if any) is then untouched and no temporary file is left behind."""
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    tmp = temp_path(path)
    try:
        with tmp.open("xb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_dir(path.parent)


def sweep_stale_temps(
    folder: Path, *, older_than: float = STALE_AFTER_SECONDS, now: float | None = None
) -> list[Path]:
    """Remove LDPM's temporary files in ``folder`` (not its sub-folders) that no running write
    can still be using.  Returns what was removed.  Never raises: tidying is best effort."""
    removed: list[Path] = []
    moment = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = moment - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age < older_than:
            continue
        try:
            Path(entry.path).unlink()
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed
