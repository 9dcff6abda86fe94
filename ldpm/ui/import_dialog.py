"""The import dialog: choose what the rows are, map the columns, see every bad row, confirm.

It opens on a file (:func:`ldpm.services.exchange.open_file`) with the mapping the services
suggest — the one remembered for this source, or one proposed from the column names — and
shows, in three tabs, the columns (each mapped to a field or ignored, with a few example
values; fields that take one value for every row below), the first rows of the file, and
the bad rows with their numbers and reasons.  Every change re-runs the check (a dry run over
the whole file, as a background job, so a large file never freezes the dialog).  Nothing is
written until the user presses Import; the import itself then runs as a job with progress
and Cancel in the status bar (:mod:`ldpm.ui.exchange_ui`).

A file that cannot be read at all (empty, not text, a password-protected workbook …) is said
in one sentence in the dialog, with a button to choose another file.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import exchange as svc
from ldpm.services import initiatives
from ldpm.services.exchange_kinds import KINDS
from ldpm.services.project import user_message
from ldpm.ui.import_columns import BadRowsTable, ColumnsEditor, PreviewTable
from ldpm.ui.jobs import JobHandle
from ldpm.ui.labels import label
from ldpm.ui.widgets import guard_wheel, set_role

if TYPE_CHECKING:
    from ldpm.ui.operations import OperationRunner

#: File types offered by the open dialog.
FILTER = "Spreadsheets (*.csv *.xlsx *.tsv *.txt);;All files (*)"
#: How long the dialog waits after a change before checking again.
RECHECK_MS = 250
#: Rows shown in the preview.
PREVIEW_ROWS = 20


def tr_exchange(text: str) -> str:
    """A field's or kind's label, translated (context ``"exchange"``)."""
    return QCoreApplication.translate("exchange", text)


@dataclass
class ImportChoice:
    """What the user confirmed: the file and the settings to import it with."""

    table: svc.Table
    settings: svc.ImportSettings
    #: The check the user saw: the import uses its decisions (decimal marks, date orders).
    check: svc.ImportCheck | None = None


class ImportDialog(QDialog):
    """See the module docstring.  After ``exec()`` returns Accepted, :attr:`choice` holds
    what to import."""

    def __init__(
        self,
        runner: OperationRunner,
        path: Path,
        *,
        kind: str | None = None,
        initiative_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``kind``: what the rows are (None: guessed from the columns)."""
        super().__init__(parent)
        self.runner = runner
        self.table: svc.Table | None = None
        self.settings: svc.ImportSettings | None = None
        self.choice: ImportChoice | None = None
        self.check: svc.ImportCheck | None = None
        self._handle: JobHandle | None = None
        self._building = False
        self._path = Path(path)
        self.setWindowTitle(self.tr("Import from a Spreadsheet"))
        self.setAccessibleName(self.tr("Import from a spreadsheet"))
        self.setSizeGripEnabled(True)

        # -- the file and what it is
        self.file_label = QLabel(self)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(self.tr("Choose Another &File…"), self)
        self.choose_button.setAccessibleName(self.tr("Choose another file to import"))
        self.choose_button.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)

        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setAccessibleName(self.tr("Sheet"))
        self.sheet_combo.activated.connect(lambda _i: self._open(self._path))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("What the rows are"))
        for key, import_kind in KINDS.items():
            self.kind_combo.addItem(tr_exchange(import_kind.label), key)
        self._kind_given = kind is not None
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind or "items")))
        self.kind_combo.activated.connect(lambda _i: self._resuggest())
        self.initiative_combo = QComboBox(self)
        self.initiative_combo.setAccessibleName(self.tr("Initiative to import into"))
        self._fill_initiatives(initiative_id)
        self.initiative_combo.activated.connect(lambda _i: self._on_initiative())
        self.source_edit = QLineEdit(self)
        self.source_edit.setAccessibleName(self.tr("Source of the external ids"))
        self.source_edit.setPlaceholderText(self.tr("e.g. Jira"))
        self.source_edit.setToolTip(
            self.tr(
                "Rows keep the ids this source gave them, so importing from it again "
                "updates them instead of adding them twice."
            )
        )
        self.source_edit.textEdited.connect(lambda _t: self._settings_changed())
        self.dates_combo = QComboBox(self)
        self.dates_combo.setAccessibleName(self.tr("How to read dates like 03/04/2025"))
        self.dates_combo.addItem(self.tr("As the file shows (day first if it cannot tell)"), None)
        self.dates_combo.addItem(self.tr("Day first (31/12/2025)"), True)
        self.dates_combo.addItem(self.tr("Month first (12/31/2025)"), False)
        self.dates_combo.activated.connect(lambda _i: self._settings_changed())
        for combo in (self.sheet_combo, self.kind_combo, self.initiative_combo, self.dates_combo):
            guard_wheel(combo)

        # Two pairs of label and field per line: the columns below get the height.
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self._labels: dict[QWidget, QLabel] = {}
        file_caption = QLabel(self.tr("File:"), self)
        form.addWidget(file_caption, 0, 0)
        form.addLayout(file_row, 0, 1, 1, 3)
        for row, column, text, field in (
            (1, 0, self.tr("The &rows are:"), self.kind_combo),
            (1, 2, self.tr("&Into:"), self.initiative_combo),
            (2, 0, self.tr("&Dates:"), self.dates_combo),
            (2, 2, self.tr("&Sheet:"), self.sheet_combo),
            (3, 0, self.tr("S&ource:"), self.source_edit),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(field)
            form.addWidget(caption, row, column)
            form.addWidget(field, row, column + 1)
            self._labels[field] = caption
        self.form = form
        self.remembered_label = QLabel(self)
        self.remembered_label.setWordWrap(True)
        set_role(self.remembered_label, "muted")

        # -- columns, preview, bad rows
        self.columns = ColumnsEditor(self)
        self.columns.changed.connect(self._settings_changed)
        self.preview = PreviewTable(runner, self)
        self.bad_rows = BadRowsTable(runner, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.columns, self.tr("&Columns"))
        self.tabs.addTab(self.preview, self.tr("&Preview"))
        self.tabs.addTab(self.bad_rows, self.tr("&Bad Rows"))

        # -- the check and the buttons
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What the import will do"))
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        set_role(self.notes, "muted")
        self.skip_bad = QCheckBox(self.tr("&Leave out the bad rows and import the rest"), self)
        self.skip_bad.toggled.connect(lambda _on: self._update_buttons())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        set_role(self.import_button, "primary")
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remembered_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.skip_bad)
        layout.addStretch(0)  # takes the room of the tabs when a file cannot be read
        layout.addWidget(self.buttons)

        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._start_check)
        runner.job_finished.connect(self._on_job_finished)
        self._open(self._path)
        metrics = self.fontMetrics()
        room = (parent or self).screen().availableGeometry()
        self.resize(
            min(metrics.averageCharWidth() * 150, int(room.width() * 0.9)),
            min(metrics.height() * 50, int(room.height() * 0.9)),
        )

    # ----------------------------------------------------------------- the file
    def _fill_initiatives(self, initiative_id: str | None) -> None:
        self.initiative_combo.clear()
        for initiative in initiatives.list_initiatives(self.runner.project):
            self.initiative_combo.addItem(initiative.name, initiative.id)
        self.initiative_combo.addItem(self.tr("No initiative (people only)"), None)
        index = self.initiative_combo.findData(initiative_id) if initiative_id else 0
        self.initiative_combo.setCurrentIndex(max(0, index))

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import from a Spreadsheet"), str(self._path.parent), self.tr(FILTER)
        )
        if name:
            self._path = Path(name)
            self.sheet_combo.clear()
            self._open(self._path)

    def _open(self, path: Path) -> None:
        sheet = self.sheet_combo.currentText() or None
        self.table = None
        try:
            self.table = svc.open_file(path, sheet)
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self._show_file_problem(path, sentence)
            return
        table = self.table
        blocked = self.sheet_combo.blockSignals(True)
        try:
            self.sheet_combo.clear()
            self.sheet_combo.addItems(table.sheets)
            self.sheet_combo.setCurrentText(table.sheet)
        finally:
            self.sheet_combo.blockSignals(blocked)
        self._set_row_visible(self.sheet_combo, table.kind == "xlsx" and len(table.sheets) > 1)
        self.file_label.setText(f"<b>{_escape(path.name)}</b>")
        self.file_label.setToolTip(str(path))
        self.preview.show_rows(table.headers, table.first_rows(PREVIEW_ROWS))
        self.tabs.setEnabled(True)
        self.tabs.show()
        self.remembered_label.show()
        if not self._kind_given:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(svc.guess_kind(table)))
        self._resuggest()

    def _show_file_problem(self, path: Path, sentence: str) -> None:
        self.file_label.setText(f"<b>{_escape(path.name)}</b>")
        self.file_label.setToolTip(str(path))
        self.summary.setText(sentence)
        set_role(self.summary, "warning")
        self.notes.setText(self.tr("Choose another file, or fix this one and choose it again."))
        self.columns.set_columns([], {}, None, {})
        self.preview.show_rows([], [])
        self.bad_rows.show_rows([])
        self.tabs.setEnabled(False)
        self.tabs.hide()  # nothing to map: the sentence and the way out are what matter
        self.remembered_label.hide()
        self._set_row_visible(self.sheet_combo, False)
        self._set_row_visible(self.source_edit, False)
        self.check = None
        self._update_buttons()
        self.choose_button.setFocus()

    # ------------------------------------------------------------------ settings
    def _kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _initiative_id(self) -> str | None:
        data = self.initiative_combo.currentData()
        return str(data) if data else None

    def _resuggest(self) -> None:
        """A new file or kind: the services' mapping for it."""
        if self.table is None:
            return
        self.settings = svc.suggest(self.table, self._kind(), self._initiative_id())
        self._building = True
        try:
            self.source_edit.setText(self.settings.source)
            self.dates_combo.setCurrentIndex(
                max(0, self.dates_combo.findData(self.settings.dayfirst))
            )
            self._show_columns()
        finally:
            self._building = False
        if self.settings.remembered:
            self.remembered_label.setText(
                self.tr("Columns mapped as you mapped them for “{source}” on {date}.").format(
                    source=self.settings.source, date=self.settings.remembered
                )
            )
        else:
            self.remembered_label.setText(
                self.tr("Columns mapped from their names: check them below.")
            )
        self._settings_changed()

    def _show_columns(self) -> None:
        assert self.table is not None and self.settings is not None
        kind = KINDS[self._kind()]
        targets = kind.targets_for(initiative=self._initiative_id() is not None)
        samples = self.preview.samples()
        self.columns.set_columns(
            self.table.headers, samples, targets, self.settings.columns, self.settings.constants
        )

    def _on_initiative(self) -> None:
        if self.settings is None:
            return
        self.settings.initiative_id = self._initiative_id()
        self._building = True
        try:
            self.settings.columns = self.columns.mapping()
            self.settings.constants = self.columns.constants()
            self._show_columns()  # stakeholder fields come and go with the initiative
        finally:
            self._building = False
        self._settings_changed()

    def _settings_changed(self) -> None:
        if self._building or self.settings is None or self.table is None:
            return
        self.settings.initiative_id = self._initiative_id()
        self.settings.columns = self.columns.mapping()
        self.settings.constants = self.columns.constants()
        self.settings.source = self.source_edit.text().strip()
        self.settings.dayfirst = self.dates_combo.currentData()
        uses_ids = "external_id" in self.settings.columns.values()
        self._set_row_visible(self.source_edit, uses_ids)
        self.check = None
        self.summary.setText(self.tr("Checking every row of the file…"))
        set_role(self.summary, "muted")
        self._update_buttons()
        self._recheck.start()

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        field.setVisible(visible)
        self._labels[field].setVisible(visible)

    # --------------------------------------------------------------------- check
    def _start_check(self) -> None:
        if self.table is None or self.settings is None:
            return
        if self._handle is not None:
            self._handle.cancel()
        job = svc.CheckJob(self.runner.project, self.table, _copy(self.settings), labeler=label)
        self._handle = self.runner.start(job, origin=self)

    def _on_job_finished(self, handle: JobHandle) -> None:
        if handle is not self._handle:
            return
        self._handle = None
        if handle.cancelled:
            return
        if handle.error is not None:
            sentence = user_message(handle.error) or self.tr(
                "LDPM could not check the file because of an internal error."
            )
            self.summary.setText(sentence)
            set_role(self.summary, "warning")
            self.check = None
            self._update_buttons()
            return
        job = handle.job
        assert isinstance(job, svc.CheckJob)
        self.show_check(job.check)

    def show_check(self, check: svc.ImportCheck | None) -> None:
        self.check = check
        if check is None:
            return
        self.summary.setText(self._summary(check))
        set_role(self.summary, "warning" if not check.ok else "ok")
        self.notes.setText("\n".join(check.notes))
        self.bad_rows.show_rows(check.bad)
        count = check.bad_count
        self.tabs.setTabText(
            2, self.tr("&Bad Rows ({n})").format(n=f"{count:,}") if count else self.tr("&Bad Rows")
        )
        self.skip_bad.setVisible(bool(count) and not check.problem)
        self.skip_bad.setText(
            self.tr("&Leave out the {n} bad rows and import the rest").format(n=f"{count:,}")
            if count != 1
            else self.tr("&Leave out the bad row and import the rest")
        )
        self._update_buttons()

    def _summary(self, check: svc.ImportCheck) -> str:
        if check.problem:
            return check.problem
        text = self.tr(
            "Importing will add {new}, change {changed} and leave {same} as they are."
        ).format(
            new=check.count(check.new), changed=f"{check.changed:,}", same=f"{check.unchanged:,}"
        )
        if check.bad_count:
            bad = check.bad_count
            text += " " + (
                self.tr("{n} rows are bad: see Bad Rows.").format(n=f"{bad:,}")
                if bad != 1
                else self.tr("One row is bad: see Bad Rows.")
            )
        return text

    def _update_buttons(self) -> None:
        check = self.check
        ready = (
            check is not None
            and not check.problem
            and (check.bad_count == 0 or self.skip_bad.isChecked())
            and check.new + check.changed + check.unchanged > 0
        )
        self.import_button.setEnabled(ready)
        rows = check.new + check.changed if check is not None else 0
        if check is not None and not check.problem and rows:
            self.import_button.setText(
                self.tr("&Import {n} Rows").format(n=f"{rows:,}")
                if rows != 1
                else self.tr("&Import 1 Row")
            )
        else:
            self.import_button.setText(self.tr("&Import"))
        if check is None:
            self.skip_bad.setVisible(False)

    def _accept(self) -> None:
        if self.table is None or self.settings is None or not self.import_button.isEnabled():
            return
        settings = _copy(self.settings)
        settings.skip_bad = self.skip_bad.isChecked()
        self.choice = ImportChoice(self.table, settings, self.check)
        self.accept()

    def done(self, result: int) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._recheck.stop()
        with contextlib.suppress(RuntimeError, TypeError):
            self.runner.job_finished.disconnect(self._on_job_finished)
        super().done(result)


def _copy(settings: svc.ImportSettings) -> svc.ImportSettings:
    from dataclasses import replace

    return replace(settings, columns=dict(settings.columns), constants=dict(settings.constants))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
