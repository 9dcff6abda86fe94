"""One sync of a working copy with a target: discover, merge, publish, presence.

:func:`sync_once` is Qt-free and thread-safe with respect to the GUI: it reads and writes the
working copy through its own SQLite connections (merges run in one ``BEGIN IMMEDIATE``
transaction) and never touches the caller's objects.  Steps:

1. **Discover** every new or changed file in the sync folder that is a valid replica of this
   project (conflict copies made by sync clients included); busy, damaged, newer and foreign
   files are reported, never merged.
2. **Back up** the working copy (once, if anything is to be merged), then **merge** each
   replica.
3. **Publish** this device's replica if the working copy changed since the last publish: a
   sealed snapshot, put in place with compare-and-swap against the fingerprint this device saw
   of its own replica.  If someone else changed it meanwhile (a sync client restoring an old
   copy, a computer with a cloned device id), it is merged first and publishing is retried.
4. Write this device's **presence** and read everyone else's.

State kept between syncs (:class:`SyncState`, local to this computer, never synced) lets a sync
with nothing new skip every download.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ldpm.persistence.document import write_snapshot
from ldpm.persistence.fileformat import read_meta
from ldpm.sync.discovery import find_replicas
from ldpm.sync.merge import MergeResult, merge_replica
from ldpm.sync.presence import Presence, read_presence, write_presence
from ldpm.sync.targets import Changed, SyncTarget, TargetError, replica_name

#: How often publishing is retried when this device's replica changed under it.
PUBLISH_ATTEMPTS = 3


class SyncCancelled(Exception):
    """The user cancelled; whatever was merged so far is kept (each merge is whole)."""


@dataclass
class SyncState:
    """What this computer remembers about one project's sync target between syncs."""

    fingerprints: dict[str, str] = field(default_factory=dict)  # name → fingerprint seen
    published: str = ""  # fingerprint of this device's replica as last published
    published_clock: str = ""  # the working copy's clock high-water mark at that publish

    @classmethod
    def load(cls, path: Path) -> SyncState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                fingerprints={str(k): str(v) for k, v in data.get("fingerprints", {}).items()},
                published=str(data.get("published", "")),
                published_clock=str(data.get("published_clock", "")),
            )
        except (OSError, ValueError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        tmp.replace(path)


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

    def summary(self) -> str:
        """One or two plain sentences for the status bar or the command line."""
        parts = []
        if self.merged:
            r = self.result
            rows = r.inserted + r.updated
            parts.append(
                f"Merged {len(self.merged)} cop{'y' if len(self.merged) == 1 else 'ies'}: "
                f"{rows} item{'s' if rows != 1 else ''} changed, {r.conflicts} new "
                f"conflict{'s' if r.conflicts != 1 else ''} to review."
            )
        else:
            parts.append("Nothing new to merge.")
        if self.published:
            parts.append("Published this computer's changes.")
        if self.busy:
            parts.append(f"{len(self.busy)} file(s) were still being written; will retry.")
        parts.extend(sentence for _name, sentence in self.rejected)
        return " ".join(parts)


def sync_once(
    *,
    working_db: Path,
    project_uuid: str,
    device: str,
    target: SyncTarget,
    state: SyncState,
    work_dir: Path,
    backup: Callable[[str], Path | None],
    user: str,
    host: str,
    app_version: str,
    progress: Callable[[str], None] = lambda _step: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """Sync the working copy with ``target``.  Raises :class:`TargetError` (a sentence for the
    user) if the target cannot be used; the working copy is then as before this step."""
    report = SyncReport()
    work_dir.mkdir(parents=True, exist_ok=True)
    own = replica_name(device)

    def merge_new() -> None:
        progress("Looking for changes…")
        found = find_replicas(
            target, project_uuid=project_uuid, work_dir=work_dir, previous=state.fingerprints
        )
        report.busy.extend(e.name for e in found.busy)
        report.rejected.extend((e.name, sentence) for e, sentence in found.rejected)
        report.foreign.extend(e.name for e in found.foreign)
        try:
            for replica in found.replicas:
                if cancelled():
                    raise SyncCancelled
                if report.backup is None:
                    report.backup = backup("before-sync")
                progress(f"Merging {replica.entry.basename}…")
                report.result.add(merge_replica(working_db, replica.local_path))
                report.merged.append(replica.entry.name)
        finally:
            for replica in found.replicas:
                replica.local_path.unlink(missing_ok=True)
        # Everything seen and dealt with; busy files are absent, so they are read again.
        state.fingerprints = dict(found.fingerprints)

    merge_new()
    for _attempt in range(PUBLISH_ATTEMPTS):
        if cancelled():
            raise SyncCancelled
        mark = read_meta(working_db, "hlc")
        entries = {e.name: e for e in target.list_entries()}
        current = entries.get(own)
        if (
            current is not None
            and mark == state.published_clock
            and (current.fingerprint == state.published)
        ):
            break  # nothing new here, and our replica is as we left it
        if current is not None and current.fingerprint != state.published:
            # Our replica changed under us (an old copy restored by a sync client, or a
            # computer sharing our device id): merge it before replacing it.
            state.fingerprints.pop(own, None)
            merge_new()
            entries = {e.name: e for e in target.list_entries()}
            current = entries.get(own)
            mark = read_meta(working_db, "hlc")
        progress("Publishing this computer's changes…")
        snapshot = work_dir / f"publish-{device}.ldpm"
        snapshot.unlink(missing_ok=True)
        write_snapshot(working_db, snapshot, device=device)
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
        report.published = True
        break
    else:
        raise TargetError(
            f"LDPM could not publish this computer's changes to {target.label}: its copy kept "
            "changing. Try again in a moment."
        )

    try:
        write_presence(target, device, user, host, app_version, datetime.now(UTC))
        report.others = read_presence(target, exclude_device=device)
    except TargetError:
        pass  # presence only informs; the sync itself succeeded
    return report


def discard_work_dir(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)
