"""The metrics view's "Impact" page: the date to compare before and after, the impact chart,
the before/after numbers per metric, and the stories beside them.

The chart (:mod:`ldpm.ui.impact_chart`, which imports pyqtgraph) is built the first time the
page has something to draw, so opening a project does not pay for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ldpm.services.metrics import Event
from ldpm.ui.models.metrics import BeforeAfterModel
from ldpm.ui.models.table import ID_ROLE
from ldpm.ui.settings import IMPACT_STORIES, Settings
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.metric_panels import share
from ldpm.ui.views.stories_panel import StoriesPanel
from ldpm.ui.widgets import (
    OptionalDateEdit,
    fit_table_height,
    format_date,
    guard_wheel,
    set_role,
)

if TYPE_CHECKING:
    from ldpm.ui.impact_chart import ImpactChart

#: The chart and its numbers, and the stories: the page's width between them at first.
STORIES_SHARE = (0.7, 0.3)
#: The combo's data for "another date".
CUSTOM = "custom"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImpactPage", text)


class ImpactPage(QWidget):
    """See the module docstring."""

    #: The date to compare at changed (another event, or another custom date).
    date_changed = Signal()
    #: A metric was chosen in the before/after table (its id).
    metric_chosen = Signal(str)

    def __init__(
        self,
        model: BeforeAfterModel,
        stories: StoriesPanel,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.stories = stories
        self.chart: ImpactChart | None = None
        self.events: list[Event] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        # Short, on one line: the bar stays one line high in large text beside the portfolio.
        caption = QLabel(_tr("Compare at"), self)
        caption.setToolTip(_tr("The numbers before and after this date, per metric"))
        self.event_combo = QComboBox(self)
        self.event_combo.setAccessibleName(_tr("The date to compare before and after"))
        # Long release names elide rather than widen the page (a projector's large text).
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_combo.setMinimumContentsLength(10)
        self.event_combo.setSizePolicy(
            QSizePolicy.Policy.Preferred, self.event_combo.sizePolicy().verticalPolicy()
        )
        guard_wheel(self.event_combo)
        caption.setBuddy(self.event_combo)
        self.custom_date = OptionalDateEdit(self)
        self.custom_date.setAccessibleName(_tr("Another date to compare at"))
        self.custom_date.hide()
        self.event_combo.currentIndexChanged.connect(self._event_picked)
        self.custom_date.committed.connect(lambda _d: self.date_changed.emit())
        self.reset_button = QPushButton(_tr("Show All"), self)
        self.reset_button.setAccessibleName(_tr("Show every date of the chart"))
        self.reset_button.setToolTip(_tr("Zoom out to every date (drag to pan, wheel to zoom)"))
        # One Export button with a menu (the File menu has both too): the bar stays narrow
        # enough for large text beside the portfolio.
        self.export_button = QPushButton(_tr("Export"), self)
        self.export_button.setAccessibleName(_tr("Export the chart"))
        menu = QMenu(self.export_button)
        self.png_action = menu.addAction(_tr("As a PNG Image…"))
        self.svg_action = menu.addAction(_tr("As an SVG Drawing…"))
        self.export_button.setMenu(menu)
        self.reset_button.clicked.connect(self.reset_zoom)
        self.png_action.triggered.connect(lambda: self.export_dialog("png"))
        self.svg_action.triggered.connect(lambda: self.export_dialog("svg"))
        self.stories_button = QPushButton(_tr("Stories"), self)
        self.stories_button.setCheckable(True)
        self.stories_button.setAccessibleName(_tr("Show the stories beside the chart"))
        self.stories_button.setToolTip(
            _tr("Show or hide the stories; hidden, the chart and the numbers take the width")
        )
        bar.addWidget(caption)
        bar.addWidget(self.event_combo, 1)
        bar.addWidget(self.custom_date)
        bar.addStretch(0)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.stories_button)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget(self.splitter)
        self.left = left
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.chart_layout = QVBoxLayout()
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.chart_layout, 1)
        self.readout = QLabel(left)
        self.readout.setAccessibleName(_tr("The measurement under the pointer"))
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.readout, "muted")
        column.addWidget(self.readout)
        self.table = DataTableView(left)
        self.table.setObjectName("beforeAfter")
        self.table.setAccessibleName(_tr("Before and after, per metric"))
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.clicked.connect(self._row_clicked)
        self.table.activated.connect(self._row_clicked)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._fit_table)
        column.addWidget(self.table)
        self.splitter.addWidget(left)
        self.splitter.addWidget(stories)
        # The chart and its numbers have priority: they take what the window gains, never
        # collapse; the stories can be dragged shut or hidden with the Stories button.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        self.splitter.splitterMoved.connect(self._splitter_moved)
        # On a low screen in large text the chart and its numbers scroll (the chart is never
        # squeezed until its panels overlap); with room to spare they fill the page.
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.splitter)
        layout.addWidget(self.scroller, 1)
        self._settings = settings
        self._shared = False
        shown = self._prefs().get(IMPACT_STORIES)
        self.stories_button.setChecked(shown)
        stories.setVisible(shown)
        self.stories_button.toggled.connect(self.show_stories)
        self._update_buttons()

    # ----------------------------------------------------------------- stories
    def _prefs(self) -> Settings:
        if self._settings is None:
            self._settings = Settings()
        return self._settings

    def stories_shown(self) -> bool:
        return self.stories_button.isChecked()

    def show_stories(self, shown: bool) -> None:
        """Show or hide the Stories pane (remembered for the next start)."""
        if self.stories_button.isChecked() != shown:
            self.stories_button.setChecked(shown)  # comes back here through toggled
            return
        self.stories.setVisible(shown)
        if shown and self.splitter.sizes()[1] == 0:  # dragged shut before: open it again
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([total - total // 3, total // 3])
        self._prefs().set(IMPACT_STORIES, shown)

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        if self.splitter.sizes()[1] == 0 and self.stories_button.isChecked():
            self.stories_button.setChecked(False)  # dragged shut: the same as hiding it

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shared and self.splitter.width() > 0:
            self._shared = True  # once: later the user's own sizes stand
            share(self.splitter, STORIES_SHARE)

    #: The before/after table takes at most this share of the page's height (then scrolls):
    #: the chart keeps the rest on a low screen in large text.
    TABLE_SHARE = 0.25

    def _fit_table(self, *_args: object) -> None:
        row = max(1, self.table.verticalHeader().defaultSectionSize())
        room = int(self.height() * self.TABLE_SHARE) // row - 1  # a row's height for the header
        fit_table_height(self.table, min_rows=2, max_rows=max(2, min(8, room)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self._fit_table()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_table()
        if event.type() == QEvent.Type.FontChange and self.splitter.width() > 0:
            share(self.splitter, STORIES_SHARE)  # larger text: the stories keep a readable width

    # ------------------------------------------------------------------- chart
    def ensure_chart(self) -> ImpactChart:
        if self.chart is None:
            from ldpm.ui.impact_chart import ImpactChart

            self.chart = ImpactChart(self.left)
            self.chart.hovered.connect(self._hovered)
            self.chart_layout.insertWidget(0, self.chart, 1)
            self.chart.show()  # now, not queued: it is laid out before its first paint
            self._update_buttons()
        return self.chart

    def _hovered(self, text: str) -> None:
        self.readout.setText(text or _tr("Point at a measurement to read it."))

    def reset_zoom(self) -> None:
        if self.chart is not None:
            self.chart.reset_zoom()

    def _update_buttons(self) -> None:
        for button in (self.reset_button, self.export_button):
            button.setEnabled(self.chart is not None)
        self._hovered("")

    def export(self, path: Path, kind: str) -> Path:
        """Write the chart to ``path`` as "png" or "svg"."""
        chart = self.ensure_chart()
        return chart.export_svg(path) if kind == "svg" else chart.export_png(path)

    def export_dialog(self, kind: str) -> None:
        if self.chart is None:
            return
        title = _tr("Export the Chart as SVG") if kind == "svg" else _tr("Export the Chart as PNG")
        pattern = _tr("SVG drawings (*.svg)") if kind == "svg" else _tr("PNG images (*.png)")
        name, _filter = QFileDialog.getSaveFileName(self, title, f"impact.{kind}", pattern)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != f".{kind}":
            path = path.with_suffix(f".{kind}")
        try:
            self.export(path, kind)
        except OSError as err:
            self.readout.setText(
                _tr("The chart could not be saved to “{path}”: {reason}").format(
                    path=path, reason=err.strerror or str(err)
                )
            )
            set_role(self.readout, "warning")
            return
        self.readout.setText(_tr("Saved the chart to “{path}”.").format(path=path))

    # ------------------------------------------------------------------ events
    def set_events(self, events: list[Event], today: date) -> None:
        """Offer ``events`` (and another date) to compare at; keeps the choice if it is still
        there, otherwise picks the first release (the MVP) or the first event."""
        previous = self.event_combo.currentData()
        self.events = events
        blocked = self.event_combo.blockSignals(True)
        try:
            self.event_combo.clear()
            for event in events:
                what = _tr("Release") if event.kind == "release" else _tr("Experiment")
                self.event_combo.addItem(
                    f"{what}: {event.title} ({format_date(event.on)})", f"{event.kind}:{event.id}"
                )
            self.event_combo.addItem(_tr("Another date…"), CUSTOM)
            index = self.event_combo.findData(previous) if previous is not None else -1
            if index < 0:
                releases = [i for i, e in enumerate(events) if e.kind == "release"]
                index = (
                    releases[0] if releases else (0 if events else self.event_combo.count() - 1)
                )
            self.event_combo.setCurrentIndex(index)
        finally:
            self.event_combo.blockSignals(blocked)
        custom = self.event_combo.currentData() == CUSTOM
        self.custom_date.setVisible(custom)
        if custom and self.custom_date.value() is None:
            self.custom_date.setValue(today)

    def chosen(self) -> tuple[date | None, Event | None]:
        """The date to compare at and the event it is (None for another date)."""
        data = self.event_combo.currentData()
        if data == CUSTOM or data is None:
            return self.custom_date.value(), None
        kind, _, key = str(data).partition(":")
        for event in self.events:
            if event.kind == kind and event.id == key:
                return event.on, event
        return None, None

    def _event_picked(self, _index: int) -> None:
        custom = self.event_combo.currentData() == CUSTOM
        self.custom_date.setVisible(custom)
        if custom and self.custom_date.value() is None:
            from ldpm.services.metrics import today

            self.custom_date.setValue(today())
        self.date_changed.emit()

    def _row_clicked(self, index: QModelIndex) -> None:
        key = index.data(ID_ROLE)
        if isinstance(key, str):
            self.metric_chosen.emit(key)
