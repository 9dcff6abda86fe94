"""Coverage: where the plan helps people learn — 70:20:10 mode × the Five Moments of Need.

A heat map of the initiative's items in the plan (not dropped, not out of scope): count and
effort per cell, the first titles in it, shaded by count or by effort.  Totals per mode and per
moment are in the headers.  A click (or Enter) on a cell asks to show the backlog filtered to
that cell (a :class:`~ldpm.domain.backlog_filter.BacklogFilter` navigation target).  Above the
grid, a note says when the plan is lopsided — all classroom, all for the New moment, nothing at
Apply or Solve (:func:`ldpm.domain.coverage.coverage_notes`) — or that it reaches into the flow
of work.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.coverage import CoverageNote, NoteKind, coverage, coverage_notes
from ldpm.domain.entities import BacklogItem, Initiative
from ldpm.domain.enums import LearningMode, MomentOfNeed
from ldpm.services import plan as svc
from ldpm.services.changes import ChangeRecord
from ldpm.ui.actions import ActionSpec
from ldpm.ui.canvas import canvas_colours
from ldpm.ui.models.coverage import (
    COUNT_ROLE,
    HEAT_ROLE,
    KEY_ROLE,
    TITLES_ROLE,
    CoverageModel,
)
from ldpm.ui.operations import OperationRunner
from ldpm.ui.theme import contrast_ratio
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.widgets import set_role

AnyIndex = QModelIndex | QPersistentModelIndex
#: Lines a cell needs at least: its count and effort, two lines of titles.
_MIN_LINES = 3


class HeatDelegate(QStyledItemDelegate):
    """A cell of the heat map: shaded by its heat, with its count, effort and first titles."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.averageCharWidth() * 18, metrics.height() * _MIN_LINES + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        colours = canvas_colours(self._view)
        rect = QRectF(option.rect).adjusted(2, 2, -2, -2)
        heat = float(index.data(HEAT_ROLE) or 0.0)
        count = int(index.data(COUNT_ROLE) or 0)
        base = colours.role("base")
        accent = colours.role("accent")
        fill = _mix(base, accent, 0.12 + 0.68 * heat) if count else colours.role("alt_base")
        text = colours.role("text")
        if contrast_ratio(text.name(), fill.name()) < contrast_ratio(base.name(), fill.name()):
            text = base
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        if option.state & QStyle.StateFlag.State_HasFocus:
            pen = QPen(colours.role("accent" if not colours.high_contrast else "highlight"))
            pen.setWidthF(colours.focus_width)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        inner = rect.adjusted(8, 6, -8, -6)
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        line = QRectF(inner.left(), inner.top(), inner.width(), metrics.height())
        summary = str(index.data() or "")
        first, _dot, rest = summary.partition(" · ")
        if rest and QFontMetrics(bold).horizontalAdvance(summary) > inner.width():
            # Too narrow for "3 items · 9 d" on one line: never cut a number, use two.
            painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter), first)
            line.translate(0, metrics.height())
            summary = rest
        painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter), summary)
        painter.setFont(font)
        titles: list[str] = index.data(TITLES_ROLE) or []
        used = round((line.top() - inner.top()) / metrics.height()) + 1
        room = int(inner.height() // metrics.height()) - used  # lines below the summary
        lines = _title_lines(titles, metrics, int(inner.width()), room)
        for shown in lines:
            line.translate(0, metrics.height())
            painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter), shown)
        painter.restore()


def _title_lines(titles: list[str], metrics: QFontMetrics, width: int, room: int) -> list[str]:
    """The cell's titles as lines that fit ``width``: each "• title" on up to two lines, as
    many as ``room`` lines hold, and "+ n more" on the last line when some do not fit."""
    out: list[str] = []
    for n, title in enumerate(titles):
        left = len(titles) - n
        free = room - len(out) - (1 if left > 1 else 0)  # keep a line for "+ n more"
        if free <= 0:
            break
        wrapped = _wrap(f"• {title}", metrics, width, min(2, free))
        out.extend(wrapped)
    else:
        return out
    shown = sum(1 for line in out if line.startswith("• "))
    more = QCoreApplication.translate("CoverageView", "+ {n} more").format(n=len(titles) - shown)
    return [*out[: max(0, room - 1)], more] if room > 0 else []


def _wrap(text: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width``, the last elided."""
    out: list[str] = []
    words = text.split(" ")
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if metrics.horizontalAdvance(line) > width:  # one long word: cut it here
            out.append(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))
            continue
        out.append("  " + line if out else line)
    if words:
        rest = " ".join(words)
        out.append(
            ("  " if out else "")
            + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width - 8)
        )
    return out


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class CoverageView(InitiativeView):
    """The coverage heat map of one initiative."""

    title = "Coverage"  # translated in the "views" context
    area = "Plan"
    watches = frozenset({BacklogItem, Initiative})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("coverageView")
        self.model = CoverageModel(self)
        heading = QLabel(self.tr("Where the plan helps people learn"), self)
        set_role(heading, "h1")
        intro = QLabel(
            self.tr(
                "The items in the plan by 70:20:10 mode and by the Five Moments of Need, with "
                "their effort. Dropped and out-of-scope items are not counted. Click a cell to "
                "see its items in the backlog."
            ),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "muted")
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAccessibleName(self.tr("Balance of the plan"))
        self.by_count = QRadioButton(self.tr("Shade by number of items"), self)
        self.by_effort = QRadioButton(self.tr("Shade by effort"), self)
        self.by_count.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_count)
        group.addButton(self.by_effort)
        self.by_effort.toggled.connect(self.model.set_shading)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Coverage by mode and moment"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(HeatDelegate(self.table))
        self.table.setShowGrid(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows.setMinimumSectionSize(self.fontMetrics().height() * _MIN_LINES + 16)
        self.table.clicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)
        self.hint = QLabel(self)
        set_role(self.hint, "muted")

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left to see where its plan "
                "helps people learn: on the job, with others, or in formal education, and at "
                "which moment of need."
            ),
            self,
        )
        content = QWidget(self)
        shading = QHBoxLayout()
        shading.addWidget(self.by_count)
        shading.addWidget(self.by_effort)
        shading.addStretch(1)
        column = QVBoxLayout(content)
        column.setContentsMargins(12, 12, 12, 8)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addWidget(self.notes)
        column.addLayout(shading)
        column.addWidget(self.table, 1)
        column.addWidget(self.hint)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.table.verticalHeader().setMinimumSectionSize(
                self.fontMetrics().height() * _MIN_LINES + 16
            )

    # ================================================================ loading
    def reload(self) -> None:
        if self.initiative_id is None:
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        plan = svc.load_plan(self.project, self.initiative_id)
        cov = coverage(plan.items)
        self.model.set_coverage(cov)
        self._show_notes(coverage_notes(cov), cov.total)
        self.hint.setText(
            self.tr("Nothing in the plan yet: add backlog items with a mode and a moment.")
            if not cov.total
            else ""
        )

    def apply(self, record: ChangeRecord) -> None:
        self.reload()

    def _show_notes(self, notes: list[CoverageNote], total: int) -> None:
        warnings = [n for n in notes if n.lopsided]
        lines = [self._sentence(n) for n in warnings]
        if total and not warnings:
            lines.append(
                "✓ "
                + self.tr(
                    "The plan reaches into the flow of work: it has items learned on the job "
                    "and items at the moments of applying and solving."
                )
            )
        lines += [self._sentence(n) for n in notes if not n.lopsided]
        if warnings:
            lines[0] = "⚠ " + self.tr("The plan is lopsided.") + " " + lines[0]
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))
        set_role(self.notes, "warning" if warnings else "ok")

    def _sentence(self, note: CoverageNote) -> str:
        n, total = note.count, note.total
        if note.kind is NoteKind.MOSTLY_FORMAL:
            return self.tr(
                "Most of it is formal education ({n} of {total} items with a mode); in "
                "70:20:10 most learning happens on the job and with others."
            ).format(n=n, total=total)
        if note.kind is NoteKind.NO_EXPERIENCE:
            return self.tr("Nothing is learned on the job: no item is experience (the 70).")
        if note.kind is NoteKind.MOSTLY_NEW:
            return self.tr(
                "Most items serve the New moment ({n} of {total}); people also need help "
                "when they apply, solve problems and face change."
            ).format(n=n, total=total)
        if note.kind is NoteKind.NO_APPLY_SOLVE:
            return self.tr(
                "Nothing helps at Apply or Solve, the moments of work itself: consider "
                "performance support such as a job aid."
            )
        return self.tr(
            "{n} of {total} items have no mode or no moment yet; they are counted under "
            "“No mode” or “No moment”."
        ).format(n=n, total=total)

    # ============================================================= navigation
    def open_cell(self, index: QModelIndex) -> None:
        """Ask to show the backlog filtered to the items of a cell."""
        if not index.isValid():
            return
        mode, moment = index.data(KEY_ROLE)
        if not index.data(COUNT_ROLE):
            self.hint.setText(self.tr("No items here yet."))
            return
        self.hint.setText("")
        self.navigate_requested.emit(cell_filter(mode, moment))

    def view_actions(self) -> list[ActionSpec]:
        return [
            ActionSpec(
                "coverage_by_effort",
                "Shade Coverage by &Effort",
                "view",
                lambda: self.by_effort.setChecked(not self.by_effort.isChecked()),
                "coverage",
                checkable=True,
                checked=self.by_effort.isChecked,
                enabled=lambda: self.initiative_id is not None,
            )
        ]


def cell_filter(mode: LearningMode | None, moment: MomentOfNeed | None) -> BacklogFilter:
    """The backlog filter that shows the items of one cell."""
    return BacklogFilter(modes=frozenset({mode}), moments=frozenset({moment}))
