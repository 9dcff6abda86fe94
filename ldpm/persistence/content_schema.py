"""The schema part of semantic validation (see :mod:`content`): which database objects a
project file may contain, and what its tables must look like.

:func:`check_schema_objects` runs before anything else is read from a file: no triggers (they
would fire on the user's edits in the working copy and be saved back), no views (a table
replaced by a recursive view passes ``quick_check`` and amplifies every read), no virtual
tables; indexes only on tables.  :func:`check_tables` then compares every table this version
knows with the schema it expects (derived from :mod:`schema`).  The refusal sentences of both
steps, and of the value checks, are made here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import Table

from ldpm.domain.entities import RUBRIC_FIELDS, WSJF_WEIGHT_FIELDS
from ldpm.persistence import schema
from ldpm.persistence.problems import InvalidContent, UnexpectedSchema

#: Tables ("table") and columns ("table.column") added after the first schema version, and
#: the version that added them: a file of an older schema lacks them (opening it migrates the
#: working copy).  A migration that adds a table or a column adds it here.
INTRODUCED = {
    "conflict": 2,
    "device": 2,
    # 0003: triage, causes and scoring
    "initiative_cause": 3,
    **{
        f"initiative.{c}": 3
        for c in (
            "requested_solution",
            "triage",
            "triage_reason",
            "approval_override",
            "triaged_on",
        )
    },
    **{
        f"workspace.{c}": 3
        for c in (
            "scoring_method",
            "impact_scale",
            "confidence_scale",
            *WSJF_WEIGHT_FIELDS,
            *RUBRIC_FIELDS,
        )
    },
    **{f"backlog_item.{c}": 3 for c in ("sourcing_reason", "metric_id", "key_result_id")},
    # 0006: release capacity and roadmap horizon, items out of scope
    "release.capacity": 4,
    "release.horizon": 4,
    "backlog_item.out_of_scope": 4,
    # 0004: metrics and impact
    "metric_link": 5,
    "metric.baseline_date": 5,
    "metric.cadence": 5,
    "metric.treated_segment": 5,
    "metric.comparison_segment": 5,
    "experiment.cost": 5,
    "experiment.segment": 5,
    "experiment.comparison_segment": 5,
    "experiment.pass_value": 5,
    "story.who": 5,
    "story.quote": 5,
    "story.release_id": 5,
    "story.rating": 5,
    # 0007: where an imported row came from
    "external_ref": 6,
    # 0005: stakeholders
    **dict.fromkeys(("person.expertise_tags", "person.notes_private"), 7),
    **dict.fromkeys(("stakeholder.channel", "stakeholder.owner", "stakeholder.next_contact"), 7),
    **dict.fromkeys(("stakeholder.strategy", "assessment.label"), 7),
    **dict.fromkeys(
        ("interaction.follow_up", "interaction.follow_up_due", "interaction.follow_up_done"), 7
    ),
}
#: SQLite's own tables, which it may create in any database (ANALYZE, AUTOINCREMENT).
_INTERNAL_TABLES = frozenset(
    {"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4", "sqlite_sequence"}
)
_BUILTIN_COLLATIONS = frozenset({"BINARY", "NOCASE", "RTRIM"})
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]")
_LITERAL = re.compile(
    r"^\(*\s*(NULL|TRUE|FALSE|CURRENT_(DATE|TIME|TIMESTAMP)|[+-]?(\d+\.?\d*|\.\d+)"
    r"(E[+-]?\d+)?|'(?:[^']|'')*'|X'[0-9A-F]*')\s*\)*$",
    re.IGNORECASE,
)

# ------------------------------------------------------------------------------ sentences

_WHAT_TO_DO = "LDPM will not use it; ask for a copy saved by LDPM, or use one of its backups."


def a_thing(table: str) -> str:
    """``backlog_item`` → "a backlog item"."""
    noun = table.replace("_", " ")
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def refuse_schema(name: str, what: str) -> UnexpectedSchema:
    reason = (
        f"contains {what}, which LDPM never writes, so it was made by another program or "
        "tampered with"
    )
    return UnexpectedSchema(f"{name} {reason}. {_WHAT_TO_DO}", reason=reason)


def refuse_values(name: str, what: str) -> InvalidContent:
    return refuse_structure(name, f"holds {what} that this version of LDPM cannot use")


def refuse_structure(name: str, what: str) -> InvalidContent:
    """``what`` is a clause: "lacks …", "has …"."""
    reason = f"{what}, so it was written by another program or damaged"
    return InvalidContent(f"{name} {reason}. {_WHAT_TO_DO}", reason=reason)


# --------------------------------------------------------------------------- schema objects


def check_schema_objects(con: sqlite3.Connection, name: str) -> dict[str, str]:
    """Refuse triggers, views and virtual tables; returns table name → its SQL.  Reads only
    ``sqlite_master``, so it is safe to run before anything else is read."""
    rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    tables: dict[str, str] = {}
    for kind, obj, _tbl, sql in rows:
        if kind == "trigger":
            raise refuse_schema(name, f"an automatic action (a trigger named “{obj}”)")
        if kind == "view":
            raise refuse_schema(name, f"a view named “{obj}”")
        if kind == "table":
            text = str(sql or "")
            if re.match(r"\s*CREATE\s+VIRTUAL\b", text, re.IGNORECASE):
                raise refuse_schema(name, f"a virtual table named “{obj}”")
            tables[str(obj)] = text
        elif kind != "index":
            raise refuse_schema(name, f"a database object named “{obj}”")
    for kind, obj, tbl, _sql in rows:
        if kind == "index" and tbl not in tables:
            raise refuse_schema(name, f"an index named “{obj}” on something other than a table")
    return tables


# ------------------------------------------------------------------------------------ tables


class _Column(NamedTuple):
    affinity: str
    notnull: bool
    pk: bool


def affinity(declared: str) -> str:
    """SQLite's column affinity for a declared type (section 3.1 of its datatype page)."""
    d = declared.upper()
    if "INT" in d:
        return "INTEGER"
    if any(k in d for k in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in d or not d:
        return "BLOB"
    if any(k in d for k in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _expected(table: Table) -> dict[str, _Column]:
    return {
        c.name: _Column(affinity(str(c.type.compile())), not c.nullable, bool(c.primary_key))
        for c in table.columns
    }


#: Every table this version knows: its columns, and its foreign keys (column, parent table).
KNOWN: dict[str, tuple[dict[str, _Column], frozenset[tuple[str, str]]]] = {
    t.name: (
        _expected(t),
        frozenset((fk.parent.name, fk.column.table.name) for fk in t.foreign_keys),
    )
    for t in (schema.meta, *schema.TABLES.values())
}
KNOWN["alembic_version"] = ({"version_num": _Column("TEXT", True, True)}, frozenset())


def check_tables(
    con: sqlite3.Connection,
    tables: Mapping[str, str],
    name: str,
    *,
    schema_version: int,
    newer: bool,
) -> list[str]:
    """Refuse known tables that are missing or altered, and unusual tables and indexes.
    A file of an older schema may lack the tables and columns added since
    (:data:`INTRODUCED`).

    ``schema_version`` is the file's ``user_version``; ``newer`` says it is newer than this
    version, which may still read it: then extra tables, and extra columns that are nullable
    or have a literal default (so that this version's inserts work), are allowed.  NOT NULL
    declarations must match, which is what lets ``quick_check`` vouch for NOT NULL-ness.
    A file of an older schema may lack the tables and columns added since (:data:`INTRODUCED`).
    Returns the known tables present."""
    present: list[str] = []
    for table, (columns, foreign) in KNOWN.items():
        if table not in tables:
            if schema_version < INTRODUCED.get(table, 1):
                continue
            raise refuse_structure(name, f"lacks the “{table}” table every project has")
        present.append(table)
        found = {
            str(r[1]): r for r in con.execute("SELECT * FROM pragma_table_xinfo(?)", (table,))
        }
        for col, want in columns.items():
            row = found.get(col)
            if row is None and schema_version < INTRODUCED.get(f"{table}.{col}", 1):
                continue  # added by a later version
            if (
                row is None
                or row[6] != 0  # a generated column
                or _Column(affinity(str(row[2])), bool(row[3]), bool(row[5])) != want
            ):
                raise refuse_structure(name, f"has an altered “{table}” table (“{col}”)")
        for col, row in found.items():
            usable = row[6] == 0 and (not row[3] or _is_literal(row[4]))
            if col not in columns and not (newer and usable):
                raise refuse_structure(name, f"has an unexpected column “{col}” in “{table}”")
        links = {
            (str(r[3]), str(r[2]))
            for r in con.execute("SELECT * FROM pragma_foreign_key_list(?)", (table,))
        }
        expected = {
            link for link in foreign if schema_version >= INTRODUCED.get(f"{table}.{link[0]}", 1)
        }
        if {link for link in links if link[0] in columns} != expected:
            raise refuse_structure(name, f"has altered links from “{table}” to other tables")
    for table, sql in tables.items():
        if table not in KNOWN and table not in _INTERNAL_TABLES and not newer:
            raise refuse_structure(name, f"has an unexpected table “{table}”")
        _check_table_sql(table, sql, name)
        _check_indexes(con, table, table in KNOWN, name)
    return present


def _is_literal(default: object) -> bool:
    return default is not None and _LITERAL.match(str(default)) is not None


def _check_table_sql(table: str, sql: str, name: str) -> None:
    bare = _QUOTED.sub("''", sql).upper()
    if re.search(r"\bCHECK\b", bare):
        raise refuse_schema(name, f"a check constraint in “{table}”")
    for collation in re.findall(r"\bCOLLATE\s+(\w+)", bare):
        if collation not in _BUILTIN_COLLATIONS:
            raise refuse_schema(name, f"an unknown sort order in “{table}”")


def _check_indexes(con: sqlite3.Connection, table: str, known: bool, name: str) -> None:
    """Indexes on plain columns only: an expression or a partial index would run code on
    every write and every save; a unique index on a synced table would make merges fail."""
    indexes = con.execute("SELECT * FROM pragma_index_list(?)", (table,)).fetchall()
    for _seq, index, unique, origin, partial in indexes:
        if partial or (known and unique and origin != "pk"):
            raise refuse_schema(name, f"an unusual index “{index}” on “{table}”")
        for row in con.execute("SELECT * FROM pragma_index_xinfo(?)", (index,)):
            key, collation = row[5], str(row[4] or "BINARY").upper()
            if key and (row[1] == -2 or collation not in _BUILTIN_COLLATIONS):
                raise refuse_schema(name, f"an unusual index “{index}” on “{table}”")
