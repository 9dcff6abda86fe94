"""A sync target on a WebDAV server (Nextcloud, ownCloud, SharePoint, a NAS…).

See :mod:`ldpm.sync.target_base` for the layout, how the sync folder is found, and the rules
every target follows.  Spoken to with the standard library only, Basic auth.  A write is a PUT
to a temporary name and a MOVE over the final name; compare-and-swap checks the ETag before the
MOVE and asks the server to check it again (``If`` header).

**Plain http is refused** unless the caller allows it for the host (``allow_plain_http``):
Basic auth sends the password with every request, and the project travels with it, readable by
anyone on the network.  Loopback addresses (``localhost``, ``127.0.0.1``, ``::1``) are exempt:
nothing leaves the computer.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import ssl
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote, urlsplit

from ldpm.sync.target_base import (
    CHUNK,
    SAFE,
    Entry,
    Location,
    TargetError,
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
from ldpm.sync.webdav_http import (
    PROPFIND_BODY,
    PlainHttpRefused,
    Resource,
    etag,
    is_etag,
    is_loopback,
    parse_multistatus,
    status_error,
)

__all__ = ["PlainHttpRefused", "WebDAVTarget", "is_loopback"]


class WebDAVTarget:
    """A sync folder on a WebDAV server, spoken to with the standard library only: Basic auth
    over https (or plain http to this computer, or where the user allowed it).

    With ``project_uuid`` the sync folder is found by its marker (see
    :mod:`ldpm.sync.target_base`); without it, it is ``<url>/<project_name>.ldpm-sync``.
    Raises ValueError for an address that is not http(s), :class:`PlainHttpRefused` for plain
    http to another computer without ``allow_plain_http``.
    """

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        project_name: str,
        *,
        project_uuid: str | None = None,
        look_first: Sequence[str] = (),
        allow_plain_http: bool = False,
        timeout: float = 20,
    ) -> None:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http or https URL: {url!r}")
        if scheme == "http" and not allow_plain_http and not is_loopback(parts.hostname):
            raise PlainHttpRefused(f"plain http to {parts.hostname} was not allowed")
        self._scheme = scheme
        self._host = parts.hostname
        self._port = parts.port or (443 if scheme == "https" else 80)
        self._timeout = timeout
        host = f"[{self._host}]" if ":" in self._host else self._host
        default_port = 443 if scheme == "https" else 80
        self._netloc = host if self._port == default_port else f"{host}:{self._port}"
        self._root = tuple(unquote(s) for s in parts.path.split("/") if s)
        self.project_name = project_name
        self.project_uuid = project_uuid
        self._look_first = tuple(look_first)
        self._location: Location | None = None
        if project_uuid is None:
            self._location = Location(sync_folder_name(project_name), True)
        self._locating = threading.Lock()
        self.label = f"the WebDAV folder “{scheme}://{self._netloc}{self._href(self._root, True)}”"
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._auth = f"Basic {token}"

    def __repr__(self) -> str:  # never shows the password
        return f"WebDAVTarget({self.label!r})"

    # -- where

    def locate(self) -> Location:
        """Find (or choose) the sync folder; cached.  Raises :class:`TargetError`."""
        with self._locating:
            if self._location is None:
                assert self.project_uuid is not None
                with self._connect() as conn:
                    children = self._propfind(conn, self._root, 1)
                    if children is None:
                        self._check_root(conn)  # raises: the root is not there
                        children = []
                    folders = [
                        r.segments[-1]
                        for r in children
                        if r.is_collection and r.segments[:-1] == self._root
                    ]

                    def markers_in(name: str) -> set[str] | None:
                        if name not in folders:
                            return None
                        found = self._propfind(conn, (*self._root, name), 1) or []
                        return {
                            project
                            for r in found
                            if not r.is_collection
                            and (project := marker_project(r.segments[-1])) is not None
                        }

                    self._location = choose_folder(
                        self.project_uuid,
                        self._look_first,
                        sync_folder_name(self.project_name),
                        markers_in,
                        lambda: folders,
                    )
            return self._location

    @property
    def _folder(self) -> tuple[str, ...]:
        return (*self._root, self.locate().name)

    @property
    def identity(self) -> str:
        return "webdav:" + self._url(self._href(self._folder, True))

    # -- addressing

    @staticmethod
    def _href(segments: Sequence[str], collection: bool = False) -> str:
        path = "/" + "/".join(quote(s, safe="") for s in segments)
        if collection and segments:
            path += "/"
        return path

    def _segments(self, name: str) -> tuple[str, ...]:
        return (*self._folder, *split_name(name))

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
                f"could not be verified ({exc.verify_message}); {SAFE}."
            ) from exc
        except TimeoutError as exc:
            raise TargetUnreachable(
                f"{cap(self.label)} did not answer within {self._timeout:g} seconds. Check "
                f"your network connection; LDPM will try again later, and {SAFE}."
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise TargetUnreachable(
                f"LDPM cannot reach {self.label}. Check your network connection and the "
                f"address; LDPM will try again later, and {SAFE}."
            ) from exc

    def _read_body(self, resp: http.client.HTTPResponse) -> bytes:
        try:
            return resp.read()
        except (OSError, http.client.HTTPException) as exc:
            raise TargetUnreachable(
                f"The connection to {self.label} broke off. LDPM will try again later; {SAFE}."
            ) from exc

    def _fail(self, resp: http.client.HTTPResponse, name: str | None = None) -> TargetError:
        """The error for an unexpected response (its body is read and dropped)."""
        self._read_body(resp)
        return status_error(resp.status, resp.reason, resp.getheader("Location"), self.label, name)

    # -- PROPFIND

    def _propfind(
        self, conn: http.client.HTTPConnection, segments: Sequence[str], depth: int
    ) -> list[Resource] | None:
        """The resources at ``segments`` (depth 0) or also its members (depth 1); None if it
        does not exist."""
        href = self._href(segments)
        resp = self._send(
            conn,
            "PROPFIND",
            href,
            {"Depth": str(depth), "Content-Type": 'application/xml; charset="utf-8"'},
            PROPFIND_BODY,
        )
        if resp.status == 404:
            self._read_body(resp)
            return None
        if resp.status != 207:
            raise self._fail(resp)
        body = self._read_body(resp)
        try:
            return parse_multistatus(body)
        except ET.ParseError as exc:
            raise TargetError(
                f"{cap(self.label)} sent an answer LDPM cannot understand; it may not be a "
                f"WebDAV server. Check the address in the sync settings; {SAFE}."
            ) from exc

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
                f"{cap(self.label)} does not exist on the server. Check the address in the "
                f"sync settings; {SAFE}."
            )

    # -- reading

    def list_entries(self) -> list[Entry]:
        entries, _temps = self._walk()
        return entries

    def _walk(self) -> tuple[list[Entry], list[tuple[str, float | None]]]:
        """Every file under the sync folder, and separately the temporary ones."""
        entries: list[Entry] = []
        temps: list[tuple[str, float | None]] = []
        folder = self._folder
        with self._connect() as conn:
            pending = [folder]
            seen = {folder}
            while pending:
                collection = pending.pop()
                found = self._propfind(conn, collection, 1)
                if found is None:
                    if collection == folder:
                        self._check_root(conn)
                    continue  # absent sync folder, or a sub-collection deleted meanwhile
                for res in found:
                    if res.segments == collection:
                        continue
                    if res.segments[: len(folder)] != folder:
                        continue  # not inside the sync folder (a confused server)
                    name = "/".join(res.segments[len(folder) :])
                    if not is_valid_name(name):
                        continue  # "..", a backslash, an empty segment: never used
                    if res.is_collection:
                        if res.segments not in seen:
                            seen.add(res.segments)
                            pending.append(res.segments)
                        continue
                    if is_temp_name(res.segments[-1]):
                        temps.append((name, res.modified))
                        continue
                    entries.append(Entry(name, res.size, res.fingerprint))
        entries.sort(key=lambda e: e.name)
        return entries, temps

    def fetch(self, entry: Entry, dest: Path) -> Entry:
        dest = Path(dest)
        href = self._href(self._segments(entry.name))
        with self._connect() as conn:
            before = self._stat(conn, entry.name)
            if before is None:
                raise changed(entry.name, self.label)
            resp = self._send(conn, "GET", href)
            if resp.status == 404:
                self._read_body(resp)
                raise changed(entry.name, self.label)
            if resp.status != 200:
                raise self._fail(resp, entry.name)
            served = etag(resp.getheader("ETag"))
            try:
                with dest.open("wb") as out:
                    while chunk := resp.read(CHUNK):
                        out.write(chunk)
            except (OSError, http.client.HTTPException) as exc:
                remove_quietly(dest)
                if isinstance(exc, (ConnectionError, TimeoutError, http.client.HTTPException)):
                    raise TargetUnreachable(
                        f"The connection to {self.label} broke off while LDPM was reading "
                        f"“{entry.name}”. LDPM will try again later; {SAFE}."
                    ) from exc
                raise
            try:
                after = self._stat(conn, entry.name)
            except BaseException:
                remove_quietly(dest)
                raise
            if (
                after is None
                or after.fingerprint != before.fingerprint
                or (
                    served is not None
                    and is_etag(after.fingerprint)
                    and served != after.fingerprint
                )
            ):
                remove_quietly(dest)
                raise changed(entry.name, self.label)
            return after

    def read_text(self, entry: Entry) -> str:
        with self._connect() as conn:
            resp = self._send(conn, "GET", self._href(self._segments(entry.name)))
            if resp.status == 404:
                self._read_body(resp)
                raise changed(entry.name, self.label)
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

    def remove(self, name: str) -> None:
        href = self._href(self._segments(name))
        with self._connect() as conn:
            resp = self._send(conn, "DELETE", href)
            if resp.status not in (200, 204, 404):
                raise self._fail(resp, name)
            self._read_body(resp)

    def sweep_temps(self, device: str) -> list[str]:
        removed: list[str] = []
        try:
            _entries, temps = self._walk()
        except TargetError:
            return removed
        now = time.time()
        for name, modified in temps:
            age = None if modified is None else now - modified
            if is_own_stale_temp(name, device, age):
                try:
                    self.remove(name)
                except (TargetError, ValueError):
                    continue
                removed.append(name)
        return removed

    def _ensure_marker(self) -> None:
        location = self.locate()
        if location.marked or self.project_uuid is None:
            return
        with self._locating:
            self._location = Location(location.name, True)
        data = marker_text(self.project_name, self.project_uuid).encode("utf-8")
        try:
            name = marker_name(self.project_uuid)
            self._write(name, io.BytesIO(data), len(data), None, cas=False)
        except BaseException:
            with self._locating:
                self._location = location
            raise

    def _write(
        self, name: str, body: BinaryIO, size: int, expected: str | None, *, cas: bool
    ) -> Entry:
        self._ensure_marker()
        segments = self._segments(name)
        href = self._href(segments)
        tmp_href = self._href((*segments[:-1], temp_basename(segments[-1])))
        with lock_for(self._url(href)), self._connect() as conn:
            if cas:
                current = self._stat(conn, name)
                if (current.fingerprint if current else None) != expected:
                    raise changed(name, self.label)
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
                        raise changed(name, self.label)
                    if expected is not None and is_etag(expected):
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
                f"{cap(self.label)} accepted “{name}” but does not show it; LDPM will try "
                f"again at the next sync; {SAFE}."
            )
        return new

    def _delete_quietly(self, href: str) -> None:
        try:
            with self._connect() as conn:
                self._read_body(self._send(conn, "DELETE", href))
        except TargetError:
            pass
