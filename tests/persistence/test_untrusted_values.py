"""Untrusted files, continued: stored values over a field's limit are reported, not refused,
and the row stays editable (scenario 38); the forms that validation checks in bulk, at their
edges."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from ldpm.domain.entities import BacklogItem, Entity, Experiment, Person
from ldpm.domain.validation import MAX_TEXT, ValidationError
from ldpm.persistence import schema
from ldpm.persistence.content import OverLimit
from ldpm.persistence.content_values import SPACE_RUNS
from ldpm.persistence.document import Document
from ldpm.persistence.fileformat import InvalidContent, inspect_file
from tests.conftest import DEVICE
from tests.domain.test_entities import RULES
from tests.persistence.badfiles import ELSEWHERE, first_id, reseal


def open_doc(path: Path, work: dict[str, Path]) -> Document:
    return Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE)


# ------------------------------------------------------------------ over-limit values (38)


def set_value(path: Path, table: str, field: str, value: Any) -> str:
    """Store ``value`` in ``field`` of the first row of ``table`` and seal; returns its id."""
    con = sqlite3.connect(path)
    row_id = first_id(con, table)
    with con:
        con.execute(f'UPDATE "{table}" SET "{field}" = ? WHERE id = ?', (value, row_id))
    con.close()
    reseal(path)
    return row_id


def test_an_over_limit_value_is_reported_and_the_row_stays_editable(
    demo_path: Path, work: dict[str, Path]
) -> None:
    """Scenario 38: written by another tool or an older version, the long description does
    not keep the user from renaming the item."""
    doc_path = work["docs"] / "Long.ldpm"
    shutil.copyfile(demo_path, doc_path)
    long_text = "x" * (MAX_TEXT + 1)
    item_id = set_value(doc_path, "backlog_item", "description", long_text)
    info = inspect_file(doc_path)
    assert info is not None
    [found] = info.over_limit
    assert found == OverLimit(
        "backlog_item",
        item_id,
        "description",
        "The description is too long: keep it to 20,000 characters or fewer.",
    )

    doc = open_doc(doc_path, work)
    try:
        with doc.store.transaction() as tx:
            tx.update(BacklogItem, item_id, {"title": "Renamed despite the long description"})
        with pytest.raises(ValidationError) as refused, doc.store.transaction() as tx:
            tx.update(BacklogItem, item_id, {"description": long_text + "y"})
        assert refused.value.field == "description"
        with doc.store.transaction() as tx:
            tx.update(BacklogItem, item_id, {"description": "Short again."})
            item = tx.get(BacklogItem, item_id)
        assert item is not None and item.title == "Renamed despite the long description"
    finally:
        doc.close(discard_unsaved=True)


@pytest.mark.parametrize(
    ("cls", "name", "bad", "field", "words"),
    [r for r in RULES if r[2] == r[2]],  # NaN cannot be stored: SQLite keeps it as NULL
    ids=[f"{r[0].__name__}.{r[1]}={str(r[2])[:12]}" for r in RULES if r[2] == r[2]],
)
def test_every_rule_finds_its_stored_violations(
    tmp_path: Path,
    demo_path: Path,
    cls: type[Entity],
    name: str,
    bad: Any,
    field: str,
    words: str,
) -> None:
    """The SQL forms of the rules find what the rules themselves refuse, and no more."""
    path = tmp_path / "rule.ldpm"
    shutil.copyfile(demo_path, path)
    table = schema.TABLES[cls].name
    row_id = set_value(path, table, name, bad)
    info = inspect_file(path)
    assert info is not None
    assert [(o.table, o.row_id, o.field) for o in info.over_limit] == [(table, row_id, field)]
    assert words in info.over_limit[0].message


def test_an_experiment_that_ends_before_it_starts_is_reported(
    tmp_path: Path, demo_path: Path
) -> None:
    path = tmp_path / "rule.ldpm"
    shutil.copyfile(demo_path, path)
    con = sqlite3.connect(path)
    row_id = first_id(con, "experiment")
    with con:
        con.execute(
            "UPDATE experiment SET start='2025-05-02', \"end\"='2025-05-01' WHERE id=?", (row_id,)
        )
    con.close()
    reseal(path)
    info = inspect_file(path)
    assert info is not None
    assert [(o.table, o.row_id, o.field) for o in info.over_limit] == [
        ("experiment", row_id, "end")
    ]
    assert Experiment.RULES  # the rule is the domain's, not a copy


def test_the_white_space_searched_for_is_what_str_isspace_says() -> None:
    """The runs of white space the SQL checks use are every code point ``str.isspace`` (and
    so ``str.strip``) treats as space, asked one by one."""
    runs: list[tuple[int, int]] = []
    for n in range(sys.maxunicode + 1):
        if chr(n).isspace():
            if runs and runs[-1][1] == n - 1:
                runs[-1] = (runs[-1][0], n)
            else:
                runs.append((n, n))
    assert tuple(runs) == SPACE_RUNS


def test_a_blank_name_of_unusual_whitespace_is_found(tmp_path: Path, demo_path: Path) -> None:
    path = tmp_path / "blank.ldpm"
    shutil.copyfile(demo_path, path)
    row_id = set_value(path, "person", "name", "\u3000\u2028\t")
    info = inspect_file(path)
    assert info is not None
    assert [(o.table, o.row_id, o.field) for o in info.over_limit] == [("person", row_id, "name")]
    assert Person(name="\u3000\u2028\t").RULES  # validate() refuses it too:
    with pytest.raises(ValidationError):
        Person(name="\u3000\u2028\t").validate()


# ------------------------------------------------------------- forms checked in bulk (edges)

STAMP = "0190000000000000" + ELSEWHERE  # a well-formed stamp in 2024


def stamps(**entries: object) -> str:
    """``stamps`` JSON as LDPM writes it; ``star`` stands for the ``"*"`` key."""
    return json.dumps(
        {("*" if k == "star" else k.replace("base_", "^")): v for k, v in entries.items()},
        separators=(",", ":"),
    )


OK_STAMPS = [
    stamps(star=STAMP),
    stamps(star=STAMP, base_name=STAMP, name=STAMP),
    stamps(star=STAMP[:16] + "ab"),  # a shorter device id: not the common width
    stamps(name=STAMP, star=STAMP),  # keys in another order: still the same JSON
    stamps(star=STAMP)[:-1] + " }",  # white space: still JSON
]
BAD_STAMPS = [
    stamps(star=STAMP.upper()),
    stamps(star=STAMP[:16]),  # no device
    stamps(star=STAMP + "0" * 65),  # a device id too long
    stamps(star=STAMP + "\n"),
    stamps(name=STAMP),  # no "*"
    stamps(star=STAMP, name=5),
    stamps(star=STAMP, name=STAMP + "\n"),
    json.dumps([STAMP]),
    stamps(star=STAMP)[:-1],  # not JSON
    "",
]


@pytest.mark.parametrize(
    ("table", "column", "value", "ok"),
    [
        ("backlog_item", "rank", "a1", True),
        ("backlog_item", "rank", "a0", False),
        ("backlog_item", "rank", "a-b", False),
        ("backlog_item", "rank", "é", False),
        ("measurement", "on", "2024-02-29", True),
        ("measurement", "on", "2023-02-29", False),
        ("measurement", "on", "0000-01-01", False),
        ("measurement", "on", "20240101", False),
        ("measurement", "on", "2024-01-01,2024-01-02", False),
        ("measurement", "on", "2024-01-01 ", False),
        ("experiment", "start", None, True),
        ("initiative", "stage", "Pilot", False),
        ("initiative", "problem_baseline", "12", True),  # REAL affinity: stored as 12.0
        ("initiative", "problem_baseline", "twelve", False),
        ("segment", "size", 3.5, False),
        ("person", "name", "Zoë Ångström ✓", True),
        *(("person", "stamps", stamps, True) for stamps in OK_STAMPS),
        *(("person", "stamps", stamps, False) for stamps in BAD_STAMPS),
    ],
)
def test_forms_checked_in_bulk(
    tmp_path: Path, demo_path: Path, table: str, column: str, value: Any, ok: bool
) -> None:
    path = tmp_path / "edge.ldpm"
    shutil.copyfile(demo_path, path)
    set_value(path, table, column, value)
    if ok:
        assert inspect_file(path) is not None
    else:
        with pytest.raises(InvalidContent):
            inspect_file(path)


def test_opening_says_when_a_value_is_over_its_limit(
    demo_path: Path, work: dict[str, Path]
) -> None:
    doc_path = work["docs"] / "Long.ldpm"
    shutil.copyfile(demo_path, doc_path)
    set_value(doc_path, "backlog_item", "description", "x" * (MAX_TEXT + 1))
    doc = open_doc(doc_path, work)
    try:
        [note] = doc.notes
        assert note.startswith("The description is too long")
        assert "backlog item description" in note and "shorten it" in note
        assert not doc.unsaved  # nothing was changed: it is only said
    finally:
        doc.close(discard_unsaved=True)


def test_a_document_with_future_stamps_opens_and_they_are_dated_today(
    demo_path: Path, work: dict[str, Path]
) -> None:
    """Scenario 14 for the user's own file: a computer with a clock years ahead saved it.
    It opens (a replica like it would be set aside), the stamps are brought back to the
    trusted bound in the working copy, the user is told, and a later undelete wins again."""
    from ldpm.persistence.hlc import latest_trusted_ms, parse_stamp
    from tests.persistence.badfiles import make_bad

    bad = make_bad(demo_path, work["docs"] / "Ahead.ldpm", "future_tombstones")
    doc = open_doc(bad, work)
    try:
        [note] = doc.notes
        assert "in the future" in note and "dated them today" in note
        assert doc.unsaved  # the corrected dates must reach the file
        con = sqlite3.connect(doc.working_path)
        try:
            stamps = [
                json.loads(s)
                for (s,) in con.execute("SELECT stamps FROM backlog_item WHERE deleted=1")
            ]
        finally:
            con.close()
        bound = latest_trusted_ms()
        assert stamps and all(
            parse_stamp(v)[0] <= bound for s in stamps for k, v in s.items() if k == "deleted"
        )
        with doc.store.transaction() as tx:
            [item] = tx.list(BacklogItem, include_deleted=True, order_by=("id",))[:1]
            tx.set_deleted(BacklogItem, item.id, False)  # the user brings one back
            assert tx.get(BacklogItem, item.id) is not None
    finally:
        doc.close(discard_unsaved=True)
