"""The theme system: the style sheet's rules, glyphs that follow the theme and the text size,
the calendar popup of a date field, and the projector preset (on, off, across a restart)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction, QFontInfo, QFontMetrics, QImage, QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QRadioButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ldpm.ui import settings as prefs
from ldpm.ui import theme as theme_module
from ldpm.ui.main_window import MainWindow
from ldpm.ui.settings import Settings
from ldpm.ui.theme import (
    PROJECTOR_TEXT_PX,
    THEMES,
    Theme,
    ThemeManager,
    contrast_ratio,
    themed_icon,
)
from ldpm.ui.widgets import OptionalDateEdit

# Popups on the offscreen platform: it cannot raise a window or grab the keyboard.
POPUP_MESSAGES = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def style_sheet_text() -> str:
    return (resources.files("ldpm.resources") / "themes" / "base.qss").read_text("utf-8")


def rules(text: str) -> list[tuple[list[str], str]]:
    """(selectors, body) of every rule in a style sheet."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return [
        ([s.strip() for s in selectors.split(",")], body)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text)
    ]


def state(selector: str) -> tuple[str, frozenset[str]]:
    """A selector's element and its pseudo-states: ``QMenu::item:selected`` →
    (``QMenu::item``, {``selected``})."""
    parts = re.split(r"(?<!:):(?!:)", selector)
    return parts[0], frozenset(parts[1:])


# ------------------------------------------------------------------ style sheet


def test_every_colour_rule_has_a_disabled_counterpart() -> None:
    """A style-sheet ``color`` replaces the palette's colour in every state, so a rule without
    a ``:disabled`` twin paints disabled items like enabled ones."""
    sheet = rules(style_sheet_text())
    disabled_colour = {
        state(selector)
        for selectors, body in sheet
        if re.search(r"(?<![-\w])color\s*:", body)
        for selector in selectors
    }
    missing = [
        selector
        for selectors, body in sheet
        if re.search(r"(?<![-\w])color\s*:", body)
        for selector in selectors
        if "disabled" not in state(selector)[1]
        and (state(selector)[0], state(selector)[1] | {"disabled"}) not in disabled_colour
    ]
    assert not missing, f"no :disabled colour for {missing}"
    # The catch-all colour that caused it is gone: text colours come from the palette.
    assert not any("QWidget" in selectors for selectors, _ in sheet)


@pytest.mark.parametrize("key", sorted(THEMES))
def test_every_variable_is_filled(qapp: QApplication, key: str) -> None:
    manager = ThemeManager(qapp)
    try:
        manager.apply(key, 1.0)
        sheet = re.sub(r"/\*.*?\*/", "", qapp.styleSheet(), flags=re.DOTALL)
        assert "$" not in sheet
        # Every glyph the sheet uses exists, in this theme's colours.
        urls = set(re.findall(r"url\((ldpmtheme:[^)]+)\)", sheet))
        assert urls
        for url in urls:
            path = theme_module._icons() / url.removeprefix("ldpmtheme:")
            assert path.is_file(), url
    finally:
        manager.apply("light", 1.0)


def test_glyphs_are_themed_svg_files(qapp: QApplication) -> None:
    url = themed_icon("arrow-down", "#12AB34")
    assert url == "ldpmtheme:arrow-down-12ab34.svg"
    svg = (theme_module._icons() / "arrow-down-12ab34.svg").read_text("utf-8")
    assert 'stroke="#12AB34"' in svg and "${" not in svg
    # Qt finds it through the search path and can draw it.
    from PySide6.QtGui import QIcon

    pixmap = QIcon(url).pixmap(32, 32)
    assert not pixmap.isNull()
    image = pixmap.toImage()
    assert any(image.pixelColor(x, y).name() == "#12ab34" for x in range(32) for y in range(32))


def test_every_glyph_template_has_one_colour() -> None:
    folder = resources.files("ldpm.resources") / "themes" / "icons"
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".svg"))
    assert names, "resources/themes/icons is missing (see the note on ldpm.resources)"
    for name in names:
        template = Template((folder / name).read_text("utf-8"))
        assert template.get_identifiers() == ["colour"], name


# --------------------------------------------------------------- on the screen


@pytest.fixture
def manager(qapp: QApplication) -> Iterator[ThemeManager]:
    themes = ThemeManager(qapp)
    yield themes
    themes.apply("light", 1.0)


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def pixels(image: QImage, rect: QRect | None = None) -> Iterator[tuple[int, int, str]]:
    area = rect if rect is not None else image.rect()
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            yield x, y, image.pixelColor(x, y).name()


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("key", ["dark", "contrast"])
def test_no_light_line_across_the_tab_bar(qtbot: QtBot, manager: ThemeManager, key: str) -> None:
    manager.apply(key, 1.0)
    theme = THEMES[key]
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    tabs.addTab(QWidget(), "Overview & Intake")
    tabs.resize(800, 200)
    shown(qtbot, tabs)
    bar = tabs.tabBar()
    image = grab(bar)
    right_of_tabs = QRect(bar.tabRect(0).right() + 4, 0, 0, bar.height())
    right_of_tabs.setRight(bar.width() - 1)
    rows: dict[int, set[str]] = {}
    for _x, y, colour in pixels(image, right_of_tabs):
        rows.setdefault(y, set()).add(colour)
    line = theme.border_width
    body = [rows[y] for y in range(bar.height() - line)]
    assert all(colours == {theme.window} for colours in body), rows
    assert all(rows[y] == {theme.border} for y in range(bar.height() - line, bar.height()))


def arrow_height(qtbot: QtBot, widget: QWidget, colour: str) -> int:
    """How tall the glyph of ``colour`` at the right end of ``widget`` is."""
    shown(qtbot, widget)
    image = grab(widget)
    right = QRect(widget.width() - 80, 5, 75, widget.height() - 10)
    ys = [y for _x, y, c in pixels(image, right) if contrast_ratio(c, colour) < 2.0]
    assert ys, "no arrow drawn"
    return max(ys) - min(ys) + 1


@pytest.mark.parametrize("key", sorted(THEMES))
def test_drop_down_arrows_grow_with_the_text(
    qtbot: QtBot, manager: ThemeManager, key: str
) -> None:
    theme = THEMES[key]
    heights: dict[float, list[int]] = {}
    for scale in (1.0, 2.5):
        manager.apply(key, scale)
        combo = QComboBox()
        combo.addItem("A")
        date_edit = OptionalDateEdit()
        for widget in (combo, date_edit):
            widget.resize(400, widget.sizeHint().height())
        heights[scale] = [arrow_height(qtbot, w, theme.text) for w in (combo, date_edit)]
    for small, large in zip(heights[1.0], heights[2.5], strict=True):
        assert small >= 5, heights
        assert large >= 2 * small, heights


@pytest.mark.parametrize("key", sorted(THEMES))
def test_radio_buttons_are_visible_checked_or_not(
    qtbot: QtBot, manager: ThemeManager, key: str
) -> None:
    manager.apply(key, 1.0)
    theme = THEMES[key]
    page = QWidget()
    layout = QVBoxLayout(page)
    on, off, unavailable = QRadioButton("On"), QRadioButton("Off"), QRadioButton("Unavailable")
    on.setChecked(True)
    unavailable.setEnabled(False)
    for button in (on, off, unavailable):
        layout.addWidget(button)
    shown(qtbot, page)
    image = grab(page)
    for button in (on, off, unavailable):
        indicator = QRect(button.geometry().topLeft(), QPoint(0, 0))
        indicator.setSize(button.geometry().size())
        indicator.setWidth(button.height())
        ring = max(contrast_ratio(c, theme.window) for *_xy, c in pixels(image, indicator))
        assert ring >= 3.0, f"{button.text()}: indicator at {ring:.2f}:1"
    checked = QRect(on.geometry().topLeft(), on.geometry().size())
    checked.setWidth(on.height())
    assert any(c == theme.accent for *_xy, c in pixels(image, checked))


@pytest.mark.parametrize("key", sorted(THEMES))
def test_dock_buttons_are_drawn_in_the_text_colour(
    qtbot: QtBot, manager: ThemeManager, key: str
) -> None:
    manager.apply(key, 1.0)
    theme = THEMES[key]
    window = QMainWindow()
    window.setCentralWidget(QLabel("Views"))
    dock = QDockWidget("Changes to Review")
    dock.setWidget(QLabel("Nothing to review"))
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resize(600, 300)
    shown(qtbot, window)
    buttons = [
        b
        for b in dock.findChildren(QToolButton) + dock.findChildren(QWidget)
        if b.objectName() in ("qt_dockwidget_closebutton", "qt_dockwidget_floatbutton")
    ]
    assert len(buttons) == 2
    image = grab(dock)
    for button in buttons:
        assert button.height() >= 12, button.geometry()  # not squeezed by the title's padding
        colours = {c for *_xy, c in pixels(image, button.geometry())}
        assert theme.text in colours, (button.objectName(), colours)


def test_a_dock_title_bar_of_its_own_grows_with_the_text(
    qtbot: QtBot, manager: ThemeManager
) -> None:
    """The recipe for docks whose buttons must scale: tool buttons named dockFloat and
    dockClose in the dock's own title bar."""
    sizes = []
    for scale in (1.0, 2.5):
        manager.apply("contrast", scale)
        dock = QDockWidget("Changes to Review")
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.addWidget(QLabel(dock.windowTitle()), 1)
        for name in ("dockFloat", "dockClose"):
            button = QToolButton()
            button.setObjectName(name)
            row.addWidget(button)
        dock.setTitleBarWidget(bar)
        dock.setWidget(QLabel("Nothing to review"))
        window = QMainWindow()
        window.setCentralWidget(QLabel("Views"))
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.resize(600, 400)
        shown(qtbot, window)
        close = bar.findChild(QToolButton, "dockClose")
        assert close is not None and not close.icon().isNull()
        image = grab(close)
        white = [y for _x, y, c in pixels(image) if c == THEMES["contrast"].text]
        assert white, "the glyph is drawn in the text colour"
        sizes.append(max(white) - min(white) + 1)
    assert sizes[1] >= 2 * sizes[0] >= 16, sizes


# ------------------------------------------------------------- the date popup


def open_calendar(qtbot: QtBot, edit: OptionalDateEdit) -> QWidget:
    qtbot.mouseClick(
        edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2)
    )
    popup = edit.calendarWidget().window()
    qtbot.waitUntil(popup.isVisible)
    return popup


@POPUP_MESSAGES
@pytest.mark.parametrize("key", sorted(THEMES))
@pytest.mark.parametrize("scale", [1.0, 1.9, 2.5])
def test_calendar_shows_every_week(
    qtbot: QtBot, manager: ThemeManager, key: str, scale: float
) -> None:
    manager.apply(key, scale)
    page = QWidget()
    edit = OptionalDateEdit(page)
    edit.setValue(date(2026, 2, 9))
    edit.resize(300, edit.sizeHint().height())
    page.resize(400, 200)
    shown(qtbot, page)
    popup = open_calendar(qtbot, edit)
    view = edit.calendarWidget().findChild(QTableView)
    assert view is not None
    visible = view.viewport().height()
    line = view.fontMetrics().height()
    for row in range(7):  # the weekday names and six weeks
        assert view.rowHeight(row) >= line
        assert view.rowViewportPosition(row) + view.rowHeight(row) <= visible, row
    # The buttons under the month are inside the popup too.
    for button in (edit.today_button, edit.no_date_button):
        assert button.isVisible()
        corner = button.mapTo(popup, QPoint(button.width(), button.height()))
        assert popup.rect().contains(corner - QPoint(1, 1))
    popup.close()


@POPUP_MESSAGES
def test_no_date_in_the_calendar_clears_the_date(qtbot: QtBot, manager: ThemeManager) -> None:
    manager.apply("light", 1.0)
    edit = OptionalDateEdit()
    edit.setValue(date(2026, 2, 9))
    shown(qtbot, edit)
    popup = open_calendar(qtbot, edit)
    assert edit.no_date_button.isEnabled()
    assert edit.no_date_button.accessibleName()
    with qtbot.waitSignal(edit.committed) as blocker:
        qtbot.mouseClick(edit.no_date_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [None]
    assert edit.value() is None and edit.text() == "No date"
    qtbot.waitUntil(lambda: not popup.isVisible())
    # Opening it again on no date: this month, and nothing to clear.
    popup = open_calendar(qtbot, edit)
    today = QDate.currentDate()
    calendar = edit.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert not edit.no_date_button.isEnabled()
    with qtbot.waitSignal(edit.committed) as blocker:
        qtbot.mouseClick(edit.today_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [today.toPython()]
    qtbot.waitUntil(lambda: not popup.isVisible())


def test_the_wheel_changes_a_date_only_with_focus(qtbot: QtBot) -> None:
    page = QWidget()
    layout = QVBoxLayout(page)
    other = QLineEdit()
    edit = OptionalDateEdit()
    layout.addWidget(other)
    layout.addWidget(edit)
    edit.setValue(date(2026, 2, 9))
    shown(qtbot, page)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)

    def wheel() -> bool:
        centre = QPointF(edit.rect().center())
        event = QWheelEvent(
            centre,
            QPointF(edit.mapToGlobal(edit.rect().center())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(edit, event)
        return event.isAccepted()

    assert not wheel()  # left to the page, which scrolls
    assert edit.value() == date(2026, 2, 9)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    wheel()
    assert edit.value() != date(2026, 2, 9)


# ------------------------------------------------------------------ projector


def body_text_pixels(qapp: QApplication) -> int:
    return QFontInfo(qapp.font()).pixelSize()


def test_projector_preset_on_and_off(qapp: QApplication, manager: ThemeManager) -> None:
    manager.apply("dark", 1.2)
    manager.set_projector(True)
    assert manager.projector and manager.theme.key == "contrast"
    # Body text at least 24 px tall on the screen, measured on the application font.
    assert body_text_pixels(qapp) >= PROJECTOR_TEXT_PX
    assert QFontMetrics(qapp.font()).height() >= PROJECTOR_TEXT_PX
    # ... and on a real field in a window, after the style sheet.
    field = QLineEdit("Incident hand-offs")
    field.ensurePolished()
    assert QFontInfo(field.font()).pixelSize() >= PROJECTOR_TEXT_PX
    # The smallest such size: one step less would be too small.
    smaller = qapp.font()
    smaller.setPointSizeF(manager.base_point_size * (manager.scale - 0.1))
    assert manager.scale == manager.projector_scale()
    assert QFontInfo(smaller).pixelSize() < PROJECTOR_TEXT_PX
    manager.set_projector(False)
    assert not manager.projector
    assert (manager.theme.key, manager.scale) == ("dark", 1.2)


def test_projector_keeps_a_larger_text_and_the_way_back(manager: ThemeManager) -> None:
    manager.apply("light", 2.5)
    manager.set_projector(True)
    assert manager.scale == 2.5  # never smaller than what the user had
    manager.step_scale(-3)  # changing the size while presenting keeps the way back
    manager.set_projector(False)
    assert (manager.theme.key, manager.scale) == ("light", 2.5)


def test_projector_action_persists_across_a_restart(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    settings_file = tmp_path / "settings.ini"
    settings = Settings(settings_file)
    settings.set(prefs.AUTOSAVE, False)
    settings.set(prefs.THEME, "dark")
    settings.set(prefs.FONT_SCALE, 1.3)
    themes = ThemeManager(qapp)
    themes.apply(settings.get(prefs.THEME), settings.get(prefs.FONT_SCALE))
    window = MainWindow(settings, themes)
    qtbot.addWidget(window)
    action = window.menu_actions["projector"]
    assert action.isCheckable() and not action.isChecked()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view_menu, QMenu) and action in view_menu.actions()
    action.trigger()
    assert action.isChecked() and window.menu_actions["theme_contrast"].isChecked()
    assert body_text_pixels(qapp) >= PROJECTOR_TEXT_PX
    assert settings.get(prefs.THEME) == "contrast"
    assert settings.get(prefs.PROJECTOR)
    settings.sync()
    window.close()

    # A new run: the settings read from the file, the saved look applied as at start-up.
    themes.apply("light", 1.0)
    again = Settings(settings_file)
    restarted = ThemeManager(qapp)
    restarted.apply(again.get(prefs.THEME), again.get(prefs.FONT_SCALE))
    assert body_text_pixels(qapp) >= PROJECTOR_TEXT_PX
    second = MainWindow(again, restarted)
    qtbot.addWidget(second)
    assert second.menu_actions["projector"].isChecked() and restarted.projector
    second.menu_actions["projector"].trigger()  # off: back to before
    assert (restarted.theme.key, restarted.scale) == ("dark", 1.3)
    assert second.menu_actions["theme_dark"].isChecked()
    assert (again.get(prefs.THEME), again.get(prefs.FONT_SCALE)) == ("dark", 1.3)
    assert not again.get(prefs.PROJECTOR)
    restarted.apply("light", 1.0)


def test_projector_shortcut_is_its_own(window: MainWindow) -> None:
    action = window.menu_actions["projector"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    taken = [
        key
        for other in window.findChildren(QAction)
        if other is not action
        for key in {k.toString() for k in other.shortcuts()}
    ]
    assert "Ctrl+Shift+P" not in taken
    assert len(taken) == len(set(taken)), "two actions share a shortcut"


def test_a_theme_change_is_announced(qtbot: QtBot, manager: ThemeManager) -> None:
    with qtbot.waitSignal(manager.changed):
        manager.apply("dark")
    with qtbot.waitSignal(manager.changed):
        manager.step_scale(1)


def test_theme_values_follow_the_font(qapp: QApplication) -> None:
    small, large = qapp.font(), qapp.font()
    small.setPointSizeF(10)
    large.setPointSizeF(25)
    theme: Theme = THEMES["light"]
    values = ThemeManager._values(theme, small), ThemeManager._values(theme, large)
    for name in ("arrow_px", "drop_px", "indicator_px", "scroll_px", "glyph_px"):
        assert int(str(values[1][name])) >= 2 * int(str(values[0][name])) - 1, name
