"""A workspace's scoring scheme: scales, weights and rubrics; "needs scoring", never 0;
scores that never depend on the other items."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldpm.domain.entities import BacklogItem, Workspace
from ldpm.domain.enums import MoSCoW, ScoringMethod
from ldpm.domain.scales import format_scale, on_scale, parse_scale
from ldpm.domain.scoring import (
    DEFAULT_RUBRICS,
    FACTORS,
    Factor,
    ScoringScheme,
    backlog_sort_key,
    missing_inputs,
    scale_problem,
    score,
    wsjf,
)


def item(**kw: object) -> BacklogItem:
    kw.setdefault("initiative_id", "handoffs")
    return BacklogItem(**kw)  # type: ignore[arg-type]


def test_a_workspace_scheme_reads_its_scales_weights_and_rubrics() -> None:
    ws = Workspace(
        scoring_method=ScoringMethod.WSJF,
        impact_scale="0.5; 4; 2",
        confidence_scale="90; 60",
        wsjf_weight_value=2.0,
        wsjf_weight_time=1.0,
        wsjf_weight_risk=0.0,
        rubric_impact="  Our own words.  ",
    )
    scheme = ScoringScheme.of(ws)
    assert scheme.method is ScoringMethod.WSJF
    assert scheme.impact_steps == (4.0, 2.0, 0.5)  # largest first
    assert scheme.confidence_steps == (0.9, 0.6)  # stored as percent, used as fractions
    assert scheme.weights == (2.0, 1.0, 0.0)
    assert scheme.rubric(Factor.IMPACT) == "Our own words."
    assert not scheme.is_default_rubric(Factor.IMPACT)
    assert scheme.rubric(Factor.REACH) == DEFAULT_RUBRICS[Factor.REACH]


def test_the_default_workspace_has_the_standard_scheme() -> None:
    scheme = ScoringScheme.of(Workspace())
    assert scheme == ScoringScheme(rubrics={})
    assert scheme.impact_steps == (3.0, 2.0, 1.0, 0.5, 0.25)
    assert scheme.confidence_steps == (1.0, 0.8, 0.5)


def test_every_factor_has_a_rubric_and_a_workspace_field() -> None:
    for factor in Factor:
        assert DEFAULT_RUBRICS[factor].endswith(".")
        assert hasattr(Workspace(), factor.rubric_field)
        assert hasattr(item(), factor.value)


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ((1.0, 1.0, 1.0), 8.0),  # (8 + 9 + 7) / 3
        ((2.0, 1.0, 1.0), 32 / 3),  # (16 + 9 + 7) / 3
        ((0.0, 0.0, 1.0), 7 / 3),  # risk reduction alone
        ((0.5, 0.0, 0.0), 4 / 3),
    ],
)
def test_wsjf_weights_multiply_the_cost_of_delay(
    weights: tuple[float, float, float], expected: float
) -> None:
    checklist = item(business_value=8, time_criticality=9, risk_reduction=7, job_size=3)
    assert wsjf(checklist, weights) == pytest.approx(expected)
    scheme = ScoringScheme(weights=weights)
    assert score(checklist, ScoringMethod.WSJF, scheme) == pytest.approx(expected)


def test_missing_inputs_name_what_is_left_to_score() -> None:
    half = item(reach=120, impact=2.0)
    assert missing_inputs(half, ScoringMethod.RICE) == (Factor.CONFIDENCE, Factor.EFFORT)
    assert score(half, ScoringMethod.RICE) is None  # "needs scoring", never 0
    assert missing_inputs(item(job_size=0), ScoringMethod.WSJF) == FACTORS[ScoringMethod.WSJF]
    assert missing_inputs(item(moscow=MoSCoW.MUST), ScoringMethod.MOSCOW) == ()
    assert missing_inputs(item(), ScoringMethod.RANK) == ()


def test_a_zero_reach_is_a_real_zero_not_missing() -> None:
    nobody = item(reach=0, impact=1.0, confidence=1.0, effort=2.0)
    assert missing_inputs(nobody, ScoringMethod.RICE) == ()
    assert score(nobody, ScoringMethod.RICE) == 0.0


@pytest.mark.parametrize(
    ("factor", "value", "sentence"),
    [
        (Factor.IMPACT, 1.5, "1.5 is not on the impact scale: use 3, 2, 1, 0.5 or 0.25."),
        (Factor.IMPACT, 4.0, "4 is not on the impact scale: use 3, 2, 1, 0.5 or 0.25."),
        (Factor.CONFIDENCE, 0.7, "70% is not on the confidence scale: use 100%, 80% or 50%."),
        (Factor.IMPACT, 0.5, None),
        (Factor.CONFIDENCE, 0.8, None),
        (Factor.REACH, 12345, None),  # no steps
        (Factor.IMPACT, None, None),  # clearing is always allowed
    ],
)
def test_scale_problem(factor: Factor, value: float | None, sentence: str | None) -> None:
    assert scale_problem(factor, value, ScoringScheme()) == sentence


def test_a_custom_scale_is_what_counts() -> None:
    scheme = ScoringScheme(impact_steps=(4.0, 2.0, 1.0))
    assert scale_problem(Factor.IMPACT, 4.0, scheme) is None
    assert scale_problem(Factor.IMPACT, 3.0, scheme) == (
        "3 is not on the impact scale: use 4, 2 or 1."
    )


def test_scales_read_and_write_in_one_plain_form() -> None:
    assert parse_scale("3; 2;1 ;0.5; 0.25;") == (3.0, 2.0, 1.0, 0.5, 0.25)
    assert format_scale((0.25, 3.0, 1.0, 3.0)) == "3; 1; 0.25"
    assert parse_scale(format_scale((0.3, 7.5))) == (7.5, 0.3)
    assert on_scale(0.57 * 100 / 100, (0.57,))
    for bad in ("", ";", "three", "1; inf"):
        with pytest.raises(ValueError):
            parse_scale(bad)


def _rice_item(i: int, reach: int, impact: float, conf: float, effort: float) -> BacklogItem:
    return item(id=f"i{i}", reach=reach, impact=impact, confidence=conf, effort=effort)


rice_inputs = st.tuples(
    st.integers(0, 5000),
    st.sampled_from((3.0, 2.0, 1.0, 0.5, 0.25)),
    st.sampled_from((1.0, 0.8, 0.5)),
    st.floats(0.5, 100),
)


@given(st.lists(rice_inputs, min_size=1, max_size=20), rice_inputs)
def test_scores_are_absolute_adding_an_item_changes_no_other_score(
    backlog: list[tuple[int, float, float, float]], new: tuple[int, float, float, float]
) -> None:
    items = [_rice_item(i, *inputs) for i, inputs in enumerate(backlog)]
    before = [score(it, ScoringMethod.RICE) for it in items]
    items.append(_rice_item(len(items), *new))
    after = [score(it, ScoringMethod.RICE) for it in items[:-1]]
    assert after == before
    # And the score is the formula on the item's own inputs, nothing else.
    for it, value in zip(items, after, strict=False):
        assert it.reach is not None and it.impact and it.confidence and it.effort
        assert value == pytest.approx(it.reach * it.impact * it.confidence / it.effort)


def test_the_sort_key_uses_the_schemes_weights() -> None:
    urgent = item(id="urgent", business_value=2, time_criticality=10, risk_reduction=1, job_size=1)
    valuable = item(
        id="valuable", business_value=10, time_criticality=2, risk_reduction=1, job_size=1
    )
    by_value = ScoringScheme(weights=(3.0, 1.0, 1.0))
    by_time = ScoringScheme(weights=(1.0, 3.0, 1.0))

    def order(scheme: ScoringScheme) -> list[str]:
        items = [urgent, valuable]
        keyed = sorted(items, key=lambda i: backlog_sort_key(i, ScoringMethod.WSJF, scheme))
        return [i.id for i in keyed]

    assert order(by_value) == ["valuable", "urgent"]  # 33 vs 17
    assert order(by_time) == ["urgent", "valuable"]  # 33 vs 17
