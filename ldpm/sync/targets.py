"""Sync targets: the places replicas are published to and read from.

A target is a shared folder (OneDrive, Dropbox, an SMB share…) or a WebDAV server.  Both hold
the same layout::

    <root>/<Project>.ldpm-sync/replicas/<device>.ldpm
    <root>/<Project>.ldpm-sync/presence/<device>.json

Each device writes only its own files.  Every write is atomic: a hidden temporary file
(``.<name>.<random>.tmp``) is written beside the final name and then renamed (folder) or moved
(WebDAV) over it, so a reader sees the whole old file or the whole new one.  :meth:`publish` is
a compare-and-swap: the caller passes the fingerprint it last saw of the remote file and the
write is refused with :class:`Changed` if the file changed since.

Every method opens its own file handles or HTTP connection, so a target may be used from a
worker thread (and from several at once).  Failures are :class:`TargetError`\\s whose ``str()``
is one sentence for the user.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import http.client
import io
import os
import re
import shutil
import ssl
import stat
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote, unquote, urlsplit

from ldpm.persistence.fileformat import fsync_dir

SYNC_SUFFIX = ".ldpm-sync"
REPLICAS = "replicas"
PRESENCE = "presence"
#: Delays between attempts to rename over a file that a sync client keeps open.
RENAME_BACKOFF: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)
_CHUNK = 1 << 16
_TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


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


def sync_folder_name(project_name: str) -> str:
    """The sync folder's name for a project, safe on every file system."""
    cleaned = _UNSAFE_CHARS.sub("_", project_name).strip().rstrip(". ")
    return f"{cleaned or 'Project'}{SYNC_SUFFIX}"


def _check_device(device: str) -> str:
    if not _DEVICE_RE.match(device):
        raise ValueError(f"not a device id: {device!r}")
    return device


def replica_name(device: str) -> str:
    return f"{REPLICAS}/{_check_device(device)}.ldpm"


def presence_name(device: str) -> str:
    return f"{PRESENCE}/{_check_device(device)}.json"


def is_temp_name(name: str) -> bool:
    """True for the temporary files targets write before a rename."""
    return bool(_TEMP_RE.match(name.rsplit("/", 1)[-1]))


def _temp_basename(basename: str) -> str:
    return f".{basename}.{uuid.uuid4().hex[:12]}.tmp"


def _split_name(name: str) -> list[str]:
    parts = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a name inside the sync folder: {name!r}")
    return parts


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


_SAFE = "your work is safe on this computer"


def _changed(name: str, label: str) -> Changed:
    return Changed(
        f"“{name}” in {label} changed while LDPM was working with it; LDPM will read it again "
        "and retry."
    )


# ---------------------------------------------------------------------------- protocol


class SyncTarget(Protocol):
    """Where replicas are published and read.  Every method is safe on a worker thread."""

    label: str

    def list_entries(self) -> list[Entry]:
        """Every regular file under the sync folder, recursively (never this module's temp
        files).  An absent sync folder is an empty list; an absent root is unreachable."""
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


# ------------------------------------------------------------------------------ locking

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(key: str) -> threading.Lock:
    """Writes to one remote file from this process are serialised, so the compare-and-swap
    check and the rename are not interleaved with another thread's."""
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ------------------------------------------------------------------------------- folder

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
    shutil.copyfileobj(src, dst, _CHUNK)


def _folder_fingerprint(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


class FolderTarget:
    """A sync folder on a local disk, a network share or inside a cloud-synced folder."""

    def __init__(
        self,
        root: Path,
        project_name: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        backoff: Sequence[float] = RENAME_BACKOFF,
    ) -> None:
        self.root = Path(root)
        self.folder = self.root / sync_folder_name(project_name)
        self.label = f"the sync folder “{self.root}”"
        self._sleep = sleep
        self._backoff = tuple(backoff)

    def __repr__(self) -> str:
        return f"FolderTarget({str(self.folder)!r})"

    # -- helpers

    def _path(self, name: str) -> Path:
        return self.folder.joinpath(*_split_name(name))

    def _error(self, exc: OSError, reading: str | None = None) -> TargetError:
        """The error for an OS error; ``reading`` names the file being read, if any."""
        code = exc.errno
        if reading is not None and (code in _READ_ONLY or isinstance(exc, PermissionError)):
            return TargetError(
                f"LDPM is not allowed to read “{reading}” in {self.label}. Ask the owner of "
                f"the sync folder for access; {_SAFE}."
            )
        if code in _FULL:
            return TargetFull(
                f"{_cap(self.label)} is full, so LDPM could not publish your changes there. "
                f"Free up some space and sync again; {_SAFE}."
            )
        if code in _READ_ONLY or isinstance(exc, PermissionError):
            return TargetReadOnly(
                f"LDPM cannot write to {self.label} because it is read-only. Ask for write "
                f"access or choose another sync folder; {_SAFE}."
            )
        if code in _GONE or not self.root.is_dir():
            return TargetUnreachable(
                f"LDPM cannot reach {self.label}. Check that the drive or network share is "
                f"connected; {_SAFE}."
            )
        detail = exc.strerror or str(exc)
        return TargetError(f"LDPM could not use {self.label} ({detail}); {_SAFE}.")

    def _check_root(self) -> None:
        try:
            ok = self.root.is_dir()
        except OSError as exc:  # pragma: no cover - is_dir swallows most errors
            raise self._error(exc) from exc
        if not ok:
            raise TargetUnreachable(
                f"LDPM cannot find {self.label} — it may have been moved or deleted, or the "
                f"drive it is on is not connected; {_SAFE}."
            )

    def _current(self, path: Path) -> str | None:
        try:
            return _folder_fingerprint(path.stat())
        except FileNotFoundError:
            return None

    # -- reading

    def list_entries(self) -> list[Entry]:
        self._check_root()
        entries: list[Entry] = []
        try:
            if not self.folder.is_dir():
                return []
            self._walk(self.folder, "", entries)
        except OSError as exc:
            raise self._error(exc, reading=self.folder.name) from exc
        entries.sort(key=lambda e: e.name)
        return entries

    def _walk(self, folder: Path, prefix: str, out: list[Entry]) -> None:
        try:
            items = list(os.scandir(folder))
        except FileNotFoundError:
            if folder == self.folder:
                raise
            return  # a sub-folder vanished while listing
        for item in items:
            name = prefix + item.name
            try:
                if item.is_dir(follow_symlinks=False):
                    self._walk(Path(item.path), name + "/", out)
                    continue
                st = item.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(st.st_mode) and not is_temp_name(item.name):
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
            _remove_quietly(Path(dest))
            self._check_root()
            raise _changed(entry.name, self.label) from exc
        except OSError as exc:
            _remove_quietly(Path(dest))
            raise self._error(exc, reading=entry.name) from exc
        fingerprint = _folder_fingerprint(before)
        if (
            _folder_fingerprint(during) != fingerprint
            or _folder_fingerprint(after) != fingerprint
            or (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev)
        ):
            _remove_quietly(Path(dest))
            raise _changed(entry.name, self.label)
        return Entry(entry.name, before.st_size, fingerprint)

    def read_text(self, entry: Entry) -> str:
        try:
            return self._path(entry.name).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            self._check_root()
            raise _changed(entry.name, self.label) from exc
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

    def _write(
        self, name: str, write: Callable[[BinaryIO], object], expected: str | None, *, cas: bool
    ) -> Entry:
        path = self._path(name)
        self._check_root()
        with _lock_for(os.path.normcase(os.path.abspath(path))):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                for sub in (REPLICAS, PRESENCE):
                    (self.folder / sub).mkdir(exist_ok=True)
                if cas and self._current(path) != expected:
                    raise _changed(name, self.label)
            except OSError as exc:
                raise self._error(exc) from exc
            tmp = path.with_name(_temp_basename(path.name))
            try:
                with tmp.open("xb") as out:
                    write(out)
                    out.flush()
                    os.fsync(out.fileno())
                if cas and self._current(path) != expected:
                    raise _changed(name, self.label)
                self._replace(tmp, path, name)
            except BaseException as exc:
                _remove_quietly(tmp)
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
                        f"the next sync; {_SAFE}."
                    ) from exc
                self._sleep(delay)
            else:
                return


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------------- WebDAV

_DAV = "{DAV:}"
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop>'
    b"<d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/>"
    b"</d:prop></d:propfind>"
)


@dataclass(frozen=True)
class _Resource:
    segments: tuple[str, ...]
    is_collection: bool
    size: int
    fingerprint: str


def _etag(raw: str | None) -> str | None:
    """A canonical, quoted entity tag ("abc" or W/"abc"), or None."""
    if raw is None:
        return None
    value = raw.strip()
    if not value:
        return None
    weak = value.startswith("W/")
    if weak:
        value = value[2:]
    value = value.strip('"')
    if not value:
        return None
    return f'{"W/" if weak else ""}"{value}"'


def _is_etag(fingerprint: str) -> bool:
    return fingerprint.startswith(('"', 'W/"'))


class WebDAVTarget:
    """A sync folder on a WebDAV server (Nextcloud, ownCloud, SharePoint, a NAS…), spoken to
    with the standard library only: Basic auth over http or https."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        project_name: str,
        *,
        timeout: float = 20,
    ) -> None:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http or https URL: {url!r}")
        self._scheme = scheme
        self._host = parts.hostname
        self._port = parts.port or (443 if scheme == "https" else 80)
        self._timeout = timeout
        host = f"[{self._host}]" if ":" in self._host else self._host
        default_port = 443 if scheme == "https" else 80
        self._netloc = host if self._port == default_port else f"{host}:{self._port}"
        self._root = tuple(unquote(s) for s in parts.path.split("/") if s)
        self._folder = (*self._root, sync_folder_name(project_name))
        self.label = f"the WebDAV folder “{scheme}://{self._netloc}{self._href(self._root, True)}”"
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._auth = f"Basic {token}"

    def __repr__(self) -> str:  # never shows the password
        return f"WebDAVTarget({self.label!r})"

    # -- addressing

    @staticmethod
    def _href(segments: Sequence[str], collection: bool = False) -> str:
        path = "/" + "/".join(quote(s, safe="") for s in segments)
        if collection and segments:
            path += "/"
        return path

    def _segments(self, name: str) -> tuple[str, ...]:
        return (*self._folder, *_split_name(name))

    def _url(self, href: str) -> str:
        return f"{self._scheme}://{self._netloc}{href}"

    # -- HTTP

    @contextlib.contextmanager
    def _connect(self) -> Iterator[http.client.HTTPConnection]:
        conn: http.client.HTTPConnection
        if self._scheme == "https":
            conn = http.client.HTTPSConnection(
                self._host,
                self._port,
                timeout=self._timeout,
                context=ssl.create_default_context(),
            )
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        try:
            yield conn
        finally:
            conn.close()

    def _send(
        self,
        conn: http.client.HTTPConnection,
        method: str,
        href: str,
        headers: dict[str, str] | None = None,
        body: bytes | BinaryIO | None = None,
    ) -> http.client.HTTPResponse:
        all_headers = {"Authorization": self._auth, "User-Agent": "LDPM"}
        all_headers.update(headers or {})
        if body is None and method in ("PUT", "PROPFIND", "MKCOL", "MOVE"):
            all_headers.setdefault("Content-Length", "0")
        try:
            conn.request(method, href, body=body, headers=all_headers)
            return conn.getresponse()
        except ssl.SSLCertVerificationError as exc:
            raise TargetUnreachable(
                f"LDPM did not connect to {self.label} because the server's certificate "
                f"could not be verified ({exc.verify_message}); {_SAFE}."
            ) from exc
        except TimeoutError as exc:
            raise TargetUnreachable(
                f"{_cap(self.label)} did not answer within {self._timeout:g} seconds. Check "
                f"your network connection; LDPM will try again later, and {_SAFE}."
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise TargetUnreachable(
                f"LDPM cannot reach {self.label}. Check your network connection and the "
                f"address; LDPM will try again later, and {_SAFE}."
            ) from exc

    def _read_body(self, resp: http.client.HTTPResponse) -> bytes:
        try:
            return resp.read()
        except (OSError, http.client.HTTPException) as exc:
            raise TargetUnreachable(
                f"The connection to {self.label} broke off. LDPM will try again later; {_SAFE}."
            ) from exc

    def _fail(self, resp: http.client.HTTPResponse, name: str | None = None) -> TargetError:
        """The error for an unexpected response (its body is read and dropped)."""
        self._read_body(resp)
        status = resp.status
        if status == 401:
            return TargetAuthFailed(
                "The WebDAV server refused the user name or password. Check them in the sync "
                f"settings; {_SAFE}."
            )
        if status == 403:
            return TargetReadOnly(
                f"The WebDAV server does not allow LDPM to write to {self.label}. Ask for "
                f"write access or choose another folder; {_SAFE}."
            )
        if status in (507, 413):
            return TargetFull(
                f"{_cap(self.label)} has no space left, so LDPM could not publish your "
                f"changes there. Free up some space and sync again; {_SAFE}."
            )
        if status == 412:
            return _changed(name or "a file", self.label)
        if status == 423:
            return TargetBusy(
                f"“{name or 'A file'}” in {self.label} is locked by another program. LDPM "
                f"will try again at the next sync; {_SAFE}."
            )
        if status in (301, 302, 303, 307, 308):
            where = resp.getheader("Location", "another address")
            return TargetUnreachable(
                f"{_cap(self.label)} has moved to {where}. Enter that address in the sync "
                f"settings; {_SAFE}."
            )
        if status in (404, 405, 409):
            return TargetUnreachable(
                f"LDPM cannot find {self.label} on the server (it answered {status} "
                f"{resp.reason}). Check the address in the sync settings; {_SAFE}."
            )
        return TargetError(
            f"The WebDAV server reported an error ({status} {resp.reason}) for {self.label}. "
            f"LDPM will try again later; {_SAFE}."
        )

    # -- PROPFIND

    def _propfind(
        self, conn: http.client.HTTPConnection, segments: Sequence[str], depth: int
    ) -> list[_Resource] | None:
        """The resources at ``segments`` (depth 0) or also its members (depth 1); None if it
        does not exist."""
        href = self._href(segments)
        resp = self._send(
            conn,
            "PROPFIND",
            href,
            {"Depth": str(depth), "Content-Type": 'application/xml; charset="utf-8"'},
            _PROPFIND_BODY,
        )
        if resp.status == 404:
            self._read_body(resp)
            return None
        if resp.status != 207:
            raise self._fail(resp)
        body = self._read_body(resp)
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise TargetError(
                f"{_cap(self.label)} sent an answer LDPM cannot understand; it may not be a "
                f"WebDAV server. Check the address in the sync settings; {_SAFE}."
            ) from exc
        resources = []
        for response in root.iter(f"{_DAV}response"):
            resource = self._parse_response(response)
            if resource is not None:
                resources.append(resource)
        return resources

    @staticmethod
    def _parse_response(response: ET.Element) -> _Resource | None:
        href = response.findtext(f"{_DAV}href")
        if not href:
            return None
        segments = tuple(unquote(s) for s in urlsplit(href.strip()).path.split("/") if s)
        props: dict[str, ET.Element] = {}
        for propstat in response.findall(f"{_DAV}propstat"):
            status = propstat.findtext(f"{_DAV}status") or ""
            if " 200 " not in f"{status} ":
                continue
            prop = propstat.find(f"{_DAV}prop")
            if prop is not None:
                for child in prop:
                    props[child.tag] = child
        rtype = props.get(f"{_DAV}resourcetype")
        is_collection = rtype is not None and rtype.find(f"{_DAV}collection") is not None
        length = props.get(f"{_DAV}getcontentlength")
        try:
            size = int((length.text or "0").strip()) if length is not None else 0
        except ValueError:
            size = 0
        tag_el = props.get(f"{_DAV}getetag")
        etag = _etag(tag_el.text if tag_el is not None else None)
        modified_el = props.get(f"{_DAV}getlastmodified")
        modified = (modified_el.text or "").strip() if modified_el is not None else ""
        fingerprint = etag or f"{size}:{modified}"
        return _Resource(segments, is_collection, size, fingerprint)

    def _stat(self, conn: http.client.HTTPConnection, name: str) -> Entry | None:
        segments = self._segments(name)
        found = self._propfind(conn, segments, 0)
        if not found:
            return None
        resource = next((r for r in found if r.segments == segments), found[0])
        if resource.is_collection:
            return None
        return Entry(name, resource.size, resource.fingerprint)

    def _check_root(self, conn: http.client.HTTPConnection) -> None:
        if self._propfind(conn, self._root, 0) is None:
            raise TargetUnreachable(
                f"{_cap(self.label)} does not exist on the server. Check the address in the "
                f"sync settings; {_SAFE}."
            )

    # -- reading

    def list_entries(self) -> list[Entry]:
        entries: list[Entry] = []
        with self._connect() as conn:
            pending = [self._folder]
            seen = {self._folder}
            while pending:
                collection = pending.pop()
                found = self._propfind(conn, collection, 1)
                if found is None:
                    if collection == self._folder:
                        self._check_root(conn)
                    continue  # absent sync folder, or a sub-collection deleted meanwhile
                for res in found:
                    if res.segments == collection:
                        continue
                    if res.segments[: len(self._folder)] != self._folder:
                        continue  # not inside the sync folder (a confused server)
                    if res.is_collection:
                        if res.segments not in seen:
                            seen.add(res.segments)
                            pending.append(res.segments)
                        continue
                    if is_temp_name(res.segments[-1]):
                        continue
                    name = "/".join(res.segments[len(self._folder) :])
                    entries.append(Entry(name, res.size, res.fingerprint))
        entries.sort(key=lambda e: e.name)
        return entries

    def fetch(self, entry: Entry, dest: Path) -> Entry:
        dest = Path(dest)
        href = self._href(self._segments(entry.name))
        with self._connect() as conn:
            before = self._stat(conn, entry.name)
            if before is None:
                raise _changed(entry.name, self.label)
            resp = self._send(conn, "GET", href)
            if resp.status == 404:
                self._read_body(resp)
                raise _changed(entry.name, self.label)
            if resp.status != 200:
                raise self._fail(resp, entry.name)
            served = _etag(resp.getheader("ETag"))
            try:
                with dest.open("wb") as out:
                    while chunk := resp.read(_CHUNK):
                        out.write(chunk)
            except (OSError, http.client.HTTPException) as exc:
                _remove_quietly(dest)
                if isinstance(exc, (ConnectionError, TimeoutError, http.client.HTTPException)):
                    raise TargetUnreachable(
                        f"The connection to {self.label} broke off while LDPM was reading "
                        f"“{entry.name}”. LDPM will try again later; {_SAFE}."
                    ) from exc
                raise
            try:
                after = self._stat(conn, entry.name)
            except BaseException:
                _remove_quietly(dest)
                raise
            if (
                after is None
                or after.fingerprint != before.fingerprint
                or (
                    served is not None
                    and _is_etag(after.fingerprint)
                    and served != after.fingerprint
                )
            ):
                _remove_quietly(dest)
                raise _changed(entry.name, self.label)
            return after

    def read_text(self, entry: Entry) -> str:
        with self._connect() as conn:
            resp = self._send(conn, "GET", self._href(self._segments(entry.name)))
            if resp.status == 404:
                self._read_body(resp)
                raise _changed(entry.name, self.label)
            if resp.status != 200:
                raise self._fail(resp, entry.name)
            data = self._read_body(resp)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TargetError(f"“{entry.name}” in {self.label} is not a text file.") from exc

    # -- writing

    def publish(self, source: Path, name: str, expected: str | None) -> Entry:
        source = Path(source)
        size = source.stat().st_size
        with source.open("rb") as body:
            return self._write(name, body, size, expected, cas=True)

    def write_text(self, name: str, text: str) -> None:
        data = text.encode("utf-8")
        self._write(name, io.BytesIO(data), len(data), None, cas=False)

    def _mkcols(self, conn: http.client.HTTPConnection, segments: Sequence[str]) -> None:
        """Create the collections from the sync folder down to ``segments``."""
        for depth in range(len(self._folder), len(segments) + 1):
            resp = self._send(conn, "MKCOL", self._href(segments[:depth], True))
            self._read_body(resp)
            if resp.status in (200, 201, 405):  # 405: it already exists
                continue
            if resp.status == 409:
                self._check_root(conn)
            raise self._fail(resp)

    def _write(
        self, name: str, body: BinaryIO, size: int, expected: str | None, *, cas: bool
    ) -> Entry:
        segments = self._segments(name)
        href = self._href(segments)
        tmp_href = self._href((*segments[:-1], _temp_basename(segments[-1])))
        with _lock_for(self._url(href)), self._connect() as conn:
            if cas:
                current = self._stat(conn, name)
                if (current.fingerprint if current else None) != expected:
                    raise _changed(name, self.label)
            headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
            uploading = False
            try:
                uploading = True
                resp = self._send(conn, "PUT", tmp_href, headers, body)
                if resp.status == 409:  # a parent collection is missing
                    self._read_body(resp)
                    uploading = False
                    self._mkcols(conn, segments[:-1])
                    body.seek(0)
                    uploading = True
                    resp = self._send(conn, "PUT", tmp_href, headers, body)
                if resp.status not in (200, 201, 204):
                    raise self._fail(resp, name)
                self._read_body(resp)
                move = {"Destination": self._url(href), "Overwrite": "T"}
                if cas:
                    current = self._stat(conn, name)
                    if (current.fingerprint if current else None) != expected:
                        raise _changed(name, self.label)
                    if expected is not None and _is_etag(expected):
                        # RFC 4918 tagged list: the MOVE happens only if the destination
                        # still has the ETag we saw (compare-and-swap on the server).
                        move["If"] = f"<{href}> ([{expected}])"
                resp = self._send(conn, "MOVE", tmp_href, move)
                if resp.status not in (201, 204):
                    raise self._fail(resp, name)
                self._read_body(resp)
            except BaseException:
                if uploading:  # a partial or orphaned upload may be on the server
                    self._delete_quietly(tmp_href)
                raise
            new = self._stat(conn, name)
        if new is None:
            raise TargetError(
                f"{_cap(self.label)} accepted “{name}” but does not show it; LDPM will try "
                f"again at the next sync; {_SAFE}."
            )
        return new

    def _delete_quietly(self, href: str) -> None:
        try:
            with self._connect() as conn:
                self._read_body(self._send(conn, "DELETE", href))
        except TargetError:
            pass
