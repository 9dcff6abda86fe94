"""The HTTP side of WebDAV, without a connection: PROPFIND answers, ETags, status codes.

Everything here reads what a server sent — untrusted input: hrefs are split into segments
(the caller skips those that are not plain names), sizes and dates that do not parse count as
unknown, and an unexpected status becomes a :class:`~ldpm.sync.target_base.TargetError` whose
``str()`` is one sentence for the user.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

from ldpm.sync.target_base import (
    SAFE,
    TargetAuthFailed,
    TargetBusy,
    TargetError,
    TargetFull,
    TargetReadOnly,
    TargetUnreachable,
    cap,
    changed,
)


class PlainHttpRefused(ValueError):
    """An ``http://`` address of another computer, without the user's explicit consent."""


def is_loopback(host: str) -> bool:
    """True for an address that never leaves this computer."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


DAV = "{DAV:}"
PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop>'
    b"<d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/>"
    b"</d:prop></d:propfind>"
)


@dataclass(frozen=True)
class Resource:
    segments: tuple[str, ...]
    is_collection: bool
    size: int
    fingerprint: str
    modified: float | None = None  # seconds since the epoch, if the server says


def modified_time(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp() if text else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def etag(raw: str | None) -> str | None:
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


def is_etag(fingerprint: str) -> bool:
    return fingerprint.startswith(('"', 'W/"'))


def parse_response(response: ET.Element) -> Resource | None:
    href = response.findtext(f"{DAV}href")
    if not href:
        return None
    segments = tuple(unquote(s) for s in urlsplit(href.strip()).path.split("/") if s)
    props: dict[str, ET.Element] = {}
    for propstat in response.findall(f"{DAV}propstat"):
        status = propstat.findtext(f"{DAV}status") or ""
        if " 200 " not in f"{status} ":
            continue
        prop = propstat.find(f"{DAV}prop")
        if prop is not None:
            for child in prop:
                props[child.tag] = child
    rtype = props.get(f"{DAV}resourcetype")
    is_collection = rtype is not None and rtype.find(f"{DAV}collection") is not None
    length = props.get(f"{DAV}getcontentlength")
    try:
        size = int((length.text or "0").strip()) if length is not None else 0
    except ValueError:
        size = 0
    tag_el = props.get(f"{DAV}getetag")
    tag = etag(tag_el.text if tag_el is not None else None)
    modified_el = props.get(f"{DAV}getlastmodified")
    modified = (modified_el.text or "").strip() if modified_el is not None else ""
    fingerprint = tag or f"{size}:{modified}"
    return Resource(segments, is_collection, size, fingerprint, modified_time(modified))


def parse_multistatus(body: bytes) -> list[Resource]:
    """The resources of a PROPFIND answer.  Raises ``ET.ParseError`` if it is not XML."""
    root = ET.fromstring(body)
    found = []
    for response in root.iter(f"{DAV}response"):
        resource = parse_response(response)
        if resource is not None:
            found.append(resource)
    return found


def status_error(
    status: int, reason: str, location: str | None, label: str, name: str | None = None
) -> TargetError:
    """The error for an unexpected answer to a request about ``name`` in ``label``."""
    if status == 401:
        return TargetAuthFailed(
            "The WebDAV server refused the user name or password. Check them in the sync "
            f"settings; {SAFE}."
        )
    if status == 403:
        return TargetReadOnly(
            f"The WebDAV server does not allow LDPM to write to {label}. Ask for "
            f"write access or choose another folder; {SAFE}."
        )
    if status in (507, 413):
        return TargetFull(
            f"{cap(label)} has no space left, so LDPM could not publish your "
            f"changes there. Free up some space and sync again; {SAFE}."
        )
    if status == 412:
        return changed(name or "a file", label)
    if status == 423:
        return TargetBusy(
            f"“{name or 'A file'}” in {label} is locked by another program. LDPM "
            f"will try again at the next sync; {SAFE}."
        )
    if status in (301, 302, 303, 307, 308):
        where = location or "another address"
        return TargetUnreachable(
            f"{cap(label)} has moved to {where}. Enter that address in the sync settings; {SAFE}."
        )
    if status in (404, 405, 409):
        return TargetUnreachable(
            f"LDPM cannot find {label} on the server (it answered {status} "
            f"{reason}). Check the address in the sync settings; {SAFE}."
        )
    return TargetError(
        f"The WebDAV server reported an error ({status} {reason}) for {label}. "
        f"LDPM will try again later; {SAFE}."
    )
