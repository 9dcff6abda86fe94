"""Rows: stamps per field, tombstones, round trips of every field type; the hybrid clock."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import ENTITY_TYPES, BacklogItem, Initiative, Metric
from ldpm.domain.enums import MoSCoW, Stage
from ldpm.domain.validation import ValidationError
from ldpm.persistence import schema
from ldpm.persistence.database import init_database
from ldpm.persistence.hlc import HybridClock, format_stamp, parse_stamp
from ldpm.persistence.store import Store
from tests.conftest import DEVICE


@pytest.fixture
def store(tmp_path: Path) -> Store:
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
        assert tx.get(Initiative, initiative.id).name == "A"  # type: ignore[union-attr]


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
    from ldpm.persistence.store import BASE

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
