"""The mappings a user chose, remembered per source, so the next import is one click.

A *source* is recognised by its columns: the same tool exports the same column names.  The
mapping chosen for a file (which column fills which field, the fixed values, the date order,
the source's name) is kept under the kind of import and the file's column names, in LDPM's
configuration folder (``exchange/mappings.json``, per computer, like other preferences).  A
later file whose columns are the same — or mostly the same: tools add and drop a column now
and then — gets that mapping back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ldpm import paths
from ldpm.atomic import atomic_write
from ldpm.services.exchange_kinds import normalise

#: A remembered mapping applies to a file sharing at least this share of its columns.
MIN_OVERLAP = 0.8
#: At most this many mappings are remembered (the oldest used goes first).
KEEP = 50


@dataclass
class Profile:
    """A remembered mapping (see the module docstring)."""

    kind: str
    headers: list[str]
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    source: str = ""
    dayfirst: bool | None = None
    used: str = ""  # ISO date of the last import with it


def _path() -> Path:
    return paths.config_dir() / "exchange" / "mappings.json"


def _load() -> list[Profile]:
    try:
        data = json.loads(_path().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for raw in data.get("profiles", []) if isinstance(data, dict) else []:
        try:
            out.append(_profile(raw))
        except (TypeError, ValueError, KeyError):
            continue  # one damaged entry costs only itself
    return out


def _profile(raw: Any) -> Profile:
    dayfirst = raw.get("dayfirst")
    return Profile(
        kind=str(raw["kind"]),
        headers=[str(h) for h in raw["headers"]],
        columns={str(k): str(v) for k, v in dict(raw.get("columns", {})).items()},
        constants={str(k): str(v) for k, v in dict(raw.get("constants", {})).items()},
        source=str(raw.get("source", "")),
        dayfirst=dayfirst if isinstance(dayfirst, bool) else None,
        used=str(raw.get("used", "")),
    )


def find(kind: str, headers: Sequence[str]) -> Profile | None:
    """The remembered mapping for a file of ``kind`` with these columns, if any."""
    mine = {normalise(h) for h in headers}
    best: tuple[float, Profile] | None = None
    for profile in _load():
        if profile.kind != kind:
            continue
        theirs = {normalise(h) for h in profile.headers}
        overlap = len(mine & theirs) / max(len(mine | theirs), 1)
        if overlap >= MIN_OVERLAP and (best is None or overlap > best[0]):
            best = (overlap, profile)
    if best is None:
        return None
    profile = best[1]
    # Keep only what applies to this file's columns.
    profile.columns = {h: t for h, t in profile.columns.items() if h in set(headers)}
    return profile


def remember(profile: Profile) -> None:
    """Keep ``profile`` (replacing the one for the same kind and columns).  Best effort: a
    configuration folder that cannot be written costs only the memory."""
    profile.used = date.today().isoformat()
    key = (profile.kind, sorted(normalise(h) for h in profile.headers))
    kept = [p for p in _load() if (p.kind, sorted(normalise(h) for h in p.headers)) != key]
    kept.insert(0, profile)
    kept.sort(key=lambda p: p.used, reverse=True)
    data = {
        "version": 1,
        "profiles": [p.__dict__ for p in kept[:KEEP]],
    }
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, indent=1, ensure_ascii=False))
    except OSError:
        pass
