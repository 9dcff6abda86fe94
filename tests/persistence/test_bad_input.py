"""Every kind of bad input gets one plain sentence and changes nothing on disk."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from ldpm.persistence import fileformat
from ldpm.persistence.document import Document
from ldpm.persistence.fileformat import (
    ChecksumMismatch,
    DamagedFile,
    FileProblem,
    MissingFile,
    NewerVersion,
    NotAProject,
    OtherApplication,
    inspect_file,
    new_placeholder,
    seal_file,
)
from tests.conftest import DEVICE


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(text: str) -> None:
    assert (text and text[0].isupper()) or text.startswith("“"), text
    assert text.endswith("."), text
    assert "\n" not in text and "Traceback" not in text and "sqlite" not in text.lower()


def make_newer(source: Path, target: Path) -> None:
    """A valid, sealed file that claims to need a newer LDPM."""
    target.write_bytes(source.read_bytes())
    placeholder = new_placeholder()
    con = sqlite3.connect(target)
    with con:
        con.execute(
            "UPDATE meta SET value='99' WHERE key IN ('min_reader_version', 'format_version')"
        )
        con.execute("UPDATE meta SET value='9.4.0' WHERE key='app_version'")
        con.execute("UPDATE meta SET value=? WHERE key='content_checksum'", (placeholder,))
        con.execute("PRAGMA user_version=99")
    con.close()
    seal_file(target, placeholder)


def bad_files(tmp_path: Path, good: Path) -> dict[str, tuple[Path, type[FileProblem], str]]:
    """name → (file, expected problem type, a phrase its sentence must contain)."""
    d = tmp_path / "bad"
    d.mkdir()
    files: dict[str, tuple[Path, type[FileProblem], str]] = {}

    files["missing"] = (d / "gone.ldpm", MissingFile, "was not found")

    empty = d / "empty.ldpm"
    empty.write_bytes(b"")
    files["empty"] = (empty, NotAProject, "is empty")

    truncated = d / "truncated.ldpm"
    data = good.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    files["truncated"] = (truncated, DamagedFile, "incomplete")

    zipped = d / "archive.ldpm"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("Plan.ldpm", data)
    files["zip"] = (zipped, NotAProject, "ZIP archive")

    html = d / "download.ldpm"
    html.write_text(
        "<!DOCTYPE html><html><head><title>Sign in</title></head>"
        "<body>Session expired</body></html>",
        encoding="utf-8",
    )
    files["html"] = (html, NotAProject, "web page")

    other = d / "other-app.ldpm"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO songs (title) VALUES ('Blue in Green')")
    con.commit()
    con.close()
    files["other_app"] = (other, OtherApplication, "another application")

    newer = d / "newer.ldpm"
    make_newer(good, newer)
    files["newer"] = (newer, NewerVersion, "newer LDPM (version 9.4.0)")

    tampered = d / "tampered.ldpm"
    tampered.write_bytes(data)
    con = sqlite3.connect(tampered)
    with con:
        con.execute("UPDATE initiative SET name = name || ' (edited elsewhere)'")
    con.close()
    files["checksum"] = (tampered, ChecksumMismatch, "changed or damaged after LDPM saved it")

    return files


CASES = ["missing", "empty", "truncated", "zip", "html", "other_app", "newer", "checksum"]


@pytest.mark.parametrize("case", CASES)
def test_inspect_rejects_with_a_sentence(tmp_path: Path, demo_path: Path, case: str) -> None:
    path, kind, phrase = bad_files(tmp_path, demo_path)[case]
    before = digest(path) if path.exists() else None
    with pytest.raises(kind) as info:
        inspect_file(path)
    one_sentence(info.value.sentence)
    assert phrase in info.value.sentence
    assert path.name in info.value.sentence
    assert (digest(path) if path.exists() else None) == before


@pytest.mark.parametrize("case", CASES)
def test_open_rejects_and_leaves_file_and_folders_clean(
    tmp_path: Path, demo_path: Path, work: dict[str, Path], case: str
) -> None:
    path, kind, phrase = bad_files(tmp_path, demo_path)[case]
    before = digest(path) if path.exists() else None
    with pytest.raises(kind) as info:
        Document.open(path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    assert phrase in info.value.sentence
    assert (digest(path) if path.exists() else None) == before
    assert list(work["work"].iterdir()) == []  # no working folder left behind
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in path.parent.iterdir() if not p.name.endswith("-journal")
    )


def test_other_application_id_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.ldpm"
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id=1234")
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(OtherApplication):
        inspect_file(path)


def test_torn_file_from_two_versions_is_rejected(
    tmp_path: Path, demo_path: Path, work: dict[str, Path]
) -> None:
    """A sync client that delivers half of the old file and half of the new one."""
    doc = Document.open(demo_path, root=work["work"], backup_root=work["backups"], device=DEVICE)
    old = demo_path.read_bytes()
    with doc.store.transaction() as tx:
        tx.conn.exec_driver_sql("UPDATE initiative SET owner = owner || ' and team'")
    doc.mark_unsaved()
    doc.save()
    new = demo_path.read_bytes()
    doc.close()
    assert len(old) == len(new) and old != new
    page = 4096
    half = (len(old) // page // 2) * page
    torn = tmp_path / "torn.ldpm"
    torn.write_bytes(new[:half] + old[half:])
    with pytest.raises(DamagedFile):
        inspect_file(torn)


def test_unsealed_file_is_rejected(tmp_path: Path, demo_path: Path) -> None:
    path = tmp_path / "unsealed.ldpm"
    path.write_bytes(demo_path.read_bytes())
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE meta SET value='' WHERE key='content_checksum'")
    con.close()
    with pytest.raises(ChecksumMismatch):
        inspect_file(path)


def test_folder_is_not_a_project(tmp_path: Path) -> None:
    folder = tmp_path / "Folder.ldpm"
    folder.mkdir()
    with pytest.raises(NotAProject, match="is a folder"):
        inspect_file(folder)


def test_seal_round_trip(demo_path: Path) -> None:
    info = inspect_file(demo_path)
    assert info is not None
    assert fileformat.verify_seal(demo_path, info.checksum)
    assert not fileformat.verify_seal(demo_path, "0" * 64)
