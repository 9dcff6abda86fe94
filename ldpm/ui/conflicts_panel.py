"""The changes to review after a sync: a dock with a table and "Keep This" / "Use the Other".

Resolving is an ordinary, undoable command run through the operation runner
(:func:`ldpm.services.sync.resolve_conflict`); the table is :class:`ConflictsModel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import review as review_svc
from ldpm.ui.models.conflicts import ConflictsModel
from ldpm.ui.table_view import DataTableView

if TYPE_CHECKING:
    from ldpm.ui.operations import OperationRunner


class ConflictsPanel(QDockWidget):
    """The changes to review: a table and "Keep This" / "Use the Other"."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("conflicts_dock")
        self.setWindowTitle(self.tr("Changes to Review"))
        self.setAccessibleName(self.tr("Changes to review"))
        self.model = ConflictsModel(runner, self)

        intro = QLabel(
            self.tr(
                "These fields were changed on two computers at the same time. LDPM kept the "
                "newer change; keep it, or use the other one instead."
            )
        )
        intro.setWordWrap(True)
        self.empty = QLabel(self.tr("Nothing to review: every change merged cleanly."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.table = DataTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Changes to review"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setHighlightSections(False)

        self.keep = QPushButton(self.tr("&Keep This"))
        self.keep.setAccessibleName(self.tr("Keep the kept value"))
        self.keep.setToolTip(self.tr("Keep the value LDPM kept and close this review"))
        self.use_other = QPushButton(self.tr("Use the &Other"))
        self.use_other.setAccessibleName(self.tr("Use the other value"))
        self.use_other.setToolTip(self.tr("Replace the kept value with the other change"))
        self.keep.clicked.connect(lambda: self.resolve(use_other=False))
        self.use_other.clicked.connect(lambda: self.resolve(use_other=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.use_other)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.setTitleBarWidget(self._title_bar())
        self.table.selectionModel().selectionChanged.connect(self._update)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._after_reset)
        self.model.dataChanged.connect(self._update)
        self._selected: str | None = None
        self._after_reset()

    def _title_bar(self) -> QWidget:
        """A title bar of our own, so its buttons grow with the text (the theme draws the
        glyphs of ``dockFloat`` and ``dockClose``)."""
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 4, 4)
        title = QLabel(self.windowTitle(), bar)
        title.setProperty("role", "h3")
        row.addWidget(title, 1)
        for name, tip, slot in (
            ("dockFloat", self.tr("Float the panel"), self._toggle_floating),
            ("dockClose", self.tr("Close the panel"), self.close),
        ):
            button = QToolButton(bar)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            row.addWidget(button)
        return bar

    def _toggle_floating(self) -> None:
        self.setFloating(not self.isFloating())

    def _after_reset(self, *_args: object) -> None:
        """Keep the same conflict selected (or the row where it was) across a reload."""
        row = self.model.index_of(self._selected) if self._selected else -1
        if row < 0 and self.model.rowCount():
            row = min(self._last_row, self.model.rowCount() - 1)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update()

    _last_row = 0

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update(self, *_args: object) -> None:
        row = self.current_row()
        current = self.model.row_at(row)
        self._selected = current.id if current else None
        if row >= 0:
            self._last_row = row
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.keep.setEnabled(current is not None)
        self.use_other.setEnabled(current is not None)

    def resolve(self, *, use_other: bool) -> bool:
        row = self.model.row_at(self.current_row())
        if row is None:
            return False
        return self.runner.run(
            review_svc.resolve_conflict(row.conflict, use_other=use_other), origin=self
        )
