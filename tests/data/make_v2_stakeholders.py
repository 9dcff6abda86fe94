"""How ``v2_stakeholders.ldpm`` was made: a project file as schema version 2 wrote it (before
the stakeholder map's fields), with a person, a stake, an assessment and an interaction.

Run it with the code of schema version 2 (the commit before migration 0005), for example::

    cd <a checkout of that commit> && LDPM_HOME=/tmp/v2home python \\
        <this file> tests/data/v2_stakeholders.ldpm

``tests/persistence/test_stakeholder_migration.py`` opens the file with this version.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ldpm.domain.entities import (
    Assessment,
    BacklogItem,
    Initiative,
    Interaction,
    ItemSme,
    Person,
    Stakeholder,
)
from ldpm.domain.enums import Engagement, StakeholderKind, Support
from ldpm.persistence.document import create_file
from ldpm.persistence.store import Tx

DEVICE = "0123456789abcdef"


def populate(tx: Tx) -> None:
    initiative = Initiative(id="1" * 32, name="Incident hand-offs")
    helen = Person(
        id="2" * 32,
        name="Helen Marsh",
        role="Operations Director",
        department="Operations",
        notes="Wary of L&D since the 2024 programme.",
    )
    tomas = Person(
        id="3" * 32,
        name="Tomás Reyes",
        role="On-call Lead",
        department="Operations",
        expertise="Incident command and hand-offs",
    )
    stake = Stakeholder(
        id="4" * 32,
        initiative_id=initiative.id,
        person_id=helen.id,
        kind=StakeholderKind.BUSINESS_LEADER,
        power=9,
        interest=4,
        support=Support.SCEPTIC,
        current_engagement=Engagement.RESISTANT,
        cadence="Monthly",
        private_notes="Blocked the original class.",
    )
    item = BacklogItem(id="5" * 32, initiative_id=initiative.id, title="Shadowing rotation")
    for entity in (
        initiative,
        helen,
        tomas,
        stake,
        item,
        ItemSme(id="6" * 32, item_id=item.id, person_id=tomas.id),
        Assessment(
            id="7" * 32,
            stakeholder_id=stake.id,
            on=date(2026, 2, 16),
            power=9,
            interest=3,
            support=Support.BLOCKER,
            engagement=Engagement.RESISTANT,
            note="Refused a two-day class.",
        ),
        Interaction(
            id="8" * 32,
            stakeholder_id=stake.id,
            on=date(2026, 2, 16),
            channel="Meeting",
            summary="Intake interview.",
        ),
    ):
        tx.insert(entity)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    create_file(
        target, root=target.parent / "scratch", device=DEVICE, name="v2", populate=populate
    )
