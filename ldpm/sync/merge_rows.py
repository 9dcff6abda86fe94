"""Merging one row present in the working copy and in a replica: the rules of
:mod:`ldpm.sync.merge` for one row, as a pure function (:func:`merge_row`), and the review
entries they produce."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldpm.domain.entities import Conflict
from ldpm.persistence.schema import table_name
from ldpm.persistence.stamps import BASE, SEEN, dump_stamps, has_seen, normalise_stamps

_CONFLICT_NAMESPACE = uuid.UUID("9d1c3b4e-5f0a-4b8e-9a51-2f6e7c8d0b13")
#: Tables whose concurrent changes are not worth a person's review.
NO_REVIEW = frozenset({table_name(Conflict), "device"})
#: Fields not logged field by field: ``deleted`` has its own rule, and an order loses nothing.
_NO_REVIEW_FIELDS = frozenset({"deleted", "rank"})


def conflict_id(table: str, row_id: str, name: str, stamp_a: str, stamp_b: str) -> str:
    low, high = sorted((stamp_a, stamp_b))
    return uuid.uuid5(_CONFLICT_NAMESPACE, f"{table}|{row_id}|{name}|{low}|{high}").hex


def stamp_of(stamps: Mapping[str, str], name: str) -> str:
    return stamps.get(name) or stamps.get("*", "")


def latest_stamp(stamps: Mapping[str, str]) -> str:
    """The latest stamp a row's stamps hold (a base is never later than its field's stamp)."""
    return max(stamps.values())


@dataclass(slots=True)
class _RowMerge:
    values: dict[str, Any]
    stamps: dict[str, str]
    taken: int = 0
    changed: bool = False  # values or stamps differ from the local row
    resurrected: bool = False  # an edit beat the winning delete
    trigger: str = ""  # the latest such edit
    #: A losing delete (of the other copy) that an edit beat too: (its stamp, the edit).
    #: The row stays as the winner has it; the rest of that delete's group comes back.
    undone: tuple[str, str] | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_row(
    table: str,
    fields: Sequence[str],
    local: Mapping[str, Any],
    local_stamps: Mapping[str, str],
    remote: Mapping[str, Any],
    remote_stamps: Mapping[str, str],
    local_fields: Sequence[str] | None = None,
    *,
    remote_seen: bool = True,
) -> _RowMerge:
    """Merge one row present on both sides.  Pure: returns the merged values and stamps, how
    many fields came from ``remote``, whether an edit beat the delete, and the field conflicts.

    ``fields`` are the fields both sides have; ``local_fields`` every local one (default
    ``fields``): the stamps of fields the replica lacks (it was written by an older version)
    are kept as they are.  ``remote_seen=False`` says ``remote_stamps`` has no
    :data:`~ldpm.persistence.store.SEEN` entries (a shortcut)."""
    review = table not in NO_REVIEW
    out = _RowMerge(dict(local), dict(local_stamps))
    row_id = str(local["id"])
    # stamp_of, inlined: this loop runs for every field of every row that differs.
    local_stamp, remote_stamp = local_stamps.get, remote_stamps.get
    local_star, remote_star = local_stamp("*", ""), remote_stamp("*", "")
    for name in fields:
        s_local = local_stamp(name) or local_star
        s_remote = remote_stamp(name) or remote_star
        clash = False
        if s_local == s_remote:
            if local[name] == remote[name]:
                continue
            # Two different writes with one stamp: two computers share a device id (one was
            # cloned).  Pick the same value everywhere — a live row over a tombstone, so that
            # nothing disappears — and let a person review it.
            clash = True
            if name == "deleted":
                remote_wins = not remote[name]
            else:
                remote_wins = json.dumps(remote[name]) > json.dumps(local[name])
        else:
            remote_wins = s_remote > s_local
        newer_stamps = remote_stamps if remote_wins else local_stamps
        older_stamp = s_local if remote_wins else s_remote
        if remote_wins:
            out.values[name] = remote[name]
            out.stamps[name] = s_remote
            if BASE + name in remote_stamps:
                out.stamps[BASE + name] = remote_stamps[BASE + name]
            else:
                out.stamps.pop(BASE + name, None)
            out.taken += 1
        newer_stamp = s_remote if remote_wins else s_local
        # Concurrent: the newer write's copy of the row had not seen the older write (and so
        # neither had its writer).  One device's writes are ordered, never concurrent.
        differ = local[name] != remote[name]
        if (
            differ
            and review
            and name not in _NO_REVIEW_FIELDS
            and (clash or not has_seen(newer_stamps, older_stamp))
        ):
            kept, other = (remote, local) if remote_wins else (local, remote)
            out.conflicts.append(
                _conflict_row(
                    table, row_id, name, kept[name], newer_stamp, other[name], older_stamp
                )
            )
    if local["deleted"] and remote["deleted"]:
        _losing_delete(out, fields, (local, local_stamps), (remote, remote_stamps))
    if out.values.get("deleted"):
        _edit_beats_delete(out, fields, (local, local_stamps), (remote, remote_stamps))
    seen = False  # what the replica's copy had seen, the merged row has seen
    if remote_seen:
        for key, stamp in remote_stamps.items():
            if key[:1] == SEEN and not has_seen(out.stamps, stamp):
                out.stamps[key] = stamp
                seen = True
    if out.taken or out.resurrected or seen:
        out.stamps = normalise_stamps(out.stamps, local_fields or fields)
        out.changed = out.stamps != local_stamps or out.taken > 0 or out.resurrected
    return out


def _edit_beats_delete(
    out: _RowMerge,
    fields: Sequence[str],
    *sides: tuple[Mapping[str, Any], Mapping[str, str]],
) -> None:
    """Undo the winning delete if a field was written later than its deleter's copy of that
    field.  A tombstoned row holds what its deleter had seen; two copies of one delete that
    differ (which the store never writes) count as the lesser of the two."""
    delete = stamp_of(out.stamps, "deleted")
    carriers = [s for row, s in sides if row["deleted"] and stamp_of(s, "deleted") == delete]
    if not carriers:
        return
    if len(carriers) == 1:  # the usual case, with stamp_of inlined: this runs for every row
        merged, merged_star = out.stamps.get, out.stamps.get("*", "")
        seen, seen_star = carriers[0].get, carriers[0].get("*", "")
        later = [
            stamp
            for name in fields
            if name != "deleted"
            and (stamp := merged(name) or merged_star) > (seen(name) or seen_star)
        ]
    else:
        later = [
            stamp
            for name in fields
            if name != "deleted"
            and (stamp := stamp_of(out.stamps, name)) > min(stamp_of(c, name) for c in carriers)
        ]
    if later:
        out.values["deleted"] = 0  # keeping the delete's stamp: the same on every device
        out.stamps.pop(BASE + "deleted", None)
        out.resurrected = True
        out.trigger = max(later)


def _losing_delete(
    out: _RowMerge,
    fields: Sequence[str],
    *sides: tuple[Mapping[str, Any], Mapping[str, str]],
) -> None:
    """Two different deletes of one row: the later wins the row, but if the merged row holds
    a write the earlier one had not seen, that earlier delete is undone too — for the other
    rows of its group.  (Otherwise the result would depend on whether a device met the
    write before or after the later delete.)"""
    (_l, local_stamps), (_r, remote_stamps) = sides
    deletes = stamp_of(local_stamps, "deleted"), stamp_of(remote_stamps, "deleted")
    if deletes[0] == deletes[1]:
        return
    loser = local_stamps if deletes[0] < deletes[1] else remote_stamps
    later = [
        stamp
        for name in fields
        if name != "deleted" and (stamp := stamp_of(out.stamps, name)) > stamp_of(loser, name)
    ]
    if later:
        out.undone = (min(deletes), max(later))


def _conflict_row(
    table: str,
    row_id: str,
    name: str,
    kept: Any,
    kept_stamp: str,
    other: Any,
    other_stamp: str,
    *,
    id_: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id_ or conflict_id(table, row_id, name, kept_stamp, other_stamp),
        "entity": table,
        "row_id": row_id,
        "field": name,
        "kept_value": json.dumps(kept),
        "kept_stamp": kept_stamp,
        "other_value": json.dumps(other),
        "other_stamp": other_stamp,
        "resolved": 0,
        "deleted": 0,
        # Derived from the writes, so every device records a byte-identical row.
        "stamps": dump_stamps({"*": max(kept_stamp, other_stamp)}),
    }


def undone_delete(table: str, row_id: str, delete: str, trigger: str) -> dict[str, Any]:
    """The review entry for a delete undone by an edit it had not seen.  Its id and its stamp
    depend on the delete alone, so however many edits (and devices) undo it, it is logged
    once, and whoever resolves it (having seen the delete) writes after it."""
    entry = _conflict_row(
        table,
        row_id,
        "deleted",
        0,
        trigger,
        1,
        delete,
        id_=conflict_id(table, row_id, "deleted", delete, delete),
    )
    entry["stamps"] = dump_stamps({"*": delete})
    return entry
