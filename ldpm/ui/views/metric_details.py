"""The chosen metric's evaluation plan as a form: what it measures and how (tier, Kirkpatrick
level, LTEM tier, unit, direction, source, owner, cadence), its baseline and target with their
dates, the groups for a difference-in-differences, and its links to backlog items, releases and
key results.

Fields are declared on the shared :class:`~ldpm.ui.forms.FormBinder` and laid out on a
:class:`~ldpm.ui.views.form_page.FormPage`; the links are checkable lists
(:class:`~ldpm.ui.models.links.LinksModel`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from ldpm.domain.entities import Metric
from ldpm.domain.enums import Cadence, Direction, MetricTier
from ldpm.domain.metrics import target_side_problem, tier_conflict
from ldpm.services import metrics as svc
from ldpm.services.commands import Command
from ldpm.ui.forms import EditFn, FormBinder, RunFn
from ldpm.ui.models.links import LinkRow, LinksModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.form_page import EmptyState, FormPage
from ldpm.ui.widgets import set_role


def _tr(text: str) -> str:
    return QCoreApplication.translate("MetricDetails", text)


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


class MetricDetails(QWidget):
    """The form of one metric (see the module docstring)."""

    def __init__(
        self,
        runner: OperationRunner,
        edit: EditFn,
        run: RunFn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.shown: Metric | None = None
        self._segments = QStringListModel(self)
        self.binder = FormBinder(self, edit=edit, run=run, current=lambda: self.shown)
        self.editors = self.binder.editors
        self.empty = EmptyState(
            _tr("No metric chosen"),
            _tr(
                "Choose a metric in the evaluation plan, or add one: a behaviour metric for "
                "what people should do differently and a business metric for the KPI."
            ),
            self,
        )
        self.form = FormPage(self.empty, self)
        self.form.column_widget.setObjectName("metricDetails")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.items_model = LinksModel(runner, self._toggle_item, self)
        self.releases_model = LinksModel(runner, self._toggle_release, self)
        self.key_results_model = LinksModel(runner, self._toggle_key_result, self)
        self._build()

    # ---------------------------------------------------------------- building
    def _segment_line(self, field: str, placeholder: str) -> QLineEdit:
        edit = self.binder.line_field(field, placeholder)
        completer = QCompleter(self._segments, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        return edit

    def _build(self) -> None:
        form, binder = self.form, self.binder
        box, layout = form.section(_tr("What it measures"))
        rows = [
            [form.labelled(_tr("Name"), binder.line_field("name"), box)],
            [
                form.labelled(_tr("Tier"), binder.choice_field("tier", MetricTier), box),
                form.labelled(
                    _tr("Kirkpatrick level (1–4)"), binder.number_field("kirkpatrick"), box
                ),
                form.labelled(_tr("LTEM tier (1–8)"), binder.number_field("ltem"), box),
            ],
            [
                form.labelled(_tr("Unit"), binder.line_field("unit", _tr("e.g. %, minutes")), box),
                form.labelled(_tr("Should"), binder.choice_field("direction", Direction), box),
                form.labelled(_tr("Measured"), binder.choice_field("cadence", Cadence), box),
            ],
            [
                form.labelled(
                    _tr("Source"),
                    binder.line_field("source", _tr("Where the numbers come from")),
                    box,
                ),
                form.labelled(
                    _tr("Owner"), binder.line_field("owner", _tr("Who reports it")), box
                ),
            ],
            [
                form.labelled(
                    _tr("Measured on (segment)"),
                    self._segment_line("segment", _tr("Everyone")),
                    box,
                )
            ],
        ]
        layout.addWidget(form.grid(box, rows))
        layout.addWidget(form.labelled(_tr("Description"), binder.text_field("description"), box))
        self.tier_hint = QLabel(box)
        self.tier_hint.setWordWrap(True)
        self.tier_hint.setAccessibleName(_tr("Does the tier match the levels?"))
        set_role(self.tier_hint, "warning")
        layout.addWidget(self.tier_hint)
        form.claim(
            ["name", "tier", "kirkpatrick", "ltem", "unit", "direction", "cadence", "source",
             "owner", "segment", "description"],
            box,
        )  # fmt: skip

        box, layout = form.section(
            _tr("Baseline and target"),
            _tr("Where it started, where it should be, and by when."),
        )
        rows = [
            [
                form.labelled(_tr("Baseline"), binder.number_field("baseline"), box),
                form.labelled(_tr("Baseline date"), binder.date_field("baseline_date"), box),
            ],
            [
                form.labelled(_tr("Target"), binder.number_field("target"), box),
                form.labelled(_tr("Target date"), binder.date_field("target_date"), box),
            ],
        ]
        layout.addWidget(form.grid(box, rows))
        self.target_hint = QLabel(box)
        self.target_hint.setWordWrap(True)
        set_role(self.target_hint, "warning")
        layout.addWidget(self.target_hint)
        form.claim(["baseline", "baseline_date", "target", "target_date"], box)

        box, layout = form.section(
            _tr("Comparison group"),
            _tr(
                "For a difference-in-differences: the segment that got the change (blank for "
                "everyone) and the one marked as the comparison, which did not."
            ),
        )
        rows = [
            [
                form.labelled(
                    _tr("Got the change"),
                    self._segment_line("treated_segment", _tr("Everyone")),
                    box,
                ),
                form.labelled(
                    _tr("Comparison group"),
                    self._segment_line("comparison_segment", _tr("None")),
                    box,
                ),
            ]
        ]
        layout.addWidget(form.grid(box, rows))
        form.claim(["treated_segment", "comparison_segment"], box)

        box, layout = form.section(
            _tr("Links"),
            _tr("The backlog items and releases meant to move this metric, and the key "
                "results it measures."),
        )  # fmt: skip
        self.link_views: dict[str, QListView] = {}
        lists = []
        for key, title, model in (
            ("items", _tr("Backlog items"), self.items_model),
            ("releases", _tr("Releases"), self.releases_model),
            ("key_results", _tr("Key results"), self.key_results_model),
        ):
            view = QListView(box)
            view.setObjectName(f"links_{key}")
            view.setModel(model)
            view.setMinimumHeight(view.fontMetrics().lineSpacing() * 5)
            self.link_views[key] = view
            lists.append(form.labelled(title, view, box))
        layout.addWidget(form.grid(box, [lists]))
        form.claim(["links"], box)
        form.finish()
        form.apply_font_metrics()

    # ----------------------------------------------------------------- showing
    def show_metric(
        self, metric: Metric | None, segments: list[str], links: svc.LinkChoices | None
    ) -> None:
        changed = (metric.id if metric else None) != (self.shown.id if self.shown else None)
        self.shown = metric
        if metric is None:
            self.form.show_form(False)
            return
        if changed:
            self.form.hide_messages()
            self.form.to_top()
        self.form.show_form(True)
        if segments != self._segments.stringList():
            self._segments.setStringList(segments)
        self.binder.show(None, force=changed)
        conflict = tier_conflict(metric)
        self.tier_hint.setText("⚠ " + _domain(conflict) if conflict else "")
        self.tier_hint.setVisible(bool(conflict))
        side = target_side_problem(metric)
        self.target_hint.setText("⚠ " + _domain(side) if side else "")
        self.target_hint.setVisible(bool(side))
        if links is not None:
            self._show_links(metric, links)

    def _show_links(self, metric: Metric, links: svc.LinkChoices) -> None:
        self.items_model.set_rows(
            [LinkRow(i, title, i in links.linked_items) for i, title in links.items]
        )
        self.releases_model.set_rows(
            [LinkRow(i, name, i in links.linked_releases) for i, name in links.releases]
        )
        rows = []
        for i, title, metric_id in links.key_results:
            text = title
            if metric_id is not None and metric_id != metric.id:
                text += " " + _tr("(measured by another metric)")
            rows.append(LinkRow(i, text, metric_id == metric.id))
        self.key_results_model.set_rows(rows)

    def show_failure(self, sentence: str, origin: QObject | None) -> bool:
        """Show a refusal in the section it belongs to; False if it is not this form's."""
        named: Callable[[QObject], str | None] = lambda o: (  # noqa: E731
            "links"
            if o in (self.items_model, self.releases_model, self.key_results_model)
            else None
        )
        line = self.form.message_for_origin(origin, named)
        if line is None:
            return False
        self.form.show_message(line, sentence)
        return True

    # ------------------------------------------------------------------- links
    def _toggle_item(self, item_id: str, checked: bool) -> Command | None:
        if self.shown is None:
            return None
        return svc.set_link(self.runner.project, self.shown.id, item_id=item_id, linked=checked)

    def _toggle_release(self, release_id: str, checked: bool) -> Command | None:
        if self.shown is None:
            return None
        return svc.set_link(
            self.runner.project, self.shown.id, release_id=release_id, linked=checked
        )

    def _toggle_key_result(self, key_result_id: str, checked: bool) -> Command | None:
        if self.shown is None:
            return None
        return svc.set_key_result_metric(key_result_id, self.shown.id if checked else None)


def whole(value: Any) -> Any:
    """A typed level (Kirkpatrick, LTEM) as a whole number; a fraction becomes NaN, which the
    metric's rule refuses with a sentence."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else float("nan")
    return value
