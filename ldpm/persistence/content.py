"""Semantic validation of a project database that comes from elsewhere.

SQLite's ``quick_check`` and ``foreign_key_check`` and LDPM's seal say that a file is an intact
database that was sealed; they do not say that its *content* is safe for this version to use.
An opened file or a replica may come from a buggy or newer LDPM, a computer with a wrong clock,
another program, or someone hostile.  :func:`~ldpm.persistence.fileformat.inspect_file` runs
these checks, reading only, on every open, replica and ``ldpm check``:

1. :func:`check_schema_objects`, before any table is read (see :mod:`content_schema`): no
   triggers, views or virtual tables; indexes only on tables.
2. :func:`check_tables`: every table this version knows is there (unless the file's schema
   predates it) with the expected columns (affinity, NOT NULL, primary key; a column the
   file's schema predates may be missing, and its values are then not checked) and foreign keys;
   no CHECK constraints, generated columns, unknown collations, or partial, unique or
   expression indexes.  A file of a newer schema that this version may still read can have
   extra tables, and extra columns that are nullable or have a literal default.
3. :func:`check_values` (see :mod:`content_values`): one SQL pass per table: the storage
   type of every value (NOT NULL-ness is ``quick_check``'s, once the declarations match;
   foreign keys are tied to ids by ``foreign_key_check``), enum values, ISO dates, 0/1
   flags, rank keys, valid UTF-8, and ``stamps`` — a JSON object of well-formed stamps with
   a ``"*"`` entry, none later than :func:`~ldpm.persistence.hlc.latest_trusted_ms` — and
   the row count (at most :data:`~content_values.MAX_ROWS`).
4. :func:`check_clock`: the ``meta`` clock (``hlc``) is well-formed (absent is fine).

:func:`check_content` runs steps 2–4; ``inspect_file`` runs it on a :class:`Background` thread
with its own connection while it checks the structure (``quick_check``, the seal) itself.
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
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from ldpm.persistence import schema
from ldpm.persistence.content_schema import check_schema_objects, check_tables, refuse_values
from ldpm.persistence.content_values import (
    MAX_ROWS,
    Findings,
    OverLimit,
    check_values,
    quoted,
)
from ldpm.persistence.hlc import (
    MS_WIDTH,
    STAMP_PATTERN,
    format_stamp,
    latest_trusted_ms,
    parse_stamp,
    stamp_ms_hex,
)
from ldpm.persistence.problems import FutureStamps
from ldpm.persistence.stamps import dump_stamps

__all__ = [
    "MAX_ROWS",
    "Background",
    "Findings",
    "OverLimit",
    "check_clock",
    "check_content",
    "check_schema_objects",
    "check_tables",
    "check_values",
    "clamp_future_stamps",
    "future_problem",
    "well_formed",
]


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


# ------------------------------------------------------------------------------ all of it


def check_content(
    con: sqlite3.Connection,
    *,
    tables: Mapping[str, str],
    meta: Mapping[str, str],
    name: str,
    schema_version: int,
    newer: bool,
    report_future: bool,
    wall_ms: int,
) -> Findings:
    """Steps 2 to 4 (the schema objects were checked before anything was read).  Stamps
    beyond the bound of ``wall_ms`` are refused unless ``report_future``."""
    bound_ms = latest_trusted_ms(wall_ms)
    present = check_tables(con, tables, name, schema_version=schema_version, newer=newer)
    clock = check_clock(meta, name, bound_ms=bound_ms)
    found = check_values(con, present, name, bound_ms=bound_ms)
    count = found.future_stamps + (1 if clock else 0)
    latest = max(found.latest_future, clock)
    if count and not report_future:
        raise future_problem(name, count, latest, wall_ms)
    return Findings(count, latest, found.over_limit)


class Background:
    """A check on a thread of its own, with its own connection (``connect``), so that it runs
    while the caller's thread does other work; :meth:`result` returns what ``job`` returned or
    raises what it raised, :meth:`cancel` interrupts it.  SQLite releases the GIL while it
    works, so the two really run at once."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        job: Callable[[sqlite3.Connection], Findings],
    ) -> None:
        self._connect = connect
        self._job = job
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._cancelled = False
        self._result: Findings | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ldpm-validate", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            con = self._connect()
        except BaseException as exc:
            self._error = exc
            return
        try:
            with self._lock:
                if self._cancelled:
                    return
                self._con = con
            # Once cancelled, every statement stops at once (not only the one running).
            con.set_progress_handler(lambda: self._cancelled, 1_000_000)
            self._result = self._job(con)
        except BaseException as exc:
            self._error = exc
        finally:
            with self._lock:
                self._con = None
            con.close()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._con is not None:
                self._con.interrupt()
        self._thread.join()

    def result(self) -> Findings:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


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
                    f"SELECT rowid, stamps FROM {quoted(table)} WHERE EXISTS (SELECT 1 FROM "
                    f"json_each(stamps) AS j WHERE substr(j.value, 1, {MS_WIDTH}) > ?)",
                    (bound,),
                ).fetchall()
                updates = []
                for rowid, raw in rows:
                    stamps: dict[str, str] = json.loads(raw)
                    clamped = {k: _clamp(v, bound_ms) for k, v in stamps.items()}
                    changed += sum(clamped[k] != v for k, v in stamps.items())
                    updates.append((dump_stamps(clamped), rowid))
                con.executemany(f"UPDATE {quoted(table)} SET stamps = ? WHERE rowid = ?", updates)
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
