"""One theme system: a palette, a style sheet with variables, and a global font scale.

A :class:`Theme` is a set of named colours.  :class:`ThemeManager` turns the active theme and the
font scale into a ``QPalette``, an application font and the style sheet
``resources/themes/base.qss`` with its ``${name}`` placeholders filled in.  Light, dark and the
high-contrast projector theme differ only in their colours and line widths; the projector preset
(:meth:`ThemeManager.set_projector`) is the high-contrast theme with text large enough for a room.

How colours reach the screen:

- Text colours live in the **palette**, for every colour group: ``disabled`` text is the
  palette's Disabled group, ``muted`` is its placeholder colour.  The style sheet sets ``color``
  only where a role differs from the palette (muted labels, the primary button, tabs, menus), and
  every such rule has a ``:disabled`` counterpart, because a style-sheet colour replaces the
  palette's colour in *every* state (so disabled items would look enabled) and turns the
  placeholder colour into the text colour at half opacity.
- Every text colour meets WCAG contrast on the backgrounds it is drawn on (4.5:1, 7:1 in high
  contrast); :data:`TEXT_PAIRS` lists those pairs and the tests check them, on the colours and on
  real widgets.
- Glyphs (drop-down arrows, check marks, the dock's buttons) are the SVG templates in
  ``resources/themes/icons`` with ``${colour}`` filled in, written once per colour to a folder
  registered as the ``ldpmtheme:`` search path; their sizes come from the font, so they grow with
  the text.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from PySide6.QtCore import QDir, QMetaMethod, QObject, Signal
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication

from ldpm.ui.settings import (
    PROJECTOR,
    PROJECTOR_RETURN_SCALE,
    PROJECTOR_RETURN_THEME,
    Settings,
)

MIN_SCALE, MAX_SCALE, SCALE_STEP = 0.8, 2.5, 0.1

#: How tall body text is in the projector preset, in pixels (the em height, which is smaller
#: than the line height): readable from the back of a room on a 1920×1080 projector.
PROJECTOR_TEXT_PX = 24
PROJECTOR_THEME = "contrast"


#: The prefix of the themed glyphs in the style sheet: ``url(ldpmtheme:arrow-down-1d2330.svg)``.
ICON_PREFIX = "ldpmtheme"


@dataclass(frozen=True)
class Theme:
    key: str
    window: str
    base: str
    alt_base: str
    sidebar: str
    button: str
    text: str
    #: Secondary text: hints, subtitles, unselected tabs, placeholders.
    muted: str
    #: Text of disabled controls and menu items: readable, but visibly not ``text``.
    disabled: str
    border: str
    #: Non-text controls that must stand out from the surfaces (3:1): scroll-bar handles.
    control: str
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
    #: The contrast every text colour needs on its backgrounds (WCAG AA 4.5:1, AAA 7:1).
    min_contrast: float = 4.5


THEMES: dict[str, Theme] = {
    "light": Theme(
        key="light",
        window="#f4f5f7",
        base="#ffffff",
        alt_base="#eef0f3",
        sidebar="#e9ecf1",
        button="#ffffff",
        text="#1d2330",
        muted="#4f5768",
        disabled="#636a79",
        border="#c9ced8",
        control="#7f8898",
        accent="#2457c5",
        accent_text="#ffffff",
        highlight="#cddcfb",
        highlight_text="#10182b",
        success="#17703a",
        warning="#8a5100",
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
        muted="#b4bccb",
        disabled="#979fae",
        border="#434a58",
        control="#7d8699",
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
        disabled="#a8a8a8",
        border="#ffffff",
        control="#bdbdbd",
        accent="#ffd400",
        accent_text="#000000",
        highlight="#ffd400",
        highlight_text="#000000",
        success="#7dff9a",
        warning="#ffd400",
        danger="#ff8a8a",
        border_width=2,
        focus_width=4,
        dark=True,
        min_contrast=7.0,
    ),
}

_SURFACES = ("window", "base", "alt_base", "sidebar", "button")

#: Every (text colour, background) pair the palette and the style sheet draw text with.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    *((fg, bg) for fg in ("text", "muted", "disabled") for bg in _SURFACES),
    ("highlight_text", "highlight"),  # selection, menu and menu-bar items under the pointer
    ("accent_text", "accent"),  # the primary button, checked boxes
    ("accent", "window"),  # links and error sentences in dialogs
    ("accent", "base"),
    *((fg, bg) for fg in ("success", "warning", "danger") for bg in ("window", "base")),
)


#: Non-text elements that need 3:1 against the surfaces (WCAG 1.4.11).
CONTROL_PAIRS: tuple[tuple[str, str], ...] = tuple(("control", bg) for bg in _SURFACES)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an opaque ``#rrggbb`` colour."""
    q = QColor(colour)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(q.redF()) + 0.7152 * linear(q.greenF()) + 0.0722 * linear(q.blueF())


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours, from 1 (none) to 21 (black on white)."""
    hi, lo = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _template() -> Template:
    return Template((_themes_folder() / "base.qss").read_text("utf-8"))


@functools.cache
def _themes_folder() -> Traversable:
    return resources.files("ldpm.resources") / "themes"


@functools.cache
def _icons() -> Path:
    """The folder of themed glyphs for this process (registered as ``ldpmtheme:``)."""
    folder = Path(tempfile.mkdtemp(prefix="ldpm-theme-"))
    atexit.register(shutil.rmtree, folder, True)
    QDir.addSearchPath(ICON_PREFIX, str(folder))
    return folder


def themed_icon(name: str, colour: str) -> str:
    """The style-sheet URL of glyph ``name`` (``resources/themes/icons/<name>.svg``) drawn in
    ``colour``; the file is written on first use (into this process's own folder)."""
    file_name = f"{name}-{colour.lstrip('#').lower()}.svg"
    path = _icons() / file_name
    if not path.exists():
        template = Template((_themes_folder() / "icons" / f"{name}.svg").read_text("utf-8"))
        path.write_text(template.substitute(colour=colour), encoding="utf-8")
    return f"{ICON_PREFIX}:{file_name}"


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
        #: While the projector preset is on: the theme key and scale to return to.
        self.projector_return: tuple[str, float] | None = None

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
        if self._template is None:
            self._template = _template()
        self.app.setStyleSheet(self._template.safe_substitute(self._values(theme, font)))
        # Only when someone listens: in PySide6 6.12.0 every emit() from Python drops a
        # reference to True, and enough of them abort the process at exit.
        if self.isSignalConnected(QMetaMethod.fromSignal(self.changed)):
            self.changed.emit()

    def step_scale(self, steps: int) -> None:
        self.apply(scale=self.scale + steps * SCALE_STEP)

    # ------------------------------------------------------------------ projector
    @property
    def projector(self) -> bool:
        return self.projector_return is not None

    def projector_scale(self) -> float:
        """The smallest scale (in whole steps) at which body text is at least
        :data:`PROJECTOR_TEXT_PX` pixels tall on the primary screen."""
        font = QFont(self.app.font())
        scale = 1.0
        while scale < MAX_SCALE:
            font.setPointSizeF(self.base_point_size * scale)
            if QFontInfo(font).pixelSize() >= PROJECTOR_TEXT_PX:
                break
            scale = round(scale + SCALE_STEP, 2)
        return min(scale, MAX_SCALE)

    def set_projector(self, on: bool) -> None:
        """Switch the projector preset: the high-contrast theme with large text.  Switching it
        off returns to the theme and scale from before.  Choosing another theme or text size
        while it is on changes the look but keeps the way back."""
        if on == self.projector:
            return
        if on:
            self.projector_return = (self.theme.key, self.scale)
            self.apply(PROJECTOR_THEME, max(self.scale, self.projector_scale()))
        else:
            assert self.projector_return is not None
            key, scale = self.projector_return
            self.projector_return = None
            self.apply(key, scale)

    def save_appearance(self, settings: Settings) -> None:
        """Store theme, scale and the projector preset so that the next start looks the same."""
        from ldpm.ui import settings as prefs

        settings.set(prefs.THEME, self.theme.key)
        settings.set(prefs.FONT_SCALE, self.scale)
        settings.set(PROJECTOR, self.projector)
        if self.projector_return is not None:
            settings.set(PROJECTOR_RETURN_THEME, self.projector_return[0])
            settings.set(PROJECTOR_RETURN_SCALE, self.projector_return[1])

    def restore_projector(self, settings: Settings) -> None:
        """After a start with the saved theme and scale applied: if the projector preset was
        on, it is on again, with the same way back."""
        if settings.get(PROJECTOR) and not self.projector:
            self.projector_return = (
                settings.get(PROJECTOR_RETURN_THEME),
                settings.get(PROJECTOR_RETURN_SCALE),
            )

    # --------------------------------------------------------------------- values
    @staticmethod
    def _values(theme: Theme, font: QFont) -> dict[str, object]:
        """The style sheet's variables: colours, sizes in pt and px, themed glyphs."""
        values: dict[str, object] = {
            k: v for k, v in vars(theme).items() if not isinstance(v, bool | float)
        }
        size = font.pointSizeF()
        em = QFontInfo(font).pixelSize() or round(size * 96 / 72)
        indicator = max(12, round(em * 1.1))
        values.update(
            h1=f"{size * 1.7:.1f}",
            h2=f"{size * 1.25:.1f}",
            sidebar_pt=f"{size * 1.05:.1f}",
            # Glyphs and indicators follow the text size.
            arrow_px=max(8, round(em * 0.9)),
            drop_px=max(16, round(em * 1.7)),
            indicator_px=indicator,
            indicator_radius=indicator // 2 + theme.border_width,
            icon_px=max(12, round(em * 1.2)),
            scroll_px=max(10, round(em * 0.9)),
            glyph_px=max(20, round(em * 2.2)),
        )
        # ${icon_<variable>}: (glyph, colour)
        glyphs = {
            "arrow_down": ("arrow-down", theme.text),
            "arrow_up": ("arrow-up", theme.text),
            "arrow_left": ("arrow-left", theme.text),
            "arrow_right": ("arrow-right", theme.text),
            "arrow_right_selected": ("arrow-right", theme.highlight_text),
            "arrow_down_disabled": ("arrow-down", theme.disabled),
            "arrow_up_disabled": ("arrow-up", theme.disabled),
            "arrow_left_disabled": ("arrow-left", theme.disabled),
            "arrow_right_disabled": ("arrow-right", theme.disabled),
            "close": ("close", theme.text),
            "float": ("float", theme.text),
            "radio": ("radio", theme.accent),
            "radio_disabled": ("radio", theme.disabled),
            "check": ("check", theme.accent_text),
            "check_disabled": ("check", theme.window),
            "check_menu": ("check", theme.text),
            "check_menu_selected": ("check", theme.highlight_text),
            "radio_menu": ("radio", theme.text),
            "radio_menu_selected": ("radio", theme.highlight_text),
            "project": ("project", theme.accent),
        }
        for variable, (glyph, colour) in glyphs.items():
            values[f"icon_{variable}"] = themed_icon(glyph, colour)
        return values

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
            role.LinkVisited: theme.accent,
            role.BrightText: theme.danger,
            # The style's bevels and lines: no white edges on a dark theme.
            role.Light: theme.alt_base,
            role.Midlight: theme.alt_base,
            role.Mid: theme.border,
            role.Dark: theme.border,
            role.Shadow: theme.border,
        }
        for r, colour in pairs.items():
            pal.setColor(r, QColor(colour))
        disabled = QPalette.ColorGroup.Disabled
        for r in (role.Text, role.ButtonText, role.WindowText, role.PlaceholderText):
            pal.setColor(disabled, r, QColor(theme.disabled))
        # A disabled selection keeps a readable pair.
        pal.setColor(disabled, role.Highlight, QColor(theme.alt_base))
        pal.setColor(disabled, role.HighlightedText, QColor(theme.disabled))
        return pal
