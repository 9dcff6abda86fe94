"""Preferences, declared once with type, default and description, stored in QSettings.

Settings live in an INI file in LDPM's configuration folder (``ldpm.paths.config_dir()``), so
``LDPM_HOME`` redirects them too.  The file carries a version; :func:`_upgrade` holds the ordered
steps that bring an older file up to date.  Window geometry and state are stored beside the
preferences but are not preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from ldpm import paths

T = TypeVar("T")

SETTINGS_VERSION = 1
MAX_RECENT = 10
#: A window smaller than this is not remembered (a headless run's 720×480, a mis-click).
MIN_SAVED_SIZE = (960, 600)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T
    description: str


THEME = Setting("appearance/theme", str, "light", "Colour theme: light, dark or contrast.")
FONT_SCALE = Setting("appearance/font_scale", float, 1.0, "Text size relative to normal.")
AUTOSAVE = Setting("files/autosave", bool, True, "Save the project automatically.")
AUTOSAVE_DELAY_MS = Setting(
    "files/autosave_delay_ms", int, 1500, "Quiet time after an edit before autosaving."
)
SHOW_ARCHIVED = Setting("portfolio/show_archived", bool, False, "List archived initiatives.")
#: The projector preset survives a restart: whether it is on, and the look it returns to.
PROJECTOR = Setting("appearance/projector", bool, False, "The projector preset is on.")
PROJECTOR_RETURN_THEME = Setting(
    "appearance/projector_return_theme", str, "light", "Theme to return to after the projector."
)
PROJECTOR_RETURN_SCALE = Setting(
    "appearance/projector_return_scale", float, 1.0, "Text size to return to after the projector."
)
BACKLOG_COLUMNS = Setting(
    "views/backlog_columns",
    str,
    "",
    "The backlog table's columns: order, which are shown and the widths set by hand (JSON).",
)
BACKLOG_DETAILS = Setting("views/backlog_details", bool, True, "Show the backlog's detail panel.")
BACKLOG_SPLIT = Setting(
    "views/backlog_split", str, "", "Widths of the backlog table and its detail panel (JSON)."
)
#: The Stories pane beside the impact chart is shown (hidden, the chart takes the width).
IMPACT_STORIES = Setting(
    "metrics/impact_stories", bool, True, "Show the Stories pane beside the impact chart."
)

ALL_SETTINGS: tuple[Setting[Any], ...] = (
    THEME,
    FONT_SCALE,
    AUTOSAVE,
    AUTOSAVE_DELAY_MS,
    SHOW_ARCHIVED,
    PROJECTOR,
    PROJECTOR_RETURN_THEME,
    PROJECTOR_RETURN_SCALE,
    BACKLOG_COLUMNS,
    BACKLOG_DETAILS,
    BACKLOG_SPLIT,
    IMPACT_STORIES,
)


class Settings:
    """Typed access to LDPM's QSettings."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or paths.config_dir() / "ldpm.ini"
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def _upgrade(self) -> None:
        version = self._int("meta/version", 0)
        # Ordered upgrade steps go here: ``if version < 2: ...``.
        if version != SETTINGS_VERSION:
            self.qsettings.setValue("meta/version", SETTINGS_VERSION)

    def _int(self, key: str, default: int) -> int:
        value = self.qsettings.value(key, default)
        try:
            return int(str(value))
        except (TypeError, ValueError):
            return default

    def get(self, setting: Setting[T]) -> T:
        raw = self.qsettings.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            if setting.type is bool:
                value: Any = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")
            else:
                value = setting.type(raw)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return setting.default
        return value  # type: ignore[no-any-return]

    def set(self, setting: Setting[T], value: T) -> None:
        self.qsettings.setValue(setting.key, value)

    # ------------------------------------------------------------ recent files
    def recent_files(self) -> list[Path]:
        raw = self.qsettings.value("files/recent", [])
        items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        return [Path(p) for p in items if p][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        path = Path(path).absolute()
        items = [p for p in self.recent_files() if p != path]
        self.qsettings.setValue("files/recent", [str(p) for p in [path, *items][:MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        items = [p for p in self.recent_files() if p != Path(path)]
        self.qsettings.setValue("files/recent", [str(p) for p in items])

    def clear_recent(self) -> None:
        self.qsettings.setValue("files/recent", [])

    # ------------------------------------------------------------ window geometry
    def window_geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window_geometry(self, window: QWidget) -> None:
        """Remember the window's size and place, but never from a run without a real screen
        (tests, the offscreen platform) or smaller than a sensible working size: the next real
        window would start cramped."""
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            return
        if window.width() < MIN_SAVED_SIZE[0] or window.height() < MIN_SAVED_SIZE[1]:
            return
        self.qsettings.setValue("window/geometry", window.saveGeometry())

    def sync(self) -> None:
        self.qsettings.sync()
