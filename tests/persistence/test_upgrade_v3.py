"""A file written by schema version 2 (before triage, causes and scoring settings) opens,
upgrades its working copy, keeps its data, and saves as version 3; two devices that upgrade
the same file write identical rows."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from ldpm.domain.entities import BacklogItem, Initiative, InitiativeCause, ItemSme, Workspace
from ldpm.domain.enums import Cause, ScoringMethod, Sourcing, TriageStatus
from ldpm.persistence import database
from ldpm.persistence.document import Document
from ldpm.persistence.fileformat import SCHEMA_VERSION, inspect_file
from ldpm.persistence.schema import TABLES
from tests.conftest import DEVICE

V2_FILE = Path(__file__).parent.parent / "data" / "v2_project.ldpm"
HANDOFFS, SALES, FRESH = "a" * 32, "b" * 32, "c" * 32


def open_doc(path: Path, work: dict[str, Path]) -> Document:
    return Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE)


def test_the_fixture_is_a_version_2_file() -> None:
    info = inspect_file(V2_FILE)
    assert info is not None and info.schema_version == 2


def test_a_version_2_file_opens_upgrades_and_keeps_its_data(
    tmp_path: Path, work: dict[str, Path]
) -> None:
    old = tmp_path / "Old.ldpm"
    shutil.copyfile(V2_FILE, old)
    doc = open_doc(old, work)
    with doc.store.transaction() as tx:
        initiatives = {i.id: i for i in tx.list(Initiative)}
        causes = tx.list(InitiativeCause, order_by=("initiative_id",))
        items = {i.title: i for i in tx.list(BacklogItem)}
        links = tx.list(ItemSme)
        workspace = tx.list(Workspace)[0]
    # What was there is still there …
    assert initiatives[HANDOFFS].request == "We need a class on communication."
    assert items["Hand-off checklist"].confidence == 0.7  # off today's scale: kept
    assert items["Shadowing rotation"].sourcing is Sourcing.SME_LED
    assert [link.person_id for link in links] == ["p" * 32]
    assert workspace.organisation == "Version Two Ltd"
    # … the root cause became a checked cause, with the routing note …
    assert [(c.initiative_id, c.cause, c.note) for c in causes] == [
        (HANDOFFS, Cause.KNOWLEDGE, ""),
        (
            SALES,
            Cause.INCENTIVES,
            "Sales operations: the commission plan pays on bookings this quarter.",
        ),
    ]
    # … the triage status follows the stage and the routing …
    assert {i: initiatives[i].triage for i in (HANDOFFS, SALES, FRESH)} == {
        HANDOFFS: TriageStatus.APPROVED,
        SALES: TriageStatus.ROUTED,
        FRESH: TriageStatus.NEW,
    }
    # … and the new fields have their defaults.
    assert workspace.scoring_method is ScoringMethod.RICE
    assert workspace.impact_scale == "3; 2; 1; 0.5; 0.25"
    checklist = items["Hand-off checklist"]
    assert (checklist.metric_id, checklist.sourcing_reason) == (None, "")
    doc.mark_unsaved()
    doc.save()
    doc.close()
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    again = open_doc(old, work)
    with again.store.transaction() as tx:
        assert len(tx.list(InitiativeCause)) == 2
    again.close()


def test_two_devices_upgrading_one_file_write_the_same_rows(tmp_path: Path) -> None:
    dumps = []
    for device in ("one", "two"):
        copy = tmp_path / f"{device}.db"
        shutil.copyfile(V2_FILE, copy)
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
    assert len(dumps[0]["initiative_cause"]) == 2
