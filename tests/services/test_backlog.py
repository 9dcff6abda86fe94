"""Backlog operations as undoable commands on a real project file: scale-checked edits,
ranks written for as few rows as possible, bulk edits as one step, SMEs, targets, scoring."""

from __future__ import annotations

import pytest

from ldpm.domain.entities import ItemSme, KeyResult, Metric, Person, Workspace
from ldpm.domain.enums import ItemStatus, ScoringMethod, Sourcing
from ldpm.domain.scoring import ScoringScheme
from ldpm.domain.validation import ValidationError
from ldpm.services import backlog as svc
from ldpm.services import initiatives
from ldpm.services.bulk import SetPresence
from ldpm.services.commands import AddEntity, execute
from ldpm.services.project import Project


@pytest.fixture
def initiative(project: Project) -> str:
    command = initiatives.add_initiative(project, "Incident hand-offs")
    execute(project, command)
    return command.entity.id


def add(project: Project, initiative: str, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        command = svc.add_item(project, initiative, title)
        execute(project, command)
        ids.append(command.entity.id)
    return ids


def titles(project: Project, initiative: str) -> list[str]:
    return [i.title for i in svc.list_items(project, initiative)]


def ranks(project: Project, initiative: str) -> list[tuple[str, str]]:
    return [(i.id, i.rank) for i in svc.list_items(project, initiative)]


def test_items_are_added_at_the_end_or_after_one(project: Project, initiative: str) -> None:
    a, _b = add(project, initiative, "Checklist", "Shadowing")
    after = svc.add_item(project, initiative, "Buddy", after=a)
    execute(project, after)
    assert titles(project, initiative) == ["Checklist", "Buddy", "Shadowing"]
    execute(project, after, undo=True)
    assert titles(project, initiative) == ["Checklist", "Shadowing"]


def test_an_impact_off_the_scale_is_refused_and_nothing_is_written(
    project: Project, initiative: str
) -> None:
    [item] = add(project, initiative, "Checklist")
    with pytest.raises(ValidationError) as info:
        execute(project, svc.edit_item(item, {"impact": 1.5}))
    assert info.value.message == "1.5 is not on the impact scale: use 3, 2, 1, 0.5 or 0.25."
    assert svc.get_item(project, item).impact is None  # type: ignore[union-attr]
    execute(project, svc.edit_item(item, {"impact": 2.0, "confidence": 0.8}))
    with pytest.raises(ValidationError, match="70% is not on the confidence scale"):
        execute(project, svc.edit_item(item, {"confidence": 0.7}))
    # The workspace chooses its own steps: 4 becomes allowed, 3 no longer.
    execute(project, svc.edit_scoring(project, {"impact_scale": "4; 2; 1"}))
    execute(project, svc.edit_item(item, {"impact": 4.0}))
    with pytest.raises(ValidationError, match="use 4, 2 or 1"):
        execute(project, svc.edit_item(item, {"impact": 3.0}))


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"effort": -2.0}, "The effort must be greater than zero."),
        ({"effort": float("nan")}, "The effort must be a number."),
        ({"title": "x" * 100_000}, "too long"),
        ({"business_value": 11}, "between 1 and 10"),
    ],
)
def test_bad_values_are_refused_with_a_sentence(
    project: Project, initiative: str, changes: dict[str, object], sentence: str
) -> None:
    [item] = add(project, initiative, "Checklist")
    before = svc.get_item(project, item)
    with pytest.raises(ValidationError, match=sentence.replace(".", r"\.")):
        execute(project, svc.edit_item(item, dict(changes)))
    assert svc.get_item(project, item) == before


def test_every_wsjf_weight_zero_is_refused(project: Project) -> None:
    execute(project, svc.edit_scoring(project, {"wsjf_weight_value": 0.0}))
    execute(project, svc.edit_scoring(project, {"wsjf_weight_time": 0.0}))
    with pytest.raises(ValidationError, match="Every WSJF weight is zero"):
        execute(project, svc.edit_scoring(project, {"wsjf_weight_risk": 0.0}))
    assert svc.scheme(project).weights == (0.0, 0.0, 1.0)


def test_moving_one_item_writes_one_rank(project: Project, initiative: str) -> None:
    a, b, c, d = add(project, initiative, "A", "B", "C", "D")
    before = dict(ranks(project, initiative))
    order = [(i, before[i]) for i in (d, a, b, c)]  # D dragged to the top
    command = svc.reorder(order, moved={d})
    assert command is not None and list(command.changes) == [d]
    execute(project, command)
    assert titles(project, initiative) == ["D", "A", "B", "C"]
    assert {i: r for i, r in ranks(project, initiative) if i != d} == {
        i: r for i, r in before.items() if i != d
    }
    execute(project, command, undo=True)
    assert titles(project, initiative) == ["A", "B", "C", "D"]
    assert svc.reorder(list(before.items()), moved=set()) is None  # nothing to do


def test_moving_among_tied_ranks_resolves_the_tie(project: Project, initiative: str) -> None:
    ids = add(project, initiative, "A", "B", "C")
    for item in ids:  # two offline copies merged: every rank equal
        execute(project, svc.edit_item(item, {"rank": "V"}))
    order = [(ids[2], "V"), (ids[0], "V"), (ids[1], "V")]
    command = svc.reorder(order, moved={ids[2]})
    assert command is not None
    execute(project, command)
    assert titles(project, initiative) == ["C", "A", "B"]
    assert len({r for _i, r in ranks(project, initiative)}) == 3


def test_a_bulk_edit_is_one_undo_step(project: Project, initiative: str) -> None:
    ids = add(project, initiative, *(f"Item {n}" for n in range(30)))
    command = svc.bulk_edit(ids[:20], {"status": ItemStatus.READY, "sourcing": Sourcing.CURATE})
    assert command.text == "Set status of 20 items"
    record = execute(project, command)
    assert record.ids == frozenset(ids[:20]) and record.fields == {"status", "sourcing"}
    items = svc.list_items(project, initiative)
    assert [i.status for i in items] == [ItemStatus.READY] * 20 + [ItemStatus.IDEA] * 10
    execute(project, command, undo=True)
    assert {i.status for i in svc.list_items(project, initiative)} == {ItemStatus.IDEA}
    assert {i.sourcing for i in svc.list_items(project, initiative)} == {Sourcing.BUILD}
    execute(project, command)  # redo
    assert [i.sourcing for i in svc.list_items(project, initiative)].count(Sourcing.CURATE) == 20
    with pytest.raises(ValueError):
        svc.bulk_edit(ids, {"title": "no"})


def test_smes_link_unlink_and_relink_the_same_row(project: Project, initiative: str) -> None:
    [item] = add(project, initiative, "Shadowing")
    person = Person(name="Tomás Reyes", expertise="Incident hand-offs")
    execute(project, AddEntity(person))
    link = svc.link_sme(project, item, person.id)
    execute(project, link)
    assert svc.load_context(project, initiative).sme_names(item) == ("Tomás Reyes",)
    execute(project, svc.link_sme(project, item, person.id, present=False))
    assert svc.load_context(project, initiative).sme_names(item) == ()
    execute(project, svc.link_sme(project, item, person.id))
    with project.read() as tx:
        rows = tx.list(ItemSme, include_deleted=True)
    assert isinstance(link, SetPresence)
    assert [r.id for r in rows] == [link.entity.id]  # one row, brought back
    execute(project, link, undo=True)  # undo of the first link: absent again
    assert svc.load_context(project, initiative).sme_names(item) == ()


def test_a_link_made_elsewhere_is_the_one_unlinked(project: Project, initiative: str) -> None:
    [item] = add(project, initiative, "Shadowing")
    person = Person(name="Aisha Karimi")
    execute(project, AddEntity(person))
    execute(project, AddEntity(ItemSme(item_id=item, person_id=person.id)))  # a random id
    execute(project, svc.link_sme(project, item, person.id, present=False))
    assert svc.load_context(project, initiative).sme_names(item) == ()
    execute(project, svc.link_sme(project, item, person.id))
    with project.read() as tx:
        assert len(tx.list(ItemSme, include_deleted=True)) == 1


def test_people_are_found_by_name_or_expertise() -> None:
    people = [
        Person(name="Tomás Reyes", expertise="Incident command and hand-offs"),
        Person(name="Aisha Karimi", role="On-call lead", expertise="Structured hand-offs"),
        Person(name="Grace Adeyemi", department="People"),
    ]
    assert [p.name for p in svc.people_matching(people, "hand-offs")] == [
        "Aisha Karimi",
        "Tomás Reyes",
    ]
    assert [p.name for p in svc.people_matching(people, "tom")] == ["Tomás Reyes"]
    assert [p.name for p in svc.people_matching(people, "people grace")] == ["Grace Adeyemi"]
    assert len(svc.people_matching(people, " ")) == 3


def test_an_item_moves_a_metric_or_a_key_result(project: Project, initiative: str) -> None:
    [item] = add(project, initiative, "Checklist")
    metric = Metric(initiative_id=initiative, name="Hand-off errors per incident")
    execute(project, AddEntity(metric))
    objective_cmd = initiatives.add_objective(project, initiative, "Hand-offs keep context")
    execute(project, objective_cmd)
    kr = KeyResult(objective_id=objective_cmd.entity.id, title="Errors down 40%")
    execute(project, AddEntity(kr))
    context = svc.load_context(project, initiative)
    assert [(t.kind, t.name) for t in context.targets] == [
        (Metric, "Hand-off errors per incident"),
        (KeyResult, "Errors down 40%"),
    ]
    execute(project, svc.set_target(item, context.targets[0]))
    row = svc.get_item(project, item)
    assert row is not None and (row.metric_id, row.key_result_id) == (metric.id, None)
    execute(project, svc.set_target(item, context.targets[1]))
    row = svc.get_item(project, item)
    assert row is not None and (row.metric_id, row.key_result_id) == (None, kr.id)
    assert svc.load_context(project, initiative).target_of(row) == context.targets[1]
    execute(project, svc.set_target(item, None))
    row = svc.get_item(project, item)
    assert row is not None and (row.metric_id, row.key_result_id) == (None, None)


def test_adopting_a_scored_order_ranks_by_hand_in_one_step(
    project: Project, initiative: str
) -> None:
    ids = add(project, initiative, "A", "B", "C")
    current = dict(ranks(project, initiative))
    scored = [(i, current[i]) for i in reversed(ids)]  # the score puts C, B, A
    command = svc.adopt_order(project, scored, ScoringMethod.RANK)
    execute(project, command)
    assert titles(project, initiative) == ["C", "B", "A"]
    assert svc.scheme(project).method is ScoringMethod.RANK
    execute(project, command, undo=True)
    assert titles(project, initiative) == ["A", "B", "C"]
    assert svc.scheme(project).method is ScoringMethod.RICE


def test_scoring_settings_survive_save_and_reopen(project: Project) -> None:
    execute(project, svc.edit_scoring(project, {"scoring_method": ScoringMethod.WSJF}))
    execute(project, svc.edit_scoring(project, {"rubric_reach": "Monthly active engineers."}))
    execute(project, svc.edit_scoring(project, {"confidence_scale": "100; 75; 25"}))
    path = project.path
    project.save()
    project.close()
    again = Project.open(path)
    try:
        scheme = svc.scheme(again)
        assert scheme.method is ScoringMethod.WSJF
        assert scheme.confidence_steps == (1.0, 0.75, 0.25)
        with again.read() as tx:
            assert tx.list(Workspace)[0].rubric_reach == "Monthly active engineers."
        assert scheme == ScoringScheme.of(svc.workspace(again))
    finally:
        again.close()


def test_deleting_items_is_undoable(project: Project, initiative: str) -> None:
    ids = add(project, initiative, "A", "B", "C")
    command = svc.delete_items(ids[:2])
    assert command is not None
    execute(project, command)
    assert titles(project, initiative) == ["C"]
    execute(project, command, undo=True)
    assert titles(project, initiative) == ["A", "B", "C"]
    assert svc.delete_items([]) is None
    assert isinstance(svc.get_items(project, ids), dict) and len(svc.get_items(project, ids)) == 3
    assert svc.get_items(project, ["nope"]) == {}
