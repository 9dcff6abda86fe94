"""Semantic validation of a project database that comes from elsewhere.

SQLite's ``quick_check`` and ``foreign_key_check`` and LDPM's seal say that a file is an intact
database that was sealed; they do not say that its *content* is safe for this version to use.
An opened file or a replica may come from a buggy or newer LDPM, a computer with a wrong clock,
another program, or someone hostile.  :func:`~ldpm.persistence.fileformat.inspect_file` runs
these checks, reading only, on every open, replica and ``ldpm check``:

1. :func:`check_schema_objects`, before any table is read (see :mod:`content_schema`): no
   triggers, views or virtual tables; indexes only on tables.
2. :func:`check_tables`: every table this version knows is there (unless the file's schema
   predates it) with the expected columns (affinity, NOT NULL, primary key) and foreign keys;
   no CHECK constraints, generated columns, unknown collations, or partial, unique or
   expression indexes.  A file of a newer schema that this version may still read can have
   extra tables, and extra columns that are nullable or have a literal default.
3. :func:`check_values`: one SQL pass per table with aggregated ``CASE`` expressions: the
   storage type of every value (NOT NULL-ness is ``quick_check``'s, once the declarations
   match; foreign keys are tied to ids by ``foreign_key_check``), enum values, ISO dates,
   0/1 flags, rank keys, valid UTF-8, and ``stamps`` — a JSON object of well-formed stamps
   with a ``"*"`` entry, none later than :func:`~ldpm.persistence.hlc.latest_trusted_ms` —
   and the row count (at most :data:`MAX_ROWS`).  The stamps of a table are fetched as one
   string and checked in bulk when every row has the common one-entry form ``{"*":"…"}``;
   otherwise one-entry rows are checked with ``GLOB`` and the others entry by entry with
   ``json_each``.  A failed pass is repeated column by column only to name the culprit.
4. :func:`check_clock`: the ``meta`` clock (``hlc``) is well-formed (absent is fine).

Each failure raises an :class:`~ldpm.persistence.problems.UntrustedContent` with a sentence.
Two findings are returned for the caller to report rather than refuse (:class:`Findings`):
stored values that break a domain rule (a description over its limit, written by another tool
or an older version) — found with SQL forms of the entities' own ``RULES`` and confirmed by
running the rule — and the stamps beyond the bound, which ``inspect_file`` refuses unless
asked to report them, so that an opened document can still open and have them brought back to
the bound in its working copy by :func:`clamp_future_stamps`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from ldpm.domain.entities import Entity
from ldpm.domain.ranking import DIGITS
from ldpm.domain.validation import (
    MAX_NAME,
    MAX_TEXT,
    Finite,
    Name,
    NonNegative,
    OneOf,
    Ordered,
    Positive,
    Range,
    Rule,
    Text,
    ValidationError,
)
from ldpm.persistence import schema
from ldpm.persistence.content_schema import (
    a_thing,
    check_schema_objects,
    check_tables,
    refuse_values,
)
from ldpm.persistence.hlc import (
    COUNTER_WIDTH,
    MS_WIDTH,
    STAMP_PATTERN,
    format_stamp,
    latest_trusted_ms,
    parse_stamp,
    stamp_ms_hex,
)
from ldpm.persistence.problems import FutureStamps, TooManyRows
from ldpm.persistence.store import dump_stamps, from_row

__all__ = [
    "MAX_ROWS",
    "Findings",
    "OverLimit",
    "check_clock",
    "check_schema_objects",
    "check_tables",
    "check_values",
    "clamp_future_stamps",
    "future_problem",
    "well_formed",
]

#: The most rows one table may hold.  The large benchmark workspace — already far beyond a
#: real L&D team's portfolio (50 initiatives, 10,000 backlog items) — has 100,000
#: measurements in its largest table (60 metrics measured weekly for 30 years); ten times
#: that is room for any real project, while a file with more was made by a program and would
#: make every merge, view and save of it slow.
MAX_ROWS = 1_000_000
#: How many candidate rows of one rule are examined for :attr:`Findings.over_limit`.
MAX_LISTED = 1000
#: Characters Python's ``str.strip()`` removes (for the SQL form of "needs a name").
_WHITESPACE = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())
_STAMP_MIN = MS_WIDTH + COUNTER_WIDTH + 1
_STAMP_MAX = MS_WIDTH + COUNTER_WIDTH + 64
_HEX = b"0123456789abcdef"


class OverLimit(NamedTuple):
    """A stored value that breaks a rule of its field (reported, never refused)."""

    table: str
    row_id: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Findings:
    """What the value checks leave to the caller: stamps beyond the bound (how many, and the
    latest of them), and stored values that break a rule of their field."""

    future_stamps: int = 0
    latest_future: str = ""
    over_limit: tuple[OverLimit, ...] = ()


def _span(ms: int) -> str:
    days = ms / 86_400_000
    if days < 2:
        return f"{max(1, round(ms / 3_600_000))} hours"
    if days < 60:
        return f"{round(days)} days"
    if days < 730:
        return f"{round(days / 30.44)} months"
    return f"{round(days / 365.25):,} years"


def future_problem(name: str, count: int, latest: str, wall_ms: int) -> FutureStamps:
    """The problem of ``count`` stamps up to the stamp ``latest``, ahead of ``wall_ms``."""
    changes = f"{count:,} change{'s' if count != 1 else ''}"
    reason = (
        f"holds {changes} dated up to {_span(parse_stamp(latest)[0] - wall_ms)} in the "
        "future, so the computer that wrote it has its clock set wrong, or the file was "
        "tampered with"
    )
    return FutureStamps(
        f"{name} {reason}. LDPM will not use it; set that computer's date and time right, "
        "then save or sync from it again.",
        reason=reason,
    )


# ---------------------------------------------------------------------------- SQL pieces


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _type_ok(spec: schema.FieldSpec) -> str | None:
    """A SQL condition that holds when a stored value can be decoded as ``spec`` says (None:
    nothing to check — a foreign key equals an id of its parent table)."""
    c, kind = _q(spec.name), spec.kind
    if spec.name in schema.FOREIGN_KEYS:
        return None
    if spec.name == "rank":
        ok = (
            f"typeof({c}) = 'text' AND {c} != '' AND {c} NOT GLOB '*[^{DIGITS}]*' "
            f"AND {c} NOT GLOB '*0'"
        )
    elif kind is bool:
        ok = f"{c} IN (0, 1)"
    elif kind is int:
        ok = f"typeof({c}) = 'integer'"
    elif kind is float:
        ok = f"typeof({c}) IN ('real', 'integer')"
    elif kind is date:
        # date() checks the form and month and day ranges; '+0 days' normalises 30 February.
        ok = (
            f"date({c}) IS {c} AND {c} >= '0001' "
            f"AND (substr({c}, 9) < '29' OR date({c}, '+0 days') IS {c})"
        )
    elif isinstance(kind, type) and issubclass(kind, Enum):
        ok = f"{c} IN ({', '.join(_sql_str(str(m.value)) for m in kind)})"
    else:
        ok = f"typeof({c}) = 'text'"
    return f"{c} IS NULL OR ({ok})" if spec.optional else ok


#: ``stamps`` in its common form, one entry: ``{"*":"<stamp>"}``.
_ONE_ENTRY = "stamps GLOB '{\"[*]\":\"*\"}' AND instr(stamps, ',') = 0"
_STAMPS_SHAPE = (
    "typeof(stamps) = 'text' AND CASE WHEN json_valid(stamps) THEN "
    "json_type(stamps) = 'object' AND json_type(stamps, '$.\"*\"') IS 'text' ELSE 0 END"
)
_ENTRY_OK = (
    f"j.type = 'text' AND length(j.value) BETWEEN {_STAMP_MIN} AND {_STAMP_MAX} "
    "AND j.value NOT GLOB '*[^0-9a-f]*' AND j.key NOT GLOB '*[^a-z0-9_*^]*'"
)


def _rule_candidates(rule: Rule) -> str:
    """A SQL condition true for every row that may break ``rule`` (maybe a few more: each
    candidate is confirmed by the rule itself)."""
    if isinstance(rule, Name):
        c = _q(rule.field)
        return f"length({c}) > {MAX_NAME} OR trim({c}, {_sql_str(_WHITESPACE)}) = ''"
    if isinstance(rule, Text):
        return f"length({_q(rule.field)}) > {MAX_TEXT}"
    if isinstance(rule, Range):
        c = _q(rule.field)
        return f"{c} < {rule.low!r} OR {c} > {rule.high!r}"
    if isinstance(rule, Positive):
        return f"{_q(rule.field)} <= 0 OR {_q(rule.field)} >= 9e999"
    if isinstance(rule, NonNegative):
        return f"{_q(rule.field)} < 0 OR {_q(rule.field)} >= 9e999"
    if isinstance(rule, Finite):
        return f"abs({_q(rule.field)}) >= 9e999"
    if isinstance(rule, OneOf):
        return f"{_q(rule.field)} NOT IN ({', '.join(repr(float(v)) for v in rule.values)})"
    if isinstance(rule, Ordered):
        return f"{_q(rule.end)} < {_q(rule.start)}"
    raise TypeError(f"no SQL form for the rule {rule!r}")  # add one beside the others


@dataclass(frozen=True, slots=True)
class _Scan:
    """The one-pass query of a table, and what it needs to name a culprit afterwards."""

    sql: str  # completed with a WHERE clause on rowid
    checks: tuple[tuple[str, str], ...]  # column, condition its values meet
    texts: tuple[str, ...]  # text columns (fetched together, so decoded as UTF-8)
    rules: tuple[tuple[Rule, str], ...]  # rule, condition that finds its candidates


def _scan(cls: type[Entity]) -> _Scan:
    table = schema.TABLES[cls]
    specs = schema.SPECS[cls]
    checks = [(s.name, ok) for s in specs if (ok := _type_ok(s)) is not None]
    checks += [("deleted", "deleted IN (0, 1)"), ("stamps", "typeof(stamps) = 'text'")]
    texts = tuple(
        s.name
        for s in specs
        if s.kind is str and s.name not in schema.FOREIGN_KEYS and s.name != "rank"
    )
    rules = tuple((rule, _rule_candidates(rule)) for rule in cls.RULES)
    every = " AND ".join(f"({ok})" for _c, ok in checks)
    joined = " || ".join(f"coalesce({_q(c)}, '')" for c in texts) or "''"
    parts = [
        "count(*)",
        f"sum(CASE WHEN {every} THEN 0 ELSE 1 END)",
        "group_concat(stamps, char(10))",
        "min(length(stamps))",
        "max(length(stamps))",
        "max(stamps)",
        f"group_concat({joined}, '')",  # fetched, so decoded as UTF-8 in bulk
        f"sum(CASE WHEN {' OR '.join(c for _r, c in rules) or '0'} THEN 1 ELSE 0 END)",
    ]
    sql = f"SELECT {', '.join(parts)} FROM {_q(table.name)} WHERE rowid BETWEEN :lo AND :hi"
    return _Scan(sql, tuple(checks), texts, rules)


_SCANS: dict[str, tuple[type[Entity], _Scan]] = {
    t.name: (cls, _scan(cls)) for cls, t in schema.TABLES.items()
}
#: Rows per query: bounds the text fetched at once.
CHUNK = 50_000
_MIN_ROWID, _MAX_ROWID = -(2**63), 2**63 - 1


def _chunks(con: sqlite3.Connection, table: str, count: int) -> list[tuple[int, int]]:
    """Ranges of rowids (inclusive) of at most :data:`CHUNK` rows each."""
    ranges: list[tuple[int, int]] = []
    low = _MIN_ROWID
    while count > CHUNK * len(ranges) + CHUNK:
        (last,) = con.execute(
            f"SELECT rowid FROM {_q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1 OFFSET ?",
            (low, CHUNK - 1),
        ).fetchone()
        ranges.append((low, last))
        low = last + 1
    return [*ranges, (low, _MAX_ROWID)]


# ------------------------------------------------------------------------------- values


def check_values(
    con: sqlite3.Connection, tables: Iterable[str], name: str, *, bound_ms: int
) -> Findings:
    """Check every value of the known synced ``tables``.  Raises ``UntrustedContent``;
    returns what is for the caller to refuse or report (see the module docstring)."""
    bound = stamp_ms_hex(bound_ms)
    future, latest = 0, ""
    over: list[OverLimit] = []
    for table in tables:
        if table not in _SCANS:
            continue  # meta, alembic_version
        cls, scan = _SCANS[table]
        count = con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]
        if count > MAX_ROWS:
            reason = (
                f"holds {count:,} {table.replace('_', ' ')} entries, far more than any real "
                "project, so it was made by another program or damaged"
            )
            raise TooManyRows(
                f"{name} {reason}. LDPM will not use it; ask for a copy saved by LDPM, or use "
                "one of its backups.",
                reason=reason,
            )
        candidates = 0
        for low, high in _chunks(con, table, count) if count else []:
            more, last, hits = _check_chunk(con, table, scan, name, bound, low, high)
            future += more
            latest = max(latest, last)
            candidates += hits
        if candidates:
            for rule, condition in scan.rules:
                over.extend(_confirm(con, cls, table, rule, condition))
    return Findings(future, latest, tuple(over))


def _check_chunk(
    con: sqlite3.Connection, table: str, scan: _Scan, name: str, bound: str, low: int, high: int
) -> tuple[int, str, int]:
    """One pass over the rows ``low``..``high``.  Returns the stamps beyond ``bound`` (how
    many, the latest) and how many rows may break a rule."""
    span = {"lo": low, "hi": high}
    try:
        row = con.execute(scan.sql, span).fetchone()
    except sqlite3.OperationalError:  # text that is not UTF-8, or more than SQLite holds
        _name_culprit(con, table, scan, name)
        _check_utf8(con, table, (*scan.texts, "stamps"), name, span)
        raise refuse_values(name, f"more text in {a_thing(table)} than LDPM can check") from None
    count, bad, joined, shortest, longest, highest, _text, candidates = row
    if bad:
        _name_culprit(con, table, scan, name)
        raise AssertionError("the one-pass check and the column checks disagree")
    if not _one_entry_stamps(joined, count, shortest, longest):
        # Some rows have several entries (or are bad): row by row.
        more, last = _check_stamps_by_row(con, table, bound, name, span)
    elif highest[6 : 6 + MS_WIDTH] > bound:  # '{"*":"' and then the stamp
        more, last = _count_beyond(con, table, bound, span)
    else:
        more, last = 0, ""
    return more, last, candidates or 0


def _one_entry_stamps(joined: str, count: int, shortest: int, longest: int) -> bool:
    """True if every one of ``count`` rows, whose ``stamps`` are ``joined`` with newlines
    (``shortest`` to ``longest`` characters long), is exactly ``{"*":"<well-formed stamp>"}``.
    Checked in bulk: only those characters occur; each row begins and ends as it must
    (counted at the row breaks); and each special character occurs exactly as often as that
    form has it, so the rest of every row is hex of a stamp's length."""
    if not _STAMP_MIN + 8 <= shortest <= longest <= _STAMP_MAX + 8:
        return False
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        return False
    breaks = count - 1
    return (
        not raw.translate(None, _HEX + b'\n{}":*')
        and raw.startswith(b'{"*":"')
        and raw.endswith(b'"}')
        and raw.count(b"\n") == breaks
        and raw.count(b'\n{"*":"') == breaks
        and raw.count(b'"}\n') == breaks
        and raw.count(b"{") == raw.count(b"}") == raw.count(b"*") == raw.count(b":") == count
        and raw.count(b'"') == 4 * count
    )


def _name_culprit(con: sqlite3.Connection, table: str, scan: _Scan, name: str) -> None:
    """Refuse the first column with a value of the wrong type or form, if there is one."""
    sums = ", ".join(f"sum(CASE WHEN {ok} THEN 0 ELSE 1 END)" for _c, ok in scan.checks)
    counts = con.execute(f"SELECT {sums} FROM {_q(table)}").fetchone()
    for (column, _ok), bad in zip(scan.checks, counts, strict=True):
        if bad:
            if column == "stamps":
                raise refuse_values(name, f"an unreadable edit history in {a_thing(table)}")
            raise refuse_values(name, f"values in the “{column}” field of {a_thing(table)}")


def _check_utf8(
    con: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    name: str,
    span: Mapping[str, int],
) -> None:
    """Refuse text that is not valid UTF-8 (reading it would fail everywhere), value by
    value."""
    for column in columns:
        query = (
            f"SELECT CAST({_q(column)} AS BLOB) FROM {_q(table)} WHERE rowid BETWEEN :lo AND :hi"
        )
        for (raw,) in con.execute(query, span):
            try:
                bytes(raw or b"").decode("utf-8")
            except UnicodeDecodeError:
                if column == "stamps":
                    raise refuse_values(
                        name, f"an unreadable edit history in {a_thing(table)}"
                    ) from None
                raise refuse_values(name, f"unreadable text in {a_thing(table)}") from None


def _count_beyond(
    con: sqlite3.Connection, table: str, bound: str, span: Mapping[str, int]
) -> tuple[int, str]:
    """How many one-entry stamps are beyond ``bound``, and the latest of them."""
    future, latest = con.execute(
        f"SELECT count(*), max(substr(stamps, 7, length(stamps) - 8)) FROM {_q(table)} "
        f"WHERE rowid BETWEEN :lo AND :hi AND substr(stamps, 7, {MS_WIDTH}) > :bound",
        {**span, "bound": bound},
    ).fetchone()
    return int(future), str(latest or "")


def _check_stamps_by_row(
    con: sqlite3.Connection, table: str, bound: str, name: str, span: Mapping[str, int]
) -> tuple[int, str]:
    """Check stamps row by row: one-entry rows in SQL, the others entry by entry.  Returns
    how many stamps are beyond ``bound``, and the latest of them."""
    t = _q(table)
    rows = "rowid BETWEEN :lo AND :hi"
    params = {**span, "bound": bound}
    middle = "substr(stamps, 7, length(stamps) - 8)"
    later = f"substr(stamps, 7, {MS_WIDTH}) > :bound"
    bad, future, latest = con.execute(
        f"SELECT sum(CASE WHEN length({middle}) BETWEEN {_STAMP_MIN} AND {_STAMP_MAX} "
        f"AND {middle} NOT GLOB '*[^0-9a-f]*' THEN 0 ELSE 1 END), "
        f"sum(CASE WHEN {later} THEN 1 ELSE 0 END), max(CASE WHEN {later} THEN {middle} END) "
        f"FROM {t} WHERE {rows} AND {_ONE_ENTRY}",
        params,
    ).fetchone()
    bad_shape = con.execute(
        f"SELECT count(*) FROM {t} WHERE {rows} AND NOT ({_ONE_ENTRY}) AND NOT ({_STAMPS_SHAPE})",
        params,
    ).fetchone()[0]
    if bad or bad_shape:
        raise refuse_values(name, f"an unreadable edit history in {a_thing(table)}")
    later = f"substr(j.value, 1, {MS_WIDTH}) > :bound"
    bad, more, last = con.execute(
        f"SELECT sum(CASE WHEN {_ENTRY_OK} THEN 0 ELSE 1 END), "
        f"sum(CASE WHEN {later} THEN 1 ELSE 0 END), max(CASE WHEN {later} THEN j.value END) "
        f"FROM {t} AS x, json_each(x.stamps) AS j WHERE x.{rows} AND NOT ({_ONE_ENTRY})",
        params,
    ).fetchone()
    if bad:
        raise refuse_values(name, f"an unreadable edit history in {a_thing(table)}")
    return int(future or 0) + int(more or 0), max(str(latest or ""), str(last or ""))


def _confirm(
    con: sqlite3.Connection, cls: type[Entity], table: str, rule: Rule, condition: str
) -> list[OverLimit]:
    columns = [s.name for s in schema.SPECS[cls]]
    query = (
        f"SELECT {', '.join(_q(c) for c in columns)} FROM {_q(table)} "
        f"WHERE {condition} LIMIT {MAX_LISTED}"
    )
    found = []
    for values in con.execute(query):
        entity = from_row(cls, dict(zip(columns, values, strict=True)))
        try:
            rule.check(entity)
        except ValidationError as err:
            found.append(OverLimit(table, entity.id, err.field, err.message))
    return found


# ---------------------------------------------------------------------------------- clock


def well_formed(stamp: object) -> bool:
    """A stamp this version can order (the whole string: no trailing newline either)."""
    return isinstance(stamp, str) and STAMP_PATTERN.fullmatch(stamp) is not None


def check_clock(meta: Mapping[str, str], name: str, *, bound_ms: int) -> str:
    """Refuse a malformed ``meta`` clock; returns it if it is beyond ``bound_ms``, else ""."""
    value = meta.get("hlc")
    if value is None:
        return ""
    if not well_formed(value):
        raise refuse_values(name, "an unreadable clock record")
    return value if value[:MS_WIDTH] > stamp_ms_hex(bound_ms) else ""


# ------------------------------------------------------------------------------- clamping


def _clamp(stamp: str, bound_ms: int) -> str:
    ms, counter, device = parse_stamp(stamp)
    return format_stamp(bound_ms, counter, device) if ms > bound_ms else stamp


def clamp_future_stamps(db_path: Path, *, wall_ms: int | None = None) -> int:
    """Rewrite every stamp later than :func:`~ldpm.persistence.hlc.latest_trusted_ms` in the
    working copy ``db_path`` to that bound (keeping its counter and device), in one
    transaction.  Returns how many stamps it changed (the ``meta`` clock included).

    For an opened document whose :class:`~ldpm.persistence.fileformat.FileInfo` reported
    ``future_stamps`` (it has passed ``inspect_file``, so its stamps are well-formed).  The
    clamped values then lose to edits made after the bound instead of beating every later
    edit for good."""
    bound_ms = latest_trusted_ms(wall_ms)
    bound = stamp_ms_hex(bound_ms)
    changed = 0
    con = sqlite3.connect(db_path, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            for table in schema.ENTITY_BY_TABLE:
                if table not in names:
                    continue
                rows = con.execute(
                    f"SELECT rowid, stamps FROM {_q(table)} WHERE EXISTS (SELECT 1 FROM "
                    f"json_each(stamps) AS j WHERE substr(j.value, 1, {MS_WIDTH}) > ?)",
                    (bound,),
                ).fetchall()
                updates = []
                for rowid, raw in rows:
                    stamps: dict[str, str] = json.loads(raw)
                    clamped = {k: _clamp(v, bound_ms) for k, v in stamps.items()}
                    changed += sum(clamped[k] != v for k, v in stamps.items())
                    updates.append((dump_stamps(clamped), rowid))
                con.executemany(f"UPDATE {_q(table)} SET stamps = ? WHERE rowid = ?", updates)
            row = con.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()
            if row is not None and well_formed(row[0]) and _clamp(row[0], bound_ms) != row[0]:
                con.execute(
                    "UPDATE meta SET value = ? WHERE key = 'hlc'", (_clamp(row[0], bound_ms),)
                )
                changed += 1
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return changed
