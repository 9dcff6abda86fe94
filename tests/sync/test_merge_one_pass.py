"""Two shortcuts of the merge, each checked against what it replaced on a case with every kind
of row in one table: it reads each table of a replica in one pass (``merge._replica_rows``:
the rows only the replica has and the rows that differ on both sides; it used to take two
passes), and it writes only the columns a row's merge changed (it used to write them all)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from ldpm.domain.entities import BacklogItem, Initiative, new_id
from ldpm.persistence.schema import TABLES
from ldpm.sync import merge
from ldpm.sync.merge import _replica_rows
from tests.sync.devices import SimDevice, dump_rows, first_initiative


@contextmanager
def attached(working: Path, replica: Path) -> Iterator[sqlite3.Connection]:
    """The working copy with the replica attached as ``r``, as the merge opens them."""
    con = sqlite3.connect(working, isolation_level=None)
    uri = f"file:{quote(str(replica.resolve()))}?mode=ro&immutable=1"
    try:
        con.execute("ATTACH DATABASE ? AS r", (uri,))
        yield con
    finally:
        con.close()


def two_passes(
    con: sqlite3.Connection, table: str, common: Sequence[str]
) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The rows the merge looked at before: rows with no local row, then a join for rows
    that differ (the queries it ran, with every column of the new rows)."""
    quoted = ", ".join(f'x."{c}"' for c in common)
    y_row = ", ".join(f'y."{c}"' for c in common)
    new = con.execute(
        f'SELECT {quoted} FROM r."{table}" AS x '
        f'WHERE NOT EXISTS (SELECT 1 FROM main."{table}" AS y WHERE y.id = x.id)'
    ).fetchall()
    both = con.execute(
        f'SELECT {quoted}, {y_row} FROM r."{table}" AS x '
        f'JOIN main."{table}" AS y ON y.id = x.id '
        f"WHERE x.stamps != y.stamps OR ({quoted}) IS NOT ({y_row})"
    ).fetchall()
    return [dict(zip(common, row, strict=True)) for row in new], both


def columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def items(device: SimDevice, initiative_id: str) -> list[BacklogItem]:
    with device.store.transaction() as tx:
        return tx.list(BacklogItem, where={"initiative_id": initiative_id}, order_by=("id",))


@dataclasses.dataclass
class Case:
    replica: Path
    added: BacklogItem
    gone: BacklogItem
    theirs: BacklogItem
    mine: BacklogItem
    both: BacklogItem
    cloned: BacklogItem
    other: Initiative


def every_kind_of_row(a: SimDevice, b: SimDevice, folder: Path) -> Case:
    """B's replica, against A: in the backlog, rows only B has (live and deleted), edits on
    either side and on both, a value changed without a stamp, and an initiative deleted on
    B with its items (tombstones there, live rows here)."""
    initiative = first_initiative(a)
    theirs, mine, both, cloned, _unchanged = items(a, initiative.id)[:5]
    added = dataclasses.replace(theirs, id=new_id(), title="Added on B")
    gone = dataclasses.replace(theirs, id=new_id(), title="Added and deleted on B")
    b.insert(added)
    b.insert(gone)
    b.delete(BacklogItem, gone.id)
    b.edit(BacklogItem, theirs.id, title="Edited on B", reach=40, out_of_scope=True)
    with b.store.transaction() as tx:
        [other, *_] = [i for i in tx.list(Initiative) if i.id != initiative.id]
    b.delete(Initiative, other.id)
    a.edit(BacklogItem, mine.id, title="Edited on A")
    a.edit(BacklogItem, both.id, title="Both: A", description="A's description")
    a.wall.tick()
    b.edit(BacklogItem, both.id, title="Both: B", value=7)
    # Two computers with one device id: same stamps, different values.
    con = sqlite3.connect(b.db)
    with con:
        con.execute("UPDATE backlog_item SET title = 'Cloned' WHERE id = ?", (cloned.id,))
    con.close()
    replica = b.publish(folder)
    return Case(replica, added, gone, theirs, mine, both, cloned, other)


def test_one_pass_finds_the_rows_the_two_passes_found(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path
) -> None:
    a, b = pair
    case = every_kind_of_row(a, b, tmp_path / "replicas")
    replica = case.replica
    added, gone, theirs, mine, both = case.added, case.gone, case.theirs, case.mine, case.both
    cloned, other = case.cloned, case.other
    found: dict[str, tuple[int, int]] = {}
    with attached(a.db, replica) as con:
        for table in (t.name for t in TABLES.values()):
            remote = columns(con, "r", table)
            common = [c for c in columns(con, "main", table) if c in remote]
            new, differ = _replica_rows(con, table, common)
            old_new, old_differ = two_passes(con, table, common)
            assert new == old_new, table
            assert differ == old_differ, table
            found[table] = (len(new), len(differ))
    assert found["backlog_item"][0] == 2  # added, gone
    assert found["backlog_item"][1] >= 4  # theirs, mine, both, cloned, and the other's items
    assert found["initiative"] == (0, 1)

    result = a.merge(replica)
    assert result.inserted == 2
    assert a.get(BacklogItem, added.id).title == "Added on B"
    assert not a.alive(BacklogItem, gone.id)
    assert a.get(BacklogItem, theirs.id).title == "Edited on B"
    assert a.get(BacklogItem, mine.id).title == "Edited on A"
    assert a.get(BacklogItem, both.id).title == "Both: B"
    assert not a.alive(Initiative, other.id)
    assert {(c.row_id, c.field) for c in a.conflicts()} == {
        (both.id, "title"),
        (cloned.id, "title"),
    }


def test_writing_the_changed_columns_gives_what_writing_every_column_gave(
    pair: tuple[SimDevice, SimDevice], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    case = every_kind_of_row(a, b, tmp_path / "replicas")
    before = tmp_path / "before.db"
    a.store.dispose()  # (its pool reopens the file on the next transaction)
    con = sqlite3.connect(a.db)
    con.execute("VACUUM INTO ?", (str(before),))
    con.close()
    changed = merge.merge_replica(a.db, case.replica)
    with monkeypatch.context() as m:
        m.setattr(merge, "_differs", lambda _new, _old: True)  # every column, as before
        every = merge.merge_replica(before, case.replica)
    assert changed == every
    assert changed.updated > 0 and changed.inserted == 2
    assert dump_rows(a.db) == dump_rows(before)
