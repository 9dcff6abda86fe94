"""The package list in pyproject.toml names every package, and resources load from it."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "ldpm").rglob("__init__.py")
    }
    assert found | {"ldpm.resources"} == listed


def test_resources_load_through_importlib() -> None:
    qss = resources.files("ldpm.resources") / "themes" / "base.qss"
    assert "${accent}" in qss.read_text(encoding="utf-8")
