"""Figures of the view frame (issue 7): what a change record costs in a window full of views.

    python bench/frame_bench.py [--runs 30]

A project page on the demo project shows one view and holds seven more in hidden tabs (eight
Overview & Intake views: the heaviest view there is today).  Each run renames the current
initiative through the operation runner — one command, one change record — and the time of
``runner.run`` is taken: the command, the undo step and every listener.  Figures:

* **change record, 8 views, 7 hidden** — deferred refresh: the hidden views only mark
  themselves stale (their reload count is reported and must stay 0);
* **the same if every view reloaded** — the hidden views are forced to refresh after each
  record, which is what the window would do without deferred refresh;
* **reloads of hidden views** — counted, not timed.

Tests never assert on these; the reload count of hidden views is also checked in
``tests/ui/test_views.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ldpm-frame-bench-") as tmp:
        os.environ["LDPM_HOME"] = str(Path(tmp) / "home")
        os.environ.setdefault("LDPM_DEVICE_ID", "be0c0ffee0000001")
        from PySide6.QtGui import QAction
        from PySide6.QtWidgets import QApplication

        from ldpm.services import initiatives
        from ldpm.services.project import Project, demo_file
        from ldpm.ui import project_page
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.views.overview import OverviewView

        app = QApplication.instance() or QApplication([])
        project = Project.open(demo_file())
        runner = OperationRunner(project)
        project_page.VIEWS = [OverviewView] * 8  # type: ignore[attr-defined]
        keys = ("new_initiative", "rename_initiative", "archive_initiative")
        keys += ("delete_initiative", "move_up", "move_down")
        actions = {key: QAction(key) for key in keys}  # what the sidebar offers
        page = project_page.ProjectPage(runner, actions)
        page.resize(1280, 800)
        page.show()
        app.processEvents()
        first = initiatives.list_initiatives(project)[0]
        page.select(first.id)
        app.processEvents()
        hidden = [v for v in page.views if v is not page.current_view()]

        def edit(i: int) -> float:
            command = initiatives.edit_initiative(project, first.id, {"owner": f"Owner {i}"})
            begin = time.perf_counter()
            runner.run(command)
            return time.perf_counter() - begin

        def edit_and_reload_all(i: int) -> float:
            begin = time.perf_counter()
            edit(i)
            for view in hidden:
                view.refresh()
            return time.perf_counter() - begin

        edit(-1)
        before = [v.reloads for v in hidden]
        deferred = [edit(i) for i in range(args.runs)]
        reloads = sum(v.reloads for v in hidden) - sum(before)
        eager = [edit_and_reload_all(i) for i in range(args.runs)]
        rows = [
            ("change record, 8 views, 7 hidden (deferred refresh)", deferred),
            ("the same if every hidden view reloaded", eager),
        ]
        print(f"LDPM frame benchmarks — medians of {args.runs} runs on the demo project")
        for label, samples in rows:
            print(f"{label:60} {statistics.median(samples) * 1000:8.2f} ms")
        print(f"{'reloads of hidden views after ' + str(args.runs) + ' records':60} {reloads:8d}")
        runner.undo_stack.clear()
        page.close()
        project.close(discard_unsaved=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
