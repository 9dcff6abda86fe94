"""Files from elsewhere are untrusted input: semantic validation on open and ``inspect_file``.

The corpus (:mod:`tests.persistence.badfiles`) holds sealed, intact files with one semantic
change each; every one must be refused with a sentence, the file left as it was, and no working
copy made.  Future stamps are refused too, unless the caller asks for them to be reported (an
opened document), and :func:`clamp_future_stamps` then brings them back to the bound.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from ldpm.domain.entities import BacklogItem
from ldpm.persistence import content, content_values, schema
from ldpm.persistence.content import clamp_future_stamps
from ldpm.persistence.document import Document
from ldpm.persistence.fileformat import (
    MAX_FILE_SIZE,
    SCHEMA_VERSION,
    ChecksumMismatch,
    FileTooLarge,
    FutureStamps,
    InvalidContent,
    TooManyRows,
    UnexpectedSchema,
    UntrustedContent,
    connect_readonly,
    inspect_file,
    verify_seal,
)
from ldpm.persistence.hlc import MAX_FUTURE_MS, HybridClock, latest_trusted_ms, parse_stamp
from ldpm.persistence.store import Store
from ldpm.sync.merge import merge_replica
from tests.conftest import DEVICE
from tests.persistence.badfiles import (
    CORPUS,
    ELSEWHERE,
    FUTURE,
    first_id,
    make_bad,
    reseal,
)
from tests.persistence.test_bad_input import one_sentence

REFUSED = sorted(set(CORPUS) - FUTURE)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def open_doc(path: Path, work: dict[str, Path]) -> Document:
    return Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE)


def structurally_sound(path: Path) -> bool:
    """What the checks before semantic validation see: an intact, sealed database."""
    con = connect_readonly(path)
    try:
        ok = con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        checksum = con.execute("SELECT value FROM meta WHERE key='content_checksum'").fetchone()
    finally:
        con.close()
    return ok and verify_seal(path, str(checksum[0]))


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_inspect_refuses_every_bad_file_with_a_sentence(
    tmp_path: Path, demo_path: Path, case: str
) -> None:
    bad = make_bad(demo_path, tmp_path / f"{case}.ldpm", case)
    assert structurally_sound(bad)  # only semantic validation can catch it
    before = digest(bad)
    expected = CORPUS[case]
    with pytest.raises(expected.problem) as info:
        inspect_file(bad)
    problem = info.value
    one_sentence(problem.sentence)
    assert problem.sentence.startswith(f"“{bad.name}” ")
    assert expected.words in problem.sentence
    assert problem.path == bad
    assert problem.reason in problem.sentence and bad.name not in problem.reason
    assert "tampered with" in problem.sentence or "another program" in problem.sentence
    assert digest(bad) == before


@pytest.mark.parametrize("case", REFUSED)
def test_open_refuses_every_bad_file_and_leaves_it_alone(
    tmp_path: Path, demo_path: Path, work: dict[str, Path], case: str
) -> None:
    bad = make_bad(demo_path, work["docs"] / f"{case}.ldpm", case)
    before = digest(bad)
    with pytest.raises(CORPUS[case].problem) as info:
        open_doc(bad, work)
    assert CORPUS[case].words in info.value.sentence
    assert digest(bad) == before
    assert list(work["work"].iterdir()) == []  # no working copy, nothing left behind
    assert sorted(p.name for p in bad.parent.iterdir()) == sorted(
        p.name for p in bad.parent.iterdir() if not p.name.endswith("-journal")
    )


def test_a_file_with_a_trigger_is_never_opened_so_the_trigger_never_fires(
    tmp_path: Path, demo_path: Path, work: dict[str, Path]
) -> None:
    """Scenario 19: the trigger copies a person's private notes into a public field when the
    person is renamed.  The file is refused, so it never becomes a working copy."""
    bad = make_bad(demo_path, work["docs"] / "Shared.ldpm", "trigger")
    # The trigger really leaks (in a scratch copy): the test is not vacuous.
    scratch = tmp_path / "scratch.ldpm"
    shutil.copyfile(bad, scratch)
    con = sqlite3.connect(scratch)
    with con:
        con.execute("UPDATE person SET notes = 'Private: on leave' WHERE rowid = 1")
        con.execute("UPDATE person SET name = name || ' (renamed)' WHERE rowid = 1")
    assert con.execute("SELECT role FROM person WHERE rowid = 1").fetchone()[0] == (
        "Private: on leave"
    )
    con.close()

    before = digest(bad)
    with pytest.raises(UnexpectedSchema) as info:
        open_doc(bad, work)
    assert "trigger" in info.value.sentence
    assert digest(bad) == before
    assert list(work["work"].iterdir()) == []


def test_a_table_replaced_by_a_recursive_view_passes_quick_check_but_is_refused(
    tmp_path: Path, demo_path: Path
) -> None:
    """Scenario 17: reading the view would never end."""
    bad = make_bad(demo_path, tmp_path / "view.ldpm", "view")
    con = connect_readonly(bad)
    assert con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    con.close()
    with pytest.raises(UnexpectedSchema, match="view named “story”"):
        inspect_file(bad)


def test_a_garbage_clock_is_a_sentence_in_check_and_open(
    tmp_path: Path, demo_path: Path, work: dict[str, Path]
) -> None:
    """Scenario 20: the same one sentence, not an internal error on open."""
    bad = make_bad(demo_path, work["docs"] / "Clock.ldpm", "clock")
    with pytest.raises(InvalidContent) as checked:
        inspect_file(bad)
    with pytest.raises(InvalidContent) as opened:
        open_doc(bad, work)
    assert checked.value.sentence == opened.value.sentence
    assert "clock record" in opened.value.sentence


# ------------------------------------------------------------------------ future stamps


@pytest.mark.parametrize("case", sorted(FUTURE))
def test_future_stamps_can_be_reported_instead_of_refused(
    tmp_path: Path, demo_path: Path, case: str
) -> None:
    bad = make_bad(demo_path, tmp_path / f"{case}.ldpm", case)
    with pytest.raises(FutureStamps):
        inspect_file(bad)
    info = inspect_file(bad, future_stamps="report")
    assert info is not None and info.future_stamps > 0


def test_clamping_brings_every_future_stamp_to_the_bound(tmp_path: Path, demo_path: Path) -> None:
    bad = make_bad(demo_path, tmp_path / "future.ldpm", "future_tombstones")
    con = sqlite3.connect(bad)
    with con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", ("f" * 16 + "ab",))
    items = con.execute("SELECT count(*) FROM backlog_item").fetchone()[0]
    con.close()
    reseal(bad)
    wall = now_ms()
    info = inspect_file(bad, future_stamps="report", wall_ms=wall)
    assert info is not None and info.future_stamps == items + 1

    working = tmp_path / "working.db"
    shutil.copyfile(bad, working)
    assert clamp_future_stamps(working, wall_ms=wall) == items + 1
    assert clamp_future_stamps(working, wall_ms=wall) == 0  # nothing left to clamp
    bound = latest_trusted_ms(wall)
    con = sqlite3.connect(working)
    stamps = [json.loads(s) for (s,) in con.execute("SELECT stamps FROM backlog_item")]
    hlc = con.execute("SELECT value FROM meta WHERE key='hlc'").fetchone()[0]
    con.close()
    assert all(content.well_formed(s) for row in stamps for s in row.values())
    assert {parse_stamp(row["deleted"])[0] for row in stamps} == {bound}
    assert {parse_stamp(row["deleted"])[2] for row in stamps} == {ELSEWHERE}  # who wrote it
    assert parse_stamp(hlc)[0] == bound
    assert all(parse_stamp(row["*"])[0] < wall for row in stamps)  # the rest untouched
    reseal(working)
    checked = inspect_file(working, wall_ms=wall)
    assert checked is not None and checked.future_stamps == 0


def test_a_clamped_tombstone_no_longer_beats_a_later_undelete(
    tmp_path: Path, demo_path: Path
) -> None:
    """Scenario 14: before, a tombstone from 2100 beat every undelete, on every device."""
    bad = make_bad(demo_path, tmp_path / "future.ldpm", "future_tombstones")
    wall = now_ms()
    theirs = tmp_path / "theirs.db"  # the colleague's copy, clamped when it was opened
    shutil.copyfile(bad, theirs)
    clamp_future_stamps(theirs, wall_ms=wall)
    mine = tmp_path / "mine.db"
    shutil.copyfile(theirs, mine)
    con = sqlite3.connect(mine)
    item_id = first_id(con, "backlog_item")
    con.close()
    # Two days later, I bring the item back.
    later = HybridClock(DEVICE, wall=lambda: wall + 2 * MAX_FUTURE_MS)
    store = Store(mine, later)
    try:
        with store.transaction() as tx:
            assert tx.set_deleted(BacklogItem, item_id, False)
    finally:
        store.dispose()
    merge_replica(mine, theirs)
    con = sqlite3.connect(mine)
    deleted = con.execute("SELECT deleted FROM backlog_item WHERE id=?", (item_id,)).fetchone()
    con.close()
    assert deleted == (0,)


# ------------------------------------------------------------------------- good files


def test_the_demo_passes_with_nothing_to_report(demo_path: Path) -> None:
    info = inspect_file(demo_path)
    assert info is not None
    assert info.future_stamps == 0 and info.over_limit == ()


#: The schema version of a "newer" file in these tests: one this version may still read.
NEWER = SCHEMA_VERSION + 1


def make_newer(source: Path, target: Path, *statements: str) -> Path:
    """A file of a newer schema that this version may still read (min_reader allows it)."""
    shutil.copyfile(source, target)
    con = sqlite3.connect(target)
    with con:
        for statement in statements:
            con.execute(statement)
        con.execute("UPDATE meta SET value=? WHERE key='format_version'", (str(NEWER),))
        con.execute(f"PRAGMA user_version={NEWER}")
    con.close()
    reseal(target)
    return target


def test_a_newer_schema_may_add_plain_tables_and_columns(tmp_path: Path, demo_path: Path) -> None:
    newer = make_newer(
        demo_path,
        tmp_path / "newer.ldpm",
        "CREATE TABLE badge (id TEXT PRIMARY KEY, person_id TEXT, label TEXT NOT NULL)",
        "CREATE INDEX ix_badge_person_id ON badge (person_id)",
        "ALTER TABLE person ADD COLUMN pronouns TEXT",
        "ALTER TABLE initiative ADD COLUMN budget REAL NOT NULL DEFAULT 0",
    )
    info = inspect_file(newer)
    assert info is not None and info.schema_version == NEWER


def test_a_newer_format_version_alone_also_allows_its_tables(
    tmp_path: Path, demo_path: Path
) -> None:
    """A working copy of a newer file, saved by this version, keeps the newer format_version
    (never lowered) while SQLite's user_version may be this version's."""
    newer = make_newer(demo_path, tmp_path / "newer.ldpm", "CREATE TABLE badge (id TEXT)")
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    con.close()
    reseal(newer)
    assert inspect_file(newer) is not None
    con = sqlite3.connect(newer)
    with con:
        con.execute("UPDATE meta SET value=? WHERE key='format_version'", (str(SCHEMA_VERSION),))
    con.close()
    reseal(newer)
    with pytest.raises(InvalidContent, match="unexpected table “badge”"):
        inspect_file(newer)


def rewrite_schema(path: Path, table: str, old: str, new: str) -> None:
    """Rebuild ``table`` with ``old`` replaced by ``new`` in its SQL (what ALTER TABLE will
    not do), keeping its rows."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    with con:
        con.execute(sql.replace(old, new).replace(f"TABLE {table}", "TABLE rebuilt", 1))
        columns = [str(r[1]) for r in con.execute(f"PRAGMA table_info({table})")]
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO rebuilt ({names}) SELECT {names} FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE rebuilt RENAME TO {table}")
    con.close()
    reseal(path)


def edit_schema(path: Path, table: str, old: str, new: str) -> None:
    """Edit the SQL of ``table`` in place, as SQLite refuses to (a collation it lacks)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema=ON")
    with con:
        con.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?", (old, new, table)
        )
    con.close()
    reseal(path)


@pytest.mark.parametrize(
    ("statement", "rewrite", "words"),
    [
        (
            "ALTER TABLE person ADD COLUMN pronouns TEXT NOT NULL DEFAULT 'x'",
            ("person", "DEFAULT 'x'", "DEFAULT (lower('x'))"),
            "“pronouns”",
        ),
        ("ALTER TABLE person ADD COLUMN badge TEXT NOT NULL DEFAULT 'x'", None, None),
        ("CREATE TABLE badge (id TEXT, label TEXT CHECK (length(label) < 5))", None, "check"),
        ("CREATE VIEW badges AS SELECT 1", None, "a view named “badges”"),
        ("CREATE TRIGGER t AFTER INSERT ON person BEGIN SELECT 1; END", None, "trigger named “t”"),
        ("CREATE UNIQUE INDEX ix_person_email ON person (email)", None, "“ix_person_email”"),
        (
            "CREATE TABLE badge (id TEXT, label TEXT)",
            ("badge", "label TEXT", "label TEXT COLLATE klingon"),
            "unknown sort order",
        ),
        (
            "ALTER TABLE person ADD COLUMN shout TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL",
            None,
            "unexpected column “shout”",
        ),
    ],
)
def test_a_newer_schema_still_gets_no_code_of_its_own(
    tmp_path: Path,
    demo_path: Path,
    statement: str,
    rewrite: tuple[str, str, str] | None,
    words: str | None,
) -> None:
    newer = make_newer(demo_path, tmp_path / "newer.ldpm", statement)
    if rewrite is not None and "klingon" in rewrite[2]:
        edit_schema(newer, *rewrite)
    elif rewrite is not None:
        rewrite_schema(newer, *rewrite)
    if words is None:  # the control: a plain column with a literal default is fine
        assert inspect_file(newer) is not None
        return
    with pytest.raises(UntrustedContent) as info:
        inspect_file(newer)
    assert words in info.value.sentence


# -------------------------------------------------------------------------- size and rows


def test_a_file_far_beyond_any_project_is_refused_before_it_is_copied(
    demo_path: Path, work: dict[str, Path]
) -> None:
    """Scenario 40: a 1 GiB+ file (sparse here) is refused at once, never copied."""
    huge = work["docs"] / "Huge.ldpm"
    shutil.copyfile(demo_path, huge)
    with huge.open("r+b") as fh:
        fh.truncate(MAX_FILE_SIZE + 4096)
    with pytest.raises(FileTooLarge) as info:
        open_doc(huge, work)
    one_sentence(info.value.sentence)
    assert "1.1 GB" in info.value.sentence and "Huge.ldpm" in info.value.sentence
    assert list(work["work"].iterdir()) == []
    assert huge.stat().st_size == MAX_FILE_SIZE + 4096
    with pytest.raises(FileTooLarge):
        inspect_file(huge, header_only=True)


def test_more_rows_than_any_project_are_refused(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = sqlite3.connect(demo_path)
    counts = {
        t.name: con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
        for t in schema.TABLES.values()
    }
    con.close()
    largest = max(counts, key=lambda t: counts[t])
    monkeypatch.setattr(content_values, "MAX_ROWS", counts[largest] - 1)
    with pytest.raises(TooManyRows) as info:
        inspect_file(demo_path)
    one_sentence(info.value.sentence)
    assert f"{counts[largest]:,} {largest.replace('_', ' ')} entries" in info.value.sentence
    monkeypatch.setattr(content_values, "MAX_ROWS", counts[largest])
    inspect_file(demo_path)


def test_a_structural_problem_is_reported_before_the_content(
    tmp_path: Path, demo_path: Path
) -> None:
    """The content is checked on a thread of its own while the seal is checked; the order of
    the sentences stays the documented one (a file changed after saving says so)."""
    bad = make_bad(demo_path, tmp_path / "enum.ldpm", "enum")
    con = sqlite3.connect(bad)
    with con:
        con.execute("UPDATE person SET role = role || ' (edited elsewhere)'")
    con.close()
    with pytest.raises(ChecksumMismatch):
        inspect_file(bad)
    assert "ldpm-validate" not in {t.name for t in threading.enumerate()}  # stopped, joined
