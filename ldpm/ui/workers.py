"""Running slow, Qt-free work on the thread pool and getting the result back on the GUI thread.

``run_in_pool(fn, on_done, on_failed)`` calls ``fn()`` on a ``QThreadPool`` thread.  Its
result (or the exception it raised) comes back through a queued signal, so ``on_done`` and
``on_failed`` run on the GUI thread.  ``fn`` must not touch widgets or objects the GUI thread is
using; persistence jobs open their own database connections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Bridge(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.fn = fn
        self.bridge = bridge

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which decides what to say
            self.bridge.failed.emit(exc)
        else:
            self.bridge.done.emit(result)


class Task:
    """A handle on work running in the pool; keeps the bridge alive until it reports."""

    def __init__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None],
    ) -> None:
        self.bridge = _Bridge()
        self.bridge.done.connect(on_done)
        self.bridge.failed.connect(on_failed)
        self.runnable = _Task(fn, self.bridge)
        self.runnable.setAutoDelete(False)

    def start(self) -> Task:
        QThreadPool.globalInstance().start(self.runnable)
        return self


def run_in_pool(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[Exception], None],
) -> Task:
    return Task(fn, on_done, on_failed).start()


def wait_for_pool(msecs: int = 30_000) -> bool:
    """Block until running tasks finish (closing a project must not race a save)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
