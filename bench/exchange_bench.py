"""Figures of spreadsheet import and export (``ldpm/exchange``, ``ldpm/services/exchange*``).

    python bench/exchange_bench.py [--rows 100000] [--runs 3]

A real project file (temporary ``LDPM_HOME``) with one initiative and five metrics; a CSV of
``--rows`` measurements (metric, ISO date, value, segment: 5 metrics × 4 segments × one date
per day), written the way a dashboard exports them.  Each timed figure is the median of
``--runs`` runs, each on a fresh copy of the project, after one untimed warm-up.  Figures:

* **import, 100,000-row measurements CSV** — :class:`ImportJob` ``run`` + ``finish`` without
  Qt, given the dry run's check as the dialog and ``ldpm import`` give it (so the column
  styles are not decided again): read, validate and insert every row in one transaction, and
  the bookkeeping.  Target < 3 s.  Beside it its CPU time (the machine is shared: wall time
  grows with the load of other processes), and the dry run the dialog does
  (``check_import``).
* **progress reports** during that import (how often the status bar hears from it), and
  **cancel** — the job cancelled when writing has reached half the rows: how long until it
  stopped, and how many measurements the project then holds (must be 0).
* **memory while importing** — the peak resident set size during the dry run and the import
  (sampled every 5 ms from ``/proc/self/statm``) minus the resident size with the project
  open just before, in the first (warm-up) run: later runs reuse memory the first one freed.
  Target < 100 MB.  And Python's own peak allocation (``tracemalloc``, a separate run).
* **undo of the import** — reverting the :class:`ImportCommand`: every row tombstoned as
  one delete (one stamp, one group).  And **redo** — applying it again (every row back).
* **export of 100,000 rows** — reading the measurements (``export_table``) and writing them:
  to CSV (target < 1 s) and to XLSX (target < 10 s), timed apart and together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

HOME = tempfile.mkdtemp(prefix="ldpm-exchange-bench-")
os.environ["LDPM_HOME"] = HOME
os.environ.setdefault("LDPM_DEVICE_ID", "be0c4e11")

from ldpm.cancel import Cancelled  # noqa: E402
from ldpm.domain.entities import Measurement, Metric  # noqa: E402
from ldpm.services import exchange as svc  # noqa: E402
from ldpm.services import exchange_export as export  # noqa: E402
from ldpm.services import initiatives  # noqa: E402
from ldpm.services.commands import execute  # noqa: E402
from ldpm.services.jobs import Progress  # noqa: E402
from ldpm.services.project import Project  # noqa: E402

METRICS = ("Hand-off errors", "Mean time to resolve", "Checklist usage", "Escalations", "NPS")
SEGMENTS = ("", "Remote engineers", "New hires", "Team Blue")


def make_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Bench.ldpm"
    project = Project.create(path, name="Bench")
    command = initiatives.add_initiative(project, "Incident hand-offs")
    execute(project, command)
    with project.unit() as tx:
        for name in METRICS:
            tx.insert(Metric(initiative_id=command.entity.id, name=name, unit="per incident"))
    project.save()
    project.close()
    return path


def make_csv(path: Path, rows: int) -> None:
    start = date(1990, 1, 1)
    per_day = len(METRICS) * len(SEGMENTS)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Metric,Date,Value,Segment\r\n")
        for i in range(rows):
            day, rest = divmod(i, per_day)
            metric, segment = divmod(rest, len(SEGMENTS))
            value = round(2.5 + (i % 97) * 0.013, 3)
            fh.write(
                f"{METRICS[metric]},{(start + timedelta(days=day)).isoformat()},{value},"
                f"{SEGMENTS[segment]}\r\n"
            )


def open_copy(template: Path, folder: Path) -> tuple[Project, str]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Bench.ldpm"
    shutil.copyfile(template, path)
    project = Project.open(path)
    initiative = initiatives.list_initiatives(project)[0].id
    return project, initiative


def rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss:
    """Samples the resident set size every 5 ms on a thread."""

    def __init__(self) -> None:
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def line(name: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> None:
    status = "" if ok is None else ("PASS" if ok else "MISS")
    digits = {"s": 3, "MB": 1}.get(unit, 0)
    shown = f"{value:,.{digits}f}"
    print(f"{name:<58} {shown:>10} {unit:<5} {target:<10} {status}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    root = Path(HOME)
    template = make_project(root / "template")
    csv_path = root / "measurements.csv"
    make_csv(csv_path, args.rows)
    print(f"{args.rows:,} measurements, {csv_path.stat().st_size / 1e6:.1f} MB of CSV; "
          f"{args.runs} timed runs after a warm-up; medians.")  # fmt: skip

    def settings_for(project: Project, initiative: str) -> tuple[svc.Table, svc.ImportSettings]:
        del project
        table = svc.open_file(csv_path)
        settings = svc.suggest(table, "measurements", initiative)
        return table, settings

    # ------------------------------------------------------------------- import
    imports: list[float] = []
    import_cpu: list[float] = []
    checks: list[float] = []
    undos: list[float] = []
    redos: list[float] = []
    reports: list[int] = []
    memory: list[float] = []
    for run in range(args.runs + 1):
        project, initiative = open_copy(template, root / f"run{run}")
        table, settings = settings_for(project, initiative)
        base = rss()  # the project is open; the check and the import start from here
        with PeakRss() as peak:
            started = time.perf_counter()
            check = svc.check_import(project, table, settings)
            checks.append(time.perf_counter() - started)
            assert check.ok and check.new == args.rows, check.summary()
            counted: list[int] = []
            report = counted.append
            job = svc.ImportJob(project, table, settings, checked=check)  # as the dialog does
            started, cpu = time.perf_counter(), time.process_time()
            done = job.finish(job.run(Progress(lambda d, _t, _s, report=report: report(d))))
            imports.append(time.perf_counter() - started)
            import_cpu.append(time.process_time() - cpu)
        memory.append((peak.peak - base) / 1e6)
        reports.append(len(counted))
        with project.read() as tx:
            assert tx.count(Measurement) == args.rows
        assert done.command is not None
        started = time.perf_counter()
        execute(project, done.command, undo=True)
        undos.append(time.perf_counter() - started)
        started = time.perf_counter()
        execute(project, done.command)
        redos.append(time.perf_counter() - started)
        project.close(discard_unsaved=True)
    cold_memory = memory[0]  # the first import in the process: nothing to reuse yet
    for series in (imports, import_cpu, checks, undos, redos, memory):
        del series[0]  # the warm-up
    line(f"import, {args.rows:,}-row measurements CSV (run + finish)", median(imports), "s",
         "< 3", median(imports) < 3)  # fmt: skip
    line("  the same, CPU time of this process (the machine is shared)", median(import_cpu), "s")
    line("  dry run for the preview, before it (check_import)", median(checks), "s")
    line("  progress reports during the import", median(reports), "calls")
    line("  peak memory above the open project, check and import", cold_memory, "MB",
         "< 100", cold_memory < 100)  # fmt: skip
    line("  the same in later runs (freed memory reused)", median(memory), "MB")
    line("  undo of the whole import (one step, one delete)", median(undos), "s")
    line("  redo of it", median(redos), "s")

    project, initiative = open_copy(template, root / "tracemalloc")
    table, settings = settings_for(project, initiative)
    job = svc.ImportJob(project, table, settings)
    tracemalloc.start()
    job.finish(job.run(Progress()))
    _current, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    line("  Python's peak allocation while importing (tracemalloc)", traced / 1e6, "MB")
    project.close(discard_unsaved=True)

    # -------------------------------------------------------------------- cancel
    project, initiative = open_copy(template, root / "cancel")
    table, settings = settings_for(project, initiative)
    cancel = threading.Event()
    asked: list[float] = []

    def report(done_rows: int, total: int, _text: str) -> None:
        if total and done_rows >= total // 2 and not cancel.is_set():
            asked.append(time.perf_counter())
            cancel.set()

    job = svc.ImportJob(project, table, settings)
    try:
        job.run(Progress(report, cancel))
    except Cancelled:
        stopped = time.perf_counter()
    else:  # pragma: no cover - the bench says so
        stopped = float("nan")
    with project.read() as tx:
        left = tx.count(Measurement)
    line("cancel at half way: time until the job stopped", stopped - asked[0], "s")
    line("  measurements in the project after the cancel", left, "rows", "0", left == 0)
    project.close(discard_unsaved=True)

    # -------------------------------------------------------------------- export
    project, initiative = open_copy(template, root / "export")
    table, settings = settings_for(project, initiative)
    job = svc.ImportJob(project, table, settings)
    job.finish(job.run(Progress()))

    def timed(work: Callable[[], object]) -> float:
        samples = []
        for run in range(args.runs + 1):
            started = time.perf_counter()
            work()
            if run:
                samples.append(time.perf_counter() - started)
        return median(samples)

    cpu = time.process_time()
    read = timed(lambda: export.export_table(project, "measurements", initiative))
    read_cpu = (time.process_time() - cpu) / (args.runs + 1)
    rows = export.export_table(project, "measurements", initiative)
    assert len(rows.rows) == args.rows
    cpu = time.process_time()
    to_csv = timed(lambda: export.write_export(root / "out.csv", rows))
    csv_cpu = (time.process_time() - cpu) / (args.runs + 1)
    to_xlsx = timed(lambda: export.write_export(root / "out.xlsx", rows))
    line(f"export {args.rows:,} rows: read them (export_table)", read, "s")
    line("  the same, CPU time (mean)", read_cpu, "s")
    line("  write CSV", to_csv, "s", "< 1", to_csv < 1)
    line("  the same, CPU time (mean)", csv_cpu, "s")
    line("  write XLSX", to_xlsx, "s", "< 10", to_xlsx < 10)
    line("  read + CSV (what the user waits for)", read + to_csv, "s", "< 1", read + to_csv < 1)
    line("  the same, CPU time", read_cpu + csv_cpu, "s")
    line("  read + XLSX", read + to_xlsx, "s")
    project.close(discard_unsaved=True)
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
