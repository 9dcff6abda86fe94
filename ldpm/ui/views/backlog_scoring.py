"""The workspace's scoring, edited beside the backlog: which method ranks backlogs, the RICE
impact and confidence steps, the WSJF weights, and a written rubric for every factor (blank
shows the built-in rubric, greyed, as a starting point).  Every change is an undoable edit of
the workspace, kept in the file and synced; a value the rules refuse (a step that is not a
number, every weight zero) is explained in the panel and nothing is written.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ldpm.domain.entities import Workspace
from ldpm.domain.enums import ScoringMethod
from ldpm.domain.scales import format_scale, parse_scale
from ldpm.domain.scoring import DEFAULT_RUBRICS, Factor
from ldpm.services import backlog as svc
from ldpm.services.commands import Command
from ldpm.services.project import Project
from ldpm.ui.forms import FormBinder, set_line_text
from ldpm.ui.models.backlog_columns import factor_title
from ldpm.ui.widgets import format_number, parse_number, set_role


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


def _to_stored(text: str, *, percent: bool) -> str:
    """Steps typed in the user's locale ("3; 2; 0,5") in the stored form ("3; 2; 0.5"); text
    that cannot be read is passed on as it is, for the workspace's rules to refuse."""
    values = []
    for raw in text.split(";"):
        part = raw.strip().removesuffix("%").strip() if percent else raw.strip()
        if not part:
            continue
        value = parse_number(part)
        if value is None or not math.isfinite(value):
            return text
        values.append(value)
    return format_scale(values) if values else text


def _to_shown(stored: str, *, percent: bool) -> str:
    try:
        steps = parse_scale(stored)
    except ValueError:
        return stored
    suffix = "%" if percent else ""
    return "; ".join(format_number(s) + suffix for s in steps)


class ScoringPanel(QWidget):
    """See the module docstring."""

    run_requested = Signal(object, object)  # Command, origin

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoringSettings")
        self.project = project
        self.workspace: Workspace | None = None
        self.binder = FormBinder(
            self, edit=self._command, run=self._run, current=lambda: self.workspace
        )
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Scoring for this workspace"), self)
        heading.setWordWrap(True)
        set_role(heading, "h2")
        layout.addWidget(heading)
        intro = QLabel(
            self.tr(
                "These apply to every backlog in the workspace. Scores are absolute: an item's "
                "score depends on its own inputs only, so adding an idea never shifts another."
            ),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "muted")
        layout.addWidget(intro)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Why the value was not taken"))
        set_role(self.message, "warning")
        self.message.hide()
        layout.addWidget(self.message)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        method = self.binder.choice_field("scoring_method", ScoringMethod)
        method.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        method.setMinimumContentsLength(10)
        method.setAccessibleName(self.tr("Rank backlogs by"))
        form.addRow(self._caption(self.tr("Rank backlogs by"), method), method)
        self.impact_scale = self._scale("impact_scale", self.tr("RICE impact steps"))
        form.addRow(
            self._caption(
                self.tr("RICE impact steps, separated by semicolons"), self.impact_scale
            ),
            self.impact_scale,
        )
        self.confidence_scale = self._scale("confidence_scale", self.tr("RICE confidence steps"))
        form.addRow(
            self._caption(self.tr("RICE confidence steps (%)"), self.confidence_scale),
            self.confidence_scale,
        )
        for field, text in (
            ("wsjf_weight_value", self.tr("WSJF weight of business value")),
            ("wsjf_weight_time", self.tr("WSJF weight of time criticality")),
            ("wsjf_weight_risk", self.tr("WSJF weight of risk reduction")),
        ):
            weight = self.binder.number_field(field)
            weight.setAccessibleName(text)
            form.addRow(self._caption(text, weight), weight)
        layout.addLayout(form)
        rubrics = QLabel(self.tr("Rubrics"), self)
        set_role(rubrics, "h3")
        layout.addWidget(rubrics)
        hint = QLabel(
            self.tr(
                "What each score means, shown wherever someone scores. Leave one blank "
                "to use the built-in rubric shown in grey."
            ),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        layout.addWidget(hint)
        rubric_form = QFormLayout()
        rubric_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for factor in Factor:
            editor = self.binder.text_field(factor.rubric_field, _domain(DEFAULT_RUBRICS[factor]))
            title = factor_title(factor)
            editor.setAccessibleName(self.tr("Rubric for {factor}").format(factor=title))
            rubric_form.addRow(self._caption(title, editor), editor)
        layout.addLayout(rubric_form)
        layout.addStretch(1)

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        """A caption that wraps (a narrow panel) and names its field."""
        caption = QLabel(text, self)
        caption.setWordWrap(True)
        caption.setBuddy(buddy)
        return caption

    def _scale(self, field: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(field)
        edit.setAccessibleName(accessible)
        edit.editingFinished.connect(lambda f=field: self._scale_finished(f))
        return edit

    # ------------------------------------------------------------- showing
    def reload(self) -> None:
        self.workspace = svc.workspace(self.project)
        self.binder.show()
        self._show_scales()

    def _show_scales(self) -> None:
        if self.workspace is None:
            return
        for edit, stored, percent in (
            (self.impact_scale, self.workspace.impact_scale, False),
            (self.confidence_scale, self.workspace.confidence_scale, True),
        ):
            if not edit.hasFocus():
                set_line_text(edit, _to_shown(stored, percent=percent))

    # ------------------------------------------------------------- editing
    def _command(self, field: str, value: Any, typing: bool) -> Command | None:
        return svc.edit_scoring(self.project, {field: value}, typing=typing)

    def _run(self, command: Command, origin: QObject) -> bool:
        self.run_requested.emit(command, origin)
        return True

    def _scale_finished(self, field: str) -> None:
        if self.workspace is None:
            return
        edit = self.impact_scale if field == "impact_scale" else self.confidence_scale
        stored = _to_stored(edit.text(), percent=field == "confidence_scale")
        if stored != getattr(self.workspace, field):
            self.run_requested.emit(svc.edit_scoring(self.project, {field: stored}), edit)
        self.workspace = svc.workspace(self.project)
        set_line_text(
            edit,
            _to_shown(getattr(self.workspace, field), percent=field == "confidence_scale"),
        )

    def show_message(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()
