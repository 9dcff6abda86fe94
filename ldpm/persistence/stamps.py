"""Clock stamps on rows: what the ``stamps`` column of every synced row holds and the one way
to write it.  Each field's value carries the stamp of the write that set it (``"*"`` for the
fields written with the row), a *base* per field a device overwrote, and *seen* entries; see
:mod:`ldpm.sync.merge` for how a merge reads them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from ldpm.persistence.hlc import COUNTER_WIDTH, MS_WIDTH

#: Prefix of the keys in ``stamps`` that hold a field's *base*: the stamp of the value an
#: edit was made on top of.
BASE = "^"
#: Prefix of the keys in ``stamps`` that say which writes a row has *seen*: ``"@" + device``
#: holds the latest write of that device the row's state took in (as a value, or as a value
#: it overwrote), when no other stamp of the row says so any more.  Every stamp a row holds
#: counts as seen, so these keys are rare.  Merging uses them to tell a sequential write
#: (made by someone who had seen the other) from a concurrent one (see ``has_seen``).
SEEN = "@"


#: ``json.dumps(…, sort_keys=True, separators=(",", ":"))``, without making an encoder for
#: every row a merge writes.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def dump_stamps(stamps: Mapping[str, str]) -> str:
    """Stamps as canonical JSON (sorted keys, no spaces): two rows in the same state on two
    devices have byte-identical ``stamps``, which lets a merge skip them in SQL."""
    return _CANONICAL.encode(stamps)


def field_stamp(stamps: Mapping[str, str], name: str) -> str:
    """The stamp of a field's current value (the insert's for a never-edited field)."""
    return stamps.get(name) or stamps["*"]


def record_base(stamps: dict[str, str], name: str, device: str) -> None:
    """Before ``device`` overwrites field ``name``: remember what it is overwriting.  Edits on
    top of this device's own unsynced edit keep the earlier base, so a run of local edits
    counts as one change against what the other devices last had."""
    current = field_stamp(stamps, name)
    if BASE + name not in stamps or stamp_device(current) != device:
        stamps[BASE + name] = current


def stamp_device(stamp: str) -> str:
    return stamp[MS_WIDTH + COUNTER_WIDTH :]


def has_seen(stamps: Mapping[str, str], stamp: str) -> bool:
    """Whether a row whose stamps are ``stamps`` had seen the write stamped ``stamp``: it
    holds that write, or a later write of the same device (whose state held that one)."""
    if stamp in stamps.values():
        return True
    device = stamp[MS_WIDTH + COUNTER_WIDTH :]
    return any(v > stamp and v[MS_WIDTH + COUNTER_WIDTH :] == device for v in stamps.values())


def _latest_by_device(values: Iterable[str], into: dict[str, str]) -> dict[str, str]:
    for v in values:
        device = v[MS_WIDTH + COUNTER_WIDTH :]
        if v > into.get(device, ""):
            into[device] = v
    return into


def normalise_stamps(
    stamps: Mapping[str, str], fields: Iterable[str], before: Iterable[Mapping[str, str]] = ()
) -> dict[str, str]:
    """One way to write a row's stamps: ``"*"`` is the oldest stamp of ``fields`` (every
    column but ``id`` and ``stamps``), only fields written later have their own entry, bases
    and entries of names not in ``fields`` are kept as they are, and a :data:`SEEN` entry
    stands for each device whose latest seen write no other stamp shows — including those of
    the rows' stamps ``before`` a write replaced some of them.  Two devices holding the same
    values with the same stamps then hold byte-identical rows."""
    names = set(fields)
    get, written_with_row = stamps.get, stamps.get("*", "")
    effective = {name: get(name) or written_with_row for name in names}
    if not effective:
        return dict(stamps)
    star = min(effective.values())
    out = {"*": star}
    seen = []
    for k, v in stamps.items():
        if k[:1] == SEEN:
            seen.append(v)
        elif k != "*" and k not in names:
            out[k] = v
    out.update({name: stamp for name, stamp in effective.items() if stamp != star})
    for old in before:
        seen.extend(old.values())
    if seen:
        shown = _latest_by_device(out.values(), {})
        for device, stamp in _latest_by_device(seen, {}).items():
            if stamp > shown.get(device, ""):
                out[SEEN + device] = stamp
    return out
