"""The merge, as a property: devices that edit, delete, add children and sync at random, with
clocks far apart, all end up with the same data — and with the data an oracle built from the
log of every write says they must hold:

* every field holds the value of its write with the greatest stamp;
* a tombstoned row holds exactly what its deleter had seen (an edit beats a concurrent
  delete), and no live row sits under a tombstoned parent;
* a delete that was undone by an edit it had not seen is up for review;
* no edit is lost without a trace: a write that lost was seen by whoever overwrote it, or it
  is in the conflict log.

Which writes a device had seen is tracked here, outside the code under test: a device knows
its own writes and everything in every replica it merged.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
import uuid
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ldpm.domain import entities as e
from ldpm.domain.validation import ValidationError
from ldpm.persistence.hlc import MAX_FUTURE_MS, parse_stamp
from ldpm.persistence.links import PARENT_LINKS
from ldpm.persistence.schema import ENTITY_BY_TABLE, SPECS, TABLES
from ldpm.persistence.stamps import field_stamp
from ldpm.persistence.store import FIELDS, Tx
from tests.sync.devices import Clock, SimDevice

NAMES = [t.name for t in TABLES.values()]
NO_REVIEW_TABLES = {"conflict", "device"}
NO_REVIEW_FIELDS = {"deleted", "rank"}
#: Clocks up to this far apart (within what a merge trusts: MAX_FUTURE_MS).
SKEW_MS = MAX_FUTURE_MS // 2 - 60_000
VALUES = ["p", "q", "r", "s"]
RANKS = ["G", "V", "l"]


def _editable(table: str) -> list[str]:
    """Fields a random edit may write: text, enums, flags and ranks, not links or dates."""
    if table == "conflict":
        return ["resolved"]
    out = []
    for spec in SPECS[ENTITY_BY_TABLE[table]]:
        if spec.name == "id" or spec.name.endswith("_id") or spec.kind in (int, float, date):
            continue
        out.append(spec.name)
    return out[:4] + (["rank"] if "rank" in out[4:] else [])


EDITABLE = {name: _editable(name) for name in NAMES}


def _value(table: str, name: str, pick: int) -> Any:
    spec = next(s for s in SPECS[ENTITY_BY_TABLE[table]] if s.name == name)
    if name == "rank":
        return RANKS[pick % len(RANKS)]
    if spec.kind is bool:
        return bool(pick % 2)
    if isinstance(spec.kind, type) and issubclass(spec.kind, Enum):
        members = list(spec.kind)
        return members[pick % len(members)]
    return VALUES[pick % len(VALUES)]


def populate(tx: Tx) -> None:
    """A small project with rows in every table a person edits (two of each tree)."""
    people = [e.Person(name=f"Person {i}") for i in range(2)]
    for person in people:
        tx.insert(person)
    for n in range(2):
        initiative = e.Initiative(name=f"Initiative {n}", rank=RANKS[n])
        objective = e.Objective(initiative_id=initiative.id, title="Objective")
        item = e.BacklogItem(initiative_id=initiative.id, title="Item")
        stakeholder = e.Stakeholder(initiative_id=initiative.id, person_id=people[n].id)
        metric = e.Metric(initiative_id=initiative.id, name="Metric")
        on = date(2026, 1, 1)
        for entity in (
            initiative,
            e.Segment(initiative_id=initiative.id, name="Segment"),
            objective,
            e.KeyResult(objective_id=objective.id, title="Key result"),
            e.Release(initiative_id=initiative.id, name="MVP"),
            item,
            e.ItemSme(item_id=item.id, person_id=people[1 - n].id),
            stakeholder,
            e.Assessment(stakeholder_id=stakeholder.id, on=on),
            e.Interaction(stakeholder_id=stakeholder.id, on=on),
            metric,
            e.Measurement(metric_id=metric.id, on=on),
            e.Experiment(initiative_id=initiative.id, title="Experiment"),
            e.Story(initiative_id=initiative.id, title="Story"),
        ):
            tx.insert(entity)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ldpm.persistence.document import create_file

    folder = tmp_path_factory.mktemp("base")
    path = folder / "Small.ldpm"
    create_file(path, root=folder / "scratch", device="1" * 16, name="Small", populate=populate)
    return path


# ---------------------------------------------------------------------------- the log

Key = tuple[str, str]  # (table, id)


@dataclasses.dataclass(frozen=True)
class Write:
    id: int
    table: str
    row: str
    field: str
    value: Any
    stamp: str
    seen: frozenset[int]  # the writes its device knew when it wrote


def snapshot(device: SimDevice) -> dict[Key, tuple[dict[str, Any], dict[str, str]]]:
    con = sqlite3.connect(device.db)
    try:
        out = {}
        for name in NAMES:
            cursor = con.execute(f'SELECT * FROM "{name}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor:
                values = dict(zip(columns, row, strict=True))
                stamps = json.loads(values.pop("stamps"))
                out[(name, str(values["id"]))] = (values, stamps)
        return out
    finally:
        con.close()


class World:
    """The devices, what each knows, and every write made."""

    def __init__(self, run: Path, base: Path, skews: list[int], start: int) -> None:
        self.run = run
        self.clocks = [Clock(start, skew_ms=s) for s in skews]
        self.devices = [
            SimDevice(run / str(i), f"{i + 1:x}" * 16, base, self.clocks[i])
            for i in range(len(skews))
        ]
        self.writes: list[Write] = []
        self.deletes: list[tuple[Key, str, dict[Key, dict[str, str]]]] = []  # top, stamp, views
        first = snapshot(self.devices[0])
        self.pool: dict[str, list[str]] = {name: [] for name in NAMES}
        for (table, row), (values, stamps) in first.items():
            self.pool[table].append(row)
            for name in FIELDS[table]:
                self._log(table, row, name, values[name], field_stamp(stamps, name), frozenset())
        known = frozenset(w.id for w in self.writes)
        self.known = [set(known) for _ in self.devices]
        self.published: dict[int, frozenset[int]] = {}
        self.replicas: list[Path] = []  # every replica ever published

    def _log(self, table: str, row: str, name: str, value: Any, stamp: str, seen: Any) -> int:
        write = Write(len(self.writes), table, row, name, value, stamp, frozenset(seen))
        self.writes.append(write)
        return write.id

    def local(self, who: int, action: Any, delete_top: Key | None = None) -> None:
        """Run one local action on device ``who`` and log every field it wrote."""
        device = self.devices[who]
        before = snapshot(device)
        try:
            with device.store.transaction() as tx:
                action(tx)
        except (KeyError, ValidationError, sqlite3.IntegrityError):
            return
        except Exception as exc:  # a foreign key to a row this device does not have
            if "FOREIGN KEY" not in str(exc):
                raise
            return
        after = snapshot(device)
        seen = frozenset(self.known[who])
        new = []
        for key, (values, stamps) in after.items():
            old = before.get(key)
            for name in FIELDS[key[0]]:
                stamp = field_stamp(stamps, name)
                if old is None or field_stamp(old[1], name) != stamp:
                    new.append(self._log(*key, name, values[name], stamp, seen))
        self.known[who].update(new)
        if (
            delete_top is not None
            and not before[delete_top][0]["deleted"]
            and after[delete_top][0]["deleted"]
        ):
            stamp = after[delete_top][1]["deleted"]
            views = {k: s for k, (v, s) in after.items() if v["deleted"] and s["deleted"] == stamp}
            self.deletes.append((delete_top, stamp, views))

    def sync(self, who: int, other: int) -> None:
        replica = self.devices[other].publish(self.run / f"r{len(self.replicas)}")
        self.replicas.append(replica)
        self.published[other] = frozenset(self.known[other])
        self.devices[who].merge(replica)
        self.known[who] |= self.published[other]

    def close(self) -> None:
        for d in self.devices:
            d.close()


# ------------------------------------------------------------------------- the actions


def edit(world: World, who: int, table: str, pick: int, name_pick: int, value_pick: int) -> None:
    rows = world.pool[table]
    if table == "conflict":
        rows = [k[1] for k in snapshot(world.devices[who]) if k[0] == "conflict"]
    if not rows or not EDITABLE[table]:
        return
    row = rows[pick % len(rows)]
    name = EDITABLE[table][name_pick % len(EDITABLE[table])]
    value = _value(table, name, value_pick)
    world.local(who, lambda tx: tx.update(ENTITY_BY_TABLE[table], row, {name: value}))


def delete(world: World, who: int, table: str, pick: int, flag: bool) -> None:
    rows = world.pool[table]
    if not rows or table in NO_REVIEW_TABLES or table == "workspace":
        return
    row = rows[pick % len(rows)]
    world.local(
        who,
        lambda tx: tx.set_deleted(ENTITY_BY_TABLE[table], row, flag),
        delete_top=(table, row) if flag else None,
    )


def _a_value(kind: type[e.Entity], name: str) -> object:
    """A valid value for a field a new row must be given (a date, an enum's first member)."""
    spec = next(s for s in SPECS[kind] if s.name == name)
    if spec.kind is date:
        return date(2026, 2, 1)
    if isinstance(spec.kind, type) and issubclass(spec.kind, Enum):
        return next(iter(spec.kind))
    raise AssertionError(f"no value for the required field {kind.__name__}.{name}")


def insert(world: World, who: int, table: str, pick: int, step: int) -> None:
    kind = ENTITY_BY_TABLE[table]
    if table in ("workspace", "conflict"):
        return
    fields: dict[str, Any] = {}
    if table == "device":
        fields["id"] = world.devices[who].id
        if fields["id"] in world.pool["device"]:
            return
    else:
        fields["id"] = f"{who:02x}{step:030x}"
    for column, parent in PARENT_LINKS[table]:
        parents = world.pool[parent]
        fields[column] = parents[pick % len(parents)]
    fields.update(
        (f.name, _a_value(kind, f.name))
        for f in dataclasses.fields(kind)
        if f.name not in fields
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    )
    entity = kind(**fields)
    world.local(who, lambda tx: tx.insert(entity))
    if fields["id"] not in world.pool[table]:
        world.pool[table].append(fields["id"])


op = st.tuples(
    st.sampled_from(
        ["edit"] * 3 + ["hot"] * 2 + ["delete"] * 2 + ["insert"] * 2 + ["sync"] * 4 + ["tick"]
    ),
    st.integers(0, 3),  # who
    st.integers(0, len(NAMES) - 1),  # table
    st.integers(0, 99),  # row, parent or other device
    st.integers(0, 9),  # field, or delete/undelete
    st.integers(0, 9),  # value
)


# Each example merges real files between devices: on a loaded 2-core machine the property
# takes minutes, beyond the suite's 120 s guard against hangs.
@pytest.mark.timeout(600)
@settings(
    max_examples=20,
    # The same examples on every run, so CI is repeatable; explore further with
    # --hypothesis-seed=N (many seeds were run while developing the merge).
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.integers(3, 4), st.lists(op, min_size=1, max_size=30), st.randoms())
def test_devices_converge_to_what_the_writes_say(
    tmp_path: Path, base: Path, n: int, ops: list[tuple[Any, ...]], rnd: random.Random
) -> None:
    run = tmp_path / uuid.uuid4().hex  # a new folder for every example, even a replay
    start = base_clock_ms(base) + 1_000
    world = World(run, base, [rnd.randrange(-SKEW_MS, SKEW_MS) for _ in range(n)], start)
    try:
        for step, (kind, who, table_pick, pick, a, b) in enumerate(ops):
            if who >= n:
                continue
            world.clocks[who].tick(rnd.randrange(1, 50))
            table = NAMES[table_pick]
            if kind == "edit":
                edit(world, who, table, pick, a, b)
            elif kind == "hot":  # one field many devices write: chains of concurrent edits
                edit(world, who, "initiative", 0, 1, b)
            elif kind == "delete":
                delete(world, who, table, pick, a % 3 != 0)
            elif kind == "insert":
                insert(world, who, table, pick, step)
            elif kind == "sync" and pick % n != who:
                world.sync(who, pick % n)
            elif kind == "tick":
                world.clocks[who].ms += rnd.randrange(-5_000, 5_000)  # may jump back
        # Gossip until quiet: every device merges every replica, in random orders, twice.
        for _round in range(2):
            for who in rnd.sample(range(n), n):
                for other in rnd.sample(range(n), n):
                    if other != who:
                        world.sync(who, other)
        dumps = [d.dump() for d in world.devices]
        assert all(dump == dumps[0] for dump in dumps[1:])
        check_oracle(world, snapshot(world.devices[0]))
        # Any order: a new device merging every replica ever published, shuffled, holds the
        # same data (its conflict log may pair the same losses differently).
        sink = SimDevice(run / "sink", "f" * 16, base, Clock(start))
        try:
            for replica in rnd.sample(world.replicas, len(world.replicas)):
                sink.merge(replica)
            data = sink.dump()
        finally:
            sink.close()
        assert {k: v for k, v in data.items() if k != "conflict"} == {
            k: v for k, v in dumps[0].items() if k != "conflict"
        }
    finally:
        world.close()


@pytest.mark.timeout(600)
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["hot", "hot", "sync"]), st.integers(0, 2), st.integers(0, 5)),
        min_size=2,
        max_size=10,
    ),
    st.randoms(),
)
# A write lost because the copy that overwrote it had seen a *later* write of a third device
# (one of these two has the clock order that needs, whatever the skews).
@example([("hot", 2, 1), ("hot", 0, 2), ("sync", 1, 0), ("hot", 1, 0)], random.Random(0))
@example([("hot", 0, 1), ("hot", 2, 2), ("sync", 1, 2), ("hot", 1, 0)], random.Random(0))
def test_writes_to_one_field_relayed_between_devices_lose_nothing(
    tmp_path: Path, base: Path, ops: list[tuple[str, int, int]], rnd: random.Random
) -> None:
    """Three devices write one field and pass copies along (chains of relayed and of
    concurrent writes): every write that lost is in the conflict log or was seen by its
    overwriter — and nothing sequential is flagged twice."""
    run = tmp_path / uuid.uuid4().hex  # a new folder for every example, even a replay
    start = base_clock_ms(base) + 1_000
    world = World(run, base, [rnd.randrange(-SKEW_MS, SKEW_MS) for _ in range(3)], start)
    try:
        for kind, who, pick in ops:
            world.clocks[who].tick(rnd.randrange(1, 50))
            if kind == "hot":
                edit(world, who, "initiative", 0, 1, pick)
            elif pick % 3 != who:
                world.sync(who, pick % 3)
        for _round in range(2):
            for who in rnd.sample(range(3), 3):
                for other in rnd.sample(range(3), 3):
                    if other != who:
                        world.sync(who, other)
        final = snapshot(world.devices[0])
        assert all(d.dump() == world.devices[0].dump() for d in world.devices[1:])
        check_oracle(world, final)
    finally:
        world.close()


def base_clock_ms(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return parse_stamp(con.execute("SELECT value FROM meta WHERE key='hlc'").fetchone()[0])[0]
    finally:
        con.close()


# ---------------------------------------------------------------------------- the oracle


def check_oracle(world: World, final: dict[Key, tuple[dict[str, Any], dict[str, str]]]) -> None:
    by_field: dict[tuple[str, str, str], list[Write]] = {}
    for w in world.writes:
        by_field.setdefault((w.table, w.row, w.field), []).append(w)
    conflicts = [values for (table, _id), (values, _s) in final.items() if table == "conflict"]
    logged = {(c["entity"], c["row_id"], c["field"], c["other_stamp"]) for c in conflicts}
    kept = {(c["entity"], c["row_id"], c["field"], c["other_value"]) for c in conflicts}
    for (table, row, name), writes in by_field.items():
        values, stamps = final[(table, row)]
        if name == "deleted":
            continue
        # Every field holds its latest write.
        latest = max(writes, key=lambda w: w.stamp)
        assert field_stamp(stamps, name) == latest.stamp, (table, row, name)
        assert values[name] == latest.value, (table, row, name)
        if table in NO_REVIEW_TABLES or name in NO_REVIEW_FIELDS:
            continue
        # No edit lost without a trace.
        for w in writes:
            if w is latest or w.value == latest.value:
                continue
            if any(w.id in other.seen for other in writes):
                continue  # overwritten by someone who had seen it
            if (table, row, name, json.dumps(w.value)) in kept:
                continue  # the same value, written elsewhere too, is in the log
            assert (table, row, name, w.stamp) in logged, ("lost", w.stamp, w.value)
    for (table, row), (values, stamps) in final.items():
        if table == "conflict" or not values["deleted"]:
            continue
        # A tombstone holds what its deleter had seen: no later write was swallowed.
        deleters_views = [v for _top, d, v in world.deletes if d == stamps["deleted"]]
        assert deleters_views, ("a tombstone no delete wrote", table, row)
        view = deleters_views[0][(table, row)]
        for name in FIELDS[table]:
            if name != "deleted":
                assert field_stamp(stamps, name) == field_stamp(view, name), (table, row, name)
    for (table, row), (values, _stamps) in final.items():
        # No live row under a tombstoned parent: it would be invisible.
        if values.get("deleted") == 0:
            for column, parent in PARENT_LINKS.get(table, ()):
                assert final[(parent, str(values[column]))][0]["deleted"] == 0, (table, row)
    for (top_table, top), stamp, views in world.deletes:
        # A delete undone by an edit it had not seen is up for review.
        undone = [
            k for k in views if final[k][0]["deleted"] == 0 and final[k][1].get("deleted") == stamp
        ]
        if undone and top_table not in NO_REVIEW_TABLES:
            assert (top_table, top, "deleted", stamp) in logged, ("undone silently", top)
