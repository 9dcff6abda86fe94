"""Many rows at once: read by ids, update with one statement per field set (stamps and rules
as a single update has them), count grouped values."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ldpm.domain.entities import BacklogItem, Initiative, Release
from ldpm.domain.enums import ItemStatus, MoSCoW, Sourcing
from ldpm.domain.validation import ValidationError
from ldpm.persistence import schema
from ldpm.persistence.database import init_database
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.stamps import BASE, dump_stamps
from ldpm.persistence.store import Store
from tests.conftest import DEVICE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "w.db"
    init_database(db, project_uuid="1" * 32, device=DEVICE)
    s = Store(db, HybridClock(DEVICE))
    yield s
    s.dispose()


@pytest.fixture
def items(store: Store) -> list[BacklogItem]:
    initiative = Initiative(name="Hand-offs")
    rows = [BacklogItem(initiative_id=initiative.id, title=f"Item {n}") for n in range(1200)]
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert_many(rows)
    return rows


def test_get_many_reads_past_the_parameter_limit(store: Store, items: list[BacklogItem]) -> None:
    ids = [i.id for i in items[::-1]] + ["missing"]
    with store.transaction() as tx:
        tx.set_deleted(BacklogItem, items[0].id, True)
        found = tx.get_many(BacklogItem, ids)
        with_deleted = tx.get_many(BacklogItem, ids, include_deleted=True)
    assert len(found) == 1199 and items[0].id not in found
    assert len(with_deleted) == 1200
    assert found[items[7].id] == items[7]


def test_update_many_writes_like_update_does(store: Store, items: list[BacklogItem]) -> None:
    changes: dict[str, dict[str, object]] = {
        i.id: {"status": ItemStatus.READY} for i in items[:600]
    }
    changes[items[0].id] = {"status": ItemStatus.READY, "sourcing": Sourcing.CURATE}
    changes[items[1].id] = {"status": ItemStatus.IDEA}  # already so: not written
    with store.transaction() as tx:
        old = tx.update_many(BacklogItem, changes)
    assert len(old) == 599 and items[1].id not in old
    assert old[items[0].id] == {"status": ItemStatus.IDEA, "sourcing": Sourcing.BUILD}
    with store.transaction() as tx:
        first = tx.get(BacklogItem, items[0].id)
        stamps = tx.stamps(BacklogItem, items[0].id)
        untouched = tx.stamps(BacklogItem, items[700].id)
        assert tx.count(BacklogItem, where={"status": ItemStatus.READY}) == 599
    assert first is not None and (first.status, first.sourcing) == (
        ItemStatus.READY,
        Sourcing.CURATE,
    )
    assert stamps["status"] > stamps["*"] and BASE + "status" in stamps
    assert set(json.loads(json.dumps(untouched))) == {"*"}


def test_update_many_validates_every_row_before_writing(
    store: Store, items: list[BacklogItem]
) -> None:
    changes = {items[0].id: {"effort": 3.0}, items[1].id: {"effort": -1.0}}
    with pytest.raises(ValidationError), store.transaction() as tx:
        tx.update_many(BacklogItem, changes)
    with store.transaction() as tx:
        assert tx.get(BacklogItem, items[0].id).effort is None  # type: ignore[union-attr]
        with pytest.raises(KeyError):
            tx.update_many(BacklogItem, {"missing": {"effort": 1.0}})
        with pytest.raises(KeyError):
            tx.update_many(BacklogItem, {items[0].id: {"nonsense": 1}})


def test_count_by_groups_decoded_values(store: Store, items: list[BacklogItem]) -> None:
    with store.transaction() as tx:
        tx.update_many(BacklogItem, {i.id: {"sourcing": Sourcing.SME_LED} for i in items[:5]})
        tx.set_deleted(BacklogItem, items[0].id, True)
        counts = tx.count_by(BacklogItem, ("initiative_id", "sourcing"))
    initiative_id = items[0].initiative_id
    assert counts == {
        (initiative_id, Sourcing.SME_LED): 4,
        (initiative_id, Sourcing.BUILD): 1195,
    }


def test_insert_many_writes_what_insert_writes(store: Store) -> None:
    """Every field type, stamps and the bookkeeping columns: a row inserted with others is
    stored as the same row inserted alone, but for its own stamp."""
    initiative = Initiative(name="Hand-offs")
    release = Release(initiative_id=initiative.id, name="R1", target_date=date(2025, 3, 4))
    alone = BacklogItem(
        initiative_id=initiative.id, title="Alone", status=ItemStatus.READY, effort=2.5,
        reach=3, release_id=release.id, moscow=MoSCoW.MUST, impact=1.0, out_of_scope=True,
        rank="b",
    )  # fmt: skip
    many = [dataclasses.replace(alone, id=f"{n:032x}") for n in range(3)]
    many[1].release_id = None
    many[2].effort = 4  # an int for a number: stored as insert() stores it
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(release)
        tx.insert(alone)
        tx.insert_many(many)
        tx.insert_many([dataclasses.replace(release, id="f" * 32)])
        query = "SELECT * FROM backlog_item"
        raw = {r[0]: tuple(r) for r in tx.conn.exec_driver_sql(query).fetchall()}
        releases = tx.conn.exec_driver_sql("SELECT * FROM release ORDER BY id").fetchall()
    with store.transaction() as tx:
        assert [tx.get(BacklogItem, row.id) for row in many] == many
    assert raw[many[0].id][1:-1] == raw[alone.id][1:-1]
    effort = list(schema.TABLES[BacklogItem].c.keys()).index("effort")
    assert type(raw[many[2].id][effort]) is float and raw[many[2].id][effort] == 4.0
    assert tuple(releases[0])[1:-1] == tuple(releases[1])[1:-1]
    # One stamp per row, written as insert() writes it, each later than the one before.
    stamps = [json.loads(raw[row.id][-1]) for row in (alone, *many)]
    assert all(set(s) == {"*"} for s in stamps)
    assert [s["*"] for s in stamps] == sorted({s["*"] for s in stamps})
    assert raw[many[0].id][-1] == dump_stamps(stamps[1])


def test_insert_many_brings_back_a_tombstoned_parent(store: Store) -> None:
    initiative = Initiative(name="Hand-offs")
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.set_deleted(Initiative, initiative.id, True)
        tx.insert_many([BacklogItem(initiative_id=initiative.id, title="New") for _ in range(2)])
        assert tx.get(Initiative, initiative.id) is not None


def test_insert_many_validates_every_row_before_writing_any(store: Store) -> None:
    initiative = Initiative(name="Hand-offs")
    rows = [BacklogItem(initiative_id=initiative.id, title=t) for t in ("Fine", "")]
    with store.transaction() as tx:
        tx.insert(initiative)
        with pytest.raises(ValidationError):
            tx.insert_many(rows)
        with pytest.raises(TypeError, match="one type"):
            tx.insert_many([rows[0], initiative])
        assert tx.count(BacklogItem) == 0


def test_a_set_in_where_matches_any_of_its_values(store: Store, items: list[BacklogItem]) -> None:
    """``where={"field": {a, b}}`` — in list, columns and count alike; live rows only, values
    encoded as a single value is (an enum by its stored text); an empty set matches nothing."""
    chosen = {items[3].id, items[500].id, items[1199].id, "missing"}
    with store.transaction() as tx:
        tx.set_deleted(BacklogItem, items[500].id, True)
        tx.update(BacklogItem, items[3].id, {"status": ItemStatus.READY})
        listed = tx.list(BacklogItem, where={"id": chosen})
        columns = tx.columns(BacklogItem, ("id", "status"), where={"id": chosen}, order_by=("id",))
        statuses = tx.count(BacklogItem, where={"status": {ItemStatus.READY, ItemStatus.DONE}})
        both = tx.columns(
            BacklogItem, ("id",), where={"id": chosen, "status": frozenset({ItemStatus.IDEA})}
        )
        nothing = tx.columns(BacklogItem, ("id",), where={"id": set()})
    assert {i.id for i in listed} == {items[3].id, items[1199].id}
    assert columns == sorted(
        [(items[3].id, ItemStatus.READY.value), (items[1199].id, ItemStatus.IDEA.value)]
    )
    assert statuses == 1
    assert both == [(items[1199].id,)]
    assert nothing == []
