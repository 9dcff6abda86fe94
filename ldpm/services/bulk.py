"""Commands that change many rows as one undo step, and rows that come and go by key.

:class:`EditMany` sets fields of many rows of one type in one statement per set of fields
(:meth:`~ldpm.persistence.store.Tx.update_many`): a bulk edit of 500 backlog items is one
undo step and one quick write, not 500 separate updates.

:class:`SetPresence` adds or removes a row whose id is derived from what it links (an SME
linked to an item, a cause checked on an initiative; see :func:`link_id`): checking a box
adds the row, unchecking tombstones it, checking again brings the same row back with what
it held.  Because the id follows from the link, two people who check the same box offline
create the same row, and their copies merge into one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ldpm.domain.entities import Entity
from ldpm.persistence.schema import table_name
from ldpm.persistence.store import Tx
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command

#: The namespace of the ids derived from links.
_LINKS = uuid.UUID("6f1d3c2a-8b7e-4f5a-9c1d-2e3f4a5b6c7d")


def link_id(kind: type[Entity], *parts: str) -> str:
    """The id of the ``kind`` row that links ``parts`` (the same on every device)."""
    return uuid.uuid5(_LINKS, "/".join((kind.__name__, *parts))).hex


@dataclass(eq=False)
class EditMany(Command):
    """Set fields of many rows of one type: ``changes`` is ``{id: {field: value}}``."""

    kind: type[Entity]
    changes: Mapping[str, Mapping[str, Any]]
    text: str = "Edit"
    old: dict[str, dict[str, Any]] = field(default_factory=dict)
    _applied_once: bool = False

    def apply(self, tx: Tx) -> ChangeRecord:
        previous = tx.update_many(self.kind, self.changes)
        if not self._applied_once:
            self.old = previous
            self._applied_once = True
        return self._record()

    def revert(self, tx: Tx) -> ChangeRecord:
        tx.update_many(self.kind, self.old)
        return self._record()

    def _record(self) -> ChangeRecord:
        fields = {name for values in self.changes.values() for name in values}
        return ChangeRecord(
            kinds=frozenset({table_name(self.kind)}),
            ids=frozenset(self.changes),
            fields=frozenset(fields),
        )

    @property
    def changed(self) -> int:
        """How many rows the first apply changed."""
        return len(self.old)


@dataclass(eq=False)
class SetPresence(Command):
    """Make the link ``entity`` present (add it, or bring its tombstoned row back) or absent
    (tombstone it).  ``entity`` carries the derived id and the values for a first insert."""

    entity: Entity
    present: bool
    text: str = "Edit"
    _was: bool | None = None  # present before the first apply

    def apply(self, tx: Tx) -> ChangeRecord:
        kind = type(self.entity)
        existing = tx.get(kind, self.entity.id, include_deleted=True)
        if self._was is None:
            self._was = existing is not None and not tx.is_deleted(kind, self.entity.id)
        if existing is None:
            if self.present:
                tx.insert(self.entity)
        else:
            tx.set_deleted(kind, self.entity.id, not self.present)
        return ChangeRecord.structural(kind, self.entity.id)

    def revert(self, tx: Tx) -> ChangeRecord:
        kind = type(self.entity)
        if tx.get(kind, self.entity.id, include_deleted=True) is not None:
            tx.set_deleted(kind, self.entity.id, not self._was)
        return ChangeRecord.structural(kind, self.entity.id)
