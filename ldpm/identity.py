"""Who is using LDPM on this computer, as a person would name them.

Presence notes ("Maya Keller has this open") and the device list name a *person*, not an
account on a host ("mkeller on LT-4471").  The name comes from, in order:

1. ``LDPM_USER_NAME`` (tests, and portable use);
2. the name the user gave LDPM (:func:`set_person_name`, kept in ``profile.json`` in the
   configuration folder);
3. the operating system's full name for the account (the GECOS field on Linux and macOS,
   ``GetUserNameExW(NameDisplay)`` on Windows);
4. the login name, as a last resort.

Below every layer: plain Python, no Qt.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys

from ldpm import paths
from ldpm.atomic import atomic_write

_PROFILE = "profile.json"
#: Longer names are cut: a presence note is one line.
MAX_NAME = 80


def login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "someone"


def _system_full_name() -> str:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        try:
            import ctypes

            size = ctypes.c_ulong(0)
            secur32 = ctypes.windll.secur32  # type: ignore[attr-defined,unused-ignore]
            secur32.GetUserNameExW(3, None, ctypes.byref(size))  # 3: NameDisplay
            buffer = ctypes.create_unicode_buffer(size.value)
            if secur32.GetUserNameExW(3, buffer, ctypes.byref(size)):
                return str(buffer.value)
        except (OSError, AttributeError, ValueError):
            return ""
        return ""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (ImportError, KeyError, OSError, AttributeError):
        return ""
    return gecos.split(",", 1)[0].strip()


def _clean(name: str) -> str:
    text = " ".join(str(name).split())
    return text[:MAX_NAME]


def saved_person_name() -> str:
    """The name the user gave LDPM, or ``""``."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        data = json.loads((paths.config_dir() / _PROFILE).read_text(encoding="utf-8"))
        return _clean(data.get("name", ""))
    return ""


def set_person_name(name: str) -> None:
    """Remember how the user wants to be named (``""`` goes back to the system's name)."""
    atomic_write(
        paths.config_dir() / _PROFILE,
        json.dumps({"name": _clean(name)}, ensure_ascii=False, indent=1),
    )


def person_name() -> str:
    """The user's name for other people to read: never empty."""
    for candidate in (
        os.environ.get("LDPM_USER_NAME", ""),
        saved_person_name(),
        _system_full_name(),
    ):
        cleaned = _clean(candidate)
        if cleaned:
            return cleaned
    return _clean(login_name()) or "someone"
