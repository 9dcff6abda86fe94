"""One theme system: a palette, a style sheet with variables, and a global font scale.

A :class:`Theme` is a set of named colours.  :class:`ThemeManager` turns the active theme and the
font scale into a ``QPalette``, an application font and the style sheet
``resources/themes/base.qss`` with its ``${name}`` placeholders filled in.  Light, dark and the
high-contrast projector theme differ only in their colours and line widths; workshop mode will
switch theme and scale through the same manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from string import Template

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

MIN_SCALE, MAX_SCALE, SCALE_STEP = 0.8, 2.5, 0.1


@dataclass(frozen=True)
class Theme:
    key: str
    window: str
    base: str
    alt_base: str
    sidebar: str
    button: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    highlight: str
    highlight_text: str
    success: str
    warning: str
    danger: str
    border_width: int = 1
    focus_width: int = 2
    dark: bool = False


THEMES: dict[str, Theme] = {
    "light": Theme(
        key="light",
        window="#f4f5f7",
        base="#ffffff",
        alt_base="#eef0f3",
        sidebar="#e9ecf1",
        button="#ffffff",
        text="#1d2330",
        muted="#5b6475",
        border="#c9ced8",
        accent="#2457c5",
        accent_text="#ffffff",
        highlight="#cddcfb",
        highlight_text="#10182b",
        success="#1b7a3d",
        warning="#9a5b00",
        danger="#b3261e",
    ),
    "dark": Theme(
        key="dark",
        window="#1c1f26",
        base="#252932",
        alt_base="#2c313b",
        sidebar="#20242c",
        button="#2f3541",
        text="#e7eaf0",
        muted="#a3abba",
        border="#434a58",
        accent="#7aa2ff",
        accent_text="#0b1020",
        highlight="#3a5793",
        highlight_text="#ffffff",
        success="#6fd68f",
        warning="#f2b45a",
        danger="#ff8a80",
        dark=True,
    ),
    # For projectors: pure black and white, yellow focus, thick lines.
    "contrast": Theme(
        key="contrast",
        window="#000000",
        base="#000000",
        alt_base="#141414",
        sidebar="#000000",
        button="#000000",
        text="#ffffff",
        muted="#e0e0e0",
        border="#ffffff",
        accent="#ffd400",
        accent_text="#000000",
        highlight="#ffd400",
        highlight_text="#000000",
        success="#7dff9a",
        warning="#ffd400",
        danger="#ff6b6b",
        border_width=2,
        focus_width=4,
        dark=True,
    ),
}


def _template() -> Template:
    text = (resources.files("ldpm.resources") / "themes" / "base.qss").read_text("utf-8")
    return Template(text)


class ThemeManager(QObject):
    """Applies a theme and a font scale to the whole application."""

    changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.base_point_size = app.font().pointSizeF()
        if self.base_point_size <= 0:
            self.base_point_size = 10.0
        self.theme = THEMES["light"]
        self.scale = 1.0
        self._template: Template | None = None

    def apply(
        self, key: str | None = None, scale: float | None = None, *, style: bool = True
    ) -> None:
        """Switch theme and/or scale.  ``style=False`` sets only the palette and font (cheap:
        used for the very first frame, before the style sheet is parsed)."""
        if key is not None:
            self.theme = THEMES.get(key, THEMES["light"])
        if scale is not None:
            self.scale = round(min(MAX_SCALE, max(MIN_SCALE, scale)), 2)
        theme, size = self.theme, self.base_point_size * self.scale
        font = QFont(self.app.font())
        font.setPointSizeF(size)
        self.app.setFont(font)
        self.app.setPalette(self._palette(theme))
        if not style:
            return
        values = {k: v for k, v in vars(theme).items() if not isinstance(v, bool)}
        values.update(
            h1=f"{size * 1.7:.1f}",
            h2=f"{size * 1.25:.1f}",
            sidebar_pt=f"{size * 1.05:.1f}",
        )
        if self._template is None:
            self._template = _template()
        self.app.setStyleSheet(self._template.safe_substitute(values))
        self.changed.emit()

    def step_scale(self, steps: int) -> None:
        self.apply(scale=self.scale + steps * SCALE_STEP)

    @staticmethod
    def _palette(theme: Theme) -> QPalette:
        pal = QPalette()
        role = QPalette.ColorRole
        pairs = {
            role.Window: theme.window,
            role.WindowText: theme.text,
            role.Base: theme.base,
            role.AlternateBase: theme.alt_base,
            role.Text: theme.text,
            role.Button: theme.button,
            role.ButtonText: theme.text,
            role.Highlight: theme.highlight,
            role.HighlightedText: theme.highlight_text,
            role.ToolTipBase: theme.base,
            role.ToolTipText: theme.text,
            role.PlaceholderText: theme.muted,
            role.Link: theme.accent,
            role.BrightText: theme.danger,
        }
        for r, colour in pairs.items():
            pal.setColor(r, QColor(colour))
        pal.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(theme.muted))
        pal.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(theme.muted))
        pal.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(theme.muted))
        return pal
