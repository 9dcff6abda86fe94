"""The backlog's detail panel for one item (:class:`ItemPanel`; the panel for several and the
page that switches between them are in :mod:`ldpm.ui.views.backlog_panels`).

**One item.**  Its title and description, its sourcing and why, the subject-matter experts
linked to it (picked from the workspace's people, found by name or expertise), the metric or
key result it should move, and its scoring inputs — each with the workspace's rubric as its
tooltip and, for the field being scored, spelled out under the scores — with the three scores
as they come out ("needs scoring" until every input is there).  Fields commit as the shared
:class:`~ldpm.ui.forms.FormBinder` does (typing coalesces into one undo step); a refused value
is explained in the panel's message line and the field shows the stored value again.

**Several items.**  Status, release, sourcing, kind, 70:20:10 mode and moment for all of them
at once — each change one undo step — and deleting them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import BacklogItem, Person
from ldpm.domain.enums import (
    MoSCoW,
    ScoringMethod,
    Sourcing,
)
from ldpm.domain.scales import on_scale
from ldpm.domain.scoring import Factor, rice, value_effort_ratio, wsjf
from ldpm.services import backlog as svc
from ldpm.services.commands import Command
from ldpm.ui.forms import FormBinder
from ldpm.ui.labels import choices, label
from ldpm.ui.models.backlog_columns import factor_title, format_score
from ldpm.ui.widgets import format_number, guard_wheel, set_role

if TYPE_CHECKING:
    from ldpm.ui.models.backlog import BacklogModel

#: Whole-number inputs (the form reads numbers as decimals).
_WHOLE = {"reach", "business_value", "time_criticality", "risk_reduction", "job_size", "value"}
#: Fields the panel shows in combo boxes of its own (a "not set" entry, a changing list).
_OWN = ("impact", "confidence", "moscow", "target")


class ItemPanel(QWidget):
    """One item's details (see the module docstring)."""

    #: A command to run on behalf of one of the panel's editors (the view runs it).
    run_requested = Signal(object, object)  # Command, origin

    def __init__(self, model: BacklogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.item: BacklogItem | None = None
        self.binder = FormBinder(
            self, edit=self._command, run=self._run, current=lambda: self.item
        )
        self.editors = self.binder.editors
        self.combos: dict[str, QComboBox] = {}
        self._factor_of: dict[QObject, Factor] = {}
        self._focused = Factor.REACH
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        set_role(self.heading, "h2")
        layout.addWidget(self.heading)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Why the value was not taken"))
        set_role(self.message, "warning")
        self.message.hide()
        layout.addWidget(self.message)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self._caption("Title"), self.binder.line_field("title"))
        form.addRow(
            self._caption("Description"),
            self.binder.text_field("description", self.tr("What it is, for whom, in a line")),
        )
        form.addRow(self._caption("Sourcing"), self.binder.choice_field("sourcing", Sourcing))
        form.addRow(
            self._caption("Why this sourcing"),
            # Short: a placeholder does not make the field taller, and a narrow panel
            # cut a longer one off after two lines.
            self.binder.text_field(
                "sourcing_reason", self.tr("Why this way — or why it is not training")
            ),
        )
        layout.addLayout(form)
        layout.addWidget(self._smes_box())
        target = self._combo("target", self.tr("Expected to move"))
        form_target = QFormLayout()
        form_target.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form_target.addRow(self._caption("Expected to move"), target)
        layout.addLayout(form_target)
        layout.addWidget(self._scores_box())
        layout.addStretch(1)
        for field, editor in self.editors.items():
            editor.setAccessibleName(field.replace("_", " "))
        self._fill_fixed_combos()

    # ------------------------------------------------------------ building
    def _caption(self, text: str) -> QLabel:
        caption = QLabel(self.tr(text), self)
        caption.setWordWrap(True)
        return caption

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        narrow(combo)
        guard_wheel(combo)
        combo.activated.connect(lambda index, n=name: self._combo_picked(n, index))
        self.combos[name] = combo
        return combo

    def _smes_box(self) -> QWidget:
        box = QFrame(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._caption("Subject-matter experts"))
        self.sme_row = QWidget(box)
        self.sme_layout = QGridLayout(self.sme_row)
        self.sme_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sme_row)
        self.none_label = QLabel(self.tr("No SMEs linked yet."), box)
        set_role(self.none_label, "muted")
        layout.addWidget(self.none_label)
        self.sme_search = QLineEdit(box)
        self.sme_search.setObjectName("smeSearch")
        self.sme_search.setPlaceholderText(self.tr("Find a person by name or expertise"))
        self.sme_search.setAccessibleName(self.tr("Add a subject-matter expert"))
        self.sme_search.setClearButtonEnabled(True)
        self._people = QStringListModel(self)
        self._person_by_text: dict[str, str] = {}
        completer = QCompleter(self._people, self.sme_search)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._person_picked)
        self.sme_search.setCompleter(completer)
        self.sme_search.returnPressed.connect(lambda: self._person_picked(self.sme_search.text()))
        layout.addWidget(self.sme_search)
        self.sme_buttons: list[QPushButton] = []
        return box

    def _scores_box(self) -> QWidget:
        box = QFrame(self)
        box.setObjectName("scores")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Scores"), box)
        set_role(title, "h3")
        layout.addWidget(title)
        grid = QGridLayout()
        rows: list[tuple[str, Factor, QWidget]] = [
            (self.tr("Reach (people per quarter)"), Factor.REACH,
             self.binder.number_field("reach")),
            (self.tr("Impact"), Factor.IMPACT, self._combo("impact", self.tr("Impact"))),
            (self.tr("Confidence"), Factor.CONFIDENCE,
             self._combo("confidence", self.tr("Confidence"))),
            (self.tr("Effort (person-days)"), Factor.EFFORT, self.binder.number_field("effort")),
            (self.tr("Business value (1–10)"), Factor.BUSINESS_VALUE,
             self.binder.number_field("business_value")),
            (self.tr("Time criticality (1–10)"), Factor.TIME_CRITICALITY,
             self.binder.number_field("time_criticality")),
            (self.tr("Risk reduction (1–10)"), Factor.RISK_REDUCTION,
             self.binder.number_field("risk_reduction")),
            (self.tr("Job size (points)"), Factor.JOB_SIZE, self.binder.number_field("job_size")),
            (self.tr("Value (1–10)"), Factor.VALUE, self.binder.number_field("value")),
            (self.tr("MoSCoW"), Factor.MOSCOW, self._combo("moscow", self.tr("MoSCoW"))),
        ]  # fmt: skip
        for n, (text, factor, editor) in enumerate(rows):
            caption = QLabel(text, box)
            caption.setBuddy(editor)
            caption.setWordWrap(True)
            grid.addWidget(caption, n, 0)
            grid.addWidget(editor, n, 1)
            editor.installEventFilter(self)
            self._factor_of[editor] = factor
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)
        self.score_label = QLabel(box)
        self.score_label.setObjectName("scoreSummary")
        self.score_label.setWordWrap(True)
        self.score_label.setTextFormat(Qt.TextFormat.PlainText)
        self.score_label.setAccessibleName(self.tr("The item's scores"))
        layout.addWidget(self.score_label)
        self.rubric_label = QLabel(box)
        self.rubric_label.setObjectName("rubric")
        self.rubric_label.setWordWrap(True)
        self.rubric_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rubric_label.setAccessibleName(self.tr("How to score this"))
        set_role(self.rubric_label, "muted")
        layout.addWidget(self.rubric_label)
        return box

    def _fill_fixed_combos(self) -> None:
        moscow = self.combos["moscow"]
        moscow.addItem(self.tr("Not set"), "")
        for member, text in choices(MoSCoW):
            moscow.addItem(text, member.value)

    # --------------------------------------------------------------- showing
    def show_item(self, item: BacklogItem | None) -> None:
        """Show ``item`` (a fresh read) without echoing anything back as an edit."""
        changed = item is None or self.item is None or item.id != self.item.id
        self.item = item
        if item is None:
            return
        if changed:
            self.message.hide()
        self.heading.setText(item.title)
        self.binder.show(force=changed)
        self._show_combos(item)
        self._show_smes(item)
        self._show_scores(item)

    def refresh_context(self) -> None:
        """The workspace's people, the targets or the scheme changed."""
        people = sorted(self.model.context.people.values(), key=lambda p: p.name.casefold())
        texts = []
        self._person_by_text = {}
        for person in people:
            text = _person_text(person)
            texts.append(text)
            self._person_by_text[text.casefold()] = person.id
            self._person_by_text[person.name.casefold()] = person.id
        if texts != self._people.stringList():
            self._people.setStringList(texts)
        for editor, factor in self._factor_of.items():
            if isinstance(editor, QWidget):
                editor.setToolTip(self._rubric(factor))
        self._show_rubric(self._focused)
        if self.item is not None:
            self.show_item(self.item)

    def _show_combos(self, item: BacklogItem) -> None:
        scheme = self.model.context.scheme
        self._fill(
            "impact",
            [(None, self.tr("Not scored"))] + [(s, format_number(s)) for s in scheme.impact_steps],
            item.impact,
            lambda v: self.tr("{value} (not on the scale)").format(value=format_number(v)),
        )
        self._fill(
            "confidence",
            [(None, self.tr("Not scored"))]
            + [(s, f"{format_number(round(s * 100, 6))}%") for s in scheme.confidence_steps],
            item.confidence,
            lambda v: self.tr("{value}% (not on the scale)").format(
                value=format_number(round(v * 100, 6))
            ),
        )
        self._select("moscow", item.moscow.value if item.moscow else "")
        targets: list[tuple[Any, str]] = [(None, self.tr("Not linked"))]
        for t in self.model.context.targets:
            kind = self.tr("Metric") if t.kind.__name__ == "Metric" else self.tr("Key result")
            targets.append((t.id, f"{kind}: {t.name}"))
        self._fill("target", targets, item.metric_id or item.key_result_id, str)

    def _fill(
        self,
        name: str,
        values: list[tuple[Any, str]],
        current: Any,
        off_scale: Callable[[Any], str],
    ) -> None:
        combo = self.combos[name]
        known = [v for v, _t in values]
        if current is not None and not any(_same(current, v) for v in known):
            values = [*values, (current, off_scale(current))]
        blocked = combo.blockSignals(True)
        try:
            combo.clear()
            for value, text in values:
                combo.addItem(text, "" if value is None else value)
            self._select(name, "" if current is None else current)
        finally:
            combo.blockSignals(blocked)

    def _select(self, name: str, data: Any) -> None:
        combo = self.combos[name]
        for index in range(combo.count()):
            if _same(combo.itemData(index), data):
                if combo.currentIndex() != index:
                    blocked = combo.blockSignals(True)
                    combo.setCurrentIndex(index)
                    combo.blockSignals(blocked)
                return

    def _show_smes(self, item: BacklogItem) -> None:
        context = self.model.context
        people = context.people
        linked = [(p, people[p].name) for p in context.smes.get(item.id, ()) if p in people]
        for button in self.sme_buttons:
            button.deleteLater()
        self.sme_buttons = []
        for n, (person_id, name) in enumerate(linked):
            button = QPushButton(f"{name}  ✕", self.sme_row)
            button.setObjectName("smeChip")
            button.setAccessibleName(self.tr("Remove {name}").format(name=name))
            button.setToolTip(
                self.tr("{name}: {expertise}\nClick to unlink.").format(
                    name=name,
                    expertise=people[person_id].expertise or self.tr("no expertise noted"),
                )
            )
            button.clicked.connect(lambda _c=False, p=person_id: self._unlink(p))
            self.sme_layout.addWidget(button, n, 0, Qt.AlignmentFlag.AlignLeft)
            self.sme_buttons.append(button)
        self.none_label.setVisible(not linked)

    def _show_scores(self, item: BacklogItem) -> None:
        scheme = self.model.context.scheme
        parts = [
            (ScoringMethod.RICE, self.tr("RICE"), rice(item)),
            (ScoringMethod.WSJF, self.tr("WSJF"), wsjf(item, scheme.weights)),
            (ScoringMethod.VALUE_EFFORT, self.tr("Value/effort"),
             value_effort_ratio(item.value, item.effort)),
        ]  # fmt: skip
        lines = []
        for method, name, value in parts:
            ranks = "  ◂ " + self.tr("ranks the backlog") if method is scheme.method else ""
            lines.append(f"{name}: {format_score(value)}{ranks}")
        if item.moscow is not None:
            ranks = (
                "  ◂ " + self.tr("ranks the backlog")
                if scheme.method is ScoringMethod.MOSCOW
                else ""
            )
            lines.append(f"{self.tr('MoSCoW')}: {label(item.moscow)}{ranks}")
        self.score_label.setText("\n".join(lines))

    def _rubric(self, factor: Factor) -> str:
        scheme = self.model.context.scheme
        text = scheme.rubric(factor)
        return _domain(text) if scheme.is_default_rubric(factor) else text

    def _show_rubric(self, factor: Factor) -> None:
        self._focused = factor
        self.rubric_label.setText(
            self.tr("How to score {factor}: {rubric}").format(
                factor=factor_title(factor), rubric=self._rubric(factor)
            )
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self._factor_of:
            self._show_rubric(self._factor_of[watched])
        return False

    # --------------------------------------------------------------- editing
    def _command(self, field: str, value: Any, typing: bool) -> Command | None:
        if self.item is None:
            return None
        if field in _WHOLE and isinstance(value, float) and math.isfinite(value):
            if not value.is_integer():
                self.show_message(
                    self.tr("The {what} must be a whole number.").format(
                        what=factor_title(Factor(field)).lower()
                    )
                )
                return None
            value = int(value)
        return svc.edit_item(self.item.id, {field: value}, typing=typing)

    def _run(self, command: Command, origin: QObject) -> bool:
        self.run_requested.emit(command, origin)
        return True

    def _combo_picked(self, name: str, index: int) -> None:
        if self.item is None or index < 0:
            return
        data = self.combos[name].itemData(index)
        value = None if data in ("", None) else data
        command: Command | None
        if name == "target":
            target = next((t for t in self.model.context.targets if t.id == value), None)
            command = svc.set_target(self.item.id, target)
        elif name == "moscow":
            command = svc.edit_item(self.item.id, {"moscow": MoSCoW(value) if value else None})
        else:
            command = svc.edit_item(self.item.id, {name: value})
        self.run_requested.emit(command, self.combos[name])

    def _person_picked(self, text: str) -> None:
        person_id = self._person_by_text.get(text.strip().casefold())
        if self.item is None:
            return
        if person_id is None:
            if text.strip():
                self.show_message(
                    self.tr(
                        "No one called “{text}” in this workspace: pick a name from the list."
                    ).format(text=text.strip())
                )
            return
        self.sme_search.clear()
        if person_id in self.model.context.smes.get(self.item.id, ()):
            return
        self.run_requested.emit(
            svc.link_sme(self.model.runner.project, self.item.id, person_id), self.sme_search
        )

    def _unlink(self, person_id: str) -> None:
        if self.item is not None:
            self.run_requested.emit(
                svc.link_sme(self.model.runner.project, self.item.id, person_id, present=False),
                self.sme_search,
            )

    def show_message(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()


def narrow(combo: QComboBox) -> None:
    """A combo box as narrow as its panel (long names elide; the list shows them whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return on_scale(float(a), (float(b),))
    return bool(a == b)


def _person_text(person: Person) -> str:
    extra = person.expertise or person.role
    return f"{person.name} — {extra}" if extra else person.name


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)
