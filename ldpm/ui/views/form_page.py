"""The page every form view is laid out on: sections with a message line, labelled editors,
grids, a scroll area, and an empty state that offers its one action.

A form view (Overview & intake today; the stakeholder, metric, experiment, story and release
forms next) builds its fields with a :class:`~ldpm.ui.forms.FormBinder` and lays them out here:

* :meth:`FormPage.section` starts a titled group with an optional intro and a message line
  (hidden until an operation in that section is refused);
* :meth:`FormPage.labelled` puts an editor under its caption (the caption is the editor's
  buddy and accessible name);
* :meth:`FormPage.grid` arranges labelled editors in rows of equal shares;
* :meth:`FormPage.claim` tells which fields belong to a section, so
  :meth:`FormPage.message_for_origin` can find the message line of whatever asked (an editor,
  a table's model, a section's own message line).

Widths follow the font: the page uses the width it has (tables need it), up to a width where
lines of prose are still readable, and is centred beyond it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.ui.views.flow_grid import FlowGrid
from ldpm.ui.widgets import set_role

#: The form never grows wider than this many average characters: beyond it prose is hard to
#: read and a label is far from its field.  Tables in the form have room well before that.
FORM_CHARS = 220


def readable_width(widget: QWidget, chars: int) -> int:
    """A width of about ``chars`` average characters in the widget's current font."""
    return widget.fontMetrics().averageCharWidth() * chars


class EmptyState(QWidget):
    """What a view shows when it has nothing to show: what it is, and the one action that
    fills it (a button for a window action, e.g. New Initiative)."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.addStretch(1)
        self.title = QLabel(title, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setWordWrap(True)
        set_role(self.title, "h2")
        self.hint = QLabel(hint, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hint.setWordWrap(True)
        set_role(self.hint, "muted")
        self.button = QPushButton(self)
        self.button.hide()
        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)

    def set_action(self, action: QAction | None) -> None:
        """Offer ``action`` (its text, without the mnemonic) as the button."""
        if action is None:
            self.button.hide()
            return
        self.button.setText(action.text().replace("&", ""))
        self.button.setAccessibleName(action.text().replace("&", ""))
        self.button.clicked.connect(action.trigger)
        self.button.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.hint.setMaximumWidth(readable_width(self, 70))
            self.title.setMaximumWidth(readable_width(self, 70))


class FormPage(QStackedWidget):
    """A scrolling form of sections, or its empty state."""

    def __init__(self, empty: EmptyState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = empty
        self.addWidget(empty)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # The column is centred in the scroll area, as wide as it may be.
        outer = QWidget()
        row = QHBoxLayout(outer)
        row.setContentsMargins(0, 0, 0, 0)
        self.column_widget = QWidget(outer)
        self.column_widget.setObjectName("formPage")
        self.column = QVBoxLayout(self.column_widget)
        row.addStretch(1)
        row.addWidget(self.column_widget, 100)
        row.addStretch(1)
        self.scroll_area.setWidget(outer)
        self.addWidget(self.scroll_area)
        self.setCurrentWidget(empty)
        #: (section box, its message line), in order.
        self.sections: list[tuple[QGroupBox, QLabel]] = []
        self._field_section: dict[str, QLabel] = {}
        self.apply_font_metrics()

    # ------------------------------------------------------------- showing
    def show_form(self, shown: bool) -> None:
        self.setCurrentWidget(self.scroll_area if shown else self.empty)

    def to_top(self) -> None:
        self.scroll_area.verticalScrollBar().setValue(0)

    def hide_messages(self) -> None:
        for _box, message in self.sections:
            message.hide()

    # ------------------------------------------------------------ building
    def section(self, title: str, intro: str = "") -> tuple[QGroupBox, QVBoxLayout]:
        """A titled group with an optional intro; its message line comes last (see
        :meth:`finish`)."""
        box = QGroupBox(title, self.column_widget)
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
        message.setAccessibleName(
            QApplication.translate("FormPage", "Problem in “{section}”").format(section=title)
        )
        set_role(message, "warning")
        message.hide()
        self.sections.append((box, message))
        self.column.addWidget(box)
        return box, layout

    def finish(self) -> None:
        """After the last section: message lines go to the end of their sections."""
        self.column.addStretch(1)
        for box, message in self.sections:
            box_layout = box.layout()
            assert box_layout is not None
            box_layout.addWidget(message)

    def labelled(self, text: str, editor: QWidget, parent: QWidget) -> QWidget:
        """``editor`` under its caption; the caption is also its accessible name."""
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

    def grid(self, parent: QWidget, rows: list[list[QWidget]], *, min_chars: int = 12) -> FlowGrid:
        """Rows of cells, each row sharing the width equally — or one cell per row when the
        form is too narrow for them side by side (a projector's text on a laptop's screen),
        so that the form never scrolls sideways."""
        return FlowGrid(rows, parent, min_chars=min_chars)

    def claim(self, fields: list[str], box: QGroupBox) -> None:
        """``fields`` (and names like "segments") belong to section ``box``."""
        for section, message in self.sections:
            if section is box:
                for name in fields:
                    self._field_section[name] = message

    # ------------------------------------------------------------ messages
    def message_for(self, field: str) -> QLabel | None:
        return self._field_section.get(field)

    def message_for_origin(
        self, origin: QObject | None, named: Callable[[QObject], str | None] = lambda _o: None
    ) -> QLabel | None:
        """The message line of the section holding ``origin``: a section's own message line,
        a widget inside a section, or something ``named`` maps to a field (a table's model);
        without an origin, the section holding the keyboard focus."""
        if origin is None:
            origin = QApplication.focusWidget()
            if not isinstance(origin, QWidget) or not self.isAncestorOf(origin):
                return None
        if isinstance(origin, QLabel) and any(origin is m for _b, m in self.sections):
            return origin
        name = named(origin)
        if name is not None:
            return self.message_for(name)
        if isinstance(origin, QWidget):
            for box, message in self.sections:
                if box.isAncestorOf(origin):
                    return message
        return None

    def show_message(self, label: QLabel, sentence: str) -> None:
        label.setText(sentence)
        label.show()

    # -------------------------------------------------------------- sizing
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.apply_font_metrics()

    def apply_font_metrics(self) -> None:
        """Sizes that follow the font (the global text size and the projector preset)."""
        self.column.setSpacing(self.fontMetrics().lineSpacing())
        self.column_widget.setMaximumWidth(readable_width(self, FORM_CHARS))
