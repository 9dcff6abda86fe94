"""``Tx.set_deleted_many``: the tombstones of ``set_deleted``, for many rows at once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative, Measurement, Metric
from ldpm.persistence.database import init_database
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.store import BASE, Store
from tests.conftest import DEVICE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "w.db"
    init_database(db, project_uuid="1" * 32, device=DEVICE)
    s = Store(db, HybridClock(DEVICE))
    yield s
    s.dispose()


def test_many_rows_get_the_stamps_one_row_gets(store: Store) -> None:
    initiative = Initiative(name="P")
    metric = Metric(initiative_id=initiative.id, name="Errors")
    rows = [Measurement(metric_id=metric.id, on=date(2025, 1, 1), value=i) for i in range(1201)]
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(metric)
        tx.insert_many(rows)
        tx.update(Measurement, rows[3].id, {"value": 99.0})  # a field stamped apart
    ids = [m.id for m in rows]
    with store.transaction() as tx:
        assert tx.set_deleted(Measurement, ids[0], True)  # one by one …
        assert tx.set_deleted_many(Measurement, ids + ids[:5], True) == 1200  # … and many
        assert tx.set_deleted_many(Measurement, ids, True) == 0
        assert tx.count(Measurement) == 0
        one, many = tx.stamps(Measurement, ids[0]), tx.stamps(Measurement, ids[3])
        other = tx.stamps(Measurement, ids[1200])
    # What the deleter saw, and no base for the delete (as set_deleted does).
    assert set(one) == {"*", "deleted"}
    assert set(many) == {"*", "value", BASE + "value", "deleted"}
    assert many["deleted"] > many["value"]
    assert many["deleted"] == other["deleted"] != one["deleted"]  # one delete, one stamp
    with store.transaction() as tx:
        assert tx.set_deleted_many(Measurement, ids, False) == 1201
        assert tx.count(Measurement) == 1201
        raw = tx.conn.exec_driver_sql("SELECT stamps FROM measurement LIMIT 1").scalar_one()
    assert json.loads(raw)["deleted"]


def test_deleting_many_parents_takes_their_children_and_restoring_brings_them_back(
    store: Store,
) -> None:
    initiative = Initiative(name="P")
    metrics = [Metric(initiative_id=initiative.id, name=f"M{i}") for i in range(3)]
    rows = [Measurement(metric_id=m.id, on=date(2025, 1, 1), value=1.0) for m in metrics]
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert_many(metrics)
        tx.insert_many(rows)
    with store.transaction() as tx:
        assert tx.set_deleted_many(Metric, [m.id for m in metrics[:2]], True) == 2
        assert [m.id for m in tx.list(Measurement)] == [rows[2].id]
        deletes = {tx.stamps(Measurement, r.id)["deleted"] for r in rows[:2]}
        assert deletes == {tx.stamps(Metric, metrics[0].id)["deleted"]}
    with store.transaction() as tx:
        assert tx.set_deleted_many(Metric, [m.id for m in metrics], False) == 2
        assert tx.count(Measurement) == 3  # the group came back with its parents


def test_restoring_a_child_brings_back_its_parent(store: Store) -> None:
    initiative = Initiative(name="P")
    metric = Metric(initiative_id=initiative.id, name="Errors")
    row = Measurement(metric_id=metric.id, on=date(2025, 1, 1), value=1.0)
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(metric)
        tx.insert(row)
        tx.set_deleted(Metric, metric.id, True)
    with store.transaction() as tx:
        assert tx.set_deleted_many(Measurement, [row.id], False) == 1
        assert tx.count(Metric) == 1


def test_a_missing_row_is_a_key_error_and_nothing_else(store: Store) -> None:
    with pytest.raises(KeyError, match="does not exist"), store.transaction() as tx:
        tx.set_deleted_many(Metric, ["f" * 32], True)
    with store.transaction() as tx:
        assert tx.set_deleted_many(Metric, [], True) == 0
