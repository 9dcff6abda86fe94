"""The portfolio sidebar: the initiatives of the workspace, in order, narrowed to one triage
status if the user likes (with the count at each status), and quick request capture."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.enums import TriageStatus
from ldpm.ui.capture import CapturePanel
from ldpm.ui.flow_layout import FlowLayout
from ldpm.ui.labels import choices
from ldpm.ui.models.portfolio import FLAGS_ROLE, ID_ROLE, SUBTITLE_ROLE, PortfolioModel
from ldpm.ui.widgets import guard_wheel


class PortfolioDelegate(QStyledItemDelegate):
    """Two lines per initiative: its name, then stage · owner in a quieter colour."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        lines = 3.3 if index.data(FLAGS_ROLE) else 2.35
        return QSize(160, int(metrics.height() * lines) + 12)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect: QRect = opt.rect.adjusted(10, 5, -8, -5)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        font = opt.font
        bold = type(font)(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        metrics = QFontMetrics(bold)
        name = metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, name)
        small = type(font)(font)
        small.setPointSizeF(max(1.0, font.pointSizeF() * 0.88))
        painter.setFont(small)
        colour = palette.color(text_role)
        if not selected:
            colour = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(colour)
        small_metrics = QFontMetrics(small)
        sub = small_metrics.elidedText(
            str(index.data(SUBTITLE_ROLE) or ""), Qt.TextElideMode.ElideRight, rect.width()
        )
        flags = index.data(FLAGS_ROLE) or []
        sub_rect = rect.adjusted(0, metrics.height() + 2, 0, 0)
        painter.drawText(sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, sub)
        if flags:
            # What needs attention: warnings first, in the warning colour (readable on the
            # selection too).
            warning = any(f.severity == "warning" for f in flags)
            text = " · ".join(f.text for f in flags)
            if warning and not selected:
                painter.setPen(palette.color(QPalette.ColorRole.BrightText))
            note = small_metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, note)
        painter.restore()


class PortfolioSidebar(QWidget):
    """The list of initiatives with an Add button; emits the chosen initiative's id."""

    current_changed = Signal(object)  # str | None

    def __init__(
        self, model: PortfolioModel, actions: Mapping[str, QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.menu_actions = actions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 8, 8)
        header = QHBoxLayout()
        title = QLabel(self.tr("Portfolio"))
        title.setProperty("role", "h2")
        header.addWidget(title)
        header.addStretch(1)
        layout.addLayout(header)

        self.triage_combo = QComboBox(self)
        self.triage_combo.setObjectName("triageFilter")
        # As narrow as a short choice: the longest ("Waitlisted (12)" in large text) would
        # keep the portfolio half a projector-sized laptop screen wide.
        self.triage_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.triage_combo.setMinimumContentsLength(12)
        self.triage_combo.setAccessibleName(self.tr("Show initiatives by triage status"))
        self.triage_combo.setToolTip(
            self.tr("Show every initiative, or those at one triage status")
        )
        guard_wheel(self.triage_combo)
        self.triage_combo.activated.connect(self._triage_picked)
        layout.addWidget(self.triage_combo)
        model.counts_changed.connect(self._show_counts)
        self._show_counts()

        self.view = QListView(self)
        self.view.setObjectName("portfolio")
        self.view.setAccessibleName(self.tr("Initiatives"))
        self.view.setModel(model)
        self.view.setItemDelegate(PortfolioDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        layout.addWidget(self.view, 1)

        self.capture = CapturePanel(model.runner, self)
        self.capture.captured.connect(self._captured)
        layout.addWidget(self.capture)
        buttons = FlowLayout()  # side by side, one above the other where the portfolio is narrow
        self.capture_button = QPushButton(self.tr("+ Request"))
        self.capture_button.setObjectName("captureRequest")
        self.capture_button.setAccessibleName(self.tr("Capture a request"))
        self.capture_button.setToolTip(
            self.tr(
                "Capture a request in seconds: who asked, their words, the solution they "
                "proposed (Ctrl+Shift+R)"
            )
        )
        self.capture_button.clicked.connect(self.start_capture)
        self.add_button = QPushButton(self.tr("+ Initiative"))
        self.add_button.setAccessibleName(self.tr("Add a new initiative"))
        self.add_button.setToolTip(self.tr("Add an initiative to the portfolio (Ctrl+Shift+N)"))
        self.add_button.clicked.connect(actions["new_initiative"].trigger)
        buttons.addWidget(self.capture_button)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)

        # Keep the current row when rows move or the model re-reads.
        model.rowsMoved.connect(lambda *_: self._emit_current())
        model.rowsRemoved.connect(lambda *_: self._emit_current())

    def start_capture(self) -> None:
        """Open the request capture panel, ready to type."""
        self.capture.start()

    def _captured(self, initiative_id: str) -> None:
        if self.model.triage_filter not in (None, TriageStatus.NEW):
            self.set_triage_filter(None)  # show the new request
        self.select(initiative_id)

    def set_triage_filter(self, status: TriageStatus | None) -> None:
        self.model.set_triage_filter(status)
        self._show_counts()

    def _triage_picked(self, index: int) -> None:
        data = self.triage_combo.itemData(index)
        self.set_triage_filter(TriageStatus(data) if data else None)
        if self.current_id() is None and self.model.rowCount():
            self.select(None)

    def _show_counts(self) -> None:
        counts, total = self.model.counts, self.model.total
        combo = self.triage_combo
        blocked = combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("All initiatives ({n})").format(n=total), "")
            for status, text in choices(TriageStatus):
                combo.addItem(f"{text} ({counts[status]})", status.value)
            wanted = self.model.triage_filter.value if self.model.triage_filter else ""
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
        finally:
            combo.blockSignals(blocked)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def select(self, initiative_id: str | None, *, edit: bool = False) -> None:
        row = self.model.index_of(initiative_id) if initiative_id else -1
        if row < 0:
            if self.model.rowCount() and initiative_id is None:
                row = 0
            else:
                self.view.setCurrentIndex(QModelIndex())
                self._emit_current()
                return
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if edit:
            self.view.edit(index)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(str(current.data(ID_ROLE)) if current.isValid() else None)

    def _emit_current(self) -> None:
        self.current_changed.emit(self.current_id())

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for key in (
            "capture_request",
            "new_initiative",
            None,
            "rename_initiative",
            "archive_initiative",
            "delete_initiative",
            None,
            "move_up",
            "move_down",
        ):
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(self.menu_actions[key])
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()
