"""The credential store against a real Secret Service (gnome-keyring).

``.ci/run`` runs this file inside ``dbus-run-session`` with an unlocked gnome-keyring and
``LDPM_REAL_KEYRING=1``; elsewhere it is skipped, because a desktop's own keyring must not be
touched by tests.
"""

from __future__ import annotations

import gc
import os
import uuid
import warnings

import keyring
import pytest

from ldpm.sync.credentials import SERVICE, CredentialStore

pytestmark = pytest.mark.skipif(
    os.environ.get("LDPM_REAL_KEYRING") != "1",
    reason="needs the Secret Service session that .ci/run starts (LDPM_REAL_KEYRING=1)",
)


def test_password_round_trip_through_gnome_keyring() -> None:
    from keyring.backends import SecretService

    keyring.set_keyring(SecretService.Keyring())
    url = f"https://dav.example.test/{uuid.uuid4().hex}"
    store = CredentialStore()
    assert store.set(url, "maya", "correct horse battery staple") is True
    assert store.notice == ""
    # A fresh store (a later run of LDPM) reads it back from the keyring, not from memory.
    assert CredentialStore().get(url, "maya") == "correct horse battery staple"
    assert keyring.get_password(SERVICE, f"maya@{url}") == "correct horse battery staple"
    store.forget(url, "maya")
    assert CredentialStore().get(url, "maya") is None
    # keyring's Secret Service backend leaves its D-Bus connections to the garbage
    # collector; collect them here, where their ResourceWarning is expected, rather than at
    # the end of the session, where the suite's warnings-as-errors would report them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
