"""How much L&D builds versus enables (dropped items do not count)."""

from __future__ import annotations

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus, Sourcing
from ldpm.domain.sourcing import sourcing_split


def item(sourcing: Sourcing, status: ItemStatus = ItemStatus.IDEA) -> BacklogItem:
    return BacklogItem(initiative_id="i", sourcing=sourcing, status=status)


def test_the_split_counts_what_will_be_delivered() -> None:
    items = [
        item(Sourcing.BUILD),
        item(Sourcing.BUILD, ItemStatus.DONE),
        item(Sourcing.SME_LED),
        item(Sourcing.CURATE),
        item(Sourcing.OUTSOURCE),
        item(Sourcing.OUTSOURCE, ItemStatus.DROPPED),  # not delivered: not counted
        item(Sourcing.NOT_TRAINING),
    ]
    split = sourcing_split(items)
    assert split.counts == {
        Sourcing.BUILD: 2,
        Sourcing.CURATE: 1,
        Sourcing.SME_LED: 1,
        Sourcing.OUTSOURCE: 1,
        Sourcing.NOT_TRAINING: 1,
    }
    assert (split.total, split.built, split.enabled, split.not_training) == (6, 2, 3, 1)
    assert split.build_share() == 0.4  # 2 of the 5 learning items


def test_no_learning_items_no_share() -> None:
    assert sourcing_split([]).build_share() is None
    assert sourcing_split([item(Sourcing.NOT_TRAINING)]).build_share() is None
