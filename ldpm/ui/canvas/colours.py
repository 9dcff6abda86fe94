"""The canvas's colours, taken from the active theme.

:class:`ldpm.ui.theme.ThemeManager` sets the application palette; the theme it came from is
found again by its colours (:func:`canvas_colours`), so the canvas also has the theme's
``success``, ``warning`` and ``danger`` colours, which a palette does not carry, and its line
widths (thicker in high contrast).  Cards name their colours by *role* (``"accent"``,
``"success"`` …) and resolve them when painted, so a theme switch recolours every card without
rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from ldpm.ui.theme import THEMES, Theme

#: The role names a card may use for ``fill`` and ``outline`` (or a ``#rrggbb`` colour).
ROLES = (
    "window",
    "base",
    "alt_base",
    "text",
    "muted",
    "disabled",
    "border",
    "control",
    "accent",
    "accent_text",
    "highlight",
    "highlight_text",
    "success",
    "warning",
    "danger",
)


@dataclass(frozen=True)
class CanvasColours:
    """The theme's colours by role, and its line widths."""

    theme: Theme

    @property
    def dark(self) -> bool:
        return self.theme.dark

    @property
    def line_width(self) -> float:
        return float(self.theme.border_width)

    @property
    def focus_width(self) -> float:
        return float(self.theme.focus_width)

    @property
    def high_contrast(self) -> bool:
        return self.theme.min_contrast >= 7.0

    def role(self, name: str) -> QColor:
        """The colour of role ``name``, or ``name`` itself read as a colour (``#rrggbb``)."""
        value = getattr(self.theme, name, None) if name in ROLES else None
        return QColor(value if isinstance(value, str) else name)


def _theme_for(palette: QPalette) -> Theme:
    role = QPalette.ColorRole
    window = palette.color(role.Window).name()
    base = palette.color(role.Base).name()
    text = palette.color(role.Text).name()
    for theme in THEMES.values():
        if (theme.window, theme.base, theme.text) == (window, base, text):
            return theme
    # A palette no theme made (a test without a ThemeManager): the light or dark theme with
    # the palette's own colours where it has them.
    dark = palette.color(role.Window).lightness() < 128
    model = THEMES["dark" if dark else "light"]
    values = {f.name: getattr(model, f.name) for f in fields(model)}
    values.update(
        window=window,
        base=base,
        text=text,
        alt_base=palette.color(role.AlternateBase).name(),
        highlight=palette.color(role.Highlight).name(),
        highlight_text=palette.color(role.HighlightedText).name(),
    )
    return Theme(**values)


def canvas_colours(widget: QWidget) -> CanvasColours:
    """The colours of the theme ``widget`` is painted in."""
    return CanvasColours(_theme_for(widget.palette()))
