"""The Overview & intake view: edits go through the runner, refreshes come from runner.changed."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ldpm.domain import enums
from ldpm.domain.entities import Initiative, Person
from ldpm.domain.enums import RootCause, Stage
from ldpm.services import initiatives
from ldpm.services.commands import AddEntity
from ldpm.ui.labels import choices, has_label, label
from ldpm.ui.models.objectives import BASELINE, TITLE
from ldpm.ui.models.segments import NAME, SIZE
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.overview import OverviewView
from ldpm.ui.widgets import GrowingTextEdit, OptionalDateEdit

SHOTS = Path(__file__).resolve().parents[2] / "shots"


@pytest.fixture
def view(qtbot: QtBot, runner: OperationRunner, initiative_id: str) -> OverviewView:
    v = OverviewView(runner)
    qtbot.addWidget(v)
    v.resize(1100, 800)
    v.set_initiative(initiative_id)
    v.show()
    return v


def stored(runner: OperationRunner, initiative_id: str) -> Initiative:
    initiative = initiatives.get_initiative(runner.project, initiative_id)
    assert initiative is not None
    return initiative


def line(view: OverviewView, field: str) -> QLineEdit:
    editor = view.editors[field]
    assert isinstance(editor, QLineEdit)
    return editor


def edit(runner: OperationRunner, initiative_id: str, **changes: object) -> None:
    assert runner.run(initiatives.edit_initiative(runner.project, initiative_id, changes))


# ----------------------------------------------------------------------- labels


def _enum_classes() -> list[type[Enum]]:
    return [
        obj
        for _name, obj in inspect.getmembers(enums, inspect.isclass)
        if issubclass(obj, Enum) and obj.__module__ == enums.__name__
    ]


def test_every_enum_member_has_a_label(qapp: QApplication) -> None:
    classes = _enum_classes()
    assert Stage in classes
    for enum_cls in classes:
        for member in enum_cls:
            assert has_label(member), member
            assert label(member) and label(member) != member.value


def test_labels_read_well(qapp: QApplication) -> None:
    assert label(Stage.BUILD_MVP) == "Build MVP"
    assert label(Stage.SUSTAIN) == "Sustain / Retire"
    assert label(RootCause.KNOWLEDGE) == "Knowledge or skill gap"
    assert [m for m, _text in choices(Stage)] == list(Stage)


# ------------------------------------------------------------------ empty state


def test_empty_state(qtbot: QtBot, runner: OperationRunner) -> None:
    v = OverviewView(runner)
    qtbot.addWidget(v)
    v.set_initiative(None)
    assert "Choose an initiative in the portfolio on the left" in v.empty_hint.text()
    assert not v.editors["name"].isVisibleTo(v)
    # It offers the one action that fills it.
    action = QAction("&New Initiative", v)
    triggered: list[bool] = []
    action.triggered.connect(lambda: triggered.append(True))
    v.set_actions({"new_initiative": action})
    assert v.empty_state.button.text() == "New Initiative"
    v.empty_state.button.click()
    assert triggered == [True]


def test_deleted_initiative_shows_empty_state_and_undo_brings_it_back(
    runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    runner.run(initiatives.delete_initiative(runner.project, initiative_id))
    assert not view.editors["name"].isVisibleTo(view)
    runner.undo_stack.undo()
    assert view.editors["name"].isVisibleTo(view)
    assert line(view, "name").text() == "Incident hand-offs"


# ----------------------------------------------------------------------- typing


def test_typing_in_name_changes_db_and_one_undo_restores(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    name = line(view, "name")
    assert name.text() == "Incident hand-offs"
    name.end(False)
    steps = runner.undo_stack.count()
    qtbot.keyClicks(name, " 2026")
    assert stored(runner, initiative_id).name == "Incident hand-offs 2026"
    assert view.title_label.text() == "Incident hand-offs 2026"
    assert runner.undo_stack.count() == steps + 1  # five keystrokes, one undo step

    with qtbot.waitSignal(runner.changed):
        runner.undo_stack.undo()
    assert stored(runner, initiative_id).name == "Incident hand-offs"
    assert name.text() == "Incident hand-offs"
    assert view.title_label.text() == "Incident hand-offs"
    runner.undo_stack.redo()
    assert name.text() == "Incident hand-offs 2026"


def test_typing_in_the_middle_keeps_the_cursor(
    qtbot: QtBot, view: OverviewView, runner: OperationRunner, initiative_id: str
) -> None:
    name = line(view, "name")
    name.setCursorPosition(len("Incident"))
    qtbot.keyClicks(name, " team")
    assert stored(runner, initiative_id).name == "Incident team hand-offs"
    assert name.cursorPosition() == len("Incident team")


def test_typing_in_a_multiline_field(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    editor = view.editors["intake_problem"]
    assert isinstance(editor, GrowingTextEdit)
    steps = runner.undo_stack.count()
    qtbot.keyClicks(editor, "Hand-offs fail")
    assert stored(runner, initiative_id).intake_problem == "Hand-offs fail"
    assert runner.undo_stack.count() == steps + 1
    runner.undo_stack.undo()
    assert editor.toPlainText() == ""


def test_clearing_the_name_is_refused_and_restored(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    name = line(view, "name")
    with qtbot.waitSignal(runner.failed) as blocker:
        name.clear()
    assert blocker.args[0] == "The initiative needs a name."
    assert stored(runner, initiative_id).name == "Incident hand-offs"
    name.editingFinished.emit()  # leaving the field shows the stored name again
    assert name.text() == "Incident hand-offs"


# ---------------------------------------------------------------------- choices


def test_changing_stage_via_combo(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    combo = view.editors["stage"]
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "Discover"
    with qtbot.waitSignal(runner.changed):
        combo.setCurrentIndex(combo.findData(Stage.BUILD_MVP.value))
    assert stored(runner, initiative_id).stage is Stage.BUILD_MVP
    assert "Build MVP" in view.subtitle_label.text()
    runner.undo_stack.undo()
    assert combo.currentData() == Stage.DISCOVER
    assert stored(runner, initiative_id).stage is Stage.DISCOVER


def test_root_cause_says_this_is_not_a_knowledge_problem(
    runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    combo = view.editors["root_cause"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(RootCause.PROCESS.value))
    assert stored(runner, initiative_id).root_cause is RootCause.PROCESS
    assert "This is not a knowledge problem" in view.routing_label.text()
    assert "process owner" in view.routing_label.text()
    assert view.editors["routed_to"].isEnabled()
    combo.setCurrentIndex(combo.findData(RootCause.KNOWLEDGE.value))
    assert "not a knowledge problem" not in view.routing_label.text()
    assert not view.editors["routed_to"].isEnabled()


# ------------------------------------------------------------- numbers and dates


def test_measurability_indicator_changes_when_last_part_is_filled(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    edit(
        runner,
        initiative_id,
        problem_segment="Remote engineers and new hires",
        problem_behaviour="Hand incidents over without a checklist",
        problem_metric="Hand-off errors",
        problem_baseline=30.0,
    )
    assert view.measurability_label.text().endswith(
        "Add a target and a date to make this problem statement measurable."
    )
    target = line(view, "problem_target")
    qtbot.keyClicks(target, "18")
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert stored(runner, initiative_id).problem_target == 18.0
    assert "Add a date" in view.measurability_label.text()

    when = view.editors["problem_date"]
    assert isinstance(when, OptionalDateEdit)
    when.setDate(QDate(2026, 6, 30))
    with qtbot.waitSignal(runner.changed):
        qtbot.keyClick(when, Qt.Key.Key_Return)
    assert stored(runner, initiative_id).problem_date == date(2026, 6, 30)
    assert view.measurability_label.text().startswith("✓ Measurable")

    runner.undo_stack.undo()
    assert when.value() is None
    assert "Add a date" in view.measurability_label.text()


def test_invalid_baseline_shows_sentence_and_changes_nothing(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    edit(runner, initiative_id, problem_baseline=30.0)
    baseline = line(view, "problem_baseline")
    assert baseline.text() == "30"
    steps = runner.undo_stack.count()
    baseline.selectAll()
    qtbot.keyClicks(baseline, "abc")
    with qtbot.waitSignal(runner.failed) as blocker:
        qtbot.keyClick(baseline, Qt.Key.Key_Return)
    assert blocker.args[0] == "The baseline must be a number."
    assert stored(runner, initiative_id).problem_baseline == 30.0
    assert runner.undo_stack.count() == steps
    assert baseline.text() == "30"  # the old value is back
    messages = [m for m in view.findChildren(QLabel) if m.text() == blocker.args[0]]
    assert len(messages) == 1
    assert messages[0].isVisibleTo(view)

    baseline.selectAll()
    qtbot.keyClicks(baseline, "28.5")
    qtbot.keyClick(baseline, Qt.Key.Key_Return)
    assert stored(runner, initiative_id).problem_baseline == 28.5
    assert not messages[0].isVisibleTo(view)


def test_blank_number_means_none(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    edit(runner, initiative_id, problem_target=18.0)
    target = line(view, "problem_target")
    target.clear()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert stored(runner, initiative_id).problem_target is None


def test_requested_on_date_and_clear(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    when = view.editors["requested_on"]
    assert isinstance(when, OptionalDateEdit)
    assert when.text() == "No date"
    when.setDate(QDate(2026, 1, 12))
    qtbot.keyClick(when, Qt.Key.Key_Return)
    assert stored(runner, initiative_id).requested_on == date(2026, 1, 12)
    when.clear_date()
    assert stored(runner, initiative_id).requested_on is None
    assert when.text() == "No date"


# -------------------------------------------------------------- both directions


def test_change_in_db_shows_in_view(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    with qtbot.waitSignal(runner.changed):
        edit(
            runner,
            initiative_id,
            owner="Priya Raman",
            outcome="Hand-off errors down 40%",
            problem_baseline=30.0,
            requested_on=date(2026, 1, 12),
            root_cause=RootCause.PROCESS,
        )
    assert line(view, "owner").text() == "Priya Raman"
    outcome = view.editors["outcome"]
    assert isinstance(outcome, GrowingTextEdit)
    assert outcome.toPlainText() == "Hand-off errors down 40%"
    assert line(view, "problem_baseline").text() == "30"
    requested_on = view.editors["requested_on"]
    assert isinstance(requested_on, OptionalDateEdit)
    assert requested_on.value() == date(2026, 1, 12)
    root_cause = view.editors["root_cause"]
    assert isinstance(root_cause, QComboBox)
    assert root_cause.currentData() == RootCause.PROCESS


def test_refresh_does_not_become_an_edit(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    steps = runner.undo_stack.count()
    with qtbot.assert_not_emitted(runner.failed):
        edit(runner, initiative_id, name="Dev to Ops hand-offs", stage=Stage.PILOT)
    assert runner.undo_stack.count() == steps + 1  # only the edit itself


def test_other_initiatives_do_not_refresh_the_view(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView
) -> None:
    other = initiatives.add_initiative(runner.project, "Secure coding")
    runner.run(other)
    name = line(view, "name")
    name.setCursorPosition(3)
    edit(runner, other.entity.id, name="Secure coding basics")
    assert name.text() == "Incident hand-offs"
    assert name.cursorPosition() == 3


def test_people_names_are_offered(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    with qtbot.waitSignal(runner.changed):
        runner.run(AddEntity(Person(name="Dana Whitfield", role="Head of Engineering")))
    completer = line(view, "sponsor").completer()
    assert completer is not None
    completer.setCompletionPrefix("whit")
    assert completer.currentCompletion() == "Dana Whitfield"


def test_every_editor_has_an_accessible_name_and_a_buddy(view: OverviewView) -> None:
    buddies = {lab.buddy() for lab in view.findChildren(QLabel) if lab.buddy() is not None}
    for field, editor in view.editors.items():
        assert editor.accessibleName(), field
        assert editor in buddies, field
    assert view.segments_view in buddies
    assert view.objectives_view in buddies
    assert line(view, "name").accessibleName() == "Name"
    assert view.editors["intake_who"].accessibleName() == "Who exactly needs help?"


# ------------------------------------------------------ segments and objectives


def test_add_edit_remove_segment_and_undo(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    model = view.segments_model
    view.add_segment_button.click()
    assert [s.name for s in initiatives.list_segments(runner.project, initiative_id)] == [
        "New segment"
    ]
    assert view.segments_view.currentIndex().row() == 0
    assert model.setData(model.index(0, NAME), "Remote engineers", Qt.ItemDataRole.EditRole)
    assert model.setData(model.index(0, SIZE), "40", Qt.ItemDataRole.EditRole)
    segment = initiatives.list_segments(runner.project, initiative_id)[0]
    assert (segment.name, segment.size) == ("Remote engineers", 40)

    assert view.remove_segment_button.isEnabled()
    view.remove_segment_button.click()
    assert initiatives.list_segments(runner.project, initiative_id) == []
    assert model.rowCount() == 0
    runner.undo_stack.undo()
    assert model.rowCount() == 1
    assert model.data(model.index(0, NAME)) == "Remote engineers"


def test_invalid_segment_size_shows_sentence_in_section(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    view.add_segment_button.click()
    view.activateWindow()
    view.segments_view.setFocus()
    qtbot.waitUntil(view.segments_view.hasFocus)
    model = view.segments_model
    with qtbot.waitSignal(runner.failed) as blocker:
        assert not model.setData(model.index(0, SIZE), "lots", Qt.ItemDataRole.EditRole)
    assert initiatives.list_segments(runner.project, initiative_id)[0].size is None
    shown = [m for m in view.findChildren(QLabel) if m.text() == blocker.args[0]]
    assert len(shown) == 1
    assert shown[0].isVisibleTo(view)
    frame = view.segments_view.parent()
    assert frame is not None
    assert shown[0].parent() is frame.parent()  # the Audience section


def test_add_objective_and_key_result_via_buttons(
    qtbot: QtBot, runner: OperationRunner, view: OverviewView, initiative_id: str
) -> None:
    tree = view.objectives_view
    assert not view.add_key_result_button.isEnabled()
    view.add_objective_button.click()
    assert view.add_key_result_button.isEnabled()
    view.add_key_result_button.click()
    model = view.objectives_model
    objective = model.index(0, TITLE)
    assert model.rowCount(objective) == 1
    assert tree.isExpanded(objective)
    assert tree.currentIndex().parent() == objective

    assert model.setData(model.index(0, BASELINE, objective), "30", Qt.ItemDataRole.EditRole)
    tree_data = initiatives.list_objectives(runner.project, initiative_id)
    assert tree_data[0][1][0].baseline == 30.0
    runner.undo_stack.undo()
    assert initiatives.list_objectives(runner.project, initiative_id)[0][1][0].baseline is None

    tree.setCurrentIndex(model.index(0, TITLE, model.index(0, TITLE)))
    view.remove_okr_button.click()
    assert model.rowCount(model.index(0, TITLE)) == 0
    runner.undo_stack.undo()
    assert model.rowCount(model.index(0, TITLE)) == 1


# ------------------------------------------------------------------- screenshot


def _populate_demo(runner: OperationRunner, initiative_id: str) -> None:
    project = runner.project
    for name, role in (
        ("Dana Whitfield", "Head of Engineering"),
        ("Marcus Oyelaran", "Operations Director"),
        ("Priya Raman", "L&D Product Manager"),
    ):
        runner.run(AddEntity(Person(name=name, role=role)))
    edit(
        runner,
        initiative_id,
        name="Incident hand-off kit",
        owner="Priya Raman",
        sponsor="Dana Whitfield",
        stage=Stage.BUILD_MVP,
        request="We need a class on communication for the engineering teams.",
        requested_by="Dana Whitfield",
        requested_on=date(2026, 1, 12),
        intake_problem=(
            "Hand-offs between Development and Operations fail during incidents: context is "
            "lost, tickets bounce and resolution stalls."
        ),
        intake_who="Remote engineers and new hires on the on-call rota.",
        intake_optimal="Every hand-off carries impact, actions so far, owner and next step.",
        intake_measure="Hand-off errors per month (post-incident reviews) and mean time to "
        "resolve.",
        intake_exemplars="Two on-call leads, Sam and Aiko, whose hand-offs never bounce.",
        intake_form="Something used during the incident itself, not a half-day class.",
        root_cause=RootCause.KNOWLEDGE,
        problem_statement=(
            "Remote engineers and new hires hand incidents over from Development to Operations "
            "without a shared checklist, so hand-off errors stay at 30 a month."
        ),
        problem_segment="Remote engineers and new hires",
        problem_behaviour="Hand incidents over without a checklist",
        problem_metric="Hand-off errors",
        problem_unit="per month",
        problem_baseline=30.0,
        problem_target=18.0,
        problem_date=date(2026, 6, 30),
        audience="On-call engineers in Development and Operations, 140 people.",
        outcome="Incident hand-off errors down 40% and mean time to resolve down 25% within "
        "two quarters.",
    )
    for name, size, description in (
        ("Remote engineers", 46, "Work outside the two main offices"),
        ("New hires", 18, "Joined in the last six months"),
        ("On-call leads", 9, "Run the rota; two already hand off well"),
    ):
        command = initiatives.add_segment(project, initiative_id, name)
        runner.run(command)
        runner.run(
            initiatives.edit_segment(command.entity.id, {"size": size, "description": description})
        )
    for title, krs in (
        (
            "Hand-offs that hold during incidents",
            (
                ("Hand-off errors", 30.0, 18.0, "per month", date(2026, 6, 30)),
                ("Mean time to resolve", 95.0, 71.0, "minutes", date(2026, 9, 30)),
            ),
        ),
        (
            "New hires confident on call",
            (("New hires shadowing a lead before first shift", 20.0, 90.0, "%", None),),
        ),
    ):
        objective = initiatives.add_objective(project, initiative_id, title)
        runner.run(objective)
        for kr_title, baseline, target, unit, due in krs:
            kr = initiatives.add_key_result(project, objective.entity.id, kr_title)
            runner.run(kr)
            runner.run(
                initiatives.edit_key_result(
                    kr.entity.id,
                    {"baseline": baseline, "target": target, "unit": unit, "due": due},
                )
            )


@pytest.fixture
def light_theme(qapp: QApplication) -> Iterator[None]:
    """The app's light theme while the test runs, then the plain look again."""
    from ldpm.ui import theme

    palette, font, sheet = qapp.palette(), qapp.font(), qapp.styleSheet()
    manager = theme.ThemeManager(qapp)
    manager.apply("light", 1.0)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    manager.deleteLater()


def test_screenshot(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, light_theme: None
) -> None:
    _populate_demo(runner, initiative_id)
    v = OverviewView(runner)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.set_initiative(initiative_id)
    v.show()
    qtbot.waitExposed(v)
    # Let pending layout requests settle before grabbing.
    qtbot.waitUntil(lambda: not v.scroll_area.horizontalScrollBar().isVisible())
    assert v.measurability_label.text().startswith("✓")
    SHOTS.mkdir(exist_ok=True)
    assert v.grab().save(str(SHOTS / "overview.png"))
    # The whole form, for a look at every section.
    page = v.findChild(QWidget, "overviewPage")
    assert page is not None
    assert page.grab().save(str(SHOTS / "overview_full.png"))
