"""Planning services as undoable commands on a real demo file: releases, moving items between
buckets, rescoring, the MVP's cut line and the roadmap horizon."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.enums import Horizon
from ldpm.domain.release_plan import cut_list
from ldpm.domain.validation import ValidationError
from ldpm.services import plan as svc
from ldpm.services.commands import Composite, EditFields, edit, execute
from ldpm.services.project import Project

HANDOFFS = "Incident hand-offs"


def initiative_id(project: Project, name: str = HANDOFFS) -> str:
    from ldpm.services import initiatives

    return next(i.id for i in initiatives.list_initiatives(project) if i.name == name)


def item(project: Project, title_start: str) -> BacklogItem:
    plan = svc.load_plan(project, initiative_id(project))
    return next(i for i in plan.items if i.title.startswith(title_start))


def titles(items: list[BacklogItem]) -> list[str]:
    return [i.title.split(" ")[0] for i in items]


def test_the_demo_plan(demo: Project) -> None:
    plan = svc.load_plan(demo, initiative_id(demo))
    assert plan.initiative is not None and plan.initiative.name == HANDOFFS
    assert [r.name.split(" ")[0] for r in plan.releases] == ["MVP", "Release", "Later"]
    assert plan.mvp is plan.releases[0] and plan.mvp.story.startswith("Not a class")
    mvp_titles = [i.title for i in plan.items_of(plan.mvp.id)]
    assert any(t.startswith("Incident hand-off checklist") for t in mvp_titles)
    assert any(t.startswith("Shadowing rotation") for t in mvp_titles)
    assert any("micro-module" in t for t in mvp_titles)
    assert sum(len(v) for v in plan.by_release().values()) == 14


def test_releases_add_edit_and_delete(demo: Project) -> None:
    other = initiative_id(demo, "Manager onboarding")
    first = svc.add_release(demo, other, "Pilot")
    execute(demo, first)
    pilot = first.entity
    assert isinstance(pilot, Release) and pilot.is_mvp  # an initiative's first release is its MVP
    second = svc.add_release(demo, other, "Scale")
    execute(demo, second)
    scale = second.entity
    assert isinstance(scale, Release) and not scale.is_mvp and scale.rank > pilot.rank
    execute(demo, svc.edit_release(second.entity.id, {"capacity": 15.0}))
    execute(demo, svc.edit_release(second.entity.id, {"target_date": date(2026, 9, 30)}))
    release = svc.get_release(demo, second.entity.id)
    assert release is not None and (release.capacity, release.target_date) == (
        15.0,
        date(2026, 9, 30),
    )
    make_mvp = svc.set_mvp(demo, second.entity.id)
    assert make_mvp is not None
    execute(demo, make_mvp)
    assert [r.is_mvp for r in svc.list_releases(demo, other)] == [False, True]
    assert svc.set_mvp(demo, second.entity.id) is None  # already
    move = svc.move_release(demo, second.entity.id, -1)
    assert move is not None
    execute(demo, move)
    assert [r.name for r in svc.list_releases(demo, other)] == ["Scale", "Pilot"]
    assert svc.move_release(demo, second.entity.id, -1) is None


def test_bad_release_values_are_refused_and_nothing_is_written(demo: Project) -> None:
    mvp = svc.load_plan(demo, initiative_id(demo)).releases[0]
    # The request came in on 9 Feb 2026.
    with pytest.raises(ValidationError, match=r"before the initiative started \(9 Feb 2026"):
        execute(demo, svc.edit_release(mvp.id, {"target_date": date(2026, 1, 31)}))
    with pytest.raises(ValidationError, match=r"The capacity cannot be negative\."):
        execute(demo, svc.edit_release(mvp.id, {"capacity": -3.0}))
    after = svc.get_release(demo, mvp.id)
    assert after is not None and after.target_date == date(2026, 4, 27) and after.capacity == 20


def test_deleting_a_release_unplans_its_items_and_undo_brings_both_back(demo: Project) -> None:
    iid = initiative_id(demo)
    plan = svc.load_plan(demo, iid)
    r2 = plan.releases[1]
    members = {i.id for i in plan.items_of(r2.id)}
    delete = svc.delete_release(demo, r2.id)
    execute(demo, delete)
    plan = svc.load_plan(demo, iid)
    assert r2.id not in {r.id for r in plan.releases}
    assert all(i.release_id is None for i in plan.items if i.id in members)
    execute(demo, delete, undo=True)
    assert {i.id for i in svc.load_plan(demo, iid).items_of(r2.id)} == members


def test_moving_items_between_buckets(demo: Project) -> None:
    iid = initiative_id(demo)
    plan = svc.load_plan(demo, iid)
    mvp, r2 = plan.releases[0], plan.releases[1]
    reading = item(demo, "Curated reading")
    prompt = item(demo, "Hand-off prompt")
    # Into Release 2, before the pager prompt: ranked there.
    move = svc.move_items(demo, [reading.id], r2.id, before=prompt.id)
    assert move is not None and move.text == f"Move “{reading.title}” to “{r2.name}”"
    execute(demo, move)
    order = svc.load_plan(demo, iid).items_of(r2.id)
    assert order[0].id == reading.id and order[1].id == prompt.id
    # Out of scope, then not planned.
    execute(demo, svc.move_items(demo, [reading.id], None, out_of_scope=True))  # type: ignore[arg-type]
    moved = item(demo, "Curated reading")
    assert moved.out_of_scope and moved.release_id is None
    execute(demo, svc.move_items(demo, [reading.id], None))  # type: ignore[arg-type]
    moved = item(demo, "Curated reading")
    assert not moved.out_of_scope and moved.release_id is None
    assert svc.move_items(demo, [reading.id], None) is None  # already there
    # Two items at the end of the MVP, in the order given.
    both = svc.move_items(demo, [reading.id, prompt.id], mvp.id, at_end=True)
    assert both is not None and both.text == "Move 2 items to “MVP — hand-off kit”"
    execute(demo, both)
    assert [i.id for i in svc.load_plan(demo, iid).items_of(mvp.id)][-2:] == [
        reading.id,
        prompt.id,
    ]
    execute(demo, both, undo=True)
    assert item(demo, "Hand-off prompt").release_id == r2.id


def test_rescoring_from_the_matrix(demo: Project) -> None:
    checklist = item(demo, "Incident hand-off checklist")
    assert (checklist.value, checklist.effort) == (9, 4.0)
    command = svc.rescore(demo, [svc.Rescore(checklist.id, 7, 6.5)])
    assert command is not None and command.text == f"Rescore “{checklist.title}”"
    execute(demo, command)
    after = item(demo, "Incident hand-off checklist")
    assert (after.value, after.effort) == (7, 6.5)
    execute(demo, command, undo=True)
    after = item(demo, "Incident hand-off checklist")
    assert (after.value, after.effort) == (9, 4.0)
    assert svc.rescore(demo, [svc.Rescore(checklist.id, 9, 4.0)]) is None  # unchanged
    with pytest.raises(ValidationError, match=r"The value must be between 1 and 10\."):
        execute(demo, svc.rescore(demo, [svc.Rescore(checklist.id, 11, 4.0)]))  # type: ignore[arg-type]


def rows_of(demo: Project) -> tuple[list[str | None], list[BacklogItem], int]:
    order, cut = svc.cut_order(demo, initiative_id(demo))
    rows: list[str | None] = [i.id for i in order]
    rows.insert(cut, None)
    return rows, order, cut


def test_the_cut_line(demo: Project) -> None:
    iid = initiative_id(demo)
    rows, order, cut = rows_of(demo)
    assert cut == 6  # the six MVP items are above the line
    assert set(titles(order[:cut])) >= {"Incident", "Shadowing", "'Hand-offs"}
    # Drag the line one row down: the first item below it joins the MVP.
    first_below = order[cut]
    line_down = [*rows[:cut], first_below.id, None, *rows[cut + 2 :]]
    move = svc.rearrange_cut(demo, iid, line_down, None)
    assert move is not None and move.text == "Move the MVP cut line"
    execute(demo, move)
    _, order2, cut2 = rows_of(demo)
    assert cut2 == 7 and first_below.id in {i.id for i in order2[:cut2]}
    execute(demo, move, undo=True)
    assert rows_of(demo)[2] == 6
    # Drag the micro-module below the line, to the end: it leaves the MVP, ranked last.
    micro = next(i for i in order if "micro-module" in i.title)
    after = [r for r in rows if r != micro.id] + [micro.id]
    move = svc.rearrange_cut(demo, iid, after, micro.id)
    assert move is not None and move.text.endswith("out of the MVP")
    execute(demo, move)
    rows3, order3, cut3 = rows_of(demo)
    assert cut3 == 5 and order3[-1].id == micro.id
    assert item(demo, "'Hand-offs").release_id is None
    # And back up, between the first two MVP items.
    back = [rows3[0], micro.id, *[r for r in rows3[1:] if r != micro.id]]
    move = svc.rearrange_cut(demo, iid, back, micro.id)
    assert move is not None and move.text.endswith("into the MVP")
    execute(demo, move)
    _, order4, cut4 = rows_of(demo)
    assert cut4 == 6 and order4[1].id == micro.id
    assert svc.rearrange_cut(demo, iid, rows_of(demo)[0], None) is None  # nothing moved


def test_without_releases_there_is_no_cut(demo: Project) -> None:
    other = initiative_id(demo, "Manager onboarding")
    order, cut = svc.cut_order(demo, other)
    assert cut == 0 and len(order) == 2
    assert svc.rearrange_cut(demo, other, [None, order[0].id, order[1].id], None) is None
    assert cut_list([], None) == ([], 0)


def test_roadmap_horizon_by_hand(demo: Project) -> None:
    later = svc.load_plan(demo, initiative_id(demo)).releases[2]
    execute(demo, svc.set_horizon(later.id, Horizon.NEXT))
    assert svc.get_release(demo, later.id).horizon is Horizon.NEXT  # type: ignore[union-attr]
    execute(demo, svc.set_horizon(later.id, None))
    assert svc.get_release(demo, later.id).horizon is None  # type: ignore[union-attr]
    assert isinstance(svc.get_release(demo, later.id), Release)


def ranks_written(command: object) -> dict[str, str]:
    """The ranks a command writes, by id."""
    parts = command.parts if isinstance(command, Composite) else [command]
    return {p.id: p.new["rank"] for p in parts if isinstance(p, EditFields) and "rank" in p.new}


def test_moves_among_ranks_a_merge_left_equal_rewrite_few_rows(demo: Project) -> None:
    """Two devices ranked rows alike offline: a move writes the moved row (and at most the
    shorter side of the tie), never re-spaces the whole list."""
    iid = initiative_id(demo)
    plan = svc.load_plan(demo, iid)
    r2 = plan.releases[1]
    tied = plan.items_of(r2.id)
    assert len(tied) >= 3
    for i in tied:
        execute(demo, edit(BacklogItem, i.id, {"rank": "V"}, "Tie"))
    tied = svc.load_plan(demo, iid).items_of(r2.id)  # now by id
    reading = item(demo, "Curated reading")
    # Into the tie, before its last row.
    move = svc.move_items(demo, [reading.id], r2.id, before=tied[-1].id)
    assert move is not None
    assert reading.id in ranks_written(move) and len(ranks_written(move)) <= 2
    execute(demo, move)
    order = [i.id for i in svc.load_plan(demo, iid).items_of(r2.id)]
    assert order == [*(i.id for i in tied[:-1]), reading.id, tied[-1].id]
    # Releases tied too: moving the last one up one place writes one or two ranks.
    for r in plan.releases:
        execute(demo, edit(Release, r.id, {"rank": "V"}, "Tie"))
    before = [r.id for r in svc.list_releases(demo, iid)]
    move_up = svc.move_release(demo, before[-1], -1)
    assert move_up is not None and 1 <= len(ranks_written(move_up)) <= 2
    execute(demo, move_up)
    assert [r.id for r in svc.list_releases(demo, iid)] == [before[0], before[2], before[1]]


def test_the_cut_line_among_equal_ranks(demo: Project) -> None:
    iid = initiative_id(demo)
    rows, order, cut = rows_of(demo)
    for i in order[:cut]:
        execute(demo, edit(BacklogItem, i.id, {"rank": "V"}, "Tie"))
    rows, order, cut = rows_of(demo)
    # The last MVP item dragged to the top of the list.
    last = order[cut - 1].id
    moved = [last, *(r for r in rows if r != last)]
    move = svc.rearrange_cut(demo, iid, moved, last)
    assert move is not None and len(ranks_written(move)) < cut
    execute(demo, move)
    assert rows_of(demo)[0] == moved
