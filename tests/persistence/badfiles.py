"""A corpus of semantically bad but sealed project files.

Each entry takes a valid demo file, makes one change with plain ``sqlite3`` — what a buggy or
newer program, a computer with a broken clock, or someone hostile could write — and seals the
result again the way LDPM seals a save (a fresh checksum placeholder, then
:func:`~ldpm.persistence.fileformat.seal_file`).  The file is therefore an intact SQLite
database with a valid seal and this project's identity: only semantic validation can catch it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldpm.persistence.fileformat import (
    FutureStamps,
    InvalidContent,
    UnexpectedSchema,
    UntrustedContent,
    new_placeholder,
    seal_file,
)
from ldpm.persistence.hlc import MAX_MS, format_stamp

#: A device id that is not the test device's.
ELSEWHERE = "ee00ee00ee00ee00"
#: A stamp in the year 2100 (far beyond any trusted bound) and one at the 48-bit limit.
YEAR_2100 = format_stamp(4_102_444_800_000, 0, ELSEWHERE)
AT_THE_LIMIT = format_stamp(MAX_MS, 0, ELSEWHERE)


def reseal(path: Path) -> None:
    """Seal ``path`` again as LDPM would after writing it."""
    placeholder = new_placeholder()
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("UPDATE meta SET value = ? WHERE key = 'content_checksum'", (placeholder,))
    finally:
        con.close()
    seal_file(path, placeholder)


def first_id(con: sqlite3.Connection, table: str) -> str:
    return str(con.execute(f'SELECT id FROM "{table}" ORDER BY rowid LIMIT 1').fetchone()[0])


def _tombstones_from_2100(con: sqlite3.Connection) -> None:
    """Scenario 14: every backlog item deleted with a stamp no later undelete can beat."""
    rows = con.execute("SELECT id, stamps FROM backlog_item").fetchall()
    for row_id, stamps in rows:
        star = stamps.split('"')[3]
        con.execute(
            "UPDATE backlog_item SET deleted = 1, stamps = ? WHERE id = ?",
            (f'{{"*":"{star}","^deleted":"{star}","deleted":"{YEAR_2100}"}}', row_id),
        )


def _pinned_value(con: sqlite3.Connection) -> None:
    """Scenario 14: an initiative's name pinned with a far-future stamp."""
    row_id = first_id(con, "initiative")
    star = con.execute("SELECT stamps FROM initiative WHERE id = ?", (row_id,)).fetchone()[0]
    star = star.split('"')[3]
    con.execute(
        "UPDATE initiative SET name = 'Pinned forever', stamps = ? WHERE id = ?",
        (f'{{"*":"{star}","^name":"{star}","name":"{YEAR_2100}"}}', row_id),
    )


def _stamp_at_the_limit(con: sqlite3.Connection) -> None:
    """Scenario 18: a stamp at the 48-bit limit of the clock."""
    con.execute(
        "UPDATE person SET stamps = ? WHERE id = ?",
        (f'{{"*":"{AT_THE_LIMIT}"}}', first_id(con, "person")),
    )


def _recursive_view(con: sqlite3.Connection) -> None:
    """Scenario 17: a table replaced by a view that never ends (passes quick_check)."""
    columns = [str(r[1]) for r in con.execute("PRAGMA table_info(story)")]
    con.execute("DROP TABLE story")
    select = ", ".join(f"'x' AS \"{c}\"" for c in columns)
    con.execute(
        "CREATE VIEW story AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        f"SELECT {select} FROM n"
    )


def _leaking_trigger(con: sqlite3.Connection) -> None:
    """Scenario 19: renaming a person copies their private notes into a public field."""
    con.execute(
        "CREATE TRIGGER leak AFTER UPDATE OF name ON person BEGIN "
        "UPDATE person SET role = notes WHERE id = NEW.id; END"
    )


#: name → (the change, the problem it must raise, words its sentence must contain)
@dataclass(frozen=True)
class Bad:
    change: Callable[[sqlite3.Connection], None]
    problem: type[UntrustedContent]
    words: str


def _sql(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def run(con: sqlite3.Connection) -> None:
        for statement in statements:
            con.execute(statement)

    return run


FIRST = "(SELECT min(rowid) FROM {t})"

CORPUS: dict[str, Bad] = {
    # 15: an unknown enum value, merged, would make every later read raise.
    "enum": Bad(
        _sql(
            f"UPDATE initiative SET stage = 'launch' WHERE rowid = {FIRST.format(t='initiative')}"
        ),
        InvalidContent,
        "“stage” field of an initiative",
    ),
    # 16: malformed stamps raise on every sync run.
    "stamp": Bad(
        _sql(
            'UPDATE backlog_item SET stamps = \'{"*":"not a clock stamp"}\' '
            f"WHERE rowid = {FIRST.format(t='backlog_item')}"
        ),
        InvalidContent,
        "edit history in a backlog item",
    ),
    "stamp_json": Bad(
        _sql(f"UPDATE metric SET stamps = '{{*: oops' WHERE rowid = {FIRST.format(t='metric')}"),
        InvalidContent,
        "edit history in a metric",
    ),
    "stamp_entry": Bad(
        _sql(
            "UPDATE person SET stamps = json_set(stamps, '$.name', 'XYZ') "
            f"WHERE rowid = {FIRST.format(t='person')}"
        ),
        InvalidContent,
        "edit history in a person",
    ),
    # 14 and 18: stamps from the far future beat every later edit; at the limit they overflow.
    "future_tombstones": Bad(_tombstones_from_2100, FutureStamps, "in the future"),
    "future_value": Bad(_pinned_value, FutureStamps, "in the future"),
    "stamp_at_limit": Bad(_stamp_at_the_limit, FutureStamps, "clock set wrong"),
    # 20: a garbage meta clock.
    "clock": Bad(
        _sql("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', 'half past nine')"),
        InvalidContent,
        "unreadable clock record",
    ),
    "clock_future": Bad(
        _sql(f"INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', '{YEAR_2100}')"),
        FutureStamps,
        "1 change dated up to",
    ),
    # 19: triggers; 17: views.
    "trigger": Bad(_leaking_trigger, UnexpectedSchema, "trigger named “leak”"),
    "view": Bad(_recursive_view, UnexpectedSchema, "a view named “story”"),
    "extra_view": Bad(
        _sql("CREATE VIEW everyone AS SELECT name, notes FROM person"),
        UnexpectedSchema,
        "a view named “everyone”",
    ),
    # Values of the wrong type or form.
    "date": Bad(
        _sql(
            "UPDATE measurement SET \"on\" = '2025-02-30' "
            f"WHERE rowid = {FIRST.format(t='measurement')}"
        ),
        InvalidContent,
        "“on” field of a measurement",
    ),
    "flag": Bad(
        _sql(f"UPDATE initiative SET archived = 2 WHERE rowid = {FIRST.format(t='initiative')}"),
        InvalidContent,
        "“archived” field",
    ),
    "blob_text": Bad(
        _sql(f"UPDATE person SET name = x'00ff' WHERE rowid = {FIRST.format(t='person')}"),
        InvalidContent,
        "“name” field of a person",
    ),
    "bad_utf8": Bad(
        _sql(
            "UPDATE person SET notes = CAST(x'41ff42' AS TEXT) "
            f"WHERE rowid = {FIRST.format(t='person')}"
        ),
        InvalidContent,
        "unreadable text in a person",
    ),
    "blob_id": Bad(_sql("UPDATE workspace SET id = x'0500'"), InvalidContent, "“id” field"),
    "rank": Bad(
        _sql(f"UPDATE backlog_item SET rank = '' WHERE rowid = {FIRST.format(t='backlog_item')}"),
        InvalidContent,
        "“rank” field of a backlog item",
    ),
    "deleted": Bad(
        _sql(f"UPDATE segment SET deleted = 'yes' WHERE rowid = {FIRST.format(t='segment')}"),
        InvalidContent,
        "“deleted” field of a segment",
    ),
    # Schema changes a file of this version never has.
    "extra_table": Bad(
        _sql("CREATE TABLE notes_copy (id TEXT, notes TEXT)"),
        InvalidContent,
        "has an unexpected table “notes_copy”",
    ),
    "extra_column": Bad(
        _sql("ALTER TABLE person ADD COLUMN salary REAL"),
        InvalidContent,
        "has an unexpected column “salary”",
    ),
    "missing_table": Bad(_sql("DROP TABLE device"), InvalidContent, "lacks the “device” table"),
    "expression_index": Bad(
        _sql("CREATE INDEX ix_person_lower ON person (lower(name))"),
        UnexpectedSchema,
        "unusual index “ix_person_lower”",
    ),
}

#: The cases an opened document may still open with (its stamps are clamped in the working
#: copy); replicas and ``ldpm check`` refuse them.
FUTURE = frozenset(name for name, bad in CORPUS.items() if bad.problem is FutureStamps)


def make_bad(good: Path, target: Path, name: str) -> Path:
    """A copy of ``good`` at ``target`` with the change ``name`` of :data:`CORPUS`, sealed."""
    shutil.copyfile(good, target)
    con = sqlite3.connect(target)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        with con:
            CORPUS[name].change(con)
    finally:
        con.close()
    reseal(target)
    return target


def make_corpus(good: Path, folder: Path) -> dict[str, Path]:
    """Every file of :data:`CORPUS` in ``folder`` (named after its case)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make_bad(good, folder / f"{name}.ldpm", name) for name in CORPUS}
