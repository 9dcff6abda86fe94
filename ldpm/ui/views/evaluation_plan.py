"""The Evaluation Plan page of the metrics view: the plan's metrics as a table with New and
Delete buttons, over the chosen metric's measurements and its form.

The page lays these out and keeps the table's current row; the view
(:mod:`ldpm.ui.views.metrics`) fills them and decides what the buttons and a chosen row do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.enums import MetricTier
from ldpm.ui.forms import EditFn, RunFn
from ldpm.ui.labels import label
from ldpm.ui.models.metrics import MeasurementsModel, PlanModel
from ldpm.ui.models.table import TableProxy
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.metric_details import MetricDetails
from ldpm.ui.views.metric_panels import MeasurementsPanel


def _tr(text: str) -> str:
    return QCoreApplication.translate("MetricsView", text)


class EvaluationPlanPage(QSplitter):
    """The plan table above the measurements and the form (see the module docstring)."""

    def __init__(
        self,
        runner: OperationRunner,
        plan_model: PlanModel,
        measurements_model: MeasurementsModel,
        *,
        edit: EditFn,
        run: RunFn,
        new_metric: Callable[[MetricTier], None],
        delete_metric: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.plan_model = plan_model
        top = QWidget(self)
        box = QVBoxLayout(top)
        box.setContentsMargins(0, 0, 0, 0)
        self.proxy = TableProxy(plan_model, self)
        self.table = DataTableView(top)
        self.table.setObjectName("plan")
        self.table.setAccessibleName(_tr("Evaluation plan"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        box.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_tr("New Metric"), top)
        self.new_button.setAccessibleName(_tr("New metric"))
        menu = QMenu(self.new_button)
        for tier in (MetricTier.BEHAVIOUR, MetricTier.BUSINESS, MetricTier.OPERATIONAL):
            action = menu.addAction(_tr("{tier} metric").format(tier=label(tier)))
            action.triggered.connect(lambda _c=False, t=tier: new_metric(t))
        self.new_button.setMenu(menu)
        self.delete_button = QPushButton(_tr("Delete Metric"), top)
        self.delete_button.setAccessibleName(_tr("Delete the chosen metric"))
        self.delete_button.setToolTip(
            _tr("Delete the chosen metric with its measurements. Undo brings them back.")
        )
        self.delete_button.clicked.connect(delete_metric)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.addWidget(top)
        self.bottom = QSplitter(Qt.Orientation.Horizontal, self)
        self.measurements = MeasurementsPanel(measurements_model, run, self.bottom)
        self.details = MetricDetails(runner, edit, run, self.bottom)
        self.bottom.addWidget(self.measurements)
        self.bottom.addWidget(self.details)
        self.bottom.setStretchFactor(0, 1)
        self.bottom.setStretchFactor(1, 1)
        self.addWidget(self.bottom)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)

    def index_of(self, metric_id: str | None) -> QModelIndex:
        """The table's index of the metric's first column (invalid when it is not shown)."""
        row = self.plan_model.row_of(metric_id) if metric_id else -1
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.plan_model.index(row, 0))

    def select_row(self, metric_id: str | None) -> None:
        """Make the metric's row current without reporting it as the user's choice."""
        index = self.index_of(metric_id)
        if index != self.table.currentIndex() and index.isValid():
            selection = self.table.selectionModel()
            blocked = selection.blockSignals(True)
            try:
                self.table.setCurrentIndex(index)
            finally:
                selection.blockSignals(blocked)
