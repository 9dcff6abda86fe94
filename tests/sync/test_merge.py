"""Merging replicas: last writer wins per field, conflicts logged, convergence in any order."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from ldpm.domain.entities import BacklogItem, Initiative
from ldpm.domain.enums import Stage
from ldpm.domain.ranking import rank_between
from tests.sync.devices import A, B, Clock, SimDevice, first_initiative, sync

C, D, E = (f"{i:x}" * 16 for i in range(12, 15))  # "cccc…", "dddd…", "eeee…"


def test_same_field_on_two_devices_is_one_conflict(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    a.edit(Initiative, item.id, owner="Maya (edited on the laptop)")
    a.wall.tick()
    b.edit(Initiative, item.id, owner="Ravi (edited at the client)")
    sync(a, b, folder=tmp_path / "replicas")
    assert a.dump() == b.dump()
    assert a.get(Initiative, item.id).owner == "Ravi (edited at the client)"  # the later write
    [conflict] = a.conflicts()
    assert (conflict.entity, conflict.row_id, conflict.field) == ("initiative", item.id, "owner")
    assert json.loads(conflict.kept_value) == "Ravi (edited at the client)"
    assert json.loads(conflict.other_value) == "Maya (edited on the laptop)"
    assert conflict.kept_stamp.endswith(B) and conflict.other_stamp.endswith(A)
    assert b.conflicts() == [conflict]  # the same entry on both devices


def test_different_fields_both_survive(pair: tuple[SimDevice, SimDevice], tmp_path: Path) -> None:
    a, b = pair
    item = first_initiative(a)
    a.edit(Initiative, item.id, owner="Maya Lindqvist-Okafor")
    b.edit(Initiative, item.id, stage=Stage.PILOT, outcome="MTTR down 30%")
    sync(a, b, folder=tmp_path / "r")
    merged = a.get(Initiative, item.id)
    assert (merged.owner, merged.stage, merged.outcome) == (
        "Maya Lindqvist-Okafor",
        Stage.PILOT,
        "MTTR down 30%",
    )
    assert a.dump() == b.dump() and a.conflicts() == []


def test_an_edit_beats_a_concurrent_delete(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, outcome="Edited while someone else deleted it")
    a.wall.tick()
    a.delete(Initiative, item.id)  # later than the edit, but never saw it
    sync(a, b, folder=tmp_path / "r")
    assert a.alive(Initiative, item.id) and b.alive(Initiative, item.id)
    assert a.get(Initiative, item.id).outcome == "Edited while someone else deleted it"
    assert a.dump() == b.dump()
    assert [c.field for c in a.conflicts()] == ["deleted"]


def test_a_delete_after_seeing_the_edit_stays_deleted(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, outcome="Edited first")
    sync(a, b, folder=tmp_path / "r")
    a.wall.tick()
    a.delete(Initiative, item.id)
    sync(a, b, folder=tmp_path / "r")
    assert not a.alive(Initiative, item.id) and not b.alive(Initiative, item.id)
    assert a.conflicts() == []


def test_moves_are_not_changes_to_review(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """Two people reorder the portfolio offline: the order merges (equal ranks are ordered by
    id), and the review panel is not flooded with rank "conflicts"."""
    a, b = pair
    with a.store.transaction() as tx:
        first, second, third = tx.list(Initiative)[:3]
    a.edit(Initiative, third.id, rank=rank_between(None, first.rank))  # both move "third"…
    b.edit(Initiative, third.id, rank=rank_between(first.rank, second.rank))
    slot = rank_between(second.rank, third.rank)
    a.edit(Initiative, first.id, rank=slot)  # …and move another row to one slot
    b.edit(Initiative, second.id, rank=slot)
    sync(a, b, folder=tmp_path / "r")
    assert a.dump() == b.dump()
    assert a.conflicts() == []
    assert a.get(Initiative, first.id).rank == a.get(Initiative, second.id).rank == slot


def test_sequential_edits_are_not_conflicts(tmp_path: Path, base: Path) -> None:
    clock = Clock()
    a, b, c = (SimDevice(tmp_path / n, d, base, clock) for n, d in (("a", A), ("b", B), ("c", C)))
    item = first_initiative(a)
    folder = tmp_path / "r"
    a.edit(Initiative, item.id, owner="one")
    a.edit(Initiative, item.id, owner="two")  # a run of local edits
    b.merge(a.publish(folder))
    b.edit(Initiative, item.id, owner="three")  # on top of what it received
    c.merge(b.publish(folder))  # relayed through a third device
    c.merge(a.publish(folder))  # …and the original arrives late
    a.merge(b.publish(folder))
    assert a.get(Initiative, item.id).owner == c.get(Initiative, item.id).owner == "three"
    assert a.conflicts() == b.conflicts() == c.conflicts() == []
    for d in (a, b, c):
        d.close()


def test_new_rows_travel_and_merge_is_idempotent(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    new = Initiative(name="Leadership essentials", rank="z")
    a.insert(new)
    a.insert(BacklogItem(initiative_id=new.id, title="Pilot cohort"))
    replica = a.publish(tmp_path / "r")
    first = b.merge(replica)
    assert first.inserted == 2 and first.changed
    again = b.merge(replica)
    assert not again.changed and again.fields == 0
    assert b.get(Initiative, new.id).name == "Leadership essentials"


def test_clock_skew_loses_nothing(tmp_path: Path, base: Path) -> None:
    """A device whose clock is an hour fast wins a concurrent edit, but the other value is
    kept in the conflict log rather than silently lost."""
    real = Clock()
    fast = Clock(skew_ms=3_600_000)
    a = SimDevice(tmp_path / "a", A, base, fast)
    b = SimDevice(tmp_path / "b", B, base, real)
    item = first_initiative(a)
    a.edit(Initiative, item.id, audience="written first, on the fast clock")
    real.tick(60_000)
    b.edit(Initiative, item.id, audience="written a minute later")
    sync(a, b, folder=tmp_path / "r")
    assert a.dump() == b.dump()
    [conflict] = a.conflicts()
    assert json.loads(conflict.other_value) == "written a minute later"
    # After the merge B's clock has moved past A's, so B's next edit wins normally.
    b.edit(Initiative, item.id, audience="fixed")
    sync(a, b, folder=tmp_path / "r")
    assert a.get(Initiative, item.id).audience == "fixed"
    a.close()
    b.close()


def test_clock_jumping_back_keeps_order(tmp_path: Path, base: Path) -> None:
    clock = Clock()
    a = SimDevice(tmp_path / "a", A, base, clock)
    b = SimDevice(tmp_path / "b", B, base, clock)
    item = first_initiative(a)
    a.edit(Initiative, item.id, owner="before the jump")
    clock.ms -= 86_400_000  # the wall clock goes back a day
    a.edit(Initiative, item.id, owner="after the jump")
    b.merge(a.publish(tmp_path / "r"))
    assert b.get(Initiative, item.id).owner == "after the jump"
    a.close()
    b.close()


def test_cloned_device_id_still_converges(tmp_path: Path, base: Path) -> None:
    """Two computers with one device id (a cloned installation) write different values with
    identical stamps; they must still end up identical, with the clash up for review."""
    clock = Clock()
    a = SimDevice(tmp_path / "a", A, base, clock)
    twin = SimDevice(tmp_path / "twin", A, base, clock)
    item = first_initiative(a)
    a.edit(Initiative, item.id, owner="from the original")
    twin.edit(Initiative, item.id, owner="from the clone")
    folder_a, folder_t = tmp_path / "ra", tmp_path / "rt"
    ra, rt = a.publish(folder_a), twin.publish(folder_t)
    a.merge(rt)
    twin.merge(ra)
    assert a.dump() == twin.dump()
    assert len(a.conflicts()) == 1
    a.close()
    twin.close()


# ------------------------------------------------------------------ merge order
# (The convergence property, with an oracle, is in tests/sync/test_convergence.py.)


def test_an_edit_lost_along_a_chain_of_devices_is_logged(tmp_path: Path, base: Path) -> None:
    """A writes; B writes the same field concurrently; C takes B's value and writes on top of
    it; A then receives C's.  C's write was made on top of a value *newer* than A's, yet no
    one had seen A's: it used to vanish without a conflict entry."""
    clock = Clock()
    a, b, c = (SimDevice(tmp_path / n, d, base, clock) for n, d in (("a", A), ("b", B), ("c", C)))
    item = first_initiative(a)
    folder = tmp_path / "r"
    a.edit(Initiative, item.id, owner="A's value")
    clock.tick()
    b.edit(Initiative, item.id, owner="B's value")
    clock.tick()
    c.merge(b.publish(folder))
    c.edit(Initiative, item.id, owner="C's value, on top of B's")
    a.merge(c.publish(folder))
    sync(a, b, c, folder=folder)
    assert a.get(Initiative, item.id).owner == "C's value, on top of B's"
    lost = {json.loads(x.other_value) for x in a.conflicts() if x.field == "owner"}
    assert "A's value" in lost
    assert a.dump() == b.dump() == c.dump()
    for d in (a, b, c):
        d.close()


def test_a_relayed_edit_is_not_a_conflict(tmp_path: Path, base: Path) -> None:
    """A writes; B writes on top of it; C writes on top of B's; A, which saw none of that,
    receives C's: A's value was seen along the chain, so there is nothing to review."""
    clock = Clock()
    a, b, c = (SimDevice(tmp_path / n, d, base, clock) for n, d in (("a", A), ("b", B), ("c", C)))
    item = first_initiative(a)
    folder = tmp_path / "r"
    a.edit(Initiative, item.id, owner="one")
    b.merge(a.publish(folder))
    b.edit(Initiative, item.id, owner="two")
    c.merge(b.publish(folder))
    c.edit(Initiative, item.id, owner="three")
    a.merge(c.publish(folder))
    sync(a, b, c, folder=folder)
    assert a.get(Initiative, item.id).owner == "three"
    assert a.conflicts() == b.conflicts() == c.conflicts() == []
    for d in (a, b, c):
        d.close()


def test_merge_order_does_not_matter(tmp_path: Path, base: Path) -> None:
    """Commutative and associative: three replicas merged in all six orders give the same
    data.  The conflict log may pair the losing values with different temporary winners
    (it converges when devices exchange replicas, see the property test above), but in every
    order each losing value is recorded."""
    clock = Clock()
    sources = [SimDevice(tmp_path / f"s{i}", f"{i + 1:x}" * 16, base, clock) for i in range(3)]
    item = first_initiative(sources[0])
    for i, s in enumerate(sources):
        clock.tick()
        s.edit(Initiative, item.id, owner=f"owner {i}", outcome=f"outcome {i}" * (i % 2))
        if i == 2:
            s.delete(Initiative, item.id)
    replicas = [s.publish(tmp_path / "r") for s in sources]
    results = []
    for k, order in enumerate(itertools.permutations(replicas)):
        sink = SimDevice(tmp_path / f"sink{k}", "f" * 16, base, clock)
        for replica in order:
            sink.merge(replica)
        data = sink.dump()
        data.pop("conflict")
        results.append(data)
        lost = {json.loads(c.other_value) for c in sink.conflicts() if c.field == "owner"}
        assert lost == {"owner 0", "owner 1"}
        assert sink.get(Initiative, item.id).owner == "owner 2"
        sink.close()
    assert all(r == results[0] for r in results)
