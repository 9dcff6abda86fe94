"""Undoable commands, free of Qt.

Every edit a user makes is a :class:`Command`: it knows how to ``apply`` and ``revert`` itself
inside a transaction and returns a :class:`~ldpm.services.changes.ChangeRecord`.
:func:`execute` runs one step of a command in one unit of work of a
:class:`~ldpm.services.project.Project`, so a :class:`Composite` is atomic.  The UI wraps
commands in a thin ``QUndoCommand``; nothing here knows about Qt.

Deletes are tombstones.  A delete tombstones the row's children with it (an objective's key
results, an initiative's whole content), and undoing it (or redoing an add) clears exactly those
tombstones again (see :mod:`ldpm.persistence.store`).  Consecutive edits of one text field
coalesce into one undo step (:meth:`Command.merge`), as a user expects from typing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldpm.domain.entities import Entity
from ldpm.persistence.store import Tx
from ldpm.services.changes import ChangeRecord
from ldpm.services.project import Project

#: Edits of the same field closer together than this many seconds become one undo step.
COALESCE_SECONDS = 2.0


class Command:
    """Base class: a named, reversible change."""

    text: str = ""

    def apply(self, tx: Tx) -> ChangeRecord:
        raise NotImplementedError

    def revert(self, tx: Tx) -> ChangeRecord:
        raise NotImplementedError

    def merge(self, other: Command) -> bool:
        """Absorb ``other`` (which was applied right after this one).  Return True if done."""
        return False


@dataclass(eq=False)
class EditFields(Command):
    """Set fields of one entity.  ``coalesce`` lets consecutive typing merge."""

    kind: type[Entity]
    id: str
    new: dict[str, Any]
    text: str = "Edit"
    coalesce: bool = False
    old: dict[str, Any] = field(default_factory=dict)
    _time: float = field(default_factory=time.monotonic)

    def apply(self, tx: Tx) -> ChangeRecord:
        previous = tx.update(self.kind, self.id, self.new)
        for name, value in previous.items():
            self.old.setdefault(name, value)
        return ChangeRecord.edited(self.kind, self.id, set(self.new))

    def revert(self, tx: Tx) -> ChangeRecord:
        tx.update(self.kind, self.id, {k: self.old[k] for k in self.new if k in self.old})
        return ChangeRecord.edited(self.kind, self.id, set(self.new))

    def merge(self, other: Command) -> bool:
        if not (
            isinstance(other, EditFields)
            and self.coalesce
            and other.coalesce
            and other.kind is self.kind
            and other.id == self.id
            and set(other.new) == set(self.new)
            and other._time - self._time < COALESCE_SECONDS
        ):
            return False
        for name, value in other.old.items():
            self.old.setdefault(name, value)
        self.new = dict(other.new)
        self._time = other._time
        return True

    @property
    def is_noop(self) -> bool:
        return all(self.old.get(k, v) == v for k, v in self.new.items())


@dataclass(eq=False)
class AddEntity(Command):
    """Insert a new entity; undo tombstones it, redo brings it back."""

    entity: Entity
    text: str = "Add"
    _inserted: bool = False

    def apply(self, tx: Tx) -> ChangeRecord:
        if self._inserted:
            tx.set_deleted(type(self.entity), self.entity.id, False)
        else:
            tx.insert(self.entity)
            self._inserted = True
        return ChangeRecord.structural(type(self.entity), self.entity.id)

    def revert(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted(type(self.entity), self.entity.id, True)
        return ChangeRecord.structural(type(self.entity), self.entity.id)


@dataclass(eq=False)
class DeleteEntity(Command):
    """Tombstone an entity; undo clears the tombstone."""

    kind: type[Entity]
    id: str
    text: str = "Delete"

    def apply(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted(self.kind, self.id, True)
        return ChangeRecord.structural(self.kind, self.id)

    def revert(self, tx: Tx) -> ChangeRecord:
        tx.set_deleted(self.kind, self.id, False)
        return ChangeRecord.structural(self.kind, self.id)


@dataclass(eq=False)
class Composite(Command):
    """Several commands as one undo step (applied in order, reverted in reverse)."""

    parts: Sequence[Command]
    text: str = "Edit"

    def apply(self, tx: Tx) -> ChangeRecord:
        record = ChangeRecord()
        for part in self.parts:
            record = record | part.apply(tx)
        return record

    def revert(self, tx: Tx) -> ChangeRecord:
        record = ChangeRecord()
        for part in reversed(self.parts):
            record = record | part.revert(tx)
        return record


def edit(
    kind: type[Entity],
    id_: str,
    changes: Mapping[str, Any],
    text: str,
    *,
    coalesce: bool = False,
) -> EditFields:
    return EditFields(kind, id_, dict(changes), text=text, coalesce=coalesce)


def execute(project: Project, command: Command, *, undo: bool = False) -> ChangeRecord:
    """Apply (or, with ``undo``, revert) ``command`` in one unit of work of ``project``."""
    with project.unit() as tx:
        return command.revert(tx) if undo else command.apply(tx)
