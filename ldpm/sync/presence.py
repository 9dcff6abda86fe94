"""Presence files: who has the project open.  They inform; they never lock.

Each device writes ``presence/<device>.json`` in the sync folder (atomically, no
compare-and-swap) at every sync and reads everyone else's; it removes its own when the project
closes (:func:`withdraw_presence`, best effort), so a person who quit cleanly is not shown as
still having it open.  The note names a *person* (``ldpm.identity.person_name()``), not an
account on a host; the ``host`` field is kept for older readers and left empty.  Unreadable,
malformed or oversized files are ignored: they come from other computers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from ldpm.sync.targets import (
    PRESENCE,
    SyncTarget,
    TargetAuthFailed,
    TargetError,
    TargetUnreachable,
    presence_name,
)

#: A presence note is one short line; anything longer is not one.
MAX_NOTE = 4096


@dataclass(frozen=True)
class Presence:
    device: str
    user: str
    host: str
    last_seen: datetime
    app_version: str = ""


def write_presence(
    target: SyncTarget,
    device: str,
    user: str,
    host: str,
    app_version: str,
    now: datetime,
) -> None:
    """Say that ``user`` has the project open on ``host`` as of ``now``."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    data = {
        "device": device,
        "user": user,
        "host": host,
        "app_version": app_version,
        "last_seen": now.astimezone(UTC).isoformat(timespec="seconds"),
    }
    target.write_text(presence_name(device), json.dumps(data, ensure_ascii=False) + "\n")


def withdraw_presence(target: SyncTarget, device: str) -> bool:
    """Remove this device's presence note (the project was closed).  Returns False if the
    target could not be reached; never raises."""
    try:
        target.remove(presence_name(device))
    except (TargetError, ValueError):
        return False
    return True


def _clean(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:80]


def _parse(text: str) -> Presence:
    if len(text) > MAX_NOTE:
        raise ValueError("too long")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    device, user, host = data["device"], data["user"], data["host"]
    version = data.get("app_version", "")
    if not all(isinstance(v, str) for v in (device, user, host, version)) or not device:
        raise ValueError("bad field")
    last_seen = datetime.fromisoformat(str(data["last_seen"]))
    if last_seen.tzinfo is None:
        last_seen = last_seen.replace(tzinfo=UTC)
    return Presence(device, _clean(user), _clean(host), last_seen, _clean(version))


def read_presence(target: SyncTarget, *, exclude_device: str) -> list[Presence]:
    """Everyone else's presence, most recent first (one per device).  Raises
    :class:`TargetError` only if the target cannot be listed or reached."""
    latest: dict[str, Presence] = {}
    for entry in target.list_entries():
        if not (entry.name.startswith(f"{PRESENCE}/") and entry.name.endswith(".json")):
            continue
        if entry.size > MAX_NOTE:
            continue
        try:
            presence = _parse(target.read_text(entry))
        except (TargetUnreachable, TargetAuthFailed):
            raise
        except (TargetError, ValueError, KeyError, TypeError):
            continue  # half-written, damaged, or from a future format
        if presence.device == exclude_device:
            continue
        known = latest.get(presence.device)
        if known is None or presence.last_seen > known.last_seen:
            latest[presence.device] = presence
    return sorted(latest.values(), key=lambda p: p.last_seen, reverse=True)
