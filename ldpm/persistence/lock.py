"""A lock file that stops a second LDPM from editing the same working copy.

It works like ``QLockFile`` (which ARCHITECTURE.md names) but without Qt, because the
persistence layer must run without a QApplication (the command line, the tests, workers):
the file is created exclusively and holds who owns it — user, computer, process id and the
process's start time.  A lock whose process no longer runs on this computer is *stale*: the
previous LDPM crashed, and the new owner takes the lock over (and knows it did, so it can
offer to restore unsaved work).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldpm.persistence.fileformat import FileProblem

#: An unreadable lock file younger than this may be one being written: not stale yet.
UNREADABLE_GRACE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class LockOwner:
    user: str
    host: str
    pid: int
    started: str  # process start token, to survive pid reuse
    since: float


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


def _alive(pid: int, started: str) -> bool:
    if pid <= 0:
        return False
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


def current_owner() -> LockOwner:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "someone"
    pid = os.getpid()
    return LockOwner(user, socket.gethostname(), pid, _process_start(pid), time.time())


class ProjectLock:
    """An exclusive lock on one working copy folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = False

    def read_owner(self) -> LockOwner | None:
        try:
            data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
            return LockOwner(
                str(data["user"]),
                str(data["host"]),
                int(data["pid"]),
                str(data.get("started", "")),
                float(data.get("since", 0)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_stale(self) -> bool:
        """True if the lock file exists but its owner is gone (or it is unreadable)."""
        if not self.path.exists():
            return False
        owner = self.read_owner()
        if owner is None:
            # Unreadable: garbage left by a crash, or (on file systems without hard links)
            # a lock being written this very moment.  Only the former lasts.
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return False
            return age > UNREADABLE_GRACE_SECONDS
        if owner.host != socket.gethostname():
            return False  # cannot tell; assume the other computer still has it open
        return not _alive(owner.pid, owner.started)

    def acquire(self, document_name: str) -> bool:
        """Take the lock.  Returns True if a stale lock was taken over.  Raises
        :class:`LockHeld` if a running LDPM holds it."""
        took_over = False
        for _attempt in range(3):
            try:
                self._create()
            except FileExistsError:
                if self.is_stale():
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    took_over = True
                    continue
                owner = self.read_owner()
                if owner is None:  # being written this very moment
                    time.sleep(0.05)
                    continue
                raise LockHeld(
                    f"{document_name} is already open in LDPM by {owner.user} on {owner.host}. "
                    "Switch to that window, or close the project there first.",
                    owner,
                ) from None
            self.held = True
            return took_over
        raise LockHeld(
            f"{document_name} is being opened by another LDPM right now. Try again in a moment.",
            current_owner(),
        )

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
            }
        )
        private = self.path.with_name(f"{self.path.name}.{owner.pid}.{uuid.uuid4().hex[:8]}")
        private.write_text(data, encoding="utf-8")
        try:
            os.link(private, self.path)
        except FileExistsError:
            raise
        except OSError:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
        finally:
            with contextlib.suppress(OSError):
                private.unlink()

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False
