"""Presence notes beside a document: who else has this file open.

The project lock lives in the local data folder, so two people opening the same ``.ldpm`` on a
shared drive (or one person on two computers) would never learn of each other.  As office
suites leave ``~$Plan.docx`` or ``.~lock.Plan.odt#`` beside a document, LDPM leaves a small JSON
note per device beside the document it has open::

    .~lock.Plan.ldpm.<device>.json

hidden (a leading dot; the hidden attribute on Windows), recognisable (:func:`is_presence_note`,
so code that scans the folder can skip it), and one file per device, so nobody ever overwrites
another's note.  It holds the person's display name (:func:`ldpm.identity.person_name` — a
person, never an account and host), the device id, the app version, when this device opened the
document (``since``) and a heartbeat time (``seen``).

How to use it: :func:`announce` when the document is opened (or saved under a new name) and
then about every :data:`HEARTBEAT_SECONDS`; :func:`withdraw` when it is closed (and from the old
path after Save As); :func:`others` for the people to show.  All three are best effort and never
raise: a missing or read-only folder, an unreachable share or a full disk is silent.

A note *informs and never blocks*.  A note whose heartbeat is older than
:data:`STALE_AFTER_SECONDS` (its LDPM crashed, or the computer sleeps), or so far in the future
that the clock that wrote it cannot be trusted, is ignored; one older than
:data:`REMOVE_AFTER_SECONDS` is removed by whoever sees it.  Notes are untrusted input: at most
:data:`MAX_NOTE_BYTES` are read, only regular files are read (never a link, a pipe or a device),
every field's type is checked, and control characters are removed from the name.  Times are the
writer's clock; a clock a few minutes off only shortens or lengthens how long a crashed device
is shown.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldpm import __version__
from ldpm.atomic import atomic_write
from ldpm.identity import MAX_NAME, person_name

#: How often an open document's note should be refreshed with :func:`announce`.
HEARTBEAT_SECONDS = 60.0
#: A note not refreshed for this long belongs to an LDPM that is gone: ignored.
STALE_AFTER_SECONDS = 5 * HEARTBEAT_SECONDS
#: A note this old (by its heartbeat and by its file's time) is removed by whoever sees it.
REMOVE_AFTER_SECONDS = 24 * 3600.0
#: Notes are tiny; a bigger file is not read.
MAX_NOTE_BYTES = 4096
PREFIX = ".~lock."
SUFFIX = ".json"
_FORMAT = 1
_MAX_VERSION = 32
_DEVICE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NOTE = re.compile(r"\.~lock\.(?P<document>.+)\.(?P<device>[A-Za-z0-9_-]{1,64})\.json")


@dataclass(frozen=True, slots=True)
class Present:
    """Someone else who has the document open."""

    name: str  # a person's display name, cleaned
    device: str
    app_version: str
    since: float  # when they opened it (seconds since the epoch, their clock)
    seen: float  # their last heartbeat (their clock)


def is_presence_note(name: str) -> bool:
    """True if a file name (in a document's folder) is a presence note."""
    return _NOTE.fullmatch(name.rsplit("/", 1)[-1]) is not None


def _device_part(device: str) -> str:
    part = re.sub(r"[^A-Za-z0-9_-]", "", device)[:64]
    if part:
        return part
    import hashlib

    return hashlib.sha256(device.encode("utf-8", "replace")).hexdigest()[:16]


def _real(document: Path) -> Path:
    """The document as others reach it: through links, to the real file's folder."""
    return Path(os.path.realpath(document))


def note_path(document: Path, device: str) -> Path:
    """Where ``device`` keeps its note about ``document``."""
    real = _real(document)
    return real.with_name(f"{PREFIX}{real.name}.{_device_part(device)}{SUFFIX}")


def announce(document: Path, device: str, *, now: float | None = None) -> None:
    """Write or refresh this device's note beside ``document``.  Never raises."""
    moment = time.time() if now is None else now
    try:
        path = note_path(document, device)
        if not path.parent.is_dir():
            return  # never create the user's folders
        mine = _read_note(path)
        since = moment
        if mine is not None and mine.device == device and _fresh(mine, moment):
            since = mine.since  # the same session goes on
        data = {
            "format": _FORMAT,
            "name": person_name(),
            "device": device,
            "app_version": __version__,
            "since": since,
            "seen": moment,
        }
        atomic_write(path, json.dumps(data, ensure_ascii=False))
        _hide(path)
    except (OSError, ValueError):
        return


def withdraw(document: Path, device: str) -> None:
    """Remove this device's note (the document was closed).  Never raises."""
    with contextlib.suppress(OSError, ValueError):
        note_path(document, device).unlink()


def others(document: Path, device: str, *, now: float | None = None) -> list[Present]:
    """Everyone else with a fresh note beside ``document``, most recently seen first.
    Never raises."""
    moment = time.time() if now is None else now
    try:
        real = _real(document)
        own = _device_part(device)
        prefix = f"{PREFIX}{real.name}."
        entries = list(os.scandir(real.parent))
    except (OSError, ValueError):
        return []
    found: list[Present] = []
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(SUFFIX)):
            continue
        part = name[len(prefix) : -len(SUFFIX)]
        if part == own or not _DEVICE.fullmatch(part):
            continue
        path = Path(entry.path)
        note = _read_note(path)
        if note is not None and _device_part(note.device) != part:
            note = None  # a note copied or renamed from another device's name
        if note is not None and _fresh(note, moment):
            found.append(note)
        elif _abandoned(entry, note, moment):
            with contextlib.suppress(OSError):
                path.unlink()
    found.sort(key=lambda p: p.seen, reverse=True)
    return found


def _fresh(note: Present, now: float) -> bool:
    return abs(now - note.seen) <= STALE_AFTER_SECONDS


def _abandoned(entry: os.DirEntry[str], note: Present | None, now: float) -> bool:
    try:
        if not entry.is_file(follow_symlinks=False):
            return False
        mtime = entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if now - mtime <= REMOVE_AFTER_SECONDS:
        return False
    return note is None or now - note.seen > REMOVE_AFTER_SECONDS


def _read_note(path: Path) -> Present | None:
    """A note's contents, or None if it is absent, not a regular file, too big or malformed."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, MAX_NOTE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_NOTE_BYTES:
        return None
    try:
        return _parse(json.loads(data.decode("utf-8")))
    except (ValueError, RecursionError):
        return None


def _parse(raw: Any) -> Present | None:
    if not isinstance(raw, dict):
        return None
    name, device, version = raw.get("name"), raw.get("device"), raw.get("app_version", "")
    seen = _time(raw.get("seen"))
    since = _time(raw.get("since", raw.get("seen")))
    if not (isinstance(name, str) and isinstance(device, str) and isinstance(version, str)):
        return None
    if seen is None or since is None:
        return None
    cleaned = _clean(name, MAX_NAME)
    if not cleaned or not device:
        return None
    return Present(cleaned, device, _clean(version, _MAX_VERSION), since, seen)


def _time(value: object) -> float | None:
    """Seconds since the epoch, if ``value`` is a plausible one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not (math.isfinite(value) and 0 <= value < 1e11):
        return None
    return float(value)


def _clean(text: str, limit: int) -> str:
    """Control and format characters (line breaks, bidirectional overrides) become spaces;
    runs of spaces become one."""
    visible = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(visible.split())[:limit]


def _hide(path: Path) -> None:
    """Set the hidden attribute where a leading dot does not hide a file."""
    if sys.platform != "win32":
        return
    import ctypes  # pragma: no cover - exercised on Windows only

    with contextlib.suppress(OSError, AttributeError):  # pragma: no cover
        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN
