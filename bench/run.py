"""Run the LDPM benchmarks and print each figure beside its target.

    python bench/run.py [--json] [--runs 5] [--starts 3] [--large PATH] [--timeout 30]

Figures (medians; see bench/README.md for what each one means and its caveats):

* cold start of ``python -m ldpm --demo`` to the first paint of the main window, beside a bare
  PySide6 window started the same way (``bench/bare_window.py``); target: ratio ≤ 1.5;
* open-to-interactive of the large workspace (``interactive`` mark − ``shown`` mark of one
  process); target < 1 s; launch-to-interactive beside it for information;
* peak memory (peak RSS) of that process; target < 300 MB;
* ``Document.save()`` of the large workspace beside a raw ``VACUUM INTO`` of its working copy;
  target: ratio ≤ 2;
* sync: ``merge_replica`` of two replicas of the large workspace with 10 % of the rows of every
  synced table changed on each side; target < 2 s (rows updated and conflicts logged for
  information); and a ``sync_once`` with nothing new anywhere; target < 200 ms
  (``bench/sync_bench.py``);
* semantic validation of the large workspace (``ldpm.persistence.content``: schema objects,
  tables, every value and stamp, row counts, the clock) beside that merge; target: ratio
  ≤ 0.3; and ``inspect_file`` of it (every check, as open, sync and ``ldpm check`` run them)
  for information.

The process figures rely on the app's bench marks: with ``LDPM_BENCH_MARKS=1`` LDPM prints
``ldpm-bench shown <time.time()>`` and ``ldpm-bench interactive <time.time()>``, and with
``LDPM_BENCH_QUIT=shown|interactive`` it quits right after that mark.  A figure whose marks do
not arrive is reported as "not measured" with the reason; nothing is estimated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

from bench.generate import DEVICE, generate  # noqa: E402
from bench.sync_bench import bench_merge, bench_noop_sync  # noqa: E402

MARK_PREFIX = "ldpm-bench"
#: How long a process may keep running after its quit mark before it is killed.
EXIT_GRACE = 5.0


# ---------------------------------------------------------------------------------- figures


@dataclass
class Figure:
    """One line of the report."""

    name: str
    label: str
    unit: str
    op: str | None = None  # "<=" or "<"; None: informational
    limit: float | None = None
    value: float | None = None
    samples: list[float] = field(default_factory=list)
    reason: str | None = None  # why it was not measured
    note: str = ""
    #: Measured, but the measurement does not mean what the target assumes (see ``note``).
    suspect: bool = False

    @property
    def ok(self) -> bool | None:
        if self.value is None or self.limit is None or self.suspect:
            return None
        return self.value <= self.limit if self.op == "<=" else self.value < self.limit

    @property
    def target(self) -> str | None:
        if self.limit is None:
            return None
        return f"{self.op} {self.limit:g}"

    def set(self, samples: Sequence[float], digits: int = 3) -> None:
        self.samples = [round(s, 6) for s in samples]
        self.value = round(statistics.median(samples), digits)

    def count(self, n: int) -> None:
        """A count (unit "rows"): one exact integer, no samples."""
        self.value = n

    def fail(self, reason: str) -> None:
        self.value, self.reason = None, reason

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
        }
        if self.samples:
            out["samples"] = self.samples
        if self.reason:
            out["reason"] = self.reason
        if self.note:
            out["note"] = self.note
        if self.suspect:
            out["suspect"] = True
        return out

    def line(self) -> str:
        head = f"{self.label:<58}"
        if self.value is None:
            return f"{head} not measured: {self.reason or 'skipped'}"
        unit = {"x": "×"}.get(self.unit, self.unit)
        if self.unit == "rows":
            value = f"{self.value:>9,.0f} {unit:<4}"
        else:
            value = f"{self.value:>9.3f} {unit:<4}"
        if self.limit is None:
            return f"{head} {value}  (info)"
        target = f"target {self.op.replace('<=', '≤') if self.op else ''} {self.limit:g}"
        status = "CHECK" if self.suspect else "PASS" if self.ok else "MISS"
        return f"{head} {value}  {target:<14} {status}"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- process starts


@dataclass
class Launch:
    """One started process: its marks (child ``time.time()``), when we started it, how it
    ended and its peak resident set size."""

    started: float
    marks: dict[str, float]
    returncode: int | None
    timed_out: bool
    peak_rss_bytes: int | None
    #: CPU seconds the process used (user + system, from ``wait4``): unlike the marks, this
    #: hardly changes when other programs load the machine.
    cpu_s: float | None
    stderr_tail: str
    #: It printed its last mark but did not quit by itself (killed after EXIT_GRACE).
    killed_after_mark: bool = False

    def missing(self, need: Sequence[str]) -> list[str]:
        return [m for m in need if m not in self.marks]


def _read_marks(
    stream: IO[str], marks: dict[str, float], seen: threading.Event, last: str
) -> None:
    for line in stream:
        parts = line.split()
        if len(parts) == 3 and parts[0] == MARK_PREFIX:
            try:
                marks.setdefault(parts[1], float(parts[2]))
            except ValueError:
                continue
            if parts[1] == last:
                seen.set()


def _wait4(pid: int, *, block: bool) -> tuple[int, int, Any] | None:
    """Reap ``pid`` with ``os.wait4``: its exit status and its own resource usage."""
    got_pid, status, usage = os.wait4(pid, 0 if block else os.WNOHANG)
    if got_pid == 0:
        return None
    return got_pid, status, usage


def launch(cmd: Sequence[str], env: dict[str, str], *, last: str, timeout: float) -> Launch:
    """Start ``cmd``, collect its bench marks until ``last`` arrives (or ``timeout``), and
    reap it.  Peak memory is the child's own ``ru_maxrss`` from ``wait4`` on its pid (not
    ``RUSAGE_CHILDREN``, which is the maximum over every child reaped so far)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        marks: dict[str, float] = {}
        seen = threading.Event()
        started = time.time()
        proc = subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
            errors="replace",
            start_new_session=True,  # its own process group, so a kill reaches its children
        )
        assert proc.stdout is not None
        reader = threading.Thread(
            target=_read_marks, args=(proc.stdout, marks, seen, last), daemon=True
        )
        reader.start()
        deadline = started + timeout
        timed_out = killed_after_mark = False
        result = None
        while result is None:
            result = _wait4(proc.pid, block=False)
            if result is not None:
                break
            now = time.time()
            if seen.is_set():
                deadline = min(deadline, now + EXIT_GRACE)
            if now >= deadline:
                timed_out = not seen.is_set()
                killed_after_mark = seen.is_set()
                os.killpg(proc.pid, signal.SIGKILL)
                result = _wait4(proc.pid, block=True)
                break
            time.sleep(0.01)
        assert result is not None
        _pid, status, usage = result
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join(timeout=5)
        proc.stdout.close()
        err.seek(0)
        lines = [ln for ln in err.read().splitlines() if ln.strip()]
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Launch(
        started=started,
        marks=dict(marks),
        returncode=proc.returncode,
        timed_out=timed_out,
        peak_rss_bytes=rss,
        cpu_s=usage.ru_utime + usage.ru_stime,
        stderr_tail=lines[-1].strip()[:200] if lines else "",
        killed_after_mark=killed_after_mark,
    )


def _why(run: Launch, need: Sequence[str], timeout: float) -> str:
    absent = run.missing(need)
    missing = " and ".join(f"'{m}'" for m in absent) + (" marks" if len(absent) > 1 else " mark")
    if run.timed_out:
        why = f"no {missing} within {timeout:g} s"
    elif run.returncode:
        why = f"the process exited with code {run.returncode} before the {missing}"
    else:
        why = f"the process exited without printing the {missing}"
    if not run.marks and not run.timed_out and run.returncode == 0:
        why += " (does the app honour LDPM_BENCH_MARKS yet?)"
    if run.stderr_tail:
        why += f"; last error line: {run.stderr_tail}"
    return why


def child_env(home: Path, quit_at: str, platform_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=platform_name,
        LDPM_HOME=str(home),
        LDPM_BENCH_MARKS="1",
        LDPM_BENCH_QUIT=quit_at,
        PYTHONUNBUFFERED="1",
        # Keep Qt's own settings (QSettings: window state, recent files) out of the user's.
        XDG_CONFIG_HOME=str(home / "xdg-config"),
    )
    return env


def series(
    cmd: Sequence[str],
    *,
    home: Path,
    runs: int,
    quit_at: str,
    need: Sequence[str],
    timeout: float,
    platform_name: str,
) -> tuple[list[Launch], Launch | None, str | None]:
    """One warm-up start (creates the demo file, warms the page cache), then ``runs``
    measured starts, all with the same fresh ``LDPM_HOME``.  Returns the measured runs, the
    warm-up run, and the reason the series stopped early (None if it did not)."""
    home.mkdir(parents=True, exist_ok=True)
    env = child_env(home, quit_at, platform_name)
    warm = launch(cmd, env, last=need[-1], timeout=timeout)
    if warm.missing(need):
        return [], warm, _why(warm, need, timeout)
    done: list[Launch] = []
    for _ in range(runs):
        run = launch(cmd, env, last=need[-1], timeout=timeout)
        if run.missing(need):
            return done, warm, _why(run, need, timeout)
        done.append(run)
    return done, warm, None


def _quit_note(runs: Sequence[Launch]) -> str:
    killed = sum(r.killed_after_mark for r in runs)
    if not killed:
        return ""
    return (
        f"{killed} of {len(runs)} runs did not quit after their last mark "
        f"(LDPM_BENCH_QUIT) and were killed {EXIT_GRACE:g} s later"
    )


def _same_paint_note(runs: Sequence[Launch]) -> str:
    """A warning when 'interactive' follows 'shown' at once in every run: then the window was
    first painted only after the project had loaded, and the difference measures nothing."""
    if runs and all(r.marks["interactive"] - r.marks["shown"] < 0.005 for r in runs):
        return (
            "'interactive' came within 5 ms of 'shown' in every run: the first paint came after "
            "the project had loaded, so this difference does not measure loading (see "
            "launch-to-interactive)"
        )
    return ""


# ----------------------------------------------------------------------- save vs VACUUM INTO


def bench_save(large: Path, work: Path, runs: int) -> tuple[list[float], list[float]]:
    """Time ``Document.save()`` of the large workspace and a raw ``VACUUM INTO`` of its
    working copy into the same folder, alternately, after one untimed warm-up of each."""
    from ldpm.persistence.document import Document

    folder = work / "save-target"
    folder.mkdir(parents=True)
    target = folder / large.name
    shutil.copyfile(large, target)
    doc = Document.open(
        target, root=work / "save-working", backup_root=work / "save-backups", device=DEVICE
    )
    out = folder / "vacuum-into.ldpm"

    def vacuum() -> float:
        out.unlink(missing_ok=True)
        begin = time.perf_counter()
        con = sqlite3.connect(doc.working_path)
        try:
            con.execute("VACUUM INTO ?", (str(out),))
        finally:
            con.close()
        elapsed = time.perf_counter() - begin
        out.unlink()
        return elapsed

    def save() -> float:
        begin = time.perf_counter()
        doc.save()
        return time.perf_counter() - begin

    saves: list[float] = []
    vacuums: list[float] = []
    try:
        vacuum()
        save()
        for _ in range(runs):
            vacuums.append(vacuum())
            saves.append(save())
        CHECKS.extend(_target_checks(doc, target, runs))
    finally:
        doc.close()
    return saves, vacuums


#: (usual check, check of a touched file) per run, filled by bench_save.
CHECKS: list[tuple[float, float]] = []


def _target_checks(doc: Any, target: Path, runs: int) -> list[tuple[float, float]]:
    """What a save spends looking at the file before replacing it (issue 6: at most 10 % of
    the save).  The usual case: the file is as this session wrote it — sweeping stale
    temporaries beside it, one ``stat`` compared with the known state, and the working
    copy's clock mark.  The worst case without a merge: the file was touched (a sync client
    re-delivered the same bytes), so its seal is read and verified."""
    from ldpm.atomic import sweep_stale_temps
    from ldpm.persistence.fileformat import verify_seal
    from ldpm.persistence.saving import _sealed_checksum
    from ldpm.persistence.snapshot import stat_or_none
    from ldpm.persistence.working import clock_mark

    known = doc.known
    out = []
    for _ in range(runs + 1):
        begin = time.perf_counter()
        sweep_stale_temps(target.parent)
        assert known.same_file(stat_or_none(target))
        clock_mark(doc.working_path)
        usual = time.perf_counter() - begin
        begin = time.perf_counter()
        assert _sealed_checksum(target) == known.checksum
        assert verify_seal(target, known.checksum)
        touched = time.perf_counter() - begin
        out.append((usual, touched))
    return out[1:]


# ------------------------------------------------------------------------ semantic validation


def bench_validation(large: Path, runs: int) -> tuple[list[float], list[float]]:
    """Time the semantic validation of the large workspace on its own (one thread, one
    read-only connection: what a replica's validation adds to its merge) and ``inspect_file``
    of it (every check; the content on a second thread while SQLite checks the structure),
    alternately, after one untimed warm-up of each.  The file is only read."""
    from ldpm.persistence import content
    from ldpm.persistence.fileformat import SCHEMA_VERSION, connect_readonly, inspect_file

    def semantic() -> float:
        begin = time.perf_counter()
        con = connect_readonly(large)
        try:
            tables = content.check_schema_objects(con, large.name)
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            content.check_content(
                con,
                tables=tables,
                meta=meta,
                name=large.name,
                schema_version=version,
                newer=version > SCHEMA_VERSION,
                report_future=True,
                wall_ms=time.time_ns() // 1_000_000,
            )
        finally:
            con.close()
        return time.perf_counter() - begin

    def inspect() -> float:
        begin = time.perf_counter()
        inspect_file(large)
        return time.perf_counter() - begin

    semantic()
    inspect()
    semantics: list[float] = []
    inspects: list[float] = []
    for _ in range(runs):
        semantics.append(semantic())
        inspects.append(inspect())
    return semantics, inspects


# ------------------------------------------------------------------------------------ main


def _figures() -> dict[str, Figure]:
    figures = [
        Figure("cold_start_demo_shown", "cold start: `ldpm --demo` to window shown", "s"),
        Figure("cold_start_bare_shown", "cold start: bare PySide6 window shown", "s"),
        Figure("cold_start_ratio", "cold start ratio (demo / bare window)", "x", "<=", 1.5),
        Figure("demo_launch_to_interactive", "demo: launch to interactive", "s"),
        Figure(
            "large_open_to_interactive",
            "large workspace: open-to-interactive (interactive − shown)",
            "s",
            "<",
            1.0,
        ),
        Figure("large_launch_to_interactive", "large workspace: launch to interactive", "s"),
        Figure("large_peak_rss", "large workspace open: peak memory (RSS)", "MB", "<", 300.0),
        Figure("large_open_cpu", "large workspace: CPU time of that process (user+system)", "s"),
        Figure("save_large", "large workspace: Document.save()", "s"),
        Figure("vacuum_into_large", "large workspace: raw VACUUM INTO", "s"),
        Figure("save_vs_vacuum_ratio", "save / VACUUM INTO ratio", "x", "<=", 2.0),
        Figure("save_check_large", "save: look at the file before replacing it", "s"),
        Figure("save_check_ratio", "save: that look / the whole save", "x", "<=", 0.1),
        Figure("save_check_touched", "save: look at a touched file (seal verified)", "s"),
        Figure(
            "sync_merge_large",
            "sync: merge replicas of large workspace, 10% changed/side",
            "s",
            "<",
            2.0,
        ),
        Figure("sync_merge_rows_updated", "sync merge: rows updated in the working copy", "rows"),
        Figure("sync_merge_conflicts", "sync merge: conflicts logged", "rows"),
        Figure("validate_large", "semantic validation of the large workspace", "s"),
        Figure("validate_vs_merge_ratio", "semantic validation / merge ratio", "x", "<=", 0.3),
        Figure("inspect_large", "large workspace: inspect_file (every check)", "s"),
        Figure(
            "sync_nothing_new", "sync with nothing new (large workspace, folder)", "ms", "<", 200.0
        ),
        Figure("generate_large", "generate the large workspace", "s"),
        Figure("large_file_size", "large workspace file size", "MB"),
    ]
    return {f.name: f for f in figures}


def run(args: argparse.Namespace) -> dict[str, Any]:
    figs = _figures()
    py = sys.executable
    starts = args.starts
    timeout = args.timeout
    platform_name = args.platform
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ldpm-bench-") as tmp:
        work = Path(tmp)

        # The large workspace ------------------------------------------------------------
        counts: dict[str, int] = {}
        large = args.large or work / "Large workspace.ldpm"
        if large.exists():
            _log(f"using the existing large workspace {large}")
            figs["generate_large"].fail(f"reused {large} (pass no --large to regenerate)")
        else:
            _log("generating the large workspace …")
            begin = time.perf_counter()
            counts = generate(large)
            figs["generate_large"].set([time.perf_counter() - begin], 2)
        figs["large_file_size"].set([large.stat().st_size / 1e6], 1)

        # Save vs VACUUM INTO -------------------------------------------------------------
        _log(f"timing save and VACUUM INTO ({args.runs} runs each) …")
        try:
            saves, vacuums = bench_save(large, work, args.runs)
        except Exception as exc:  # report, do not guess
            for name in (
                "save_large",
                "vacuum_into_large",
                "save_vs_vacuum_ratio",
                "save_check_large",
                "save_check_ratio",
                "save_check_touched",
            ):
                figs[name].fail(f"{type(exc).__name__}: {exc}")
        else:
            figs["save_large"].set(saves)
            figs["vacuum_into_large"].set(vacuums)
            figs["save_vs_vacuum_ratio"].set(
                [statistics.median(saves) / statistics.median(vacuums)], 2
            )
            usual = [u for u, _t in CHECKS]
            touched = [t for _u, t in CHECKS]
            figs["save_check_large"].set(usual)
            figs["save_check_ratio"].set([statistics.median(usual) / statistics.median(saves)], 3)
            figs["save_check_touched"].set(touched)

        # Sync: merging two edited replicas, and a sync with nothing new ---------------------
        _log(f"timing a merge of two edited replicas (1 warm-up + {args.runs} runs) …")
        try:
            merge = bench_merge(large, work, args.runs)
        except Exception as exc:  # report, do not guess
            for name in ("sync_merge_large", "sync_merge_rows_updated", "sync_merge_conflicts"):
                figs[name].fail(f"{type(exc).__name__}: {exc}")
        else:
            figs["sync_merge_large"].set(merge.seconds)
            figs["sync_merge_large"].note = (
                f"device A changed {merge.changed_a:,} rows, device B {merge.changed_b:,} "
                f"(prepared in {merge.prepare_s:.1f} s, not timed)"
            )
            figs["sync_merge_rows_updated"].count(merge.rows_updated)
            figs["sync_merge_conflicts"].count(merge.conflicts)
        _log(f"timing the validation of the large workspace ({args.runs} runs) …")
        try:
            semantics, inspects = bench_validation(large, args.runs)
        except Exception as exc:  # report, do not guess
            for name in ("validate_large", "validate_vs_merge_ratio", "inspect_large"):
                figs[name].fail(f"{type(exc).__name__}: {exc}")
        else:
            figs["validate_large"].set(semantics)
            figs["inspect_large"].set(inspects)
            merge_fig = figs["sync_merge_large"]
            if merge_fig.value is not None:
                figs["validate_vs_merge_ratio"].set(
                    [statistics.median(semantics) / statistics.median(merge_fig.samples)], 2
                )
            else:
                figs["validate_vs_merge_ratio"].fail("needs the merge figure")
        _log(f"timing a sync with nothing new ({args.runs} runs) …")
        try:
            noop = bench_noop_sync(large, work, args.runs)
        except Exception as exc:  # report, do not guess
            figs["sync_nothing_new"].fail(f"{type(exc).__name__}: {exc}")
        else:
            figs["sync_nothing_new"].set([s * 1000 for s in noop.seconds])
            figs["sync_nothing_new"].suspect = bool(noop.notes)
            figs["sync_nothing_new"].note = "; ".join(noop.notes) or (
                f"{noop.replicas} replicas in the sync folder, all seen before"
            )

        # Cold start: the demo, then the bare window -----------------------------------------
        if args.starts > 0:
            _log(f"starting `ldpm --demo` (1 warm-up + {starts}) …")
            demo_cmd = [py, "-m", "ldpm", "--demo"]
            runs, warm, why = series(
                demo_cmd,
                home=work / "home-demo",
                runs=starts,
                quit_at="interactive",
                need=("shown", "interactive"),
                timeout=timeout,
                platform_name=platform_name,
            )
            if why is not None:
                figs["demo_launch_to_interactive"].fail(why)
                # The window may be shown even if the interactive mark is missing.
                if warm is not None and "shown" in warm.marks:
                    _log("no 'interactive' mark: measuring the demo cold start alone …")
                    runs, _warm, why = series(
                        demo_cmd,
                        home=work / "home-demo-shown",
                        runs=starts,
                        quit_at="shown",
                        need=("shown",),
                        timeout=timeout,
                        platform_name=platform_name,
                    )
                else:
                    runs = []
            else:
                figs["demo_launch_to_interactive"].set(
                    [r.marks["interactive"] - r.started for r in runs]
                )
            if why is None:
                figs["cold_start_demo_shown"].set([r.marks["shown"] - r.started for r in runs])
                figs["cold_start_demo_shown"].note = _quit_note(runs)
            else:
                figs["cold_start_demo_shown"].fail(why)

            _log(f"starting the bare window (1 warm-up + {starts}) …")
            bare, _warm, bare_why = series(
                [py, str(BENCH / "bare_window.py")],
                home=work / "home-bare",
                runs=starts,
                quit_at="shown",
                need=("shown",),
                timeout=timeout,
                platform_name=platform_name,
            )
            if bare_why is None:
                figs["cold_start_bare_shown"].set([r.marks["shown"] - r.started for r in bare])
            else:
                figs["cold_start_bare_shown"].fail(bare_why)
            demo_fig, bare_fig = figs["cold_start_demo_shown"], figs["cold_start_bare_shown"]
            if demo_fig.value is not None and bare_fig.value is not None:
                figs["cold_start_ratio"].set(
                    [statistics.median(demo_fig.samples) / statistics.median(bare_fig.samples)],
                    2,
                )
            else:
                figs["cold_start_ratio"].fail("needs both cold-start figures")

            # The large workspace: open-to-interactive and peak memory ----------------------
            _log(f"opening the large workspace (1 warm-up + {starts}) …")
            runs, _warm, why = series(
                [py, "-m", "ldpm", str(large)],
                home=work / "home-large",
                runs=starts,
                quit_at="interactive",
                need=("shown", "interactive"),
                timeout=timeout,
                platform_name=platform_name,
            )
            if why is None:
                figs["large_open_to_interactive"].set(
                    [r.marks["interactive"] - r.marks["shown"] for r in runs]
                )
                figs["large_launch_to_interactive"].set(
                    [r.marks["interactive"] - r.started for r in runs]
                )
                figs["large_peak_rss"].set([(r.peak_rss_bytes or 0) / 1e6 for r in runs], 1)
                figs["large_open_cpu"].set([r.cpu_s or 0.0 for r in runs])
                figs["large_open_cpu"].note = (
                    "start to exit right after the 'interactive' mark; compare it with the "
                    "launch-to-interactive time to see how much of that was waiting for a CPU"
                )
                same_paint = _same_paint_note(runs)
                figs["large_open_to_interactive"].suspect = bool(same_paint)
                figs["large_open_to_interactive"].note = same_paint or _quit_note(runs)
            else:
                for name in (
                    "large_open_to_interactive",
                    "large_launch_to_interactive",
                    "large_peak_rss",
                    "large_open_cpu",
                ):
                    figs[name].fail(why)
        else:
            for name, fig in figs.items():
                if fig.value is None and fig.reason is None and name != "generate_large":
                    fig.fail("process starts skipped (--starts 0)")

    return {
        "figures": {name: fig.as_json() for name, fig in figs.items()},
        "workspace": {"counts": counts, "reused": str(args.large) if not counts else None},
        "settings": {
            "runs": args.runs,
            "starts": starts,
            "warm_up_starts": 1,
            "timeout_s": timeout,
            "platform": platform_name,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "statistic": "median",
        },
        "elapsed_s": round(time.perf_counter() - started, 1),
        "_figures": figs,
    }


def _print_report(report: dict[str, Any]) -> None:
    s = report["settings"]
    print(
        f"LDPM benchmarks — medians of {s['starts']} process starts (after 1 warm-up start, "
        f"warm cache) and {s['runs']} in-process runs; QT_QPA_PLATFORM={s['platform']}, "
        f"{s['cpus']} CPUs"
    )
    for fig in report["_figures"].values():
        print(fig.line())
        if fig.note:
            print(f"    note: {fig.note}")
    print(f"(took {report['elapsed_s']:.0f} s)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LDPM benchmarks (see bench/README.md).")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs of in-process figures (default 5)"
    )
    parser.add_argument(
        "--starts", type=int, default=3, help="timed process starts per series (default 3)"
    )
    parser.add_argument(
        "--large",
        type=Path,
        help="large workspace file to use (generated there if missing; default: a temp file)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a mark (default 30)"
    )
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM for starts")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.starts < 0:
        parser.error("--starts cannot be negative")
    report = run(args)
    figs: dict[str, Figure] = report.pop("_figures")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        report["_figures"] = figs
        _print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
