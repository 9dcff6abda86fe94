"""The sections of the Overview & intake form, as declarations on the form page.

Kept apart from :mod:`ldpm.ui.views.overview` (the view's behaviour) so that each reads in
one sitting; :class:`OverviewSections` is mixed into
:class:`~ldpm.ui.views.overview.OverviewView` and uses its ``form`` (the page), ``binder`` (the
fields) and models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.enums import Stage
from ldpm.ui.table_view import DataTableView, DataTreeView

if TYPE_CHECKING:
    from ldpm.ui.forms import FormBinder
    from ldpm.ui.models.objectives import ObjectivesModel
    from ldpm.ui.models.segments import SegmentsModel
    from ldpm.ui.views.form_page import FormPage


def _tr(text: str) -> str:
    """Translated in the view's context, as its own ``tr`` would."""
    return QCoreApplication.translate("OverviewView", text)


#: Fields that take a person's name (offered from the workspace's people).
PEOPLE_FIELDS = frozenset({"owner", "sponsor", "requested_by"})


class OverviewSections:
    """The Overview's sections (see the module docstring)."""

    form: FormPage
    binder: FormBinder
    segments_model: SegmentsModel
    objectives_model: ObjectivesModel
    _names: QStringListModel

    def _person_or_line(self, field: str, placeholder: str = "") -> QLineEdit:
        """A one-line field; people's fields offer the workspace's names as you type."""
        edit = self.binder.line_field(field, placeholder)
        if field in PEOPLE_FIELDS:
            completer = QCompleter(self._names, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        return edit

    # ---------------------------------------------------------------- sections
    def _basics_section(self) -> QGroupBox:
        box, layout = self.form.section(_tr("Initiative"))
        name = self.form.labelled(_tr("Name"), self._person_or_line("name"), box)
        owner = self.form.labelled(
            _tr("Owner"), self._person_or_line("owner", _tr("Who in L&D runs it")), box
        )
        sponsor = self.form.labelled(
            _tr("Sponsor"),
            self._person_or_line("sponsor", _tr("Who in the business backs it")),
            box,
        )
        stage = self.form.labelled(_tr("Stage"), self.binder.choice_field("stage", Stage), box)
        spacer = QWidget(box)
        layout.addWidget(self.form.grid(box, [[name], [owner, sponsor], [stage, spacer]]))
        self.form.claim(["name", "owner", "sponsor", "stage"], box)
        return box

    def _request_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Original request"),
            _tr("What the business asked for, in its own words."),
        )
        request = self.form.labelled(
            _tr("Request"),
            self.binder.text_field("request", _tr("In the requester's own words")),
            box,
        )
        by = self.form.labelled(
            _tr("Requested by"),
            self._person_or_line("requested_by", _tr("Name")),
            box,
        )
        on = self.form.labelled(_tr("Requested on"), self.binder.date_field("requested_on"), box)
        solution = self.form.labelled(
            _tr("Solution they proposed"),
            self._person_or_line("requested_solution", _tr("What they asked for, e.g. a class")),
            box,
        )
        layout.addWidget(self.form.grid(box, [[request], [solution], [by, on]]))
        self.form.claim(["request", "requested_by", "requested_on", "requested_solution"], box)
        return box

    def _intake_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Intake"),
            _tr(
                "A training request is a hypothesis, not an order. Ask these questions before "
                "choosing a solution."
            ),
        )
        questions = (
            ("intake_problem", _tr("What exactly is the problem?")),
            ("intake_who", _tr("Who exactly needs help?")),
            ("intake_optimal", _tr("What would optimal performance look like?")),
            ("intake_measure", _tr("How would we measure it?")),
            ("intake_exemplars", _tr("Who already does it well?")),
            ("intake_form", _tr("What form and length would fit how the team works?")),
        )
        for field, question in questions:
            layout.addWidget(self.form.labelled(question, self.binder.text_field(field), box))
            if field == "intake_exemplars":
                self._exemplars_tools(box, layout)
        self.form.claim([f for f, _q in questions], box)
        return box

    def _problem_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Problem statement"),
            _tr(
                "Who does what, shown by which metric, from what baseline to what target, by when."
            ),
        )
        statement = self.form.labelled(
            _tr("Problem statement"),
            self.binder.text_field(
                "problem_statement",
                _tr(
                    "Who does what today, shown by which number, and what it should become by when"
                ),
                min_lines=3,
            ),
            box,
        )
        segment = self.form.labelled(
            _tr("Segment (who)"),
            self._person_or_line("problem_segment", _tr("Which people")),
            box,
        )
        behaviour = self.form.labelled(
            _tr("Behaviour (does what)"),
            self._person_or_line("problem_behaviour", _tr("What they do (or fail to do)")),
            box,
        )
        metric = self.form.labelled(
            _tr("Metric"),
            self._person_or_line("problem_metric", _tr("What you count")),
            box,
        )
        unit = self.form.labelled(
            _tr("Unit"),
            self._person_or_line("problem_unit", _tr("e.g. per month, %")),
            box,
        )
        baseline = self.form.labelled(
            _tr("Baseline"),
            self.binder.number_field("problem_baseline", _tr("Today")),
            box,
        )
        target = self.form.labelled(
            _tr("Target"), self.binder.number_field("problem_target", _tr("Goal")), box
        )
        by = self.form.labelled(_tr("By (date)"), self.binder.date_field("problem_date"), box)
        layout.addWidget(statement)
        layout.addWidget(
            self.form.grid(box, [[segment, behaviour], [metric, unit], [baseline, target, by]])
        )
        self.measurability_label = QLabel(box)
        self.measurability_label.setWordWrap(True)
        self.measurability_label.setTextFormat(Qt.TextFormat.PlainText)
        self.measurability_label.setAccessibleName(_tr("Is the problem statement measurable?"))
        layout.addWidget(self.measurability_label)
        self.form.claim(
            [
                "problem_statement",
                "problem_segment",
                "problem_behaviour",
                "problem_metric",
                "problem_unit",
                "problem_baseline",
                "problem_target",
                "problem_date",
            ],
            box,
        )
        return box

    def _audience_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Audience"),
            _tr("Who exactly needs help, and which segments are most affected."),
        )
        layout.addWidget(
            self.form.labelled(_tr("Target audience"), self.binder.text_field("audience"), box)
        )
        # The shared table: Tab moves cell to cell, columns size to their content, a refused
        # value is explained in this section's message line.
        self.segments_view = DataTableView(box)
        self.segments_view.setObjectName("segments")
        self.segments_view.setModel(self.segments_model)
        self.segments_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.segments_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.segments_view.set_message_label(self.form.sections[-1][1])
        layout.addWidget(self.form.labelled(_tr("Segments"), self.segments_view, box))

        buttons = QHBoxLayout()
        self.add_segment_button = QPushButton(_tr("Add segment"), box)
        self.add_segment_button.setAccessibleName(_tr("Add segment"))
        self.add_segment_button.clicked.connect(self._add_segment)
        self.remove_segment_button = QPushButton(_tr("Remove segment"), box)
        self.remove_segment_button.setAccessibleName(_tr("Remove segment"))
        self.remove_segment_button.setToolTip(
            _tr("Remove the selected segment. Undo brings it back.")
        )
        self.remove_segment_button.clicked.connect(self._remove_segment)
        buttons.addWidget(self.add_segment_button)
        buttons.addWidget(self.remove_segment_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.segments_view.selectionModel().currentChanged.connect(self._update_buttons)
        for signal in (
            self.segments_model.modelReset,
            self.segments_model.rowsInserted,
            self.segments_model.rowsRemoved,
        ):
            signal.connect(self._fit_segments)
        self.form.claim(["audience", "segments"], box)
        return box

    def _outcome_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Desired outcome"),
            _tr("What the business will see when this works, in its own numbers."),
        )
        layout.addWidget(
            self.form.labelled(
                _tr("Desired outcome"),
                self.binder.text_field(
                    "outcome",
                    _tr("What the business will see, in its own numbers"),
                ),
                box,
            )
        )
        self.form.claim(["outcome"], box)
        return box

    def _objectives_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Objectives and key results"),
            _tr(
                "Objectives say what should change; key results say how you will know, each "
                "with a baseline, a target and a date."
            ),
        )
        tree = DataTreeView(box)
        tree.setObjectName("objectives")
        tree.setModel(self.objectives_model)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.set_message_label(self.form.sections[-1][1])
        self.objectives_view = tree
        layout.addWidget(self.form.labelled(_tr("Objectives"), tree, box))

        buttons = QHBoxLayout()
        self.add_objective_button = QPushButton(_tr("Add objective"), box)
        self.add_objective_button.setAccessibleName(_tr("Add objective"))
        self.add_objective_button.clicked.connect(self._add_objective)
        self.add_key_result_button = QPushButton(_tr("Add key result"), box)
        self.add_key_result_button.setAccessibleName(_tr("Add key result"))
        self.add_key_result_button.setToolTip(_tr("Add a key result to the selected objective"))
        self.add_key_result_button.clicked.connect(self._add_key_result)
        self.remove_okr_button = QPushButton(_tr("Remove"), box)
        self.remove_okr_button.setAccessibleName(_tr("Remove objective or key result"))
        self.remove_okr_button.setToolTip(
            _tr(
                "Remove the selected objective (with its key results) or key result. "
                "Undo brings it back."
            )
        )
        self.remove_okr_button.clicked.connect(self._remove_okr)
        for button in (
            self.add_objective_button,
            self.add_key_result_button,
            self.remove_okr_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        tree.selectionModel().currentChanged.connect(self._update_buttons)
        self.objectives_model.modelReset.connect(self._objectives_reset)
        self.form.claim(["objectives"], box)
        return box

    if TYPE_CHECKING:  # the view's handlers the sections connect to

        def _add_segment(self) -> None: ...
        def _remove_segment(self) -> None: ...
        def _add_objective(self) -> None: ...
        def _add_key_result(self) -> None: ...
        def _remove_okr(self) -> None: ...
        def _update_buttons(self, *_args: object) -> None: ...
        def _fit_segments(self) -> None: ...
        def _objectives_reset(self) -> None: ...
        def _exemplars_tools(self, box: QGroupBox, layout: QVBoxLayout) -> None: ...
