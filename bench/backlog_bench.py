"""Figures of the Backlog view with a 5,000-item backlog in one initiative.

    python bench/backlog_bench.py [--runs 9] [--items 5000]

The project is a real file written by ``bench/generate.py`` (one initiative, its items,
releases, people and SMEs).  Each figure is the median of ``--runs`` timed runs after one
untimed warm-up, and includes processing the view's events (so the table has redrawn its
rows and refitted its columns):

* **open** — build the view, show it and load the initiative's backlog (target < 300 ms);
* **sort by a score** — click the RICE header (ascending, then descending) (< 100 ms);
* **filter by one typed character** — type one letter into the search field (< 100 ms);
* **move one row by Alt+Down**, in the manual order, including the write (< 100 ms);
* **move one row by drag** — the drop the table reports, including the write (< 100 ms);
* **bulk edit of 500 items** — set the status of 500 selected items, one undo step,
  including the write and the refresh (< 300 ms);
* **memory** — the process's resident size with the view open and showing the backlog,
  minus the size with the project open and a plain window shown (< 50 MB).

Beside each wall time the CPU time of this process is printed: on a shared machine the
wall time includes waiting for the CPU, the CPU time does not.

The offscreen Qt platform is used unless ``QT_QPA_PLATFORM`` says otherwise; the project and
its working copy live in a temporary ``LDPM_HOME``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from bench.generate import generate  # noqa: E402
from ldpm.domain.enums import ItemStatus  # noqa: E402


def median_ms(
    action: Callable[[], object], runs: int, prepare: Callable[[], object]
) -> tuple[float, float]:
    """Median wall time and median CPU time of this process of ``action`` in ms over
    ``runs`` runs; ``prepare`` is untimed.  The CPU time leaves out the time other processes
    took the CPU from this one (the benchmark machine may be shared)."""
    prepare()
    action()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        prepare()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def line(name: str, value: float | tuple[float, float], target: float, unit: str = "ms") -> None:
    wall, cpu = value if isinstance(value, tuple) else (value, None)
    verdict = "PASS" if wall < target else "MISS"
    extra = f"   (CPU {cpu:6.1f} ms)" if cpu is not None else ""
    print(f"{name:<44} {wall:8.1f} {unit}   target < {target:3.0f} {unit}   {verdict}{extra}")


def rss_mb() -> float:
    """The resident set size of this process, in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--items", type=int, default=5_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ldpm-backlog-bench-") as home:
        os.environ["LDPM_HOME"] = home
        app = QApplication.instance() or QApplication([])
        # Imported here: they read LDPM_HOME.
        from ldpm.services import backlog as svc
        from ldpm.services import initiatives
        from ldpm.services.project import Project
        from ldpm.ui.models.backlog_columns import KEYS
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.views.backlog import BacklogView

        path = Path(home) / "backlog-bench.ldpm"
        generate(path, initiatives=1, items=args.items, stakeholders=60, metrics=3,
                 measurements=30)  # fmt: skip
        project = Project.open(path)
        try:
            runner = OperationRunner(project)
            initiative = initiatives.list_initiatives(project)[0].id
            count = len(svc.list_items(project, initiative))
            print(f"{count:,} backlog items in one initiative, median of {args.runs} runs")

            plain = QWidget()
            plain.resize(1400, 900)
            plain.show()
            app.processEvents()
            gc.collect()
            before = rss_mb()

            views: list[BacklogView] = []

            def open_view() -> None:
                view = BacklogView(runner)
                view.resize(1400, 900)
                view.show()
                view.set_initiative(initiative)
                app.processEvents()
                views.append(view)

            def drop_views() -> None:
                while views:
                    old = views.pop()
                    old.hide()
                    old.deleteLater()
                app.processEvents()
                # processEvents outside an event loop never runs a deleteLater: without
                # this every view opened stayed alive with its 5,000 rows, and each later
                # figure paid for collecting them.
                app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                gc.collect()

            open_view()  # the first view in this process: what it adds to memory
            gc.collect()
            memory = rss_mb() - before
            line("open the backlog view", median_ms(open_view, args.runs, drop_views), 300)
            line("memory with the view open", memory, 50, "MB")
            drop_views()
            open_view()
            view = views[0]

            rice = KEYS.index("rice")
            order = [Qt.SortOrder.AscendingOrder]

            def sort() -> None:
                order[0] = (
                    Qt.SortOrder.DescendingOrder
                    if order[0] == Qt.SortOrder.AscendingOrder
                    else Qt.SortOrder.AscendingOrder
                )
                view.table.sortByColumn(rice, order[0])
                app.processEvents()

            line("sort by a score (RICE)", median_ms(sort, args.runs, lambda: None), 100)
            view.proxy.sort(-1)
            view.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

            def clear_search() -> None:
                view.filters.search.setText("")
                app.processEvents()

            def type_one() -> None:
                view.filters.search.setText("e")
                app.processEvents()

            line(
                "filter by one typed character", median_ms(type_one, args.runs, clear_search), 100
            )
            clear_search()

            view.adopt_order()  # rank by hand: moves write one rank
            app.processEvents()
            row = count // 2
            direction = [1]

            def select_middle() -> None:
                view.table.select_rows([row], row)
                app.processEvents()

            def alt_down() -> None:
                direction[0] = -direction[0]  # down, then back up: the same two rows
                view.move_selected(direction[0])
                app.processEvents()

            line(
                "move one row by Alt+Down (with the write)",
                median_ms(alt_down, args.runs, select_middle),
                100,
            )

            def drag() -> None:
                moved = view.proxy.id_at(row)
                assert moved is not None
                view.table.rows_dropped.emit([moved], row - 3)
                app.processEvents()

            line(
                "move one row by drag (with the write)",
                median_ms(drag, args.runs, select_middle),
                100,
            )

            statuses = [ItemStatus.READY, ItemStatus.IDEA]

            def select_500() -> None:
                view.table.select_rows(range(500), 0)
                app.processEvents()

            def bulk() -> None:
                statuses.reverse()
                view.bulk_set("status", statuses[0])
                app.processEvents()

            line(
                "bulk edit of 500 items (one undo step)",
                median_ms(bulk, args.runs, select_500),
                300,
            )
            drop_views()
            plain.close()
        finally:
            runner.undo_stack.clear()
            project.close(discard_unsaved=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
