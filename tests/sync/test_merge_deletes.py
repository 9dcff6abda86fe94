"""Deletes in a merge: an edit beats a concurrent delete, a child keeps its parent, and a
cloned device id cannot leave two copies disagreeing about a tombstone (issue 6: 8, 9, 13)."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import TypeVar

from ldpm.domain.entities import Entity, Initiative, KeyResult, Objective, Segment
from tests.sync.devices import A, B, Clock, SimDevice, first_initiative, sync

C = "c" * 16

E = TypeVar("E", bound=Entity)


def children(device: SimDevice, kind: type[E], **where: str) -> list[E]:
    with device.store.transaction() as tx:
        return tx.list(kind, where=where)


def deleted_conflicts(device: SimDevice) -> list[tuple[str, str]]:
    return [(c.entity, c.row_id) for c in device.conflicts() if c.field == "deleted"]


# --------------------------------------------------------------------- 8: edit vs delete


def test_an_edit_beats_a_delete_whose_deleter_had_edited_the_row(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """The deleter's own earlier edit of another field made its delete look as if it had
    seen everything up to that edit, and a concurrent edit with a lower stamp vanished."""
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, outcome="Written on B while A was deleting")
    a.wall.tick()
    a.edit(Initiative, item.id, owner="A edited, then deleted")  # later than B's edit
    a.delete(Initiative, item.id)
    sync(a, b, folder=tmp_path / "r")
    for d in (a, b):
        assert d.alive(Initiative, item.id)
        merged = d.get(Initiative, item.id)
        assert (merged.outcome, merged.owner) == (
            "Written on B while A was deleting",
            "A edited, then deleted",
        )
        assert children(d, Objective, initiative_id=item.id)  # its content came back too
    assert a.dump() == b.dump()
    assert deleted_conflicts(a) == [("initiative", item.id)]


def test_a_delete_that_saw_every_edit_stays_deleted(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, outcome="Seen by the deleter")
    sync(a, b, folder=tmp_path / "r")
    a.edit(Initiative, item.id, owner="edited after the sync")
    a.delete(Initiative, item.id)
    sync(a, b, folder=tmp_path / "r")
    assert not a.alive(Initiative, item.id) and not b.alive(Initiative, item.id)
    assert not children(b, Objective, initiative_id=item.id)
    assert a.dump() == b.dump() and a.conflicts() == []


def test_deletes_on_both_sides_keep_the_edit_neither_saw(tmp_path: Path, base: Path) -> None:
    clock = Clock()
    a, b, c = (SimDevice(tmp_path / n, d, base, clock) for n, d in (("a", A), ("b", B), ("c", C)))
    item = first_initiative(a)
    c.edit(Initiative, item.id, audience="C's edit, unseen by both deleters")
    clock.tick()
    a.delete(Initiative, item.id)
    clock.tick()
    b.edit(Initiative, item.id, sponsor="B")  # B's own edit, seen by B's later delete
    b.delete(Initiative, item.id)
    folder = tmp_path / "r"
    b.merge(a.publish(folder))  # the two deletes meet first: nothing unseen yet…
    assert not b.alive(Initiative, item.id)
    a.merge(b.publish(folder))  # …but A never saw B's edit: it beats A's delete, and B's
    assert not a.alive(Initiative, item.id)  # own later delete saw it, so it stays deleted
    sync(a, b, c, folder=folder)  # …then the edit arrives
    sync(a, b, c, folder=folder)
    assert all(d.alive(Initiative, item.id) for d in (a, b, c))
    assert a.dump() == b.dump() == c.dump()
    for d in (a, b, c):
        d.close()


# ---------------------------------------------------------- 9: children of deleted parents


def test_a_key_result_added_under_a_deleted_objective_brings_it_back(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    objective = children(a, Objective, initiative_id=first_initiative(a).id)[0]
    before = {k.id for k in children(a, KeyResult, objective_id=objective.id)}
    a.delete(Objective, objective.id)
    added = KeyResult(objective_id=objective.id, title="Added while it was being deleted")
    b.insert(added)
    sync(a, b, folder=tmp_path / "r")
    for d in (a, b):
        assert d.alive(Objective, objective.id)
        ids = {k.id for k in children(d, KeyResult, objective_id=objective.id)}
        assert ids == before | {added.id}  # the new one, and the ones deleted with it
    assert a.dump() == b.dump()
    assert deleted_conflicts(a) == [("objective", objective.id)]  # logged once, at the top


def test_an_edit_deep_below_a_deleted_initiative_brings_the_whole_tree_back(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    objective = children(a, Objective, initiative_id=item.id)[0]
    kr = children(a, KeyResult, objective_id=objective.id)[0]
    segments = {s.id for s in children(a, Segment, initiative_id=item.id)}
    a.delete(Initiative, item.id)
    b.edit(KeyResult, kr.id, title="Edited on B while A deleted the initiative")
    sync(a, b, folder=tmp_path / "r")
    for d in (a, b):
        assert d.alive(Initiative, item.id) and d.alive(Objective, objective.id)
        assert d.get(KeyResult, kr.id).title == "Edited on B while A deleted the initiative"
        assert d.alive(KeyResult, kr.id)
        assert {s.id for s in children(d, Segment, initiative_id=item.id)} == segments
    assert a.dump() == b.dump()
    assert deleted_conflicts(b) == [("initiative", item.id)]


def test_a_child_edited_after_its_parent_was_deleted_elsewhere_and_synced(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """A device that has seen the delete cannot see the child; a sequential delete of the
    parent after seeing the child's edit keeps everything deleted."""
    a, b = pair
    objective = children(a, Objective, initiative_id=first_initiative(a).id)[0]
    kr = children(a, KeyResult, objective_id=objective.id)[0]
    b.edit(KeyResult, kr.id, title="Edited first")
    sync(a, b, folder=tmp_path / "r")
    a.delete(Objective, objective.id)
    sync(a, b, folder=tmp_path / "r")
    assert not b.alive(Objective, objective.id) and not b.alive(KeyResult, kr.id)
    assert a.dump() == b.dump() and a.conflicts() == []


def test_an_older_delete_without_a_group_is_not_undone_by_its_old_children(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """Files written before deletes took their children along hold tombstoned parents with
    live children.  Merging them must not bring every such parent back; a child written
    after the delete still does."""
    a, b = pair
    objective = children(a, Objective, initiative_id=first_initiative(a).id)[0]
    kr = children(a, KeyResult, objective_id=objective.id)[0]
    con = sqlite3.connect(a.db)  # as the old code deleted: the row alone, its base recorded
    stamps = json.loads(
        con.execute("SELECT stamps FROM objective WHERE id=?", (objective.id,)).fetchone()[0]
    )
    seen = max(stamps.values())
    stamps.update({"deleted": a.clock.now(), "^deleted": seen})
    con.execute(
        "UPDATE objective SET deleted=1, stamps=? WHERE id=?", (json.dumps(stamps), objective.id)
    )
    con.commit()
    con.close()
    b.edit(Segment, children(b, Segment, initiative_id=first_initiative(b).id)[0].id, name="x")
    sync(a, b, folder=tmp_path / "r")
    assert not a.alive(Objective, objective.id) and not b.alive(Objective, objective.id)
    assert a.alive(KeyResult, kr.id)  # live, as the old code left it
    b.edit(KeyResult, kr.id, title="Written after the old delete")
    sync(a, b, folder=tmp_path / "r")
    assert a.alive(Objective, objective.id) and b.alive(Objective, objective.id)
    assert a.dump() == b.dump()


# ------------------------------------------------------------------ 13: a cloned device id


def test_a_cloned_device_id_with_two_tombstone_values_converges(
    tmp_path: Path, base: Path
) -> None:
    """Two computers with one device id write ``deleted`` with one stamp but different
    values.  The tombstone was skipped at equal stamps, so they disagreed for ever."""
    clock = Clock()
    a = SimDevice(tmp_path / "a", A, base, clock)
    twin = SimDevice(tmp_path / "twin", A, base, clock)
    item = first_initiative(a)
    objective = children(a, Objective, initiative_id=item.id)[0]
    a.delete(Objective, objective.id)  # stamp n
    a.delete(Objective, objective.id, False)  # stamp n+1: back
    twin.edit(Initiative, item.id, owner="the twin")  # stamp n
    twin.delete(Objective, objective.id)  # stamp n+1: deleted — the same stamp
    assert a.get(Objective, objective.id).id == objective.id
    ra, rt = a.publish(tmp_path / "ra"), twin.publish(tmp_path / "rt")
    a.merge(rt)
    twin.merge(ra)
    assert a.dump() == twin.dump()
    assert a.alive(Objective, objective.id)  # the live copy wins: nothing disappears
    assert deleted_conflicts(a) == [("objective", objective.id)]  # and it is up for review
    a.close()
    twin.close()


# ------------------------------------------------------------------ any order, same result


def test_a_child_edited_then_deleted_elsewhere_gives_one_result_in_any_order(
    tmp_path: Path, base: Path
) -> None:
    """A deletes an objective (its key results go with it).  B, not knowing, edits one of
    those key results and then deletes it.  B's edit was concurrent with A's delete, so the
    objective comes back — whether a device merges B's copy from before its delete (a
    conflict copy a sync client kept) or only B's latest, and in whatever order."""
    clock = Clock()
    a = SimDevice(tmp_path / "a", A, base, clock)
    b = SimDevice(tmp_path / "b", B, base, clock)
    objective = children(a, Objective, initiative_id=first_initiative(a).id)[0]
    kr = children(a, KeyResult, objective_id=objective.id)[0]
    a.delete(Objective, objective.id)
    clock.tick()
    b.edit(KeyResult, kr.id, title="Edited on B, not knowing")
    middle = b.publish(tmp_path / "middle")
    clock.tick()
    b.delete(KeyResult, kr.id)
    replicas = [a.publish(tmp_path / "a-r"), middle, b.publish(tmp_path / "b-r")]
    results = []
    for k, order in enumerate(itertools.permutations(replicas)):
        sink = SimDevice(tmp_path / f"sink{k}", C, base, clock)
        for replica in order:
            sink.merge(replica)
        results.append(sink.dump())
        assert sink.alive(Objective, objective.id)  # B's edit was not seen by A's delete
        assert not sink.alive(KeyResult, kr.id)  # B's own delete saw it
        assert deleted_conflicts(sink) == [("objective", objective.id)]
        sink.close()
    assert all(r == results[0] for r in results)
    a.close()
    b.close()
