"""What a merge takes from a replica besides values: the clock it must move past, the stamps
of columns an older replica lacks, and stamps it cannot read (issue 6: 10, 11, 16)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative, Objective
from ldpm.persistence.hlc import parse_stamp
from ldpm.sync.merge import MalformedReplica, merge_replica
from tests.sync.devices import A, B, Clock, SimDevice, first_initiative, sync

C = "c" * 16
HOUR = 3_600_000


@pytest.fixture
def pair(tmp_path: Path, base: Path) -> Iterator[tuple[SimDevice, SimDevice]]:
    a = SimDevice(tmp_path / "a", A, base, Clock())
    b = SimDevice(tmp_path / "b", B, base, Clock(skew_ms=HOUR))  # B's clock is an hour fast
    yield a, b
    a.close()
    b.close()


def execute(path: Path, sql: str, *params: object) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def meta_clock(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT value FROM meta WHERE key='hlc'").fetchone()[0])
    finally:
        con.close()


# ------------------------------------------------------------------------------ 10: clock


def test_the_clock_moves_past_the_rows_of_a_replica_not_only_its_meta_clock(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """A replica whose meta clock lags its rows (another tool, an older version): the next
    local edit must still come after what was merged, or it silently loses to it."""
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, owner="B, an hour ahead")
    replica = b.publish(tmp_path / "r")
    execute(replica, "UPDATE meta SET value=? WHERE key='hlc'", "0" * 16 + B)
    result = a.merge(replica)
    assert result.max_stamp >= a.stamp_of(Initiative, item.id, "owner")
    a.edit(Initiative, item.id, owner="A, after seeing B's value")
    assert a.stamp_of(Initiative, item.id, "owner") > b.stamp_of(Initiative, item.id, "owner")
    sync(a, b, folder=tmp_path / "r")
    assert b.get(Initiative, item.id).owner == "A, after seeing B's value"
    assert a.dump() == b.dump() and a.conflicts() == []


def test_a_merge_committed_between_two_local_edits_is_not_undercut(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """The sync worker merges through its own connection; the GUI's clock has not observed
    that merge yet when the user's next edit commits.  That edit must still be stamped after
    everything the merge brought in."""
    a, b = pair
    item = first_initiative(a)
    a.edit(Initiative, item.id, audience="A's first edit")
    b.edit(Initiative, item.id, audience="B, an hour ahead")
    merge_replica(a.db, b.publish(tmp_path / "r"))  # a second connection; no observe
    a.edit(Initiative, item.id, audience="A, on top of B's value")
    assert a.stamp_of(Initiative, item.id, "audience") > b.stamp_of(
        Initiative, item.id, "audience"
    )
    assert meta_clock(a.db) >= a.stamp_of(Initiative, item.id, "audience")
    b.merge(a.publish(tmp_path / "r"))
    assert b.get(Initiative, item.id).audience == "A, on top of B's value"


def test_a_local_write_never_lowers_the_file_clock(tmp_path: Path, base: Path) -> None:
    a = SimDevice(tmp_path / "a", A, base, Clock())
    ahead = f"{a.wall() + 2 * 24 * HOUR:012x}0000{B}"  # beyond what the clock may observe
    execute(a.db, "UPDATE meta SET value=? WHERE key='hlc'", ahead)
    a.edit(Initiative, first_initiative(a).id, owner="a local edit")
    assert meta_clock(a.db) == ahead  # kept, not replaced by the (bounded) local clock
    assert parse_stamp(a.clock.last)[0] <= a.wall() + 24 * HOUR
    a.close()


# --------------------------------------------------------------- 11: an older replica


def test_merging_an_older_replica_keeps_the_stamps_of_columns_it_lacks(
    tmp_path: Path, base: Path
) -> None:
    clock = Clock()
    a, b, c = (SimDevice(tmp_path / n, d, base, clock) for n, d in (("a", A), ("b", B), ("c", C)))
    item = first_initiative(a)
    c.edit(Initiative, item.id, audience="C's older value")
    clock.tick()
    a.edit(Initiative, item.id, audience="A's newer value")
    before = a.stamp_of(Initiative, item.id, "audience")
    clock.tick()
    b.edit(Initiative, item.id, owner="B, on a version without the audience column")
    old = b.publish(tmp_path / "r")
    execute(old, "ALTER TABLE initiative DROP COLUMN audience")
    result = a.merge(old)
    assert result.fields == 1 and a.get(Initiative, item.id).owner.startswith("B, on")
    assert a.stamp_of(Initiative, item.id, "audience") == before
    a.merge(c.publish(tmp_path / "r"))  # the older audience must not win now
    assert a.get(Initiative, item.id).audience == "A's newer value"
    for d in (a, b, c):
        d.close()


# -------------------------------------------------------- 16: stamps that cannot be read


@pytest.mark.parametrize(
    "stamps",
    [
        "not json",
        json.dumps(["0" * 16 + B]),
        json.dumps({"owner": "0" * 16 + B}),  # no "*"
        json.dumps({"*": "01A227DC257D0005" + B}),  # upper case: sorts wrongly
        json.dumps({"*": "0123456789abcdef"}),  # no device: too short
        json.dumps({"*": "0" * 16 + B, "owner": 7}),
        json.dumps({"*": "0" * 16 + B, "@": "zz"}),
    ],
)
def test_a_replica_with_unreadable_stamps_changes_nothing(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path, stamps: str
) -> None:
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, owner="B's edit")
    b.insert(Objective(initiative_id=item.id, title="new on B"))
    replica = b.publish(tmp_path / "r")
    execute(replica, "UPDATE initiative SET stamps=? WHERE id=?", stamps, item.id)
    before = a.dump()
    with pytest.raises(MalformedReplica):
        merge_replica(a.db, replica)
    assert a.dump() == before  # not even the new objective


def test_a_new_row_with_unreadable_stamps_changes_nothing(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    new = Initiative(name="Only on B")
    b.insert(new)
    replica = b.publish(tmp_path / "r")
    execute(replica, "UPDATE initiative SET stamps=? WHERE id=?", '{"*": "yesterday"}', new.id)
    before = a.dump()
    with pytest.raises(MalformedReplica):
        merge_replica(a.db, replica)
    assert a.dump() == before


def test_a_replica_with_an_unreadable_clock_changes_nothing(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    b.edit(Initiative, first_initiative(b).id, owner="B's edit")
    replica = b.publish(tmp_path / "r")
    execute(replica, "UPDATE meta SET value='zzzz' WHERE key='hlc'")
    before, clock = a.dump(), meta_clock(a.db)
    with pytest.raises(MalformedReplica):
        merge_replica(a.db, replica)
    assert a.dump() == before and meta_clock(a.db) == clock


def test_a_good_replica_still_merges_after_a_bad_one(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, owner="B's edit")
    good = b.publish(tmp_path / "r")
    bad = tmp_path / "bad.ldpm"
    shutil.copyfile(good, bad)
    execute(bad, "UPDATE initiative SET stamps='[' WHERE id=?", item.id)
    with pytest.raises(MalformedReplica):
        merge_replica(a.db, bad)
    assert merge_replica(a.db, good).fields == 1


def test_odd_keys_in_a_replicas_stamps_do_not_break_the_merge(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    """Keys are not fields this version knows (an empty one, a future kind): ignored."""
    a, b = pair
    item = first_initiative(a)
    b.edit(Initiative, item.id, owner="B's edit")
    replica = b.publish(tmp_path / "r")
    stamps = json.loads(_one(replica, "SELECT stamps FROM initiative WHERE id=?", item.id))
    stamps.update({"": stamps["*"], "~later": stamps["*"], "@": stamps["*"]})
    execute(replica, "UPDATE initiative SET stamps=? WHERE id=?", json.dumps(stamps), item.id)
    assert merge_replica(a.db, replica).fields == 1
    assert a.get(Initiative, item.id).owner == "B's edit"


def _one(path: Path, sql: str, *params: object) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute(sql, params).fetchone()[0])
    finally:
        con.close()
