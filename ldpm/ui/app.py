"""Starting the application.

The main window is shown before anything heavy is imported; the project (and with it
SQLAlchemy) loads on the first turn of the event loop.  For the benchmarks, ``LDPM_BENCH_MARKS=1``
prints ``ldpm-bench shown <unix time>`` when the window is first painted and
``ldpm-bench interactive <unix time>`` when the project is open and painted;
``LDPM_BENCH_QUIT=shown|interactive`` quits right after that mark.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ldpm import __version__
from ldpm.ui import settings as prefs
from ldpm.ui.main_window import MainWindow
from ldpm.ui.settings import Settings
from ldpm.ui.theme import ThemeManager


class _AfterNextPaint(QObject):
    """Calls ``callback`` once, on the turn of the event loop after the window's next paint
    (or after ``fallback_ms`` if the window is not painted, e.g. minimised)."""

    def __init__(
        self, window: MainWindow, callback: Callable[[], None], fallback_ms: int = 400
    ) -> None:
        super().__init__(window)
        self.callback: Callable[[], None] | None = callback
        self.window = window
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.callback is not None:
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        callback, self.callback = self.callback, None
        if callback is not None:
            self.window.removeEventFilter(self)
            callback()


class _BenchMarks(QObject):
    """Prints the benchmark marks when the window is painted (see the module docstring):
    ``shown`` on the first paint, ``ready`` on the first paint with menus and welcome screen,
    ``interactive`` on the first paint after the project has opened."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.quit_at = os.environ.get("LDPM_BENCH_QUIT", "")
        self.built = False
        self.loaded = False
        self.printed: set[str] = set()
        window.installEventFilter(self)
        window.project_opened.connect(self._on_opened)

    def _on_opened(self) -> None:
        self.loaded = True
        self.window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._mark("shown")
            if self.built:
                self._mark("ready")
            if self.loaded:
                self._mark("interactive")
        return False

    def _mark(self, name: str) -> None:
        if name in self.printed:
            return
        self.printed.add(name)
        print(f"ldpm-bench {name} {time.time():.6f}", flush=True)
        if self.quit_at == name:
            QTimer.singleShot(0, self.window.close)


def _preload() -> None:
    # Importing the data layer (SQLAlchemy alone is ~0.2 s) while the first frames are
    # painted; Python's import locks make a later import on the GUI thread wait or reuse it.
    import ldpm.services.initiatives
    import ldpm.services.project
    import ldpm.ui.project_page  # noqa: F401


def _preload_in_background() -> None:
    threading.Thread(target=_preload, name="ldpm-preload", daemon=True).start()


def run(file: str | None = None, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("LDPM")
    app.setApplicationDisplayName("LDPM")
    app.setOrganizationName("LDPM")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("ldpm")
    from importlib import resources

    icon_path = resources.files("ldpm.resources") / "icons" / "ldpm.svg"
    if icon_path.is_file():
        app.setWindowIcon(QIcon(str(icon_path)))

    settings = Settings()
    themes = ThemeManager(app)
    # First frame: the window in the right size and colours, nothing else to lay out or style.
    themes.apply(settings.get(prefs.THEME), settings.get(prefs.FONT_SCALE), style=False)
    window = MainWindow(settings, themes, deferred=True)
    marks = _BenchMarks(window) if os.environ.get("LDPM_BENCH_MARKS") else None
    window.show()
    _preload_in_background()

    def load() -> None:
        # Right after the first paint: style sheet, menus and welcome screen, then the project.
        themes.apply()
        window.build()
        if marks is not None:
            marks.built = True
            window.update()
        # Open the project once the built window has been painted.
        _AfterNextPaint(window, open_project)

    def open_project() -> None:
        if demo:
            window.documents.open_demo()
        elif file:
            window.open_path(Path(file))
        else:
            window.offer_recovery()

    # Show the window first; load the project (and SQLAlchemy) once it is on screen.
    _AfterNextPaint(window, load)
    return app.exec()
