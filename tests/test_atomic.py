"""``ldpm.atomic``: whole-or-nothing writes and the sweep of interrupted ones, on real files."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from ldpm import atomic


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("old", encoding="utf-8")
    atomic.atomic_write(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("old", encoding="utf-8")

    def broken_replace(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ldpm.atomic.os.replace", broken_replace)
    with pytest.raises(OSError):
        atomic.atomic_write(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_temporary_names_are_recognisable(tmp_path: Path) -> None:
    tmp = atomic.temp_path(tmp_path / "Plan.ldpm")
    assert tmp.parent == tmp_path
    assert atomic.is_temp_name(tmp.name)
    assert atomic.is_temp_name(tmp.name + "-journal")
    assert atomic.is_temp_name("replicas/" + tmp.name)
    for name in ("Plan.ldpm", ".Plan.ldpm", "Plan.ldpm-tmp", "notes.ldpm-tmp.txt"):
        assert not atomic.is_temp_name(name), name


def test_sweep_removes_only_stale_temporaries(tmp_path: Path) -> None:
    doc = tmp_path / "Plan.ldpm"
    doc.write_bytes(b"document")
    stale = atomic.temp_path(doc)
    stale.write_bytes(b"half a save")
    stale_journal = Path(str(atomic.temp_path(doc)) + "-journal")
    stale_journal.write_bytes(b"journal")
    fresh = atomic.temp_path(doc)
    fresh.write_bytes(b"a save running right now")
    other = tmp_path / ".hidden.tmp"  # not ours
    other.write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    for p in (stale, stale_journal, other):
        os.utime(p, (an_hour_ago, an_hour_ago))
    removed = atomic.sweep_stale_temps(tmp_path)
    assert sorted(removed) == sorted([stale, stale_journal])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([doc.name, fresh.name, other.name])


def test_sweep_of_a_missing_folder_is_quiet(tmp_path: Path) -> None:
    assert atomic.sweep_stale_temps(tmp_path / "gone") == []


def test_fsync_file_opens_for_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses fsync on a read-only descriptor: the flags must ask for writing."""
    path = tmp_path / "f"
    path.write_bytes(b"x")
    seen: list[int] = []
    real_open = os.open

    def spy(p: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        seen.append(flags)
        return real_open(p, flags, *args, **kwargs)

    monkeypatch.setattr("ldpm.atomic.os.open", spy)
    atomic.fsync_file(path)
    assert seen and seen[0] & os.O_RDWR
