"""A form's rows of fields that become one field per row when they would be cut off.

Beside a table (the stakeholder register), a form gets a third of the window; in the projector
preset its text is twice as large, and two choices side by side would show "Subject-m…"
instead of "Subject-matter expert".  :class:`FlowGrid` lays its cells out in rows while every
cell has the room its content needs — the longest choice of a combo box in it (unless the box
may elide), its own minimum (a button's text), or ``min_chars`` average characters — and one
cell per row, full width, when it has not.  It decides again when its width, font or style
changes (the projector preset, the text size).  Every form's rows are one
(:meth:`~ldpm.ui.views.form_page.FormPage.grid`), so no form scrolls sideways.
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLayout, QWidget

#: Room for a combo box's arrow and padding beside its longest text, in average characters.
_ARROW_CHARS = 5
#: A combo box that said it may be narrower than its longest choice.
_MAY_ELIDE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon


class FlowGrid(QWidget):
    """Rows of cells sharing the width, or one cell per row (see the module docstring)."""

    def __init__(
        self, rows: list[list[QWidget]], parent: QWidget | None = None, *, min_chars: int = 12
    ) -> None:
        super().__init__(parent)
        self._rows = rows
        self.min_chars = min_chars
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        # Its minimum is that of one cell per row (minimumSizeHint), not the grid's: a parent
        # may make it narrower than the cells side by side need, and then it reflows.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for row in rows:
            for cell in row:
                cell.setParent(self)
        self._order_tabs()
        #: One cell per row now (None: not laid out yet).
        self.single: bool | None = None
        self._place(single=False)

    def _order_tabs(self) -> None:
        # Tab goes along the rows as they read, whatever order the fields were made in.
        fields = [field for row in self._rows for cell in row for field in _fields(cell)]
        for before, after in itertools.pairwise(fields):
            QWidget.setTabOrder(before, after)

    def needed(self, cell: QWidget) -> int:
        """The width ``cell`` needs to show its content whole."""
        need = max(
            self.fontMetrics().averageCharWidth() * self.min_chars, cell.minimumSizeHint().width()
        )
        combos = cell.findChildren(QComboBox)
        if isinstance(cell, QComboBox):
            combos.append(cell)
        for combo in combos:
            if combo.sizeAdjustPolicy() == _MAY_ELIDE:
                continue  # a long name (a metric, a release) may be cut; the list shows it whole
            metrics = combo.fontMetrics()
            widest = max(
                (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                default=0,
            )
            need = max(need, widest + metrics.averageCharWidth() * _ARROW_CHARS)
        return need

    def fits(self, width: int) -> bool:
        """Whether every row's cells have the room they need side by side at ``width``."""
        spacing = self._spacing()
        for row in self._rows:
            if len(row) < 2:
                continue
            each = (width - spacing * (len(row) - 1)) / len(row)
            if any(self.needed(cell) > each for cell in row):
                return False
        return True

    def _spacing(self) -> int:
        return self.fontMetrics().averageCharWidth() * 3

    def _space(self) -> None:
        # At the text's size: six tenths of a line between rows, three characters between cells.
        across, down = self._spacing(), round(self.fontMetrics().lineSpacing() * 0.6)
        if (across, down) != (self._grid.horizontalSpacing(), self._grid.verticalSpacing()):
            self._grid.setHorizontalSpacing(across)
            self._grid.setVerticalSpacing(down)

    def _place(self, *, single: bool) -> None:
        self._space()
        if single == self.single:
            return
        self.single = single
        while self._grid.count():
            self._grid.takeAt(0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        if single:
            cells = [cell for row in self._rows for cell in row]
            for r, cell in enumerate(cells):
                self._grid.addWidget(cell, r, 0)
            self._grid.setColumnStretch(0, 1)
            return
        widest = math.lcm(*(len(r) for r in self._rows)) if self._rows else 1
        for r, cells in enumerate(self._rows):
            span = widest // len(cells)
            for c, cell in enumerate(cells):
                self._grid.addWidget(cell, r, c * span, 1, span)
        for c in range(widest):
            self._grid.setColumnStretch(c, 1)

    def minimumSizeHint(self) -> QSize:
        # As narrow as one cell per row with every cell whole (the longest choice shown).
        cells = [cell for row in self._rows for cell in row]
        width = max((self.needed(cell) for cell in cells), default=0)
        return QSize(width, super().minimumSizeHint().height())

    def _reflow(self, width: int) -> None:
        if width > 0:
            self._place(single=not self.fits(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()  # what it needs changed with the text
            self._reflow(self.width())


def _fields(cell: QWidget) -> list[QWidget]:
    """The widgets in ``cell`` that Tab stops at, in their focus order; a field's own parts
    (a combo box's or a date edit's line edit) are its, not stops of their own."""
    stops = []
    for widget in [cell, *cell.findChildren(QWidget)]:
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy():
            continue
        owner = widget.parentWidget()
        while owner is not None and owner is not cell.parentWidget():
            if owner.focusPolicy() & Qt.FocusPolicy.TabFocus and owner in stops:
                break
            owner = owner.parentWidget()
        else:
            stops.append(widget)
    return stops
