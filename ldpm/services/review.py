"""The changes to review: fields two computers changed at the same time.

A merge keeps the newer value and logs the other in the ``conflict`` table (it syncs like any
table).  This module lists the unresolved ones as :class:`Review` items — the item they
belong to, both values as the domain sees them, and who changed each and when — and makes
"Keep This" / "Use the Other" an ordinary undoable command (:func:`resolve_conflict`).  The UI
shows these; it never parses clock stamps or opens transactions itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ldpm.domain.entities import Conflict, Device, Entity
from ldpm.persistence.codecs import decode_value as store_decode
from ldpm.persistence.hlc import parse_stamp
from ldpm.persistence.schema import ENTITY_BY_TABLE, SPECS
from ldpm.persistence.store import Tx
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command, Composite, DeleteEntity, EditFields
from ldpm.services.project import Project


@dataclass(frozen=True)
class Review:
    """One change to review."""

    conflict: Conflict
    #: The kind of item ("backlog_item") and its name or title, if it has one.
    kind: str
    item: str
    field: str
    kept: Any
    other: Any
    #: Who made each change (a person's name; "" if the computer is unknown) and when.
    kept_by: str
    kept_at: datetime | None
    other_by: str
    other_at: datetime | None

    @property
    def id(self) -> str:
        return self.conflict.id


def list_conflicts(project: Project, *, include_resolved: bool = False) -> list[Conflict]:
    with project.read() as tx:
        items = tx.list(Conflict, order_by=("kept_stamp", "id"))
    return items if include_resolved else [c for c in items if not c.resolved]


def device_names(project: Project) -> dict[str, str]:
    """Device id → the person who uses it (their computer's name added where two people
    share a name), for saying who made a change."""
    with project.read() as tx:
        devices = tx.list(Device, order_by=("id",))
    names = [d.user.strip() or d.host for d in devices]
    out: dict[str, str] = {}
    for device, name in zip(devices, names, strict=True):
        shared = names.count(name) > 1 and device.host
        out[device.id] = f"{name} ({device.host})" if shared else name
    return out


def decode_value(conflict: Conflict, which: str) -> Any:
    """The kept (``which="kept"``) or other value of a conflict, as the domain sees it."""
    raw = json.loads(conflict.kept_value if which == "kept" else conflict.other_value)
    kind = ENTITY_BY_TABLE.get(conflict.entity)
    if kind is None or conflict.field not in {s.name for s in SPECS[kind]}:
        return raw
    return store_decode(kind, conflict.field, raw)


def _when(stamp: str) -> datetime | None:
    try:
        ms, _counter, _device = parse_stamp(stamp)
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _who(stamp: str, names: dict[str, str]) -> str:
    try:
        return names.get(parse_stamp(stamp)[2], "")
    except ValueError:
        return ""


def _item_name(entity: Entity | None) -> str:
    if entity is None:
        return ""
    for attr in ("name", "title", "statement"):
        value = getattr(entity, attr, None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def reviews(project: Project) -> list[Review]:
    """The unresolved changes to review, oldest first."""
    conflicts = list_conflicts(project)
    if not conflicts:
        return []
    names = device_names(project)
    items: dict[tuple[str, str], str] = {}
    with project.read() as tx:
        for c in conflicts:
            key = (c.entity, c.row_id)
            if key not in items:
                kind = ENTITY_BY_TABLE.get(c.entity)
                entity = tx.get(kind, c.row_id, include_deleted=True) if kind else None
                items[key] = _item_name(entity)
    return [
        Review(
            conflict=c,
            kind=c.entity,
            item=items[(c.entity, c.row_id)],
            field=c.field,
            kept=decode_value(c, "kept"),
            other=decode_value(c, "other"),
            kept_by=_who(c.kept_stamp, names),
            kept_at=_when(c.kept_stamp),
            other_by=_who(c.other_stamp, names),
            other_at=_when(c.other_stamp),
        )
        for c in conflicts
    ]


@dataclass(eq=False)
class _Restore(Command):
    """Clear a tombstone ("use the other" when the other value is "present")."""

    kind: type[Entity]
    id: str
    text: str = "Restore"

    def apply(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted(self.kind, self.id, False)
        return ChangeRecord.structural(self.kind, self.id)

    def revert(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted(self.kind, self.id, True)
        return ChangeRecord.structural(self.kind, self.id)


def resolve_conflict(conflict: Conflict, *, use_other: bool) -> Command:
    """ "Keep this" (the value that won) or "use the other"; either way the conflict is marked
    resolved.  A synced, undoable edit."""
    parts: list[Command] = [
        EditFields(Conflict, conflict.id, {"resolved": True}, text="Resolve change")
    ]
    kind = ENTITY_BY_TABLE.get(conflict.entity)
    if use_other and kind is not None:
        value = decode_value(conflict, "other")
        if conflict.field == "deleted":
            parts.insert(
                0,
                DeleteEntity(kind, conflict.row_id) if value else _Restore(kind, conflict.row_id),
            )
        else:
            parts.insert(0, EditFields(kind, conflict.row_id, {conflict.field: value}))
    return Composite(parts, text="Use the other value" if use_other else "Keep this value")
