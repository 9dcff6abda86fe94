"""Figures of the plan views (issue 9) against their targets.

    python bench/plan_bench.py [--runs 15] [--only matrix|board]

The data is ``bench/generate.py``'s content: two initiatives of 500 backlog items each (for the
matrix) and two of 5,000 (for the release board), with their releases, in real project files.
"Opening" a view is switching it, shown, from one initiative to the other (so every card, row
and lane is built anew) until its events are processed and it is painted.  Every figure is the
median of ``--runs`` timed runs after one untimed warm-up; nothing is estimated.

* **label layout, 500 cards** — :func:`ldpm.domain.label_layout.layout_labels` on the matrix's
  500 cards with the labels measured in the application font, and the second chance of those
  with no room, cut at a word (the pure layout, as the canvas calls it); beside it the
  canvas's whole relayout (measuring and eliding 500 labels, the layout, placing the items).
  Target < 50 ms.
* **matrix, 500 cards: open** — target < 200 ms.
* **matrix, 500 cards: a drag** — one card dragged across the plot in 60 mouse moves; a frame
  is one move event handled and the changed part of the view repainted (median and 95th
  percentile), and, for the worst case, a repaint of the whole viewport.  Target < 16 ms.
* **release board, 5,000 items: open** — the board's lanes, the MVP's ranked list and the
  release form.  Target < 300 ms.

The offscreen Qt platform is used unless ``QT_QPA_PLATFORM`` says otherwise; the projects and
their working copies live in a temporary ``LDPM_HOME``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QFontMetricsF, QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.generate import build  # noqa: E402
from ldpm.domain.entities import BacklogItem, Initiative, Release  # noqa: E402
from ldpm.domain.label_layout import Box, layout_labels  # noqa: E402
from ldpm.services.dataset import Batch  # noqa: E402

TARGETS = {"layout": 50.0, "matrix": 200.0, "frame": 16.0, "board": 300.0}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


#: The fastest run of the last measurement (printed beside the median: on a shared, busy
#: machine the median moves with the load, the best run much less).
BEST: list[float] = [0.0]


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    samples = [timed(action) for _ in range(runs)]
    BEST[0] = min(samples)
    return statistics.median(samples)


def line(name: str, value: float, target: float | None = None, best: float | None = None) -> None:
    best = BEST[0] if best is None else best
    text = f"{name:<58} {value:8.1f} ms (best {best:6.1f})"
    if target is None:
        print(text)
    else:
        verdict = "PASS" if value < target else "MISS"
        print(f"{text}   target < {target:.0f} ms   {verdict}")


def workspace(items: int, *, scored: bool = False) -> Batch:
    """Two initiatives of ``items`` backlog items each, with their releases.  With
    ``scored`` every item has a value and an effort (so each is a card on the matrix)."""
    out = Batch()
    for seed in (1, 2):
        entities = build(
            seed=seed, initiatives=1, items=items, stakeholders=0, metrics=0, measurements=0
        )
        out.extend(entities.of(Initiative))
        out.extend(entities.of(Release))
        for n, generated in enumerate(entities.of(BacklogItem)):
            out.add(
                replace(
                    generated,
                    value=generated.value or 1 + n % 10,
                    effort=generated.effort or (0.5, 2.0, 8.0)[n % 3],
                )
                if scored
                else generated
            )
    return out


def settle(app: QApplication) -> None:
    """Process the events a change posted, as the event loop would: ``processEvents`` alone
    never runs ``deleteLater`` (the loop does), so widgets a view deleted would pile up, still
    painted, in a bench that never returns to the loop."""
    for _ in range(3):
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", choices=("matrix", "board"), help="one of the two parts")
    args = parser.parse_args(argv)
    runs = args.runs

    with tempfile.TemporaryDirectory(prefix="ldpm-plan-bench-") as home:
        os.environ["LDPM_HOME"] = home
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        from ldpm.ui.theme import ThemeManager  # reads LDPM_HOME

        ThemeManager(app).apply("light", 1.0)
        print(f"median of {runs} runs after a warm-up; Qt platform {app.platformName()}")

        if args.only != "board":
            matrix_figures(app, Path(home), runs)
        if args.only != "matrix":
            board_figures(app, Path(home), runs)
    return 0


def matrix_figures(app: QApplication, home: Path, runs: int) -> None:
    # Imported here: they read LDPM_HOME.
    from ldpm.services import initiatives
    from ldpm.services.project import Project
    from ldpm.ui.canvas.labels import REACH_LINES, SHORT_CHARS, SHORT_TRIES, short_text
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.views.matrix import MatrixView

    path = home / "matrix.ldpm"
    data = workspace(500, scored=True)
    Project.create_file(path, name="Plan bench", populate=partial(data.insert))
    project = Project.open(path)
    try:
        runner = OperationRunner(project)
        first, second = (i.id for i in initiatives.list_initiatives(project))
        view = MatrixView(runner)
        view.resize(1280, 800)
        view.show()
        view.show_all.setChecked(True)  # the dropped items too: 500 cards
        view.set_initiative(first)
        settle(app)
        canvas = view.canvas
        cards = [canvas.item(i) for i in canvas.card_ids()]
        placed = [c for c in cards if c is not None]
        print(f"matrix: {len(placed)} cards (items with a value and an effort)")

        metrics = QFontMetricsF(canvas.font())
        scale = canvas.zoom()
        anchors = [
            Box(r.x(), r.y(), r.width(), r.height())
            for r in (c.mapRectToScene(c.rect()) for c in placed)
        ]
        sizes = [
            (
                min(metrics.horizontalAdvance(c.spec.label), metrics.averageCharWidth() * 30)
                / scale
                + 6 / scale,
                (metrics.height() + 2) / scale,
            )
            for c in placed
        ]
        # The second chance of a label with no room: cut at a word (as the canvas does).
        short_sizes = [
            (
                metrics.horizontalAdvance(
                    short_text(c.spec.label, metrics, metrics.averageCharWidth() * SHORT_CHARS)
                )
                / scale
                + 6 / scale,
                h,
            )
            for c, (_w, h) in zip(placed, sizes, strict=True)
        ]
        plot = Box(0, 0, 1000, 700)
        line(
            "label layout, 500 cards: the layout (domain)",
            median_ms(
                lambda: layout_labels(
                    anchors,
                    sizes,
                    bounds=plot,
                    gap=3 / scale,
                    max_distance=REACH_LINES * (metrics.height() + 3) / scale,
                    short_sizes=short_sizes,
                    short_tries=SHORT_TRIES,
                ),
                runs,
            ),
            TARGETS["layout"],
        )
        line(
            "label layout, 500 cards: the canvas's whole relayout",
            median_ms(canvas.relayout, runs),
        )
        print(f"  ({canvas.hidden_labels} of {len(placed)} labels had no room at this zoom)")

        flip = [second, first]

        def switch() -> None:
            flip.reverse()
            view.set_initiative(flip[0])
            settle(app)

        line("matrix, 500 cards: open (switch initiative, painted)", median_ms(switch, runs),
             TARGETS["matrix"])  # fmt: skip

        # A drag: press on a card, 60 moves, release (the command is not timed).
        viewport = canvas.viewport()

        def send(kind: QEvent.Type, at: QPoint, button: Qt.MouseButton) -> None:
            buttons = (
                Qt.MouseButton.NoButton
                if kind == QEvent.Type.MouseButtonRelease
                else Qt.MouseButton.LeftButton
            )
            event = QMouseEvent(
                kind,
                QPointF(at),
                QPointF(viewport.mapToGlobal(at)),
                button,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(viewport, event)

        frames: list[float] = []
        full: list[float] = []
        for _ in range(max(1, runs // 5)):
            card_id = canvas.card_ids()[0]
            start = canvas.mapFromScene(canvas.card_pos(card_id))
            send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
            settle(app)
            for step in range(1, 61):
                at = start + QPoint(step * 4, -step * 2)

                def frame(at: QPoint = at) -> None:
                    send(QEvent.Type.MouseMove, at, Qt.MouseButton.NoButton)
                    app.processEvents()

                frames.append(timed(frame))
            for _ in range(5):
                full.append(timed(viewport.repaint))
            canvas.cards_moved.disconnect()
            send(QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.LeftButton)
            canvas.cards_moved.connect(view._on_moved)
            settle(app)
        frames.sort()
        line("matrix drag, 500 cards: a frame, median", statistics.median(frames),
             TARGETS["frame"], frames[0])  # fmt: skip
        line("matrix drag, 500 cards: a frame, 95th percentile",
             frames[int(len(frames) * 0.95) - 1], TARGETS["frame"], frames[0])  # fmt: skip
        line("matrix drag, 500 cards: a repaint of the whole view", statistics.median(full),
             TARGETS["frame"], min(full))  # fmt: skip
        view.close()
    finally:
        project.close(discard_unsaved=True)


def board_figures(app: QApplication, home: Path, runs: int) -> None:
    # Imported here: they read LDPM_HOME.
    from ldpm.services import initiatives
    from ldpm.services.project import Project
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.views.releases import ReleasesView

    path = home / "board.ldpm"
    data = workspace(5000)
    Project.create_file(path, name="Board bench", populate=partial(data.insert))
    project = Project.open(path)
    try:
        runner = OperationRunner(project)
        first, second = (i.id for i in initiatives.list_initiatives(project))
        board = ReleasesView(runner)
        board.resize(1280, 800)
        board.show()
        board.set_initiative(first)
        settle(app)
        rows = sum(lane.model.rowCount() for lane in board.lanes.values())
        print(f"release board: {rows:,} items in {len(board.lanes)} lanes")
        flip = [second, first]

        def switch_board() -> None:
            flip.reverse()
            board.set_initiative(flip[0])
            settle(app)

        line("release board, 5,000 items: open (switch initiative, painted)",
             median_ms(switch_board, runs), TARGETS["board"])  # fmt: skip
        line("release board, 5,000 items: reload after an edit",
             median_ms(lambda: (board.reload(), settle(app)), runs))  # fmt: skip
        board.close()
    finally:
        project.close(discard_unsaved=True)


if __name__ == "__main__":
    sys.exit(main())
