"""Find the replicas of a project in a sync target, whatever sync clients named them.

Every file under the sync folder is a candidate except presence files and the folder's marker
(see :mod:`ldpm.sync.target_base`): conflict copies that
Dropbox, OneDrive, Nextcloud or Syncthing made (``ab12… (Maya's conflicted copy …).ldpm``,
``ab12…-LAPTOP.ldpm``, ``ab12….sync-conflict-….ldpm``), even a file without the ``.ldpm``
suffix, are just more replicas.  What makes a file a replica is its content: SQLite's magic,
LDPM's ``application_id`` and this project's UUID, all after full validation (the seal catches
torn copies).

A file with a ``-journal``/``-wal``/``-shm`` sibling, or whose fingerprint changes while it is
read, is still being written: it is reported as *busy* and read again next time.

A damaged file is kept aside for inspection in ``rejected_dir`` — a folder in LDPM's data folder
that outlives the session, since the sentence shown to the user points there.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ldpm.persistence.fileformat import (
    APPLICATION_ID,
    FILE_SUFFIX,
    SQLITE_MAGIC,
    ChecksumMismatch,
    DamagedFile,
    FileInfo,
    FileProblem,
    NewerVersion,
    NotAProject,
    OtherApplication,
    UntrustedContent,
    inspect_file,
    read_meta,
)
from ldpm.sync.targets import (
    PRESENCE,
    Changed,
    Entry,
    SyncTarget,
    TargetAuthFailed,
    TargetError,
    TargetUnreachable,
    is_marker_name,
)

#: Files SQLite keeps beside a database while it writes it.
SIDECARS = ("-journal", "-wal", "-shm")
INCOMING = "incoming"
REJECTED = "rejected"
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class Replica:
    """A valid replica of this project, copied to ``local_path`` (the caller deletes it)."""

    entry: Entry
    local_path: Path
    info: FileInfo


@dataclass
class DiscoveryResult:
    replicas: list[Replica] = field(default_factory=list)
    #: Still being written (a journal sibling, or changed while read): try again later.
    busy: list[Entry] = field(default_factory=list)
    #: Fingerprint equal to ``previous``: nothing new to merge.
    unchanged: list[Entry] = field(default_factory=list)
    #: Files that look like replicas but cannot be merged, each with a sentence for the user.
    rejected: list[tuple[Entry, str]] = field(default_factory=list)
    #: Valid LDPM files of another project: never merged.
    foreign: list[Entry] = field(default_factory=list)
    #: name → fingerprint of every entry examined, to pass as ``previous`` next time.
    fingerprints: dict[str, str] = field(default_factory=dict)


def _is_presence(entry: Entry) -> bool:
    return entry.name.startswith(f"{PRESENCE}/") and entry.name.endswith(".json")


def _is_sidecar(entry: Entry) -> bool:
    return entry.name.endswith(SIDECARS)


def _looks_like_ldpm(head: bytes) -> bool:
    """SQLite magic and LDPM's application id, from the first 100 bytes of a file."""
    return (
        len(head) >= 72
        and head.startswith(SQLITE_MAGIC)
        and int.from_bytes(head[68:72], "big") == APPLICATION_ID
    )


def keep_aside(local: Path, folder: Path, basename: str) -> Path | None:
    """Move a fetched copy that could not be merged into ``folder`` under a timestamped name,
    for inspection.  Returns where it went, or None if it could not be kept."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = folder / f"{stamp}-{_UNSAFE_CHARS.sub('_', basename)[:120]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(local, kept)
    except OSError:
        return None
    return kept


def _rejection(problem: FileProblem, shown: str, label: str, kept: Path | None) -> str:
    if isinstance(problem, ChecksumMismatch):
        why = (
            "was changed or damaged after LDPM saved it (often a sync client that copied it "
            "half-way)"
        )
    elif isinstance(problem, DamagedFile):
        why = "is damaged or incomplete (often a sync client that copied it half-way)"
    elif isinstance(problem, OtherApplication):
        why = "is a database of another application, not an LDPM project"
    elif isinstance(problem, NotAProject):
        why = "is not an LDPM project file"
    else:
        why = f"cannot be used ({problem.sentence.rstrip('.')})"
    if isinstance(problem, UntrustedContent):
        sentence = f"“{shown}” in {label} was not merged: it {problem.reason.rstrip('.')}"
    else:
        sentence = f"“{shown}” in {label} {why}, so it was not merged"
    if kept is not None:
        sentence += f"; a copy was kept in “{kept}”"
    return sentence + "."


def find_replicas(
    target: SyncTarget,
    *,
    project_uuid: str,
    work_dir: Path,
    previous: dict[str, str],
    rejected_dir: Path | None = None,
) -> DiscoveryResult:
    """Fetch and validate every new or changed replica of ``project_uuid`` in ``target``.

    ``previous`` maps names to the fingerprints seen last time (``result.fingerprints`` of the
    previous run, after its replicas were merged).  Entries whose fingerprint is unchanged are
    not fetched.  Busy entries and entries that could not be read are left out of
    ``fingerprints`` so they are examined again; rejected, foreign and non-LDPM files are
    recorded so they are not fetched (or kept aside) again until they change — clear
    ``previous`` after updating LDPM to give newer-version files another look.

    Local copies go under ``work_dir``: valid replicas in ``incoming/`` (the caller deletes
    them after merging); damaged ones are kept in ``rejected_dir`` (default
    ``work_dir/rejected``) with a timestamped name.  Raises :class:`TargetError` if the target
    cannot be listed or reached.
    """
    result = DiscoveryResult()
    entries = target.list_entries()
    names = {e.name for e in entries}
    incoming = work_dir / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    rejected = rejected_dir if rejected_dir is not None else work_dir / REJECTED
    try:
        for entry in entries:
            if _is_presence(entry) or _is_sidecar(entry) or is_marker_name(entry.name):
                continue
            if any(entry.name + suffix in names for suffix in SIDECARS):
                result.busy.append(entry)
                continue
            if previous.get(entry.name) == entry.fingerprint:
                result.unchanged.append(entry)
                result.fingerprints[entry.name] = entry.fingerprint
                continue
            _examine(target, entry, project_uuid, rejected, incoming, result)
    except BaseException:
        for replica in result.replicas:
            with contextlib.suppress(OSError):
                replica.local_path.unlink()
        raise
    return result


def _examine(
    target: SyncTarget,
    entry: Entry,
    project_uuid: str,
    rejected_dir: Path,
    incoming: Path,
    result: DiscoveryResult,
) -> None:
    local = incoming / f"{uuid.uuid4().hex}{FILE_SUFFIX}"
    try:
        read = target.fetch(entry, local)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            local.unlink()
        if isinstance(exc, Changed):
            result.busy.append(entry)
            return
        if isinstance(exc, TargetError) and not isinstance(
            exc, (TargetUnreachable, TargetAuthFailed)
        ):
            result.rejected.append((entry, str(exc)))
            return
        raise
    keep = False
    try:
        result.fingerprints[entry.name] = read.fingerprint
        with local.open("rb") as fh:
            head = fh.read(100)
        if not _looks_like_ldpm(head) and not entry.basename.lower().endswith(FILE_SUFFIX):
            return  # a stray file (notes.txt, .DS_Store, desktop.ini…): not ours, say nothing
        try:
            info = inspect_file(local, shown_as=Path(entry.basename))
        except NewerVersion:
            version = read_meta(local, "app_version", "unknown")
            result.rejected.append(
                (
                    read,
                    f"“{entry.basename}” in {target.label} was saved by a newer LDPM (version "
                    f"{version}), so it was not merged. Update LDPM to merge it.",
                )
            )
            return
        except FileProblem as problem:
            # A damaged replica (torn, truncated, bit-flipped) is kept aside for inspection.
            kept = None
            if isinstance(problem, DamagedFile | UntrustedContent):
                kept = keep_aside(local, rejected_dir, entry.basename)
            result.rejected.append((read, _rejection(problem, entry.basename, target.label, kept)))
            return
        if info is None or info.project_uuid != project_uuid:
            result.foreign.append(read)
            return
        result.replicas.append(Replica(read, local, info))
        keep = True
    finally:
        if not keep:
            with contextlib.suppress(OSError):
                local.unlink()
