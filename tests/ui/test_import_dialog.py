"""The import dialog and File ▸ Import…/Export…: the proposal, the bad rows, nothing written
until Import, the import as a job (progress, Cancel, one undo step), the export as a job."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import BacklogItem, ExternalRef, Metric
from ldpm.services import exchange as svc
from ldpm.ui.actions import A
from ldpm.ui.exchange_ui import ExchangeUi, ExportDialog
from ldpm.ui.import_dialog import ImportDialog
from ldpm.ui.main_window import MainWindow
from ldpm.ui.operations import OperationRunner

DATA = Path(__file__).resolve().parent.parent / "data"


def items(runner: OperationRunner) -> list[BacklogItem]:
    with runner.project.read() as tx:
        return tx.list(BacklogItem)


def open_dialog(
    qtbot: QtBot, runner: OperationRunner, path: Path, initiative_id: str, kind: str = "items"
) -> ImportDialog:
    with qtbot.waitSignal(runner.job_finished, timeout=10_000):
        dialog = ImportDialog(runner, path, kind=kind, initiative_id=initiative_id)
        qtbot.addWidget(dialog)
    return dialog


def recheck(qtbot: QtBot, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.runner.job_finished, timeout=10_000):
        pass


def test_the_dialog_proposes_checks_and_imports_as_one_undo_step(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, qtmodeltester: ModelTester
) -> None:
    dialog = open_dialog(qtbot, runner, DATA / "jira-all-fields.csv", initiative_id)
    assert dialog.columns.combo("Summary").currentData() == "title"
    assert dialog.columns.combo("Issue key").currentData() == "external_id"
    assert dialog.columns.combo("Labels (2)").currentData() == ""
    assert dialog.source_edit.text() == "Jira"
    check = dialog.check
    assert check is not None and (check.new, check.bad_count) == (4, 2)
    assert dialog.tabs.tabText(2) == "&Bad Rows (2)"
    assert "2 rows are bad" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # nothing is written with bad rows …
    assert dialog.bad_rows.model().rowCount() == 2
    qtmodeltester.check(dialog.bad_rows.model())
    qtmodeltester.check(dialog.preview.model())
    preview = dialog.preview.model()
    assert preview.rowCount() == 6 and preview.columnCount() == 1 + 17
    assert preview.headerData(12, Qt.Orientation.Horizontal) == "Labels (2)"
    assert preview.index(0, 14).data() == "One screen pinned in every incident cha…"
    assert preview.index(0, 14).data(Qt.ItemDataRole.ToolTipRole) == (
        "One screen pinned in every incident channel.\nSeven points, confirm-back at the end."
    )

    dialog.skip_bad.setChecked(True)  # … unless the user leaves them out
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "&Import 4 Rows"

    # Leaving out the story points column: one bad row less, checked again in the background.
    combo = dialog.columns.combo("Custom field (Story Points)")
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert dialog.check is None and not dialog.import_button.isEnabled()
    recheck(qtbot, dialog)
    assert dialog.check is not None and (dialog.check.new, dialog.check.bad_count) == (5, 1)
    assert items(runner) == []  # still nothing written

    dialog.import_button.click()
    choice = dialog.choice
    assert choice is not None and choice.settings.skip_bad
    assert "Custom field (Story Points)" not in choice.settings.columns
    with qtbot.waitSignal(runner.changed, timeout=10_000):
        handle = runner.start(svc.ImportJob(runner.project, choice.table, choice.settings))
    assert handle.error is None
    assert len(items(runner)) == 5
    assert runner.undo_stack.count() == 2  # the initiative, then the whole import
    assert runner.undo_stack.undoText() == "Import “jira-all-fields.csv”"
    with qtbot.waitSignal(runner.changed):
        runner.undo_stack.undo()
    assert items(runner) == []
    with qtbot.waitSignal(runner.changed):
        runner.undo_stack.redo()
    assert len(items(runner)) == 5


def test_a_file_that_cannot_be_read_is_said_in_the_dialog(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, tmp_path: Path
) -> None:
    empty = tmp_path / "export.csv"
    empty.write_bytes(b"")
    dialog = ImportDialog(runner, empty, initiative_id=initiative_id)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "“export.csv” is empty: it has no rows to import."
    assert not dialog.import_button.isEnabled()
    assert not dialog.tabs.isEnabled() and dialog.tabs.isHidden()
    assert dialog.choose_button.isEnabled()


def test_people_and_measurements_in_the_dialog(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    dialog = open_dialog(qtbot, runner, DATA / "hr-stakeholders.xlsx", initiative_id, "people")
    assert dialog.sheet_combo.currentText() == "Stakeholders"
    assert dialog.columns.combo("Influence").currentData() == "power"
    assert dialog.check is not None and dialog.check.bad_count == 2
    assert [b.number for b in dialog.check.bad] == [5, 6]
    # Without an initiative, stakeholder fields are not offered.
    dialog.initiative_combo.setCurrentIndex(dialog.initiative_combo.count() - 1)
    dialog.initiative_combo.activated.emit(dialog.initiative_combo.count() - 1)
    recheck(qtbot, dialog)
    assert dialog.columns.combo("Influence").findData("power") == -1
    assert dialog.check is not None and dialog.check.bad_count == 1  # power 12 is no stake

    with runner.project.unit() as tx:
        tx.insert(Metric(initiative_id=initiative_id, name="Hand-off errors per incident"))
    dialog = open_dialog(
        qtbot, runner, DATA / "measurements-de.csv", initiative_id, "measurements"
    )
    assert dialog.check is not None and dialog.check.bad_count == 4  # MTTR is no metric here
    assert "decimal comma" in dialog.notes.text()
    # One metric for every row, set in the dialog: the unknown-metric rows become good ones.
    dialog.columns.combo("Kennzahl").setCurrentIndex(0)
    dialog.columns.combo("Kennzahl").activated.emit(0)
    recheck(qtbot, dialog)
    assert dialog.check is not None and "Map a column to Metric" in dialog.summary.text()
    field = dialog.columns.constant_field
    field.setCurrentIndex(field.findData("metric"))
    dialog.columns.constant_value.setCurrentText("Hand-off errors per incident")
    dialog.columns.add_constant.click()
    recheck(qtbot, dialog)
    assert dialog.check is not None and dialog.check.bad_count == 3
    assert dialog.columns.constants_label.text() == "Metric = “Hand-off errors per incident”"


def test_file_import_and_export_in_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(_demo(tmp_path))
    runner = window.runner
    assert runner is not None and window.page is not None
    menu = window.registry.menus["file"]
    assert window.registry[A.IMPORT] in menu.actions()
    assert window.registry[A.EXPORT] in menu.actions()
    assert window.registry[A.IMPORT].isEnabled()
    exchange = window.findChild(ExchangeUi)
    assert exchange is not None

    # Export through the dialog's last step: a job; the status bar says what it wrote.
    out = tmp_path / "backlog.xlsx"
    initiative = window.page.current_id()
    assert initiative is not None
    with qtbot.waitSignal(runner.job_finished, timeout=10_000):
        exchange.export_to(out, "items", initiative)
    assert openpyxl.load_workbook(out).active.max_row == 16
    assert window.statusBar().currentMessage() == "Exported 15 backlog items to “backlog.xlsx”."

    # Import through File ▸ Import…: the dialog is answered, the job runs with Cancel.
    answered: list[ImportDialog] = []

    def answer(dialog: ImportDialog) -> int:
        answered.append(dialog)
        qtbot.waitUntil(lambda: dialog.check is not None, timeout=10_000)
        dialog.skip_bad.setChecked(True)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(ImportDialog, "exec", answer)
    monkeypatch.setattr(
        "ldpm.ui.exchange_ui.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(DATA / "jira-all-fields.csv"), ""),
    )
    before = len(items(runner))
    with qtbot.waitSignal(runner.job_finished, timeout=10_000, check_params_cb=_import_job):
        window.registry[A.IMPORT].trigger()
    assert answered and len(items(runner)) == before + 4
    assert window.statusBar().currentMessage() == (
        "Imported “jira-all-fields.csv”: 4 new, 0 changed, 0 unchanged. 2 bad rows were left out."
    )
    assert window.isWindowModified()


def test_a_cancelled_import_leaves_nothing(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "Key,Title\n" + "".join(f"K-{i},Item {i}\n" for i in range(20_000)), encoding="utf-8"
    )
    table = svc.open_file(path)
    settings = svc.suggest(table, "items", initiative_id)
    with qtbot.waitSignal(runner.job_finished, timeout=30_000):
        handle = runner.start(svc.ImportJob(runner.project, table, settings))
        handle.cancel()
    assert handle.cancelled
    assert items(runner) == []
    with runner.project.read() as tx:
        assert tx.count(ExternalRef) == 0
    assert runner.undo_stack.count() == 1  # only the initiative


def test_export_dialog(qtbot: QtBot, runner: OperationRunner, initiative_id: str) -> None:
    dialog = ExportDialog(runner, "stakeholders", initiative_id)
    qtbot.addWidget(dialog)
    assert dialog.what() == "stakeholders" and dialog.initiative_id() == initiative_id
    assert dialog.notes_box.isEnabled() and not dialog.private_notes()
    dialog.notes_box.setChecked(True)
    assert dialog.private_notes()
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData("items"))
    assert not dialog.notes_box.isEnabled() and not dialog.private_notes()
    dialog.csv.setChecked(True)
    assert dialog.suffix() == ".csv"


def _import_job(handle: object) -> bool:
    return isinstance(getattr(handle, "job", None), svc.ImportJob)


def _demo(tmp_path: Path) -> Path:
    from ldpm.persistence.document import create_file
    from ldpm.services.demo import populate_demo

    path = tmp_path / "Demo.ldpm"
    create_file(path, root=tmp_path / "w", device="ab12cd34ef56ab78", name="Demo",
                populate=populate_demo)  # fmt: skip
    return path


def test_closing_waits_for_a_running_import(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.open_path(_demo(tmp_path))
    runner = window.runner
    assert runner is not None and window.page is not None
    table = svc.open_file(DATA / "jira-all-fields.csv")
    settings = svc.suggest(table, "items", window.page.current_id())
    settings.skip_bad = True
    job = svc.ImportJob(runner.project, table, settings)
    handle = runner.start(job)
    assert window.close_project()
    assert handle.delivered and handle.error is None  # finished and taken in before closing
    assert job.check is not None and job.check.new == 4
