"""Releases as buckets: load against capacity, the sourcing split, the MVP's cut line and the
Now/Next/Later roadmap, with hand-computed values."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.enums import Horizon, ItemStatus, Sourcing
from ldpm.domain.release_plan import (
    Bucket,
    bucket_of,
    cut_changes,
    cut_list,
    is_shipped,
    mvp_of,
    release_date_problem,
    release_load,
    roadmap,
    side_of_cut,
    sourcing_split,
)

DONE, READY, DROPPED = ItemStatus.DONE, ItemStatus.READY, ItemStatus.DROPPED


def item(id_: str, **kw: object) -> BacklogItem:
    return BacklogItem(id=id_, initiative_id="i", title=id_, **kw)  # type: ignore[arg-type]


def release(id_: str, **kw: object) -> Release:
    return Release(id=id_, initiative_id="i", name=id_, **kw)  # type: ignore[arg-type]


def test_buckets() -> None:
    assert bucket_of(item("a", release_id="r")) is Bucket.RELEASE
    assert bucket_of(item("b")) is Bucket.NOT_PLANNED
    assert bucket_of(item("c", out_of_scope=True)) is Bucket.OUT_OF_SCOPE


def test_load_against_capacity() -> None:
    # The demo MVP: 4 + 2 + 6 + 5 + 1 + 1 = 19 days against 20.
    mvp = [item(str(n), effort=e) for n, e in enumerate([4.0, 2.0, 6.0, 5.0, 1.0, 1.0])]
    load = release_load(mvp, 20.0)
    assert (load.count, load.effort, load.unestimated) == (6, 19.0, 0)
    assert not load.over and load.remaining == 1.0 and load.share == pytest.approx(0.95)
    # Release 2: 8 + 3 + 3 + 2 = 16 days against 12, one more item not estimated, one dropped.
    r2 = [
        item("a", effort=8.0),
        item("b", effort=3.0),
        item("c", effort=3.0),
        item("d", effort=2.0),
        item("e"),
        item("f", effort=50.0, status=DROPPED),
    ]
    load = release_load(r2, 12.0)
    assert (load.count, load.effort, load.unestimated) == (5, 16.0, 1)
    assert load.over and load.remaining == -4.0
    assert release_load(r2, None).share is None and not release_load(r2, None).over
    assert release_load([], 0.0).share == 0.0
    assert release_load(r2[:1], 0.0).share == float("inf") and release_load(r2[:1], 0.0).over


def test_sourcing_split() -> None:
    split = sourcing_split(
        [
            item("a", effort=4.0),
            item("b", effort=6.0, sourcing=Sourcing.SME_LED),
            item("c", sourcing=Sourcing.SME_LED),
            item("d", effort=1.0, sourcing=Sourcing.OUTSOURCE),
            item("e", effort=9.0, sourcing=Sourcing.CURATE, status=DROPPED),
        ]
    )
    assert list(split) == list(Sourcing)
    assert [(s.count, s.effort) for s in split.values()] == [
        (1, 4.0),
        (0, 0.0),
        (2, 6.0),
        (1, 1.0),
        (0, 0.0),  # not training
    ]


def test_the_mvp_is_the_flagged_release_or_the_first() -> None:
    a, b = release("a"), release("b", is_mvp=True)
    assert mvp_of([a, b]) is b
    assert mvp_of([a, release("c")]) is a
    assert mvp_of([]) is None


def test_cut_list_and_line() -> None:
    items = [
        item("x", rank="B"),
        item("m2", rank="C", release_id="mvp"),
        item("y", rank="A", release_id="r2"),
        item("m1", rank="D", release_id="mvp"),
        item("gone", rank="0", status=DROPPED),
        item("out", rank="1", out_of_scope=True),
    ]
    order, cut = cut_list(items, "mvp")
    assert [i.id for i in order] == ["m2", "m1", "y", "x"] and cut == 2
    order, cut = cut_list(items, None)
    assert [i.id for i in order] == ["y", "x", "m2", "m1"] and cut == 0


def test_moving_the_line_or_an_item_across_it() -> None:
    members = {"m2", "m1"}
    # The line moves down one: "y" joins.
    assert cut_changes(["m2", "m1", "y", None, "x"], members) == (["y"], [])
    # The line moves up one: "m1" leaves.
    assert cut_changes(["m2", None, "m1", "y", "x"], members) == ([], ["m1"])
    # "x" dragged above the line, "m2" below it.
    assert cut_changes(["x", "m1", None, "y", "m2"], members) == (["x"], ["m2"])
    with pytest.raises(ValueError, match="one cut line"):
        cut_changes(["x", "y"], members)


def test_a_moved_item_is_ranked_among_the_items_on_its_side_of_the_line() -> None:
    assert side_of_cut(["m2", "x", "m1", None, "y"], "x") == ["m2", "x", "m1"]
    assert side_of_cut(["x", "m2", None, "y"], "y") == ["y"]
    assert side_of_cut(["m2", None, "y", "x"], "x") == ["y", "x"]
    assert side_of_cut(["m2", None, "x"], "x") == ["x"]


def test_a_release_date_before_the_initiative_started_is_refused() -> None:
    start = date(2026, 2, 9)
    assert release_date_problem(date(2026, 2, 8), start) == (
        "The target date cannot be before the initiative started "
        "(9 Feb 2026, the date of the request)."
    )
    assert release_date_problem(start, start) is None
    assert release_date_problem(None, start) is None
    assert release_date_problem(date(2020, 1, 1), None) is None


def test_roadmap_from_dates_and_by_hand() -> None:
    today = date(2026, 5, 1)
    mvp = release("mvp", target_date=date(2026, 4, 27), rank="A", capacity=20.0)
    r2 = release("r2", target_date=date(2026, 7, 31), rank="B")
    later = release("later", rank="C")
    pilot = release("pilot", target_date=date(2026, 1, 31), rank="0")
    items = {
        "mvp": [item("c", status=DONE, effort=4.0), item("s", status=READY, effort=6.0)],
        "r2": [item("p", status=READY)],
        "pilot": [item("t", status=DONE), item("u", status=DROPPED)],
    }
    plan = roadmap([pilot, mvp, r2, later], items, today)
    assert [e.release.id for e in plan.lanes[Horizon.NOW]] == ["mvp"]
    assert [e.release.id for e in plan.lanes[Horizon.NEXT]] == ["r2"]
    assert [e.release.id for e in plan.lanes[Horizon.LATER]] == ["later"]
    assert [r.id for r in plan.shipped] == ["pilot"]
    now = plan.lanes[Horizon.NOW][0]
    assert now.overdue and not now.by_hand and now.done == 1 and now.load.effort == 10.0
    assert not plan.lanes[Horizon.NEXT][0].overdue
    # Set by hand: Release 2 now, the later bucket next.
    r2h = release("r2", target_date=date(2026, 7, 31), rank="B", horizon=Horizon.NOW)
    laterh = release("later", rank="C", horizon=Horizon.NEXT)
    plan = roadmap([pilot, mvp, r2h, laterh], items, today)
    assert [e.release.id for e in plan.lanes[Horizon.NOW]] == ["mvp", "r2"]
    assert [e.by_hand for e in plan.lanes[Horizon.NOW]] == [False, True]
    assert [e.release.id for e in plan.lanes[Horizon.NEXT]] == ["later"]
    assert plan.lanes[Horizon.LATER] == []


def test_shipped() -> None:
    assert not is_shipped([])
    assert is_shipped([item("a", status=DONE), item("b", status=DROPPED)])
    assert not is_shipped([item("a", status=DONE), item("b", status=READY)])
    assert not is_shipped([item("b", status=DROPPED)])
