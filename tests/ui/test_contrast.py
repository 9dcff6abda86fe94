"""Every theme's text is readable: WCAG contrast ratios, from the colours and from the screen.

Two checks.  The first goes over the pairs a theme declares (:data:`ldpm.ui.theme.TEXT_PAIRS`):
each text colour on each background it is drawn on meets 4.5:1 (7:1 in high contrast).  The
second renders real widgets with the real palette and style sheet and measures what is on the
screen: the background is the commonest colour of the area, the text the pixel that differs
most from it.  That catches what the colours alone cannot — a style-sheet rule that overrides
the palette, a placeholder drawn at half opacity, a disabled item painted in the normal
colour — because the measured text colour must also be the theme's colour for that role.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction, QColor, QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ldpm.ui.models.portfolio import SUBTITLE_ROLE
from ldpm.ui.sidebar import PortfolioDelegate
from ldpm.ui.theme import (
    CONTROL_PAIRS,
    TEXT_PAIRS,
    THEMES,
    Theme,
    ThemeManager,
    contrast_ratio,
)
from ldpm.ui.widgets import set_role

# Large enough that text stems are solid pixels of the text colour, not only antialiasing.
SCALE = 2.0


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # The WCAG reference value for #777777 on white is 4.48:1.
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")


@pytest.mark.parametrize("key", sorted(THEMES))
def test_declared_text_colours_meet_the_contrast(key: str) -> None:
    theme = THEMES[key]
    failures = [
        f"{fg} {getattr(theme, fg)} on {bg} {getattr(theme, bg)}: "
        f"{contrast_ratio(getattr(theme, fg), getattr(theme, bg)):.2f}"
        for fg, bg in TEXT_PAIRS
        if contrast_ratio(getattr(theme, fg), getattr(theme, bg)) < theme.min_contrast
    ]
    assert not failures, f"below {theme.min_contrast}:1 in {key}: {failures}"
    controls = [
        (fg, bg)
        for fg, bg in CONTROL_PAIRS
        if contrast_ratio(getattr(theme, fg), getattr(theme, bg)) < 3.0
    ]
    assert not controls


def test_high_contrast_is_for_projectors() -> None:
    assert THEMES["contrast"].min_contrast == 7.0
    assert "#808080" not in vars(THEMES["contrast"]).values()


@pytest.mark.parametrize("key", sorted(THEMES))
def test_disabled_text_is_distinct_from_enabled_text(key: str) -> None:
    theme = THEMES[key]
    assert theme.disabled.lower() not in {theme.text.lower(), theme.muted.lower()}
    # Visibly quieter than the text, on the same background.
    assert contrast_ratio(theme.disabled, theme.base) < contrast_ratio(theme.text, theme.base)


# ------------------------------------------------------------------ on the screen


def measured(image: QImage, rect: QRect | None = None) -> tuple[str, str]:
    """(text colour, background colour) of an area: the commonest colour is the background,
    the text is the commonest of the colours that stand out from it (antialiased edges are
    many shades, the solid stems of the letters one).  Without ``rect``, the image less a
    margin for borders and focus frames."""
    area = rect if rect is not None else image.rect().adjusted(5, 5, -5, -5)
    colours: Counter[str] = Counter()
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            colours[image.pixelColor(x, y).name()] += 1
    background = colours.most_common(1)[0][0]
    strong = Counter({c: n for c, n in colours.items() if contrast_ratio(c, background) >= 1.5})
    assert strong, "no text in the area"
    return strong.most_common(1)[0][0], background


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


@pytest.fixture(params=sorted(THEMES))
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Theme]:
    manager = ThemeManager(qapp)
    manager.apply(request.param, SCALE)
    yield THEMES[request.param]
    manager.apply("light", 1.0)


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def check(
    theme: Theme, what: str, image: QImage, expected: str, rect: QRect | None = None
) -> None:
    text, background = measured(image, rect)
    ratio = contrast_ratio(text, background)
    assert text == expected, f"{what}: drawn in {text}, the theme says {expected}"
    assert ratio >= theme.min_contrast, f"{what}: {text} on {background} is {ratio:.2f}:1"


def test_labels_buttons_and_fields(qtbot: QtBot, theme: Theme) -> None:
    page = QWidget()
    page.setObjectName("page")
    layout = QVBoxLayout(page)
    widgets: dict[str, tuple[QWidget, str]] = {}

    def add(name: str, widget: QWidget, colour: str) -> None:
        layout.addWidget(widget)
        widgets[name] = (widget, colour)

    body = QLabel("Body text")
    add("body", body, theme.text)
    muted = QLabel("Hint text")
    set_role(muted, "muted")
    add("muted label", muted, theme.muted)
    for role, colour in (("ok", theme.success), ("warning", theme.warning)):
        label = QLabel(f"{role} message")
        set_role(label, role)
        add(f"{role} label", label, colour)
    button = QPushButton("Enabled")
    add("button", button, theme.text)
    disabled = QPushButton("Disabled")
    disabled.setEnabled(False)
    add("disabled button", disabled, theme.disabled)
    primary = QPushButton("Primary")
    primary.setProperty("role", "primary")
    add("primary button", primary, theme.accent_text)
    placeholder = QLineEdit()
    placeholder.setPlaceholderText("Placeholder")
    add("placeholder", placeholder, theme.muted)
    field = QLineEdit("Disabled field")
    field.setEnabled(False)
    add("disabled field", field, theme.disabled)
    shown(qtbot, page)
    image = grab(page)  # on the page's background, as on the screen
    for name, (widget, colour) in widgets.items():
        check(theme, name, image, colour, widget.geometry().adjusted(5, 5, -5, -5))


def test_sidebar_subtitles_and_archived_items(qtbot: QtBot, theme: Theme) -> None:
    """The portfolio's second line is muted text on the sidebar colour."""
    model = QStandardItemModel()
    for name, subtitle in (("Incident hand-offs", "Build MVP · Maya"), ("Secure coding", "Pilot")):
        item = QStandardItem(name)
        item.setData(subtitle, SUBTITLE_ROLE)
        model.appendRow(item)
    view = QListView()
    view.setObjectName("portfolio")
    view.setModel(model)
    view.setItemDelegate(PortfolioDelegate(view))
    view.resize(500, 400)
    shown(qtbot, view)
    image = grab(view.viewport())
    second = view.visualRect(model.index(1, 0))
    bottom_half = QRect(second.left(), second.center().y() + 2, second.width() - 20, 0)
    bottom_half.setBottom(second.bottom() - 2)
    check(theme, "sidebar subtitle", image, theme.muted, bottom_half)
    assert measured(image, bottom_half)[1] == theme.sidebar


def test_alternate_rows_with_muted_and_disabled_text(qtbot: QtBot, theme: Theme) -> None:
    model = QStandardItemModel(4, 1)
    for row in range(4):
        model.setItem(row, 0, QStandardItem(f"Row {row} with some text"))
    quiet = model.item(1, 0)
    assert quiet is not None
    quiet.setForeground(QApplication.palette().placeholderText())
    off = model.item(3, 0)
    assert off is not None
    off.setEnabled(False)
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.resize(500, 400)
    shown(qtbot, view)
    image = grab(view.viewport())
    for row, colour, what in (
        (0, theme.text, "text on a row"),
        (1, theme.muted, "muted text on an alternate row"),
        (3, theme.disabled, "disabled text on an alternate row"),
    ):
        rect = view.visualRect(model.index(row, 0)).adjusted(0, 1, 0, -1)
        check(theme, what, image, colour, rect)
        expected_bg = theme.alt_base if row % 2 else theme.base
        assert measured(image, rect)[1] == expected_bg


def test_selection(qtbot: QtBot, theme: Theme) -> None:
    model = QStandardItemModel(2, 1)
    model.setItem(0, 0, QStandardItem("Selected row"))
    view = QListView()
    view.setModel(model)
    view.resize(400, 200)
    shown(qtbot, view)
    view.setCurrentIndex(model.index(0, 0))
    image = grab(view.viewport())
    rect = view.visualRect(model.index(0, 0)).adjusted(0, 1, 0, -1)
    check(theme, "selected row", image, theme.highlight_text, rect)
    assert measured(image, rect)[1] == theme.highlight


def test_menus_show_disabled_items_as_disabled(qtbot: QtBot, theme: Theme) -> None:
    menu = QMenu()
    qtbot.addWidget(menu)
    enabled = QAction("Enabled item", menu)
    disabled = QAction("Disabled item", menu)
    disabled.setEnabled(False)
    menu.addActions([enabled, disabled])
    # Rendered without popping up (the offscreen platform warns about popups).
    menu.ensurePolished()
    menu.resize(menu.sizeHint())
    image = grab(menu)
    check(theme, "menu item", image, theme.text, menu.actionGeometry(enabled))
    check(theme, "disabled menu item", image, theme.disabled, menu.actionGeometry(disabled))
    # Under the pointer: the selection colours, and a disabled item stays readable.
    for action, colour in ((enabled, theme.highlight_text), (disabled, theme.disabled)):
        menu.setActiveAction(action)
        check(
            theme,
            f"{action.text()} under the pointer",
            grab(menu),
            colour,
            menu.actionGeometry(action),
        )


def test_tabs(qtbot: QtBot, theme: Theme) -> None:
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    tabs.addTab(QWidget(), "Current view")
    tabs.addTab(QWidget(), "Other view")
    off = QWidget()
    tabs.addTab(off, "Unavailable view")
    tabs.setTabEnabled(2, False)
    tabs.resize(900, 300)
    shown(qtbot, tabs)
    bar = tabs.tabBar()
    image = grab(bar)

    def inner(i: int) -> QRect:  # the tab's text, not its underline
        return bar.tabRect(i).adjusted(2, 2, -2, -6)

    check(theme, "current tab", image, theme.text, inner(0))
    check(theme, "other tab", image, theme.muted, inner(1))
    check(theme, "disabled tab", image, theme.disabled, inner(2))


def test_calendar_popup_days(qtbot: QtBot, theme: Theme) -> None:
    """Weekday names, days of this month, weekends and days of the next month."""
    from datetime import date

    from PySide6.QtWidgets import QTableView as View

    from ldpm.ui.widgets import OptionalDateEdit

    edit = OptionalDateEdit()
    edit.setValue(date(2026, 2, 9))
    shown(qtbot, edit)
    calendar = edit.calendarWidget()
    calendar.setSelectedDate(edit.date())
    calendar.resize(calendar.minimumSize())
    calendar.show()
    qtbot.waitExposed(calendar)
    view = calendar.findChild(View)
    assert view is not None
    model = view.model()
    image = grab(view.viewport())

    def cell(row: int, column: int) -> QRect:
        return view.visualRect(model.index(row, column)).adjusted(1, 1, -1, -1)

    # February 2026 starts on a Sunday: row 1 is 26 Jan … 1 Feb, row 6 ends with 8 Mar.
    check(theme, "weekday name", image, theme.text, cell(0, 0))
    check(theme, "a Saturday", image, theme.text, cell(2, 5))
    check(theme, "a Sunday", image, theme.text, cell(2, 6))
    check(theme, "a day of the next month", image, theme.disabled, cell(6, 1))
    calendar.hide()


@pytest.mark.parametrize("key", sorted(THEMES))
def test_palette_roles_are_the_theme_colours(qapp: QApplication, key: str) -> None:
    manager = ThemeManager(qapp)
    manager.apply(key, 1.0, style=False)
    try:
        theme = THEMES[key]
        palette = qapp.palette()
        role, group = palette.ColorRole, palette.ColorGroup
        for colour_role in (role.WindowText, role.Text, role.ButtonText):
            assert palette.color(colour_role).name() == theme.text
            assert palette.color(group.Disabled, colour_role).name() == theme.disabled
        assert palette.color(role.PlaceholderText).name() == theme.muted
        assert palette.color(role.HighlightedText).name() == theme.highlight_text
        # No white bevels or lines from the style on a dark theme.
        assert QColor(palette.color(role.Light)).name() == theme.alt_base
    finally:
        manager.apply("light", 1.0)
