"""A save never overwrites changes it has not seen (issue 6, scenarios 1–3, 32, 35, 36, 39).

Two people open one ``.ldpm`` on a shared drive; a sync client delivers a colleague's version
while the file is open; the same file is reached through a second spelling of its path.  Every
test uses real files: two LDPM homes and device ids stand for two computers.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative
from ldpm.persistence import snapshot
from ldpm.persistence.fileformat import SCHEMA_VERSION, inspect_file
from ldpm.persistence.lock import LockHeld
from ldpm.services import initiatives
from ldpm.services.commands import execute
from ldpm.services.demo import populate_demo
from ldpm.services.project import Project
from ldpm.services.sync import list_conflicts

MAYA, DANA = "a1a1a1a1a1a1a1a1", "d2d2d2d2d2d2d2d2"


class Office:
    """A shared drive and two computers, each with its own LDPM home and device id."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        self.drive = tmp / "shared drive"
        self.drive.mkdir()
        self.file = self.drive / "Northwind.ldpm"
        with self.on(MAYA):
            Project.create_file(self.file, name="Northwind", populate=populate_demo)

    @contextmanager
    def on(self, device: str) -> Iterator[None]:
        self.monkeypatch.setenv("LDPM_HOME", str(self.tmp / f"home-{device}"))
        self.monkeypatch.setenv("LDPM_DEVICE_ID", device)
        yield

    def open(self, device: str, path: Path | None = None) -> Project:
        with self.on(device):
            return Project.open(path or self.file)

    def close(self, device: str, project: Project) -> None:
        with self.on(device):
            project.close(discard_unsaved=True)


def main_initiative(project: Project) -> Initiative:
    return initiatives.list_initiatives(project)[0]


def edit(project: Project, **changes: object) -> None:
    execute(project, initiatives.edit_initiative(project, main_initiative(project).id, changes))


def read_initiative(path: Path, initiative_id: str) -> dict[str, object]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        row = con.execute("SELECT * FROM initiative WHERE id=?", (initiative_id,)).fetchone()
        return dict(row)
    finally:
        con.close()


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    return Office(tmp_path, monkeypatch)


# ------------------------------------------------------------ 1: two people, one file


def test_two_people_saving_the_same_file_both_keep_their_work(office: Office) -> None:
    maya = office.open(MAYA)
    dana = office.open(DANA)
    main_id = main_initiative(maya).id
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        maya.save()
    with office.on(DANA):
        edit(dana, outcome="Hand-off errors down 40%")
        report = dana.save()  # today: silently replaced Maya's saved work
    assert report.merged is not None and report.merged.fields >= 1
    assert "Merged a colleague's changes" in report.summary()
    saved = read_initiative(office.file, main_id)
    assert saved["owner"] == "Maya Keller"
    assert saved["outcome"] == "Hand-off errors down 40%"
    # Dana's window shows Maya's edit too (the views reload on report.record).
    assert report.record.everything
    assert main_initiative(dana).owner == "Maya Keller"
    office.close(MAYA, maya)
    office.close(DANA, dana)


def test_the_same_field_changed_by_both_is_kept_for_review(office: Office) -> None:
    maya = office.open(MAYA)
    dana = office.open(DANA)
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        maya.save()
    with office.on(DANA):
        edit(dana, owner="Dana Ruiz")
        report = dana.save()
        assert report.merged is not None and report.merged.conflicts == 1
        [conflict] = list_conflicts(dana)
    assert conflict.field == "owner"
    assert {conflict.kept_value, conflict.other_value} == {'"Maya Keller"', '"Dana Ruiz"'}
    assert "1 change to review" in report.summary()
    office.close(MAYA, maya)
    office.close(DANA, dana)


def test_a_version_landing_during_the_save_is_merged_too(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the look at the file and the rename, a colleague's save lands."""
    colleague = tmp_path / "colleague" / "Northwind.ldpm"
    colleague.parent.mkdir()
    shutil.copyfile(office.file, colleague)
    maya = office.open(MAYA, colleague)
    main_id = main_initiative(maya).id
    with office.on(MAYA):
        edit(maya, sponsor="Head of Engineering")
        maya.save()
    office.close(MAYA, maya)
    dana = office.open(DANA)
    with office.on(DANA):
        edit(dana, audience="On-call engineers")
    landed: list[bool] = []

    def colleague_saves(_tmp: Path) -> None:
        if not landed:
            landed.append(True)
            deliver(office, colleague, keep_time_and_size=False)

    monkeypatch.setattr(snapshot, "before_replace", colleague_saves)
    with office.on(DANA):
        report = dana.save()
    monkeypatch.setattr(snapshot, "before_replace", None)
    assert landed and report.merged is not None
    saved = read_initiative(office.file, main_id)
    assert saved["sponsor"] == "Head of Engineering"
    assert saved["audience"] == "On-call engineers"
    office.close(DANA, dana)


# ---------------------------------------------- 3: a sync client delivers a new version


def deliver(office: Office, version: Path, *, keep_time_and_size: bool = True) -> None:
    """What OneDrive or rclone does: put another file in place, often with its old time."""
    before = office.file.stat()
    tmp = office.drive / ".delivery"
    shutil.copyfile(version, tmp)
    os.replace(tmp, office.file)
    if keep_time_and_size:
        os.utime(office.file, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_delivered_version_is_merged_even_with_the_same_time_and_size(
    office: Office, tmp_path: Path
) -> None:
    colleague = tmp_path / "colleague" / "Northwind.ldpm"
    colleague.parent.mkdir()
    shutil.copyfile(office.file, colleague)
    maya = office.open(MAYA)
    main_id = main_initiative(maya).id
    dana = office.open(DANA, colleague)
    with office.on(DANA):
        edit(dana, owner="Dana Ruiz")  # a short value: the file keeps its size
        dana.save()
    office.close(DANA, dana)
    assert colleague.stat().st_size == office.file.stat().st_size
    deliver(office, colleague)
    with office.on(MAYA):
        edit(maya, stage="pilot")
        report = maya.save()  # today: the autosave silently overwrote Dana's version
    assert report.merged is not None
    saved = read_initiative(office.file, main_id)
    assert saved["owner"] == "Dana Ruiz" and saved["stage"] == "pilot"
    office.close(MAYA, maya)


def test_a_file_only_touched_is_not_merged(office: Office) -> None:
    maya = office.open(MAYA)
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        maya.save()
        os.utime(office.file)  # a sync client touched it, content unchanged
        edit(maya, owner="Maya K.")
        report = maya.save()
    assert report.merged is None and report.problem == ""
    office.close(MAYA, maya)


def test_another_project_in_its_place_is_never_replaced(office: Office, tmp_path: Path) -> None:
    other = tmp_path / "other.ldpm"
    with office.on(DANA):
        Project.create_file(other, name="Somebody else's project")
    maya = office.open(MAYA)
    deliver(office, other, keep_time_and_size=False)
    foreign = office.file.read_bytes()
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        report = maya.save()
    assert office.file.read_bytes() == foreign  # untouched
    assert report.saved and report.path != office.file and report.path.parent == office.drive
    assert "different project" in report.problem and report.path.name in report.problem
    assert maya.path == report.path  # the work continues in the new file
    info = inspect_file(report.path)
    assert info is not None and info.project_uuid == maya.document.project_uuid
    office.close(MAYA, maya)


def test_a_damaged_file_in_its_place_is_never_replaced(office: Office) -> None:
    maya = office.open(MAYA)
    data = bytearray(office.file.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a torn delivery: the seal no longer matches
    tmp = office.drive / ".torn"
    tmp.write_bytes(bytes(data))
    os.replace(tmp, office.file)
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        report = maya.save()
    assert office.file.read_bytes() == bytes(data)
    assert "cannot be read safely" in report.problem
    assert main_initiative(maya).owner == "Maya Keller"
    office.close(MAYA, maya)


def test_a_newer_versions_file_is_never_replaced(office: Office, tmp_path: Path) -> None:
    maya = office.open(MAYA)
    newer = tmp_path / "newer.ldpm"
    shutil.copyfile(office.file, newer)
    con = sqlite3.connect(newer)
    with con:
        con.execute("UPDATE meta SET value='99' WHERE key='min_reader_version'")
    con.close()
    deliver(office, newer, keep_time_and_size=False)
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        report = maya.save()
    assert office.file.read_bytes() == newer.read_bytes()
    assert "newer LDPM" in report.problem
    office.close(MAYA, maya)


# ----------------------------------------------- 2 and 35: one file, two spellings


def test_a_symlinked_folder_finds_the_same_lock(office: Office, tmp_path: Path) -> None:
    link = tmp_path / "Mapped drive"
    link.symlink_to(office.drive, target_is_directory=True)
    maya = office.open(MAYA)
    with pytest.raises(LockHeld) as held:
        office.open(MAYA, link / office.file.name)
    assert "already open" in held.value.sentence
    office.close(MAYA, maya)


def test_a_hard_link_is_recognised_as_the_same_file(office: Office) -> None:
    second = office.drive / "Second name.ldpm"
    os.link(office.file, second)
    maya = office.open(MAYA)
    with pytest.raises(LockHeld):
        office.open(MAYA, second)
    office.close(MAYA, maya)


def test_saving_through_a_symbolic_link_saves_the_real_file(
    office: Office, tmp_path: Path
) -> None:
    link = tmp_path / "Desktop" / "Northwind.ldpm"
    link.parent.mkdir()
    link.symlink_to(office.file)
    maya = office.open(MAYA, link)
    main_id = main_initiative(maya).id
    with office.on(MAYA):
        edit(maya, owner="Through the link")
        maya.save()
    assert link.is_symlink() and link.resolve() == office.file.resolve()
    assert read_initiative(office.file, main_id)["owner"] == "Through the link"
    office.close(MAYA, maya)


# ----------------------------------------------------------- 39: never lower a claim


#: A newer schema version that this version may still read.
NEWER = SCHEMA_VERSION + 1


def test_a_newer_readable_file_keeps_what_it_claims(office: Office) -> None:

    newer, readable = str(SCHEMA_VERSION + 1), str(SCHEMA_VERSION)  # a later LDPM wrote it
    con = sqlite3.connect(office.file)
    with con:
        con.execute(f"PRAGMA user_version={newer}")
        con.execute("UPDATE meta SET value=? WHERE key='format_version'", (newer,))
        con.execute("UPDATE meta SET value=? WHERE key='min_reader_version'", (readable,))
        con.execute("CREATE TABLE future_table (id TEXT PRIMARY KEY, note TEXT)")
        con.execute("INSERT INTO future_table VALUES ('x', 'kept')")
        con.execute("ALTER TABLE initiative ADD COLUMN future_column TEXT")
        con.execute("UPDATE initiative SET future_column='also kept'")
    con.close()
    _reseal(office.file)
    maya = office.open(MAYA)
    with office.on(MAYA):
        edit(maya, owner="Maya Keller")
        maya.save()
    office.close(MAYA, maya)
    con = sqlite3.connect(office.file)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        assert meta["format_version"] == newer and meta["min_reader_version"] == readable
        assert con.execute("PRAGMA user_version").fetchone()[0] == int(newer)
        assert con.execute("SELECT note FROM future_table").fetchone()[0] == "kept"
        assert {r[0] for r in con.execute("SELECT future_column FROM initiative")} == {"also kept"}
    finally:
        con.close()


def _reseal(path: Path) -> None:
    from ldpm.persistence.fileformat import CHECKSUM_KEY, new_placeholder, seal_file

    placeholder = new_placeholder()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE meta SET value=? WHERE key=?", (placeholder, CHECKSUM_KEY))
    con.execute("VACUUM")
    con.close()
    seal_file(path, placeholder)


# ------------------------------------------------ 1: who else has it open, by name


def test_people_with_the_file_open_see_each_other_by_name(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDPM_USER_NAME", "Maya Keller")
    maya = office.open(MAYA)
    monkeypatch.setenv("LDPM_USER_NAME", "Dana Ruiz")
    dana = office.open(DANA)  # informed, never blocked
    with office.on(DANA):
        assert [p.name for p in dana.others()] == ["Maya Keller"]
    with office.on(MAYA):
        held, others = maya.heartbeat()
    assert held and [p.name for p in others] == ["Dana Ruiz"]
    office.close(DANA, dana)
    with office.on(MAYA):
        assert maya.others() == []  # closing withdrew Dana's note
    office.close(MAYA, maya)
    assert not [p for p in office.drive.iterdir() if p.name.startswith(".~lock.")]
