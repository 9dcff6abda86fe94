"""One sync of a working copy with a target: discover, merge, publish, presence.

:func:`sync_once` is Qt-free and thread-safe with respect to the GUI: it reads and writes the
working copy through its own SQLite connections (merges run in one ``BEGIN IMMEDIATE``
transaction each) and never touches the caller's objects.  Steps:

1. **Tidy**: remove the stale temporary files this device's interrupted publishes left in the
   sync folder.
2. **Discover** every new or changed file in the sync folder that is a valid replica of this
   project (conflict copies made by sync clients included); busy, damaged, newer and foreign
   files are reported, never merged.
3. **Back up** the working copy (once, if anything is to be merged), then **merge** each
   replica.  A replica the merge refuses (malformed stamps: ``ValueError``) is set aside with
   a sentence and the others still merge.
4. **Publish** this device's replica if the working copy changed since the last publish: a
   sealed snapshot, put in place with compare-and-swap against the fingerprint this device saw
   of its own replica.  If someone else changed it meanwhile (a sync client restoring an old
   copy, a computer with a cloned device id), it is merged first and publishing is retried.
5. Write this device's **presence** and read everyone else's.

**State** (:class:`SyncState`: what was merged from where, what was published) lives *inside
the working copy*, in the ``meta`` table under :data:`STATE_KEY`, one entry per sync folder
(keyed by a hash of the target's identity, so no local path travels with the file).  It is
written after each merge has committed, never before: the state may lag behind the data it
describes (the next sync then merges a replica again, which changes nothing) but never runs
ahead of it.  Because it travels with the data — into the saved file, a copy, a Save As — a
second copy of a project never inherits "already merged" from another, and a sync whose final
save failed is merged again next time.  ``meta`` is not merged between replicas, so another
device's state never leaks into this one.

**Failures** after something was merged do not lose the merge: every exception that leaves
:func:`sync_once` carries the report of what was done (:func:`partial_report`), so the caller
can record it (mark the project unsaved, move the clock, refresh the views).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ldpm.cancel import Cancelled
from ldpm.domain.entities import Conflict, Device
from ldpm.persistence.document import write_snapshot
from ldpm.persistence.fileformat import read_meta
from ldpm.persistence.schema import table_name
from ldpm.sync.discovery import find_replicas, keep_aside
from ldpm.sync.merge import MergeResult, merge_replica
from ldpm.sync.presence import Presence, read_presence, write_presence
from ldpm.sync.targets import Changed, SyncTarget, TargetError, replica_name

#: How often publishing is retried when this device's replica changed under it.
PUBLISH_ATTEMPTS = 3
#: The ``meta`` key holding the sync state (JSON).
STATE_KEY = "sync_state"
#: Sync folders remembered per working copy (the oldest is forgotten first).
MAX_TARGETS = 16
#: Tables whose rows are bookkeeping, not items a person edits.
_BOOKKEEPING = frozenset({table_name(Conflict), table_name(Device)})


class SyncCancelled(Cancelled):
    """The user cancelled; whatever was merged so far is kept (each merge is whole)."""


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(k, str)}


@dataclass
class SyncState:
    """What a working copy remembers about one sync folder between syncs."""

    fingerprints: dict[str, str] = field(default_factory=dict)  # name → fingerprint dealt with
    published: str = ""  # fingerprint of this device's replica as last published
    published_clock: str = ""  # the working copy's clock high-water mark at that publish
    device: str = ""  # the device that published (a copy opened elsewhere is another)
    rejected: dict[str, str] = field(default_factory=dict)  # name → fingerprint not merged
    rejected_by: str = ""  # the LDPM version that rejected them (another one looks again)

    @classmethod
    def from_dict(cls, data: object) -> SyncState:
        """Read a stored state; anything malformed counts as nothing remembered (the working
        copy may come from elsewhere)."""
        if not isinstance(data, dict):
            return cls()
        return cls(
            fingerprints=_strings(data.get("fingerprints")),
            published=str(data.get("published", "")),
            published_clock=str(data.get("published_clock", "")),
            device=str(data.get("device", "")),
            rejected=_strings(data.get("rejected")),
            rejected_by=str(data.get("rejected_by", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprints": self.fingerprints,
            "published": self.published,
            "published_clock": self.published_clock,
            "device": self.device,
            "rejected": self.rejected,
            "rejected_by": self.rejected_by,
        }

    @classmethod
    def load(cls, path: Path) -> SyncState:
        """A state kept in a JSON file (benchmarks and tools; LDPM keeps it in the working
        copy, see :func:`load_state`)."""
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return cls()

    def save(self, path: Path) -> None:
        from ldpm.atomic import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(self.to_dict(), indent=1))

    def settle(self, device: str, app_version: str) -> None:
        """Forget what does not hold here: a publish by another device (this working copy
        came from elsewhere), and rejections by another LDPM version (an upgrade may merge a
        file that was too new before)."""
        if self.device != device:
            self.published = self.published_clock = ""
            self.device = device
        if self.rejected_by != app_version:
            for name in self.rejected:
                self.fingerprints.pop(name, None)
            self.rejected = {}
            self.rejected_by = app_version


def state_key(target: SyncTarget) -> str:
    """The key of a sync folder in the stored state: a hash, so that no local path or address
    travels with the project file."""
    return hashlib.sha256(target.identity.encode("utf-8")).hexdigest()[:32]


def _read_states(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    targets = data.get("targets") if isinstance(data, dict) else None
    return dict(targets) if isinstance(targets, dict) else {}


def load_state(working_db: Path, key: str) -> SyncState:
    """The state a working copy holds for sync folder ``key`` (empty if none)."""
    return SyncState.from_dict(_read_states(read_meta(working_db, STATE_KEY)).get(key))


def store_state(working_db: Path, key: str, state: SyncState) -> bool:
    """Record ``state`` in the working copy (its own transaction).  Returns False if it could
    not be written: the state then lags behind, which only costs a repeated merge."""
    try:
        con = sqlite3.connect(working_db, timeout=30, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        # Losing the last state write in a power cut only costs a repeated merge: no fsync
        # per sync (WAL with NORMAL stays consistent; the merge's own commit was durable).
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("BEGIN IMMEDIATE")
        try:
            row = con.execute("SELECT value FROM meta WHERE key=?", (STATE_KEY,)).fetchone()
            targets = _read_states(str(row[0]) if row else "")
            targets.pop(key, None)
            targets[key] = state.to_dict()
            for old in list(targets)[:-MAX_TARGETS]:
                del targets[old]
            con.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (STATE_KEY, json.dumps({"version": 1, "targets": targets}, sort_keys=True)),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except sqlite3.Error:
        return False
    finally:
        con.close()
    return True


@dataclass
class SyncReport:
    merged: list[str] = field(default_factory=list)  # names of the replicas merged
    result: MergeResult = field(default_factory=MergeResult)
    published: bool = False
    busy: list[str] = field(default_factory=list)  # to retry next time
    rejected: list[tuple[str, str]] = field(default_factory=list)  # name, sentence
    foreign: list[str] = field(default_factory=list)
    others: list[Presence] = field(default_factory=list)
    backup: Path | None = None  # the working copy before this sync's merges
    local_changes: bool = False  # the sync itself wrote to the working copy (device record)
    folder_name: str = ""  # the sync folder's name under the root, as found
    swept: list[str] = field(default_factory=list)  # stale temporary files removed

    @property
    def items_changed(self) -> int:
        """Items (rows a person edits) inserted or updated by the merges."""
        return sum(n for t, n in self.result.by_table.items() if t not in _BOOKKEEPING)

    def summary(self, pending: int = 0) -> str:
        """The one account of this sync for the status bar or the command line: what it
        merged (or that nothing was new), what waits for review (``pending``: unresolved
        changes to review, including earlier ones), what was published, what was skipped."""
        parts = []
        items, new = self.items_changed, self.result.conflicts
        copies = len(self.merged)
        if items:
            parts.append(
                f"Merged {items} changed item{'s' if items != 1 else ''} from {copies} other "
                f"cop{'y' if copies == 1 else 'ies'}."
            )
        if new:
            parts.append(f"{new} new change{'s' if new != 1 else ''} to review.")
        if not items and not new:
            parts.append("Up to date: nothing new from other computers.")
        earlier = pending - new
        if earlier > 0:
            parts.append(
                f"{earlier} earlier change{'s' if earlier != 1 else ''} still to review."
                if new
                else f"{earlier} change{'s' if earlier != 1 else ''} still to review."
            )
        if self.published:
            parts.append("Published this computer's changes.")
        if self.busy:
            n = len(self.busy)
            parts.append(
                f"{n} file{'s were' if n != 1 else ' was'} still being written; LDPM will try "
                "again."
            )
        parts.extend(sentence for _name, sentence in self.rejected)
        return " ".join(parts)


def partial_report(exc: BaseException) -> SyncReport | None:
    """What a failed :func:`sync_once` had done before ``exc`` (merges included), if any."""
    report = getattr(exc, "sync_report", None)
    return report if isinstance(report, SyncReport) else None


def sync_once(
    *,
    working_db: Path,
    project_uuid: str,
    device: str,
    target: SyncTarget,
    work_dir: Path,
    backup: Callable[[str], Path | None],
    app_version: str,
    state: SyncState | None = None,
    rejected_dir: Path | None = None,
    user: str = "",
    host: str = "",
    progress: Callable[[str], None] = lambda _step: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """Sync the working copy with ``target``.

    ``state`` is what was remembered (default: the state the working copy holds for this
    target); it is updated in place and recorded in the working copy as the sync goes.
    ``rejected_dir`` keeps the files that could not be merged (default ``work_dir/rejected``).
    ``user`` is the person's display name for the presence note.

    Raises :class:`TargetError` (a sentence for the user) if the target cannot be used,
    :class:`SyncCancelled` if ``cancelled()`` turned true; every exception carries what was
    done before it (:func:`partial_report`).
    """
    report = SyncReport()
    run = _Run(
        working_db=working_db,
        project_uuid=project_uuid,
        device=device,
        target=target,
        work_dir=work_dir,
        rejected_dir=rejected_dir if rejected_dir is not None else work_dir / "rejected",
        backup=backup,
        progress=progress,
        cancelled=cancelled,
        report=report,
    )
    try:
        run.run(state, user=user, host=host, app_version=app_version)
    except Exception as exc:
        exc.sync_report = report  # type: ignore[attr-defined]
        raise
    return report


@dataclass
class _Run:
    working_db: Path
    project_uuid: str
    device: str
    target: SyncTarget
    work_dir: Path
    rejected_dir: Path
    backup: Callable[[str], Path | None]
    progress: Callable[[str], None]
    cancelled: Callable[[], bool]
    report: SyncReport
    key: str = ""
    state: SyncState = field(default_factory=SyncState)
    stored: dict[str, Any] | None = None  # the state as last recorded in the working copy

    def run(self, state: SyncState | None, *, user: str, host: str, app_version: str) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.key = state_key(self.target)
        self.report.folder_name = self.target.locate().name
        recorded = load_state(self.working_db, self.key)
        self.stored = recorded.to_dict()
        self.state = state if state is not None else SyncState.from_dict(self.stored)
        self.state.settle(self.device, app_version)
        self.report.swept = self.target.sweep_temps(self.device)
        self.merge_new()
        self.publish()
        try:
            write_presence(self.target, self.device, user, host, app_version, datetime.now(UTC))
            self.report.others = read_presence(self.target, exclude_device=self.device)
        except TargetError:
            pass  # presence only informs; the sync itself succeeded

    def _store(self) -> None:
        """Record the state in the working copy, if it changed since last recorded."""
        data = self.state.to_dict()
        if data != self.stored:
            store_state(self.working_db, self.key, self.state)
            self.stored = json.loads(json.dumps(data))

    def merge_new(self) -> None:
        report, state = self.report, self.state
        self.progress("Looking for changes…")
        found = find_replicas(
            self.target,
            project_uuid=self.project_uuid,
            work_dir=self.work_dir,
            previous=state.fingerprints,
            rejected_dir=self.rejected_dir,
        )
        report.busy.extend(e.name for e in found.busy)
        report.rejected.extend((e.name, sentence) for e, sentence in found.rejected)
        report.foreign.extend(e.name for e in found.foreign)
        pending = {r.entry.name for r in found.replicas}
        # Everything examined except what is still to be merged (busy files are absent, so
        # they are read again): the state never says "merged" before the merge committed.
        state.fingerprints = {n: f for n, f in found.fingerprints.items() if n not in pending}
        state.rejected = {
            n: f for n, f in state.rejected.items() if found.fingerprints.get(n) == f
        }
        state.rejected.update({e.name: e.fingerprint for e, _ in found.rejected})
        self._store()
        try:
            for replica in found.replicas:
                if self.cancelled():
                    raise SyncCancelled
                if report.backup is None:
                    report.backup = self.backup("before-sync")
                name, fingerprint = replica.entry.name, replica.entry.fingerprint
                basename = replica.entry.basename
                self.progress(f"Merging {basename}…")
                try:
                    result = merge_replica(self.working_db, replica.local_path)
                except ValueError:
                    # Refused before anything changed (the merge is one transaction).
                    kept = keep_aside(
                        replica.local_path, self.rejected_dir, replica.entry.basename
                    )
                    report.rejected.append((name, self._malformed(replica.entry.basename, kept)))
                    state.rejected[name] = fingerprint
                else:
                    report.result.add(result)
                    report.merged.append(name)
                state.fingerprints[name] = fingerprint
                self._store()
        finally:
            for replica in found.replicas:
                replica.local_path.unlink(missing_ok=True)

    def _malformed(self, basename: str, kept: Path | None) -> str:
        sentence = (
            f"“{basename}” in {self.target.label} holds data LDPM cannot use (written by a "
            "faulty program, or damaged), so it was not merged"
        )
        if kept is not None:
            sentence += f"; a copy was kept in “{kept}”"
        return sentence + "."

    def publish(self) -> None:
        report, state, target = self.report, self.state, self.target
        own = replica_name(self.device)
        for _attempt in range(PUBLISH_ATTEMPTS):
            if self.cancelled():
                raise SyncCancelled
            mark = read_meta(self.working_db, "hlc")
            entries = {e.name: e for e in target.list_entries()}
            current = entries.get(own)
            if (
                current is not None
                and mark == state.published_clock
                and (current.fingerprint == state.published)
            ):
                return  # nothing new here, and our replica is as we left it
            if (
                current is not None
                and current.fingerprint != state.published
                and state.fingerprints.get(own) != current.fingerprint
            ):
                # Our replica changed under us (an old copy restored by a sync client, or a
                # computer sharing our device id): merge it before replacing it.
                state.fingerprints.pop(own, None)
                self.merge_new()
                entries = {e.name: e for e in target.list_entries()}
                current = entries.get(own)
                mark = read_meta(self.working_db, "hlc")
            self.progress("Publishing this computer's changes…")
            snapshot = self.work_dir / f"publish-{self.device}.ldpm"
            snapshot.unlink(missing_ok=True)
            write_snapshot(self.working_db, snapshot, device=self.device)
            try:
                entry = target.publish(
                    snapshot, own, current.fingerprint if current is not None else None
                )
            except Changed:
                continue  # changed between our look and our write: look again
            finally:
                snapshot.unlink(missing_ok=True)
            state.published, state.published_clock = entry.fingerprint, mark
            state.fingerprints[own] = entry.fingerprint
            self._store()
            report.published = True
            return
        raise TargetError(
            f"LDPM could not publish this computer's changes to {target.label}: its copy kept "
            "changing. Try again in a moment."
        )


def discard_work_dir(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)
