"""The engine of an import: settings, reading rows, and both passes over the file.

:func:`run_import` does an import (or its dry run) inside a transaction it is given; the
steps around it — suggesting settings, the check for the dialog, the job and its undo step —
are in :mod:`ldpm.services.exchange`, which re-exports what callers need from here.

Pass 1 counts the rows and collects, for each number and date column, the evidence that
decides its decimal mark and its date order (:class:`~ldpm.exchange.values.NumberStyle`,
:class:`~ldpm.exchange.values.DateOrder`) for the whole column.  Pass 2 reads every row with
one parser per column (:class:`RowReader`) and hands its values to the kind's resolver
(:mod:`~ldpm.services.exchange_rows`); a bad row is counted and listed with its number and
reason, and stops a real import (unless bad rows are to be left out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ldpm.domain.entities import Initiative
from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import MAX_ROWS, Row, Table
from ldpm.exchange.values import (
    DateOrder,
    NumberStyle,
    parse_date,
    parse_number,
    parse_whole,
    text_of,
)
from ldpm.persistence.store import Tx
from ldpm.services.exchange_kinds import (
    IMPACT_WORDS,
    KINDS,
    ImportKind,
    Labeler,
    Target,
    choices_text,
    parse_choice,
    plain_label,
)
from ldpm.services.exchange_rows import RESOLVERS, Plan, RowError
from ldpm.services.jobs import Progress

#: At most this many bad rows are listed (all are counted).
MAX_LISTED = 500
#: Rows between two progress reports.
PROGRESS_EVERY = 2000


class ImportRejected(Exception):
    """The file has bad rows, or the settings cannot work; nothing was written.
    ``sentence`` says why; ``check`` holds every bad row found."""

    def __init__(self, sentence: str, check: ImportCheck | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.check = check


@dataclass
class ImportSettings:
    """Everything the user chose for an import."""

    kind: str
    initiative_id: str | None
    #: Column name → target key; a column not named is ignored.
    columns: dict[str, str] = field(default_factory=dict)
    #: Target key → one value for every row (text, read like a cell).
    constants: dict[str, str] = field(default_factory=dict)
    #: The source's name, under which external ids are remembered ("Jira").
    source: str = ""
    #: Day-first (True) or month-first (False) for dates like 03/04/2025; None: decided by
    #: the column, day-first when nothing decides.
    dayfirst: bool | None = None
    #: Import the good rows and leave out the bad ones.
    skip_bad: bool = False
    #: The mapping came from an earlier import of the same source (the dialog says so).
    remembered: str = ""

    @property
    def import_kind(self) -> ImportKind:
        return KINDS[self.kind]


@dataclass(frozen=True)
class BadRow:
    number: int
    reason: str

    @property
    def sentence(self) -> str:
        return f"Row {self.number}: {self.reason}"


@dataclass
class ImportCheck:
    """What an import would do (or did): see :func:`check_import`."""

    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    bad_count: int = 0
    notes: list[str] = field(default_factory=list)
    #: A sentence when the settings cannot work at all (no column for a required field).
    problem: str = ""
    noun: str = "row"
    plural: str = "rows"
    #: What pass 1 decided, per column (an import given this check skips pass 1) …
    decimals: dict[str, str] = field(default_factory=dict)
    dayfirst: dict[str, bool] = field(default_factory=dict)
    #: … for this file, as it was, and these settings.
    decided_for: tuple[object, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problem and not self.bad_count

    def count(self, n: int) -> str:
        return f"{n:,} {self.noun if n == 1 else self.plural}"

    def summary(self) -> str:
        """ "212 new backlog items, 5 changed, 3 unchanged; 2 bad rows." """
        if self.problem:
            return self.problem
        parts = [f"{self.new:,} new {self.noun if self.new == 1 else self.plural}"]
        if self.changed:
            parts.append(f"{self.changed:,} changed")
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        text = ", ".join(parts)
        if self.bad_count:
            text += f"; {self.bad_count:,} bad row{'s' if self.bad_count != 1 else ''}"
        return text + "."

    def done_sentence(self, name: str) -> str:
        skipped = (
            f" {self.bad_count:,} bad row{'s were' if self.bad_count != 1 else ' was'} left out."
            if self.bad_count
            else ""
        )
        return (
            f"Imported “{name}”: {self.new:,} new, {self.changed:,} changed, "
            f"{self.unchanged:,} unchanged.{skipped}"
        )


class RowReader:
    """Cells of a row → typed values by target key (see :mod:`ldpm.exchange.values`)."""

    def __init__(
        self,
        table: Table,
        settings: ImportSettings,
        labeler: Labeler,
        decimals: dict[str, str],
        dayfirst: dict[str, bool],
    ) -> None:
        kind = settings.import_kind
        self.labeler = labeler
        self.decimals = decimals
        self.dayfirst = dayfirst
        self.columns: list[tuple[int, str, Target]] = []
        for i, header in enumerate(table.headers):
            target = kind.target(settings.columns.get(header, ""))
            if target is not None:
                self.columns.append((i, header, target))
        #: One parser per mapped column (the cell's type decided once, not per cell).
        self._parsers = [
            (i, header, target, self._parser(target, header)) for i, header, target in self.columns
        ]
        self._required = [(h, t) for _i, h, t in self.columns if t.required]
        self.constants: dict[str, Any] = {}
        for key, text in settings.constants.items():
            target = kind.target(key)
            if target is None or not text.strip():
                continue
            try:
                self.constants[key] = self.parse(target, text, "")
            except ValueError as exc:
                raise ImportRejected(
                    f"The value “{text}” for {target.label} {exc}{self._choices(target)}."
                ) from None

    def _parser(self, target: Target, header: str) -> Callable[[Any], Any]:
        """How cells of ``header`` are read for ``target`` (None for an empty cell)."""
        if target.type in ("text", "id"):
            return _text_cell
        if target.type == "date":
            dayfirst = self.dayfirst.get(header, True)

            def date_cell(cell: Any) -> Any:
                if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
                    return None
                return parse_date(cell, dayfirst)

            return date_cell
        if target.type == "number" and target.key not in ("impact", "confidence"):
            decimal = self.decimals.get(header, ".")

            def number_cell(cell: Any) -> Any:
                if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
                    return None
                return parse_number(cell, decimal)

            return number_cell
        return lambda cell: self.parse(target, cell, header)

    def parse(self, target: Target, cell: Any, header: str) -> Any:
        """One cell for ``target``; None for an empty cell.  Raises ValueError."""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        kind = target.type
        if kind in ("text", "id"):
            return text_of(cell)
        if kind == "choice":
            assert target.choices is not None
            return parse_choice(target.choices, text_of(cell), self.labeler)
        if kind == "date":
            return parse_date(cell, self.dayfirst.get(header, True))
        decimal = self.decimals.get(header, ".")
        if target.key == "impact" and isinstance(cell, str):
            word = IMPACT_WORDS.get(cell.strip().casefold())
            if word is not None:
                return word
        if kind == "whole":
            return parse_whole(cell, decimal)
        number = parse_number(cell, decimal)
        if target.key == "confidence" and 1 < number <= 100:
            number /= 100  # "80 %" or 80: a percentage
        return number

    def _choices(self, target: Target) -> str:
        if target.type != "choice" or target.choices is None:
            return ""
        return f" ({choices_text(target.choices, self.labeler)})"

    def read(self, row: Row) -> tuple[dict[str, Any], str | None, str | None]:
        """The row's values by target key, its external id and its LDPM id.  Raises
        :class:`RowError`."""
        values = dict(self.constants)
        cells = row.cells
        for i, header, target, parse in self._parsers:
            cell = cells[i]
            try:
                value = parse(cell)
            except ValueError as exc:
                shown = text_of(cell)
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                raise RowError(f"“{shown}” in “{header}” {exc}{self._choices(target)}.") from None
            if value is not None or target.key not in values:
                values[target.key] = value
        for header, target in self._required:
            if values.get(target.key) is None:
                raise RowError(f"It has no {target.label.lower()} in “{header}”.")
        ext = values.pop("external_id", None)
        ldpm_id = values.pop("id", None)
        return values, ext, ldpm_id


def _text_cell(cell: Any) -> str | None:
    """A text cell: trimmed, None when empty (see :func:`~ldpm.exchange.values.text_of`)."""
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if text[0] == "'":
            return text_of(text)
        return text
    return text_of(cell) if cell is not None else None


def _problem(settings: ImportSettings, initiative: Initiative | None) -> str:
    """A sentence when the settings cannot work at all, else ""."""
    kind = settings.import_kind
    if kind.needs_initiative and initiative is None:
        return f"Choose the initiative to import the {kind.plural} into."
    mapped = set(settings.columns.values()) | {
        k for k, v in settings.constants.items() if v.strip()
    }
    if kind.key == "people" and not {"name", "first_name", "last_name"} & mapped:
        return "Map a column to Name (or to First name and Last name)."
    for target in kind.targets:
        if (target.required or target.key == "metric") and target.key not in mapped:
            if target.key == "metric":
                return "Map a column to Metric, or choose the metric every row belongs to."
            return f"Map a column to {target.label}."
    if "external_id" in settings.columns.values() and not settings.source.strip():
        return "Name the source of the external ids (for example “Jira”)."
    return ""


def _notes(table: Table, headers: dict[str, Target], decimals: dict[str, str],
           orders: dict[str, DateOrder], settings: ImportSettings) -> list[str]:  # fmt: skip
    notes = []
    if table.kind == "csv":
        names = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
        encoding = getattr(table, "encoding_name", table.encoding)
        notes.append(
            f"Read as {encoding} text with cells separated by "
            f"{names.get(table.delimiter, table.delimiter)}."
        )
    for header, decimal in decimals.items():
        if decimal == ",":
            notes.append(f"Numbers in “{header}” have a decimal comma (1.234,5).")
    for header, order in orders.items():
        if settings.dayfirst is not None:
            which = "day-first" if settings.dayfirst else "month-first"
            notes.append(f"Dates in “{header}” are read {which}, as you chose.")
        elif order.day_example or order.month_example:
            example = order.day_example if order.dayfirst else order.month_example
            which = "day-first" if order.dayfirst else "month-first"
            notes.append(f"Dates in “{header}” are {which}: “{example}” says so.")
        elif order.numeric:
            notes.append(
                f"Dates in “{header}” such as “{order.sample}” could be day-first or "
                "month-first; LDPM assumed day-first. Choose month-first if they are."
            )
    return notes


def _decided_for(table: Table, settings: ImportSettings) -> tuple[object, ...]:
    try:
        info = table.path.stat()
    except OSError:
        return ()
    return (
        str(table.path), info.st_size, info.st_mtime_ns, table.sheet,
        tuple(sorted(settings.columns.items())), settings.dayfirst,
    )  # fmt: skip


def _first_pass(
    table: Table, settings: ImportSettings, check: ImportCheck, progress: Progress
) -> tuple[int, dict[str, str], dict[str, bool]]:
    """Count the rows; decide each number column's decimal mark and each date column's
    order from the whole column; write the notes that say so."""
    kind = settings.import_kind
    targets = {h: t for h, key in settings.columns.items() if (t := kind.target(key)) is not None}
    default = "," if table.delimiter == ";" else "."
    styles = {h: NumberStyle(default) for h, t in targets.items() if t.type in ("number", "whole")}
    orders = {h: DateOrder() for h, t in targets.items() if t.type == "date"}
    index = {h: i for i, h in enumerate(table.headers)}
    watched = [(index[h], s.feed) for h, s in styles.items() if h in index] + [
        (index[h], o.feed) for h, o in orders.items() if h in index
    ]
    rows = 0
    progress(0, 0, f"Reading “{table.name}”…")
    for row in table.rows():
        rows += 1
        for i, feed in watched:
            feed(row.cells[i])
        if rows % PROGRESS_EVERY == 0:
            progress(0, 0, f"Reading “{table.name}”: {rows:,} rows…")
        if rows > MAX_ROWS:
            raise ExchangeProblem(
                f"“{table.name}” has more than {MAX_ROWS:,} rows; LDPM imports at most that "
                "many at a time. Split the file and import the parts one after the other."
            )
    decimals = {h: s.decimal for h, s in styles.items()}
    dayfirst = {
        h: settings.dayfirst if settings.dayfirst is not None else o.dayfirst
        for h, o in orders.items()
    }
    check.notes = _notes(table, targets, decimals, orders, settings)
    return rows, decimals, dayfirst


def run_import(
    tx: Tx,
    table: Table,
    settings: ImportSettings,
    *,
    write: bool,
    labeler: Labeler = plain_label,
    progress: Progress | None = None,
    decided: ImportCheck | None = None,
) -> tuple[ImportCheck, Plan]:
    """Both passes of an import in ``tx`` (see the module docstring); with ``write`` False a
    dry run.  ``decided``: a check of the same file and settings, whose first pass is then
    not repeated.  When writing, a bad row raises :class:`ImportRejected` (unless
    ``settings.skip_bad``): the caller's transaction then rolls back."""
    progress = progress or Progress()
    kind = settings.import_kind
    check = ImportCheck(noun=kind.noun, plural=kind.plural)
    plan = Plan(tx, write)
    initiative = tx.get(Initiative, settings.initiative_id) if settings.initiative_id else None
    check.problem = _problem(settings, initiative)
    if check.problem:
        if write:
            raise ImportRejected(check.problem, check)
        return check, plan
    # Pass 1: count the rows, decide number and date styles for whole columns (unless a
    # check of the same file with the same settings did, moments ago).
    stamp = _decided_for(table, settings)
    if decided is not None and decided.decided_for == stamp and decided.rows:
        rows, decimals, dayfirst = decided.rows, decided.decimals, decided.dayfirst
        check.notes = list(decided.notes)
    else:
        rows, decimals, dayfirst = _first_pass(table, settings, check, progress)
    check.rows, check.decimals, check.dayfirst = rows, decimals, dayfirst
    check.decided_for = stamp
    reader = RowReader(table, settings, labeler, decimals, dayfirst)
    resolver = RESOLVERS[kind.key](
        tx, plan, source=settings.source.strip(), initiative=initiative, rows=rows
    )
    # Pass 2: every row, read and resolved (and written, when writing).
    for done, row in enumerate(table.rows(), start=1):
        try:
            if row.overflow:
                s = "s" if row.overflow != 1 else ""
                raise RowError(
                    f"It has {row.overflow} more cell{s} than the header has columns; a "
                    "delimiter or quote may be out of place."
                )
            values, ext, ldpm_id = reader.read(row)
            resolver.row(row.number, values, ext, ldpm_id)
        except RowError as err:
            check.bad_count += 1
            bad = BadRow(row.number, err.reason)
            if len(check.bad) < MAX_LISTED:
                check.bad.append(bad)
            if write and not settings.skip_bad:
                raise ImportRejected(
                    f"Nothing was imported from “{table.name}”: row {bad.number}: {bad.reason}",
                    check,
                ) from None
        if done % PROGRESS_EVERY == 0:
            progress(done, rows, f"Importing “{table.name}”: {done:,} of {rows:,} rows…")
    plan.flush()
    check.new, check.changed, check.unchanged = plan.new, plan.changed, plan.unchanged
    return check, plan
