"""Figures of the shared table model (``ldpm/ui/models/table.py``) at 10,000 rows.

    python bench/table_bench.py [--runs 15] [--rows 10000]

The rows are 10,000 real backlog items (``bench/generate.py``'s content) in a real project
file, shown in seven declared columns (title, kind, effort, reach, value, MoSCoW, status).
Every figure is the median of ``--runs`` timed runs after one untimed warm-up; nothing is
estimated.  Figures:

* **reload, one row changed** — ``model.reload()`` where the loader returns the rows with one
  item's effort changed (alternately two lists that differ in one row, so every reload has
  exactly one change; the loader only copies a list, so this is the model's own work: the
  id diff and the one ``dataChanged``).  Target < 30 ms.
* the same with a :class:`TableProxy` and a shown :class:`DataTableView` on the model (what a
  user has on screen; the timed part includes processing the view's events), unsorted, sorted
  by title (the changed row stays) and sorted by effort (the changed row moves);
* **reload, nothing changed**;
* **reload, one row added** and **one row removed** (at the middle);
* **services read** — reading the 10,000 items from the project (``Tx.list``), which a real
  loader does before the diff, and **reload, one row changed, read included**;
* **sort by a numeric column** — ``TableProxy.sort`` on effort (ascending, then descending):
  the proxy hands sorting to the model, which sorts by the column's sort key in Python and
  emits one ``layoutChanged``; beside it, for comparison, Qt's own ``QSortFilterProxyModel``
  sort on ``SORT_ROLE`` (which calls ``data()`` twice per comparison);
* **filter by text** — ``TableProxy.set_filter_text`` with one word of a title, matched in
  any column (Qt's filter, ``data()`` per cell).

The offscreen Qt platform is used unless ``QT_QPA_PLATFORM`` says otherwise; the project and
its working copy live in a temporary ``LDPM_HOME``.
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
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSortFilterProxyModel, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.generate import build, populate_with  # noqa: E402
from ldpm.domain.entities import BacklogItem, Initiative, Release  # noqa: E402
from ldpm.domain.enums import ItemKind, ItemStatus, MoSCoW  # noqa: E402
from ldpm.ui.models.table import (  # noqa: E402
    SORT_ROLE,
    Column,
    ColumnTableModel,
    Kind,
    TableProxy,
)
from ldpm.ui.table_view import DataTableView  # noqa: E402

TARGET_MS = 30.0


def item_columns() -> list[Column[BacklogItem]]:
    return [
        Column(field="title", header=lambda: "Item"),
        Column(field="kind", kind=Kind.CHOICE, choices=ItemKind, header=lambda: "Kind"),
        Column(field="effort", kind=Kind.DECIMAL, header=lambda: "Effort"),
        Column(field="reach", kind=Kind.WHOLE, header=lambda: "Reach"),
        Column(field="value", kind=Kind.WHOLE, header=lambda: "Value"),
        Column(field="moscow", kind=Kind.CHOICE, choices=MoSCoW, header=lambda: "MoSCoW"),
        Column(field="status", kind=Kind.CHOICE, choices=ItemStatus, header=lambda: "Status"),
    ]


def median_ms(action: Callable[[], object], runs: int, prepare: Callable[[], object]) -> float:
    """Median wall time of ``action`` in ms over ``runs`` runs; ``prepare`` is untimed."""
    prepare()
    action()  # warm-up
    samples = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def line(name: str, value: float, target: float | None = None) -> None:
    if target is None:
        print(f"{name:<58} {value:9.1f} ms")
    else:
        verdict = "PASS" if value < target else "MISS"
        print(f"{name:<58} {value:9.1f} ms   target < {target:.0f} ms   {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ldpm-table-bench-") as home:
        os.environ["LDPM_HOME"] = home
        app = QApplication.instance() or QApplication([])
        # Imported here: they read LDPM_HOME.
        from ldpm.services.project import Project
        from ldpm.ui.operations import OperationRunner

        entities = build(
            initiatives=50, items=args.rows, stakeholders=0, metrics=0, measurements=0
        )
        keep = {cls: entities[cls] for cls in (Initiative, Release, BacklogItem)}
        path = Path(home) / "table-bench.ldpm"
        Project.create_file(path, name="Table bench", populate=populate_with(keep))
        project = Project.open(path)
        try:
            runner = OperationRunner(project)

            def read() -> list[BacklogItem]:
                with project.read() as tx:
                    return tx.list(BacklogItem)

            rows = read()
            n = len(rows)
            middle = n // 2
            changed = [*rows[:middle], replace(rows[middle], effort=999.0), *rows[middle + 1 :]]
            lists = [rows, changed]
            current: list[list[BacklogItem]] = [rows]
            model = ColumnTableModel(runner, item_columns(), lambda: list(current[0]))
            model.set_following(False)
            model.reload()
            print(f"{n:,} backlog items, {len(item_columns())} columns, median of {args.runs}")

            flip = [0]

            def one_changed() -> None:
                flip[0] ^= 1
                current[0] = lists[flip[0]]

            line(
                "reload, one row changed",
                median_ms(model.reload, args.runs, one_changed),
                TARGET_MS,
            )

            def same() -> None:
                current[0] = lists[flip[0]]

            line("reload, nothing changed", median_ms(model.reload, args.runs, same))

            added = [*rows[:middle], replace(rows[middle], id="new-item"), *rows[middle:]]
            removed = [*rows[:middle], *rows[middle + 1 :]]

            def add_or_remove(with_row: list[BacklogItem]) -> Callable[[], None]:
                def prepare() -> None:
                    current[0] = rows
                    model.reload()  # untimed: back to the plain rows
                    current[0] = with_row

                return prepare

            line("reload, one row added", median_ms(model.reload, args.runs, add_or_remove(added)))
            line(
                "reload, one row removed",
                median_ms(model.reload, args.runs, add_or_remove(removed)),
            )

            # What a user has on screen: a proxy and a shown table on the model; the timed
            # part includes the view's own response (events processed, columns refitted).
            current[0] = rows
            model.reload()
            proxy = TableProxy(model)
            view = DataTableView()
            view.setModel(proxy)
            view.resize(1200, 800)
            view.show()
            app.processEvents()

            def reload_shown() -> None:
                model.reload()
                app.processEvents()

            line(
                "reload, one row changed, proxy + shown view",
                median_ms(reload_shown, args.runs, one_changed),
                TARGET_MS,
            )
            proxy.sort(0, Qt.SortOrder.AscendingOrder)
            app.processEvents()
            line(
                "  … sorted by title (the row stays)",
                median_ms(reload_shown, args.runs, one_changed),
                TARGET_MS,
            )
            proxy.sort(2, Qt.SortOrder.AscendingOrder)
            app.processEvents()
            line(
                "  … sorted by effort (the changed row moves)",
                median_ms(reload_shown, args.runs, one_changed),
                TARGET_MS,
            )
            proxy.sort(-1)
            app.processEvents()

            line("services read of the rows (Tx.list)", median_ms(read, args.runs, lambda: None))
            loader_model = ColumnTableModel(runner, item_columns(), read)
            loader_model.set_following(False)
            loader_model.reload()
            target_row = [rows[middle]]

            def edit_in_file() -> None:
                item = target_row[0]
                effort = 1.0 if item.effort != 1.0 else 2.0
                with project.unit() as tx:
                    tx.update(BacklogItem, item.id, {"effort": effort})
                target_row[0] = replace(item, effort=effort)

            line(
                "reload, one row changed, read included",
                median_ms(loader_model.reload, args.runs, edit_in_file),
            )

            # Sorting: TableProxy hands it to the model (Python sorts the keys).
            order = [Qt.SortOrder.AscendingOrder]

            def unsort() -> None:
                proxy.sort(-1)
                app.processEvents()

            def sort_effort() -> None:
                proxy.sort(2, order[0])
                app.processEvents()

            line(
                "sort by a numeric column (effort), ascending",
                median_ms(sort_effort, args.runs, unsort),
            )
            order[0] = Qt.SortOrder.DescendingOrder
            line("  … descending", median_ms(sort_effort, args.runs, unsort))
            proxy.sort(-1)

            # For comparison: Qt's own proxy sort on SORT_ROLE (data() per comparison).
            plain = QSortFilterProxyModel()
            plain.setSourceModel(model)
            plain.setSortRole(SORT_ROLE)
            line(
                "  (the same by Qt's QSortFilterProxyModel on SORT_ROLE)",
                median_ms(lambda: plain.sort(2), max(3, args.runs // 5), lambda: plain.sort(-1)),
            )
            plain.setSourceModel(None)

            needle = rows[middle].title.split()[0]
            line(
                f"filter by text ({needle!r}, any column)",
                median_ms(
                    lambda: (proxy.set_filter_text(needle), app.processEvents()),
                    args.runs,
                    lambda: (proxy.set_filter_text(""), app.processEvents()),
                ),
            )
            view.close()
        finally:
            project.close(discard_unsaved=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
