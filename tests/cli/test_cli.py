"""The command line, run as a real process: ``ldpm new`` and ``ldpm check``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def ldpm(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LDPM_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "ldpm", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_new_and_check(tmp_path: Path) -> None:
    plain = tmp_path / "Plain.ldpm"
    demo = tmp_path / "Demo.ldpm"
    result = ldpm("new", str(plain), home=tmp_path / "h")
    assert result.returncode == 0, result.stderr
    result = ldpm("new", str(demo), "--demo", home=tmp_path / "h")
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(demo)
    assert con.execute("SELECT count(*) FROM backlog_item").fetchone()[0] >= 12
    con.close()

    result = ldpm("check", str(plain), str(demo), home=tmp_path / "h")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(": OK — project " in line for line in lines)


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "Keep.ldpm"
    path.write_bytes(b"precious")
    result = ldpm("new", str(path), home=tmp_path / "h")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert path.read_bytes() == b"precious"


def test_check_reports_each_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "Good.ldpm"
    assert ldpm("new", str(good), home=tmp_path / "h").returncode == 0
    empty = tmp_path / "Empty.ldpm"
    empty.write_bytes(b"")
    result = ldpm("check", str(good), str(empty), str(tmp_path / "Gone.ldpm"), home=tmp_path / "h")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert ": OK" in lines[0]
    assert "INVALID — “Empty.ldpm” is empty" in lines[1]
    assert "INVALID — “Gone.ldpm” was not found" in lines[2]


def test_usage_errors(tmp_path: Path) -> None:
    assert ldpm("check", home=tmp_path / "h").returncode == 2
    result = ldpm("--version", home=tmp_path / "h")
    assert result.returncode == 0 and result.stdout.startswith("LDPM ")


def test_sync_that_cannot_save_says_so_in_one_sentence(tmp_path: Path) -> None:
    """Issue 6, scenario 37: ``ldpm sync`` printed a Python traceback when its final save
    failed (here the project file is read-only)."""
    home = tmp_path / "h"
    plan = tmp_path / "Plan.ldpm"
    assert ldpm("new", str(plan), home=home).returncode == 0
    share = tmp_path / "share"
    share.mkdir()
    plan.chmod(0o444)
    before = plan.read_bytes()
    result = ldpm("sync", str(plan), "--folder", str(share), home=home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{plan}: ") and "read-only" in line and line.endswith(".")
    assert plan.read_bytes() == before


def test_sync_refuses_plain_http_without_consent(tmp_path: Path) -> None:
    """Issue 6, scenario 28: no password goes over plain http unless the user says so."""
    home = tmp_path / "h"
    plan = tmp_path / "Plan.ldpm"
    assert ldpm("new", str(plan), home=home).returncode == 0
    url = "http://dav.example.invalid/files/maya"
    result = ldpm("sync", str(plan), "--webdav", url, "--user", "maya", home=home)
    assert result.returncode == 1 and "unencrypted" in result.stderr
    assert "--allow-http" in ldpm("sync", "--help", home=home).stdout
