"""Figures of the Metrics & Impact view with 100,000 measurements in one initiative.

    python bench/metrics_bench.py [--runs 15] [--measurements 100000]

The initiative has nine metrics (three per tier), each measured daily on its main line and two
segments (so each panel has three lines of about 3,700 points and the measurement table of the
chosen metric about 11,000 rows), three releases and two experiments; it is written to a real
project file with the bulk insert the demo uses.  Every figure is the median of ``--runs``
timed runs after one untimed warm-up.  Figures, against the issue's targets:

* **open the view** — ``view.set_initiative(id)`` on a shown view whose Impact page is current,
  until its events are processed and painted: one read of every line (``Tx.columns``), the plan,
  the chosen metric's measurements, before/after, the stories, and the chart's data.  Target
  < 300 ms.  (The first open also imports pyqtgraph and builds the chart's items; that one-off
  cost is printed separately.)
* **chart full redraw** — ``ImpactChart.set_data`` with all three panels, markers, bands and
  targets, and a synchronous repaint of the canvas.  Target < 50 ms.
* **pan or zoom step** — ``setXRange`` by a tenth of the view (alternately panning and
  zooming), the panels fitting their values, and a synchronous repaint.  Target < 16 ms.
* **before/after for every metric** — ``services.metrics.before_after_all`` at a release.
  Target < 50 ms.
* informational: reading the lines, one measurement added (the view re-reads only that metric),
  and exporting the chart as PNG.

The offscreen Qt platform is used unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from ldpm.domain.entities import (  # noqa: E402
    Experiment,
    Initiative,
    Measurement,
    Metric,
    Release,
)
from ldpm.domain.enums import Cadence, Direction, MetricTier  # noqa: E402
from ldpm.persistence.store import Tx  # noqa: E402
from ldpm.services.dataset import series  # noqa: E402

TARGETS = {"open": 300.0, "redraw": 50.0, "pan": 16.0, "before_after": 50.0}
START = date(2016, 1, 4)
SEGMENTS = ("", "Remote", "On site")


def median_ms(
    action: Callable[[], object], runs: int, prepare: Callable[[], object]
) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in ms."""
    prepare()
    action()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        prepare()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def line(name: str, value: tuple[float, float], target: float | None = None) -> None:
    wall, cpu = value
    text = f"{name:<52} {wall:8.1f} ms  (cpu {cpu:7.1f} ms)"
    if target is None:
        print(text)
    else:
        verdict = "PASS" if wall < target else "MISS"
        cpu_verdict = "PASS" if cpu < target else "MISS"
        print(f"{text}   target < {target:.0f} ms   {verdict} (cpu {cpu_verdict})")


def content(total: int) -> tuple[Initiative, list[object]]:
    """One initiative with nine metrics and ``total`` daily measurements over three lines
    each, releases and experiments."""
    rng = random.Random(11)
    initiative = Initiative(name="Large impact initiative")
    metrics = []
    for tier in MetricTier:
        for k in range(3):
            falling = k % 2 == 0
            metrics.append(
                Metric(
                    initiative_id=initiative.id,
                    name=f"{tier.value.title()} metric {k + 1}",
                    tier=tier,
                    unit="per week",
                    direction=Direction.DECREASE if falling else Direction.INCREASE,
                    baseline=50.0,
                    target=30.0 if falling else 70.0,
                    baseline_date=START,
                    target_date=START + timedelta(days=4000),
                    cadence=Cadence.WEEKLY,
                )
            )
    per_line = total // (len(metrics) * len(SEGMENTS))
    days = [START + timedelta(days=i) for i in range(per_line)]
    end = days[-1]
    rows: list[object] = [initiative, *metrics]
    for metric in metrics:
        goal = metric.target or 50.0
        for segment in SEGMENTS:
            rows += series(
                rng,
                metric.id,
                days,
                trend=[(START, 50.0), (START + timedelta(days=per_line // 2), 50.0), (end, goal)],
                noise=4.0,
                segment=segment,
            )
    for i, fraction in enumerate((0.3, 0.5, 0.8)):
        on = START + timedelta(days=int(per_line * fraction))
        rows.append(Release(initiative_id=initiative.id, name=f"Release {i + 1}", target_date=on))
    for i, fraction in enumerate((0.4, 0.7)):
        on = START + timedelta(days=int(per_line * fraction))
        rows.append(
            Experiment(
                initiative_id=initiative.id,
                title=f"Trojan mouse {i + 1}",
                metric_id=metrics[3].id,
                start=on,
                end=on + timedelta(days=28),
                segment="Remote",
                comparison_segment="On site",
            )
        )
    return initiative, rows


def populate(rows: Sequence[object]) -> Callable[[Tx], None]:
    def fill(tx: Tx) -> None:
        by_type: dict[type, list[object]] = {}
        for row in rows:
            by_type.setdefault(type(row), []).append(row)
        for cls in (Initiative, Metric, Release, Experiment, Measurement):
            items = by_type.get(cls, [])
            for start in range(0, len(items), 20_000):
                tx.insert_many(items[start : start + 20_000])  # type: ignore[arg-type]

    return fill


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--measurements", type=int, default=100_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ldpm-metrics-bench-") as home:
        os.environ["LDPM_HOME"] = home
        app = QApplication.instance() or QApplication([])
        from ldpm.services import metrics as svc
        from ldpm.services.project import Project
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.theme import ThemeManager
        from ldpm.ui.views.metrics import IMPACT, MetricsView

        ThemeManager(app).apply("light", 1.0)  # type: ignore[arg-type]
        initiative, rows = content(args.measurements)
        other = Initiative(name="Another initiative")
        path = Path(home) / "metrics-bench.ldpm"
        begin = time.perf_counter()
        Project.create_file(path, name="Metrics bench", populate=populate([other, *rows]))
        written = time.perf_counter() - begin
        project = Project.open(path)
        try:
            runner = OperationRunner(project)
            with project.read() as tx:
                count = tx.count(Measurement)
            print(
                f"{count:,} measurements in one initiative (9 metrics × 3 lines), written in "
                f"{written:.1f} s; median of {args.runs}"
            )
            view = MetricsView(runner)
            view.resize(1600, 1000)
            view.show()
            app.processEvents()
            view.pages.setCurrentIndex(IMPACT)

            begin, begin_cpu = time.perf_counter(), time.process_time()
            view.set_initiative(initiative.id)
            app.processEvents()
            line(
                "first open (imports pyqtgraph, builds the chart)",
                ((time.perf_counter() - begin) * 1000, (time.process_time() - begin_cpu) * 1000),
            )

            def away() -> None:
                view.set_initiative(other.id)
                app.processEvents()

            def open_view() -> None:
                view.set_initiative(initiative.id)
                app.processEvents()  # laid out and painted

            line(
                "open the view again (lines kept)",
                median_ms(open_view, args.runs, away),
                TARGETS["open"],
            )

            def away_and_forget() -> None:
                away()
                view._lines.clear()  # as after a change to the measurements

            line(
                "open the view, reading all 100,000 measurements",
                median_ms(open_view, args.runs, away_and_forget),
                TARGETS["open"],
            )

            chart = view.impact_page.chart
            assert chart is not None and view.impact is not None
            from ldpm.ui import impact_data

            data = view.impact
            panels = impact_data.panels(data, view.chosen)
            markers = impact_data.markers(data)

            def redraw() -> None:
                chart.set_data(panels, markers, keep_view=True)
                chart.canvas.viewport().repaint()

            line(
                "chart full redraw", median_ms(redraw, args.runs, lambda: None), TARGETS["redraw"]
            )

            plot = chart.panels[MetricTier.OPERATIONAL].plot
            step = [0]

            def pan_or_zoom() -> None:
                low, high = plot.vb.viewRange()[0]
                width = high - low
                step[0] += 1
                if step[0] % 2:
                    plot.setXRange(low + width * 0.1, high + width * 0.1, padding=0)
                else:
                    plot.setXRange(low + width * 0.05, high - width * 0.05, padding=0)
                chart.canvas.viewport().repaint()

            def reset() -> None:
                if step[0] % 20 == 0:
                    chart.reset_zoom()

            line("pan or zoom step", median_ms(pan_or_zoom, args.runs * 4, reset), TARGETS["pan"])

            release = next(e for e in data.events if e.kind == "release")
            line(
                "before/after for every metric",
                median_ms(
                    lambda: svc.before_after_all(data, release.on, release),
                    args.runs,
                    lambda: None,
                ),
                TARGETS["before_after"],
            )
            line(
                "read every line of the initiative (services.impact)",
                median_ms(lambda: svc.impact(project, initiative.id), args.runs, lambda: None),
            )
            chosen = view.selected
            assert chosen is not None
            day = [date(2030, 1, 1)]

            def add_one() -> None:
                day[0] += timedelta(days=1)
                runner.run(svc.add_measurement(chosen, day[0], 42.0))
                app.processEvents()

            line(
                "add one measurement (the view re-reads that metric)",
                median_ms(add_one, args.runs, lambda: None),
            )
            target = Path(home) / "impact.png"
            line(
                "export the chart as PNG",
                median_ms(lambda: chart.export_png(target), 3, lambda: None),
            )
        finally:
            project.close(discard_unsaved=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
