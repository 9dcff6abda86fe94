"""The value checks of semantic validation (see :mod:`content`): one SQL pass per table.

Each table is read in chunks of at most :data:`CHUNK` rows with one query of aggregated
``CASE`` expressions and ``group_concat``: the storage type of every value (comparisons, no
function call per value where SQLite's type order allows), enum values, flags, rank keys; text
columns and ``stamps`` are fetched joined, so Python decodes them as UTF-8 in bulk; dates are
checked once per distinct value; stamps in the common one-entry form ``{"*":"…"}`` are checked
in bulk by :func:`_one_entry_stamps`, other rows entry by entry with ``json_each``.  Only when a
pass fails is it repeated column by column, to name the culprit in the sentence.  Stored values
that break a domain rule are found with an SQL form of each rule (:func:`_rule_candidates`)
and confirmed by the rule itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import NamedTuple

from ldpm.domain.entities import Entity
from ldpm.domain.ranking import DIGITS
from ldpm.domain.validation import (
    MAX_NAME,
    MAX_TEXT,
    Custom,
    DifferentGroups,
    ExactlyOne,
    Exclusive,
    Finite,
    Name,
    NonNegative,
    OneOf,
    Ordered,
    Positive,
    Range,
    Required,
    Rule,
    Short,
    Text,
    ValidationError,
)
from ldpm.persistence import schema
from ldpm.persistence.codecs import from_row
from ldpm.persistence.content_schema import a_thing, refuse_values
from ldpm.persistence.hlc import COUNTER_WIDTH, MAX_MS, MS_WIDTH, stamp_ms_hex
from ldpm.persistence.problems import TooManyRows

#: The most rows one table may hold.  The large benchmark workspace — already far beyond a
#: real L&D team's portfolio (50 initiatives, 10,000 backlog items) — has 100,000
#: measurements in its largest table (60 metrics measured weekly for 30 years); ten times
#: that is room for any real project, while a file with more was made by a program and would
#: make every merge, view and save of it slow.
MAX_ROWS = 1_000_000
#: How many candidate rows of one rule are examined for :attr:`Findings.over_limit`.
MAX_LISTED = 1000


#: The characters Python's ``str.strip()`` removes (``str.isspace``), as runs of code points.
#: Written out rather than found by asking all 1.1 million code points at every start; a test
#: asks them all and compares.
SPACE_RUNS: tuple[tuple[int, int], ...] = (
    (9, 13),
    (28, 32),
    (133, 133),
    (160, 160),
    (5760, 5760),
    (8192, 8202),
    (8232, 8233),
    (8239, 8239),
    (8287, 8287),
    (12288, 12288),
)


#: Every character ``str.strip()`` removes, as an SQL expression (the characters ``trim``
#: removes).
_SPACES = "char({})".format(
    ", ".join(str(n) for low, high in SPACE_RUNS for n in range(low, high + 1))
)


def _begins_with_space(c: str) -> str:
    """True for text whose first character is white space (as ``str.isspace`` has it), or
    below "!" (a few more; each candidate is confirmed).  Comparisons only: UTF-8 keeps the
    order of code points, so text beginning with a character is between it and the next."""
    parts = [f"{c} < '!'"]
    for low, high in SPACE_RUNS:
        if low > ord("!"):
            parts.append(f"({c} >= char({low}) AND {c} < char({high + 1}))")
    return " OR ".join(parts)


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


# ---------------------------------------------------------------------------- SQL pieces


def quoted(column: str) -> str:
    """An identifier, quoted for SQL."""
    return '"' + column.replace('"', '""') + '"'


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_text(c: str) -> str:
    # SQLite orders numbers < text < blobs: two comparisons, no function call per value.
    return f"{c} >= '' AND {c} < x''"


def _not_blob(c: str) -> str:
    # Text, or a number that only a changed column type lets in: decoded with str(), it is
    # harmless (and dates, ranks and stamps take no number: their form is checked in bulk).
    # A blob is not: it would reach JSON and the screen as bytes.
    return f"{c} < x''"


def _type_ok(spec: schema.FieldSpec) -> str | None:
    """A SQL condition that holds when a stored value can be decoded as ``spec`` says (None:
    nothing to check — a foreign key equals an id of its parent table).  NOT NULL-ness is
    ``quick_check``'s once the declarations match; the form of dates is checked in bulk
    (:func:`_dates_ok`)."""
    c, kind = quoted(spec.name), spec.kind
    if spec.name in schema.FOREIGN_KEYS:
        return None
    if kind is bool:
        ok = f"{c} IN (0, 1)"
    elif kind is int:
        ok = f"typeof({c}) = 'integer'"
    elif kind is float:
        ok = f"{c} < ''"  # a number
    elif isinstance(kind, type) and issubclass(kind, Enum):
        # A chain of comparisons costs less per row than IN's lookup table.
        ok = " OR ".join(f"{c} = {_sql_str(str(m.value))}" for m in kind)
    elif spec.name == "id":
        ok = _is_text(c)
    else:  # str, date, rank (the form of the last two is checked in bulk)
        ok = _not_blob(c)
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
    if isinstance(rule, Name | Required):
        c = quoted(rule.field)  # blank: then it begins with white space, or is empty
        return f"length({c}) > {MAX_NAME} OR {_begins_with_space(c)}"
    if isinstance(rule, Text):
        return f"length({quoted(rule.field)}) > {MAX_TEXT}"
    if isinstance(rule, Range):
        c = quoted(rule.field)
        return f"{c} < {rule.low!r} OR {c} > {rule.high!r}"
    if isinstance(rule, Positive):
        return f"{quoted(rule.field)} <= 0 OR {quoted(rule.field)} >= 9e999"
    if isinstance(rule, NonNegative):
        return f"{quoted(rule.field)} < 0 OR {quoted(rule.field)} >= 9e999"
    if isinstance(rule, Finite):
        return f"{quoted(rule.field)} >= 9e999 OR {quoted(rule.field)} <= -9e999"
    if isinstance(rule, OneOf):
        c = quoted(rule.field)
        return " AND ".join(f"{c} != {float(v)!r}" for v in rule.values)
    if isinstance(rule, Ordered):
        return f"{quoted(rule.end)} < {quoted(rule.start)}"
    if isinstance(rule, Short):
        return f"length({quoted(rule.field)}) > {rule.limit}"
    if isinstance(rule, Exclusive):
        return f"{quoted(rule.first)} IS NOT NULL AND {quoted(rule.second)} IS NOT NULL"
    if isinstance(rule, ExactlyOne):
        return f"({quoted(rule.first)} IS NULL) = ({quoted(rule.second)} IS NULL)"
    if isinstance(rule, DifferentGroups):
        c, t = (f"trim({quoted(f)}, {_SPACES})" for f in (rule.field, rule.treated))
        return f"{c} != '' AND {c} = {t}"
    if isinstance(rule, Custom):
        return "1"  # every row, confirmed by the rule (Custom is for one-row tables)
    raise TypeError(f"no SQL form for the rule {rule!r}")  # add one beside the others


@dataclass(frozen=True, slots=True)
class _Scan:
    """The one-pass query of a table, and what it needs to name a culprit afterwards.  Its
    row: count, bad rows, stamps joined, how many begin later than the bound (:after: in the
    one-entry form, the stamp's ms beyond the bound), each text column joined (so
    decoded as UTF-8 when fetched), each date column joined and its count, rule candidates."""

    sql: str  # for the rows whose rowid is from :lo to :hi
    checks: tuple[tuple[str, str], ...]  # column, condition its values meet
    texts: tuple[str, ...]
    dates: tuple[str, ...]
    ranked: bool  # has a rank column, joined after the dates
    rules: tuple[tuple[Rule, str], ...]  # rule, condition that finds its candidates
    columns: tuple[str, ...]  # the entity's columns it reads


def _scan(cls: type[Entity], present: frozenset[str] | None = None) -> _Scan:
    """The scan of ``cls``'s table; with ``present``, of only those of its columns (a file
    of an older schema, which lacks the columns added since: rules that read one are left
    out, as they are checked once the working copy is migrated)."""
    table = schema.TABLES[cls]
    specs = [s for s in schema.SPECS[cls] if present is None or s.name in present]
    checks = [(s.name, ok) for s in specs if (ok := _type_ok(s)) is not None]
    checks += [("deleted", "deleted IN (0, 1)"), ("stamps", _not_blob("stamps"))]
    texts = tuple(
        s.name
        for s in specs
        if s.kind is str and s.name not in schema.FOREIGN_KEYS and s.name != "rank"
    )
    dates = tuple(s.name for s in specs if s.kind is date)
    ranked = "rank" in table.c and (present is None or "rank" in present)
    rules = tuple(
        (rule, _rule_candidates(rule))
        for rule in cls.RULES
        if present is None or present.issuperset(rule.fields)
    )
    every = " AND ".join(f"({ok})" for _c, ok in checks)
    parts = [
        "count(*)",
        f"sum(CASE WHEN {every} THEN 0 ELSE 1 END)",
        "group_concat(stamps, char(10))",
        "sum(CASE WHEN stamps >= :after THEN 1 ELSE 0 END)",
        *(f"group_concat({quoted(c)}, '')" for c in texts),
        *(f"group_concat({quoted(c)}, ','), count({quoted(c)})" for c in dates),
        *(["group_concat(rank, ',')"] if ranked else []),
        f"sum(CASE WHEN {' OR '.join(c for _r, c in rules) or '0'} THEN 1 ELSE 0 END)",
    ]
    sql = f"SELECT {', '.join(parts)} FROM {quoted(table.name)} WHERE rowid BETWEEN :lo AND :hi"
    return _Scan(sql, tuple(checks), texts, dates, ranked, rules, tuple(s.name for s in specs))


_SCANS: dict[str, tuple[type[Entity], _Scan]] = {
    t.name: (cls, _scan(cls)) for cls, t in schema.TABLES.items()
}
#: Rows per query: bounds the text fetched at once.
CHUNK = 100_000
_MIN_ROWID, _MAX_ROWID = -(2**63), 2**63 - 1


def _chunks(con: sqlite3.Connection, table: str, count: int) -> list[tuple[int, int]]:
    """Ranges of rowids (inclusive) of at most :data:`CHUNK` rows each."""
    ranges: list[tuple[int, int]] = []
    low = _MIN_ROWID
    while count > CHUNK * len(ranges) + CHUNK:
        (last,) = con.execute(
            f"SELECT rowid FROM {quoted(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1 OFFSET ?",
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
        columns = {r[0] for r in con.execute("SELECT name FROM pragma_table_info(?)", (table,))}
        if not columns.issuperset(scan.columns):  # an older schema: not every column yet
            scan = _scan(cls, frozenset(columns))
        count = con.execute(f"SELECT count(*) FROM {quoted(table)}").fetchone()[0]
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
                over.extend(_confirm(con, cls, table, scan.columns, rule, condition))
    return Findings(future, latest, tuple(over))


def _check_chunk(
    con: sqlite3.Connection, table: str, scan: _Scan, name: str, bound: str, low: int, high: int
) -> tuple[int, str, int]:
    """One pass over the rows ``low``..``high``.  Returns the stamps beyond ``bound`` (how
    many, the latest) and how many rows may break a rule."""
    span = {"lo": low, "hi": high}
    # One-entry stamps from this on are beyond the bound ("g" follows every hex digit).
    after = '{"*":"' + (stamp_ms_hex(int(bound, 16) + 1) if int(bound, 16) < MAX_MS else "g")
    try:
        row = con.execute(scan.sql, {**span, "after": after}).fetchone()
    except sqlite3.OperationalError as exc:  # text that is not UTF-8, or more than SQLite holds
        if "interrupt" in str(exc):
            raise  # cancelled
        _name_culprit(con, table, scan, name)
        _check_utf8(con, table, (*scan.texts, "stamps"), name, span)
        raise refuse_values(name, f"more text in {a_thing(table)} than LDPM can check") from None
    count, bad, joined, later = row[:4]
    if not count:
        return 0, "", 0
    if bad:
        _name_culprit(con, table, scan, name)
        raise AssertionError("the one-pass check and the column checks disagree")
    first_date = 4 + len(scan.texts)
    dates = row[first_date : first_date + 2 * len(scan.dates)]
    for column, values, filled in zip(scan.dates, dates[::2], dates[1::2], strict=True):
        if not _dates_ok(values, filled):
            raise refuse_values(name, f"values in the “{column}” field of {a_thing(table)}")
    if scan.ranked and not _ranks_ok(row[-2], count):
        raise refuse_values(name, f"values in the “rank” field of {a_thing(table)}")
    candidates = row[-1]
    if not _one_entry_stamps(joined, count):
        # Some rows have several entries (or are bad): row by row.
        more, last = _check_stamps_by_row(con, table, bound, name, span)
    elif later:
        more, last = _count_beyond(con, table, bound, span)
    else:
        more, last = 0, ""
    return more, last, candidates or 0


_RANK_DIGITS = DIGITS.encode("ascii")


def _ranks_ok(joined: str, count: int) -> bool:
    """True if the ``count`` ranks ``joined`` with commas are all rank keys (see
    :func:`ldpm.domain.ranking.is_valid_rank`): digits only, none empty, none ending in 0."""
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        return False
    return (
        bool(raw)
        and not raw.translate(None, _RANK_DIGITS + b",")
        and raw.count(b",") == count - 1
        and b",," not in raw
        and b"0," not in raw
        and not raw.startswith(b",")
        and not raw.endswith((b",", b"0"))
    )


def _dates_ok(joined: str | None, count: int) -> bool:
    """True if the ``count`` values ``joined`` with commas are all ISO dates (as LDPM writes
    them: ``YYYY-MM-DD``, a real day); each distinct value is checked once."""
    if not count:
        return True
    values = str(joined).split(",")
    if len(values) != count:
        return False
    try:
        return all(date.fromisoformat(v).isoformat() == v for v in set(values))
    except ValueError:
        return False


_ENTRY_FORM = b'{"*":""}'  # a one-entry ``stamps`` without its stamp


def _one_entry_stamps(joined: str, count: int) -> bool:
    """True if every one of ``count`` rows, whose ``stamps`` are ``joined`` with newlines, is
    exactly ``{"*":"<well-formed stamp>"}``, all of one length (as when every device id has
    the same length).  Checked in bulk, not row by row: the row breaks fall where rows of that
    length end; in every row the first six and the last two characters are those of the form;
    and without its hex digits and breaks the whole is the form's other characters once per
    row — so the rest of every row is hex, of a stamp's length."""
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        return False
    width = raw.find(b"\n") if count > 1 else len(raw)
    step = width + 1
    return (
        _STAMP_MIN + 8 <= width <= _STAMP_MAX + 8
        and len(raw) == count * step - 1
        and raw[width::step] == b"\n" * (count - 1)
        and all(raw[i::step] == _ENTRY_FORM[i : i + 1] * count for i in range(6))
        and raw[width - 2 :: step] == b'"' * count
        and raw[width - 1 :: step] == b"}" * count
        and raw.translate(None, _HEX + b"\n") == _ENTRY_FORM * count
    )


def _name_culprit(con: sqlite3.Connection, table: str, scan: _Scan, name: str) -> None:
    """Refuse the first column with a value of the wrong type or form, if there is one."""
    sums = ", ".join(f"sum(CASE WHEN {ok} THEN 0 ELSE 1 END)" for _c, ok in scan.checks)
    counts = con.execute(f"SELECT {sums} FROM {quoted(table)}").fetchone()
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
            f"SELECT CAST({quoted(column)} AS BLOB) FROM {quoted(table)} "
            "WHERE rowid BETWEEN :lo AND :hi"
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
        f"SELECT count(*), max(substr(stamps, 7, length(stamps) - 8)) FROM {quoted(table)} "
        f"WHERE rowid BETWEEN :lo AND :hi AND substr(stamps, 7, {MS_WIDTH}) > :bound",
        {**span, "bound": bound},
    ).fetchone()
    return int(future), str(latest or "")


def _check_stamps_by_row(
    con: sqlite3.Connection, table: str, bound: str, name: str, span: Mapping[str, int]
) -> tuple[int, str]:
    """Check stamps row by row: one-entry rows in SQL, the others entry by entry.  Returns
    how many stamps are beyond ``bound``, and the latest of them."""
    t = quoted(table)
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
    con: sqlite3.Connection,
    cls: type[Entity],
    table: str,
    columns: tuple[str, ...],
    rule: Rule,
    condition: str,
) -> list[OverLimit]:
    query = (
        f"SELECT {', '.join(quoted(c) for c in columns)} FROM {quoted(table)} "
        f"WHERE {condition} LIMIT {MAX_LISTED}"
    )
    found = []
    for values in con.execute(query):
        entity = from_row(cls, dict(zip(columns, values, strict=True)), partial=True)
        try:
            rule.check(entity)
        except ValidationError as err:
            found.append(OverLimit(table, entity.id, err.field, err.message))
    return found
