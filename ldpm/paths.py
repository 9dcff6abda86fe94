"""Where LDPM keeps its own files (never the user's documents).

One module for every platform path, built on platformdirs.  No version in the path, so an
upgrade finds the previous data.  ``LDPM_HOME`` overrides everything (tests, portable use from a
USB stick): data and configuration then live in ``$LDPM_HOME/data`` and ``$LDPM_HOME/config``.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "LDPM"
APP_AUTHOR = "LDPM"


def _home_override() -> Path | None:
    value = os.environ.get("LDPM_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Working copies, backups, the demo project."""
    home = _home_override()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Settings and this device's identity."""
    home = _home_override()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def working_dir() -> Path:
    path = data_dir() / "working"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_path() -> Path:
    """Where ``ldpm --demo`` keeps the demo project the user can play with."""
    path = data_dir() / "demo"
    path.mkdir(parents=True, exist_ok=True)
    return path / "Northwind Engineering (demo).ldpm"


def device_id() -> str:
    """This installation's random identity (16 hex characters), created on first use.

    Used as the tie-breaker in hybrid-clock stamps and, later, to name this device's replica.
    ``LDPM_DEVICE_ID`` overrides it (tests simulate several devices in one process).
    """
    override = os.environ.get("LDPM_DEVICE_ID")
    if override:
        return override
    import json
    import uuid

    path = config_dir() / "device.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))["device_id"]
        if isinstance(value, str) and len(value) == 16:
            int(value, 16)
            return value
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from ldpm.atomic import atomic_write

    value = uuid.uuid4().hex[:16]
    atomic_write(path, json.dumps({"device_id": value}))
    return value
