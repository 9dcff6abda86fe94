"""A lock file that stops a second LDPM from editing the same working copy.

It works like ``QLockFile`` (which ARCHITECTURE.md names) but without Qt, because the
persistence layer must run without a QApplication (the command line, the tests, workers):
the file is created exclusively and holds who owns it — user, computer, process id, the
process's start time and a token unique to this lock.

The owner proves it is alive with a *heartbeat*: :meth:`ProjectLock.refresh`, called about every
:data:`HEARTBEAT_SECONDS` while the project is open, touches the lock's modification time (it
never rewrites the file, so it can never overwrite another's lock).  A lock is *stale* — the
previous LDPM crashed, and a new owner takes it over (and knows it did, so it can offer to
restore unsaved work) — when:

* it was written on this computer and its process no longer runs; or
* it was written on another computer (the data folder travels: a portable ``LDPM_HOME`` on a
  USB stick, a roaming profile) and its heartbeat is older than :data:`STALE_AFTER_SECONDS`, or
  so far in the future that the clock that wrote it cannot be trusted; or
* it is unreadable and older than :data:`UNREADABLE_GRACE_SECONDS`.

Taking over is atomic.  Takers queue on an operating-system lock (``flock``, or a locked byte
on Windows, released by the system if the process dies, so it never goes stale) held on a side
file, ``lock.takeover``, for the few microseconds a takeover takes; where the file system has no
such locks they go ahead unqueued.  Holding it, a taker reads the lock again and goes on only
if it still holds exactly the bytes it judged stale.  It renames the stale lock to a unique
name and checks that the file it moved is that one; only then does it delete it.  (If it moved
another file — possible only without the queue, or if the stale owner itself woke up in that
instant — it puts it back without replacing anything.)  The new lock is then created
exclusively: if another LDPM got there first, this one finds a live lock and is refused.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import math
import os
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldpm.atomic import remove_quietly, temp_path
from ldpm.persistence.fileformat import FileProblem

#: How often the owner of a lock should call :meth:`ProjectLock.refresh`.
HEARTBEAT_SECONDS = 60.0
#: A lock from another computer whose heartbeat is this old belongs to an LDPM that is gone.
STALE_AFTER_SECONDS = 5 * HEARTBEAT_SECONDS
#: An unreadable lock file younger than this may be one being written: not stale yet.
UNREADABLE_GRACE_SECONDS = 10.0
#: Lock files are tiny; anything bigger is not a lock LDPM wrote.
_MAX_BYTES = 64 * 1024
_ATTEMPTS = 6
#: The side file takers queue on (see the module's docstring).
TAKEOVER_SUFFIX = ".takeover"


@dataclass(frozen=True, slots=True)
class LockOwner:
    user: str
    host: str
    pid: int
    started: str  # process start token, to survive pid reuse
    since: float
    name: str = ""  # a person's display name, if the lock's writer recorded one
    token: str = ""  # unique to one acquisition of the lock

    @property
    def who(self) -> str:
        return self.name or self.user


class LockHeld(FileProblem):
    code = "locked"

    def __init__(self, sentence: str, owner: LockOwner) -> None:
        super().__init__(sentence)
        self.owner = owner


def _process_start(pid: int) -> str:
    """A token that differs between two processes that had the same pid ('' if unknown)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return ""
    # Field 22 (starttime) comes after the parenthesised command name, which may hold spaces.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def _alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    # os.kill(pid, 0) would send CTRL_C_EVENT (0) there, not probe the process.
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: exists, someone else's
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _alive(pid: int, started: str) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    if started:
        now = _process_start(pid)
        if now and now != started:
            return False  # the pid was reused by another process
    return True


@contextlib.contextmanager
def _queue(side: Path) -> Iterator[None]:
    """Hold the operating system's exclusive lock on ``side`` (waiting for it), or go ahead
    without it where the file system has none."""
    try:
        fd = os.open(side, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            _os_lock(fd)
        except OSError:
            yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                _os_unlock(fd)
    finally:
        os.close(fd)


def _os_lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises OSError
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def current_owner() -> LockOwner:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "someone"
    pid = os.getpid()
    return LockOwner(
        user,
        socket.gethostname(),
        pid,
        _process_start(pid),
        time.time(),
        token=uuid.uuid4().hex,
    )


def _parse(data: bytes) -> LockOwner | None:
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict):
            return None
        return LockOwner(
            str(raw["user"]),
            str(raw["host"]),
            int(raw["pid"]),
            str(raw.get("started", "")),
            float(raw.get("since", 0)),
            str(raw.get("name", "")),
            str(raw.get("token", "")),
        )
    except (ValueError, KeyError, TypeError, OverflowError):
        return None


def _read(path: Path) -> tuple[bytes, float]:
    """The lock's bytes and modification time.  Raises OSError (FileNotFoundError if absent)."""
    with path.open("rb") as fh:
        data = fh.read(_MAX_BYTES + 1)
        mtime = os.fstat(fh.fileno()).st_mtime
    return data, mtime


class ProjectLock:
    """An exclusive lock on one working copy folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = False
        self._token = ""

    def read_owner(self) -> LockOwner | None:
        try:
            data, _mtime = _read(self.path)
        except OSError:
            return None
        return _parse(data)

    def is_stale(self, *, now: float | None = None) -> bool:
        """True if the lock file exists but its owner is gone (see the module's docstring)."""
        try:
            data, mtime = _read(self.path)
        except OSError:
            return False
        return self._judge(data, mtime, time.time() if now is None else now)

    @staticmethod
    def _judge(data: bytes, mtime: float, now: float) -> bool:
        owner = _parse(data)
        if owner is None:
            # Unreadable: garbage left by a crash, or (on file systems without hard links)
            # a lock being written this very moment.  Only the former lasts.
            return now - mtime > UNREADABLE_GRACE_SECONDS
        if owner.host == socket.gethostname():
            return not _alive(owner.pid, owner.started)
        # Another computer: we cannot see its processes, only its heartbeat.
        return abs(now - mtime) > STALE_AFTER_SECONDS

    def acquire(self, document_name: str) -> bool:
        """Take the lock.  Returns True if a stale lock was taken over.  Raises
        :class:`LockHeld` if a running LDPM holds it."""
        took_over = False
        for _attempt in range(_ATTEMPTS):
            try:
                self._create()
            except FileExistsError:
                pass
            else:
                self.held = True
                return took_over
            try:
                data, mtime = _read(self.path)
            except FileNotFoundError:
                continue  # released or taken away just now: try again
            except OSError:
                time.sleep(0.05)
                continue
            now = time.time()
            if self._judge(data, mtime, now):
                took_over = self._take_over(data) or took_over
                continue
            owner = _parse(data)
            if owner is None:  # being written this very moment
                time.sleep(0.05)
                continue
            raise LockHeld(self._held_sentence(document_name, owner, now - mtime), owner)
        raise LockHeld(
            f"{document_name} is being opened by another LDPM right now. Try again in a moment.",
            current_owner(),
        )

    @staticmethod
    def _held_sentence(document_name: str, owner: LockOwner, age: float) -> str:
        if owner.host == socket.gethostname():
            return (
                f"{document_name} is already open in LDPM by {owner.who} on this computer. "
                "Switch to that window, or close the project there first."
            )
        minutes = max(1, math.ceil((STALE_AFTER_SECONDS - age) / 60))
        return (
            f"{document_name} is already open in LDPM by {owner.who} on {owner.host}. Close it "
            f"there; if LDPM is no longer running there, it can be opened here in {minutes} "
            f"minute{'s' if minutes != 1 else ''}."
        )

    def _take_over(self, judged: bytes) -> bool:
        """Remove the stale lock holding ``judged``, one taker at a time.  Returns True if
        this call removed it; False if it was gone or had changed (another taker was first)."""
        with _queue(self.path.with_name(self.path.name + TAKEOVER_SUFFIX)):
            try:
                current, mtime = _read(self.path)
            except OSError:
                return False
            if current != judged or not self._judge(current, mtime, time.time()):
                return False
            return self._take_away(judged)

    def _take_away(self, judged: bytes) -> bool:
        """Remove the stale lock holding ``judged``, unless someone else has already taken it
        over.  Returns True if this call removed it."""
        grave = temp_path(self.path)
        try:
            os.replace(self.path, grave)  # of two takers, only one moves the file
        except OSError:
            return False  # gone already (another taker), or held open: look again
        try:
            moved, _mtime = _read(grave)
        except OSError:
            moved = b""
        if moved == judged:
            remove_quietly(grave)
            return True
        # We moved a lock another taker has just created: put it back, never over another.
        try:
            os.link(grave, self.path)
        except FileExistsError:
            pass  # a third LDPM created one meanwhile; the moved lock's owner has lost it
        except OSError:
            if not self.path.exists():
                with contextlib.suppress(OSError):
                    os.replace(grave, self.path)
        remove_quietly(grave)
        return False

    def _create(self) -> None:
        """Create the lock file with its contents already in it, or raise FileExistsError.
        The owner is written to a private file first and hard-linked into place, so nobody
        ever sees a lock without an owner; where hard links are not supported, an exclusive
        create is the fallback."""
        owner = current_owner()
        data = json.dumps(
            {
                "user": owner.user,
                "host": owner.host,
                "pid": owner.pid,
                "started": owner.started,
                "since": owner.since,
                "token": owner.token,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        private = temp_path(self.path)
        try:
            with private.open("xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(private, self.path)
            except FileExistsError:
                raise
            except OSError:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
        finally:
            remove_quietly(private)
        self._token = owner.token

    def _still_mine(self) -> bool | None:
        """True if the lock file is this object's, False if not (or absent), None if it cannot
        be read right now."""
        try:
            data, _mtime = _read(self.path)
        except FileNotFoundError:
            return False
        except OSError:
            return None
        owner = _parse(data)
        return owner is not None and bool(self._token) and owner.token == self._token

    def refresh(self) -> bool:
        """The heartbeat: call about every :data:`HEARTBEAT_SECONDS` while holding the lock.
        Returns False if the lock is no longer this LDPM's (it was taken over while this
        computer slept, or removed): the project is then no longer protected.  Never raises."""
        if not self.held:
            return False
        mine = self._still_mine()
        if mine is False:
            self.held = False
            return False
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return True

    def release(self) -> None:
        """Remove the lock if it is still this object's (never another LDPM's)."""
        if self.held and self._still_mine() is not False:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.held = False
