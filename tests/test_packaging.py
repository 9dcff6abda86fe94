"""The package list in pyproject.toml names every package, resources load from it, and a built
wheel holds every resource file (quietly: setuptools has nothing to warn about)."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def _config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _resource_files() -> list[Path]:
    """Every data file under resources/ (the Python files are the package itself)."""
    return sorted(
        p
        for p in RESOURCES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")
    )


def test_every_package_is_listed() -> None:
    listed = set(_config()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "ldpm").rglob("__init__.py")
    }
    # Python imports every folder under resources/ as a (namespace) package, so setuptools
    # wants each of them listed too.
    folders = {
        ".".join(("ldpm", "resources", *d.relative_to(RESOURCES).parts))
        for d in RESOURCES.rglob("*")
        if d.is_dir() and "__pycache__" not in d.parts
    }
    assert found | {"ldpm.resources"} | folders == listed


def test_every_resource_file_is_package_data() -> None:
    patterns = _config()["tool"]["setuptools"]["package-data"]["ldpm.resources"]
    files = _resource_files()
    assert any(p.parts[-2:] == ("demo", "northwind.json") for p in files)
    for path in files:
        relative = path.relative_to(RESOURCES).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_resources_load_through_importlib() -> None:
    qss = resources.files("ldpm.resources") / "themes" / "base.qss"
    assert "${accent}" in qss.read_text(encoding="utf-8")


def _offline(output: str) -> bool:
    return "No matching distribution found for setuptools" in output or (
        "Could not find a version that satisfies the requirement setuptools" in output
    )


@pytest.mark.slow
def test_a_built_wheel_holds_every_resource_without_warnings(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy, so that the build leaves nothing in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("ldpm", "resources"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode and _offline(output):
        pytest.skip("pip cannot fetch the build backend (setuptools>=77): offline")
    assert result.returncode == 0, output[-3000:]
    # setuptools' own warnings (pip's "WARNING:" lines are about this machine's pip setup;
    # "byte-compiling is disabled" follows from PYTHONDONTWRITEBYTECODE, not the metadata).
    warnings = [
        line
        for line in output.splitlines()
        if ("Warning" in line or "warning:" in line) and "byte-compiling is disabled" not in line
    ]
    assert warnings == []
    (wheel,) = out.glob("ldpm-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for path in _resource_files():
        assert f"ldpm/resources/{path.relative_to(RESOURCES).as_posix()}" in names
    assert "ldpm/services/demo.py" in names
