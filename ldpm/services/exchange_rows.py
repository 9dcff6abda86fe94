"""Rows of a file → new and changed entities, one kind at a time.

A :class:`Resolver` per import kind turns the typed values of one row (a dict by target key,
made by :class:`~ldpm.services.exchange.RowReader`) into an insert or an update:

* it finds the row's entity, in this order: by the external id recorded when the same source
  was imported before (:class:`~ldpm.domain.entities.ExternalRef`), by the LDPM id an LDPM
  export carries, and by a natural key — a person's e-mail (or name, when the file has no
  e-mail), a measurement's metric, date and segment; backlog items have none;
* an empty cell leaves a field as it is (or at its default, for a new row);
* it validates the result with the entity's own rules, so a value that breaks one is a bad
  row with the rule's sentence, before anything is written;
* a row that names the same entity as an earlier row of the file is a bad row too.

The resolver keeps its lookups up to date as it goes, so a dry run (``plan.write`` False,
for the preview) finds exactly the bad rows a real import would, and writes nothing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from ldpm.domain.entities import (
    ENTITY_TYPES,
    BacklogItem,
    Entity,
    ExternalRef,
    Initiative,
    Measurement,
    Metric,
    Person,
    Release,
    Stakeholder,
    Workspace,
)
from ldpm.domain.ranking import is_valid_rank, rank_between, spread_ranks
from ldpm.domain.scoring import Factor, ScoringScheme, scale_problem
from ldpm.domain.validation import ValidationError
from ldpm.persistence.schema import table_name
from ldpm.persistence.store import Tx
from ldpm.services.exchange_kinds import normalise

#: New rows are inserted this many at a time (one statement per type).
FLUSH_EVERY = 5000


def fast_ids(batch: int = 4096) -> Iterator[str]:
    """Fresh random UUIDs (version 4) as 32 hex characters, like
    :func:`~ldpm.domain.entities.new_id`, about five times faster (one ``urandom`` call per
    ``batch``): an import of 100,000 measurements makes 100,000 of them."""
    while True:
        raw = bytearray(os.urandom(16 * batch))
        for start in range(0, 16 * batch, 16):
            raw[start + 6] = (raw[start + 6] & 0x0F) | 0x40  # version 4
            raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80  # RFC 4122 variant
            yield raw[start : start + 16].hex()


class RowError(Exception):
    """A row that cannot be imported; ``reason`` completes "Row 12: …"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Plan:
    """What an import does, as it goes: new rows (written in chunks), changed rows (written
    at once, old values kept for undo), and counts.  With ``write`` False nothing is
    written (a dry run for the preview)."""

    tx: Tx
    write: bool
    pending: dict[type[Entity], list[Entity]] = field(default_factory=dict)
    pending_count: int = 0
    inserted: dict[type[Entity], list[str]] = field(default_factory=dict)
    #: (kind, id, old values, new values) of every changed row, in order.
    updated: list[tuple[type[Entity], str, dict[str, Any], dict[str, Any]]] = field(
        default_factory=list
    )
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def insert(self, entity: Entity) -> None:
        if not self.write:
            return
        kind = type(entity)
        pending = self.pending.get(kind)
        if pending is None:
            pending = self.pending[kind] = []
        pending.append(entity)
        ids = self.inserted.get(kind)
        if ids is None:
            ids = self.inserted[kind] = []
        ids.append(entity.id)
        self.pending_count += 1
        if self.pending_count >= FLUSH_EVERY:
            self.flush()

    def update(self, kind: type[Entity], id_: str, changes: dict[str, Any]) -> None:
        if not self.write or not changes:
            return
        old = self.tx.update(kind, id_, changes)
        if old:
            self.updated.append((kind, id_, old, {k: changes[k] for k in old}))

    def flush(self) -> None:
        for kind in ENTITY_TYPES:  # parents first
            rows = self.pending.pop(kind, None)
            if rows:
                self.tx.insert_many(rows)
        self.pending_count = 0


E = TypeVar("E", bound=Entity)


def _validated(entity: E, fields: Iterable[str] | None = None) -> E:
    """``entity``, checked against its rules (only those reading ``fields``, if given)."""
    try:
        entity.validate(fields)
    except ValidationError as err:
        raise RowError(err.message) from None
    return entity


def _changes(current: Entity, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from ``current``, checked by the rules they touch (a stored
    value over a limit does not block re-importing the other fields)."""
    changes = {k: v for k, v in values.items() if getattr(current, k) != v}
    if changes:
        _validated(dataclasses.replace(current, **changes), changes)
    return changes


class Resolver:
    """Base class: external ids, LDPM ids and the plan (see the module docstring)."""

    entity: type[Entity]

    def __init__(
        self, tx: Tx, plan: Plan, *, source: str, initiative: Initiative | None, rows: int
    ) -> None:
        self.tx = tx
        self.plan = plan
        self.source = source
        self.initiative = initiative
        self.rows = rows
        table = table_name(self.entity)
        self.refs: dict[str, ExternalRef] = {}
        if source:
            for ref in tx.list(ExternalRef, where={"source": source, "entity": table}):
                self.refs[ref.external_id] = ref
        #: Entity ids already named by a row of this file → that row's number.
        self.seen: dict[str, int] = {}

    def found(self, ext: str | None, ldpm_id: str | None, live: dict[str, Any]) -> str | None:
        """The id of the live entity the row's external or LDPM id names, if any."""
        if ext is not None:
            ref = self.refs.get(ext)
            if ref is not None and ref.row_id in live:
                return ref.row_id
        if ldpm_id is not None and ldpm_id in live:
            return ldpm_id
        return None

    def once(self, id_: str, number: int, what: str) -> None:
        first = self.seen.get(id_)
        if first is not None:
            raise RowError(f"It is the same {what} as row {first}; keep one of the two rows.")
        self.seen[id_] = number

    def remember(self, ext: str | None, row_id: str) -> None:
        """Record (or re-point) the external id of a row this import made or matched."""
        if ext is None or not self.source:
            return
        ref = self.refs.get(ext)
        if ref is None:
            ref = ExternalRef(
                source=self.source,
                external_id=ext,
                entity=table_name(self.entity),
                row_id=row_id,
            )
            self.refs[ext] = _validated(ref)
            self.plan.insert(ref)
        elif ref.row_id != row_id:
            self.plan.update(ExternalRef, ref.id, {"row_id": row_id})
            ref.row_id = row_id

    def row(
        self, number: int, values: dict[str, Any], ext: str | None, ldpm_id: str | None
    ) -> None:
        raise NotImplementedError


def _last_rank(ranks: Iterable[str]) -> str | None:
    return max((r for r in ranks if is_valid_rank(r)), default=None)


def _picked(values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {k: values[k] for k in names if values.get(k) is not None}


class ItemResolver(Resolver):
    entity = BacklogItem
    FIELDS = (
        "title", "description", "kind", "mode", "moment", "sourcing", "status", "moscow",
        "effort", "reach", "impact", "confidence", "business_value", "time_criticality",
        "risk_reduction", "job_size", "value",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.initiative is not None
        where = {"initiative_id": self.initiative.id}
        self.items = {i.id: i for i in self.tx.list(BacklogItem, where=where)}
        self.releases = {normalise(r.name): r for r in self.tx.list(Release, where=where)}
        # After the last rank (one written by another program that is not a rank is passed
        # over: it cannot be followed).
        last = _last_rank(i.rank for i in self.items.values())
        base = rank_between(last, None)
        self._ranks = iter([base + r for r in spread_ranks(self.rows)])
        self._release_rank = _last_rank(r.rank for r in self.releases.values())
        workspaces = self.tx.list(Workspace)
        self.scheme = ScoringScheme.of(workspaces[0]) if workspaces else ScoringScheme()

    def _on_scales(self, values: dict[str, Any]) -> None:
        """An impact or confidence must be a step of the workspace's scale, as when edited."""
        for name in ("impact", "confidence"):
            problem = scale_problem(Factor(name), values.get(name), self.scheme)
            if problem is not None:
                raise RowError(problem)

    def row(
        self, number: int, values: dict[str, Any], ext: str | None, ldpm_id: str | None
    ) -> None:
        assert self.initiative is not None
        fields = _picked(values, self.FIELDS)
        release = self._release(str(values["release"])) if values.get("release") else None
        if release is not None:
            fields["release_id"] = release.id
        found = self.found(ext, ldpm_id, self.items)
        if found is None:
            item = _validated(
                BacklogItem(initiative_id=self.initiative.id, rank=next(self._ranks), **fields)
            )
            self._on_scales(fields)
            self.once(item.id, number, "backlog item")
        else:
            self.once(found, number, "backlog item")
            item = self.items[found]
            changes = _changes(item, fields)
            self._on_scales(changes)
        # Valid: now write (a new release first).
        if release is not None and normalise(release.name) not in self.releases:
            self.releases[normalise(release.name)] = release
            self._release_rank = release.rank
            self.plan.insert(release)
        if found is None:
            self.items[item.id] = item
            self.plan.insert(item)
            self.plan.new += 1
        else:
            self.plan.update(BacklogItem, found, changes)
            self._count(changes)
        self.remember(ext, item.id)

    def _release(self, name: str) -> Release:
        """The release called ``name``; a new one (not yet written) if there is none."""
        assert self.initiative is not None
        release = self.releases.get(normalise(name))
        if release is None:
            release = _validated(
                Release(
                    initiative_id=self.initiative.id,
                    name=name.strip(),
                    rank=rank_between(self._release_rank, None),
                )
            )
        return release

    def _count(self, changes: dict[str, Any]) -> None:
        if changes:
            self.plan.changed += 1
        else:
            self.plan.unchanged += 1


class PersonResolver(Resolver):
    entity = Person
    PERSON = ("name", "role", "department", "email", "expertise", "notes")
    STAKE = (
        "kind", "power", "interest", "support", "current_engagement", "desired_engagement",
        "cadence", "engagement_plan", "private_notes",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.id: p for p in self.tx.list(Person, order_by=("name", "id"))}
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for person in self.people.values():
            self._index(person)
        self.stakes: dict[str, Stakeholder] = {}
        if self.initiative is not None:
            for stake in self.tx.list(Stakeholder, where={"initiative_id": self.initiative.id}):
                self.stakes[stake.person_id] = stake

    def _index(self, person: Person) -> None:
        if person.email.strip():
            self.by_email.setdefault(person.email.strip().casefold(), person.id)
        self.by_name.setdefault(normalise(person.name), []).append(person.id)

    def row(
        self, number: int, values: dict[str, Any], ext: str | None, ldpm_id: str | None
    ) -> None:
        values = dict(values)
        if not values.get("name"):
            parts = [str(values.get(k) or "").strip() for k in ("first_name", "last_name")]
            values["name"] = " ".join(p for p in parts if p) or None
        if values.get("stakeholder_kind") is not None:
            values["kind"] = values["stakeholder_kind"]
        fields = _picked(values, self.PERSON)
        found = self.found(ext, ldpm_id, self.people)
        email = str(values.get("email") or "").strip().casefold()
        if found is None and email:
            found = self.by_email.get(email)
        if found is None and not email and values.get("name"):
            same = self.by_name.get(normalise(str(values["name"])), [])
            found = same[0] if len(same) == 1 else None
        stake_fields = _picked(values, self.STAKE)
        if found is None:
            if not values.get("name"):
                raise RowError("The person needs a name.")
            person = _validated(Person(**fields))
            self.once(person.id, number, "person")
            changes: dict[str, Any] = {}
        else:
            self.once(found, number, "person")
            person = self.people[found]
            changes = _changes(person, fields)
        stake, stake_changes = self._stake(person.id, stake_fields)
        # Valid: now write.
        if found is None:
            self.people[person.id] = person
            self._index(person)
            self.plan.insert(person)
            self.plan.new += 1
        else:
            self.plan.update(Person, found, changes)
        if stake is not None:
            if stake_changes is None:
                self.stakes[person.id] = stake
                self.plan.insert(stake)
            else:
                self.plan.update(Stakeholder, stake.id, stake_changes)
        if found is not None:
            if changes or stake_changes:
                self.plan.changed += 1
            else:
                self.plan.unchanged += 1
        self.remember(ext, person.id)

    def _stake(
        self, person_id: str, fields: dict[str, Any]
    ) -> tuple[Stakeholder | None, dict[str, Any] | None]:
        """The person's stake in the initiative (None without one): a new stakeholder with
        no changes (None), or the existing one with its changes.  Validated, not written."""
        if self.initiative is None:
            return None, None
        stake = self.stakes.get(person_id)
        if stake is None:
            new = Stakeholder(initiative_id=self.initiative.id, person_id=person_id, **fields)
            return _validated(new), None
        return stake, _changes(stake, fields)


class MeasurementResolver(Resolver):
    entity = Measurement

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.initiative is not None
        metrics = self.tx.list(Metric, where={"initiative_id": self.initiative.id})
        self.metrics = {normalise(m.name): m for m in metrics}
        self.named: dict[str, Metric | None] = {}  # a row's text → its metric (or none)
        self._ids = fast_ids()
        self.measurements: dict[str, Measurement] = {}
        self.by_key: dict[tuple[str, date, str], str] = {}
        for metric in metrics:
            for m in self.tx.list(Measurement, where={"metric_id": metric.id}):
                self.measurements[m.id] = m
                self.by_key[(m.metric_id, m.on, m.segment)] = m.id
        self.seen_keys: dict[tuple[str, date, str], int] = {}

    def row(
        self, number: int, values: dict[str, Any], ext: str | None, ldpm_id: str | None
    ) -> None:
        assert self.initiative is not None
        name = values.get("metric")
        if not name:
            raise RowError("It names no metric; map a column to Metric or choose one metric.")
        metric = self.named.get(name)
        if metric is None:
            metric = self.named[name] = self.metrics.get(normalise(str(name)))
        if metric is None:
            raise RowError(
                f"“{self.initiative.name}” has no metric called “{name}”; add it first or "
                "correct the name."
            )
        on, value = values["on"], values["value"]
        segment = str(values.get("segment") or "")
        key = (metric.id, on, segment)
        first = self.seen_keys.get(key)
        if first is not None:
            raise RowError(
                f"It measures the same metric on the same date{' and segment' if segment else ''}"
                f" as row {first}; keep one of the two rows."
            )
        self.seen_keys[key] = number
        found = None
        if ext is not None or ldpm_id is not None:
            found = self.found(ext, ldpm_id, self.measurements)
        if found is None:
            found = self.by_key.get(key)
        if found is None:  # the common case, kept short: 100,000 rows go through here
            note = values.get("note")
            measurement = Measurement(
                id=next(self._ids),
                metric_id=metric.id,
                on=on,
                value=value,
                segment=segment,
                note="" if note is None else note,
            )
            try:
                measurement.validate()
            except ValidationError as err:
                raise RowError(err.message) from None
            self.plan.insert(measurement)
            self.plan.new += 1
            if ext is not None:
                self.measurements[measurement.id] = measurement
                self.remember(ext, measurement.id)
            return
        fields: dict[str, Any] = {"metric_id": metric.id, "on": on, "value": value}
        if values.get("segment") is not None:
            fields["segment"] = segment
        if values.get("note") is not None:
            fields["note"] = values["note"]
        self.once(found, number, "measurement")
        changes = _changes(self.measurements[found], fields)
        self.plan.update(Measurement, found, changes)
        if changes:
            self.plan.changed += 1
        else:
            self.plan.unchanged += 1
        self.remember(ext, found)


RESOLVERS: dict[str, type[Resolver]] = {
    "items": ItemResolver,
    "people": PersonResolver,
    "measurements": MeasurementResolver,
}
