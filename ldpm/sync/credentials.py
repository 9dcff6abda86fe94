"""Passwords for sync targets: in the system keyring, never in a file.

This is the only module that imports ``keyring``.  Passwords are stored under the service name
``ldpm`` with the user name ``<user>@<url>``, so two servers with the same login stay apart.
Where the computer has no usable keyring (a bare Linux machine raises ``NoKeyringError``; a
locked or broken one raises other ``KeyringError``\\s), the store keeps the password in memory
for this run only and :attr:`CredentialStore.notice` says so in one sentence.
"""

from __future__ import annotations

import threading

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "ldpm"

NO_KEYRING_NOTICE = (
    "This computer has no password keyring LDPM can use, so the sync password is kept only "
    "until LDPM quits; you will be asked again next time."
)


def account(url: str, user: str) -> str:
    return f"{user}@{url}"


class CredentialStore:
    """Get, set and forget sync passwords.  Thread-safe."""

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        #: A sentence for the user when passwords cannot be kept in a keyring ("" if fine).
        self.notice = ""

    def get(self, url: str, user: str) -> str | None:
        key = account(url, user)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        try:
            value = keyring.get_password(SERVICE, key)
        except (KeyringError, RuntimeError):
            self.notice = NO_KEYRING_NOTICE
            return None
        return value if isinstance(value, str) else None

    def set(self, url: str, user: str, password: str) -> bool:
        """Store a password.  Returns True if it went to the keyring, False if it is kept in
        memory for this run only (then :attr:`notice` says so)."""
        key = account(url, user)
        try:
            keyring.set_password(SERVICE, key, password)
        except (KeyringError, RuntimeError):
            with self._lock:
                self._memory[key] = password
            self.notice = NO_KEYRING_NOTICE
            return False
        with self._lock:
            self._memory.pop(key, None)
        return True

    def forget(self, url: str, user: str) -> None:
        key = account(url, user)
        with self._lock:
            self._memory.pop(key, None)
        try:
            keyring.delete_password(SERVICE, key)
        except PasswordDeleteError:
            pass  # there was none
        except (KeyringError, RuntimeError):
            self.notice = NO_KEYRING_NOTICE

    @staticmethod
    def backend_name() -> str:
        try:
            return type(keyring.get_keyring()).__name__
        except (KeyringError, RuntimeError):
            return "none"
