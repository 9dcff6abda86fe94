"""Rows that belong to other rows, and which tombstoned rows come back together.

A row *belongs to* the rows its required foreign keys name (:data:`PARENT_LINKS`): a key result
to its objective, an objective to its initiative, a stakeholder to its initiative and its
person.  Optional references (a backlog item's release, a story's metric) are not parents.

Deleting a row tombstones it and its live descendants with one stamp (see
:mod:`ldpm.persistence.store`): the stamp names the delete, and the rows it tombstoned are its
*group*.  A delete of several rows at once (an undone import) tombstones all of them, and
their descendants, with one stamp: one group, though its rows need not belong to each other.
Two rules keep a tree whole, for local edits and for merges alike:

* a row that comes back brings back its group (the rows tombstoned by the same delete, found
  below it and, for a delete of several rows, by the delete's stamp in every table);
* a live row never sits under a tombstoned parent: the parent comes back, with its group, all
  the way up.  Deletes written before groups existed (their stamps carry a ``"^deleted"``
  base) left their children live; for those, a child brings the parent back only if it was
  written after the delete.

:func:`rows_to_bring_back` finds the rows these rules bring back; it only reads, through an
``execute`` callable, so the store (SQLAlchemy) and the merge (sqlite3) share it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ldpm.persistence import schema

#: The key in ``stamps`` of the base of a delete written before deletes had groups.
LEGACY_DELETE_BASE = "^deleted"


def _parent_links() -> dict[str, tuple[tuple[str, str], ...]]:
    links: dict[str, tuple[tuple[str, str], ...]] = {}
    for cls, table in schema.TABLES.items():
        links[table.name] = tuple(
            (spec.name, schema.FOREIGN_KEYS[spec.name])
            for spec in schema.SPECS[cls]
            if spec.name in schema.FOREIGN_KEYS and not spec.optional
        )
    return links


#: Table → its required parent links, ``(column, parent table)``.
PARENT_LINKS: dict[str, tuple[tuple[str, str], ...]] = _parent_links()
#: Table → the required links pointing at it, ``(child table, column)``.
CHILD_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    name: tuple(
        (child, column)
        for child, links in PARENT_LINKS.items()
        for column, parent in links
        if parent == name
    )
    for name in PARENT_LINKS
}

#: Runs one SQL statement with ``?`` parameters and returns its rows.
Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]
#: A row, as ``(table, id)``.
Key = tuple[str, str]


def delete_stamp(stamps: Mapping[str, str]) -> str:
    """The stamp of a row's ``deleted`` flag (its delete, when tombstoned)."""
    return stamps.get("deleted") or stamps.get("*", "")


@dataclass(frozen=True, slots=True)
class Tomb:
    """A row that comes back (or, with ``live``, has just come back)."""

    stamps: dict[str, str]  # its stamps now
    delete: str  # the stamp of the delete undone
    parents: tuple[Key, ...]
    trigger: str | None  # the latest write that brought it back, if known
    live: bool = False


def _rows(
    execute: Execute,
    prefix: str,
    table: str,
    column: str,
    keys: Iterable[str],
    *,
    tombstoned: bool = False,
) -> list[tuple[str, int, dict[str, str], tuple[str, ...]]]:
    """(id, deleted, stamps, required parent ids) of the rows of ``table`` whose ``column``
    is one of ``keys`` (only tombstoned ones, with ``tombstoned``)."""
    parents = "".join(f', "{c}"' for c, _p in PARENT_LINKS[table])
    rows = execute(
        f'SELECT id, deleted, stamps{parents} FROM {prefix}"{table}" '
        f'WHERE "{column}" IN (SELECT value FROM json_each(?))'
        + (" AND deleted = 1" if tombstoned else ""),
        (json.dumps(sorted(set(keys))),),
    )
    return [(str(r[0]), int(r[1]), json.loads(r[2]), tuple(str(v) for v in r[3:])) for r in rows]


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two triggers; ``None`` (a local write now) is later than any stamp."""
    return None if a is None or b is None else max(a, b)


def rows_to_bring_back(
    execute: Execute,
    wanted: Mapping[Key, str | None],
    *,
    returned: Mapping[Key, tuple[str, str | None]] | None = None,
    prefix: str = "",
) -> dict[Key, Tomb]:
    """The tombstoned rows the rules of this module bring back.

    ``wanted`` maps rows that a write needs live (the row written, or the parent of a live
    row) to the stamp of that write (``None``: a local write being made now, which always
    wins).  ``returned`` maps rows that have just come back to ``(the delete undone, the
    write that undid it)``; they are in the result too, with ``live=True``.  ``prefix`` is
    the schema to read (``"main."`` in a merge)."""
    returned = returned or {}
    found: dict[Key, Tomb] = {}
    done: dict[Key, str | None] = {}  # row → the latest trigger it was looked at with
    expanded: dict[str, str | None] = {}  # delete → the latest trigger its group came with
    todo: dict[Key, str | None] = dict(wanted)
    for key, (_delete, trigger) in returned.items():
        todo[key] = _later(todo[key], trigger) if key in todo else trigger
    while todo:
        level: dict[str, dict[str, str | None]] = {}
        for key, trigger in todo.items():
            if key in done:
                before = done[key]
                if before is None or (trigger is not None and trigger <= before):
                    continue
            done[key] = trigger
            level.setdefault(key[0], {})[key[1]] = trigger
        todo = {}
        groups: dict[str, dict[str, tuple[str, str | None]]] = {}  # table → id → (delete, why)
        for table, triggers in level.items():
            for row_id, deleted, stamps, parent_ids in _rows(
                execute, prefix, table, "id", triggers
            ):
                key, trigger = (table, row_id), triggers[row_id]
                parents = tuple(
                    (parent, pid)
                    for (_c, parent), pid in zip(PARENT_LINKS[table], parent_ids, strict=True)
                )
                if key in returned:
                    delete = returned[key][0]
                    found[key] = Tomb(stamps, delete, parents, trigger, live=True)
                elif deleted:
                    delete = delete_stamp(stamps)
                    if not _brought_back_by(stamps, trigger):
                        continue
                    found[key] = Tomb(stamps, delete, parents, trigger)
                else:
                    delete = ""
                for parent in parents:
                    todo[parent] = _later(todo[parent], trigger) if parent in todo else trigger
                if delete:
                    groups.setdefault(table, {})[row_id] = (delete, trigger)
        deletes: dict[str, str | None] = {}  # delete → the latest trigger undoing it
        for table, by_id in groups.items():
            for delete, trigger in by_id.values():
                deletes[delete] = _later(deletes.get(delete, trigger), trigger)
            for child, column in CHILD_LINKS[table]:
                index = [c for c, _p in PARENT_LINKS[child]].index(column)
                for child_id, deleted, stamps, parent_ids in _rows(
                    execute, prefix, child, column, by_id, tombstoned=True
                ):
                    delete, trigger = by_id[parent_ids[index]]
                    if deleted and delete_stamp(stamps) == delete:
                        key = (child, child_id)
                        todo[key] = _later(todo[key], trigger) if key in todo else trigger
        # The rest of each group, beside these rows rather than below them (a delete of
        # several rows at once), looked for once per delete and trigger.
        deletes = {
            d: t
            for d, t in deletes.items()
            if d not in expanded or _later(expanded[d], t) != expanded[d]
        }
        expanded.update(deletes)
        for key, delete in deleted_by(execute, deletes, prefix=prefix).items():
            trigger = deletes[delete]
            todo[key] = _later(todo[key], trigger) if key in todo else trigger
    return found


def deleted_by(execute: Execute, deletes: Iterable[str], *, prefix: str = "") -> dict[Key, str]:
    """The tombstoned rows of every table whose delete is one of ``deletes`` (its stamp), and
    that delete: the rows of those deletes' groups."""
    wanted = json.dumps(sorted(set(deletes)))
    if wanted == "[]":
        return {}
    out: dict[Key, str] = {}
    for table in PARENT_LINKS:
        for row_id, delete in execute(
            f"SELECT id, coalesce(json_extract(stamps, '$.deleted'), "
            f'json_extract(stamps, \'$."*"\')) AS d FROM {prefix}"{table}" '
            "WHERE deleted = 1 AND d IN (SELECT value FROM json_each(?))",
            (wanted,),
        ):
            out[(table, str(row_id))] = str(delete)
    return out


def _brought_back_by(stamps: Mapping[str, str], trigger: str | None) -> bool:
    """Whether a write stamped ``trigger`` below or beside a tombstoned row brings it back:
    always for a delete with a group; for an older delete, if written after the delete (its
    children were hidden from then on, so such a write had not seen it)."""
    legacy = LEGACY_DELETE_BASE in stamps
    return not legacy or trigger is None or trigger > delete_stamp(stamps)
