"""The detail form beside the register: one person, their stake in the initiative, the
engagement plan, the interaction log, their assessments and — visibly marked — private notes.

Built like every form (:class:`~ldpm.ui.forms.FormBinder` fields on a
:class:`~ldpm.ui.views.form_page.FormPage`): typing coalesces into one undo step, refreshes are
echo-free, a refused value is explained in its section.  Two binders share the page: one for
the person (shared by every initiative they are in), one for the stake.  With a person only
(the workspace's list of people) the stake's sections are hidden.

**Private notes** sit in their own section, titled with a lock and a sentence saying where they
never appear (the map, workshop mode, exports unless asked).  A person's notes can be marked
shared; a stake's private notes are always private.  :meth:`StakeholderEditor.set_workshop`
hides the section altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QSize, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Person, Stakeholder
from ldpm.domain.enums import Engagement, StakeholderKind, Support
from ldpm.domain.stakeholders import quadrant
from ldpm.services import engagement, initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.commands import Command
from ldpm.services.stakeholders import PersonRow, Refused, StakeRow
from ldpm.ui.forms import FormBinder
from ldpm.ui.labels import label
from ldpm.ui.models.stakeholder_log import AssessmentsModel, InteractionsModel
from ldpm.ui.models.stakeholders import attention_tip
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.flow_grid import FlowGrid
from ldpm.ui.views.form_page import EmptyState, FormPage
from ldpm.ui.widgets import fit_table_height, set_role

RunFn = Callable[[Command, QObject], bool]
_RATINGS = ("power", "interest")


class StakeholderEditor(QWidget):
    """See the module docstring."""

    def __init__(self, runner: OperationRunner, run: RunFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._run = run
        self.person: Person | None = None
        self.stake: Stakeholder | None = None
        self.row: StakeRow | PersonRow | None = None
        self.today: Callable[[], date] = date.today
        self._names = QStringListModel(self)
        self.person_binder = FormBinder(
            self, edit=self._person_command, run=self._run_for, current=lambda: self.person
        )
        self.stake_binder = FormBinder(
            self, edit=self._stake_command, run=self._run_for, current=lambda: self.stake
        )
        self.interactions = InteractionsModel(runner, self)
        self.assessments = AssessmentsModel(runner, self)
        for model in (self.interactions, self.assessments):
            model.set_following(False)
        self.empty = EmptyState(
            self.tr("Nobody chosen"),
            self.tr("Choose someone in the list to see and edit their details here."),
            self,
        )
        self.form = FormPage(self.empty, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self._build()

    # ============================================================ construction
    def _build(self) -> None:
        column = self.form.column
        self.title = QLabel(self.form.column_widget)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.title, "h2")
        self.subtitle = QLabel(self.form.column_widget)
        self.subtitle.setWordWrap(True)
        set_role(self.subtitle, "muted")
        self.alert = QLabel(self.form.column_widget)
        self.alert.setWordWrap(True)
        self.alert.setAccessibleName(self.tr("What needs attention"))
        set_role(self.alert, "warning")
        for widget in (self.title, self.subtitle, self.alert):
            column.addWidget(widget)
        self._person_section()
        self.stake_box = self._stake_section()
        self.plan_box = self._plan_section()
        self.log_box = self._log_section()
        self.history_box = self._history_section()
        self.private_box = self._private_section()
        self.form.finish()
        self.form.apply_font_metrics()

    def _line(self, binder: FormBinder, field: str, placeholder: str = "") -> QLineEdit:
        edit = binder.line_field(field, placeholder)
        if field == "owner":
            completer = QCompleter(self._names, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        return edit

    def _person_section(self) -> QGroupBox:
        f, b = self.form, self.person_binder
        box, layout = f.section(
            self.tr("Person"), self.tr("One record in the workspace, shared by every initiative.")
        )
        name = f.labelled(self.tr("Name"), self._line(b, "name"), box)
        role = f.labelled(self.tr("Role"), self._line(b, "role"), box)
        department = f.labelled(self.tr("Department"), self._line(b, "department"), box)
        email = f.labelled(self.tr("E-mail"), self._line(b, "email"), box)
        tags = f.labelled(
            self.tr("Expertise tags"),
            self._line(b, "expertise_tags", self.tr("Separated by commas: hand-offs, on-call")),
            box,
        )
        layout.addWidget(FlowGrid([[name], [role, department], [email, tags]], box, min_chars=18))
        layout.addWidget(
            f.labelled(
                self.tr("Expertise"),
                b.text_field("expertise", self.tr("What they know and who asks them")),
                box,
            )
        )
        f.claim(["name", "role", "department", "email", "expertise_tags", "expertise"], box)
        return box

    def _stake_section(self) -> QGroupBox:
        f, b = self.form, self.stake_binder
        box, layout = f.section(
            self.tr("Stake in this initiative"),
            self.tr("Power and interest run from 1 (low) to 10 (high); 6 and above is high."),
        )
        kind = f.labelled(self.tr("Kind"), b.choice_field("kind", StakeholderKind), box)
        power = f.labelled(self.tr("Power"), b.number_field("power", "1–10"), box)
        interest = f.labelled(self.tr("Interest"), b.number_field("interest", "1–10"), box)
        support = f.labelled(self.tr("Support"), b.choice_field("support", Support), box)
        now = f.labelled(
            self.tr("Engagement now"), b.choice_field("current_engagement", Engagement), box
        )
        wanted = f.labelled(
            self.tr("Engagement wanted"), b.choice_field("desired_engagement", Engagement), box
        )
        for combo in box.findChildren(QComboBox):
            # Narrow beside the register at projector sizes: shrink rather than make the
            # whole form scroll sideways (the grid then gives each choice a row of its own).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
        layout.addWidget(FlowGrid([[kind, support], [power, interest], [now, wanted]], box))
        f.claim(
            ["kind", "power", "interest", "support", "current_engagement", "desired_engagement"],
            box,
        )
        return box

    def _plan_section(self) -> QGroupBox:
        f, b = self.form, self.stake_binder
        box, layout = f.section(self.tr("Engagement plan"))
        self.suggestion = QLabel(box)
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion.setAccessibleName(self.tr("Suggested strategy"))
        set_role(self.suggestion, "muted")
        layout.addWidget(self.suggestion)
        strategy = b.text_field(
            "strategy", self.tr("Leave empty to follow the suggestion above"), min_lines=2
        )
        layout.addWidget(f.labelled(self.tr("Your strategy"), strategy, box))
        self.use_suggestion = QPushButton(self.tr("Follow the Suggestion"), box)
        self.use_suggestion.setToolTip(self.tr("Clear your own strategy (undo brings it back)"))
        self.use_suggestion.clicked.connect(self._follow_suggestion)
        row = QHBoxLayout()
        row.addWidget(self.use_suggestion)
        row.addStretch(1)
        layout.addLayout(row)
        channel = f.labelled(
            self.tr("Channel"), self._line(b, "channel", self.tr("1:1, e-mail, steering …")), box
        )
        cadence = f.labelled(
            self.tr("Cadence"), self._line(b, "cadence", self.tr("e.g. fortnightly 1:1")), box
        )
        owner = f.labelled(
            self.tr("Owner"), self._line(b, "owner", self.tr("Who keeps in touch")), box
        )
        next_contact = f.labelled(self.tr("Next contact"), b.date_field("next_contact"), box)
        layout.addWidget(FlowGrid([[channel, cadence], [owner, next_contact]], box))
        layout.addWidget(
            f.labelled(
                self.tr("Plan"), b.text_field("engagement_plan", self.tr("What we do")), box
            )
        )
        f.claim(
            ["strategy", "channel", "cadence", "owner", "next_contact", "engagement_plan"], box
        )
        return box

    def _table(self, box: QGroupBox, model: Any, name: str) -> DataTableView:
        view = DataTableView(box)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.set_message_label(self.form.sections[-1][1])
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(lambda *_a, v=view: fit_table_height(v, min_rows=2, max_rows=8))
        return view

    def _log_section(self) -> QGroupBox:
        box, layout = self.form.section(
            self.tr("Interaction log"),
            self.tr(
                "Every contact with a date. With a cadence such as “monthly”, logging one "
                "moves the next contact on."
            ),
        )
        self.log_view = self._table(box, self.interactions, "interactions")
        self.log_view.setAccessibleName(self.tr("Interaction log"))
        self.log_view.selectionModel().currentChanged.connect(self._update_buttons)
        layout.addWidget(self.log_view)
        self.log_button = QPushButton(self.tr("Log Interaction"), box)
        self.log_button.setToolTip(self.tr("Add today's contact; then say what happened"))
        self.log_button.clicked.connect(self.log_interaction)
        self.remove_log_button = QPushButton(self.tr("Remove Entry"), box)
        self.remove_log_button.clicked.connect(self._remove_interaction)
        # Side by side, or one above the other when the form is narrow (the projector).
        layout.addWidget(FlowGrid([[self.log_button, self.remove_log_button]], box, min_chars=0))
        self.form.claim(["interactions"], box)
        return box

    def _history_section(self) -> QGroupBox:
        box, layout = self.form.section(
            self.tr("Assessments"),
            self.tr("Where they stood each time the map was recorded (Record Assessment)."),
        )
        self.history_view = self._table(box, self.assessments, "assessments")
        self.history_view.setAccessibleName(self.tr("Assessments"))
        layout.addWidget(self.history_view)
        self.form.claim(["assessments"], box)
        return box

    def _private_section(self) -> QGroupBox:
        f = self.form
        box, layout = f.section(
            "🔒 " + self.tr("Private notes"),
            self.tr(
                "Private: never drawn on the map, never shown in workshop mode, and left out "
                "of every export unless you ask for them."
            ),
        )
        box.setObjectName("privateNotes")
        intro = box.findChild(QLabel)
        if intro is not None:
            set_role(intro, "warning")
        self.notes_private = QCheckBox(self.tr("Keep these notes private"), box)
        self.notes_private.setAccessibleName(self.tr("Notes about the person are private"))
        self.notes_private.toggled.connect(self._private_toggled)
        layout.addWidget(
            f.labelled(
                self.tr("About the person (every initiative)"),
                self.person_binder.text_field("notes"),
                box,
            )
        )
        layout.addWidget(self.notes_private)
        self.stake_notes = f.labelled(
            "🔒 " + self.tr("About their stake in this initiative (always private)"),
            self.stake_binder.text_field("private_notes"),
            box,
        )
        layout.addWidget(self.stake_notes)
        f.claim(["notes", "notes_private", "private_notes"], box)
        return box

    # ================================================================= showing
    def minimumSizeHint(self) -> QSize:
        """Never so narrow that the form scrolls sideways (its fields reflow to one per row
        first; the register beside it scrolls instead)."""
        hint = super().minimumSizeHint()
        area = self.form.scroll_area
        content = area.widget()
        column = content.minimumSizeHint().width() if content is not None else 0
        bar = area.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), column + bar + 2 * area.frameWidth() + 2), hint.height())

    def show_row(self, row: StakeRow | PersonRow | None) -> None:
        """Show a register row, a person of the workspace, or nothing."""
        changed = (row.id if row else None) != (self.row.id if self.row else None)
        self.row = row
        if changed:
            self.form.hide_messages()
            self.form.to_top()
        self.reload()

    def reload(self) -> None:
        """Read the person and the stake again and show them (echo-free)."""
        row = self.row
        project = self.runner.project
        self.stake = svc.get_stake(project, row.id) if isinstance(row, StakeRow) else None
        person_id = row.person.id if row is not None else None
        self.person = svc.get_person(project, person_id) if person_id else None
        if self.person is None:
            self.interactions.set_stake(None)
            self.assessments.set_stake(None)
            self.form.show_form(False)
            return
        self.form.show_form(True)
        names = initiatives.list_people_names(project)
        if names != self._names.stringList():
            self._names.setStringList(names)
        has_stake = self.stake is not None
        for box in (self.stake_box, self.plan_box, self.log_box, self.history_box):
            box.setVisible(has_stake)
        self.stake_notes.setVisible(has_stake)
        self.person_binder.show()
        if self.stake is not None:
            self.stake_binder.show()
        self._show_private()
        self._show_derived()
        self.interactions.today = self.assessments.today = self.today
        self.interactions.set_stake(self.stake.id if self.stake else None)
        self.assessments.set_stake(self.stake.id if self.stake else None)
        self.interactions.reload()
        self.assessments.reload()
        self._update_buttons()

    def _show_private(self) -> None:
        assert self.person is not None
        blocked = self.notes_private.blockSignals(True)
        try:
            self.notes_private.setChecked(self.person.notes_private)
        finally:
            self.notes_private.blockSignals(blocked)

    def _show_derived(self) -> None:
        person, stake, row = self.person, self.stake, self.row
        assert person is not None
        self.title.setText(row.name if row is not None else person.name)
        if stake is None:
            self.subtitle.setText(" · ".join(x for x in (person.role, person.department) if x))
            self.alert.hide()
            return
        q = quadrant(stake.power, stake.interest)
        self.subtitle.setText(
            " · ".join(
                x for x in (person.role, person.department, label(stake.kind), label(q)) if x
            )
        )
        tip = attention_tip(row) if isinstance(row, StakeRow) else ""
        self.alert.setText(("⚠ " + tip.replace("\n", "\n⚠ ")) if tip else "")
        self.alert.setVisible(bool(tip))
        suggested = row.suggested if isinstance(row, StakeRow) else None
        if suggested is not None:
            self.suggestion.setText(
                self.tr("Suggested: {headline} — {action}").format(
                    headline=label(suggested.quadrant), action=suggested.action
                )
            )
        self.use_suggestion.setEnabled(bool(stake.strategy.strip()))

    def _update_buttons(self, *_args: object) -> None:
        self.remove_log_button.setEnabled(self.log_view.currentIndex().isValid())

    def set_workshop(self, on: bool) -> None:
        """In workshop mode nothing private is shown."""
        self.private_box.setVisible(not on)

    # ================================================================ commits
    def _person_command(self, field: str, value: Any, typing: bool) -> Command | None:
        if self.person is None:
            return None
        return svc.edit_person(self.person.id, {field: value}, typing=typing)

    def _stake_command(self, field: str, value: Any, typing: bool) -> Command | None:
        if self.stake is None:
            return None
        if field in _RATINGS and isinstance(value, float):
            if not value.is_integer():
                what = self.tr("power") if field == "power" else self.tr("interest")
                return Refused(
                    self.tr("The {what} must be a whole number from 1 to 10.").format(what=what),
                    field,
                )
            value = int(value)
        return svc.edit_stake(self.stake.id, {field: value}, typing=typing)

    def _run_for(self, command: Command, origin: QObject) -> bool:
        ok = self._run(command, origin)
        if ok and (line := self.form.message_for_origin(origin, self._field_of)) is not None:
            line.hide()
        return ok

    def _private_toggled(self, checked: bool) -> None:
        if self.person is not None:
            command = svc.edit_person(self.person.id, {"notes_private": checked})
            self._run_for(command, self.notes_private)

    def _follow_suggestion(self) -> None:
        if self.stake is not None:
            self._run_for(svc.edit_stake(self.stake.id, {"strategy": ""}), self.use_suggestion)

    def log_interaction(self) -> None:
        """Add an entry dated today and start editing what happened."""
        if self.stake is None:
            return
        command = engagement.log_interaction(self.runner.project, self.stake.id, self.today())
        if self._run(command, self.interactions):
            self.interactions.reload()
            index = self.interactions.index(0, 2)
            self.log_view.setCurrentIndex(index)
            self.log_view.edit(index)

    def _remove_interaction(self) -> None:
        row = self.interactions.row_at(self.log_view.currentIndex().row())
        if row is not None:
            self._run(engagement.delete_interaction(row.id), self.interactions)

    # =============================================================== failures
    def show_failure(self, sentence: str, origin: QObject | None) -> bool:
        target = self.form.message_for_origin(origin, self._field_of)
        if target is None:
            return False
        self.form.show_message(target, sentence)
        return True

    def _field_of(self, origin: QObject) -> str | None:
        if origin is self.interactions:
            return "interactions"
        if origin is self.assessments:
            return "assessments"
        return None
