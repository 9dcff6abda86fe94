"""Experiments (Trojan mice): a board with one column per state — planned, running, deciding,
decided — and the chosen experiment's form.

A card moves by its dates and decision (:mod:`ldpm.domain.experiments`): dragging it to
"running" starts it today, to "deciding" stops it today, to "decided" asks which decision
(amplify, iterate or drop).  The form holds the hypothesis, the change, the audience, the
metric with the pilot and comparison groups and the value to pass, the dates, the cost, the
result (computed from the metric's measurements where it can be, or entered) and the decision,
and lists the stories told about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QStringListModel, Qt
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Experiment, Measurement, Metric, Segment, Story
from ldpm.domain.enums import Decision, ExperimentState
from ldpm.services import experiments as svc
from ldpm.services import metrics as metric_svc
from ldpm.services import stories as story_svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.services.experiments import Card
from ldpm.ui.actions import ActionSpec
from ldpm.ui.forms import FormBinder
from ldpm.ui.labels import label
from ldpm.ui.models.experiments import CardsModel, StateFilter, computed_text, state_label
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.experiment_board import DECISIONS, BoardColumn
from ldpm.ui.views.form_page import EmptyState, FormPage
from ldpm.ui.views.metric_panels import share
from ldpm.ui.widgets import EllipsisCombo, guard_wheel, set_role

#: The board's lanes are at least this many average characters wide beside the form.
LANE_CHARS = 16


class ExperimentsView(InitiativeView):
    """See the module docstring."""

    title = "Experiments"  # translated in the "views" context
    watches = frozenset({Experiment, Metric, Measurement, Story, Segment})
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("experiments")
        self.card: Card | None = None
        self.model = CardsModel(runner, self)
        self.filters = {state: StateFilter(state, self) for state in ExperimentState}
        for proxy in self.filters.values():
            proxy.setSourceModel(self.model)
        self._segments = QStringListModel(self)
        self._metrics: list[Metric] = []

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left: its Trojan mice — small, "
                "cheap experiments on a real problem — are planned and decided here."
            ),
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_state)
        self.content = QWidget(self.stack)
        self.stack.addWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        hint = QLabel(
            self.tr(
                "Trojan mice: small, cheap experiments on a real problem. Measure, report "
                "back, then amplify what works and drop what does not. Drag a card to move it."
            ),
            self.content,
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.new_button = QPushButton(self.tr("New Experiment"), self.content)
        self.new_button.setAccessibleName(self.tr("New experiment"))
        self.new_button.clicked.connect(self.new_experiment)
        top.addWidget(hint, 1)
        top.addWidget(self.new_button)
        column.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self.content)
        board = QWidget(self.splitter)
        lanes = QHBoxLayout(board)
        lanes.setContentsMargins(0, 0, 0, 0)
        self.columns: dict[ExperimentState, BoardColumn] = {}
        self.headers: dict[ExperimentState, QLabel] = {}
        for state in ExperimentState:
            lane = QVBoxLayout()
            header = QLabel(state_label(state), board)
            set_role(header, "h2")
            view = BoardColumn(state, board)
            view.setModel(self.filters[state])
            view.setAccessibleName(state_label(state))
            header.setBuddy(view)
            view.moved.connect(self.move_experiment)
            view.selectionModel().currentChanged.connect(
                lambda current, _p, v=view: self._card_chosen(v, current)
            )
            lane.addWidget(header)
            lane.addWidget(view, 1)
            lanes.addLayout(lane, 1)
            self.columns[state] = view
            self.headers[state] = header
        self.splitter.addWidget(board)
        self.splitter.addWidget(self._build_form())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        column.addWidget(self.splitter, 1)
        self.stack.setCurrentWidget(self.empty_state)
        self._shared = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrange()
        if not self._shared and self.splitter.width() > 0:
            self._shared = True
            share(self.splitter, self._fractions())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        font_change = event.type() == QEvent.Type.FontChange
        if font_change and self.splitter.width() > 0 and not self._arrange():
            # Another text size: the board keeps its lanes readable.
            share(self.splitter, self._fractions(wider_board=True))

    def _fractions(self, *, wider_board: bool = False) -> tuple[float, float]:
        if self.splitter.orientation() == Qt.Orientation.Vertical:
            return (0.55, 0.45)
        return (0.6, 0.4) if wider_board else (0.56, 0.44)

    def _arrange(self) -> bool:
        """The form beside the board while each lane can be :data:`LANE_CHARS` characters
        wide, below it otherwise (large text on a low screen): a card's words are never cut
        off.  True when the orientation changed."""
        width = self.width()  # the content fills the view (it may be hidden, not laid out)
        if width <= 0:
            return False
        lanes = len(self.columns) * self.fontMetrics().averageCharWidth() * LANE_CHARS
        wanted = Qt.Orientation.Horizontal if width * 0.56 >= lanes else Qt.Orientation.Vertical
        if wanted == self.splitter.orientation():
            return False
        self.splitter.setOrientation(wanted)
        share(self.splitter, self._fractions())
        return True

    # ---------------------------------------------------------------- the form
    def _build_form(self) -> QWidget:
        self.binder = FormBinder(self, edit=self._edit, run=self.run, current=self._current)
        self.editors = self.binder.editors
        empty = EmptyState(
            self.tr("No experiment chosen"),
            self.tr(
                "Choose a card, or start a new experiment: a hypothesis, the change, who "
                "gets it, the metric and what counts as a pass."
            ),
        )
        empty.set_action(None)
        self.form = FormPage(empty, self.content)
        form, binder = self.form, self.binder
        box, layout = form.section(self.tr("The experiment"))
        layout.addWidget(form.labelled(self.tr("Title"), binder.line_field("title"), box))
        layout.addWidget(
            form.labelled(
                self.tr("Hypothesis"),
                binder.text_field("hypothesis", self.tr("If we … then … because …")),
                box,
            )
        )
        layout.addWidget(form.labelled(self.tr("The change"), binder.text_field("change"), box))
        layout.addWidget(form.labelled(self.tr("Audience"), binder.line_field("audience"), box))
        form.claim(["title", "hypothesis", "change", "audience"], box)

        box, layout = form.section(
            self.tr("How it is measured"),
            self.tr(
                "The metric, the segment the pilot group's measurements carry, a comparison "
                "group that did not get the change, and the value that counts as a pass."
            ),
        )
        self.metric_combo = EllipsisCombo(box)
        self.metric_combo.setObjectName("metric_id")
        guard_wheel(self.metric_combo)
        self.metric_combo.activated.connect(self._commit_metric)
        rows = [
            [form.labelled(self.tr("Metric"), self.metric_combo, box)],
            [
                form.labelled(self.tr("Pilot group (segment)"), self._segment("segment"), box),
                form.labelled(
                    self.tr("Comparison group"), self._segment("comparison_segment"), box
                ),
            ],
            [
                form.labelled(
                    self.tr("Pass value"),
                    binder.number_field("pass_value", self.tr("The metric reaches …")),
                    box,
                ),
                form.labelled(
                    self.tr("Cost"), binder.number_field("cost", self.tr("Spent on it")), box
                ),
            ],
        ]
        layout.addWidget(form.grid(box, rows))
        layout.addWidget(
            form.labelled(self.tr("Pass criterion"), binder.text_field("pass_criterion"), box)
        )
        form.claim(
            ["metric_id", "segment", "comparison_segment", "pass_value", "cost",
             "pass_criterion"],
            box,
        )  # fmt: skip

        box, layout = form.section(self.tr("Result and decision"))
        layout.addWidget(
            form.grid(
                box,
                [[form.labelled(self.tr("Start"), binder.date_field("start"), box),
                  form.labelled(self.tr("End"), binder.date_field("end"), box)]],
            )
        )  # fmt: skip
        self.computed = QLabel(box)
        self.computed.setWordWrap(True)
        self.computed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.computed.setAccessibleName(self.tr("Result computed from the metric"))
        layout.addWidget(self.computed)
        layout.addWidget(
            form.labelled(
                self.tr("Result (as reported)"),
                binder.text_field("result", self.tr("What happened, in numbers and words")),
                box,
            )
        )
        layout.addWidget(
            form.labelled(self.tr("Decision"), binder.choice_field("decision", Decision), box)
        )
        self.stories_label = QLabel(box)
        self.stories_label.setWordWrap(True)
        self.stories_label.setAccessibleName(self.tr("Stories about this experiment"))
        layout.addWidget(self.stories_label)
        form.claim(["start", "end", "result", "decision"], box)
        form.finish()
        form.apply_font_metrics()
        return form

    def _segment(self, field: str) -> QLineEdit:
        edit = self.binder.line_field(field, self.tr("Everyone"))
        completer = QCompleter(self._segments, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setCompleter(completer)
        return edit

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    # ------------------------------------------------------------------ reading
    def _current(self) -> Experiment | None:
        return self.card.experiment if self.card is not None else None

    def reload(self) -> None:
        if self.initiative_id is None:
            self.stack.setCurrentWidget(self.empty_state)
            self.model.set_loader(None)
            self._show_card(None)
            return
        self.stack.setCurrentWidget(self.content)
        project, initiative = self.project, self.initiative_id
        self._metrics = metric_svc.list_metrics(project, initiative)
        self._segments.setStringList(metric_svc.segment_names(project, initiative))
        blocked = self.metric_combo.blockSignals(True)
        try:
            self.metric_combo.clear()
            self.metric_combo.addItem(self.tr("— no metric —"), None)
            for m in self._metrics:
                self.metric_combo.addItem(f"{m.name} ({label(m.tier)})", m.id)
        finally:
            self.metric_combo.blockSignals(blocked)
        self.model.set_loader(lambda: svc.board(project, initiative))
        self._after_load()

    def apply(self, record: ChangeRecord) -> None:
        if record.everything or record.touches(Metric) or record.touches(Segment):
            self.reload()
            return
        self.model.reload()
        self._after_load()

    def _after_load(self) -> None:
        for state, header in self.headers.items():
            count = self.filters[state].rowCount()
            header.setText(f"{state_label(state)} ({count})")
        chosen = self.card.id if self.card is not None else None
        cards = self.model.rows()
        card = next((c for c in cards if c.id == chosen), cards[0] if cards else None)
        self._show_card(card)

    # ------------------------------------------------------------------ showing
    def _card_chosen(self, view: BoardColumn, current: QModelIndex) -> None:
        if not current.isValid():
            return
        for other in self.columns.values():
            if other is not view:
                other.clearSelection()
        source = self.filters[view.lane_state].mapToSource(current)
        self._show_card(self.model.row_at(source.row()))

    def _show_card(self, card: Card | None) -> None:
        changed = (card.id if card else None) != (self.card.id if self.card else None)
        self.card = card
        self.form.show_form(card is not None)
        if card is None:
            return
        if changed:
            self.form.hide_messages()
        self.binder.show(None, force=changed)
        index = self.metric_combo.findData(card.experiment.metric_id)
        blocked = self.metric_combo.blockSignals(True)
        try:
            self.metric_combo.setCurrentIndex(max(0, index))
        finally:
            self.metric_combo.blockSignals(blocked)
        self.computed.setText(computed_text(card))
        set_role(self.computed, "ok" if card.result and card.result.passed else "muted")
        stories = story_svc.list_stories(
            self.project, card.experiment.initiative_id, experiment_id=card.id
        )
        if stories:
            lines = [self.tr("Stories about it:")] + [
                f"• {label(s.kind)}: {s.title}" for s in stories
            ]
            self.stories_label.setText("\n".join(lines))
        else:
            self.stories_label.setText(
                self.tr("No stories yet: add them in Metrics & Impact, linked to this experiment.")
            )
        self._select(card.id)

    def _select(self, experiment_id: str) -> None:
        row = self.model.row_of(experiment_id)
        if row < 0:
            return
        card = self.model.row_at(row)
        assert card is not None
        view = self.columns[card.state]
        index = self.filters[card.state].mapFromSource(self.model.index(row, 0))
        if index.isValid() and view.currentIndex() != index:
            blocked = view.selectionModel().blockSignals(True)
            try:
                view.setCurrentIndex(index)
            finally:
                view.selectionModel().blockSignals(blocked)

    # -------------------------------------------------------------------- edits
    def _edit(self, field: str, value: Any, typing: bool) -> Command | None:
        if self.card is None:
            return None
        return svc.edit_experiment(self.card.id, {field: value}, typing=typing)

    def _commit_metric(self, _index: int) -> None:
        if self.card is None:
            return
        value = self.metric_combo.currentData()
        if value != self.card.experiment.metric_id:
            self.run(svc.edit_experiment(self.card.id, {"metric_id": value}), self.metric_combo)

    def new_experiment(self) -> None:
        if self.initiative_id is None:
            return
        command = svc.add_experiment(self.project, self.initiative_id, self.tr("New Trojan mouse"))
        if self.run(command, self.new_button):
            row = self.model.row_of(command.entity.id)
            card = self.model.row_at(row) if row >= 0 else None
            self._show_card(card)
            title = self.editors["title"]
            title.setFocus()
            if isinstance(title, QLineEdit):
                title.selectAll()

    def delete_experiment(self) -> None:
        if self.card is not None:
            self.run(svc.delete_experiment(self.project, self.card.id), self.new_button)

    def move_experiment(
        self,
        experiment_id: str,
        state: ExperimentState,
        where: QPoint | None = None,
        decision: Decision | None = None,
    ) -> bool:
        """Put an experiment in the column of ``state`` (a drop, or a menu command); to
        "decided" without a ``decision``, a menu at ``where`` asks which."""
        row = self.model.row_of(experiment_id)
        card = self.model.row_at(row) if row >= 0 else None
        if card is None:
            return False
        if state is ExperimentState.DECIDED and decision is None:
            menu = QMenu(self)
            for choice in DECISIONS:
                action = menu.addAction(label(choice))
                action.setData(choice.value)
            picked = menu.exec(where or self.mapToGlobal(self.rect().center()))
            if picked is None:
                return False
            decision = Decision(picked.data())
        command = svc.move(card.experiment, state, decision=decision)
        if command is None:
            self.show_failure(
                self.tr("“{title}” has started, so it cannot go back to planned.").format(
                    title=card.experiment.title
                )
                if state is ExperimentState.PLANNED
                else self.tr("“{title}” is there already.").format(title=card.experiment.title),
                None,
            )
            return False
        return self.run(command, self.columns[state])

    # ----------------------------------------------------------------- failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        line = self.form.message_for_origin(origin) or (
            self.form.sections[-1][1] if self.form.sections else None
        )
        if line is not None and self.card is not None:
            self.form.show_message(line, sentence)

    # ------------------------------------------------------------------ actions
    def _moving(self, state: ExperimentState, decision: Decision | None = None) -> None:
        if self.card is not None:
            self.move_experiment(self.card.id, state, decision=decision)

    def view_actions(self) -> list[ActionSpec]:
        has = lambda: self.initiative_id is not None  # noqa: E731
        chosen = lambda: self.card is not None  # noqa: E731
        return [
            ActionSpec("new_experiment", "New &Experiment", "initiative", self.new_experiment,
                       "experiments", ("Ctrl+Shift+E",), "Plan a Trojan-mouse experiment",
                       enabled=has),
            ActionSpec("start_experiment", "&Start Experiment Today", "initiative",
                       lambda: self._moving(ExperimentState.RUNNING), "experiments",
                       tip="Start the chosen experiment today", enabled=chosen),
            ActionSpec("stop_experiment", "S&top Experiment Today", "initiative",
                       lambda: self._moving(ExperimentState.DECIDING), "experiments",
                       tip="End the chosen experiment today: it waits for a decision",
                       enabled=chosen),
            *(
                ActionSpec(f"decide_{d.value}", text, "initiative",
                           partial(self._moving, ExperimentState.DECIDED, d),
                           "experiments", tip="Record the decision on the chosen experiment",
                           enabled=chosen)
                for d, text in (
                    (Decision.AMPLIFY, "Decide: &Amplify"),
                    (Decision.ITERATE, "Decide: &Iterate"),
                    (Decision.DROP, "Decide: &Drop"),
                )
            ),
            ActionSpec("delete_experiment", "Delete Experiment", "initiative",
                       self.delete_experiment, "experiments",
                       tip="Delete the chosen experiment (undo brings it back)",
                       enabled=chosen),
        ]  # fmt: skip
