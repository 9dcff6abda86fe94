"""Portfolio operations as undoable commands, on a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldpm.domain.entities import Initiative, KeyResult
from ldpm.domain.enums import Stage
from ldpm.domain.validation import ValidationError
from ldpm.services import initiatives as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import COALESCE_SECONDS, Composite, EditFields, execute
from ldpm.services.project import Project


def names(project: Project, **kw: bool) -> list[str]:
    return [i.name for i in svc.list_initiatives(project, **kw)]


def add(project: Project, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        command = svc.add_initiative(project, title)
        execute(project, command)
        ids.append(command.entity.id)
    return ids


def test_add_rename_undo_redo(project: Project) -> None:
    command = svc.add_initiative(project, "Onboarding")
    record = execute(project, command)
    assert record.structure and record.touches(Initiative, command.entity.id)
    assert names(project) == ["Onboarding"]
    execute(project, command, undo=True)
    assert names(project) == []
    execute(project, command)  # redo brings the same row back
    assert [i.id for i in svc.list_initiatives(project)] == [command.entity.id]

    rename = svc.rename_initiative(project, command.entity.id, "Manager onboarding")
    execute(project, rename)
    assert names(project) == ["Manager onboarding"]
    execute(project, rename, undo=True)
    assert names(project) == ["Onboarding"]


def test_reorder_archive_delete(project: Project) -> None:
    a, b, c = add(project, "A", "B", "C")
    move = svc.move_initiative(project, c, 0)
    assert move is not None
    execute(project, move)
    assert names(project) == ["C", "A", "B"]
    assert svc.move_initiative(project, c, 0) is None  # already there
    execute(project, svc.set_archived(project, a, True))
    assert names(project, include_archived=False) == ["C", "B"]
    assert names(project) == ["C", "A", "B"]
    delete = svc.delete_initiative(project, b)
    execute(project, delete)
    assert names(project) == ["C", "A"]
    execute(project, delete, undo=True)
    assert names(project) == ["C", "A", "B"]
    execute(project, move, undo=True)
    assert names(project) == ["A", "B", "C"]


def test_move_among_equal_ranks_rewrites_few_rows(project: Project) -> None:
    """Two offline copies merged can leave equal ranks; moving still works, and writes as
    few ranks as it can (re-spreading the whole list made every move a flood of changes)."""
    ids = add(project, "A", "B", "C", "D", "E", "F")
    with project.unit() as tx:
        for id_ in ids:
            tx.update(Initiative, id_, {"rank": "V"})
    order = svc.list_initiatives(project)  # equal ranks: the order falls back to the ids
    last = order[-1]
    command = svc.move_initiative(project, last.id, 0)
    assert isinstance(command, EditFields) and command.id == last.id  # one row
    execute(project, command)
    assert names(project) == [last.name] + [i.name for i in order[:-1]]
    order = svc.list_initiatives(project)
    command = svc.move_initiative(project, order[0].id, 3)  # into the middle of the tie
    assert command is not None
    execute(project, command)
    moved = [i.name for i in order]
    moved.insert(3, moved.pop(0))
    assert names(project) == moved
    changed = [i for i in svc.list_initiatives(project) if i.rank != "V"]
    assert len(changed) <= 3  # the moved row and the shorter side of the tie


def test_typing_coalesces_into_one_step(project: Project) -> None:
    [iid] = add(project, "Hand")
    first = svc.edit_initiative(project, iid, {"name": "Hand-"}, typing=True)
    execute(project, first)
    for text in ("Hand-o", "Hand-of", "Hand-off"):
        nxt = svc.edit_initiative(project, iid, {"name": text}, typing=True)
        execute(project, nxt)
        assert first.merge(nxt)
    execute(project, first, undo=True)
    assert names(project) == ["Hand"]
    execute(project, first)
    assert names(project) == ["Hand-off"]


def test_no_coalescing_across_fields_or_after_a_pause(project: Project) -> None:
    [iid] = add(project, "X")
    a = svc.edit_initiative(project, iid, {"owner": "Dana"}, typing=True)
    b = svc.edit_initiative(project, iid, {"sponsor": "Lee"}, typing=True)
    assert not a.merge(b)
    c = svc.edit_initiative(project, iid, {"owner": "Dana K"}, typing=True)
    c._time = a._time + COALESCE_SECONDS + 0.1
    assert not a.merge(c)
    d = svc.edit_initiative(project, iid, {"owner": "Dana K"})  # not typing
    assert not a.merge(d)


def test_invalid_edit_raises_and_changes_nothing(project: Project) -> None:
    [iid] = add(project, "Valid")
    with pytest.raises(ValidationError) as info:
        execute(project, svc.rename_initiative(project, iid, "  "))
    assert info.value.message == "The initiative needs a name."
    assert names(project) == ["Valid"]


def test_composite_is_atomic(project: Project) -> None:
    [iid] = add(project, "Atomic")
    good = EditFields(Initiative, iid, {"owner": "Sam"})
    bad = EditFields(Initiative, iid, {"name": ""})
    with pytest.raises(ValidationError):
        execute(project, Composite([good, bad]))
    initiative = svc.get_initiative(project, iid)
    assert initiative is not None and initiative.owner == ""


def test_overview_parts(project: Project) -> None:
    [iid] = add(project, "Hand-offs")
    seg = svc.add_segment(project, iid, "Remote engineers")
    execute(project, seg)
    obj = svc.add_objective(project, iid, "Fewer failed hand-offs")
    execute(project, obj)
    kr = svc.add_key_result(project, obj.entity.id, "Errors per incident 2.5 → 1.5")
    execute(project, kr)
    execute(project, svc.edit_key_result(kr.entity.id, {"baseline": 2.5, "target": 1.5}))
    [(objective, krs)] = svc.list_objectives(project, iid)
    assert objective.title == "Fewer failed hand-offs"
    assert [(k.baseline, k.target) for k in krs] == [(2.5, 1.5)]
    assert [s.name for s in svc.list_segments(project, iid)] == ["Remote engineers"]
    delete = svc.delete_objective(obj.entity.id)
    execute(project, delete)
    assert svc.list_objectives(project, iid) == []
    with project.read() as tx:  # the key result went with its objective…
        assert tx.get(KeyResult, kr.entity.id) is None
        assert tx.get(KeyResult, kr.entity.id, include_deleted=True) is not None
    execute(project, delete, undo=True)  # …and comes back with it
    [(objective, krs)] = svc.list_objectives(project, iid)
    assert [k.id for k in krs] == [kr.entity.id]


def test_edits_survive_save_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "Roundtrip.ldpm"
    project = Project.create(path, name="Roundtrip")
    [iid] = add(project, "Hand-offs")
    execute(
        project, svc.edit_initiative(project, iid, {"stage": Stage.PILOT, "problem_baseline": 2.4})
    )
    assert project.unsaved
    project.save()
    assert not project.unsaved
    project.close()
    again = Project.open(path)
    initiative = svc.get_initiative(again, iid)
    assert initiative is not None
    assert (initiative.stage, initiative.problem_baseline) == (Stage.PILOT, 2.4)
    again.close()


def test_unsaved_listener(project: Project) -> None:
    states: list[bool] = []
    project.on_unsaved_changed(states.append)
    add(project, "One", "Two")
    project.save()
    assert states == [True, False]


def test_change_record_touches() -> None:
    record = ChangeRecord.edited(Initiative, "x", {"name"})
    assert record.touches(Initiative, "x") and not record.touches(Initiative, "y")
    assert not record.touches(KeyResult)
    assert (record | ChangeRecord.structural(KeyResult, "k")).touches(Initiative, "y")
    assert ChangeRecord.all().touches(KeyResult, "anything")
    assert not ChangeRecord()
