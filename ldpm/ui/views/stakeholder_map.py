"""The stakeholder map: the power/interest grid on the card canvas, live in a workshop.

Every stakeholder of the initiative is a card (see :mod:`ldpm.ui.views.map_scene`): where
their power and interest put them, coloured by support, with their kind, their engagement now
and wanted, and a mark when a key player drifts; people who share a rating sit side by side in
its cell.  Names are the canvas's labels, laid out so that none overlaps another.

* **Drag** a card (or several) to another cell: power and interest change, one undo step per
  drag; arrow keys move one rating at a time.  A card dropped in its own cell snaps back.
* **Filter** by kind, support, department or words (the register's filter bar); **zoom**
  with Ctrl+wheel or + and −, **fit** with 0.
* **Record Assessment** snapshots everyone's position with a date and a label (a bar above the
  map, no dialog).  **Compare** two dates (or a date and now): cards stand where they were at
  the later one, dashed ghosts where they were at the earlier one, with arrows; a key player
  whose support or engagement dropped gets a red arrow and the "!" mark.
* **Workshop mode** leaves only the map and the comparison: no editing chrome, nothing
  private (the map never shows notes at all), and the window's menu bar, tab rows, portfolio
  and status bar step aside (:mod:`ldpm.ui.views.map_workshop`) until Esc, Ctrl+Shift+W or
  the button ends it ("Esc to leave workshop mode" says so).  **Export** the map as PNG or
  SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QAction, QFontInfo, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.drift import Movement, Reading
from ldpm.domain.entities import Initiative, Stakeholder
from ldpm.domain.enums import StakeholderKind
from ldpm.domain.power_grid import place
from ldpm.domain.stakeholder_filter import StakeholderFilter
from ldpm.services import assessments, initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.navigation import ShowEntity
from ldpm.services.stakeholders import StakeRow
from ldpm.ui.actions import ActionSpec
from ldpm.ui.canvas import CardMove
from ldpm.ui.models.stakeholders import WATCHED
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views import map_export, map_texts
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.map_badge import set_badges
from ldpm.ui.views.map_bars import CompareBar, RecordBar
from ldpm.ui.views.map_canvas import MapCanvas
from ldpm.ui.views.map_moves import MovesItem, moves_between
from ldpm.ui.views.map_scene import (
    Geometry,
    Legend,
    MapCard,
    badge_infos,
    card_specs,
    draw_backdrop,
    geometry,
    legend_rows,
)
from ldpm.ui.views.map_workshop import Alone
from ldpm.ui.views.stakeholder_filter_bar import FilterBar
from ldpm.ui.widgets import format_date, set_role


class StakeholderMapView(InitiativeView):
    """The map (see the module docstring)."""

    title = "Stakeholder Map"  # translated in the "views" context
    area = "Stakeholders"
    watches = frozenset(WATCHED) | frozenset({Initiative})
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("stakeholderMap")
        self.rows: list[StakeRow] = []
        self.shown: list[StakeRow] = []
        self.movements: dict[str, Movement] = {}
        #: The rows on the map and where they stand on it (the later date of a comparison).
        self._by_id: dict[str, StakeRow] = {}
        self._readings: dict[str, Reading] = {}
        self.workshop = False
        self.today = date.today
        self._initiative_name = ""

        self.empty = EmptyState(
            self.tr("No initiative chosen"),
            self.tr("Choose an initiative in the portfolio to see its stakeholders on the map."),
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        page = QWidget(self.stack)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        column = QVBoxLayout(page)

        self.filters = FilterBar(page)
        self.filters.changed.connect(lambda _f: self._show())
        column.addWidget(self.filters)
        self.alone = Alone(self)
        self.leave_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.leave_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.leave_shortcut.activated.connect(lambda: self.set_workshop(False))
        self.leave_shortcut.setEnabled(False)
        self.compare_bar = CompareBar(page)
        self.compare_bar.changed.connect(self._show)
        self.record_button = self.compare_bar.record_button
        self.record_button.clicked.connect(self.open_record_bar)
        self.fit_button = self.compare_bar.fit_button
        self.workshop_button = self.compare_bar.workshop_button
        self.workshop_button.toggled.connect(self.set_workshop)
        self.workshop_hint = self.compare_bar.workshop_hint
        self.compare = self.compare_bar.compare
        self.compare_from = self.compare_bar.compare_from
        self.compare_to = self.compare_bar.compare_to
        column.addWidget(self.compare_bar)
        self.record_bar = RecordBar(page)
        self.record_bar.record.connect(self.record_assessment)
        self.record_bar.cancel.clicked.connect(self.close_record_bar)
        self.record_date, self.record_label = self.record_bar.date, self.record_bar.label
        self.record_message = self.record_bar.message
        column.addWidget(self.record_bar)

        self.canvas = MapCanvas(page)
        self.canvas.setObjectName("stakeholderCanvas")
        self.canvas.setAccessibleName(self.tr("Stakeholder map"))
        self.legend = Legend()
        self.geo: Geometry = geometry(14)
        #: Where the canvas lays labels out, and the ghosts they keep off.
        self._label_area: tuple[QRectF, list[QRectF]] | None = None
        self._set_geometry()
        self.canvas.cards_moved.connect(self._cards_moved)
        self.canvas.cards_dragging.connect(self._dragging)
        self.canvas.card_activated.connect(self._activated)
        self.canvas.labels_laid_out.connect(lambda *_a: self._update_status())
        self.canvas.appearance_changed.connect(self._restyle)
        self.fit_button.clicked.connect(self.canvas.fit_to_view)
        self.moves = MovesItem(self.canvas.scene(), self.canvas.colours, self._move_tip)
        self.canvas.tooltip = self._tooltip
        self.canvas.description = self._description
        column.addWidget(self.canvas, 1)
        self.status = QLabel(page)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("About the map"))
        set_role(self.status, "muted")
        column.addWidget(self.status)
        self._readout = ""

    def _set_geometry(self) -> bool:
        """Fit the map's geometry to the canvas's text size and the legend; True if it
        changed."""
        px = QFontInfo(self.canvas.font()).pixelSize()
        geo = geometry(px, legend_rows(self.canvas, px, self.legend))
        if geo == self.geo and not self.canvas.plane().isEmpty() and self._geometry_set:
            return False
        self.geo = geo
        self._geometry_set = True
        self.canvas.set_plane(geo.plane, margin=10)
        self.canvas.set_nudge_step(geo.grid.cell_width, geo.grid.cell_height)
        return True

    _geometry_set = False

    # ================================================================= actions
    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty.set_action(actions.get("new_initiative"))

    def view_actions(self) -> list[ActionSpec]:
        chosen = lambda: self.initiative_id is not None  # noqa: E731
        return [
            ActionSpec(
                "record_assessment",
                "&Record Assessment…",
                "initiative",
                self.open_record_bar,
                "stakeholders",
                ("Ctrl+Alt+R",),
                "Keep where everyone stands, with a date and a label",
                enabled=chosen,
            ),
            ActionSpec(
                "export_map_png",
                "Export Map as &PNG…",
                "file",
                lambda: self.export("png"),
                "export",
                tip="Save the stakeholder map as a picture",
                enabled=chosen,
            ),
            ActionSpec(
                "export_map_svg",
                "Export Map as S&VG…",
                "file",
                lambda: self.export("svg"),
                "export",
                tip="Save the stakeholder map as a drawing that scales",
                enabled=chosen,
            ),
            ActionSpec(
                "workshop_mode",
                "Enter or Leave &Workshop Mode",
                "view",
                self.workshop_button.toggle,
                "workshop",
                ("Ctrl+Shift+W",),
                "Only the map: no editing chrome, nothing private",
            ),
            ActionSpec(
                "fit_map",
                "&Fit Map to Window",
                "view",
                self.canvas.fit_to_view,
                "workshop",
                tip="Show the whole map",
            ),
        ]

    # =================================================================== reads
    def reload(self) -> None:
        if self.initiative_id is None:
            self.stack.setCurrentWidget(self.empty)
            self.rows = []
            self._by_id, self._readings = {}, {}
            self.canvas.set_cards([])
            self.moves.clear()
            return
        self.stack.setCurrentIndex(1)
        initiative = initiatives.get_initiative(self.project, self.initiative_id)
        self._initiative_name = initiative.name if initiative else ""
        self.rows = svc.stake_rows(self.project, self.initiative_id, today=self.today())
        self.filters.set_departments(svc.departments(self.project))
        self._fill_dates()
        self._show()

    def apply(self, record: ChangeRecord) -> None:
        self.reload()

    def _fill_dates(self) -> None:
        assert self.initiative_id is not None
        found = assessments.list_snapshots(self.project, self.initiative_id)
        self.compare_bar.set_dates([(s.on, s.label) for s in found])

    def compare_dates(self, before: date, after: date | None) -> None:
        """Compare two dates (``after`` None: now), in one rebuild of the map."""
        self.compare_bar.choose(before, after)

    # ================================================================ showing
    def comparing(self) -> tuple[date | None, date | None] | None:
        """The two dates compared (None: now), or None when not comparing."""
        return self.compare_bar.comparing()

    def _show(self) -> None:
        """Cards (and ghosts) for the rows the filter lets through, with one label layout."""
        if self.initiative_id is None:
            return
        with self.canvas.batch():
            self._place_all(self.initiative_id)
        self._update_status()

    def _place_all(self, initiative_id: str) -> None:
        wanted: StakeholderFilter = self.filters.filter()
        self.shown = [r for r in self.rows if wanted.matches(r.stakeholder, r.person)]
        pair = self.comparing()
        before: Mapping[str, Reading] = {}
        after: Mapping[str, Reading] = {r.id: Reading.of(r.stakeholder) for r in self.shown}
        if pair is not None:
            if pair[1] is None:
                before = assessments.positions(self.project, initiative_id, pair[0])
            else:
                before, after = assessments.positions_on(self.project, initiative_id, pair)
        self.movements = {r.id: Movement(before.get(r.id), after.get(r.id)) for r in self.shown}
        visible = [r for r in self.shown if r.id in after]
        self._by_id = {r.id: r for r in visible}
        self._readings = {r.id: after[r.id] for r in visible}
        drifting = {
            r.id: (self.movements[r.id].drift if pair is not None else r.drift) is not None
            for r in visible
        }
        kinds = {r.stakeholder.kind for r in visible}
        self.legend = Legend(
            kinds=tuple(k for k in StakeholderKind if k in kinds),
            drift=any(drifting.values()),
            moves=pair is not None,
        )
        self._set_geometry()
        grid, card_size = self.geo.grid, self.geo.card
        spots = place(grid, [(r.id, *after[r.id].cell) for r in visible], card_size)
        movable = pair is None or pair[1] is None
        cards = [
            MapCard(r.id, r.name, r.stakeholder, after[r.id], drifting[r.id]) for r in visible
        ]
        self.canvas.set_cards(
            card_specs(cards, spots, card_size, self.canvas.colours(), movable=movable)
        )
        set_badges(self.canvas, badge_infos(cards))
        ghosts = self._show_moves(pair, before, visible)
        # Names keep off the ghosts too.  Unchanged, set_cards has just laid them out there.
        area = (QRectF(self.geo.label_area), ghosts)
        if area != self._label_area:
            self._label_area = area
            self.canvas.set_label_area(*area)
        self._draw_backdrop(pair)

    def _show_moves(
        self,
        pair: tuple[date | None, date | None] | None,
        before: Mapping[str, Reading],
        visible: Sequence[StakeRow],
    ) -> list[QRectF]:
        """Ghosts and arrows of who moved; returns the ghosts' rectangles."""
        if pair is None:
            self.moves.clear()
            return []
        grid, card_size = self.geo.grid, self.geo.card
        old = place(
            grid, [(r.id, *before[r.id].cell) for r in visible if r.id in before], card_size
        )
        now = {}
        for r in visible:
            card = self.canvas.item(r.id)
            if card is not None:
                now[r.id] = (card.spec.x, card.spec.y)
        self.moves.set_moves(moves_between(old, now, self.movements, card_size))
        return self.moves.ghosts()

    def _draw_backdrop(self, pair: tuple[date | None, date | None] | None) -> None:
        if pair is None:
            subtitle = self.tr("{day} · {n} stakeholders").format(
                day=format_date(self.today()), n=len(self.rows)
            )
        else:
            subtitle = self.tr("Who moved: {before} → {after}").format(
                before=self._when(pair[0]), after=self._when(pair[1])
            )
        draw_backdrop(self.canvas, self.geo, self._initiative_name, subtitle, self.legend)

    def _when(self, day: date | None) -> str:
        return map_texts.when(day)

    def _tooltip(self, card_id: str) -> str:
        row, reading = self._by_id.get(card_id), self._readings.get(card_id)
        if row is None or reading is None:
            return ""
        return map_texts.card_tooltip(row, reading)

    def _description(self, card_id: str) -> str:
        row, reading = self._by_id.get(card_id), self._readings.get(card_id)
        if row is None or reading is None:
            return ""
        return map_texts.card_description(row, reading)

    def _move_tip(self, card_id: str) -> str:
        row, movement = self._by_id.get(card_id), self.movements.get(card_id)
        if row is None or movement is None:
            return ""
        return map_texts.move_tip(row, movement)

    def _update_status(self) -> None:
        comparing = self.comparing() is not None
        moved = sum(m.moved for m in self.movements.values()) if comparing else None
        self.status.setText(
            self._readout
            or map_texts.status(
                len(self.rows),
                len(self.shown),
                moved,
                self.canvas.hidden_labels,
                hint=not self.workshop and not comparing,
            )
        )

    def _restyle(self) -> None:
        if not self.isVisible():
            self.stale = True  # redrawn in the new theme when shown
            return
        with self.canvas.batch():
            self._set_geometry()
            if self.initiative_id is not None and self.rows:
                self._show()
            else:
                self._draw_backdrop(None)
        self.moves.restyle()

    # ================================================================= moving
    def _cards_moved(self, moves: list[CardMove]) -> None:
        self._readout = ""
        by_id = {r.id: r for r in self.rows}
        changes = []
        for move in moves:
            row = by_id.get(move.id)
            if row is None:
                continue
            power, interest = self.geo.grid.rating_at(*move.new)
            s = row.stakeholder
            if (power, interest) != (s.power, s.interest):
                changes.append((row.id, power, interest))
        names = {r.id: r.person.name for r in self.rows}
        if changes:
            self.run(svc.move_on_grid(changes, names), origin=self.canvas)
        self._update_status()

    def _dragging(self, moves: list[CardMove]) -> None:
        if not moves:
            return
        by_id = {r.id: r for r in self.rows}
        move = moves[0]
        row = by_id.get(move.id)
        if row is None:
            return
        power, interest = self.geo.grid.rating_at(*move.new)
        self._readout = map_texts.dragging(row.name, power, interest, len(moves) - 1)
        self._update_status()

    def _activated(self, card_id: str) -> None:
        if not self.workshop:  # the register shows private notes: not on the big screen
            self.navigate_requested.emit(ShowEntity(Stakeholder, card_id))

    # ========================================================== assessments
    def open_record_bar(self) -> None:
        if self.initiative_id is None or self.workshop:
            return
        self.record_bar.open(self.today())

    def close_record_bar(self) -> None:
        self.record_bar.hide()
        self.canvas.setFocus()

    def record_assessment(self) -> None:
        if self.initiative_id is None:
            return
        command = assessments.record_assessment(
            self.project,
            self.initiative_id,
            self.record_date.value(),
            self.record_label.text(),
            today=self.today(),
        )
        if self.run(command, origin=self.record_message):
            self.record_label.clear()
            self.record_bar.hide()
            self.status.setText(self.tr("Assessment recorded: compare it with an earlier one."))

    # ============================================================== workshop
    def set_workshop(self, on: bool) -> None:
        """Only the map and the comparison (see the module docstring)."""
        if on and not self.isVisible():
            on = False  # a hidden map cannot fill the window
        self.workshop = on
        if self.workshop_button.isChecked() != on:
            self.workshop_button.setChecked(on)
        self.filters.setVisible(not on)
        self.record_button.setVisible(not on)
        self.workshop_hint.setVisible(on)
        self.leave_shortcut.setEnabled(on)
        if on:
            self.record_bar.hide()
            self.alone.enter()
            self.canvas.setFocus()
        else:
            self.alone.leave()
        self.canvas.fit_to_view()
        self._update_status()

    def hideEvent(self, event: QHideEvent) -> None:
        # Another tab, or the project closing: the window gets its chrome back.  (A window
        # minimised hides it too, spontaneously: the workshop goes on.)
        if self.workshop and not event.spontaneous():
            self.set_workshop(False)
        super().hideEvent(event)

    # ================================================================ export
    def export(self, kind: str) -> None:
        if self.initiative_id is not None:
            path = map_export.ask_where(self, self._initiative_name, kind)
            if path is not None:
                self.write(path, kind)

    def write(self, path: Path, kind: str) -> bool:
        """Write the map to ``path`` (``"png"`` or ``"svg"``); a failure is said below it."""
        problem = map_export.write(self.canvas, path, kind, self._initiative_name)
        if problem:
            self.show_failure(problem, self)
        return not problem

    # ============================================================== failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        if origin is self.record_message:
            self.record_message.setText("⚠ " + sentence)
            self.record_message.show()
            return
        self._readout = ""
        self.status.setText("⚠ " + sentence)
