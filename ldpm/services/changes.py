"""Change records: what an operation changed, so that views can decide whether to refresh.

A record names the kinds of entity touched (table names such as ``"initiative"``), their ids, the
fields written, and whether the *structure* changed (rows added, removed, restored, reordered) as
opposed to only field values.  Records combine with ``|``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldpm.domain.entities import Entity
from ldpm.persistence.schema import table_name


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    kinds: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)
    fields: frozenset[str] = field(default_factory=frozenset)
    structure: bool = False
    #: The whole project changed (opened, restored, merged): every view reloads.
    everything: bool = False

    @classmethod
    def edited(
        cls, kind: type[Entity], id_: str, fields: set[str] | frozenset[str]
    ) -> ChangeRecord:
        return cls(frozenset({table_name(kind)}), frozenset({id_}), frozenset(fields))

    @classmethod
    def structural(cls, kind: type[Entity], *ids: str) -> ChangeRecord:
        return cls(frozenset({table_name(kind)}), frozenset(ids), structure=True)

    @classmethod
    def all(cls) -> ChangeRecord:
        return cls(everything=True, structure=True)

    def __or__(self, other: ChangeRecord) -> ChangeRecord:
        return ChangeRecord(
            self.kinds | other.kinds,
            self.ids | other.ids,
            self.fields | other.fields,
            self.structure or other.structure,
            self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return bool(self.kinds) or self.everything

    def touches(self, kind: type[Entity], id_: str | None = None) -> bool:
        """True if this record may affect entities of ``kind`` (with ``id_``, if given)."""
        if self.everything:
            return True
        if table_name(kind) not in self.kinds:
            return False
        return id_ is None or self.structure or id_ in self.ids
