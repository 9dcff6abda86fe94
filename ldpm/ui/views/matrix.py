"""The value/effort matrix: the initiative's backlog as bubbles on a 2×2 of quick wins, big
bets, fill-ins and money pits.

Bubbles are as large as the item's reach and coloured by its status; dragging one (or several)
rescores value and effort — one undo step per drag or per burst of arrow keys — and a drop
outside the axes is refused, the card going back.  Items without a value or an effort are never
put at zero: they wait in the "Not on the matrix yet" list beside it, from which a drag onto the
matrix scores them.  The backlog's own filter (:class:`BacklogFilterBar`) narrows what is shown.
A click selects a card and says what it is; a double-click or Enter (or "Show in Backlog")
asks to show the item in the backlog.  The matrix exports as PNG or SVG.

Drawing is the shared :class:`~ldpm.ui.canvas.CardCanvas` (:mod:`ldpm.ui.views.matrix_scene`
says what is drawn); rescoring is :func:`ldpm.services.plan.rescore`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.coverage import in_plan
from ldpm.domain.entities import BacklogItem, Initiative, Release
from ldpm.domain.matrix import MatrixAxes
from ldpm.domain.scoring import value_effort_quadrant
from ldpm.services import plan as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.navigation import ShowEntity
from ldpm.ui.actions import ActionSpec
from ldpm.ui.canvas import CardCanvas, CardMove
from ldpm.ui.labels import label
from ldpm.ui.models.plan_items import ItemListModel, days
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.cards import CardDelegate
from ldpm.ui.views.filter_bar import BacklogFilterBar
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.matrix_scene import (
    PLANE,
    PLOT,
    card_specs,
    describe,
    draw_backdrop,
    scores_at,
)
from ldpm.ui.widgets import set_role


class MatrixView(InitiativeView):
    """The value/effort matrix of one initiative."""

    title = "Matrix"  # translated in the "views" context
    area = "Plan"
    watches = frozenset({BacklogItem, Release, Initiative})
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("matrixView")
        self._items: list[BacklogItem] = []
        self._shown: dict[str, BacklogItem] = {}
        self._axes: MatrixAxes | None = None
        self._hint = ""
        self._name = ""

        self.filter_bar = BacklogFilterBar(self)
        self.filter_bar.changed.connect(lambda _f: self.reload())
        self.show_all = QCheckBox(self.tr("Show dropped and out of scope"), self)
        self.show_all.toggled.connect(lambda _on: self.reload())

        self.canvas = CardCanvas(self)
        self.canvas.setAccessibleName(self.tr("Value and effort matrix"))
        self.canvas.set_plane(PLANE)
        self.canvas.set_label_area(PLOT)
        self.canvas.set_nudge_step(PLOT.width() * 0.05, PLOT.height() * 0.1)
        self.canvas.cards_moved.connect(self._on_moved)
        self.canvas.cards_dragging.connect(self._on_dragging)
        self.canvas.ids_dropped.connect(self._on_dropped)
        self.canvas.selection_changed.connect(self._on_selection)
        self.canvas.card_activated.connect(self.show_in_backlog)
        self.canvas.labels_laid_out.connect(self._on_labels)
        self.canvas.appearance_changed.connect(self._redraw_backdrop)
        self.canvas.zoom_changed.connect(lambda _z: self._redraw_backdrop())

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Matrix messages"))
        self.fit_button = self._tool(self.tr("Fit"), self.canvas.fit_to_view)
        self.fit_button.setToolTip(self.tr("Show the whole matrix (0)"))
        self.zoom_out_button = self._tool("−", self.canvas.zoom_out)
        self.zoom_out_button.setAccessibleName(self.tr("Zoom out"))
        self.zoom_in_button = self._tool("+", self.canvas.zoom_in)
        self.zoom_in_button.setAccessibleName(self.tr("Zoom in"))
        self.export_button = QToolButton(self)
        self.export_button.setText(self.tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        export_menu.addAction(self.tr("As PNG Picture…"), lambda: self.export("png"))
        export_menu.addAction(self.tr("As SVG Drawing…"), lambda: self.export("svg"))
        self.export_button.setMenu(export_menu)

        self._build_side()
        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left: its backlog items appear "
                "here by value and effort."
            ),
            self,
        )
        content = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.show_all)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        for button in (self.fit_button, self.zoom_out_button, self.zoom_in_button):
            bottom.addWidget(button)
        bottom.addWidget(self.export_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, content)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setChildrenCollapsible(False)
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 8, 8, 4)
        column.addLayout(top)
        column.addWidget(self.splitter, 1)
        column.addLayout(bottom)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._fit_side()

    def _tool(self, text: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.clicked.connect(slot)
        return button

    def _build_side(self) -> None:
        self.side = QWidget(self)
        self.selected_title = QLabel(self.side)
        self.selected_title.setWordWrap(True)
        set_role(self.selected_title, "h2")
        self.selected_text = QLabel(self.side)
        self.selected_text.setWordWrap(True)
        self.show_button = QPushButton(self.tr("Show in Backlog"), self.side)
        self.show_button.clicked.connect(self.show_in_backlog)
        self.unplaced_title = QLabel(self.tr("Not on the matrix yet"), self.side)
        set_role(self.unplaced_title, "h2")
        self.unplaced_hint = QLabel(self.side)
        self.unplaced_hint.setWordWrap(True)
        set_role(self.unplaced_hint, "muted")
        self.unplaced_model = ItemListModel(self, subtitle=self._needs, drops=False)
        self.unplaced = QListView(self.side)
        self.unplaced.setAccessibleName(self.tr("Items without a value or an effort"))
        self.unplaced.setModel(self.unplaced_model)
        self.unplaced.setItemDelegate(CardDelegate(self.unplaced))
        self.unplaced.setDragEnabled(True)
        self.unplaced.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.unplaced.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.unplaced.doubleClicked.connect(
            lambda index: self._navigate_item(self.unplaced_model.row_at(index.row()))
        )
        column = QVBoxLayout(self.side)
        column.setContentsMargins(8, 0, 0, 0)
        column.addWidget(self.selected_title)
        column.addWidget(self.selected_text)
        column.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addSpacing(12)
        column.addWidget(self.unplaced_title)
        column.addWidget(self.unplaced_hint)
        column.addWidget(self.unplaced, 20)
        column.addStretch(1)  # when the list is hidden, the rest stays at the top

    def _fit_side(self) -> None:
        width = self.fontMetrics().averageCharWidth() * 34
        self.side.setMinimumWidth(width)
        total = max(self.splitter.width(), width * 3)
        self.splitter.setSizes([total - width, width])

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_side()  # larger text (the projector): a wider side panel

    # ================================================================= loading
    def reload(self) -> None:
        if self.initiative_id is None:
            self.pages.setCurrentIndex(0)
            self._items = []
            self.canvas.set_cards([])
            return
        self.pages.setCurrentIndex(1)
        plan = svc.load_plan(self.project, self.initiative_id)
        self._items = plan.items
        self._name = plan.initiative.name if plan.initiative is not None else ""
        self.filter_bar.set_releases([(r.id, r.name) for r in plan.releases])
        axes = MatrixAxes.for_efforts(i.effort for i in plan.items)
        if axes != self._axes:
            self._axes = axes
            self._redraw_backdrop(relayout=False)  # set_cards lays the labels out
        wanted = self.filter_bar.filter
        show_all = self.show_all.isChecked()
        shown = [i for i in plan.items if wanted.matches(i) and (show_all or in_plan(i))]
        self._shown = {i.id: i for i in shown}
        self.canvas.set_cards(card_specs(shown, axes))
        missing = [i for i in shown if i.value is None or i.effort is None]
        self.unplaced_model.set_rows(missing)
        self.unplaced.setVisible(bool(missing))
        self.unplaced_hint.setText(
            self.tr("Drag an item onto the matrix to give it a value and an effort.")
            if missing
            else self.tr("Every item shown has a value and an effort.")
        )
        self._show_selected()
        if not plan.items:
            self._say(
                self.tr(
                    "This initiative has no backlog items yet. Add them in the backlog; once "
                    "they have a value and an effort they appear here."
                )
            )
        elif not self._hint:
            self._say(self._idle_message())

    def apply(self, record: ChangeRecord) -> None:
        self._hint = ""  # a change (an undo, another view's edit): earlier messages are stale
        self.reload()

    def _redraw_backdrop(self, *, relayout: bool = True) -> None:
        if self._axes is not None:
            draw_backdrop(self.canvas, self._axes)
            if relayout:
                self.canvas.relayout()

    @classmethod
    def may_navigate(cls, target: object) -> bool:
        return isinstance(target, BacklogFilter)

    def navigate(self, target: object) -> bool:
        """A backlog filter ("these items") narrows the matrix to them."""
        if isinstance(target, BacklogFilter) and self.initiative_id is not None:
            self.filter_bar.set_filter(target)
            self.reload()
            return True
        return False

    # ================================================================ messages
    def _default_hint(self) -> str:
        return self.tr(
            "Drag a bubble to rescore its value and effort; arrow keys nudge the selected "
            "ones. Bubble size is reach, colour is status. Double-click opens an item in the "
            "backlog."
        )

    def _say(self, text: str, role: str = "muted") -> None:
        self.message.setText(text)
        set_role(self.message, role)

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        self._hint = sentence  # kept until the next move
        self._say(sentence, "warning")

    def _on_labels(self, shown: int, hidden: int) -> None:
        if not self._hint:
            self._say(self._idle_message(shown, hidden))

    def _idle_message(self, shown: int | None = None, hidden: int | None = None) -> str:
        """How to use the matrix, or how many labels had no room and what to do about it."""
        if hidden is None or shown is None:
            hidden = self.canvas.hidden_labels
            shown = len(self.canvas.card_ids()) - hidden
        if not hidden:
            return self._default_hint()
        return self.tr(
            "{hidden} of {total} labels have no room: zoom in (Ctrl+wheel or +) to see them, "
            "or point at a bubble."
        ).format(hidden=hidden, total=shown + hidden)

    # ================================================================= editing
    def _on_dragging(self, moves: list[CardMove]) -> None:
        if not moves or self._axes is None:
            return
        self._hint = ""  # a new move: the last one's message has had its time
        scores = scores_at(self._axes, QPointF(*moves[0].new))
        if scores is None:
            self._say(self.tr("Outside the matrix: let go to put the card back."), "warning")
            return
        value, effort = scores
        quadrant = value_effort_quadrant(value, effort)
        where = label(quadrant) if quadrant is not None else ""
        self._say(
            self.tr("Value {value} · effort {effort} → {quadrant}").format(
                value=value, effort=days(effort), quadrant=where
            )
        )

    def _on_moved(self, moves: list[CardMove]) -> None:
        if self._axes is None:
            return
        scores = []
        for move in moves:
            at = scores_at(self._axes, QPointF(*move.new))
            if at is None:
                self.show_failure(
                    self.tr(
                        "A card dropped outside the axes has no value or effort: it went back. "
                        "Drop it inside the matrix to rescore it."
                    ),
                    self.canvas,
                )
                return
            scores.append(svc.Rescore(move.id, at[0], at[1]))
        self._rescore(scores)

    def _on_dropped(self, ids: list[str], at: QPointF) -> None:
        if self._axes is None:
            return
        scores = scores_at(self._axes, at)
        if scores is None:
            self.show_failure(
                self.tr("Drop the item inside the matrix to give it a value and an effort."),
                self.canvas,
            )
            return
        self._rescore([svc.Rescore(i, scores[0], scores[1]) for i in ids])
        self.canvas.select(ids)

    def _rescore(self, scores: list[svc.Rescore]) -> None:
        command = svc.rescore(self.project, scores)
        self._hint = ""
        if command is None:
            self._say(self._idle_message())
            return
        if self.run(command, origin=self.canvas):
            item = self._shown.get(scores[0].item_id)
            if len(scores) == 1 and item is not None:
                done = self.tr("Rescored “{title}”: {what}.").format(
                    title=item.title, what=describe(item)
                )
            else:
                done = self.tr("Rescored {n} items.").format(n=len(scores))
            # Kept until the next move (label layouts do not replace it).
            self._hint = done + " " + self.tr("Undo with Ctrl+Z.")
            self._say(self._hint, "ok")

    # =============================================================== selection
    def _on_selection(self, _ids: list[str]) -> None:
        self._show_selected()

    def _selected_item(self) -> BacklogItem | None:
        ids = self.canvas.selected_ids()
        return self._shown.get(ids[0]) if ids else None

    def _show_selected(self) -> None:
        item = self._selected_item()
        self.show_button.setEnabled(item is not None)
        if item is None:
            self.selected_title.setText(self.tr("No item selected"))
            self.selected_text.setText(
                self.tr("Click a bubble to see it here; drag around bubbles to select several.")
            )
            set_role(self.selected_text, "muted")
            return
        self.selected_title.setText(item.title)
        self.selected_text.setText(describe(item))
        set_role(self.selected_text, "")

    def show_in_backlog(self, card: object = None) -> None:
        """Ask to show the item of ``card`` (an id), or the selected one, in the backlog."""
        item = self._shown.get(card) if isinstance(card, str) else self._selected_item()
        self._navigate_item(item)

    def _navigate_item(self, item: BacklogItem | None) -> None:
        if item is not None:
            self.navigate_requested.emit(ShowEntity(BacklogItem, item.id))

    def _needs(self, item: BacklogItem) -> str:
        if item.value is None and item.effort is None:
            return self.tr("needs a value and an effort")
        if item.value is None:
            return self.tr("needs a value")
        return self.tr("needs an effort")

    # ================================================================== export
    def export(self, kind: str) -> None:
        """Ask where, then write the matrix as a PNG picture or an SVG drawing."""
        name = self.tr("{initiative} — value and effort").format(initiative=self._name)
        suffix = "png" if kind == "png" else "svg"
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the Matrix"),
            str(Path.home() / f"{name}.{suffix}"),
            self.tr("PNG pictures (*.png)") if kind == "png" else self.tr("SVG drawings (*.svg)"),
        )
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> bool:
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        try:
            if kind == "png":
                self.canvas.export_png(path)
            else:
                self.canvas.export_svg(path, title=self.tr("Value and effort matrix"))
        except OSError as exc:
            self.show_failure(
                self.tr("The matrix could not be saved as “{name}”: {reason}").format(
                    name=path.name, reason=exc.strerror or str(exc)
                ),
                self,
            )
            return False
        self._say(self.tr("Saved the matrix as “{name}”.").format(name=path.name), "ok")
        return True

    # ================================================================= actions
    def view_actions(self) -> list[ActionSpec]:
        has = lambda: self.initiative_id is not None  # noqa: E731
        return [
            ActionSpec("matrix_fit", "&Fit Matrix to Window", "view", self.canvas.fit_to_view,
                       "canvas", ("Ctrl+Alt+0",), enabled=has),
            ActionSpec("matrix_zoom_in", "Zoom Matrix &In", "view", self.canvas.zoom_in,
                       "canvas", ("Ctrl+Alt+=",), enabled=has),
            ActionSpec("matrix_zoom_out", "Zoom Matrix O&ut", "view", self.canvas.zoom_out,
                       "canvas", ("Ctrl+Alt+-",), enabled=has),
            ActionSpec("matrix_export_png", "Export Matrix as &PNG…", "view",
                       lambda: self.export("png"), "export", ("Ctrl+Alt+E",), enabled=has),
            ActionSpec("matrix_export_svg", "Export Matrix as S&VG…", "view",
                       lambda: self.export("svg"), "export", enabled=has),
            ActionSpec("matrix_show_item", "Show Item in &Backlog", "initiative",
                       self.show_in_backlog, "plan", ("Ctrl+Alt+B",),
                       enabled=lambda: self._selected_item() is not None),
        ]  # fmt: skip
