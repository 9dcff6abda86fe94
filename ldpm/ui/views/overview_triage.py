"""The intake's triage sections, mixed into the Overview (:class:`TriageSections`):

* **Why aren't they doing it?**  The causes as check boxes (more than one allowed).  Knowledge
  and skill lead to a learning solution; every other cause is "not a training problem" and
  gets a row in the routing table: a suggested owner, a hand-off note and a date.  When no
  learning cause is checked, the request can **close as routed** — without being a failure.
* **Triage.**  New, in review, waitlisted, approved, declined or routed.  Declining and
  waitlisting take a reason written for the requester; approval is refused while the problem
  statement is not measurable, unless the user writes why they approve it anyway (the
  override is kept and shown).
* **Who already does it well** becomes people marked as subject-matter experts in one step:
  the names found in the answer are offered (people already in the workspace checked).

Every change is a command through the view (:meth:`InitiativeView.run`); a refusal is
explained in the section's message line and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Initiative
from ldpm.domain.enums import Cause, TriageStatus
from ldpm.domain.problem import check_problem_statement
from ldpm.domain.triage import (
    Exemplar,
    is_learning_cause,
    owner_hint,
    routing_refusal,
    summarise,
)
from ldpm.services import triage
from ldpm.ui.labels import label
from ldpm.ui.table_view import DataTableView
from ldpm.ui.widgets import fit_table_height, format_date, set_role

if TYPE_CHECKING:
    from ldpm.services.commands import Command
    from ldpm.ui.forms import FormBinder
    from ldpm.ui.models.causes import CausesModel
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.views.form_page import FormPage


def _tr(text: str) -> str:
    return QCoreApplication.translate("OverviewView", text)


def _domain(text: str) -> str:
    return QCoreApplication.translate("domain", text)


class TriageSections:
    """See the module docstring."""

    form: FormPage
    binder: FormBinder
    runner: OperationRunner
    causes_model: CausesModel
    _initiative: Initiative | None

    # ------------------------------------------------------------- building
    def _causes_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Why aren't they doing it?"),
            _tr(
                "Check every cause that applies. Knowledge and skill gaps are what learning can "
                "fix; for every other cause, say who should own it — it is not a training "
                "problem."
            ),
        )
        cells: list[QWidget] = []
        self.cause_boxes: dict[Cause, QCheckBox] = {}
        for cause in Cause:
            check = QCheckBox(label(cause), box)
            check.setObjectName(f"cause_{cause.value}")
            check.setAccessibleName(
                _tr("{cause}: learning can help").format(cause=label(cause))
                if is_learning_cause(cause)
                else _tr("{cause}: not a training problem").format(cause=label(cause))
            )
            check.setToolTip(
                _tr("A learning solution can help with this.")
                if is_learning_cause(cause)
                else _tr("Not a training problem: route it to {owner}.").format(
                    owner=_domain(owner_hint(cause))
                )
            )
            check.clicked.connect(lambda on, c=cause: self._cause_clicked(c, on))
            cells.append(check)
            self.cause_boxes[cause] = check
        rows = [cells[n : n + 3] for n in range(0, len(cells), 3)]
        layout.addWidget(self.form.grid(box, rows, min_chars=0))
        self.cause_summary = QLabel(box)
        self.cause_summary.setObjectName("causeSummary")
        self.cause_summary.setWordWrap(True)
        self.cause_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.cause_summary.setAccessibleName(_tr("What the causes say"))
        layout.addWidget(self.cause_summary)

        self.routing_view = DataTableView(box)
        self.routing_view.setObjectName("routing")
        self.routing_view.setModel(self.causes_model)
        self.routing_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.routing_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.routing_view.set_message_label(self.form.sections[-1][1])
        self.routing_holder = self.form.labelled(
            _tr("Routing: not a training problem"), self.routing_view, box
        )
        layout.addWidget(self.routing_holder)
        routed_to = self.binder.line_field(
            "routed_to", _tr("Where the rest went, in a sentence for the requester")
        )
        layout.addWidget(self.form.labelled(_tr("Routing summary"), routed_to, box))
        buttons = QHBoxLayout()
        self.close_routed_button = QPushButton(_tr("Close as Routed"), box)
        self.close_routed_button.setObjectName("closeRouted")
        self.close_routed_button.setAccessibleName(_tr("Close the request as routed"))
        self.close_routed_button.setToolTip(
            _tr(
                "Not a training problem: close the request as routed. This is not a failure: "
                "the problem went to the people who can fix it."
            )
        )
        self.close_routed_button.clicked.connect(self._close_routed)
        buttons.addWidget(self.close_routed_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        for signal in (
            self.causes_model.modelReset,
            self.causes_model.rowsInserted,
            self.causes_model.rowsRemoved,
        ):
            signal.connect(self._fit_routing)
        self.form.claim(["causes", "routed_to"], box)
        return box

    def _triage_section(self) -> QGroupBox:
        box, layout = self.form.section(
            _tr("Triage"),
            _tr(
                "Decide what happens to the request. Declined and waitlisted requests carry a "
                "reason written for the requester; approval needs a measurable problem "
                "statement, or a written reason to go ahead without one."
            ),
        )
        status = self.form.labelled(
            _tr("Triage status"), self.binder.choice_field("triage", TriageStatus), box
        )
        spacer = QWidget(box)
        layout.addWidget(self.form.grid(box, [[status, spacer]]))
        self.triage_label = QLabel(box)
        self.triage_label.setObjectName("triageState")
        self.triage_label.setWordWrap(True)
        self.triage_label.setTextFormat(Qt.TextFormat.PlainText)
        self.triage_label.setAccessibleName(_tr("Where the request stands"))
        layout.addWidget(self.triage_label)
        layout.addWidget(
            self.form.labelled(
                _tr("Reason for the requester (declined or waitlisted)"),
                self.binder.text_field(
                    "triage_reason",
                    _tr("Why, in plain words the requester will read — and what happens next"),
                ),
                box,
            )
        )
        layout.addWidget(
            self.form.labelled(
                _tr("Approve without a measurable statement because…"),
                self.binder.text_field(
                    "approval_override",
                    _tr("Only if you approve before the statement is measurable: say why"),
                ),
                box,
            )
        )
        self.form.claim(["triage", "triage_reason", "approval_override"], box)
        return box

    def _exemplars_tools(self, box: QGroupBox, layout: QVBoxLayout) -> None:
        """Under "who already does it well?": mark the people named as SMEs."""
        row = QHBoxLayout()
        self.find_exemplars_button = QPushButton(_tr("Mark as Subject-Matter Experts…"), box)
        self.find_exemplars_button.setObjectName("findExemplars")
        self.find_exemplars_button.setAccessibleName(
            _tr("Mark the people who already do it well as subject-matter experts")
        )
        self.find_exemplars_button.clicked.connect(self._offer_exemplars)
        row.addWidget(self.find_exemplars_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.exemplar_panel = QWidget(box)
        self.exemplar_panel.setObjectName("exemplarPanel")
        panel = QVBoxLayout(self.exemplar_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        self.exemplar_hint = QLabel(self.exemplar_panel)
        self.exemplar_hint.setWordWrap(True)
        set_role(self.exemplar_hint, "muted")
        panel.addWidget(self.exemplar_hint)
        self.exemplar_list = QVBoxLayout()
        panel.addLayout(self.exemplar_list)
        buttons = QHBoxLayout()
        self.mark_smes_button = QPushButton(self.exemplar_panel)
        self.mark_smes_button.setObjectName("markSmes")
        self.mark_smes_button.clicked.connect(self._mark_smes)
        cancel = QPushButton(_tr("Cancel"), self.exemplar_panel)
        cancel.clicked.connect(self.exemplar_panel.hide)
        buttons.addWidget(self.mark_smes_button)
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        panel.addLayout(buttons)
        self.exemplar_panel.hide()
        self.exemplar_checks: list[tuple[QCheckBox, Exemplar]] = []
        layout.addWidget(self.exemplar_panel)
        self.exemplar_done = QLabel(box)
        self.exemplar_done.setObjectName("exemplarsMarked")
        self.exemplar_done.setWordWrap(True)
        set_role(self.exemplar_done, "ok")
        self.exemplar_done.hide()
        layout.addWidget(self.exemplar_done)

    # -------------------------------------------------------------- showing
    def _show_triage(self, initiative: Initiative) -> None:
        causes = self.causes_model.all_causes()
        checked = {c.cause for c in causes}
        for cause, box in self.cause_boxes.items():
            if box.isChecked() != (cause in checked):
                blocked = box.blockSignals(True)
                box.setChecked(cause in checked)
                box.blockSignals(blocked)
        summary = summarise(checked)
        text = _domain(summary.sentence())
        if not summary.known:
            self.cause_summary.setText(text)
            set_role(self.cause_summary, "muted")
        elif summary.training_problem:
            self.cause_summary.setText(("⚠ " if summary.routed else "✓ ") + text)
            set_role(self.cause_summary, "warning" if summary.routed else "ok")
        else:
            self.cause_summary.setText("⚠ " + text)
            set_role(self.cause_summary, "warning")
        self.routing_holder.setVisible(bool(summary.routed))
        refusal = routing_refusal(causes)
        self.close_routed_button.setEnabled(
            refusal is None and initiative.triage is not TriageStatus.ROUTED
        )
        self.close_routed_button.setToolTip(
            _domain(refusal)
            if refusal
            else _tr("Close the request as routed: not a training problem, and not a failure.")
        )
        self.triage_label.setText(self._triage_sentence(initiative))
        status = initiative.triage
        measurable = check_problem_statement(initiative).measurable
        if status is TriageStatus.NEW or (status is TriageStatus.APPROVED and not measurable):
            set_role(self.triage_label, "warning")
        elif status is TriageStatus.APPROVED:
            set_role(self.triage_label, "ok")
        else:
            set_role(self.triage_label, "muted")

    def _triage_sentence(self, initiative: Initiative) -> str:
        status = initiative.triage
        on = (
            _tr(" on {date}").format(date=format_date(initiative.triaged_on))
            if initiative.triaged_on
            else ""
        )
        if status is TriageStatus.NEW:
            return _tr("⚠ A new request: run the intake, then decide.")
        if status is TriageStatus.IN_REVIEW:
            return _tr("In review: the intake is under way.")
        if status is TriageStatus.APPROVED:
            if not check_problem_statement(initiative).measurable:
                return _tr(
                    "⚠ Approved{on} without a measurable problem statement, because: {why}"
                ).format(on=on, why=initiative.approval_override.strip() or _tr("(no reason)"))
            return _tr("✓ Approved{on}.").format(on=on)
        if status is TriageStatus.ROUTED:
            return _tr(
                "Closed as routed{on}: not a training problem, sent where it belongs."
            ).format(on=on)
        what = _tr("Declined") if status is TriageStatus.DECLINED else _tr("Waitlisted")
        return _tr("{what}{on}. The requester reads the reason below.").format(what=what, on=on)

    def _fit_routing(self, *_args: object) -> None:
        fit_table_height(self.routing_view, min_rows=1, max_rows=len(Cause))

    # -------------------------------------------------------------- actions
    def _cause_clicked(self, cause: Cause, on: bool) -> None:
        initiative = self._initiative
        if initiative is None:
            return
        command = triage.set_cause(self.runner.project, initiative.id, cause, on)
        self._run(command, "causes")

    def _close_routed(self) -> None:
        if self._initiative is not None:
            self._run(triage.set_triage(self._initiative.id, TriageStatus.ROUTED), "causes")

    def _offer_exemplars(self) -> None:
        initiative = self._initiative
        if initiative is None:
            return
        found = triage.exemplars(self.runner.project, initiative.id)
        for check, _e in self.exemplar_checks:
            check.deleteLater()
        self.exemplar_checks = []
        if not found:
            self.exemplar_hint.setText(
                _tr(
                    "No names found in “Who already does it well?”. Write their names there "
                    "first, for example “Tomás Reyes and Aisha Karimi”."
                )
            )
            self.mark_smes_button.hide()
        else:
            self.exemplar_hint.setText(
                _tr(
                    "Names found in the answer. People already in the workspace are checked; "
                    "check the others that are people, too."
                )
            )
            already = triage.sme_person_ids(self.runner.project, initiative.id)
            for exemplar in found:
                if exemplar.person_id in already:
                    text = _tr("{name} (a subject-matter expert here already)")
                elif exemplar.person_id:
                    text = "{name}"
                else:
                    text = _tr("{name} (new person)")
                check = QCheckBox(text.format(name=exemplar.name), self.exemplar_panel)
                check.setChecked(
                    exemplar.person_id is not None and exemplar.person_id not in already
                )
                check.setEnabled(exemplar.person_id not in already)
                check.toggled.connect(self._count_exemplars)
                self.exemplar_list.addWidget(check)
                self.exemplar_checks.append((check, exemplar))
            self.mark_smes_button.show()
            self._count_exemplars()
        self.exemplar_panel.show()

    def _count_exemplars(self, *_args: object) -> None:
        chosen = sum(1 for check, _e in self.exemplar_checks if check.isChecked())
        self.mark_smes_button.setText(_tr("Mark {n} as SMEs").format(n=chosen))
        self.mark_smes_button.setEnabled(chosen > 0)

    def _mark_smes(self) -> None:
        initiative = self._initiative
        chosen = [e for check, e in self.exemplar_checks if check.isChecked()]
        if initiative is None or not chosen:
            return
        command = triage.mark_smes(self.runner.project, initiative.id, chosen)
        if command is not None and self._run(command, "intake_exemplars"):
            self.exemplar_panel.hide()
            self.exemplar_done.setText(
                "✓ "
                + _tr("{names}: subject-matter experts of this initiative now.").format(
                    names=", ".join(e.name for e in chosen)
                )
            )
            self.exemplar_done.show()

    if TYPE_CHECKING:

        def _run(self, command: Command, field: str) -> bool: ...
