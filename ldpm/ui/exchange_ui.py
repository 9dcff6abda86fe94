"""Import and export in the window: File ▸ Import… and File ▸ Export….

:class:`ExchangeUi` belongs to the main window (made with its action table).  Import asks for
a file, shows the :class:`~ldpm.ui.import_dialog.ImportDialog` (mapping, preview, bad rows;
nothing is written until the user confirms), then runs the
:class:`~ldpm.services.exchange.ImportJob` through the operation runner: progress and Cancel
in the status bar, one undo step, the views reload from its change record.  Export asks what
to export in the :class:`ExportDialog`, then where, and writes the file as an
:class:`~ldpm.services.exchange_export.ExportJob`.  What each job did goes to the status bar.

Views can offer the same commands in their own menus with the kind they show:
``window.exchange.start_import(kind="measurements")`` or ``start_export("items")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import exchange as svc
from ldpm.services import exchange_export as export_svc
from ldpm.services import initiatives
from ldpm.ui.import_dialog import FILTER, ImportDialog
from ldpm.ui.jobs import JobHandle
from ldpm.ui.labels import label
from ldpm.ui.widgets import guard_wheel, set_role

if TYPE_CHECKING:
    from ldpm.ui.main_window import MainWindow
    from ldpm.ui.operations import OperationRunner


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExchangeUi", text)


class ExchangeUi(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._runner: OperationRunner | None = None
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self._folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
        #: The dialog shown now (tests answer it).
        self.dialog: QDialog | None = None

    # --------------------------------------------------------------------- state
    def _attach(self) -> OperationRunner | None:
        runner = self.window.runner
        if runner is not None and runner is not self._runner:
            runner.job_finished.connect(self._on_job_finished)
            self._runner = runner
        return runner

    def _initiative_id(self) -> str | None:
        page = self.window.page
        return page.current_id() if page is not None else None

    # -------------------------------------------------------------------- import
    def start_import(
        self,
        path: Path | None = None,
        *,
        kind: str | None = None,
        initiative_id: str | None = None,
    ) -> None:
        """Ask for a file (unless ``path``), show the import dialog, import on confirm.
        ``kind`` (items, people, measurements): what the rows are; None guesses it."""
        runner = self._attach()
        if runner is None:
            return
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self.window, _tr("Import from a Spreadsheet"), str(self._folder), _tr(FILTER)
            )
            if not name:
                return
            path = Path(name)
        self._folder = path.parent
        dialog = ImportDialog(
            runner,
            path,
            kind=kind,
            initiative_id=initiative_id or self._initiative_id(),
            parent=self.window,
        )
        self.dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.dialog = None
            dialog.deleteLater()
        if accepted and dialog.choice is not None:
            choice = dialog.choice
            runner.start(
                svc.ImportJob(
                    runner.project,
                    choice.table,
                    choice.settings,
                    labeler=label,
                    checked=choice.check,
                )
            )

    # -------------------------------------------------------------------- export
    def start_export(self, what: str = "items") -> None:
        """Ask what to export and where, then write the file."""
        runner = self._attach()
        if runner is None:
            return
        dialog = ExportDialog(runner, what, self._initiative_id(), self.window)
        self.dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.dialog = None
            dialog.deleteLater()
        if not accepted:
            return
        initiative_id = dialog.initiative_id()
        if initiative_id is None:
            return
        suffix = dialog.suffix()
        initiative = initiatives.get_initiative(runner.project, initiative_id)
        stem = f"{initiative.name if initiative else 'LDPM'} — {dialog.what_label()}"
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            _tr("Export"),
            str(self._folder / _safe(stem + suffix)),
            _tr("Excel workbooks (*.xlsx)") if suffix == ".xlsx" else _tr("CSV files (*.csv)"),
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in export_svc.FORMATS:
            path = path.with_name(path.name + suffix)
        self.export_to(path, dialog.what(), initiative_id, private_notes=dialog.private_notes())

    def export_to(
        self, path: Path, what: str, initiative_id: str, *, private_notes: bool = False
    ) -> JobHandle | None:
        """Write the export to ``path`` (the dialogs' last step; tests call it)."""
        runner = self._attach()
        if runner is None:
            return None
        self._folder = path.parent
        noun = _tr(export_svc.EXPORTS[what][0]).lower()
        job = export_svc.ExportJob(
            runner.project,
            path,
            what,
            initiative_id,
            private_notes=private_notes,
            labeler=label,
            noun=noun,
        )
        return runner.start(job)

    # ---------------------------------------------------------------- finishing
    def _on_job_finished(self, handle: JobHandle) -> None:
        job = handle.job
        if not isinstance(job, svc.ImportJob | export_svc.ExportJob):
            return
        if handle.cancelled:
            self.window.statusBar().showMessage(
                _tr("Import cancelled; nothing was imported.")
                if isinstance(job, svc.ImportJob)
                else _tr("Export cancelled; no file was written."),
                8000,
            )
        elif handle.error is None and job.message:
            self.window.statusBar().showMessage(job.message, 10_000)


class ExportDialog(QDialog):
    """What to export, from which initiative, in which format."""

    def __init__(
        self,
        runner: OperationRunner,
        what: str,
        initiative_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.setAccessibleName(self.tr("Export to a spreadsheet"))
        self.what_combo = QComboBox(self)
        self.what_combo.setAccessibleName(self.tr("What to export"))
        for key, (text, _stem) in export_svc.EXPORTS.items():
            self.what_combo.addItem(_tr(text), key)
        self.what_combo.setCurrentIndex(max(0, self.what_combo.findData(what)))
        self.what_combo.currentIndexChanged.connect(lambda _i: self._update())
        self.initiative_combo = QComboBox(self)
        self.initiative_combo.setAccessibleName(self.tr("Initiative to export from"))
        for initiative in initiatives.list_initiatives(runner.project):
            self.initiative_combo.addItem(initiative.name, initiative.id)
        if initiative_id is not None:
            self.initiative_combo.setCurrentIndex(
                max(0, self.initiative_combo.findData(initiative_id))
            )
        self.xlsx = QRadioButton(self.tr("&Excel workbook (.xlsx)"), self)
        self.csv = QRadioButton(self.tr("&CSV, UTF-8 (.csv)"), self)
        self.xlsx.setChecked(True)
        formats = QButtonGroup(self)
        formats.addButton(self.xlsx)
        formats.addButton(self.csv)
        format_row = QHBoxLayout()
        format_row.addWidget(self.xlsx)
        format_row.addWidget(self.csv)
        format_row.addStretch(1)
        self.notes_box = QCheckBox(self.tr("Include &private notes"), self)
        self.notes_box.setToolTip(
            self.tr("Stakeholders' private notes are left out unless you ask for them.")
        )
        for combo in (self.what_combo, self.initiative_combo):
            guard_wheel(combo)
        self.empty = QLabel(
            self.tr("There is no initiative to export from yet: add one first."), self
        )
        self.empty.setWordWrap(True)
        set_role(self.empty, "warning")
        form = QFormLayout()
        form.addRow(self.tr("&Export:"), self.what_combo)
        form.addRow(self.tr("&From:"), self.initiative_combo)
        form.addRow(self.tr("Format:"), format_row)
        form.addRow("", self.notes_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton(self.tr("E&xport…"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok, "primary")
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        stakeholders = self.what() == "stakeholders"
        self.notes_box.setEnabled(stakeholders)
        if not stakeholders:
            self.notes_box.setChecked(False)
        has = self.initiative_combo.count() > 0
        self.empty.setVisible(not has)
        self.ok.setEnabled(has)

    def what(self) -> str:
        return str(self.what_combo.currentData())

    def what_label(self) -> str:
        return self.what_combo.currentText()

    def initiative_id(self) -> str | None:
        data = self.initiative_combo.currentData()
        return str(data) if data else None

    def suffix(self) -> str:
        return ".xlsx" if self.xlsx.isChecked() else ".csv"

    def private_notes(self) -> bool:
        return self.notes_box.isChecked() and self.what() == "stakeholders"


def _safe(name: str) -> str:
    return "".join("-" if c in '<>:"/\\|?*' else c for c in name)
