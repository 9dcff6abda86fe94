"""``Tx.set_deleted_many`` and ``set_deleted_rows``: the tombstones of ``set_deleted``, for many
rows at once, of one type or several, as one delete."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ldpm.domain.entities import ExternalRef, Initiative, Measurement, Metric
from ldpm.persistence.database import init_database
from ldpm.persistence.hlc import HybridClock
from ldpm.persistence.stamps import BASE, dump_stamps, normalise_stamps
from ldpm.persistence.store import FIELDS, Store, Tx
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


def test_rows_of_several_types_are_one_delete_and_come_back_together(store: Store) -> None:
    """A delete of several rows at once (an undone import) is one group: bringing any of
    them back — a restore, or a write to it — brings back all of them, in every table, and
    nothing tombstoned by another delete."""
    initiative = Initiative(name="P")
    metric = Metric(initiative_id=initiative.id, name="Errors")
    rows = [Measurement(metric_id=metric.id, on=date(2025, 1, d), value=d) for d in (1, 2, 3)]
    refs = [
        ExternalRef(source="LMS", external_id=str(n), entity="measurement", row_id=m.id)
        for n, m in enumerate(rows)
    ]
    other = Measurement(metric_id=metric.id, on=date(2025, 2, 1), value=9.0)
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(metric)
        tx.insert_many([*rows, other])
        tx.insert_many(refs)
    ids = {Measurement: [m.id for m in rows], ExternalRef: [r.id for r in refs]}
    with store.transaction() as tx:
        tx.set_deleted(Measurement, other.id, True)  # a delete of its own
        assert tx.set_deleted_rows(ids, True) == 6
        deletes = {tx.stamps(k, i)["deleted"] for k, some in ids.items() for i in some}
        assert len(deletes) == 1 and tx.count(Measurement) == tx.count(ExternalRef) == 0

    def write(tx: Tx) -> object:  # a write beats the delete
        return tx.update(Measurement, rows[1].id, {"value": 7.0})

    def restore_ref(tx: Tx) -> object:
        return tx.set_deleted(ExternalRef, refs[2].id, False)

    def restore_rows(tx: Tx) -> object:
        return tx.set_deleted_rows({Measurement: [rows[0].id]}, False)

    for bring_back in (write, restore_ref, restore_rows):
        with store.transaction() as tx:
            bring_back(tx)
            assert tx.count(Measurement) == 3 and tx.count(ExternalRef) == 3
            assert tx.get(Measurement, other.id) is None  # not of this delete
            assert tx.set_deleted_rows(ids, True) == 6  # again, for the next way


def test_a_large_delete_stamps_each_row_as_a_delete_of_one_row_would(store: Store) -> None:
    """Rows written once get their stamps from SQLite directly; rows edited since, from
    normalise_stamps: both exactly what set_deleted writes for one row."""
    initiative = Initiative(name="P")
    metric = Metric(initiative_id=initiative.id, name="Errors")
    rows = [Measurement(metric_id=metric.id, on=date(2025, 1, 1), value=i) for i in range(6)]
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(metric)
        tx.insert_many(rows)
        tx.update(Measurement, rows[1].id, {"value": 10.0})
        tx.update(Measurement, rows[2].id, {"value": 20.0, "note": "checked"})
    singles, bulk = rows[:3], rows[3:] + rows[1:3]
    with store.transaction() as tx:
        before = {m.id: tx.stamps(Measurement, m.id) for m in rows}
        tx.set_deleted(Measurement, singles[0].id, True)
        tx.set_deleted_rows({Measurement: [m.id for m in bulk]}, True)
        after = {m.id: tx.stamps(Measurement, m.id) for m in rows}
        query = "SELECT id, stamps FROM measurement"
        raw = {str(r[0]): str(r[1]) for r in tx.conn.exec_driver_sql(query)}
    delete = after[bulk[0].id]["deleted"]
    for m in bulk:
        expected = normalise_stamps({**before[m.id], "deleted": delete}, FIELDS["measurement"],
                                    [before[m.id]])  # fmt: skip
        assert after[m.id] == expected
        assert raw[m.id] == dump_stamps(expected)
    # A row written once, deleted alone or with others: the same stamps but the delete's.
    assert set(after[singles[0].id]) == set(after[bulk[0].id]) == {"*", "deleted"}


def test_restoring_many_rows_stamps_each_as_restoring_one_would(store: Store) -> None:
    """Rows written once and deleted on this computer take a quick way back; rows edited
    before, or deleted on another computer, the general one: stamps as normalise_stamps
    makes them either way."""
    initiative = Initiative(name="P")
    metric = Metric(initiative_id=initiative.id, name="Errors")
    rows = [Measurement(metric_id=metric.id, on=date(2025, 1, 1), value=i) for i in range(4)]
    with store.transaction() as tx:
        tx.insert(initiative)
        tx.insert(metric)
        tx.insert_many(rows)
        tx.update(Measurement, rows[1].id, {"value": 10.0})
        tx.set_deleted_rows({Measurement: [m.id for m in rows[:3]]}, True)
    other = Store(store.path, HybridClock("b2b2b2b2"))
    try:
        with other.transaction() as tx:
            tx.set_deleted(Measurement, rows[3].id, True)  # deleted on another computer
    finally:
        other.dispose()
    with store.transaction() as tx:
        before = {m.id: tx.stamps(Measurement, m.id) for m in rows}
        assert tx.set_deleted_rows({Measurement: [m.id for m in rows]}, False) == 4
        after = {m.id: tx.stamps(Measurement, m.id) for m in rows}
        query = "SELECT id, stamps FROM measurement"
        raw = {str(r[0]): str(r[1]) for r in tx.conn.exec_driver_sql(query)}
    restore = after[rows[0].id]["deleted"]
    assert restore > max(s["deleted"] for s in before.values())
    for m in rows:
        stamps = {**before[m.id], "deleted": restore}
        stamps.pop(BASE + "deleted", None)
        expected = normalise_stamps(stamps, FIELDS["measurement"], [before[m.id]])
        assert after[m.id] == expected
        assert raw[m.id] == dump_stamps(expected)
    assert any(k.startswith("@") for k in after[rows[3].id])  # the other computer's delete
