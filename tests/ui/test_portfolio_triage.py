"""The portfolio by triage status (with counts), requests captured in seconds, and the triage
and sourcing flags under each initiative."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldpm.domain.enums import Stage, TriageStatus
from ldpm.services import initiatives
from ldpm.ui.main_window import MainWindow
from ldpm.ui.models.portfolio import FLAGS_ROLE, PortfolioModel
from ldpm.ui.operations import OperationRunner


def names(model: PortfolioModel) -> list[str]:
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def test_the_portfolio_filters_by_triage_status_with_counts(
    qtmodeltester: object, demo_runner: OperationRunner
) -> None:
    model = PortfolioModel(demo_runner)
    assert model.total == 6  # the archived one is hidden
    assert model.counts == {
        TriageStatus.NEW: 1,
        TriageStatus.IN_REVIEW: 0,
        TriageStatus.WAITLISTED: 0,
        TriageStatus.APPROVED: 3,
        TriageStatus.DECLINED: 1,
        TriageStatus.ROUTED: 1,
    }
    model.set_triage_filter(TriageStatus.APPROVED)
    assert names(model) == ["Incident hand-offs", "Secure coding nudges", "Manager onboarding"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_show_archived(True)
    assert (
        names(model)[-1] == "Kubernetes fundamentals" and model.counts[TriageStatus.APPROVED] == 4
    )
    model.set_triage_filter(None)
    assert len(names(model)) == 7


def test_a_triage_decision_updates_the_counts_and_the_list(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    model = PortfolioModel(demo_runner)
    model.set_triage_filter(TriageStatus.NEW)
    [git] = [
        i for i in initiatives.list_initiatives(demo_runner.project) if i.name.startswith("Git")
    ]
    from ldpm.services import triage

    with qtbot.waitSignal(model.counts_changed):
        assert demo_runner.run(triage.set_triage(git.id, TriageStatus.IN_REVIEW))
    assert names(model) == []
    assert model.counts[TriageStatus.IN_REVIEW] == 1 and model.counts[TriageStatus.NEW] == 0


def test_the_flags_say_what_needs_attention(demo_runner: OperationRunner) -> None:
    model = PortfolioModel(demo_runner)
    every = {
        str(model.index(r, 0).data()): [
            (f.text, f.severity, f.area) for f in model.index(r, 0).data(FLAGS_ROLE)
        ]
        for r in range(model.rowCount())
    }
    # Metrics and stakeholders add their own flags (tested with them); these are triage's.
    flags = {
        name: [(text, severity) for text, severity, area in said if area in {"triage", "sourcing"}]
        for name, said in every.items()
    }
    assert ("only vanity metrics", "warning", "metrics") in every["Sales demo certification"]
    assert flags["Git basics for the support team"] == [("New request: not triaged", "warning")]
    assert flags["Public speaking course for all engineers"] == [("Declined", "info")]
    assert flags["Sales demo certification"] == [("Routed: not training", "info")]
    assert flags["Manager onboarding"][0] == ("Approved, not measurable", "warning")
    assert flags["Incident hand-offs"] == [("Builds 55% · enables 45%", "info")]


def test_a_request_is_captured_in_seconds(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page, runner = window.page, window.runner
    assert page is not None and runner is not None
    window.menu_actions["capture_request"].trigger()
    panel = page.sidebar.capture
    assert panel.isVisible() and QApplication.focusWidget() is panel.who
    panel.capture_button.click()  # nothing written yet: one sentence
    assert panel.message.text() == "Write what they asked for, in their own words."
    panel.who.setText("Grace Adeyemi")  # (typing would open the completer popup)
    panel.words.setPlainText("Managers want a course on difficult conversations.")
    QTest.keyClicks(panel.solution, "Difficult conversations workshop")
    QTest.keyClick(panel.solution, Qt.Key.Key_Return)
    assert not panel.isVisible()
    current = page.current_initiative()
    assert current is not None
    assert (current.name, current.stage, current.triage) == (
        "Difficult conversations workshop",
        Stage.DISCOVER,
        TriageStatus.NEW,
    )
    assert current.requested_by == "Grace Adeyemi"
    assert page.sidebar.triage_combo.itemText(1) == "New (2)"
    runner.undo_stack.undo()
    assert initiatives.get_initiative(runner.project, current.id) is None


def test_the_sidebar_shows_one_status(window: MainWindow, qtbot: QtBot, demo_path: Path) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    page = window.page
    assert page is not None
    combo = page.sidebar.triage_combo
    assert combo.itemText(0) == "All initiatives (6)"
    combo.activated.emit(combo.findData(TriageStatus.DECLINED.value))
    assert names(page.model) == ["Public speaking course for all engineers"]
    assert page.current_id() is not None
    current = page.current_initiative()
    assert current is not None and current.triage is TriageStatus.DECLINED
