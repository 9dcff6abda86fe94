"""The ``.ldpm`` file format: identity, version, the seal, and validation.

A project file is a SQLite database in rollback-journal mode with

* ``PRAGMA application_id`` = :data:`APPLICATION_ID` ("LDPM" in ASCII),
* ``PRAGMA user_version`` = the schema version that wrote it,
* a ``meta`` table holding ``project_uuid``, ``format_version``, ``min_reader_version``,
  ``app_version``, ``device``, ``saved_at`` and ``content_checksum``.

**The seal.**  ``content_checksum`` is the SHA-256 of the file's bytes, computed with the
checksum's own 64 characters replaced by ``"0" * 64``.  It detects any change made to the file
after LDPM wrote it: a torn copy from a sync client (pages of two versions), a truncation, a
half-copied page, a bit flip.  ARCHITECTURE.md proposes a hash over a canonical dump of the rows;
we measured that at 0.25–0.4 s on the large benchmark workspace, three to six times the cost of
the ``VACUUM INTO`` that writes the file, while hashing the bytes takes about 0.03 s and also
covers indexes and page structure.  The file is sealed once, after the snapshot is complete and
before it is moved into place; it is never modified in place afterwards.

**Validation** (:func:`inspect_file`) runs in the order the architecture gives: size (at most
:data:`MAX_FILE_SIZE`) and SQLite magic → application_id → schema objects (no triggers, views or
virtual tables, checked before any table is read) → version → quick_check → foreign_key_check →
seal → project identity → content (:mod:`content`: tables and columns, the type, choice and
stamps of every value, row counts, the clock).  The content is checked on a thread of its own
while this thread runs quick_check, foreign_key_check and the seal, but a failure is reported in
that order.  It never writes to the file.  Each failure is a :class:`FileProblem` whose ``str()``
is one plain sentence saying what is wrong and what to do.

Two findings about content are reported in :class:`FileInfo` rather than refused: stored values
over a field's limit (``over_limit``), and — only with ``future_stamps="report"``, for an opened
document whose working copy is then clamped with :func:`content.clamp_future_stamps` — stamps
later than the trusted bound of this computer's clock (``future_stamps``).  Replicas and
``ldpm check`` refuse far-future stamps.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ldpm.persistence import content
from ldpm.persistence.content import OverLimit
from ldpm.persistence.problems import (
    ChecksumMismatch,
    DamagedFile,
    FileProblem,
    FileTooLarge,
    FutureStamps,
    InvalidContent,
    MissingFile,
    NewerVersion,
    NotAProject,
    OtherApplication,
    TooManyRows,
    UnexpectedSchema,
    UnreadableFile,
    UntrustedContent,
    WrongProject,
)

__all__ = [
    "APPLICATION_ID",
    "CHECKSUM_KEY",
    "FILE_SUFFIX",
    "MAX_FILE_SIZE",
    "MIN_READER_VERSION",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "ChecksumMismatch",
    "DamagedFile",
    "FileInfo",
    "FileProblem",
    "FileTooLarge",
    "FutureStamps",
    "InvalidContent",
    "MissingFile",
    "NewerVersion",
    "NotAProject",
    "OtherApplication",
    "OverLimit",
    "TooManyRows",
    "UnexpectedSchema",
    "UnreadableFile",
    "UntrustedContent",
    "WrongProject",
    "connect_readonly",
    "display_name",
    "fsync_dir",
    "inspect_file",
    "new_placeholder",
    "read_meta",
    "seal_file",
    "verify_seal",
]

APPLICATION_ID = 0x4C44504D  # b"LDPM"
#: The schema version this build writes (PRAGMA user_version).
SCHEMA_VERSION = 8
#: The oldest schema reader that can read what this build writes.  (Version 8 only added an
#: index, which version 7 reads, validates and keeps: it need not refuse the file.)
MIN_READER_VERSION = 7
SQLITE_MAGIC = b"SQLite format 3\x00"
CHECKSUM_KEY = "content_checksum"
CHECKSUM_LENGTH = 64
_FILLER = b"0" * CHECKSUM_LENGTH
FILE_SUFFIX = ".ldpm"
#: The largest file LDPM opens or merges: 1 GiB.  The large benchmark workspace (50
#: initiatives, 10,000 backlog items, 100,000 measurements — far more than a real team's
#: portfolio) is 31 MB, so this leaves thirty times that; a bigger file is not a real
#: project, and opening it would first copy all of it into the data folder.
MAX_FILE_SIZE = 1 << 30
#: The ``meta`` keys validation reads.
_META_KEYS = (
    "project_uuid",
    "format_version",
    "min_reader_version",
    "app_version",
    "device",
    "saved_at",
    CHECKSUM_KEY,
    "hlc",
)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What validation learned about a good file."""

    path: Path
    project_uuid: str
    schema_version: int
    app_version: str
    device: str
    saved_at: str
    checksum: str
    size: int
    #: Stamps (the ``meta`` clock included) later than the trusted bound; only counted with
    #: ``inspect_file(..., future_stamps="report")`` (otherwise they are refused).
    future_stamps: int = 0
    #: Stored values that break a rule of their field (too long, out of range): reported,
    #: not refused; such a row can still be edited (an edit checks only what it touches).
    over_limit: tuple[OverLimit, ...] = ()


def display_name(path: Path) -> str:
    return f"“{path.name}”"


# ------------------------------------------------------------------------------------- seal


def _digest_with_filler(data: mmap.mmap | bytes, offset: int) -> str:
    h = hashlib.sha256()
    view = memoryview(data)
    try:
        h.update(view[:offset])
        h.update(_FILLER)
        h.update(view[offset + CHECKSUM_LENGTH :])
    finally:
        view.release()
    return h.hexdigest()


def seal_file(path: Path, placeholder: str) -> str:
    """Replace ``placeholder`` (a unique 64-hex value already stored as the checksum in the
    meta table) with the file's SHA-256, in place.  Returns the checksum."""
    marker = placeholder.encode("ascii")
    if len(marker) != CHECKSUM_LENGTH:
        raise ValueError("placeholder must be 64 characters")
    with path.open("r+b") as fh, mmap.mmap(fh.fileno(), 0) as mm:
        offset = mm.find(marker)
        if offset < 0 or mm.find(marker, offset + 1) >= 0:
            raise RuntimeError("checksum placeholder not found exactly once")
        digest = _digest_with_filler(mm, offset)
        mm[offset : offset + CHECKSUM_LENGTH] = digest.encode("ascii")
        mm.flush()
    return digest


def verify_seal(path: Path, checksum: str) -> bool:
    """True if ``checksum`` (as read from the meta table) matches the file's bytes."""
    if len(checksum) != CHECKSUM_LENGTH:
        return False
    marker = checksum.encode("ascii")
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        offset = mm.find(marker)
        while offset >= 0:
            if _digest_with_filler(mm, offset) == checksum:
                return True
            offset = mm.find(marker, offset + 1)
    return False


def new_placeholder() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


# ------------------------------------------------------------------------------- validation


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a file for reading only; SQLite will not lock, journal or write it."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True)


def read_meta(path: Path, key: str, default: str = "") -> str:
    """One value of a database's ``meta`` table, or ``default`` if it cannot be read.  Opens
    read-only but not immutable, so a working copy's committed WAL pages are seen."""
    try:
        con = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return default
    return str(row[0]) if row else default


def _sniff_kind(head: bytes) -> str:
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        stripped.startswith(b"<") and b"<html" in head.lower()
    ):
        return "html"
    if stripped.startswith(b"%pdf"):
        return "pdf"
    return "other"


def _check_header(path: Path, size: int, head: bytes) -> None:
    name = display_name(path)
    if size == 0:
        raise NotAProject(
            f"{name} is empty (0 bytes), so there is no project in it. If it came from a "
            "USB stick, e-mail or sync folder, copy it again from the original.",
            path,
        )
    if not head.startswith(SQLITE_MAGIC):
        kind = _sniff_kind(head)
        if kind == "zip":
            sentence = (
                f"{name} is a ZIP archive that was renamed, not an LDPM project. If a project "
                "was sent to you zipped, extract it first and open the .ldpm file inside."
            )
        elif kind == "html":
            sentence = (
                f"{name} is a web page, not an LDPM project — probably an error page saved in "
                "place of a download. Download the project again."
            )
        elif kind == "pdf":
            sentence = f"{name} is a PDF document, not an LDPM project."
        else:
            sentence = f"{name} is not an LDPM project file. Check that you picked the right file."
        raise NotAProject(sentence, path)
    if size < 100:
        raise DamagedFile(_truncated_sentence(path), path)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    change_counter = int.from_bytes(head[24:28], "big")
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedFile(_damaged_sentence(path), path)
    if valid_for == change_counter and page_count and size < page_count * page_size:
        raise DamagedFile(_truncated_sentence(path), path)
    if size % page_size:
        raise DamagedFile(_truncated_sentence(path), path)
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise OtherApplication(
            f"{name} is a database of another application, not an LDPM project. Open it with "
            "the program that created it.",
            path,
        )


def _truncated_sentence(path: Path) -> str:
    return (
        f"{display_name(path)} is incomplete — it looks cut off, perhaps by an interrupted copy "
        "or download. Copy it again from the original, or open one of its backups."
    )


def _damaged_sentence(path: Path) -> str:
    return (
        f"{display_name(path)} is damaged and cannot be opened safely. Copy it again from the "
        "original, or open one of its backups."
    )


def _size_text(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.0f} MB"


def _read_meta(con: sqlite3.Connection, path: Path) -> dict[str, str]:
    try:
        rows = con.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(_META_KEYS))})",
            _META_KEYS,
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            raise DamagedFile(_damaged_sentence(path), path) from exc
        raise
    return {str(k): str(v) for k, v in rows}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def inspect_file(
    path: Path,
    *,
    expected_project: str | None = None,
    verify_checksum: bool = True,
    header_only: bool = False,
    shown_as: Path | None = None,
    future_stamps: Literal["reject", "report"] = "reject",
    wall_ms: int | None = None,
) -> FileInfo | None:
    """Validate a project file without modifying it.  Raises :class:`FileProblem`.

    ``header_only`` stops after the cheap checks (existence, size, magic, application id) and
    returns None.  ``shown_as`` names the file in sentences (when ``path`` is a private copy).
    ``future_stamps="report"`` counts stamps beyond the trusted bound of the clock (``wall_ms``,
    default now) in :attr:`FileInfo.future_stamps` instead of raising :class:`FutureStamps`.
    """
    path = Path(path)
    real_path = path
    if shown_as is not None:
        path = shown_as
    name = display_name(path)
    try:
        st = real_path.stat()
    except FileNotFoundError:
        raise MissingFile(
            f"{name} was not found — it may have been moved, renamed or deleted, or "
            "the drive it was on is not connected.",
            path,
        ) from None
    except OSError as exc:
        raise UnreadableFile(
            f"LDPM cannot reach {name} ({exc.strerror}). Check that the drive is connected.",
            path,
        ) from None
    if real_path.is_dir():
        raise NotAProject(f"{name} is a folder, not an LDPM project file.", path)
    if st.st_size > MAX_FILE_SIZE:
        raise FileTooLarge(
            f"{name} is {_size_text(st.st_size)}, far larger than any LDPM project, so LDPM "
            "will not open it. Check that you picked the right file.",
            path,
        )
    try:
        with real_path.open("rb") as fh:
            head = fh.read(1024)
    except PermissionError:
        raise UnreadableFile(
            f"LDPM is not allowed to read {name}. Ask the owner of the file for access, or "
            "copy it somewhere you can read it.",
            path,
        ) from None
    except OSError as exc:
        raise UnreadableFile(
            f"LDPM could not read {name} ({exc.strerror}). Check that the drive is connected.",
            path,
        ) from None
    _check_header(path, st.st_size, head)
    if header_only:
        return None

    try:
        con = connect_readonly(real_path)
    except sqlite3.Error as exc:
        raise DamagedFile(_damaged_sentence(path), path) from exc
    try:
        try:
            tables = content.check_schema_objects(con, name)
            user_version = int(con.execute("PRAGMA user_version").fetchone()[0])
            meta_rows = _read_meta(con, path)
        except sqlite3.DatabaseError as exc:
            raise DamagedFile(_damaged_sentence(path), path) from exc
        min_reader = _int(meta_rows.get("min_reader_version"), user_version)
        app_version = meta_rows.get("app_version", "unknown")
        if min_reader > SCHEMA_VERSION:
            raise NewerVersion(
                f"{name} was saved by a newer LDPM (version {app_version}). Update LDPM to "
                "open it; the file has not been changed.",
                path,
            )
        # The content is checked on a thread of its own while SQLite checks the structure
        # here; a structural problem is still the one reported, as the order says.
        background = content.Background(
            lambda: connect_readonly(real_path),
            partial(
                content.check_content,
                tables=tables,
                meta=meta_rows,
                name=name,
                schema_version=user_version,
                # A newer schema may have tables and columns of its own (it says so in either).
                newer=max(user_version, _int(meta_rows.get("format_version"), 0)) > SCHEMA_VERSION,
                report_future=future_stamps == "report",
                wall_ms=time.time_ns() // 1_000_000 if wall_ms is None else wall_ms,
            ),
        )
        try:
            checksum, project_uuid = _check_structure(
                con, real_path, path, meta_rows, verify_checksum, expected_project
            )
        except BaseException:
            background.cancel()
            raise
        try:
            findings = background.result()
        except sqlite3.DatabaseError as exc:
            raise DamagedFile(_damaged_sentence(path), path) from exc
    except UntrustedContent as problem:
        problem.path = path
        raise
    finally:
        con.close()
    return FileInfo(
        path=path,
        project_uuid=project_uuid,
        schema_version=user_version,
        app_version=app_version,
        device=meta_rows.get("device", ""),
        saved_at=meta_rows.get("saved_at", ""),
        checksum=checksum,
        size=st.st_size,
        future_stamps=findings.future_stamps,
        over_limit=findings.over_limit,
    )


def _check_structure(
    con: sqlite3.Connection,
    real_path: Path,
    path: Path,
    meta: dict[str, str],
    verify_checksum: bool,
    expected_project: str | None,
) -> tuple[str, str]:
    """quick_check → foreign_key_check → seal → project identity.  Returns the checksum and
    the project UUID."""
    name = display_name(path)
    try:
        problems = con.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise DamagedFile(_damaged_sentence(path), path)
        broken_links = con.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedFile(_damaged_sentence(path), path) from exc
    if broken_links:
        raise DamagedFile(
            f"{name} is damaged: some of its entries refer to others that are missing. "
            "Copy it again from the original, or open one of its backups.",
            path,
        )
    checksum = meta.get(CHECKSUM_KEY, "")
    if verify_checksum and not verify_seal(real_path, checksum):
        raise ChecksumMismatch(
            f"{name} was changed or damaged after LDPM saved it — often a sync client or an "
            "interrupted copy. Copy it again from the original, or open one of its backups.",
            path,
        )
    project_uuid = meta.get("project_uuid", "")
    try:
        uuid.UUID(hex=project_uuid)
    except ValueError:
        raise DamagedFile(_damaged_sentence(path), path) from None
    if expected_project is not None and project_uuid != expected_project:
        raise WrongProject(f"{name} belongs to a different project, so it was not used.", path)
    return checksum, project_uuid


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
