"""What every sync target shares: names, entries, errors, the protocol, finding the folder.

A target is a shared folder (OneDrive, Dropbox, an SMB share…; :mod:`ldpm.sync.folder_target`)
or a WebDAV server (:mod:`ldpm.sync.webdav_target`).  Both hold the same layout::

    <root>/<sync folder>/ldpm-project-<project uuid>.txt   the marker: whose folder this is
    <root>/<sync folder>/replicas/<device>.ldpm
    <root>/<sync folder>/presence/<device>.json

**Finding the sync folder.**  The folder is created under the project's name (the workspace
name; ``Northwind.ldpm-sync``) and holds a small marker file naming the project's UUID.  A
target is found by that marker *whatever the folder is called*: a copy of the document named
"Northwind (1).ldpm", a Save As, a renamed document or a renamed folder all sync with the same
folder.  :func:`choose_folder` looks, in order, at the folders the caller names first (the one
found last time, the project's name, the name older versions gave it: the document's file
name), then at every other folder under the root; a folder of those names ending in
``.ldpm-sync`` without any marker (made by an older LDPM) is adopted; only then is a new folder
created — numbered if the name is taken by another project.

Each device writes only its own files.  Every write is atomic: a hidden temporary file named
by :func:`ldpm.atomic.temp_path` (``.<name>.<random>.ldpm-tmp``) is written beside the final
name and then renamed (folder) or moved (WebDAV) over it, so a reader sees the whole old file or
the whole new one.  A write that was killed leaves its temporary file behind; the next sync of
the device that wrote it removes it once it is stale (:meth:`SyncTarget.sweep_temps`).

Names read from a target are untrusted: one that is not a plain relative path (a backslash, a
``..``, an empty segment) is skipped when listing, never used.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ldpm.atomic import STALE_AFTER_SECONDS, TEMP_SUFFIX, temp_path
from ldpm.atomic import is_temp_name as _is_atomic_temp

SYNC_SUFFIX = ".ldpm-sync"
REPLICAS = "replicas"
PRESENCE = "presence"
MARKER_PREFIX = "ldpm-project-"
MARKER_SUFFIX = ".txt"
#: Delays between attempts to rename over a file that a sync client keeps open.
RENAME_BACKOFF: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)
#: How many numbered folder names ("Plan (2).ldpm-sync" …) are tried before giving up.
MAX_NUMBERED = 50
CHUNK = 1 << 16
#: Temporary names written by LDPM before 0.2 (``.<name>.<12 hex>.tmp``).
_LEGACY_TEMP_RE = re.compile(r"^\.(?P<final>.+)\.[0-9a-f]{12}\.tmp$")
_TEMP_RE = re.compile(rf"^\.(?P<final>.+)\.[0-9a-f]{{10}}{re.escape(TEMP_SUFFIX)}$")
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_UUID_RE = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

SAFE = "your work is safe on this computer"


# ----------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """A file in the target, relative to the sync folder."""

    #: '/'-separated path relative to the sync folder, e.g. ``replicas/ab12….ldpm``.
    name: str
    size: int
    #: Changes whenever the file changes: ``"size:mtime_ns"`` in a folder, the ETag on WebDAV.
    fingerprint: str

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]


# ------------------------------------------------------------------------------- names


def sync_folder_name(project_name: str, number: int = 1) -> str:
    """The sync folder's name for a project, safe on every file system (``number`` > 1 gives
    "Plan (2).ldpm-sync", for when another project already uses the plain name)."""
    cleaned = _UNSAFE_CHARS.sub("_", project_name).strip().rstrip(". ")[:120]
    base = cleaned or "Project"
    if number > 1:
        base = f"{base} ({number})"
    return f"{base}{SYNC_SUFFIX}"


def _check_device(device: str) -> str:
    if not _DEVICE_RE.match(device):
        raise ValueError(f"not a device id: {device!r}")
    return device


def replica_name(device: str) -> str:
    return f"{REPLICAS}/{_check_device(device)}.ldpm"


def presence_name(device: str) -> str:
    return f"{PRESENCE}/{_check_device(device)}.json"


def marker_name(project_uuid: str) -> str:
    """The marker file that says a sync folder belongs to ``project_uuid``."""
    if not _UUID_RE.match(project_uuid):
        raise ValueError(f"not a project id: {project_uuid!r}")
    return f"{MARKER_PREFIX}{project_uuid}{MARKER_SUFFIX}"


def marker_project(name: str) -> str | None:
    """The project UUID a marker file (directly in the sync folder) names, else None."""
    if "/" in name or not (name.startswith(MARKER_PREFIX) and name.endswith(MARKER_SUFFIX)):
        return None
    value = name[len(MARKER_PREFIX) : -len(MARKER_SUFFIX)]
    return value if _UUID_RE.match(value) else None


def is_marker_name(name: str) -> bool:
    return marker_project(name) is not None


def marker_text(project_name: str, project_uuid: str) -> str:
    return (
        f"This folder holds the copies LDPM uses to keep the project “{project_name}” in step "
        "between computers. Leave this file here: it lets LDPM find the folder whatever it is "
        f"called.\n\nproject: {project_uuid}\n"
    )


def is_temp_name(name: str) -> bool:
    """True for the temporary files targets write before a rename (this version's and the
    ones earlier versions wrote)."""
    base = name.rsplit("/", 1)[-1]
    return _is_atomic_temp(base) or bool(_LEGACY_TEMP_RE.match(base))


def temp_basename(basename: str) -> str:
    """A fresh temporary name for a file that will be renamed to ``basename``."""
    return temp_path(Path(basename)).name


def temp_final_name(name: str) -> str | None:
    """For a temporary file ``dir/.<final>.<random>.ldpm-tmp``: ``dir/<final>``, else None."""
    folder, _, base = name.rpartition("/")
    match = _TEMP_RE.match(base) or _LEGACY_TEMP_RE.match(base)
    if match is None:
        return None
    final = match.group("final")
    return f"{folder}/{final}" if folder else final


def is_own_stale_temp(name: str, device: str, age_seconds: float | None) -> bool:
    """True for a temporary file that this device's interrupted write left behind (its
    replica, its presence file, or a marker) and that no write can still be using."""
    final = temp_final_name(name)
    if final is None or age_seconds is None or age_seconds < STALE_AFTER_SECONDS:
        return False
    return final in (replica_name(device), presence_name(device)) or is_marker_name(final)


def split_name(name: str) -> list[str]:
    """The segments of a name inside the sync folder.  Raises ValueError for anything that is
    not a plain relative path (those could point outside the sync folder)."""
    parts = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a name inside the sync folder: {name!r}")
    return parts


def is_valid_name(name: str) -> bool:
    try:
        split_name(name)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ errors


class TargetError(Exception):
    """A target cannot be used right now.  ``str(error)`` is a sentence for the user."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


class TargetUnreachable(TargetError):
    """The folder or server is not there (disconnected drive, no network, wrong address)."""


class TargetReadOnly(TargetError):
    """LDPM may read but not write the target."""


class TargetFull(TargetError):
    """The target has no space left."""


class TargetAuthFailed(TargetError):
    """The server refused the user name or password."""


class TargetBusy(TargetError):
    """Another program (usually a sync client) keeps the file locked; try again later."""


class Changed(TargetError):
    """Compare-and-swap failed: the remote file changed since the caller last saw it (or
    changed while it was being read)."""


def changed(name: str, label: str) -> Changed:
    return Changed(
        f"“{name}” in {label} changed while LDPM was working with it; LDPM will read it again "
        "and retry."
    )


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------- protocol


class SyncTarget(Protocol):
    """Where replicas are published and read.  Every method is safe on a worker thread."""

    label: str

    def locate(self) -> Location:
        """Find the project's sync folder under the root (or choose where to create it).
        Raises :class:`TargetError` if the root cannot be reached."""
        ...

    @property
    def identity(self) -> str:
        """The sync folder this target uses, as a stable string (its path or URL): the key
        under which a working copy remembers what it merged from there."""
        ...

    def list_entries(self) -> list[Entry]:
        """Every regular file under the sync folder, recursively (never temporary files or
        names that are not plain relative paths).  An absent sync folder is an empty list;
        an absent root is unreachable."""
        ...

    def fetch(self, entry: Entry, dest: Path) -> Entry:
        """Copy ``entry`` to the local file ``dest``; return the entry as read.  Raises
        :class:`Changed` if it changed during the read or disappeared."""
        ...

    def publish(self, source: Path, name: str, expected: str | None) -> Entry:
        """Atomically put ``source`` at ``name`` if the remote fingerprint is still
        ``expected`` (None: the file must not exist), else raise :class:`Changed` and leave
        the target untouched.  Returns the new entry."""
        ...

    def write_text(self, name: str, text: str) -> None:
        """Atomically write a small UTF-8 file (no compare-and-swap)."""
        ...

    def read_text(self, entry: Entry) -> str: ...

    def remove(self, name: str) -> None:
        """Delete this device's file ``name`` if it is there."""
        ...

    def sweep_temps(self, device: str) -> list[str]:
        """Remove the stale temporary files ``device``'s interrupted writes left behind (never
        another device's); return their names.  Best effort: never raises."""
        ...


# ------------------------------------------------------------------------------ locking

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def lock_for(key: str) -> threading.Lock:
    """Writes to one remote file from this process are serialised, so the compare-and-swap
    check and the rename are not interleaved with another thread's."""
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ------------------------------------------------------------------- finding the folder


@dataclass(frozen=True)
class Location:
    """The sync folder a target uses: its name under the root, and whether it already holds
    this project's marker (if not, the first write adds it)."""

    name: str
    marked: bool


def choose_folder(
    project_uuid: str,
    names_first: Sequence[str],
    create_as: str,
    markers_in: Callable[[str], set[str] | None],
    subfolders: Callable[[], Iterable[str]],
) -> Location:
    """Find the sync folder of ``project_uuid`` under a root, or choose a new one.

    ``markers_in(name)`` gives the project UUIDs marked in folder ``name`` (None if there is
    no such folder); ``subfolders()`` lists the folders directly under the root.  See the
    module docstring for the order.
    """
    first = [
        name
        for name in dict.fromkeys([*names_first, create_as])
        if name and "/" not in name and is_valid_name(name)
    ]
    seen: dict[str, set[str] | None] = {}

    def marks(name: str) -> set[str] | None:
        if name not in seen:
            seen[name] = markers_in(name)
        return seen[name]

    for name in first:
        found = marks(name)
        if found is not None and project_uuid in found:
            return Location(name, True)
    for name in sorted(set(subfolders()) - set(first)):
        if not is_valid_name(name):
            continue
        found = marks(name)
        if found is not None and project_uuid in found:
            return Location(name, True)
    for name in first:
        # A folder named the way LDPM names them, without any marker, was made by an LDPM
        # that wrote none: ours to adopt.  (Any other unmarked folder is someone's own.)
        if name.endswith(SYNC_SUFFIX) and marks(name) == set():
            return Location(name, False)
    stem = create_as.removesuffix(SYNC_SUFFIX)
    for number in range(1, MAX_NUMBERED + 1):
        name = create_as if number == 1 else sync_folder_name(stem, number)
        if marks(name) is None:
            return Location(name, False)
    return Location(create_as, False)  # every name taken: share the plain one
