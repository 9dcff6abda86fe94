"""A file written by schema version 2 (before triage, causes and scoring settings) opens,
upgrades its working copy, keeps its data, and saves as version 3; two devices that upgrade
the same file write identical rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ldpm.domain.entities import BacklogItem, Initiative, InitiativeCause, ItemSme, Workspace
from ldpm.domain.enums import Cause, ScoringMethod, Sourcing, TriageStatus
from ldpm.persistence import database
from ldpm.persistence.document import Document
from ldpm.persistence.fileformat import SCHEMA_VERSION, inspect_file
from ldpm.persistence.schema import TABLES
from tests.conftest import DEVICE
from tests.persistence.badfiles import reseal
from tests.persistence.v2file import V2_DEMO, copy_v2, v2_id

HANDOFFS = v2_id("initiative", "name", "Incident hand-offs")
SALES = v2_id("initiative", "name", "Sales demo certification")
K8S = v2_id("initiative", "name", "Kubernetes fundamentals")
ROUTED_NOTE = (
    "Sales operations and RevOps: the commission plan pays on closed bookings within the "
    "quarter, so AEs avoid the longer SE-led demo."
)


def old_file(tmp_path: Path, name: str = "Old.ldpm") -> Path:
    """The version-2 demo with one initiative put back in Discover (a request not yet triaged)."""
    path = copy_v2(tmp_path / name)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE initiative SET stage = 'discover' WHERE id = ?", (K8S,))
    con.close()
    reseal(path)
    return path


def open_doc(path: Path, work: dict[str, Path]) -> Document:
    return Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE)


def test_the_fixture_is_a_version_2_file() -> None:
    info = inspect_file(V2_DEMO)
    assert info is not None and info.schema_version == 2


def test_a_version_2_file_opens_upgrades_and_keeps_its_data(
    tmp_path: Path, work: dict[str, Path]
) -> None:
    old = old_file(tmp_path)
    doc = open_doc(old, work)
    with doc.store.transaction() as tx:
        initiatives = {i.id: i for i in tx.list(Initiative)}
        causes = tx.list(InitiativeCause)
        items = {i.title: i for i in tx.list(BacklogItem)}
        links = tx.list(ItemSme)
        workspace = tx.list(Workspace)[0]
    # What was there is still there …
    assert initiatives[HANDOFFS].request.startswith("We need a class on communication.")
    shadowing = items["Shadowing rotation with the two on-call leads"]
    assert shadowing.confidence == 0.7  # off today's scale (100; 80; 50 %): kept
    assert shadowing.sourcing is Sourcing.SME_LED
    assert len(links) == 6
    assert workspace.organisation == "Northwind Systems"
    # … each root cause became a checked cause; only one learning cannot fix keeps the
    # routing note as its hand-off note …
    assert sorted((c.initiative_id, c.cause) for c in causes) == sorted(
        [(i, Cause.KNOWLEDGE) for i in initiatives if i != SALES] + [(SALES, Cause.INCENTIVES)]
    )
    notes = {c.initiative_id: c.note for c in causes}
    assert notes[SALES].startswith(ROUTED_NOTE)
    assert initiatives[HANDOFFS].routed_to and notes[HANDOFFS] == ""  # knowledge: no hand-off
    # … the triage status follows the stage and the routing …
    assert {i: initiatives[i].triage for i in (HANDOFFS, SALES, K8S)} == {
        HANDOFFS: TriageStatus.APPROVED,  # past Discover
        SALES: TriageStatus.ROUTED,  # in Discover, routed away
        K8S: TriageStatus.NEW,  # in Discover, nothing decided
    }
    # … and the new fields have their defaults.
    assert workspace.scoring_method is ScoringMethod.RICE
    assert workspace.impact_scale == "3; 2; 1; 0.5; 0.25"
    checklist = items["Incident hand-off checklist (7 points)"]
    assert (checklist.metric_id, checklist.sourcing_reason) == (None, "")
    doc.mark_unsaved()
    doc.save()
    doc.close()
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    again = open_doc(old, work)
    with again.store.transaction() as tx:
        assert len(tx.list(InitiativeCause)) == len(initiatives)
    again.close()


def test_two_devices_upgrading_one_file_write_the_same_rows(tmp_path: Path) -> None:
    dumps = []
    for device in ("one", "two"):
        copy = old_file(tmp_path, f"{device}.db")
        assert database.migrate(copy, backup=lambda _reason: None)
        con = sqlite3.connect(copy)
        dumps.append(
            {
                name: con.execute(f'SELECT * FROM "{name}" ORDER BY id').fetchall()
                for name in (TABLES[Initiative].name, TABLES[InitiativeCause].name)
            }
        )
        con.close()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["initiative_cause"]) == 5
