"""Presence notes beside a document, on real files: two devices sharing one folder.

Scenario 1 (and the README's "a second LDPM is told who has it open" on a shared drive), and
scenario 30's person's name.  The read-only folder is a real read-only tmpfs where the machine
allows it (as root, where chmod would not stop a write), else a chmod-ed folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldpm import __version__
from ldpm.persistence.presence_note import (
    MAX_NOTE_BYTES,
    REMOVE_AFTER_SECONDS,
    STALE_AFTER_SECONDS,
    announce,
    is_presence_note,
    note_path,
    others,
    withdraw,
)

MAYA, JON = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    shared = tmp_path / "shared drive" / "Plans"
    shared.mkdir(parents=True)
    path = shared / "Plan.ldpm"
    path.write_bytes(b"stands in for a project file")
    return path


def as_person(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, device: str) -> None:
    """Switch this process to another person's computer (their own LDPM home)."""
    monkeypatch.setenv("LDPM_HOME", str(tmp_path / f"home-{device}"))
    monkeypatch.setenv("LDPM_DEVICE_ID", device)
    monkeypatch.setenv("LDPM_USER_NAME", name)


def notes(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if is_presence_note(p.name))


def write_note(document: Path, device: str, **fields: object) -> Path:
    data: dict[str, object] = {
        "format": 1,
        "name": "Someone Else",
        "device": device,
        "app_version": "0.1.0",
        "since": time.time(),
        "seen": time.time(),
    }
    data.update(fields)
    path = note_path(document, device)
    path.write_text(json.dumps(data))
    return path


def test_two_people_see_each_other_by_name(
    document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_person(monkeypatch, tmp_path, "Maya Keller", MAYA)
    announce(document, MAYA)
    assert others(document, MAYA) == []  # alone: her own note is not someone else
    as_person(monkeypatch, tmp_path, "Jon Ortiz", JON)
    announce(document, JON)

    [maya] = others(document, JON)
    assert (maya.name, maya.device, maya.app_version) == ("Maya Keller", MAYA, __version__)
    as_person(monkeypatch, tmp_path, "Maya Keller", MAYA)
    [jon] = others(document, MAYA)
    assert jon.name == "Jon Ortiz" and jon.device == JON
    # One hidden, recognisable file per device, beside the document; nothing else written.
    assert notes(document.parent) == [
        f".~lock.Plan.ldpm.{MAYA}.json",
        f".~lock.Plan.ldpm.{JON}.json",
    ]
    assert sorted(p.name for p in document.parent.iterdir()) == [
        *notes(document.parent),
        "Plan.ldpm",
    ]
    assert not is_presence_note("Plan.ldpm") and not is_presence_note("Plan (1).ldpm")


def test_a_note_names_a_person_not_an_account_and_host(
    document: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDPM_USER_NAME", "Maya Keller")
    announce(document, MAYA)
    data = json.loads(note_path(document, MAYA).read_text())
    assert data["name"] == "Maya Keller"
    assert "host" not in data and "user" not in data


def test_withdraw_removes_only_ones_own_note(
    document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_person(monkeypatch, tmp_path, "Maya Keller", MAYA)
    announce(document, MAYA)
    as_person(monkeypatch, tmp_path, "Jon Ortiz", JON)
    announce(document, JON)
    withdraw(document, JON)
    assert notes(document.parent) == [f".~lock.Plan.ldpm.{MAYA}.json"]
    assert [p.name for p in others(document, JON)] == ["Maya Keller"]
    withdraw(document, JON)  # again: nothing to remove, no error


def test_heartbeats_keep_since_and_advance_seen(document: Path) -> None:
    start = time.time() - 600
    announce(document, MAYA, now=start)
    announce(document, MAYA, now=start + 60)
    announce(document, MAYA, now=start + 120)
    [note] = others(document, JON, now=start + 150)
    assert (note.since, note.seen) == (start, start + 120)
    # A note left by a crash long ago starts a new session when announced again.
    announce(document, MAYA, now=start + 120 + STALE_AFTER_SECONDS + 1)
    [note] = others(document, JON, now=start + 121 + STALE_AFTER_SECONDS)
    assert note.since == note.seen == start + 120 + STALE_AFTER_SECONDS + 1


def test_newest_first(document: Path) -> None:
    now = time.time()
    write_note(document, "older", name="Older", seen=now - 100)
    write_note(document, "newer", name="Newer", seen=now - 10)
    assert [p.name for p in others(document, MAYA, now=now)] == ["Newer", "Older"]


def test_stale_notes_are_ignored_and_old_ones_removed(document: Path) -> None:
    now = time.time()
    stale = write_note(document, "crashed", seen=now - STALE_AFTER_SECONDS - 1)
    future = write_note(document, "skewed", seen=now + STALE_AFTER_SECONDS + 3600)
    ancient = write_note(document, "ancient", seen=now - REMOVE_AFTER_SECONDS - 1)
    recently_written = write_note(document, "clockbehind", seen=now - REMOVE_AFTER_SECONDS - 1)
    os.utime(ancient, (now - REMOVE_AFTER_SECONDS - 1,) * 2)
    assert others(document, MAYA, now=now) == []
    assert stale.exists() and future.exists()  # ignored, not removed
    assert not ancient.exists()  # anyone who sees it may tidy it away
    assert recently_written.exists()  # its file is new: perhaps a live LDPM with a bad clock


GARBAGE: dict[str, bytes] = {
    "notjson": b"\x00\x01 not json",
    "array": b"[1, 2, 3]",
    "noname": json.dumps({"device": "noname", "seen": time.time()}).encode(),
    "nametype": json.dumps({"name": 7, "device": "nametype", "seen": time.time()}).encode(),
    "seenstr": json.dumps({"name": "X", "device": "seenstr", "seen": "now"}).encode(),
    "seenbool": json.dumps({"name": "X", "device": "seenbool", "seen": True}).encode(),
    "seennan": b'{"name": "X", "device": "seennan", "seen": NaN}',
    "seeninf": b'{"name": "X", "device": "seeninf", "seen": Infinity}',
    "spoofed": json.dumps({"name": "X", "device": "someoneelse", "seen": time.time()}).encode(),
    "blank": json.dumps({"name": " \n\t", "device": "blank", "seen": time.time()}).encode(),
    "deep": b"[" * 4000,  # small, but nested beyond what the parser allows
    "huge": json.dumps(
        {"name": "X", "device": "huge", "seen": time.time(), "pad": "x" * MAX_NOTE_BYTES}
    ).encode(),
}


def test_garbage_notes_are_ignored(document: Path, tmp_path: Path) -> None:
    for device, data in GARBAGE.items():
        note_path(document, device).write_bytes(data)
    folder = document.parent
    elsewhere = tmp_path / "secret.json"
    elsewhere.write_text(json.dumps({"name": "X", "device": "link", "seen": time.time()}))
    note_path(document, "link").symlink_to(elsewhere)  # never followed
    os.mkfifo(note_path(document, "pipe"))  # would block a naive read forever
    note_path(document, "folder").mkdir()
    (folder / ".~lock.Plan.ldpm.bad.device!.json").write_text("{}")
    write_note(document, "good", name="Real Person")

    assert [p.name for p in others(document, MAYA)] == ["Real Person"]
    assert note_path(document, "pipe").exists() and elsewhere.exists()


def test_names_are_cleaned_of_control_characters(document: Path) -> None:
    write_note(document, "tricky", name="Eve\u202e\n\x1b[31m  Mallory" + "x" * 500)
    [note] = others(document, MAYA)
    assert note.name.startswith("Eve [31m Mallory")
    assert all(c.isprintable() for c in note.name) and len(note.name) <= 80


def test_a_missing_folder_is_silent_and_not_created(tmp_path: Path) -> None:
    document = tmp_path / "unplugged stick" / "Plan.ldpm"
    announce(document, MAYA)
    assert others(document, JON) == []
    withdraw(document, MAYA)
    assert not document.parent.exists()


@contextlib.contextmanager
def read_only_folder(where: Path) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0 and shutil.which("mount"):
        ok = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
            capture_output=True,
            check=False,
        )
        if ok.returncode != 0:
            pytest.skip(f"cannot mount tmpfs here: {ok.stderr.decode().strip()}")
        try:
            yield where
        finally:
            subprocess.run(["umount", "-l", str(where)], check=False)
    else:
        yield where


def make_read_only(where: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
    else:
        where.chmod(0o555)


def test_a_read_only_folder_is_silent(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "share") as folder:
        document = folder / "Plan.ldpm"
        document.write_bytes(b"x")
        write_note(document, JON, name="Jon Ortiz")
        make_read_only(folder)
        try:
            announce(document, MAYA)  # no error, no note
            withdraw(document, JON)  # cannot remove: silent
            assert [p.name for p in others(document, MAYA)] == ["Jon Ortiz"]
            assert notes(folder) == [f".~lock.Plan.ldpm.{JON}.json"]
        finally:
            if os.geteuid() != 0:
                folder.chmod(0o755)


def test_notes_are_found_through_a_linked_folder(document: Path, tmp_path: Path) -> None:
    link = tmp_path / "mapped drive"
    link.symlink_to(document.parent, target_is_directory=True)
    announce(link / "Plan.ldpm", MAYA)
    assert [p.device for p in others(document, JON)] == [MAYA]
