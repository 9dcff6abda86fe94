"""Undo Last Sync is exact (issue 6, scenarios 4–6): it reverts only what the merge changed,
keeps edits made while the sync ran, refuses a missing or damaged backup, and the undone
changes neither come back silently nor vanish: they wait for review on every computer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldpm import paths
from ldpm.domain.entities import Conflict, Initiative
from ldpm.services import initiatives
from ldpm.services import sync as sync_svc
from ldpm.services.commands import execute
from ldpm.services.project import Project
from tests.sync.computers import CLIENT, LAPTOP, Computers, edit, main_initiative


@pytest.fixture
def computers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Computers:
    return Computers(tmp_path, monkeypatch)


def laptop_changes_outcome_and_syncs(computers: Computers) -> str:
    """The laptop sets the outcome and the owner, and publishes.  Returns the initiative."""
    with computers.project(LAPTOP) as p:
        main = main_initiative(p)
        edit(p, main.id, outcome="MTTR down 25%", owner="Maya")
        computers.sync(p)
    return main.id


def get(project: Project, initiative_id: str) -> Initiative:
    with project.read() as tx:
        item = tx.get(Initiative, initiative_id, include_deleted=True)
    assert item is not None
    return item


def test_edits_made_while_the_sync_ran_survive_the_undo(computers: Computers) -> None:
    """Scenario 4: an edit typed while the sync runs (after its backup, before its merge) is
    not "before the sync"; undoing keeps it, backs up the current state first, and reverts
    only what the merge brought."""
    main_id = laptop_changes_outcome_and_syncs(computers)
    with computers.project(CLIENT) as p:
        original = get(p, main_id)
        edit(p, main_id, stage=original.stage.__class__("pilot"))  # before the sync

        def typed_during_the_sync(step: str) -> None:
            if step.startswith("Merging"):
                edit(p, main_id, audience="typed while syncing", owner="Dana")

        target = sync_svc.make_target(computers.folder_settings(), p)
        report = sync_svc.run_sync(p, target, progress=typed_during_the_sync)
        sync_svc.finish_sync(p, report)
        assert report.merged and report.backup is not None
        assert get(p, main_id).outcome == "MTTR down 25%"

        undone = sync_svc.undo_last_sync(p, report)

        after = get(p, main_id)
        assert after.audience == "typed while syncing"  # typed during the sync: kept
        assert after.owner == "Dana"  # typed during the sync, newer than the laptop's: kept
        assert after.stage.value == "pilot"  # typed before the sync: kept
        assert after.outcome == original.outcome  # merged: reverted
        assert undone.reverted == 1 and undone.record.everything
        assert p.unsaved
        # The state just before the undo was backed up (with the merged outcome in it).
        assert undone.backup is not None and undone.backup.exists()
        assert "before-undo-sync" in undone.backup.name
        # The reverted change waits for review: kept = the value put back, other = merged.
        reviews = {c.field: c for c in sync_svc.list_conflicts(p)}
        assert sync_svc.decode_value(reviews["outcome"], "kept") == original.outcome
        assert sync_svc.decode_value(reviews["outcome"], "other") == "MTTR down 25%"


@pytest.mark.parametrize("damage", ["missing", "truncated", "other project"])
def test_a_missing_or_damaged_backup_is_refused_and_nothing_changes(
    computers: Computers, damage: str
) -> None:
    """Scenario 5: "restoring" a missing backup emptied the working copy and said nothing
    changed.  Now it is refused with a sentence, and the working copy is untouched."""
    laptop_changes_outcome_and_syncs(computers)
    with computers.project(CLIENT) as p:
        report = computers.sync(p)
        assert report.backup is not None
        if damage == "missing":
            report.backup.unlink()
        elif damage == "truncated":
            report.backup.write_bytes(report.backup.read_bytes()[:3000])
        else:
            other = computers.tmp / "Other.ldpm"
            Project.create_file(other, name="Someone else's")
            report.backup.write_bytes(other.read_bytes())
        before = computers.dump(p.document.working_path)
        with pytest.raises(sync_svc.UndoImpossible) as info:
            sync_svc.undo_last_sync(p, report)
        sentence = info.value.sentence
        assert "nothing was changed" in sentence and sentence.endswith(".")
        assert report.backup.name in sentence
        assert computers.dump(p.document.working_path) == before
        assert main_initiative(p).outcome == "MTTR down 25%"


def test_the_undone_merge_does_not_come_back_and_is_offered_for_review_everywhere(
    computers: Computers,
) -> None:
    """Scenario 6: the undone changes came back at the next sync (the replica was still
    recorded as merged, so any later change re-applied all of it).  Now the values put back
    are newer writes: they stay here, reach the laptop, and both sides review the change."""
    main_id = laptop_changes_outcome_and_syncs(computers)
    with computers.project(CLIENT) as p:
        original = get(p, main_id).outcome
        report = computers.sync(p)
        sync_svc.undo_last_sync(p, report)
        computers.sync(p)  # publishes the undo
    with computers.project(LAPTOP) as p:
        edit(p, main_id, audience="remote engineers")  # the laptop changes something else
        computers.sync(p)
        assert get(p, main_id).outcome == original  # the undo reached the laptop…
        [review] = [c for c in sync_svc.list_conflicts(p) if c.field == "outcome"]
        assert sync_svc.decode_value(review, "other") == "MTTR down 25%"  # …for review there
    with computers.project(CLIENT) as p:
        computers.sync(p)
        main = get(p, main_id)
        assert main.audience == "remote engineers"  # later changes still merge…
        assert main.outcome == original  # …the undone one does not come back
        [review] = [c for c in sync_svc.list_conflicts(p) if c.field == "outcome"]
        # "Use the other" brings the laptop's value back, as an ordinary synced edit.
        execute(p, sync_svc.resolve_conflict(review, use_other=True))
        assert get(p, main_id).outcome == "MTTR down 25%"
    assert computers.dump(computers.files[CLIENT])["conflict"]


def test_rows_the_merge_added_or_deleted_are_reverted_too(computers: Computers) -> None:
    """A row the colleague added is tombstoned, a row they deleted comes back; each is a
    change to review, and "use the other" redoes it."""
    with computers.project(LAPTOP) as p:
        doomed = initiatives.list_initiatives(p)[-1]
        execute(p, initiatives.delete_initiative(p, doomed.id))
        added = initiatives.add_initiative(p, "Shadowing rotation")
        execute(p, added)
        computers.sync(p)
    new_id = added.entity.id
    with computers.project(CLIENT) as p:
        report = computers.sync(p)
        assert initiatives.get_initiative(p, new_id) is not None
        assert initiatives.get_initiative(p, doomed.id) is None
        undone = sync_svc.undo_last_sync(p, report)
        assert undone.reverted == 2
        assert initiatives.get_initiative(p, new_id) is None
        assert initiatives.get_initiative(p, doomed.id) is not None
        reviews = {c.row_id: c for c in sync_svc.list_conflicts(p) if c.field == "deleted"}
        assert set(reviews) == {new_id, doomed.id}
        assert json.loads(reviews[new_id].kept_value) == 1  # kept: removed
        execute(p, sync_svc.resolve_conflict(reviews[new_id], use_other=True))
        execute(p, sync_svc.resolve_conflict(reviews[doomed.id], use_other=True))
        assert initiatives.get_initiative(p, new_id) is not None
        assert initiatives.get_initiative(p, doomed.id) is None
        assert sync_svc.list_conflicts(p) == []


def test_nothing_to_undo_changes_nothing(computers: Computers) -> None:
    laptop_changes_outcome_and_syncs(computers)
    with computers.project(CLIENT) as p:
        report = computers.sync(p)
        main = main_initiative(p)
        edit(p, main.id, outcome="the client's own", owner="Dana")  # over the merged values
        undone = sync_svc.undo_last_sync(p, report)
        assert undone.reverted == 0 and not undone.record
        assert main_initiative(p).outcome == "the client's own"
        backups = list((paths.backups_dir()).rglob("*before-undo-sync*"))
        assert backups == []  # nothing to undo: nothing written, no backup needed


def test_an_edit_the_merge_overwrote_during_the_sync_is_what_comes_back(
    tmp_path: Path,
) -> None:
    """If the merge overwrote an edit typed during the sync (the colleague's clock ran ahead),
    undoing brings back that edit — not the older value in the backup — and the conflict the
    merge logged is replaced by the undo's own."""
    from ldpm.persistence.document import create_file
    from ldpm.services.demo import populate_demo
    from ldpm.sync import undo
    from tests.sync.devices import Clock, SimDevice

    base = tmp_path / "Northwind.ldpm"
    create_file(base, root=tmp_path / "s", device="1" * 16, name="N", populate=populate_demo)
    client = SimDevice(tmp_path / "client", CLIENT, base, Clock())
    laptop = SimDevice(tmp_path / "laptop", LAPTOP, base, Clock(skew_ms=60_000))
    with client.store.transaction() as tx:
        main = tx.list(Initiative)[0]
    backup = tmp_path / "before-sync.ldpm"
    client.publish(tmp_path / "b")  # (a consistent snapshot, like the backup)
    (tmp_path / "b" / f"{CLIENT}.ldpm").rename(backup)
    client.edit(Initiative, main.id, owner="typed during the sync")
    laptop.edit(Initiative, main.id, owner="the laptop, clock ahead")
    client.merge(laptop.publish(tmp_path / "shared"))
    [logged] = client.conflicts()
    assert client.get(Initiative, main.id).owner == "the laptop, clock ahead"

    plan = undo.plan_undo(client.db, backup, CLIENT)
    with client.store.transaction() as tx:
        assert undo.apply_undo(tx, plan) == 1

    assert client.get(Initiative, main.id).owner == "typed during the sync"
    with client.store.transaction() as tx:
        reviews = tx.list(Conflict, order_by=("id",))
    assert [c.id for c in reviews] != [logged.id]
    [review] = reviews
    assert json.loads(review.kept_value) == "typed during the sync"
    assert json.loads(review.other_value) == "the laptop, clock ahead"
    client.close()
    laptop.close()
