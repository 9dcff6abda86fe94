"""The demo's impact story, checked against a hand calculation: hand-off errors fell after the
checklist release (the MVP, 27 April 2026), and the Trojan mouse with Team Blue passed and was
amplified, with its story."""

from __future__ import annotations

from datetime import date

import pytest

from ldpm.domain.enums import Decision, ExperimentState, StoryKind, Track
from ldpm.services import experiments, metrics, stories
from ldpm.services.initiatives import list_initiatives
from ldpm.services.project import Project

TODAY = date(2026, 11, 29)
MVP = date(2026, 4, 27)

# The main line of "Hand-off errors per incident", weekly from 2 February 2026.
BEFORE_MVP = [2.48, 2.47, 2.48, 2.61, 2.48, 2.28, 2.51, 2.38, 2.34, 2.35, 2.33, 2.42]
AFTER_MVP = [
    2.30, 2.16, 1.98, 1.88, 2.01, 2.12, 1.87, 1.79, 1.83, 1.51, 1.65, 1.74,
    1.77, 1.58, 1.65, 1.61, 1.67, 1.36, 1.59, 1.26, 1.07, 1.35, 1.28,
]  # fmt: skip


def test_hand_off_errors_before_and_after_the_checklist_release(demo: Project) -> None:
    handoffs = list_initiatives(demo)[0]
    data = metrics.impact(demo, handoffs.id, TODAY)
    assert data is not None
    errors = next(m for m in data.metrics if m.name == "Hand-off errors per incident")
    main = data.lines[errors.id][""]
    assert list(main.values) == BEFORE_MVP + AFTER_MVP
    assert date.fromordinal(main.days[0]) == date(2026, 2, 2)
    assert date.fromordinal(main.days[len(BEFORE_MVP)]) == MVP
    mvp = next(e for e in data.events if e.kind == "release" and e.on == MVP)
    [result] = [r for r in metrics.before_after_all(data, MVP, mvp) if r.metric_id == errors.id]

    # By hand: the 12 weeks before sum to 29.13, so the mean is 29.13 / 12 = 2.4275; the 23
    # weeks from the release on sum to 39.03: 39.03 / 23 = 1.69696…
    assert (result.n_before, result.n_after) == (12, 23)
    assert result.before == pytest.approx(29.13 / 12)
    assert result.after == pytest.approx(39.03 / 23)
    # Against the baseline of 2.5: 1.69696 − 2.5 = −0.80304, i.e. −32.1 %.
    assert result.change == pytest.approx(39.03 / 23 - 2.5)
    assert result.change_pct == pytest.approx((39.03 / 23 - 2.5) / 2.5 * 100)
    assert result.change_pct is not None and round(result.change_pct, 1) == -32.1
    # Progress from 2.5 towards 1.5: (2.5 − 1.69696) / (2.5 − 1.5) = 80.3 %.
    assert result.progress_pct == pytest.approx((2.5 - 39.03 / 23) * 100)
    # The target date (30 Sep) has passed: the last three values up to it, 1.07, 1.35 and
    # 1.28, average 3.70 / 3 = 1.233, below the target of 1.5: met.
    assert result.track is Track.MET
    assert result.projected == pytest.approx(3.70 / 3)
    # The remote segment is its own line, and the chart's markers include the release.
    assert {"Remote engineers", "Team Blue", "Other on-call teams"} <= set(data.lines[errors.id])
    assert ("release", MVP) in {(e.kind, e.on) for e in data.events}


def test_the_trojan_mouse_passed_and_was_amplified_with_its_story(demo: Project) -> None:
    handoffs = list_initiatives(demo)[0]
    cards = experiments.board(demo, handoffs.id, TODAY)
    card = next(c for c in cards if c.experiment.title.startswith("Trojan mouse: hand-off"))
    assert card.state is ExperimentState.DECIDED
    assert card.experiment.decision is Decision.AMPLIFY
    result = card.result
    assert result is not None and result.segment == "Team Blue"
    # 28 days from 16 March; the 28 days before: 16 Feb – 15 Mar.
    # Team Blue before: (2.68 + 2.31 + 2.69 + 2.67) / 4 = 10.35 / 4 = 2.5875;
    # during: (1.73 + 2.02 + 1.40 + 1.56) / 4 = 6.71 / 4 = 1.6775, at or below 1.8: passed.
    # Other on-call teams: (2.47 + 2.73 + 2.41 + 2.52) / 4 = 2.5325 → (2.28 + 2.42 + 2.49 +
    # 2.56) / 4 = 2.4375.  DiD = (1.6775 − 2.5875) − (2.4375 − 2.5325) = −0.91 + 0.095.
    assert result.before == pytest.approx(10.35 / 4)
    assert result.during == pytest.approx(6.71 / 4)
    assert result.passed is True
    assert result.did == pytest.approx(-0.815)
    told = stories.list_stories(demo, handoffs.id, experiment_id=card.id)
    assert any(s.kind is StoryKind.SUCCESS and "four weeks" in s.title for s in told)


def test_the_demo_portfolio_flags(demo: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldpm.services.portfolio import flags

    monkeypatch.setattr(metrics, "today", lambda: TODAY)
    items = list_initiatives(demo)
    by_name = {i.name: i.id for i in items}
    said = {
        name: [f.text for f in flags(demo, items)[initiative_id]]
        for name, initiative_id in by_name.items()
    }
    assert "only vanity metrics" in said["Sales demo certification"]
    assert "1 experiment running" in said["Incident hand-offs"]
    assert "decide: Playbook pilot with three new managers" in said["Manager onboarding"]
    assert "only vanity metrics" not in said["Incident hand-offs"]
