"""Rows: stamps per field, tombstones, round trips of every field type; the hybrid clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import (
    ENTITY_TYPES,
    BacklogItem,
    Initiative,
    KeyResult,
    Metric,
    Objective,
)
from ldpm.domain.enums import MoSCoW, Stage
from ldpm.domain.validation import ValidationError
from ldpm.persistence import schema
from ldpm.persistence.database import init_database
from ldpm.persistence.hlc import (
    MAX_COUNTER,
    MAX_FUTURE_MS,
    MAX_MS,
    HybridClock,
    format_stamp,
    is_well_formed,
    latest_trusted_ms,
    parse_stamp,
)
from ldpm.persistence.store import Store
from tests.conftest import DEVICE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "w.db"
    init_database(db, project_uuid="1" * 32, device=DEVICE)
    s = Store(db, HybridClock(DEVICE))
    yield s
    s.dispose()


def test_every_entity_has_a_table_with_bookkeeping() -> None:
    for cls in ENTITY_TYPES:
        table = schema.TABLES[cls]
        assert "deleted" in table.c and "stamps" in table.c
        assert [c.name for c in table.primary_key.columns] == ["id"]
        assert not [c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]


def test_round_trip_of_all_field_types(store: Store) -> None:
    initiative = Initiative(
        name="Hand-offs",
        stage=Stage.PILOT,
        archived=True,
        problem_baseline=12.5,
        problem_date=date(2026, 9, 30),
    )
    item = BacklogItem(
        initiative_id=initiative.id,
        title="Checklist",
        moscow=MoSCoW.MUST,
        reach=40,
        confidence=0.8,
        impact=2.0,
        effort=3.0,
    )
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(item)
    with store.transaction() as tx:
        assert tx.get(Initiative, initiative.id) == initiative
        assert tx.get(BacklogItem, item.id) == item


def test_update_stamps_only_changed_fields(store: Store) -> None:
    initiative = Initiative(name="A")
    with store.transaction() as tx:
        tx.insert(initiative)
        created = tx.stamps(Initiative, initiative.id)
    assert set(created) == {"*"}
    with store.transaction() as tx:
        old = tx.update(Initiative, initiative.id, {"name": "B", "owner": ""})
        stamps = tx.stamps(Initiative, initiative.id)
    assert old == {"name": "A"}  # owner did not change
    assert set(stamps) == {"*", "name", "^name"} and stamps["name"] > stamps["*"]
    assert stamps["^name"] == stamps["*"]  # the value it replaced


def test_invalid_update_changes_nothing(store: Store) -> None:
    initiative = Initiative(name="A")
    with store.transaction() as tx:
        tx.insert(initiative)
    with pytest.raises(ValidationError), store.transaction() as tx:
        tx.update(Initiative, initiative.id, {"name": "   "})
    with store.transaction() as tx:
        stored = tx.get(Initiative, initiative.id)
        assert stored is not None and stored.name == "A"


def test_delete_is_a_tombstone(store: Store) -> None:
    metric = Metric(initiative_id=Initiative().id, name="MTTR")
    parent = Initiative(id=metric.initiative_id, name="P")
    with store.transaction() as tx:
        tx.insert(parent)
        tx.insert(metric)
        assert tx.set_deleted(Metric, metric.id, True)
        assert not tx.set_deleted(Metric, metric.id, True)
    with store.transaction() as tx:
        assert tx.get(Metric, metric.id) is None
        assert tx.get(Metric, metric.id, include_deleted=True) is not None
        assert tx.list(Metric) == []
        assert "deleted" in tx.stamps(Metric, metric.id)
        row = tx.conn.exec_driver_sql("SELECT deleted, stamps FROM metric").one()
    assert row[0] == 1 and json.loads(row[1])["deleted"]


def test_a_delete_takes_the_rows_that_belong_to_it_and_undo_brings_them_back(
    store: Store,
) -> None:
    initiative = Initiative(name="Hand-offs")
    first, second = Objective(initiative_id=initiative.id), Objective(initiative_id=initiative.id)
    kr = KeyResult(objective_id=first.id, title="Errors per incident")
    with store.transaction() as tx:
        for entity in (initiative, first, second, kr):
            tx.insert(entity)
        tx.set_deleted(Objective, second.id, True)  # deleted on its own, earlier
    with store.transaction() as tx:
        tx.set_deleted(Initiative, initiative.id, True)
        group = {
            tx.stamps(k, i)["deleted"]
            for k, i in ((Initiative, initiative.id), (Objective, first.id), (KeyResult, kr.id))
        }
        assert len(group) == 1  # one delete, one stamp
        assert tx.list(Objective) == [] and tx.list(KeyResult) == []
    with store.transaction() as tx:
        tx.set_deleted(Initiative, initiative.id, False)
        assert {o.id for o in tx.list(Objective)} == {first.id}  # not the one deleted before
        assert [k.id for k in tx.list(KeyResult)] == [kr.id]


def test_writing_below_a_deleted_row_brings_it_back(store: Store) -> None:
    """A live row never sits under a tombstoned parent: what is written there would be
    invisible.  (Merges apply the same rule: ldpm/sync/merge.py.)"""
    initiative = Initiative(name="Hand-offs")
    objective = Objective(initiative_id=initiative.id)
    kr = KeyResult(objective_id=objective.id, title="Errors per incident")
    with store.transaction() as tx:
        for entity in (initiative, objective, kr):
            tx.insert(entity)
        tx.set_deleted(Initiative, initiative.id, True)
        tx.update(KeyResult, kr.id, {"title": "Edited, say by an undo"})
        assert tx.get(Initiative, initiative.id) is not None
        assert tx.get(Objective, objective.id) is not None
        tx.set_deleted(Objective, objective.id, True)
        tx.insert(KeyResult(objective_id=objective.id, title="Added below it"))
        assert tx.get(Objective, objective.id) is not None
        assert tx.count(KeyResult) == 2


def test_failed_transaction_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert(Initiative(name="Never"))
        raise RuntimeError("boom")
    with store.transaction() as tx:
        assert tx.count(Initiative) == 0


# ------------------------------------------------------------------------- clock


def test_clock_is_monotonic_when_wall_clock_stands_still_or_jumps_back() -> None:
    now = [1_000]
    clock = HybridClock("aa", wall=lambda: now[0])
    a = clock.now()
    b = clock.now()
    now[0] = 500  # the wall clock jumps back
    c = clock.now()
    now[0] = 2_000
    d = clock.now()
    assert a < b < c < d
    assert parse_stamp(c)[0] == 1_000 and parse_stamp(d) == (2_000, 0, "aa")


def test_clock_moves_past_observed_stamps() -> None:
    clock = HybridClock("bb", wall=lambda: 10)
    clock.observe(format_stamp(5_000, 7, "cc"))
    stamp = clock.now()
    assert stamp > format_stamp(5_000, 7, "cc")
    assert parse_stamp(stamp) == (5_000, 8, "bb")


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridClock("dd", wall=lambda: 1)
    stamps = [clock.now() for _ in range(70_000)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@pytest.mark.parametrize("counter", [0, 5, MAX_COUNTER - 3, MAX_COUNTER])
@pytest.mark.parametrize("count", [0, 1, 2, 7, 70_000, 140_000])
def test_many_stamps_at_once_are_the_stamps_one_by_one(counter: int, count: int) -> None:
    """``now_many`` (bulk writes) gives what as many calls of ``now`` give in one
    millisecond, borrowing the next milliseconds when the counter runs out."""
    one, many = HybridClock("dd", wall=lambda: 1_000), HybridClock("dd", wall=lambda: 1_000)
    for clock in (one, many):
        clock.observe(format_stamp(1_000, counter, "dd"))
    assert many.now_many(count) == [one.now() for _ in range(count)]
    assert many.last == one.last
    assert many.now() == one.now()


def test_many_stamps_start_at_a_wall_clock_that_moved_on() -> None:
    wall = [1_000]
    clock = HybridClock("dd", wall=lambda: wall[0])
    first = clock.now_many(3)
    wall[0] = 2_000
    assert [parse_stamp(s)[:2] for s in (*first, *clock.now_many(2))] == [
        (1_000, 0), (1_000, 1), (1_000, 2), (2_000, 0), (2_000, 1),
    ]  # fmt: skip


def test_a_stamp_at_the_fixed_width_limit_cannot_overflow_the_clock() -> None:
    """Observing the largest stamp the width holds used to push the next local stamps past
    it, one digit wider, so that they sorted before everything written earlier."""
    wall = [1_700_000_000_000]
    clock = HybridClock("aa", wall=lambda: wall[0])
    before = clock.now()
    clock.observe(format_stamp(MAX_MS, MAX_COUNTER, "ff"))
    after = [clock.now() for _ in range(3)]
    assert all(is_well_formed(s) and len(s) == len(before) for s in after)
    assert before < after[0] < after[1] < after[2]
    assert parse_stamp(after[0])[0] <= latest_trusted_ms(wall[0])
    wall[0] += 60_000  # time goes on: stamps keep increasing
    assert clock.now() > after[2]


def test_observing_a_far_future_stamp_moves_the_clock_only_to_the_trusted_bound() -> None:
    wall = 1_700_000_000_000
    clock = HybridClock("aa", wall=lambda: wall)
    clock.observe(format_stamp(wall + MAX_FUTURE_MS * 30, 5, "ff"))  # a month ahead
    assert parse_stamp(clock.now())[0] == latest_trusted_ms(wall)
    clock.observe(format_stamp(wall + 1_000, 9, "ff"))  # near future: observed as it is
    assert parse_stamp(clock.now())[0] == latest_trusted_ms(wall)  # never goes back


def test_a_wall_clock_beyond_the_width_still_gives_well_formed_stamps() -> None:
    clock = HybridClock("aa", wall=lambda: MAX_MS + 10_000)
    stamps = [clock.now() for _ in range(3)]
    assert all(is_well_formed(s) and parse_stamp(s)[2] == "aa" for s in stamps)
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_the_clock_refuses_what_is_not_a_stamp() -> None:
    clock = HybridClock("aa", wall=lambda: 1)
    for bad in ("", "zz", "01A227DC257D0005aa", "0" * 16):
        with pytest.raises(ValueError):
            clock.observe(bad)


def test_device_breaks_ties() -> None:
    assert format_stamp(1, 0, "aa") < format_stamp(1, 0, "ab")


@given(
    st.integers(0, 2**44), st.integers(0, 0xFFFF), st.integers(0, 2**44), st.integers(0, 0xFFFF)
)
def test_string_order_is_clock_order(ms1: int, c1: int, ms2: int, c2: int) -> None:
    s1, s2 = format_stamp(ms1, c1, "ee"), format_stamp(ms2, c2, "ee")
    assert (s1 < s2) == ((ms1, c1) < (ms2, c2))
    assert parse_stamp(s1) == (ms1, c1, "ee")


def test_bad_device_id_is_refused() -> None:
    with pytest.raises(ValueError):
        HybridClock("Not Hex")


def test_edits_record_the_base_they_were_made_on(store: Store) -> None:
    """The base lets a merge tell a sequential edit from a concurrent one."""
    from ldpm.persistence.stamps import BASE

    initiative = Initiative(name="A")
    with store.transaction() as tx:
        tx.insert(initiative)
        inserted = tx.stamps(Initiative, initiative.id)["*"]
        tx.update(Initiative, initiative.id, {"name": "B"})
        tx.update(Initiative, initiative.id, {"name": "C"})  # own edit on own edit
        stamps = tx.stamps(Initiative, initiative.id)
    assert stamps[BASE + "name"] == inserted  # a run of local edits keeps one base
    # A value that came from another device becomes the base of the next local edit.
    other = "0" * 11 + "f" + "0001" + "cafecafecafecafe"
    with store.transaction() as tx:
        tx.conn.exec_driver_sql(
            "UPDATE initiative SET stamps=? WHERE id=?",
            (json.dumps({**stamps, "name": other}), initiative.id),
        )
        tx.update(Initiative, initiative.id, {"name": "D"})
        assert tx.stamps(Initiative, initiative.id)[BASE + "name"] == other
        before = tx.stamps(Initiative, initiative.id)
        tx.set_deleted(Initiative, initiative.id, True)
        after = tx.stamps(Initiative, initiative.id)
    # A delete records no base: a tombstoned row's field stamps are what its deleter saw.
    assert BASE + "deleted" not in after
    assert {k: v for k, v in after.items() if k != "deleted"} == before
