"""Write ``v2_project.ldpm``: a small project file as LDPM wrote it at schema version 2
(before triage, causes and scoring settings), for the upgrade test in
``tests/persistence/test_upgrade_v3.py``.

Run it with a checkout of the version-2 code on ``PYTHONPATH`` (it uses only what that
version had), e.g.::

    PYTHONPATH=/path/to/ldpm-v2 python tests/data/make_v2_file.py tests/data/v2_project.ldpm
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from ldpm.domain.entities import BacklogItem, Initiative, ItemSme, Person, Workspace
from ldpm.domain.enums import ItemKind, RootCause, Sourcing, Stage
from ldpm.persistence.document import create_file
from ldpm.persistence.store import Tx

DEVICE = "0a0b0c0d0e0f0a0b"


def populate(tx: Tx) -> None:
    workspace = tx.list(Workspace)[0]
    tx.update(Workspace, workspace.id, {"organisation": "Version Two Ltd"})
    lead = Person(id="p" * 32, name="Tomás Reyes", expertise="Incident hand-offs")
    tx.insert(lead)
    handoffs = Initiative(
        id="a" * 32,
        name="Incident hand-offs",
        stage=Stage.BUILD_MVP,
        root_cause=RootCause.KNOWLEDGE,
        rank="G",
        request="We need a class on communication.",
        requested_by="Daniel Okafor",
        requested_on=date(2026, 2, 9),
    )
    sales = Initiative(
        id="b" * 32,
        name="Sales demo certification",
        stage=Stage.DISCOVER,
        root_cause=RootCause.INCENTIVES,
        routed_to="Sales operations: the commission plan pays on bookings this quarter.",
        rank="V",
    )
    fresh = Initiative(id="c" * 32, name="Excel for everyone", rank="l")
    for initiative in (handoffs, sales, fresh):
        tx.insert(initiative)
    checklist = BacklogItem(
        id="d" * 32,
        initiative_id=handoffs.id,
        title="Hand-off checklist",
        kind=ItemKind.PERFORMANCE_SUPPORT,
        reach=72,
        impact=3.0,
        confidence=0.7,  # not on today's standard confidence scale: kept as it is
        effort=4.0,
        rank="G",
    )
    shadowing = BacklogItem(
        id="e" * 32,
        initiative_id=handoffs.id,
        title="Shadowing rotation",
        sourcing=Sourcing.SME_LED,
        rank="V",
    )
    tx.insert(checklist)
    tx.insert(shadowing)
    tx.insert(ItemSme(id="f" * 32, item_id=shadowing.id, person_id=lead.id))


def main(out: Path) -> None:
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        create_file(out, root=Path(scratch), device=DEVICE, name="Version two", populate=populate)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
