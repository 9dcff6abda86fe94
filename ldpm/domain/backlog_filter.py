"""Which backlog items to show: the one filter the backlog table, the value/effort matrix and
the release board share (and a navigation target: "show the backlog filtered to this").

An empty set means "any"; sets of one field combine with OR, fields with AND.  ``releases``
holds release ids, and None for "not planned".  ``text`` matches the title and the
description, case-insensitively, every word somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemKind, ItemStatus, LearningMode, MomentOfNeed, Sourcing


@dataclass(frozen=True)
class BacklogFilter:
    text: str = ""
    statuses: frozenset[ItemStatus] = field(default_factory=frozenset)
    kinds: frozenset[ItemKind] = field(default_factory=frozenset)
    modes: frozenset[LearningMode | None] = field(default_factory=frozenset)
    moments: frozenset[MomentOfNeed | None] = field(default_factory=frozenset)
    sourcings: frozenset[Sourcing] = field(default_factory=frozenset)
    releases: frozenset[str | None] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        """True if it hides anything at all."""
        return bool(
            self.text.strip()
            or self.statuses
            or self.kinds
            or self.modes
            or self.moments
            or self.sourcings
            or self.releases
        )

    def matches(self, item: BacklogItem) -> bool:
        if self.statuses and item.status not in self.statuses:
            return False
        if self.kinds and item.kind not in self.kinds:
            return False
        if self.modes and item.mode not in self.modes:
            return False
        if self.moments and item.moment not in self.moments:
            return False
        if self.sourcings and item.sourcing not in self.sourcings:
            return False
        if self.releases and item.release_id not in self.releases:
            return False
        words = self.text.casefold().split()
        if words:
            haystack = f"{item.title}\n{item.description}".casefold()
            return all(word in haystack for word in words)
        return True

    def cleared(self) -> BacklogFilter:
        return BacklogFilter()

    def with_text(self, text: str) -> BacklogFilter:
        return replace(self, text=text)
