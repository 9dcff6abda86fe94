from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import RICE_IMPACTS, BacklogItem
from ldpm.domain.enums import ItemKind, MoSCoW, Sourcing, ValueEffortQuadrant
from ldpm.domain.scoring import (
    ScoringMethod,
    backlog_sort_key,
    moscow_order,
    rice,
    score,
    value_effort_quadrant,
    value_effort_ratio,
    wsjf,
)


def item(**kw: Any) -> BacklogItem:
    kw.setdefault("initiative_id", "handoffs")
    return BacklogItem(**kw)


# The demo MVP for the "communication class" request.
CHECKLIST = item(
    id="checklist",
    title="Incident hand-off checklist",
    kind=ItemKind.PERFORMANCE_SUPPORT,
    reach=120,  # on-call engineers per quarter
    impact=2.0,
    confidence=0.8,
    effort=4.0,
    business_value=8,
    time_criticality=9,
    risk_reduction=7,
    job_size=3,
    value=9,
    moscow=MoSCoW.MUST,
    rank="G",
)
SHADOWING = item(
    id="shadowing",
    title="Shadowing rotation with the two on-call leads",
    kind=ItemKind.PRACTICE,
    sourcing=Sourcing.SME_LED,
    reach=12,
    impact=3.0,
    confidence=0.8,
    effort=20.0,
    business_value=7,
    time_criticality=4,
    risk_reduction=6,
    job_size=8,
    value=7,
    moscow=MoSCoW.SHOULD,
    rank="V",
)
MICRO_MODULE = item(
    id="micro",
    title="10-minute micro-module for new hires",
    reach=30,
    impact=1.0,
    confidence=0.5,
    effort=10.0,
    business_value=5,
    time_criticality=3,
    risk_reduction=2,
    job_size=5,
    value=4,
    moscow=MoSCoW.COULD,
    rank="l",
)


@pytest.mark.parametrize(
    ("it", "expected"),
    [
        (CHECKLIST, 48.0),  # 120 × 2 × 0.8 / 4
        (SHADOWING, 1.44),  # 12 × 3 × 0.8 / 20
        (MICRO_MODULE, 1.5),  # 30 × 1 × 0.5 / 10
        (item(reach=0, impact=1.0, confidence=1.0, effort=1.0), 0.0),
    ],
)
def test_rice(it: BacklogItem, expected: float) -> None:
    assert rice(it) == pytest.approx(expected)


@pytest.mark.parametrize(
    "overrides",
    [
        {"reach": None},
        {"impact": None},
        {"confidence": None},
        {"effort": None},
        {"effort": 0.0},
        {"effort": -2.0},
        {"effort": float("nan")},
    ],
)
def test_rice_is_none_without_all_inputs(overrides: dict[str, object]) -> None:
    full = {"reach": 120, "impact": 2.0, "confidence": 0.8, "effort": 4.0}
    assert rice(item(**(full | overrides))) is None


@pytest.mark.parametrize(
    ("it", "expected"),
    [
        (CHECKLIST, 8.0),  # (8 + 9 + 7) / 3
        (SHADOWING, 2.125),  # (7 + 4 + 6) / 8
        (MICRO_MODULE, 2.0),  # (5 + 3 + 2) / 5
    ],
)
def test_wsjf(it: BacklogItem, expected: float) -> None:
    assert wsjf(it) == pytest.approx(expected)


@pytest.mark.parametrize(
    "overrides",
    [
        {"business_value": None},
        {"time_criticality": None},
        {"risk_reduction": None},
        {"job_size": None},
        {"job_size": 0},
    ],
)
def test_wsjf_is_none_without_all_inputs(overrides: dict[str, object]) -> None:
    full = {"business_value": 8, "time_criticality": 9, "risk_reduction": 7, "job_size": 3}
    assert wsjf(item(**(full | overrides))) is None


reach_st = st.integers(min_value=0, max_value=100_000)
effort_st = st.floats(min_value=0.1, max_value=1000)
confidence_st = st.floats(min_value=0, max_value=1)
impact_st = st.sampled_from(RICE_IMPACTS)


@given(reach_st, reach_st, impact_st, confidence_st, effort_st)
def test_rice_grows_with_reach(r1: int, r2: int, imp: float, conf: float, eff: float) -> None:
    low, high = sorted((r1, r2))
    a = rice(item(reach=low, impact=imp, confidence=conf, effort=eff))
    b = rice(item(reach=high, impact=imp, confidence=conf, effort=eff))
    assert a is not None
    assert b is not None
    assert a <= b


@given(reach_st, impact_st, confidence_st, effort_st, effort_st)
def test_rice_falls_with_effort(r: int, imp: float, conf: float, e1: float, e2: float) -> None:
    low, high = sorted((e1, e2))
    cheap = rice(item(reach=r, impact=imp, confidence=conf, effort=low))
    dear = rice(item(reach=r, impact=imp, confidence=conf, effort=high))
    assert cheap is not None
    assert dear is not None
    assert cheap >= dear


@given(impact_st, impact_st)
def test_rice_grows_with_impact(i1: float, i2: float) -> None:
    low, high = sorted((i1, i2))
    a = rice(item(reach=50, impact=low, confidence=0.5, effort=3.0))
    b = rice(item(reach=50, impact=high, confidence=0.5, effort=3.0))
    assert a is not None
    assert b is not None
    assert a <= b


scale = st.integers(min_value=1, max_value=10)


@given(scale, scale, scale, scale, st.integers(min_value=1, max_value=100))
def test_wsjf_grows_with_business_value(bv1: int, bv2: int, tc: int, rr: int, size: int) -> None:
    low, high = sorted((bv1, bv2))
    a = wsjf(item(business_value=low, time_criticality=tc, risk_reduction=rr, job_size=size))
    b = wsjf(item(business_value=high, time_criticality=tc, risk_reduction=rr, job_size=size))
    assert a is not None
    assert b is not None
    assert a <= b


@given(
    scale,
    scale,
    scale,
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=1, max_value=100),
)
def test_wsjf_falls_with_job_size(bv: int, tc: int, rr: int, s1: int, s2: int) -> None:
    small, big = sorted((s1, s2))
    a = wsjf(item(business_value=bv, time_criticality=tc, risk_reduction=rr, job_size=small))
    b = wsjf(item(business_value=bv, time_criticality=tc, risk_reduction=rr, job_size=big))
    assert a is not None
    assert b is not None
    assert a >= b


@pytest.mark.parametrize(
    ("value", "effort", "expected"),
    [
        (9, 4.0, ValueEffortQuadrant.QUICK_WIN),  # the checklist
        (7, 20.0, ValueEffortQuadrant.BIG_BET),  # the shadowing rotation
        (4, 2.0, ValueEffortQuadrant.FILL_IN),
        (4, 10.0, ValueEffortQuadrant.MONEY_PIT),  # the micro-module, as scored
        # Boundaries: value 6 is high, 5 is low; effort 5 days is low, above is high.
        (6, 5.0, ValueEffortQuadrant.QUICK_WIN),
        (5, 5.0, ValueEffortQuadrant.FILL_IN),
        (6, 5.5, ValueEffortQuadrant.BIG_BET),
        (5, 5.5, ValueEffortQuadrant.MONEY_PIT),
        (10, 0.5, ValueEffortQuadrant.QUICK_WIN),
        (1, 100.0, ValueEffortQuadrant.MONEY_PIT),
    ],
)
def test_value_effort_quadrant(value: int, effort: float, expected: ValueEffortQuadrant) -> None:
    assert value_effort_quadrant(value, effort) is expected


def test_value_effort_quadrant_custom_splits() -> None:
    # With a two-week effort split, ten days is still low effort.
    assert value_effort_quadrant(7, 10.0, effort_split=10) is ValueEffortQuadrant.QUICK_WIN
    assert value_effort_quadrant(7, 10.0, value_split=7) is ValueEffortQuadrant.MONEY_PIT


@pytest.mark.parametrize(("value", "effort"), [(None, 3.0), (7, None), (None, None)])
def test_value_effort_quadrant_missing(value: int | None, effort: float | None) -> None:
    assert value_effort_quadrant(value, effort) is None


@pytest.mark.parametrize(
    ("value", "effort", "expected"),
    [(9, 4.0, 2.25), (7, 20.0, 0.35), (4, 0.5, 8.0), (None, 4.0, None), (9, None, None)],
)
def test_value_effort_ratio(
    value: int | None, effort: float | None, expected: float | None
) -> None:
    assert value_effort_ratio(value, effort) == (
        None if expected is None else pytest.approx(expected)
    )


@pytest.mark.parametrize("effort", [0.0, -1.0])
def test_value_effort_ratio_needs_positive_effort(effort: float) -> None:
    assert value_effort_ratio(8, effort) is None


def test_moscow_order() -> None:
    order = [None, MoSCoW.WONT, MoSCoW.MUST, MoSCoW.COULD, MoSCoW.SHOULD]
    assert sorted(order, key=moscow_order) == [
        MoSCoW.MUST,
        MoSCoW.SHOULD,
        MoSCoW.COULD,
        MoSCoW.WONT,
        None,
    ]
    assert moscow_order(MoSCoW.MUST) == 0
    assert moscow_order(None) == 4


def test_moscow_score() -> None:
    assert score(CHECKLIST, ScoringMethod.MOSCOW) == 4.0
    assert score(item(moscow=MoSCoW.WONT), ScoringMethod.MOSCOW) == 1.0
    assert score(item(), ScoringMethod.MOSCOW) is None
    assert score(CHECKLIST, ScoringMethod.RANK) is None


def _order(items: list[BacklogItem], method: ScoringMethod) -> list[str]:
    return [i.id for i in sorted(items, key=lambda i: backlog_sort_key(i, method))]


UNSCORED_A = item(id="unscored-a", title="Ops director briefing", rank="0V")
UNSCORED_B = item(id="unscored-b", title="FAQ page", rank="z")
BACKLOG = [UNSCORED_B, MICRO_MODULE, CHECKLIST, UNSCORED_A, SHADOWING]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # RICE: checklist 48, micro 1.5, shadowing 1.44; unscored by rank ("0V" < "z").
        (ScoringMethod.RICE, ["checklist", "micro", "shadowing", "unscored-a", "unscored-b"]),
        # WSJF: checklist 8, shadowing 2.125, micro 2.
        (ScoringMethod.WSJF, ["checklist", "shadowing", "micro", "unscored-a", "unscored-b"]),
        # Value / effort: checklist 2.25, micro 0.4, shadowing 0.35.
        (
            ScoringMethod.VALUE_EFFORT,
            ["checklist", "micro", "shadowing", "unscored-a", "unscored-b"],
        ),
        (ScoringMethod.MOSCOW, ["checklist", "shadowing", "micro", "unscored-a", "unscored-b"]),
        # Manual rank only: "0V" < "G" < "V" < "l" < "z".
        (ScoringMethod.RANK, ["unscored-a", "checklist", "shadowing", "micro", "unscored-b"]),
    ],
)
def test_backlog_stays_sorted_by_value(method: ScoringMethod, expected: list[str]) -> None:
    assert _order(BACKLOG, method) == expected


def test_ties_are_broken_by_rank_then_id() -> None:
    same = {"reach": 10, "impact": 1.0, "confidence": 1.0, "effort": 2.0}
    b_low_rank = item(id="b", rank="G", **same)
    a_high_rank = item(id="a", rank="l", **same)
    c_same_rank = item(id="c", rank="G", **same)
    order = _order([a_high_rank, c_same_rank, b_low_rank], ScoringMethod.RICE)
    assert order == ["b", "c", "a"]


def test_unscored_items_sort_after_a_zero_score() -> None:
    zero = item(id="zero", reach=0, impact=1.0, confidence=1.0, effort=1.0, rank="z")
    unscored = item(id="none", rank="0V")
    assert _order([unscored, zero], ScoringMethod.RICE) == ["zero", "none"]


def test_scoring_method_values_are_stable() -> None:
    assert [m.value for m in ScoringMethod] == ["rice", "wsjf", "value_effort", "moscow", "rank"]
