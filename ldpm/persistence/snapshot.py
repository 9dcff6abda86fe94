"""Writing a working copy out as a sealed project file, atomically.

:func:`write_snapshot` is the one way a project file is written (a save, Save As, a new
project, a published replica):

1. ``VACUUM INTO`` a temporary file in the target folder (a consistent snapshot, already in
   rollback-journal mode), named by :func:`ldpm.atomic.temp_path` so that an interrupted save
   can be recognised and swept away later;
2. stamp ``meta`` (writer version, device, time) and seal it (see :mod:`fileformat`) — never
   lowering the format and minimum-reader versions the file already claims, so a file from a
   newer LDPM that this one may still edit keeps saying what it is;
3. fsync it, optionally check that the target is still what the caller last saw
   (``expect``), ``os.replace`` it over the target, fsync the folder.

At every instant the target is the whole old file or the whole new one.

:class:`FileState` is what LDPM knows about a document on disk — its seal (the SHA-256 of its
content) and the file-system identity that tells cheaply whether it may have changed since —
so that a save never overwrites a version it has not seen (see :mod:`ldpm.persistence.document`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ldpm import __version__
from ldpm.atomic import fsync_dir, fsync_file, remove_quietly, temp_path
from ldpm.persistence.database import utc_now
from ldpm.persistence.fileformat import (
    CHECKSUM_KEY,
    MIN_READER_VERSION,
    SCHEMA_VERSION,
    FileProblem,
    display_name,
    new_placeholder,
    seal_file,
)


class SaveFailed(FileProblem):
    code = "save_failed"


class ReadOnlyTarget(SaveFailed):
    code = "read_only"


class DiskFull(SaveFailed):
    code = "disk_full"


class TargetChanged(Exception):
    """The target changed between the caller's look at it and the moment of replacing it (a
    colleague's save, a sync client's delivery): nothing was written; look again."""


_SAFE = "your work is kept safe in LDPM meanwhile."


@dataclass(frozen=True, slots=True)
class FileState:
    """A project file as LDPM last read or wrote it.

    ``checksum`` is its seal (SHA-256 over its bytes, stored inside it), so two states with the
    same checksum hold the same content.  The other fields are the file system's view; if they
    are all unchanged the file was not replaced or rewritten (the change time cannot be set by
    programs, unlike the modification time a sync client restores)."""

    checksum: str
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result, checksum: str) -> FileState:
        return cls(checksum, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def same_file(self, st: os.stat_result | None) -> bool:
        """True if ``st`` shows the very file this state describes, untouched."""
        return st is not None and (
            st.st_size,
            st.st_mtime_ns,
            st.st_ctime_ns,
            st.st_ino,
        ) == (self.size, self.mtime_ns, self.ctime_ns, self.ino)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> FileState | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                str(data["checksum"]),
                int(data["size"]),
                int(data["mtime_ns"]),
                int(data["ctime_ns"]),
                int(data["ino"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return Path(path).stat()
    except FileNotFoundError:
        return None


def save_error(exc: BaseException, target: Path) -> SaveFailed:
    """Turn an OS or SQLite error during a save into one sentence for the user."""
    name = display_name(target)
    folder = target.parent
    code = getattr(exc, "errno", None)
    message = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "disk is full" in message:
        return DiskFull(
            f"LDPM could not save {name} because the disk is full. Free up some space, or use "
            f"Save As… to save it on another drive; {_SAFE}",
            target,
        )
    if (
        code in (errno.EACCES, errno.EPERM, errno.EROFS)
        or "readonly" in message
        or "read-only" in message
        or ("unable to open" in message and not os.access(folder, os.W_OK))
    ):
        return ReadOnlyTarget(
            f"LDPM could not save {name} because the folder “{folder.name or folder}” is "
            f"read-only. Use Save As… to save it somewhere you can write; {_SAFE}",
            target,
        )
    if code == errno.ENOENT or not folder.is_dir():
        return SaveFailed(
            f"LDPM could not save {name} because its folder is no longer there (was a drive "
            f"disconnected?). Reconnect it, or use Save As…; {_SAFE}",
            target,
        )
    detail = getattr(exc, "strerror", None) or str(exc)
    return SaveFailed(
        f"LDPM could not save {name} ({detail}). Try again, or use Save As… to save it "
        f"elsewhere; {_SAFE}",
        target,
    )


#: Test seam: called with the temporary file after it is fully written, before it replaces
#: the target.  Fault-injection tests raise from here.
before_replace: Callable[[Path], None] | None = None

_target_locks: dict[str, threading.Lock] = {}
_target_locks_guard = threading.Lock()


def target_lock(target: Path) -> threading.Lock:
    """Writes to one target from this process are serialised, so an older snapshot never lands
    after a newer one that started later."""
    key = os.path.normcase(os.path.abspath(target))
    with _target_locks_guard:
        return _target_locks.setdefault(key, threading.Lock())


def _claimed(con: sqlite3.Connection, key: str, ours: int) -> str:
    """The larger of what the file already claims for ``key`` and this build's value."""
    row = con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    try:
        theirs = int(row[0]) if row is not None else 0
    except (TypeError, ValueError):
        theirs = 0
    return str(max(theirs, ours))


def write_snapshot(
    source: Path,
    target: Path,
    *,
    device: str,
    expect: Callable[[os.stat_result | None], bool] | None = None,
) -> str:
    """Atomically write a sealed copy of the working database ``source`` to ``target``.
    Returns the content checksum.  Raises :class:`SaveFailed`; the target is then untouched.

    ``expect``, if given, is asked just before the target is replaced whether the target (its
    ``stat``, None if absent) is still what the caller last saw; if not, nothing is written
    and :class:`TargetChanged` is raised.  Callers serialise writes to one target with
    :func:`target_lock`."""
    target = Path(target)
    folder = target.parent
    tmp = temp_path(target)
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "folder missing", str(folder))
        mode = None
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(target.stat().st_mode)
        if mode is not None and not mode & stat.S_IWUSR:
            raise ReadOnlyTarget(
                f"LDPM could not save {display_name(target)} because the file is read-only. "
                f"Use Save As… to save a copy under another name; {_SAFE}",
                target,
            )
        src = sqlite3.connect(source)
        try:
            src.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            src.close()
        placeholder = new_placeholder()
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("format_version", _claimed(con, "format_version", SCHEMA_VERSION)),
                        (
                            "min_reader_version",
                            _claimed(con, "min_reader_version", MIN_READER_VERSION),
                        ),
                        ("app_version", __version__),
                        ("device", device),
                        ("saved_at", utc_now()),
                        (CHECKSUM_KEY, placeholder),
                    ],
                )
        finally:
            con.close()
        checksum = seal_file(tmp, placeholder)
        if mode is not None:
            tmp.chmod(mode)  # keep the file's permissions
        fsync_file(tmp)
        if before_replace is not None:
            before_replace(tmp)
        if expect is not None and not expect(stat_or_none(target)):
            raise TargetChanged(str(target))
        os.replace(tmp, target)
    except BaseException as exc:
        remove_quietly(tmp, tmp.with_name(tmp.name + "-journal"))
        if isinstance(exc, SaveFailed | TargetChanged):
            raise
        if isinstance(exc, OSError | sqlite3.Error):
            raise save_error(exc, target) from exc
        raise
    fsync_dir(folder)
    return checksum
