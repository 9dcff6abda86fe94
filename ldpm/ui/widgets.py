"""Small reusable editors and helpers shared by views and item models.

- :func:`format_number` / :func:`parse_number`: how numbers are shown and read back.
- :class:`OptionalDateEdit`: a date field whose minimum ("No date") means ``None``.
- :class:`GrowingTextEdit`: a multi-line field that grows with its text (in lines, so it
  follows the font scale).
- :func:`fit_table_height`: sizes a table inside a scrolling form to its rows.
- :func:`set_role`: sets the ``role`` property the theme's style sheet keys on (``h1``,
  ``muted``, ``ok``, ``warning`` …) and re-polishes the widget.
- :class:`WheelGuard` / :func:`guard_wheel`: the mouse wheel changes a combo box, spin box or
  date only when it has focus; otherwise the wheel scrolls the page around it.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QTextCharFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QTableView,
    QTreeView,
    QWidget,
)

#: The date shown as "No date" (the minimum of an :class:`OptionalDateEdit`).
NO_DATE = QDate(1900, 1, 1)

AnyIndex = QModelIndex | QPersistentModelIndex


# ------------------------------------------------------------------------ numbers


def format_number(value: float | None) -> str:
    """A number as people write it: ``30``, ``2.5``, ``1,250`` (in the user's locale)."""
    if value is None:
        return ""
    locale = QLocale()
    if float(value).is_integer() and abs(value) < 1e15:
        return locale.toString(int(value))
    return locale.toString(float(value), "g", 12)


def parse_number(text: str) -> float | None:
    """The number typed into a field: blank is ``None``.

    Reads the user's locale first (``1.250,5`` in German), then the plain Python form
    (``1.5``).
    Unreadable text becomes NaN on purpose: every entity's ``validate()`` rejects a non-finite
    number with a sentence for the user, so the operation runner reports the mistake like any
    other and nothing is changed.
    """
    text = text.strip()
    if not text:
        return None
    value, ok = QLocale().toDouble(text)
    if ok:
        return value
    try:
        # The plain form ("1.5", "2e3") only: stripping separators would turn an English
        # reader's "1,5" into fifteen.
        return float(text)
    except ValueError:
        return math.nan


def parse_count(text: str) -> int | float | None:
    """A whole number typed into a field (a segment's size): blank is ``None``.  Anything
    else that is not a whole number becomes NaN (see :func:`parse_number`)."""
    value = parse_number(text)
    if value is None:
        return None
    if math.isfinite(value) and value.is_integer():
        return int(value)
    return math.nan


# -------------------------------------------------------------------------- dates


def to_qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value is not None else QDate()


def from_qdate(value: QDate) -> date | None:
    if not value.isValid() or value <= NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


def to_date(value: object) -> date | None:
    """A date from what an editor hands a model: ``QDate``, ``date``, ISO text or nothing.
    Raises ValueError for text that is not a date."""
    if value is None:
        return None
    if isinstance(value, QDate):
        return from_qdate(value)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    parsed = QDate.fromString(text, Qt.DateFormat.ISODate)
    if not parsed.isValid():
        parsed = QLocale().toDate(text, DATE_FORMAT)
    if not parsed.isValid():
        parsed = QLocale().toDate(text, QLocale.FormatType.ShortFormat)
    if not parsed.isValid():
        raise ValueError(text)
    return from_qdate(parsed)


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return QLocale().toString(to_qdate(value), DATE_FORMAT)


#: Unambiguous in every locale ("12 Jan 2026"), unlike the short numeric formats.
DATE_FORMAT = "d MMM yyyy"


class OptionalDateEdit(QDateEdit):
    """A date field where the minimum date, shown as "No date", means ``None``.

    :attr:`committed` fires with the new ``date | None`` when the user finishes editing
    (Enter, leaving the field, or picking a day in the calendar) and the value differs from
    the last one set or committed.  :meth:`clear_date` returns to "No date".

    The calendar popup shows every week at any text size, weekends in the text colour, and
    two buttons under the month: **Today** and **No Date** (back to no date).  The mouse
    wheel changes the date only while the field has focus; otherwise it scrolls the page.
    """

    committed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(self.tr("No date"))
        self.setDate(NO_DATE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._last: date | None = None
        self.editingFinished.connect(self._finish)
        calendar = self.calendarWidget()
        calendar.setAccessibleName(self.tr("Choose a date"))
        # Weekends in the palette's text colour: Qt's red fails contrast on dark themes.
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            calendar.setWeekdayTextFormat(day, QTextCharFormat())
        calendar.clicked.connect(self._finish_later)
        calendar.activated.connect(self._finish_later)
        calendar.installEventFilter(self)
        # Qt's popup window around the calendar: framed by the style sheet (#datePopup).
        popup = calendar.parentWidget()
        if popup is not None:
            popup.setObjectName("datePopup")
            popup.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        footer = QWidget(calendar)
        footer.setObjectName("calendarFooter")
        row = QHBoxLayout(footer)
        self.today_button = QPushButton(self.tr("&Today"), footer)
        self.today_button.setAccessibleName(self.tr("Choose today"))
        self.no_date_button = QPushButton(self.tr("&No Date"), footer)
        self.no_date_button.setAccessibleName(self.tr("Remove the date"))
        self.no_date_button.setToolTip(self.tr("Leave the date empty"))
        for button in (self.today_button, self.no_date_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        self.today_button.clicked.connect(lambda: self._pick(QDate.currentDate()))
        self.no_date_button.clicked.connect(lambda: self._pick(NO_DATE))
        layout = calendar.layout()
        assert layout is not None
        layout.addWidget(footer)
        self._footer = footer
        self._fit_calendar()

    def value(self) -> date | None:
        return from_qdate(self.date())

    def setValue(self, value: date | None) -> None:
        """Show ``value`` without emitting :attr:`committed`."""
        self._last = value
        blocked = self.blockSignals(True)
        try:
            self.setDate(to_qdate(value) if value is not None else NO_DATE)
        finally:
            self.blockSignals(blocked)

    def clear_date(self) -> None:
        """Set "No date" and commit it."""
        self.setDate(NO_DATE)
        self._finish()

    def _pick(self, day: QDate) -> None:
        # Close the popup first: closing without a day picked puts back the date it opened
        # with.  Then show the day and commit it.
        self.calendarWidget().window().hide()
        self.setDate(day)
        self._finish()

    def _finish_later(self, _day: QDate) -> None:
        # The calendar has set the date already: commit it now, not only on focus loss.
        self._finish()

    def _finish(self) -> None:
        value = self.value()
        if value != self._last:
            self._last = value
            self.committed.emit(value)

    def _fit_calendar(self) -> None:
        """Make the calendar tall enough for the weekday row, six weeks and the buttons
        (Qt's size hint ignores the style sheet's padding and cuts the last week)."""
        calendar = self.calendarWidget()
        view = calendar.findChild(QTableView)
        layout = calendar.layout()
        if view is None or layout is None:
            return
        header = view.verticalHeader()
        row = max(header.minimumSectionSize(), view.fontMetrics().height() + 6)
        navigation = layout.itemAt(0)
        top = navigation.sizeHint().height() if navigation is not None else 0
        height = top + 7 * row + 2 * view.frameWidth() + self._footer.sizeHint().height()
        hint = calendar.sizeHint()
        popup = calendar.parentWidget()
        frame_layout = popup.layout() if popup is not None else None
        if popup is not None and frame_layout is not None:
            # Room for the popup's frame from the style sheet.
            frame = popup.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, popup)
            frame_layout.setContentsMargins(frame, frame, frame, frame)
        calendar.setMinimumSize(
            max(hint.width(), self._footer.sizeHint().width()), max(hint.height(), height)
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Delete or Backspace with the whole field selected means "no date".
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.value() is None or self.lineEdit().selectedText() == self.text()
        ):
            self.clear_date()
            return
        self._fit_calendar()  # F4 or Alt+Down may open the calendar
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._fit_calendar()  # the popup is placed by its size before it is shown
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the page over a date must not change it.
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        calendar = self.calendarWidget()
        if watched is calendar and event.type() == QEvent.Type.Show:
            # Opening the calendar on "No date" would show January 1900: show this month.
            if self.value() is None:
                today = QDate.currentDate()
                calendar.setCurrentPage(today.year(), today.month())
            self.no_date_button.setEnabled(self.value() is not None)
        return super().eventFilter(watched, event)


class PaddedDelegate(QStyledItemDelegate):
    """The standard delegate with breathing room above and below the text (a third of a
    line, so it follows the font scale)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + option.fontMetrics.lineSpacing() * 2 // 3)


class EllipsisCombo(QComboBox):
    """A combo box that may be narrower than its longest choice (a metric's or an
    assessment's name) and then shows the current one cut with "…" instead of clipped in the
    middle of a letter; its list, and its tooltip, show them whole."""

    def __init__(self, parent: QWidget | None = None, *, chars: int = 12) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(chars)
        self.currentTextChanged.connect(self.setToolTip)

    def shown_text(self) -> str:
        """The current text as drawn at the box's present width."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(0, field.width())
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


# -------------------------------------------------------------------------- text


class GrowingTextEdit(QPlainTextEdit):
    """A multi-line text field that is as tall as its text (between ``min_lines`` and
    ``max_lines``, then it scrolls).  Heights are in lines of the current font, so the
    field follows the global font scale and the projector theme.  Tab moves on to the next
    field, as in any form."""

    def __init__(
        self, parent: QWidget | None = None, *, min_lines: int = 2, max_lines: int = 12
    ) -> None:
        super().__init__(parent)
        self.min_lines = min_lines
        self.max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = self.sizePolicy()
        policy.setVerticalPolicy(policy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.document().documentLayout().documentSizeChanged.connect(self._size_changed)
        self._lines = min_lines

    def _size_changed(self) -> None:
        # With QPlainTextDocumentLayout the document height is counted in lines.
        lines = max(self.min_lines, min(self.max_lines, math.ceil(self._document_lines())))
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()
        # A scroll bar only once the field has reached its largest height.
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if math.ceil(self._document_lines()) > self.max_lines
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def _document_lines(self) -> float:
        return float(self.document().documentLayout().documentSize().height())

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        doc_margin = self.document().documentMargin()
        # Frame, style-sheet padding and border: whatever separates the viewport from the
        # widget's edge (known once laid out; the contents margins before that).
        chrome = self.height() - self.viewport().height()
        if chrome <= 0 or not self.isVisible():
            chrome = margins.top() + margins.bottom() + 2 * self.frameWidth() + 6
        return math.ceil(lines * self.fontMetrics().lineSpacing() + 2 * doc_margin + chrome)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._height_for(self._lines))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), self._height_for(self._lines))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.updateGeometry()  # the real frame and padding are known now
        QTimer.singleShot(0, self._size_changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # Wider or narrower: the text wraps into fewer or more lines, but the layout does
            # not always say so; look again once it has wrapped (a widened window must not
            # keep tall, half-empty fields until another initiative is chosen).
            QTimer.singleShot(0, self._size_changed)


# ------------------------------------------------------------------------ tables


def fit_table_height(view: QTableView, *, min_rows: int = 3, max_rows: int = 10) -> None:
    """Make a table in a scrolling form as tall as its rows (at least ``min_rows``, at most
    ``max_rows``, then it scrolls), measured from the current font and header."""
    model = view.model()
    rows = model.rowCount() if model is not None else 0
    shown = max(min_rows, min(max_rows, rows))
    row_height = view.verticalHeader().defaultSectionSize()
    header = view.horizontalHeader()
    header_height = header.sizeHint().height() if not header.isHidden() else 0
    frame = 2 * view.frameWidth()
    scrollbar = view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(shown * row_height + header_height + frame + scrollbar // 2)


def fit_tree_height(view: QTreeView, rows: int, *, min_rows: int, max_rows: int) -> None:
    """Like :func:`fit_table_height` for a tree whose visible row count is ``rows``."""
    shown = max(min_rows, min(max_rows, rows))
    row_height = max(view.sizeHintForRow(0), view.fontMetrics().lineSpacing() + 8)
    header = view.header()
    header_height = 0 if header.isHidden() else header.sizeHint().height()
    frame = 2 * view.frameWidth()
    view.setFixedHeight(shown * row_height + header_height + frame + 4)


# ------------------------------------------------------------------------- roles


def set_role(widget: QWidget, role: str) -> None:
    """Set the ``role`` property the style sheet uses and re-apply the style if it changed."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


# ------------------------------------------------------------------------- wheel


class WheelGuard(QObject):
    """An event filter: a wheel event over a combo box, spin box or date field that does not
    have the keyboard focus goes to the widgets around it (the page or table scrolls) instead
    of changing the value.  Install it on such a widget (:func:`guard_wheel`) or once on the
    application, which guards every one of them::

        app.installEventFilter(WheelGuard(app))

    Guarded widgets take focus by click or Tab only (``Qt.StrongFocus``), never by the wheel.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QComboBox | QAbstractSpinBox):
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and not watched.hasFocus():
            assert isinstance(event, QWheelEvent)
            _pass_up(watched, event)
            return True
        return False


def _pass_up(widget: QWidget, event: QWheelEvent) -> None:
    """Offer ``event`` to the ancestors of ``widget`` in turn, as Qt does with a wheel event
    nobody took, until one takes it (a scroll area's viewport scrolls it)."""
    position = event.position()
    while not widget.isWindow() and (parent := widget.parentWidget()) is not None:
        position += QPointF(widget.pos())
        widget = parent
        offer = QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        offer.setAccepted(True)  # Qt's rule: delivered accepted, ignored by who does not use it
        if QApplication.sendEvent(widget, offer) and offer.isAccepted():
            break
    event.accept()  # dealt with: it does not reach the guarded widget or travel on


def guard_wheel(widget: QWidget) -> None:
    """Let the mouse wheel change ``widget`` only while it has focus (see
    :class:`WheelGuard`)."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    guard = widget.findChild(WheelGuard, "wheelGuard")
    if guard is None:
        guard = WheelGuard(widget)
        guard.setObjectName("wheelGuard")
        widget.installEventFilter(guard)
