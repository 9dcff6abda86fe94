"""The intake's triage in the Overview: causes and routing, approval refused until the problem
statement is measurable or an override is written (and then shown), declining with a reason,
closing as routed, and exemplars marked as SMEs in one step."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Initiative, Person, Stakeholder
from ldpm.domain.enums import Cause, StakeholderKind, TriageStatus
from ldpm.services import initiatives, triage
from ldpm.services.commands import AddEntity
from ldpm.services.project import Project
from ldpm.ui.models.causes import DUE, NOTE, OWNER
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.overview import OverviewView


@pytest.fixture
def view(qtbot: QtBot, runner: OperationRunner, initiative_id: str) -> OverviewView:
    v = OverviewView(runner)
    qtbot.addWidget(v)
    v.resize(1100, 800)
    v.set_initiative(initiative_id)
    v.show()
    return v


def stored(runner: OperationRunner, initiative_id: str) -> Initiative:
    found = initiatives.get_initiative(runner.project, initiative_id)
    assert found is not None
    return found


def edit(runner: OperationRunner, initiative_id: str, **changes: Any) -> None:
    assert runner.run(initiatives.edit_initiative(runner.project, initiative_id, changes))


def pick(view: OverviewView, status: TriageStatus) -> None:
    combo = view.editors["triage"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(status.value))


def section_message(view: OverviewView, field: str) -> str:
    line = view.form.message_for(field)
    assert line is not None
    return line.text() if line.isVisible() else ""


def test_approval_is_refused_in_place_until_measurable_or_overridden(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    pick(view, TriageStatus.APPROVED)
    assert section_message(view, "triage").startswith("Approval refused")
    assert stored(runner, initiative_id).triage is TriageStatus.NEW  # nothing written
    combo = view.editors["triage"]
    assert isinstance(combo, QComboBox) and combo.currentData() == TriageStatus.NEW.value
    # Write why, and approve: the override is kept and shown.
    edit(runner, initiative_id, approval_override="The sponsor sets the target in June.")
    pick(view, TriageStatus.APPROVED)
    assert stored(runner, initiative_id).triage is TriageStatus.APPROVED
    assert view.triage_label.text().startswith(
        "⚠ Approved on "
    ) and view.triage_label.text().endswith("because: The sponsor sets the target in June.")
    assert "Approved" in view.subtitle_label.text()


def test_a_measurable_statement_is_approved_at_once(
    runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    edit(
        runner,
        initiative_id,
        problem_segment="Remote engineers and new hires",
        problem_behaviour="hand incidents over without a checklist",
        problem_metric="Hand-off errors per incident",
        problem_baseline=2.5,
        problem_target=1.5,
        problem_date=date(2026, 9, 30),
    )
    pick(view, TriageStatus.APPROVED)
    assert stored(runner, initiative_id).triage is TriageStatus.APPROVED
    assert view.triage_label.text().startswith("✓ Approved on ")


def test_declining_needs_the_reason_for_the_requester(
    runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    pick(view, TriageStatus.DECLINED)
    assert "reason for the requester" in section_message(view, "triage")
    reason = view.editors["triage_reason"]
    assert isinstance(reason, QPlainTextEdit)
    reason.setFocus()
    reason.setPlainText("The reviews drag because of their format; we changed the agenda.")
    pick(view, TriageStatus.DECLINED)
    declined = stored(runner, initiative_id)
    assert declined.triage is TriageStatus.DECLINED
    assert declined.triage_reason.startswith("The reviews drag")
    assert "The requester reads the reason below." in view.triage_label.text()


def test_routing_a_cause_and_closing_as_routed(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    view.cause_boxes[Cause.INCENTIVES].click()
    model = view.causes_model
    assert model.rowCount() == 1 and not view.close_routed_button.isEnabled()
    assert "Name a suggested owner" in view.close_routed_button.toolTip()
    assert model.setData(model.index(0, OWNER), "Carla Jensen, VP Sales")
    assert model.setData(model.index(0, NOTE), "The commission plan pays on bookings.")
    assert model.setData(model.index(0, DUE), "2026-07-01")
    [incentives] = triage.list_causes(runner.project, initiative_id)
    assert (incentives.owner, incentives.due) == ("Carla Jensen, VP Sales", date(2026, 7, 1))
    assert view.close_routed_button.isEnabled()
    view.close_routed_button.click()
    assert stored(runner, initiative_id).triage is TriageStatus.ROUTED
    assert view.triage_label.text().startswith("Closed as routed on ")
    assert not view.close_routed_button.isEnabled()
    runner.undo_stack.undo()
    assert stored(runner, initiative_id).triage is TriageStatus.NEW


def test_exemplars_become_smes_in_one_action(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    tomas = Person(name="Tomás Reyes")
    assert runner.run(AddEntity(tomas))
    edit(runner, initiative_id, intake_exemplars="Tomás Reyes and Aisha Karimi, the two leads.")
    view.find_exemplars_button.click()
    checks = view.exemplar_checks
    assert [(c.text(), c.isChecked()) for c, _e in checks] == [
        ("Tomás Reyes", True),
        ("Aisha Karimi (new person)", False),
    ]
    checks[1][0].setChecked(True)
    assert view.mark_smes_button.text() == "Mark 2 as SMEs"
    steps = runner.undo_stack.count()
    view.mark_smes_button.click()
    assert runner.undo_stack.count() == steps + 1
    with runner.project.read() as tx:
        stakes = tx.list(Stakeholder, where={"initiative_id": initiative_id})
    assert [s.kind for s in stakes] == [StakeholderKind.SME, StakeholderKind.SME]
    assert view.exemplar_done.text().startswith("✓ Tomás Reyes, Aisha Karimi")
    assert view.exemplar_panel.isHidden()


def test_the_demo_request_is_triaged_and_routes_what_is_not_training(
    qtbot: QtBot, demo_path: Path
) -> None:
    project = Project.open(demo_path)
    try:
        runner = OperationRunner(project)
        v = OverviewView(runner)
        qtbot.addWidget(v)
        v.show()
        by_name = {i.name: i for i in initiatives.list_initiatives(project)}
        v.set_initiative(by_name["Incident hand-offs"].id)
        assert v.cause_boxes[Cause.SKILL].isChecked()
        assert v.cause_boxes[Cause.PROCESS].isChecked() and v.cause_boxes[Cause.TOOLS].isChecked()
        assert "the process and tools or access are not a training problem" in (
            v.cause_summary.text()
        )
        assert v.causes_model.rowCount() == 2
        owner = v.causes_model.index(0, OWNER).data()
        assert owner == "Priya Natarajan, SRE Manager"
        assert v.triage_label.text().startswith("✓ Approved on ")
        assert v.measurability_label.text().startswith("✓")
        v.set_initiative(by_name["Public speaking course for all engineers"].id)
        assert v.triage_label.text().startswith("Declined on 12 May 2026.")
        reason = v.editors["triage_reason"]
        assert reason.toPlainText().startswith("We won't run a two-day course")  # type: ignore[attr-defined]
        runner.undo_stack.clear()
    finally:
        project.close(discard_unsaved=True)
