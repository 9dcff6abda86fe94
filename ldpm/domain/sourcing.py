"""How much L&D builds versus enables: the sourcing split of a backlog.

*Build* is made in-house by L&D; *curate*, *SME-led* and *outsource/buy* enable others to
deliver (the subject-matter experts, a vendor, content that exists); *not training* is handed
to whoever owns a process, tool or policy.  Dropped items do not count: they will not be
delivered at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus, Sourcing

#: Sourcing that enables others rather than L&D building it.
ENABLING = frozenset({Sourcing.CURATE, Sourcing.SME_LED, Sourcing.OUTSOURCE})


@dataclass(frozen=True, slots=True)
class SourcingSplit:
    counts: dict[Sourcing, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def built(self) -> int:
        return self.counts.get(Sourcing.BUILD, 0)

    @property
    def enabled(self) -> int:
        return sum(self.counts.get(s, 0) for s in ENABLING)

    @property
    def not_training(self) -> int:
        return self.counts.get(Sourcing.NOT_TRAINING, 0)

    def build_share(self) -> float | None:
        """The share of learning items (build or enable) that L&D builds itself, 0..1, or
        None when there are none."""
        learning = self.built + self.enabled
        return None if learning == 0 else self.built / learning


def sourcing_split(items: Iterable[BacklogItem]) -> SourcingSplit:
    """Count the items that will be delivered, by sourcing (every member present)."""
    counts = Counter(i.sourcing for i in items if i.status is not ItemStatus.DROPPED)
    return SourcingSplit({s: counts.get(s, 0) for s in Sourcing})
