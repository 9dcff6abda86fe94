"""``ldpm.identity``: presence names a person, not an account on a host."""

from __future__ import annotations

import pytest

from ldpm import identity


def test_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDPM_USER_NAME", "  Maya   Keller ")
    assert identity.person_name() == "Maya Keller"


def test_a_saved_name_comes_before_the_system_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LDPM_USER_NAME", raising=False)
    monkeypatch.setattr(identity, "_system_full_name", lambda: "System Name")
    assert identity.person_name() == "System Name"
    identity.set_person_name("Dana Ruiz")
    assert identity.saved_person_name() == "Dana Ruiz"
    assert identity.person_name() == "Dana Ruiz"
    identity.set_person_name("")
    assert identity.person_name() == "System Name"


def test_the_login_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LDPM_USER_NAME", raising=False)
    monkeypatch.setattr(identity, "_system_full_name", lambda: "")
    monkeypatch.setattr(identity, "login_name", lambda: "mkeller")
    assert identity.person_name() == "mkeller"


def test_names_are_one_short_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDPM_USER_NAME", "A\nB " + "x" * 500)
    name = identity.person_name()
    assert "\n" not in name and len(name) == identity.MAX_NAME


def test_a_damaged_profile_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    from ldpm import paths

    monkeypatch.delenv("LDPM_USER_NAME", raising=False)
    (paths.config_dir() / "profile.json").write_text("{not json", encoding="utf-8")
    assert identity.saved_person_name() == ""
    assert identity.person_name()
