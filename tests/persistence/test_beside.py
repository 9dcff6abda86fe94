"""Copies that sync clients leave beside a document (issue 6, scenario 36)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ldpm.persistence.beside import copies_named_like, find_copies, looks_like_copy_name
from ldpm.persistence.document import Document, create_file
from ldpm.persistence.fileformat import MissingFile
from tests.conftest import DEVICE


@pytest.mark.parametrize(
    "name",
    [
        "Plan (Maya Keller's conflicted copy 2026-11-29).ldpm",
        "Plan (1).ldpm",
        "Plan-LAPTOP-4471.ldpm",
        "Plan.sync-conflict-20261129-143000-ABCDEFG.ldpm",
        "Plan.ldpm..path1",
        "Plan.ldpm.conflict2",
        "Plan (LDPM copy 2026-11-29 1432).ldpm",
        "plan (conflicted copy).LDPM",
    ],
)
def test_sync_client_names_are_recognised(name: str) -> None:
    assert looks_like_copy_name("Plan.ldpm", name)


@pytest.mark.parametrize(
    "name",
    [
        "Plan.ldpm",
        "Plan - before the workshop.ldpm",
        "Planning.ldpm",
        "Plan (1).xlsx",
        ".Plan.ldpm.0123456789.ldpm-tmp",
        "Other (1).ldpm",
    ],
)
def test_other_names_are_not(name: str) -> None:
    assert not looks_like_copy_name("Plan.ldpm", name)


def test_only_copies_of_the_same_project_are_found(tmp_path: Path) -> None:
    doc = tmp_path / "Plan.ldpm"
    project = create_file(doc, root=tmp_path / "s", device=DEVICE, name="Plan")
    same = tmp_path / "Plan (Dana's conflicted copy).ldpm"
    shutil.copyfile(doc, same)
    other = tmp_path / "Plan (1).ldpm"
    create_file(other, root=tmp_path / "s", device=DEVICE, name="Another project")
    junk = tmp_path / "Plan (2).ldpm"
    junk.write_bytes(b"not a project")
    deliberate = tmp_path / "Plan - before the workshop.ldpm"
    shutil.copyfile(doc, deliberate)
    assert find_copies(doc, project) == [same]


def test_a_missing_document_points_at_its_copy(tmp_path: Path) -> None:
    doc = tmp_path / "Plan.ldpm"
    create_file(doc, root=tmp_path / "s", device=DEVICE, name="Plan")
    copy = tmp_path / "Plan (conflicted copy 2026-11-29).ldpm"
    doc.rename(copy)
    assert copies_named_like(doc) == [copy]
    with pytest.raises(MissingFile) as missing:
        Document.open(doc, root=tmp_path / "w", backup_root=tmp_path / "b", device=DEVICE)
    assert "Plan (conflicted copy 2026-11-29).ldpm" in missing.value.sentence
    assert "open that instead" in missing.value.sentence
