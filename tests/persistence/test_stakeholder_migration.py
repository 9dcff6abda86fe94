"""Migration 0005: a file written by schema version 2 opens, is upgraded and keeps its data; the
new fields and the new kind survive save, reopen and a sync between two devices."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ldpm.domain.entities import Assessment, Interaction, Person, Stakeholder
from ldpm.domain.enums import StakeholderKind, Support
from ldpm.persistence.database import HEAD_REVISION
from ldpm.persistence.fileformat import MIN_READER_VERSION, SCHEMA_VERSION, inspect_file
from ldpm.services import engagement, initiatives
from ldpm.services import stakeholders as svc
from ldpm.services import sync as sync_svc
from ldpm.services.commands import execute
from ldpm.services.project import Project
from tests.persistence.v2file import copy_v2, v2_id
from tests.sync.test_two_devices import CLIENT, LAPTOP, Devices

HELEN = v2_id("person", "name", "Helen Marsh")
STAKE = v2_id("stakeholder", "person_id", HELEN)


def test_a_version_2_file_opens_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    old = copy_v2(tmp_path / "Old.ldpm")
    info = inspect_file(old)
    assert info is not None and info.schema_version == 2
    before = old.read_bytes()
    project = Project.open(old)
    try:
        assert old.read_bytes() == before  # upgraded in the working copy, not in place
        with project.read() as tx:
            helen = tx.get(Person, HELEN)
            stake = tx.get(Stakeholder, STAKE)
            assessments = tx.list(Assessment)
            interactions = tx.list(Interaction)
        assert helen is not None and helen.notes.endswith("has been wary of L&D since.")
        # The new fields have their defaults: notes stay private as they were documented.
        assert helen.notes_private and helen.expertise_tags == ""
        assert stake is not None and stake.private_notes.startswith("Sceptical after the 2024")
        assert (stake.power, stake.support, stake.cadence) == (
            9,
            Support.SCEPTIC,
            "Monthly metrics review",
        )
        assert (stake.channel, stake.owner, stake.strategy) == ("", "", "")
        assert stake.next_contact is None
        assert len(assessments) == 9 and {a.label for a in assessments} == {""}
        assert len({a.on for a in assessments}) == 6  # the old dates, kept
        assert len(interactions) == 7
        assert all(i.follow_up == "" and i.follow_up_due is None for i in interactions)
        assert not any(i.follow_up_done for i in interactions)
        # The new fields can be used at once, and are saved at the new version.
        execute(project, svc.edit_person(HELEN, {"expertise_tags": "incident SLAs"}))
        execute(project, svc.edit_stake(STAKE, {"kind": StakeholderKind.HR}))
        project.save()
    finally:
        project.close(discard_unsaved=True)
    saved = inspect_file(old)
    assert saved is not None and saved.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(old)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            HEAD_REVISION
        )
        meta = dict(con.execute("SELECT key, value FROM meta"))
        assert meta["min_reader_version"] == str(MIN_READER_VERSION)  # older LDPMs refuse it
    finally:
        con.close()
    reopened = Project.open(old)
    try:
        assert svc.get_person(reopened, HELEN).expertise_tags == "incident SLAs"  # type: ignore[union-attr]
        assert svc.get_stake(reopened, STAKE).kind is StakeholderKind.HR  # type: ignore[union-attr]
    finally:
        reopened.close(discard_unsaved=True)


def test_the_new_fields_survive_save_and_reopen(project: Project) -> None:
    path = project.path
    initiative = initiatives.add_initiative(project, "Hand-offs")
    execute(project, initiative)
    new = svc.new_stakeholder(
        initiative.entity.id,
        "Grace",
        kind=StakeholderKind.HR,
        expertise_tags="onboarding",
        notes_private=False,
    )
    execute(project, new)
    [stake] = svc.stake_rows(project, initiative.entity.id)
    execute(
        project,
        svc.edit_stake(
            stake.id,
            {
                "channel": "E-mail",
                "owner": "Maya",
                "next_contact": date(2026, 12, 1),
                "strategy": "A concrete ask",
            },
        ),
    )
    execute(
        project,
        engagement.log_interaction(
            project,
            stake.id,
            date(2026, 11, 2),
            follow_up="Send it",
            follow_up_due=date(2026, 11, 9),
        ),
    )
    project.save()
    project.close()
    again = Project.open(path)
    try:
        [row] = svc.stake_rows(again, initiative.entity.id)
        s, p = row.stakeholder, row.person
        assert s.kind is StakeholderKind.HR and (s.channel, s.owner) == ("E-mail", "Maya")
        assert s.next_contact == date(2026, 12, 1) and s.strategy == "A concrete ask"
        assert p.expertise_tags == "onboarding" and not p.notes_private
        [entry] = engagement.interactions(again, s.id)
        assert (entry.follow_up, entry.follow_up_due) == ("Send it", date(2026, 11, 9))
    finally:
        again.close(discard_unsaved=True)


def test_the_new_fields_merge_between_two_devices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = Devices(tmp_path, monkeypatch)
    with devices.project(LAPTOP) as p:
        main = initiatives.list_initiatives(p)[0].id
        grace = next(r for r in svc.stake_rows(p, main) if r.name.startswith("Grace"))
        helen = next(r for r in svc.stake_rows(p, main) if r.name.startswith("Helen"))
        execute(p, svc.edit_row(grace, "kind", StakeholderKind.HR))
        execute(p, svc.edit_row(grace, "expertise_tags", "onboarding, performance cycle"))
        execute(p, svc.edit_row(helen, "next_contact", date(2026, 12, 7)))
    with devices.project(CLIENT) as p:
        execute(p, svc.edit_row(helen, "strategy", "Two quarters of numbers"))
        execute(p, svc.edit_row(grace, "notes_private", False))
        execute(
            p,
            engagement.log_interaction(
                p,
                helen.id,
                date(2026, 11, 20),
                follow_up="Chart",
                follow_up_due=date(2026, 11, 27),
            ),
        )
    shared = ["--folder", str(tmp_path / "share")]
    (tmp_path / "share").mkdir()
    for device in (LAPTOP, CLIENT, LAPTOP):
        devices.sync(device, *shared, capsys=capsys)
    assert devices.dump(LAPTOP) == devices.dump(CLIENT)
    with devices.project(CLIENT) as p:
        g = next(r for r in svc.stake_rows(p, main) if r.name.startswith("Grace"))
        h = next(r for r in svc.stake_rows(p, main) if r.name.startswith("Helen"))
        assert g.stakeholder.kind is StakeholderKind.HR and not g.person.notes_private
        assert g.person.expertise_tags == "onboarding, performance cycle"
        # The client's log entry moved the next contact (monthly) to 20 December; the
        # laptop's 7 December was an earlier edit of the same field: the later one wins and
        # the other waits for review.
        assert h.stakeholder.strategy == "Two quarters of numbers"
        assert h.stakeholder.next_contact == date(2026, 12, 20)
        [conflict] = sync_svc.list_conflicts(p)
        assert conflict.field == "next_contact"
        assert sync_svc.decode_value(conflict, "other") == date(2026, 12, 7)
        [entry] = [e for e in engagement.interactions(p, h.id) if e.follow_up == "Chart"]
        assert entry.follow_up_due == date(2026, 11, 27)
