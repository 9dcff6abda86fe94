"""Sync passwords go to the keyring (an in-memory backend here), or memory with a notice."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from ldpm.sync.credentials import NO_KEYRING_NOTICE, SERVICE, CredentialStore
from tests.conftest import MemoryKeyring

URL = "https://dav.example.test/projects"


def test_password_round_trip_through_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = CredentialStore()
    assert store.get(URL, "maya") is None
    assert store.set(URL, "maya", "s3cret pass") is True
    assert memory_keyring.passwords == {(SERVICE, f"maya@{URL}"): "s3cret pass"}
    assert CredentialStore().get(URL, "maya") == "s3cret pass"  # another run finds it
    assert CredentialStore().get(URL, "ravi") is None  # per user
    store.forget(URL, "maya")
    assert store.get(URL, "maya") is None
    store.forget(URL, "maya")  # forgetting twice is fine
    assert store.notice == ""


def test_no_keyring_keeps_the_password_for_this_run_only() -> None:
    keyring.set_keyring(FailKeyring())
    store = CredentialStore()
    assert store.set(URL, "maya", "pw") is False
    assert store.notice == NO_KEYRING_NOTICE
    assert store.get(URL, "maya") == "pw"  # this run
    assert CredentialStore().get(URL, "maya") is None  # not the next
    store.forget(URL, "maya")
    assert store.get(URL, "maya") is None


@pytest.mark.parametrize("name", ["MemoryKeyring", "Keyring"])
def test_backend_name_is_reported(name: str) -> None:
    if name == "Keyring":
        keyring.set_keyring(FailKeyring())
    assert CredentialStore.backend_name() == name
