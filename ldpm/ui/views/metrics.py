"""Metrics & Impact: the evaluation plan, measurements, the impact chart, before/after and the
stories, for one initiative.

Two pages under one banner:

* **Impact** — the date to compare at (a release, an experiment or another date), the chart
  (three tiers on one date axis), before/after per metric, and the stories beside them;
* **Evaluation plan** — the metrics as a table (tier, unit, direction, baseline, target, date,
  cadence, latest value, progress, status), the chosen metric's measurements (typed in a row at
  a time or pasted from a spreadsheet) and its form (every field and its links).

The banner says when the initiative measures only activity (the vanity check) and offers the
suggested ladder up to a behaviour and a business metric in one action; otherwise it repeats
the evaluation plan's health warnings.  Choosing a metric anywhere (the plan, the before/after
table) shows it on both pages and in its tier's chart panel.

The pages are :class:`~ldpm.ui.views.impact_page.ImpactPage` and
:class:`~ldpm.ui.views.evaluation_plan.EvaluationPlanPage`; what an edit of a metric becomes,
a plan row and the banner's message are worked out in :mod:`ldpm.ui.views.metrics_plan`.

Everything the view shows comes from one read of :func:`ldpm.services.metrics.impact`; an edit
of measurements re-reads only that metric's lines (see :meth:`MetricsView.apply`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import (
    BacklogItem,
    Experiment,
    Initiative,
    KeyResult,
    Measurement,
    Metric,
    MetricLink,
    Objective,
    Release,
    Segment,
    Story,
)
from ldpm.domain.enums import MetricTier
from ldpm.domain.impact import Line
from ldpm.domain.metrics import (
    missing_due,
    vanity_ladder,
)
from ldpm.services import metrics as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import AddEntity, Command
from ldpm.ui.actions import ActionSpec
from ldpm.ui.models.metrics import (
    BeforeAfterModel,
    BeforeAfterRow,
    MeasurementsModel,
    MetricRow,
    PlanModel,
)
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.evaluation_plan import EvaluationPlanPage
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.impact_page import STORIES_SHARE, ImpactPage
from ldpm.ui.views.metric_panels import Banner, TargetQuestion, share
from ldpm.ui.views.metrics_plan import banner, metric_edit, new_metric, plan_row
from ldpm.ui.views.stories_panel import StoriesPanel

#: Up to this many measurements changed at once, only their metrics' lines are read again.
_PARTIAL_UP_TO = 2_000
IMPACT, PLAN = range(2)


class MetricsView(InitiativeView):
    """See the module docstring."""

    title = "Metrics && Impact"  # translated in the "views" context
    watches = frozenset(
        {Initiative, Metric, Measurement, MetricLink, Story, Experiment, Release, KeyResult,
         Objective, BacklogItem, Segment}
    )  # fmt: skip
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("metrics")
        self.impact: svc.Impact | None = None
        self.selected: str | None = None
        self.chosen: dict[MetricTier, str] = {}
        self._rows: list[MetricRow] = []
        self._ba_rows: list[BeforeAfterRow] = []
        #: Lines already read, by metric id, until their measurements change (switching back
        #: to an initiative does not read 100,000 measurements again).
        self._lines: dict[str, dict[str, Line]] = {}
        self._shown_initiative: str | None = None
        self.plan_model = PlanModel(runner, self._cell_edit, lambda: self._rows, self)
        self.measurements_model = MeasurementsModel(runner, self)
        self.before_after_model = BeforeAfterModel(runner, lambda: self._ba_rows, self)

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left, or start a new one: its "
                "evaluation plan, measurements, impact chart and stories are here."
            ),
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_state)
        content = QWidget(self.stack)
        self.content = content
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner(content)
        self.banner.button.clicked.connect(self._banner_action)
        column.addWidget(self.banner)
        self.question = TargetQuestion(self.run, content)
        column.addWidget(self.question)
        self.pages = QTabWidget(content)
        self.pages.setDocumentMode(True)
        self.pages.setAccessibleName(self.tr("Metrics pages"))
        column.addWidget(self.pages, 1)

        self.stories = StoriesPanel(runner, self.run, self)
        self.impact_page = ImpactPage(self.before_after_model, self.stories, self)
        self.impact_page.date_changed.connect(self._show_before_after)
        self.impact_page.metric_chosen.connect(self.select_metric)
        self.pages.addTab(self.impact_page, self.tr("Impact"))
        self.pages.addTab(self._build_plan(), self.tr("Evaluation Plan"))
        self.pages.currentChanged.connect(self._page_changed)
        self.stack.setCurrentWidget(self.empty_state)
        self._shared: set[int] = set()
        #: The plan page's measurements and form wait to be read until it is shown.
        self._plan_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._share_panes()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Larger text (the projector): share the panes out again, the chart first.
            self._shared.clear()
            self._share_panes()

    def _share_panes(self) -> None:
        """First sizes of the panes (the user's own sizes stand afterwards)."""
        for splitter, fractions in (
            (self.impact_page.splitter, STORIES_SHARE),
            (self.plan_page, (0.36, 0.64)),
            (self.plan_bottom, (0.5, 0.5)),
        ):
            length = (
                splitter.width()
                if splitter.orientation() == Qt.Orientation.Horizontal
                else splitter.height()
            )
            if id(splitter) not in self._shared and splitter.isVisible() and length > 0:
                self._shared.add(id(splitter))
                share(splitter, fractions)

    # ---------------------------------------------------------------- building
    def _build_plan(self) -> QWidget:
        page = EvaluationPlanPage(
            self.runner,
            self.plan_model,
            self.measurements_model,
            edit=self._field_edit,
            run=self.run,
            new_metric=self.new_metric,
            delete_metric=self.delete_metric,
            parent=self,
        )
        self.plan_page = page
        self.plan_proxy, self.plan_table = page.proxy, page.table
        self.new_button, self.delete_button = page.new_button, page.delete_button
        self.plan_bottom, self.measurements, self.details = (
            page.bottom,
            page.measurements,
            page.details,
        )
        self.plan_table.selectionModel().currentRowChanged.connect(self._plan_row)
        self.measurements.paste_requested.connect(self.paste_measurements)
        return page

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    # ------------------------------------------------------------------ reads
    @property
    def today(self) -> date:
        return self.impact.today if self.impact is not None else svc.today()

    def metric_of(self, metric_id: str | None) -> Metric | None:
        if self.impact is None or metric_id is None:
            return None
        return self.impact.metric(metric_id)

    def reload(self) -> None:
        if self.initiative_id is None:
            self.impact = None
            self.stack.setCurrentWidget(self.empty_state)
            self.stories.show_for(None, None, [], [], [])
            return
        self.impact = svc.impact(self.project, self.initiative_id, known=self._lines)
        if self.impact is not None:
            self._lines.update(self.impact.lines)
        if self.impact is None:
            self.stack.setCurrentWidget(self.empty_state)
            return
        self.stack.setCurrentWidget(self.content)
        fresh = self._shown_initiative != self.initiative_id
        if fresh:
            self.selected = None
            self.chosen = {}
            self.question.hide()
            self.measurements.cancel_paste()
        self._shown_initiative = self.initiative_id
        self._show(keep_view=not fresh)

    def apply(self, record: ChangeRecord) -> None:
        """Measurements: re-read only the lines of the metrics they belong to; stories: the
        stories only; anything else: everything (lines are re-read only if measurements
        changed)."""
        if record.everything or self.impact is None:
            self.reload()
            return
        if record.kinds <= {"story"}:
            self.stories.refresh()
            return
        if record.kinds <= {"measurement"} and len(record.ids) <= _PARTIAL_UP_TO:
            changed = svc.metrics_of_measurements(self.project, record.ids)
            if changed <= set(self.impact.lines):  # this initiative's metrics only
                for metric_id in changed:
                    lines = svc.metric_lines(self.project, metric_id)
                    self.impact.lines[metric_id] = self._lines[metric_id] = lines
                    metric = self.metric_of(metric_id)
                    if metric is not None:
                        self.impact.missing[metric_id] = missing_due(
                            metric, self.impact.due_days(metric_id), self.today
                        )
                self._show(keep_view=True)
                return
        if record.touches(Measurement):
            self._lines.clear()
        self.reload()

    def _on_changed(self, record: ChangeRecord) -> None:
        """Before the base class applies ``record`` (or, hidden, only marks the view stale):
        forget the cached lines whose measurements may have changed.  While the view is shown,
        :meth:`apply` updates the cache itself (it knows which metric changed)."""
        if record.everything or (
            record.touches(Measurement) and (self.stale or not self.isVisible())
        ):
            self._lines.clear()
        super()._on_changed(record)

    # ---------------------------------------------------------------- showing
    def _show(self, *, keep_view: bool) -> None:
        data = self.impact
        assert data is not None
        self._rows = [plan_row(data, m) for m in data.metrics]
        self.plan_model.reload()
        ids = [m.id for m in data.metrics]
        if self.selected not in ids:
            # The first impact metric (behaviour, then business), not an operational one.
            impact = [m.id for m in data.metrics if m.tier is not MetricTier.OPERATIONAL]
            first = impact or ids
            self.selected = first[0] if first else None
        self._select_row(self.selected)
        self._show_banner()
        self._show_selected()
        self.impact_page.set_events(data.events, self.today)
        self._show_before_after()
        self._draw(keep_view=keep_view)
        self.delete_button.setEnabled(self.selected is not None)
        if self.isVisible():
            # Lay out what changed size (the banner, the before/after table) now: otherwise
            # the chart is painted at its old height first and again at its new one.
            for _ in range(2):  # a child's new size may ask its parent to lay out again
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _show_banner(self) -> None:
        assert self.impact is not None
        text, button = banner(self.impact)
        self.banner.say(text, "warning", button)

    def _banner_action(self) -> None:
        if self.impact is not None and not self.impact.metrics:
            self.new_metric(MetricTier.BEHAVIOUR)
        else:
            self.add_ladder()

    def _show_selected(self) -> None:
        data = self.impact
        assert data is not None
        metric = self.metric_of(self.selected)
        if self.pages.currentIndex() == PLAN:
            self._show_plan_of(metric)
        else:
            self._plan_stale = True  # read when the plan page is shown
        self.stories.show_for(
            data.initiative.id, metric, data.metrics, data.experiments, data.releases
        )

    def _show_plan_of(self, metric: Metric | None) -> None:
        """The chosen metric's measurements and form (on the plan page)."""
        data = self.impact
        assert data is not None
        self._plan_stale = False
        self.measurements_model.set_metric(metric, data.today)
        missing = data.missing.get(metric.id, []) if metric is not None else []
        self.measurements.show_metric(metric, missing, data.segments)
        links = (
            svc.link_choices(self.project, data.initiative.id, metric.id)
            if metric is not None
            else None
        )
        self.details.show_metric(metric, data.segments, links)

    def _show_before_after(self) -> None:
        data = self.impact
        if data is None:
            return
        on, event = self.impact_page.chosen()
        if on is None:
            self._ba_rows = []
        else:
            results = svc.before_after_all(data, on, event)
            self._ba_rows = [
                BeforeAfterRow(m, r) for m, r in zip(data.metrics, results, strict=True)
            ]
        self.before_after_model.reload()

    def _draw(self, *, keep_view: bool) -> None:
        data = self.impact
        if data is None:
            return
        if self.impact_page.chart is None and self.pages.currentIndex() != IMPACT:
            return  # built when the page is first shown
        from ldpm.ui import impact_data

        chart = self.impact_page.ensure_chart()
        chart.set_data(
            impact_data.panels(data, self.chosen), impact_data.markers(data), keep_view=keep_view
        )

    def _page_changed(self, index: int) -> None:
        self._share_panes()
        if index == PLAN and self._plan_stale and self.impact is not None:
            self._show_plan_of(self.metric_of(self.selected))
        if index == IMPACT and self.impact is not None and self.impact_page.chart is None:
            self._draw(keep_view=False)

    # --------------------------------------------------------------- choosing
    def _select_row(self, metric_id: str | None) -> None:
        self.plan_page.select_row(metric_id)

    def _plan_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        source = self.plan_proxy.mapToSource(current)
        metric = self.plan_model.metric_at(source.row())
        if metric is not None:
            self.select_metric(metric.id)

    def select_metric(self, metric_id: str) -> None:
        """Show ``metric_id`` on both pages and in its tier's chart panel."""
        metric = self.metric_of(metric_id)
        if metric is None:
            return
        changed = metric_id != self.selected
        self.selected = metric_id
        self.chosen[metric.tier] = metric_id
        self._select_row(metric_id)
        if changed:
            self.measurements.cancel_paste()
            self.measurements.date_edit.setValue(None)
            self._show_selected()
        self._draw(keep_view=True)
        self.delete_button.setEnabled(True)

    # ------------------------------------------------------------------ edits
    def _field_edit(self, field: str, value: Any, typing: bool) -> Command | None:
        metric = self.metric_of(self.selected)
        return None if metric is None else self.metric_edit(metric, field, value, typing=typing)

    def _cell_edit(self, metric: Metric, field: str, value: Any) -> Command | None:
        return self.metric_edit(metric, field, value)

    def metric_edit(
        self, metric: Metric, field: str, value: Any, *, typing: bool = False
    ) -> Command | None:
        """The command for one edited field; None (and a question) when the edit would put the
        target on the wrong side of the baseline: nothing is written until the user says."""
        return metric_edit(metric, field, value, self.question.ask, typing=typing)

    def new_metric(self, tier: MetricTier | None = None) -> None:
        if self.initiative_id is None:
            return
        metrics = self.impact.metrics if self.impact else []
        command = new_metric(self.project, self.initiative_id, tier, metrics)
        if self.run(command, self.plan_table):
            self.pages.setCurrentIndex(PLAN)
            self.select_metric(command.entity.id)
            index = self.plan_page.index_of(command.entity.id)
            self.plan_table.setCurrentIndex(index)
            self.plan_table.edit(index)

    def delete_metric(self) -> None:
        if self.selected is not None:
            self.run(svc.delete_metric(self.project, self.selected), self.plan_table)

    def add_ladder(self) -> None:
        if self.initiative_id is None:
            return
        command = svc.add_ladder(self.project, self.initiative_id)
        if command is not None and self.run(command, self.banner):
            first = command.parts[0]
            assert isinstance(first, AddEntity)
            self.pages.setCurrentIndex(PLAN)
            self.select_metric(first.entity.id)

    def paste_measurements(self) -> None:
        if self.selected is None:
            return
        self.pages.setCurrentIndex(PLAN)
        self.measurements.paste()

    def focus_entry(self) -> None:
        if self.selected is None:
            return
        self.pages.setCurrentIndex(PLAN)
        self.measurements.value_edit.setFocus()

    def export_chart(self, path: Path, kind: str) -> Path:
        self.pages.setCurrentIndex(IMPACT)
        self._draw(keep_view=True)
        return self.impact_page.export(path, kind)

    def _export_dialog(self, kind: str) -> None:
        if self.impact is None:
            return
        self.pages.setCurrentIndex(IMPACT)
        self._draw(keep_view=True)
        self.impact_page.export_dialog(kind)

    # ---------------------------------------------------------------- failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        """A refusal goes where it happened: the story form, the metric form, the
        measurements, or else the banner."""
        if _inside(self.stories, origin) and self.stories.show_failure(sentence, origin):
            return
        if _inside(self.measurements, origin) or origin is self.measurements_model:
            self.measurements.say(sentence)
            return
        if origin is not self.plan_model and self.details.show_failure(sentence, origin):
            return
        if origin is self.plan_model:
            return  # the plan table says it beside the cell
        self.banner.say("⚠ " + sentence, "warning")

    # ----------------------------------------------------------------- actions
    def view_actions(self) -> list[ActionSpec]:
        has = lambda: self.initiative_id is not None  # noqa: E731
        chosen = lambda: self.selected is not None  # noqa: E731
        vanity = lambda: (  # noqa: E731
            self.impact is not None
            and vanity_ladder(self.impact.initiative, self.impact.metrics) is not None
        )
        return [
            ActionSpec("new_metric", "New &Metric", "initiative", self.new_metric, "metrics",
                       ("Ctrl+Shift+M",), "Add a metric to the evaluation plan", enabled=has),
            ActionSpec("delete_metric", "Delete Metric", "initiative", self.delete_metric,
                       "metrics", tip="Delete the chosen metric (undo brings it back)",
                       enabled=chosen),
            ActionSpec("add_measurement", "Add Measure&ment", "initiative", self.focus_entry,
                       "metrics", ("Ctrl+Shift+D",), "Type the next measurement of the chosen "
                       "metric", enabled=chosen),
            ActionSpec("paste_measurements", "&Paste Measurements", "initiative",
                       self.paste_measurements, "metrics", ("Ctrl+Shift+V",),
                       "Paste rows of date and value from a spreadsheet", enabled=chosen),
            ActionSpec("add_ladder", "Add the Suggested Metrics", "initiative", self.add_ladder,
                       "metrics", tip="Add a behaviour and a business metric above the "
                       "operational ones", enabled=vanity),
            ActionSpec("new_story", "New S&tory", "initiative", self.stories.add, "metrics",
                       tip="Add a success or non-success case", enabled=has),
            ActionSpec("export_png", "Export Chart as P&NG…", "file",
                       lambda: self._export_dialog("png"), "export",
                       tip="Save the impact chart as an image", enabled=has),
            ActionSpec("export_svg", "Export Chart as S&VG…", "file",
                       lambda: self._export_dialog("svg"), "export",
                       tip="Save the impact chart as a drawing that scales", enabled=has),
        ]  # fmt: skip


def _inside(widget: QWidget, origin: QObject | None) -> bool:
    """Whether ``origin`` is ``widget``, one of its widgets, or one of its models."""
    node = origin
    while node is not None:
        if node is widget:
            return True
        node = node.parent()
    return False
