"""Overview & intake: the "why" of one initiative, as one scrolling form.

Sections: the initiative (name, owner, sponsor, stage), the original request, the six intake
questions, the root cause (with where a non-knowledge problem goes), the problem statement and
its measurable parts, the audience and its segments, the desired outcome, and objectives with
key results.

How it stays honest:

- Every edit is a command from :mod:`ldpm.services.initiatives` run through the
  :class:`~ldpm.ui.operations.OperationRunner`.  Text commits as you type with
  ``typing=True``, so a burst of keystrokes in one field is one undo step; numbers and dates
  commit when editing finishes; combo boxes when the choice changes.
- The view refreshes only from ``runner.changed``.  It updates a widget only when the stored
  value differs from what the widget shows, so the field you are typing in keeps its cursor,
  and with signals blocked, so a refresh never becomes an edit.
- A failed edit (an unreadable number, an empty name) shows the runner's sentence in the
  section where it happened and the field goes back to the stored value.
"""

from __future__ import annotations

import math
from datetime import date
from enum import Enum
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Initiative, KeyResult, Objective, Person, Segment
from ldpm.domain.enums import RootCause, Stage
from ldpm.domain.problem import check_problem_statement, is_knowledge_problem, routing_hint
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.ui.labels import choices, label
from ldpm.ui.models.objectives import ObjectivesModel
from ldpm.ui.models.segments import NAME, SegmentsModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView, DataTreeView
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.widgets import (
    GrowingTextEdit,
    OptionalDateEdit,
    fit_table_height,
    fit_tree_height,
    format_number,
    parse_number,
    set_role,
)

#: Single-line text fields.
LINE_FIELDS = (
    "name",
    "owner",
    "sponsor",
    "requested_by",
    "routed_to",
    "problem_segment",
    "problem_behaviour",
    "problem_metric",
    "problem_unit",
)
#: Multi-line text fields.
TEXT_FIELDS = (
    "request",
    "intake_problem",
    "intake_who",
    "intake_optimal",
    "intake_measure",
    "intake_exemplars",
    "intake_form",
    "problem_statement",
    "audience",
    "outcome",
)
NUMBER_FIELDS = ("problem_baseline", "problem_target")
DATE_FIELDS = ("requested_on", "problem_date")
CHOICE_FIELDS = ("stage", "root_cause")
#: Fields that take a person's name (offered from the workspace's people).
PEOPLE_FIELDS = frozenset({"owner", "sponsor", "requested_by"})


def _domain(text: str) -> str:
    """Translate a sentence that comes from the (Qt-free) domain layer."""
    return QCoreApplication.translate("domain", text)


def _readable_width(widget: QWidget, chars: int) -> int:
    """A width of about ``chars`` average characters in the widget's current font."""
    return widget.fontMetrics().averageCharWidth() * chars


class OverviewView(InitiativeView):
    """The Overview & intake form of one initiative."""

    title = "Overview && Intake"  # translated in the "views" context
    watches = frozenset({Initiative, Segment, Objective, KeyResult, Person})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("overview")
        self._initiative: Initiative | None = None
        #: Field name -> its editor, for every field of the initiative (tests use it too).
        self.editors: dict[str, QWidget] = {}
        self._sections: list[tuple[QGroupBox, QLabel]] = []
        self._built = False
        self._field_section: dict[str, QLabel] = {}
        self._names = QStringListModel(self)
        self._enums: dict[str, type[Enum]] = {}

        self.segments_model = SegmentsModel(runner, self)
        self.objectives_model = ObjectivesModel(runner, self)

        self._stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self._empty = self._build_empty_state()
        self._stack.addWidget(self._empty)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._build_form())
        self._stack.addWidget(self.scroll_area)
        self._stack.setCurrentWidget(self._empty)

        self._built = True
        self._apply_font_metrics()

    # ================================================================== public
    @property
    def _id(self) -> str | None:
        return self.initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        """Show ``initiative_id`` (or the empty state for None), from the top."""
        changed = initiative_id != self.initiative_id
        super().set_initiative(initiative_id)
        if changed:
            for _box, message in self._sections:
                message.hide()
            self.scroll_area.verticalScrollBar().setValue(0)

    def reload(self) -> None:
        self._initiative = None
        self.segments_model.set_initiative(self._id)
        self.objectives_model.set_initiative(self._id)
        if self._id is None:
            self._stack.setCurrentWidget(self._empty)
            return
        self._refresh_names()
        self._load(None, force=True)

    # ============================================================ construction
    def _build_empty_state(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel(self.tr("No initiative chosen"), page)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(title, "h2")
        hint = QLabel(
            self.tr(
                "Choose an initiative on the left, or add one with Initiative ▸ New Initiative"
            ),
            page,
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.empty_hint = hint
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addStretch(2)
        return page

    def _build_form(self) -> QWidget:
        outer = QWidget()
        outer.setObjectName("overviewPage")
        row = QHBoxLayout(outer)
        row.addStretch(1)
        self._column = QWidget(outer)
        row.addWidget(self._column, 100)
        row.addStretch(1)
        column = QVBoxLayout(self._column)
        self._column_layout = column

        self.title_label = QLabel(self._column)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.title_label, "h1")
        self.subtitle_label = QLabel(self._column)
        self.subtitle_label.setWordWrap(True)
        set_role(self.subtitle_label, "muted")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.subtitle_label)
        column.addLayout(heading)

        column.addWidget(self._basics_section())
        column.addWidget(self._request_section())
        column.addWidget(self._intake_section())
        column.addWidget(self._root_cause_section())
        column.addWidget(self._problem_section())
        column.addWidget(self._audience_section())
        column.addWidget(self._outcome_section())
        column.addWidget(self._objectives_section())
        column.addStretch(1)
        # A failure's sentence shows at the end of its section, next to the fields.
        for box, message in self._sections:
            box_layout = box.layout()
            assert box_layout is not None
            box_layout.addWidget(message)
        return outer

    # ---------------------------------------------------------------- helpers
    def _section(self, title: str, intro: str = "") -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(title, self._column)
        box.setAccessibleName(title)
        layout = QVBoxLayout(box)
        layout.setSpacing(layout.spacing() * 2)
        if intro:
            text = QLabel(intro, box)
            text.setWordWrap(True)
            set_role(text, "muted")
            layout.addWidget(text)
        message = QLabel(box)
        message.setWordWrap(True)
        message.setAccessibleName(self.tr("Problem in “{section}”").format(section=title))
        set_role(message, "warning")
        message.hide()
        self._sections.append((box, message))
        return box, layout

    def _labelled(self, text: str, editor: QWidget, parent: QWidget) -> QWidget:
        """``editor`` under its buddy label; the label's text is also its accessible name."""
        holder = QWidget(parent)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(max(2, layout.spacing() // 2))
        caption = QLabel(text, holder)
        caption.setWordWrap(True)
        caption.setBuddy(editor)
        editor.setParent(holder)
        editor.setAccessibleName(caption.text().replace("&", ""))
        layout.addWidget(caption)
        layout.addWidget(editor)
        return holder

    def _line(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(partial(self._typed, field))
        edit.editingFinished.connect(partial(self._settle_text, field))
        if field in PEOPLE_FIELDS:
            completer = QCompleter(self._names, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        self.editors[field] = edit
        return edit

    def _text(self, field: str, placeholder: str = "", min_lines: int = 2) -> GrowingTextEdit:
        edit = GrowingTextEdit(min_lines=min_lines)
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(partial(self._typed_text, field))
        self.editors[field] = edit
        return edit

    def _number(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.editingFinished.connect(partial(self._commit_number, field))
        self.editors[field] = edit
        return edit

    def _date(self, field: str) -> OptionalDateEdit:
        edit = OptionalDateEdit()
        edit.setObjectName(field)
        edit.setToolTip(self.tr("Press Delete to remove the date."))
        edit.committed.connect(partial(self._commit_date, field))
        self.editors[field] = edit
        return edit

    def _choice(self, field: str, enum_cls: type[Enum]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(field)
        # Qt stores a StrEnum member as its plain string: keep the class to turn it back.
        self._enums[field] = enum_cls
        for member, text in choices(enum_cls):
            combo.addItem(text, member.value)
        combo.currentIndexChanged.connect(partial(self._commit_choice, field))
        self.editors[field] = combo
        return combo

    def _grid(self, parent: QWidget, rows: list[list[QWidget]]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(_readable_width(self, 3))
        widest = math.lcm(*(len(r) for r in rows))
        for r, cells in enumerate(rows):
            span = widest // len(cells)
            for c, cell in enumerate(cells):
                cell.setParent(parent)
                grid.addWidget(cell, r, c * span, 1, span)
        for c in range(widest):
            grid.setColumnStretch(c, 1)
        return grid

    def _remember_section(self, fields: list[str], message_owner: QGroupBox) -> None:
        for box, message in self._sections:
            if box is message_owner:
                for name in fields:
                    self._field_section[name] = message

    # ---------------------------------------------------------------- sections
    def _basics_section(self) -> QGroupBox:
        box, layout = self._section(self.tr("Initiative"))
        name = self._labelled(self.tr("Name"), self._line("name"), box)
        owner = self._labelled(
            self.tr("Owner"), self._line("owner", self.tr("Who in L&D runs it")), box
        )
        sponsor = self._labelled(
            self.tr("Sponsor"),
            self._line("sponsor", self.tr("Who in the business backs it")),
            box,
        )
        stage = self._labelled(self.tr("Stage"), self._choice("stage", Stage), box)
        spacer = QWidget(box)
        layout.addLayout(self._grid(box, [[name], [owner, sponsor], [stage, spacer]]))
        self._remember_section(["name", "owner", "sponsor", "stage"], box)
        return box

    def _request_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Original request"),
            self.tr("What the business asked for, in its own words."),
        )
        request = self._labelled(
            self.tr("Request"),
            self._text("request", self.tr("“We need a class on communication.”")),
            box,
        )
        by = self._labelled(
            self.tr("Requested by"),
            self._line("requested_by", self.tr("Name")),
            box,
        )
        on = self._labelled(self.tr("Requested on"), self._date("requested_on"), box)
        layout.addLayout(self._grid(box, [[request], [by, on]]))
        self._remember_section(["request", "requested_by", "requested_on"], box)
        return box

    def _intake_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Intake"),
            self.tr(
                "A training request is a hypothesis, not an order. Ask these questions before "
                "choosing a solution."
            ),
        )
        questions = (
            ("intake_problem", self.tr("What exactly is the problem?")),
            ("intake_who", self.tr("Who exactly needs help?")),
            ("intake_optimal", self.tr("What would optimal performance look like?")),
            ("intake_measure", self.tr("How would we measure it?")),
            ("intake_exemplars", self.tr("Who already does it well?")),
            ("intake_form", self.tr("What form and length would fit how the team works?")),
        )
        for field, question in questions:
            layout.addWidget(self._labelled(question, self._text(field), box))
        self._remember_section([f for f, _q in questions], box)
        return box

    def _root_cause_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Root cause"),
            self.tr(
                "Often the honest answer is that this is not a knowledge problem: process, "
                "tools, incentives or manager support. Say so, and send it where it belongs."
            ),
        )
        cause = self._labelled(
            self.tr("What is behind the request?"), self._choice("root_cause", RootCause), box
        )
        self._routed_to = self._line(
            "routed_to", self.tr("For example: the incident process owner")
        )
        routed = self._labelled(self.tr("Routed to"), self._routed_to, box)
        layout.addLayout(self._grid(box, [[cause, routed]]))
        self.routing_label = QLabel(box)
        self.routing_label.setWordWrap(True)
        self.routing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.routing_label.setAccessibleName(self.tr("Where this problem belongs"))
        layout.addWidget(self.routing_label)
        self._remember_section(["root_cause", "routed_to"], box)
        return box

    def _problem_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Problem statement"),
            self.tr(
                "Who does what, shown by which metric, from what baseline to what target, by when."
            ),
        )
        statement = self._labelled(
            self.tr("Problem statement"),
            self._text(
                "problem_statement",
                self.tr("Remote engineers and new hires hand incidents over without a checklist…"),
                min_lines=3,
            ),
            box,
        )
        segment = self._labelled(
            self.tr("Segment (who)"),
            self._line("problem_segment", self.tr("Remote engineers and new hires")),
            box,
        )
        behaviour = self._labelled(
            self.tr("Behaviour (does what)"),
            self._line("problem_behaviour", self.tr("Hand incidents over without a checklist")),
            box,
        )
        metric = self._labelled(
            self.tr("Metric"),
            self._line("problem_metric", self.tr("Hand-off errors")),
            box,
        )
        unit = self._labelled(
            self.tr("Unit"), self._line("problem_unit", self.tr("per month")), box
        )
        baseline = self._labelled(
            self.tr("Baseline"), self._number("problem_baseline", self.tr("Today")), box
        )
        target = self._labelled(
            self.tr("Target"), self._number("problem_target", self.tr("Goal")), box
        )
        by = self._labelled(self.tr("By (date)"), self._date("problem_date"), box)
        layout.addWidget(statement)
        layout.addLayout(
            self._grid(box, [[segment, behaviour], [metric, unit], [baseline, target, by]])
        )
        self.measurability_label = QLabel(box)
        self.measurability_label.setWordWrap(True)
        self.measurability_label.setTextFormat(Qt.TextFormat.PlainText)
        self.measurability_label.setAccessibleName(self.tr("Is the problem statement measurable?"))
        layout.addWidget(self.measurability_label)
        self._remember_section(
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
        box, layout = self._section(
            self.tr("Audience"),
            self.tr("Who exactly needs help, and which segments are most affected."),
        )
        layout.addWidget(self._labelled(self.tr("Target audience"), self._text("audience"), box))
        # The shared table: Tab moves cell to cell, columns size to their content, a refused
        # value is explained in this section's message line.
        self.segments_view = DataTableView(box)
        self.segments_view.setObjectName("segments")
        self.segments_view.setModel(self.segments_model)
        self.segments_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.segments_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.segments_view.set_message_label(self._sections[-1][1])
        layout.addWidget(self._labelled(self.tr("Segments"), self.segments_view, box))

        buttons = QHBoxLayout()
        self.add_segment_button = QPushButton(self.tr("Add segment"), box)
        self.add_segment_button.setAccessibleName(self.tr("Add segment"))
        self.add_segment_button.clicked.connect(self._add_segment)
        self.remove_segment_button = QPushButton(self.tr("Remove segment"), box)
        self.remove_segment_button.setAccessibleName(self.tr("Remove segment"))
        self.remove_segment_button.setToolTip(
            self.tr("Remove the selected segment. Undo brings it back.")
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
        self._remember_section(["audience", "segments"], box)
        return box

    def _outcome_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Desired outcome"),
            self.tr("What the business will see when this works, in its own numbers."),
        )
        layout.addWidget(
            self._labelled(
                self.tr("Desired outcome"),
                self._text(
                    "outcome",
                    self.tr("Incident hand-off errors down 40% within two quarters"),
                ),
                box,
            )
        )
        self._remember_section(["outcome"], box)
        return box

    def _objectives_section(self) -> QGroupBox:
        box, layout = self._section(
            self.tr("Objectives and key results"),
            self.tr(
                "Objectives say what should change; key results say how you will know, each "
                "with a baseline, a target and a date."
            ),
        )
        tree = DataTreeView(box)
        tree.setObjectName("objectives")
        tree.setModel(self.objectives_model)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.set_message_label(self._sections[-1][1])
        self.objectives_view = tree
        layout.addWidget(self._labelled(self.tr("Objectives"), tree, box))

        buttons = QHBoxLayout()
        self.add_objective_button = QPushButton(self.tr("Add objective"), box)
        self.add_objective_button.setAccessibleName(self.tr("Add objective"))
        self.add_objective_button.clicked.connect(self._add_objective)
        self.add_key_result_button = QPushButton(self.tr("Add key result"), box)
        self.add_key_result_button.setAccessibleName(self.tr("Add key result"))
        self.add_key_result_button.setToolTip(
            self.tr("Add a key result to the selected objective")
        )
        self.add_key_result_button.clicked.connect(self._add_key_result)
        self.remove_okr_button = QPushButton(self.tr("Remove"), box)
        self.remove_okr_button.setAccessibleName(self.tr("Remove objective or key result"))
        self.remove_okr_button.setToolTip(
            self.tr(
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
        self._remember_section(["objectives"], box)
        return box

    # ================================================================ commits
    def _message_for(self, field: str) -> QLabel | None:
        return self._field_section.get(field)

    def _run(self, command: Command, field: str) -> bool:
        """Run ``command``; a failure's sentence goes to the section of ``field``."""
        ok = self.run(command, origin=self.editors.get(field) or self._message_for(field))
        target = self._message_for(field)
        if ok and target is not None:
            target.hide()
        return ok

    def _edit(self, field: str, value: Any, *, typing: bool = False) -> bool:
        if self._id is None:
            return False
        command = initiatives.edit_initiative(
            self.runner.project, self._id, {field: value}, typing=typing
        )
        return self._run(command, field)

    def _typed(self, field: str, text: str) -> None:
        self._edit(field, text, typing=True)

    def _typed_text(self, field: str) -> None:
        editor = self.editors[field]
        assert isinstance(editor, GrowingTextEdit)
        self._edit(field, editor.toPlainText(), typing=True)

    def _settle_text(self, field: str) -> None:
        """Leaving a line field: if it still differs from the stored value (a rejected empty
        name), show the stored value again."""
        self._show_field(field)

    def _commit_number(self, field: str) -> None:
        editor = self.editors[field]
        assert isinstance(editor, QLineEdit)
        if self._initiative is None:
            return
        value = parse_number(editor.text())
        current = getattr(self._initiative, field)
        if value != current:
            self._edit(field, value)
        self._show_field(field)

    def _commit_date(self, field: str, value: date | None) -> None:
        self._edit(field, value)
        self._show_field(field)

    def _commit_choice(self, field: str, index: int) -> None:
        editor = self.editors[field]
        assert isinstance(editor, QComboBox)
        if index < 0:
            return
        self._edit(field, self._enums[field](editor.itemData(index)))
        self._show_field(field)

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

    # ================================================================ refresh
    def apply(self, record: ChangeRecord) -> None:
        if record.everything:
            self.reload()
            return
        if self._id is None:
            return
        if record.touches(Initiative, self._id):
            only = None if record.structure or record.everything else set(record.fields)
            self._load(only, force=only is not None)
        if (
            record.everything
            or record.touches(Person)
            or (
                record.touches(Initiative)
                and (record.structure or (record.fields & PEOPLE_FIELDS))
                and self._id not in record.ids
            )
        ):
            self._refresh_names()
        if record.touches(Objective) or record.touches(KeyResult):
            self._fit_objectives()

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        target = self._section_message_of(origin) or self._focused_section_message()
        if target is None:
            return
        target.setText(sentence)
        target.show()

    def _section_message_of(self, origin: QObject | None) -> QLabel | None:
        """The message line of the section holding ``origin`` (an editor, a section's own
        message line, or a model of a table in a section)."""
        if isinstance(origin, QLabel) and any(origin is m for _b, m in self._sections):
            return origin
        if origin is self.segments_model:
            return self._message_for("segments")
        if origin is self.objectives_model:
            return self._message_for("objectives")
        if isinstance(origin, QWidget):
            for box, message in self._sections:
                if box.isAncestorOf(origin):
                    return message
        return None

    def _focused_section_message(self) -> QLabel | None:
        """The message line of the section holding the keyboard focus (for edits made in the
        segment table or the objectives tree, which the models run)."""
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            return None
        for box, message in self._sections:
            if box.isAncestorOf(focus):
                return message
        return None

    def _refresh_names(self) -> None:
        names = initiatives.list_people_names(self.runner.project, exclude_initiative=self._id)
        if names != self._names.stringList():
            self._names.setStringList(names)

    def _load(self, fields: set[str] | None, *, force: bool) -> None:
        """Re-read the initiative and update the widgets of ``fields`` (all if None).  Without
        ``force`` a number the user is busy typing is left alone (see :meth:`_show_field`)."""
        assert self._id is not None
        initiative = initiatives.get_initiative(self.runner.project, self._id)
        self._initiative = initiative
        if initiative is None:  # deleted (undo brings it back through the same path)
            self._stack.setCurrentWidget(self._empty)
            return
        self._stack.setCurrentWidget(self.scroll_area)
        for field in self.editors:
            if fields is None or field in fields:
                self._show_field(field, force=force)
        self._show_derived(initiative)

    def _show_field(self, field: str, *, force: bool = True) -> None:
        """Make the editor of ``field`` show the stored value, if it does not already.

        Without ``force`` a number field that the user is busy editing is left alone."""
        initiative = self._initiative
        if initiative is None:
            return
        value = getattr(initiative, field)
        editor = self.editors[field]
        if isinstance(editor, GrowingTextEdit):
            _set_plain_text(editor, value)
        elif field in NUMBER_FIELDS:
            assert isinstance(editor, QLineEdit)
            if force or not (editor.hasFocus() and editor.isModified()):
                _set_line_text(editor, format_number(value))
        elif isinstance(editor, QLineEdit):
            _set_line_text(editor, value)
        elif isinstance(editor, OptionalDateEdit):
            if editor.value() != value:
                editor.setValue(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value.value)
            if index != editor.currentIndex():
                blocked = editor.blockSignals(True)
                try:
                    editor.setCurrentIndex(index)
                finally:
                    editor.blockSignals(blocked)

    def _show_derived(self, initiative: Initiative) -> None:
        """The heading, the routing hint and the measurability indicator."""
        self.title_label.setText(initiative.name)
        parts = [label(initiative.stage)]
        if initiative.owner.strip():
            parts.append(self.tr("Owner: {name}").format(name=initiative.owner))
        if initiative.sponsor.strip():
            parts.append(self.tr("Sponsor: {name}").format(name=initiative.sponsor))
        self.subtitle_label.setText(" · ".join(parts))

        cause = initiative.root_cause
        hint = _domain(routing_hint(cause))
        if cause is RootCause.UNKNOWN:
            self.routing_label.setText(hint)
            set_role(self.routing_label, "muted")
        elif is_knowledge_problem(cause):
            self.routing_label.setText("✓ " + hint)
            set_role(self.routing_label, "ok")
        else:
            self.routing_label.setText(
                "⚠ " + self.tr("This is not a knowledge problem.") + " " + hint
            )
            set_role(self.routing_label, "warning")
        self._routed_to.setEnabled(not is_knowledge_problem(cause))

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
        if self._built and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._apply_font_metrics()

    def _apply_font_metrics(self) -> None:
        """Sizes that follow the font (the global font scale and the projector theme)."""
        self._column.setMaximumWidth(_readable_width(self, 160))
        self._column_layout.setSpacing(self.fontMetrics().lineSpacing())
        self.empty_hint.setMaximumWidth(_readable_width(self, 70))
        # The tables size their own columns (DataTableView / DataTreeView).
        self._fit_segments()
        self._fit_objectives()


def _set_line_text(editor: QLineEdit, value: str) -> None:
    """Show ``value`` without emitting an edit and keeping the cursor where it was."""
    if editor.text() == value:
        return
    position = editor.cursorPosition()
    blocked = editor.blockSignals(True)
    try:
        editor.setText(value)
        editor.setCursorPosition(min(position, len(value)))
    finally:
        editor.blockSignals(blocked)


def _set_plain_text(editor: GrowingTextEdit, value: str) -> None:
    if editor.toPlainText() == value:
        return
    position = editor.textCursor().position()
    blocked = editor.blockSignals(True)
    try:
        editor.setPlainText(value)
        cursor = editor.textCursor()
        cursor.setPosition(min(position, editor.document().characterCount() - 1))
        editor.setTextCursor(cursor)
    finally:
        editor.blockSignals(blocked)
    # Signals were blocked, so the document's size signal did not reach the height logic.
    editor.updateGeometry()
