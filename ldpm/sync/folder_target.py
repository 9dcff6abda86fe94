"""A sync target in a folder: a local disk, a network share, or inside a cloud-synced folder.

See :mod:`ldpm.sync.target_base` for the layout, how the sync folder is found, and the rules
every target follows.  Writes go to a temporary file beside the final name, are fsynced through
a descriptor opened for writing (Windows refuses ``fsync`` on a read-only one), renamed over the
final name (retried with back-off while a sync client holds it open), and the folder is fsynced.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from ldpm.atomic import atomic_write, fsync_dir
from ldpm.sync.target_base import (
    CHUNK,
    PRESENCE,
    RENAME_BACKOFF,
    REPLICAS,
    SAFE,
    Entry,
    Location,
    TargetBusy,
    TargetError,
    TargetFull,
    TargetReadOnly,
    TargetUnreachable,
    cap,
    changed,
    choose_folder,
    is_own_stale_temp,
    is_temp_name,
    is_valid_name,
    lock_for,
    marker_name,
    marker_project,
    marker_text,
    remove_quietly,
    split_name,
    sync_folder_name,
    temp_basename,
)

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_GONE = {
    errno.ENOENT,
    errno.ENOTDIR,
    errno.ENODEV,
    errno.ENXIO,
    errno.EIO,
    errno.ESTALE,
    errno.ETIMEDOUT,
    errno.EHOSTDOWN,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ENETDOWN,
    errno.ENOTCONN,
    errno.ECONNREFUSED,
    errno.ECONNRESET,
}
#: Errors a rename gets while another program has the file open (Windows sharing violations
#: surface as PermissionError / EACCES; some network file systems say EBUSY).
_BLOCKED = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def _copy(src: BinaryIO, dst: BinaryIO) -> None:
    """Copy one open file to another (a seam for tests that change a file mid-read)."""
    shutil.copyfileobj(src, dst, CHUNK)


def _folder_fingerprint(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


class FolderTarget:
    """A sync folder on a local disk, a network share or inside a cloud-synced folder.

    With ``project_uuid`` the sync folder is found by its marker (see
    :mod:`ldpm.sync.target_base`): ``look_first`` names folders to try before scanning the
    root, and a new folder is named after ``project_name``.  Without it (tests, tools) the
    folder is simply ``<root>/<project_name>.ldpm-sync``.
    """

    def __init__(
        self,
        root: Path,
        project_name: str,
        *,
        project_uuid: str | None = None,
        look_first: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        backoff: Sequence[float] = RENAME_BACKOFF,
    ) -> None:
        self.root = Path(root)
        self.project_name = project_name
        self.project_uuid = project_uuid
        self._look_first = tuple(look_first)
        self.label = f"the sync folder “{self.root}”"
        self._sleep = sleep
        self._backoff = tuple(backoff)
        self._location: Location | None = None
        if project_uuid is None:
            self._location = Location(sync_folder_name(project_name), True)
        self._locating = threading.Lock()

    def __repr__(self) -> str:
        return f"FolderTarget({str(self.root)!r}, {self.project_name!r})"

    # -- where

    def locate(self) -> Location:
        """Find (or choose) the sync folder; cached.  Raises :class:`TargetError`."""
        with self._locating:
            if self._location is None:
                self._check_root()
                assert self.project_uuid is not None
                try:
                    self._location = choose_folder(
                        self.project_uuid,
                        self._look_first,
                        sync_folder_name(self.project_name),
                        self._markers_in,
                        self._subfolders,
                    )
                except OSError as exc:
                    raise self._error(exc, reading=self.root.name) from exc
            return self._location

    @property
    def folder(self) -> Path:
        return self.root / self.locate().name

    @property
    def identity(self) -> str:
        return "folder:" + os.path.normcase(os.path.abspath(self.folder))

    def _markers_in(self, name: str) -> set[str] | None:
        folder = self.root / name
        if not folder.is_dir():
            return None
        found = set()
        for item in os.scandir(folder):
            project = marker_project(item.name)
            if project is not None and item.is_file():
                found.add(project)
        return found

    def _subfolders(self) -> list[str]:
        return [item.name for item in os.scandir(self.root) if item.is_dir()]

    # -- helpers

    def _path(self, name: str) -> Path:
        return self.folder.joinpath(*split_name(name))

    def _error(self, exc: OSError, reading: str | None = None) -> TargetError:
        """The error for an OS error; ``reading`` names the file being read, if any."""
        code = exc.errno
        if reading is not None and (code in _READ_ONLY or isinstance(exc, PermissionError)):
            return TargetError(
                f"LDPM is not allowed to read “{reading}” in {self.label}. Ask the owner of "
                f"the sync folder for access; {SAFE}."
            )
        if code in _FULL:
            return TargetFull(
                f"{cap(self.label)} is full, so LDPM could not publish your changes there. "
                f"Free up some space and sync again; {SAFE}."
            )
        if code in _READ_ONLY or isinstance(exc, PermissionError):
            return TargetReadOnly(
                f"LDPM cannot write to {self.label} because it is read-only. Ask for write "
                f"access or choose another sync folder; {SAFE}."
            )
        if code in _GONE or not self.root.is_dir():
            return TargetUnreachable(
                f"LDPM cannot reach {self.label}. Check that the drive or network share is "
                f"connected; {SAFE}."
            )
        detail = exc.strerror or str(exc)
        return TargetError(f"LDPM could not use {self.label} ({detail}); {SAFE}.")

    def _check_root(self) -> None:
        try:
            ok = self.root.is_dir()
        except OSError as exc:  # pragma: no cover - is_dir swallows most errors
            raise self._error(exc) from exc
        if not ok:
            raise TargetUnreachable(
                f"LDPM cannot find {self.label} — it may have been moved or deleted, or the "
                f"drive it is on is not connected; {SAFE}."
            )

    def _current(self, path: Path) -> str | None:
        try:
            return _folder_fingerprint(path.stat())
        except FileNotFoundError:
            return None

    # -- reading

    def list_entries(self) -> list[Entry]:
        self._check_root()
        folder = self.folder
        entries: list[Entry] = []
        try:
            if not folder.is_dir():
                return []
            self._walk(folder, folder, "", entries)
        except OSError as exc:
            raise self._error(exc, reading=folder.name) from exc
        entries.sort(key=lambda e: e.name)
        return entries

    def _walk(
        self,
        top: Path,
        folder: Path,
        prefix: str,
        out: list[Entry],
        temps: list[tuple[str, float]] | None = None,
    ) -> None:
        try:
            items = list(os.scandir(folder))
        except FileNotFoundError:
            if folder == top:
                raise
            return  # a sub-folder vanished while listing
        for item in items:
            name = prefix + item.name
            if not is_valid_name(name):
                continue  # e.g. a backslash in a file name: not a name LDPM can use
            try:
                if item.is_dir(follow_symlinks=False):
                    self._walk(top, Path(item.path), name + "/", out, temps)
                    continue
                st = item.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if is_temp_name(item.name):
                if temps is not None:
                    temps.append((name, st.st_mtime))
                continue
            out.append(Entry(name, st.st_size, _folder_fingerprint(st)))

    def fetch(self, entry: Entry, dest: Path) -> Entry:
        path = self._path(entry.name)
        try:
            with path.open("rb") as src:
                before = os.fstat(src.fileno())
                with Path(dest).open("wb") as out:
                    _copy(src, out)
                during = os.fstat(src.fileno())
            after = path.stat()
        except FileNotFoundError as exc:
            remove_quietly(Path(dest))
            self._check_root()
            raise changed(entry.name, self.label) from exc
        except OSError as exc:
            remove_quietly(Path(dest))
            raise self._error(exc, reading=entry.name) from exc
        fingerprint = _folder_fingerprint(before)
        if (
            _folder_fingerprint(during) != fingerprint
            or _folder_fingerprint(after) != fingerprint
            or (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev)
        ):
            remove_quietly(Path(dest))
            raise changed(entry.name, self.label)
        return Entry(entry.name, before.st_size, fingerprint)

    def read_text(self, entry: Entry) -> str:
        try:
            return self._path(entry.name).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            self._check_root()
            raise changed(entry.name, self.label) from exc
        except UnicodeDecodeError as exc:
            raise TargetError(f"“{entry.name}” in {self.label} is not a text file.") from exc
        except OSError as exc:
            raise self._error(exc, reading=entry.name) from exc

    # -- writing

    def publish(self, source: Path, name: str, expected: str | None) -> Entry:
        with Path(source).open("rb") as src:
            return self._write(name, lambda out: _copy(src, out), expected, cas=True)

    def write_text(self, name: str, text: str) -> None:
        data = text.encode("utf-8")
        self._write(name, lambda out: out.write(data), None, cas=False)

    def remove(self, name: str) -> None:
        path = self._path(name)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise self._error(exc) from exc
        fsync_dir(path.parent)

    def sweep_temps(self, device: str) -> list[str]:
        removed: list[str] = []
        try:
            folder = self.folder
            if not folder.is_dir():
                return removed
            temps: list[tuple[str, float]] = []
            self._walk(folder, folder, "", [], temps)
        except (OSError, TargetError):
            return removed
        now = time.time()
        for name, mtime in temps:
            if is_own_stale_temp(name, device, now - mtime):
                try:
                    self._path(name).unlink()
                except OSError:
                    continue
                removed.append(name)
        return removed

    def _prepare(self, path: Path) -> None:
        """Create the layout (and the marker) before the first write."""
        folder = self.folder
        path.parent.mkdir(parents=True, exist_ok=True)
        for sub in (REPLICAS, PRESENCE):
            (folder / sub).mkdir(exist_ok=True)
        location = self.locate()
        if not location.marked and self.project_uuid is not None:
            marker = folder / marker_name(self.project_uuid)
            if not marker.exists():
                atomic_write(marker, marker_text(self.project_name, self.project_uuid))
            with self._locating:
                self._location = Location(location.name, True)

    def _write(
        self, name: str, write: Callable[[BinaryIO], object], expected: str | None, *, cas: bool
    ) -> Entry:
        path = self._path(name)
        self._check_root()
        with lock_for(os.path.normcase(os.path.abspath(path))):
            try:
                self._prepare(path)
                if cas and self._current(path) != expected:
                    raise changed(name, self.label)
            except OSError as exc:
                raise self._error(exc) from exc
            tmp = path.with_name(temp_basename(path.name))
            try:
                with tmp.open("xb") as out:  # opened for writing: fsync works on Windows too
                    write(out)
                    out.flush()
                    os.fsync(out.fileno())
                if cas and self._current(path) != expected:
                    raise changed(name, self.label)
                self._replace(tmp, path, name)
            except BaseException as exc:
                remove_quietly(tmp)
                if isinstance(exc, OSError):
                    raise self._error(exc) from exc
                raise
            fsync_dir(path.parent)
            try:
                st = path.stat()
            except OSError as exc:
                raise self._error(exc) from exc
            return Entry(name, st.st_size, _folder_fingerprint(st))

    def _replace(self, tmp: Path, path: Path, name: str) -> None:
        delays = [*self._backoff, None]
        for delay in delays:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                blocked = isinstance(exc, PermissionError) or exc.errno in _BLOCKED
                if not blocked:
                    raise
                if delay is None:
                    raise TargetBusy(
                        f"LDPM could not replace “{name}” in {self.label} because another "
                        "program (often the sync client) keeps it open. LDPM will try again at "
                        f"the next sync; {SAFE}."
                    ) from exc
                self._sleep(delay)
            else:
                return
