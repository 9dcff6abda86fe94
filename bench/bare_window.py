"""The baseline for the cold-start figure: a bare PySide6 main window.

Started by ``bench/run.py`` exactly like LDPM (same interpreter, same environment, a fresh
process): it imports ``PySide6.QtWidgets``, creates a QApplication and an empty QMainWindow,
shows it, prints ``ldpm-bench shown <time.time()>`` when the window is first painted and quits.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"ldpm-bench shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(1024, 700)
    spy = _FirstPaint(app)
    window.installEventFilter(spy)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
