"""Overview & intake: the "why" of one initiative, as one scrolling form.

Sections: the initiative (name, owner, sponsor, stage), the original request (with the
solution the requester proposed), the six intake questions (who already does it well becomes
subject-matter experts in one step), why people aren't doing it (causes, and the routing of
what is not a training problem), the problem statement and its measurable parts, the triage
decision (see :mod:`ldpm.ui.views.overview_triage`), the audience and its segments, the
desired outcome, and objectives with key results.

The fields are declared with the shared :class:`~ldpm.ui.forms.FormBinder` (commands through
the runner, echo-free refresh, the wheel guard) and laid out on a
:class:`~ldpm.ui.views.form_page.FormPage`; the segments table and the objectives tree are the
shared table and tree views on declared-column models.  As every
:class:`~ldpm.ui.views.base.InitiativeView`, it refreshes only when shown, and a refused edit
is explained in the section where it happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import (
    Initiative,
    InitiativeCause,
    KeyResult,
    Objective,
    Person,
    Segment,
)
from ldpm.domain.problem import check_problem_statement
from ldpm.services import initiatives, triage
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.ui.forms import FormBinder
from ldpm.ui.labels import label
from ldpm.ui.models.causes import CausesModel
from ldpm.ui.models.objectives import ObjectivesModel
from ldpm.ui.models.segments import NAME, SegmentsModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState, FormPage
from ldpm.ui.views.overview_sections import PEOPLE_FIELDS, OverviewSections
from ldpm.ui.views.overview_triage import TriageSections
from ldpm.ui.widgets import fit_table_height, fit_tree_height, set_role


def _domain(text: str) -> str:
    """Translate a sentence that comes from the (Qt-free) domain layer."""
    return QCoreApplication.translate("domain", text)


class OverviewView(OverviewSections, TriageSections, InitiativeView):
    """The Overview & intake form of one initiative."""

    title = "Overview && Intake"  # translated in the "views" context
    watches = frozenset({Initiative, InitiativeCause, Segment, Objective, KeyResult, Person})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("overview")
        self._initiative: Initiative | None = None
        self._names = QStringListModel(self)
        self.binder = FormBinder(
            self, edit=self._command, run=self._run_for, current=lambda: self._initiative
        )
        #: Field name -> its editor, for every field of the initiative (tests use it too).
        self.editors = self.binder.editors
        # The models follow this view, not every change record: a hidden view stays still.
        self.segments_model = SegmentsModel(runner, self)
        self.objectives_model = ObjectivesModel(runner, self)
        self.causes_model = CausesModel(runner, self)
        for model in (self.segments_model, self.objectives_model, self.causes_model):
            model.set_following(False)

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left, or start a new one: its "
                "intake, problem statement and objectives are filled in here."
            ),
            self,
        )
        self.empty_hint = self.empty_state.hint
        self.form = FormPage(self.empty_state, self)
        self.form.column_widget.setObjectName("overviewPage")
        self.scroll_area = self.form.scroll_area
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self._build_form()

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        """The window's actions: the empty state offers New Initiative."""
        self.empty_state.set_action(actions.get("new_initiative"))

    # ================================================================== public
    @property
    def _id(self) -> str | None:
        return self.initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        """Show ``initiative_id`` (or the empty state for None), from the top."""
        changed = initiative_id != self.initiative_id
        super().set_initiative(initiative_id)
        if changed:
            self.form.hide_messages()
            self.form.to_top()

    def reload(self) -> None:
        self._initiative = None
        self.segments_model.set_initiative(self._id)
        self.objectives_model.set_initiative(self._id)
        self.causes_model.set_initiative(self._id)
        if self._id is None:
            self.form.show_form(False)
            return
        self._refresh_names()
        self._load(None, force=True)

    def apply(self, record: ChangeRecord) -> None:
        if record.everything or self._id is None:
            self.reload()
            return
        if record.touches(InitiativeCause):
            self.causes_model.reload()
        if record.touches(Initiative, self._id):
            only = None if record.structure else set(record.fields)
            self._load(only, force=only is not None)
        elif record.touches(InitiativeCause) and self._initiative is not None:
            self._show_triage(self._initiative)
        if record.touches(Person) or (
            record.touches(Initiative)
            and (record.structure or (record.fields & PEOPLE_FIELDS))
            and self._id not in record.ids
        ):
            self._refresh_names()
        if record.touches(Segment):
            self.segments_model.reload()
        if record.touches(Objective) or record.touches(KeyResult):
            self.objectives_model.reload()
            self._fit_objectives()

    # ============================================================ construction
    def _build_form(self) -> None:
        column = self.form.column
        self.title_label = QLabel(self.form.column_widget)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.title_label, "h1")
        self.subtitle_label = QLabel(self.form.column_widget)
        self.subtitle_label.setWordWrap(True)
        set_role(self.subtitle_label, "muted")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.subtitle_label)
        column.addLayout(heading)
        for build in (
            self._basics_section,
            self._request_section,
            self._intake_section,
            self._causes_section,
            self._problem_section,
            self._triage_section,
            self._audience_section,
            self._outcome_section,
            self._objectives_section,
        ):
            build()
        self.form.finish()
        self.form.apply_font_metrics()

    # ================================================================ commits
    def _command(self, field: str, value: Any, typing: bool) -> Command | None:
        if self._id is None:
            return None
        if field == "triage":  # a decision, under the triage rules
            return triage.set_triage(self._id, value)
        return initiatives.edit_initiative(
            self.runner.project, self._id, {field: value}, typing=typing
        )

    def _run_for(self, command: Command, origin: QObject) -> bool:
        ok = self.run(command, origin=origin)
        if ok and (line := self.form.message_for_origin(origin, self._field_of)) is not None:
            line.hide()
        return ok

    def _run(self, command: Command, field: str) -> bool:
        """Run ``command`` for a collection of the form; a refusal goes to its section."""
        origin = self.form.message_for(field)
        return self._run_for(command, origin or self)

    # ------------------------------------------------------------ collections
    def _add_segment(self) -> None:
        if self._id is None:
            return
        command = initiatives.add_segment(self.runner.project, self._id, self.tr("New segment"))
        if self._run(command, "segments"):
            row = self.segments_model.row_of(command.entity.id)
            index = self.segments_model.index(row, NAME)
            self.segments_view.setCurrentIndex(index)
            self.segments_view.edit(index)

    def _remove_segment(self) -> None:
        index = self.segments_view.currentIndex()
        if not index.isValid():
            return
        segment = self.segments_model.segment(index.row())
        self._run(initiatives.delete_segment(segment.id), "segments")

    def _add_objective(self) -> None:
        if self._id is None:
            return
        command = initiatives.add_objective(
            self.runner.project, self._id, self.tr("New objective")
        )
        if self._run(command, "objectives"):
            self._edit_new_okr(command.entity.id)

    def _add_key_result(self) -> None:
        objective = self.objectives_model.objective_of(self.objectives_view.currentIndex())
        if objective is None:
            return
        command = initiatives.add_key_result(
            self.runner.project, objective.id, self.tr("New key result")
        )
        if self._run(command, "objectives"):
            self._edit_new_okr(command.entity.id)

    def _edit_new_okr(self, entity_id: str) -> None:
        index = self.objectives_model.index_of(entity_id)
        if index.isValid():
            self.objectives_view.setCurrentIndex(index)
            self.objectives_view.scrollTo(index)
            self.objectives_view.edit(index)

    def _remove_okr(self) -> None:
        item = self.objectives_model.item(self.objectives_view.currentIndex())
        if isinstance(item, Objective):
            self._run(initiatives.delete_objective(item.id), "objectives")
        elif isinstance(item, KeyResult):
            self._run(initiatives.delete_key_result(item.id), "objectives")

    def _update_buttons(self, *_args: object) -> None:
        self.remove_segment_button.setEnabled(self.segments_view.currentIndex().isValid())
        current = self.objectives_view.currentIndex()
        self.add_key_result_button.setEnabled(current.isValid())
        self.remove_okr_button.setEnabled(current.isValid())

    def _objectives_reset(self) -> None:
        self.objectives_view.expandAll()
        self._fit_objectives()
        self._update_buttons()

    def _fit_segments(self) -> None:
        fit_table_height(self.segments_view, min_rows=3, max_rows=10)
        self._update_buttons()

    def _fit_objectives(self) -> None:
        model = self.objectives_model
        rows = sum(1 + model.rowCount(model.index(r, 0)) for r in range(model.rowCount()))
        fit_tree_height(self.objectives_view, rows, min_rows=4, max_rows=16)

    # ================================================================ failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        target = self.form.message_for_origin(origin, self._field_of)
        if target is not None:
            self.form.show_message(target, sentence)

    def _field_of(self, origin: QObject) -> str | None:
        if origin is self.segments_model:
            return "segments"
        if origin is self.objectives_model:
            return "objectives"
        if origin is self.causes_model:
            return "causes"
        return None

    # ================================================================ showing
    def _refresh_names(self) -> None:
        names = initiatives.list_people_names(self.runner.project, exclude_initiative=self._id)
        if names != self._names.stringList():
            self._names.setStringList(names)

    def _load(self, fields: set[str] | None, *, force: bool) -> None:
        """Re-read the initiative and update the editors of ``fields`` (all if None).  Without
        ``force`` a number the user is busy typing is left alone."""
        assert self._id is not None
        self._initiative = initiatives.get_initiative(self.runner.project, self._id)
        if self._initiative is None:  # deleted (undo brings it back through the same path)
            self.form.show_form(False)
            return
        self.form.show_form(True)
        self.binder.show(fields, force=force)
        self._show_derived(self._initiative)

    def _show_derived(self, initiative: Initiative) -> None:
        """The heading, the causes and triage lines and the measurability indicator."""
        self.title_label.setText(initiative.name)
        parts = [label(initiative.stage), label(initiative.triage)]
        if initiative.owner.strip():
            parts.append(self.tr("Owner: {name}").format(name=initiative.owner))
        if initiative.sponsor.strip():
            parts.append(self.tr("Sponsor: {name}").format(name=initiative.sponsor))
        self.subtitle_label.setText(" · ".join(parts))

        self._show_triage(initiative)

        check = check_problem_statement(initiative)
        summary = _domain(check.summary())
        if check.measurable:
            self.measurability_label.setText("✓ " + summary)
            set_role(self.measurability_label, "ok")
        else:
            self.measurability_label.setText("⚠ " + summary)
            set_role(self.measurability_label, "warning")

    # ================================================================= sizing
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_routing()
            self._fit_segments()
            self._fit_objectives()
