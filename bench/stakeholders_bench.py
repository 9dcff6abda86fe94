"""Figures of the stakeholder map and register against the issue's targets.

    python bench/stakeholders_bench.py [--runs 15]

Real project files in a temporary ``LDPM_HOME``: one initiative with 300 stakeholders (for the
map: ratings spread over the grid with clusters, two dated assessments each, names of varied
length) and one with 1,500 (for the register).  Widgets are real and shown, on the offscreen
Qt platform unless ``QT_QPA_PLATFORM`` says otherwise.  Every figure is the median of
``--runs`` timed runs after an untimed warm-up; nothing is estimated.  Beside each wall-clock
figure, the median CPU time of the same runs: on a shared, loaded machine it varies far less.

* **drag frame, 300 people** — one mouse move of a dragged card and the repaint it causes
  (``processEvents`` after the move: what the user sees per frame).  Target < 16 ms.  Beside it
  the same with a full synchronous repaint of the viewport (the worst case).
* **label layout, 300** — ``CardCanvas.relayout()`` (measuring, laying out and placing 300
  labels), and the pure :func:`ldpm.domain.label_layout.layout_labels` call inside it.
  Target < 50 ms.
* **register, 1,500 stakeholders** — sorting by name, by power and by support
  (``TableProxy.sort``, which the model does in Python), and filtering by words and by kind
  (:class:`~ldpm.ui.models.stakeholders.StakeProxy`), each with the shown table's response
  (events processed).  Target < 100 ms.
* **compare two assessments, 300** — switching the map to a comparison of two dates: the
  positions read, the cards and 300 ghosts with arrows placed, the backdrop drawn and painted.
  Target < 100 ms.
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
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH.parent) not in sys.path:
    sys.path.insert(0, str(BENCH.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ldpm.domain.entities import Assessment, Initiative, Person, Stakeholder  # noqa: E402
from ldpm.domain.enums import Engagement, StakeholderKind, Support  # noqa: E402

_FIRST = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elif",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jasmin",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
]
_LAST = [
    "Andersson",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen-Møller",
    "Nowak",
    "O'Brien",
    "Petrov",
]
_DEPARTMENTS = ["Operations", "Sales", "Engineering", "Finance", "HR", "IT", "Quality"]
FIRST_DAY, SECOND_DAY = date(2026, 2, 16), date(2026, 6, 15)


#: The median CPU time of the last :func:`median_ms` (this process's, every thread): on a
#: shared machine the wall figure carries the other processes' load, this one much less.
LAST_CPU_MS = [0.0]


def median_ms(action: Callable[[], object], runs: int, prepare: Callable[[], object]) -> float:
    prepare()
    action()  # warm-up
    samples, cpu = [], []
    for _ in range(runs):
        prepare()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    LAST_CPU_MS[0] = statistics.median(cpu)
    return statistics.median(samples)


def line(name: str, value: float, target: float | None = None) -> None:
    cpu = f"(CPU {LAST_CPU_MS[0]:6.1f})"
    if target is None:
        print(f"{name:<62} {value:9.2f} ms {cpu}")
    else:
        verdict = "PASS" if value < target else "MISS"
        print(f"{name:<62} {value:9.2f} ms {cpu}   target < {target:.0f} ms   {verdict}")


def people(
    rng: random.Random, initiative: Initiative, count: int
) -> list[Person | Stakeholder | Assessment]:
    """``count`` people with a stake each and two assessments, clustered on the grid."""
    hot = [(rng.randint(1, 10), rng.randint(1, 10)) for _ in range(12)]
    out: list[Person | Stakeholder | Assessment] = []
    for i in range(count):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        person = Person(name=name, role=f"Role {i % 17}", department=rng.choice(_DEPARTMENTS))
        if rng.random() < 0.5:
            power, interest = rng.choice(hot)
        else:
            power, interest = rng.randint(1, 10), rng.randint(1, 10)
        stake = Stakeholder(
            initiative_id=initiative.id,
            person_id=person.id,
            kind=rng.choice(list(StakeholderKind)),
            power=power,
            interest=interest,
            support=rng.choice(list(Support)),
            current_engagement=rng.choice(list(Engagement)),
            desired_engagement=rng.choice(list(Engagement)),
        )
        out += [person, stake]
        for day in (FIRST_DAY, SECOND_DAY):
            out.append(
                Assessment(
                    stakeholder_id=stake.id,
                    on=day,
                    power=max(1, min(10, power + rng.randint(-2, 2))),
                    interest=max(1, min(10, interest + rng.randint(-2, 2))),
                    support=rng.choice(list(Support)),
                    engagement=rng.choice(list(Engagement)),
                    label="Intake" if day == FIRST_DAY else "Mid-pilot",
                )
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    runs = args.runs

    with tempfile.TemporaryDirectory(prefix="ldpm-stakeholders-bench-") as home:
        os.environ["LDPM_HOME"] = home
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        from ldpm.domain.label_layout import Box, layout_labels
        from ldpm.domain.stakeholder_filter import StakeholderFilter
        from ldpm.services.dataset import Batch
        from ldpm.services.project import Project
        from ldpm.ui.models.stakeholders import NAME, POWER, SUPPORT
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.views.stakeholder_map import StakeholderMapView
        from ldpm.ui.views.stakeholders import StakeholdersView

        rng = random.Random(10)
        small = Initiative(name="Three hundred", rank="U")
        large = Initiative(name="Fifteen hundred", rank="W")
        batch = Batch()
        batch.add(small, large)
        batch.extend(people(rng, small, 300))
        batch.extend(people(rng, large, 1500))
        path = Path(home) / "stakeholders-bench.ldpm"
        Project.create_file(path, name="Stakeholders bench", populate=batch.insert)
        project = Project.open(path)
        try:
            runner = OperationRunner(project)
            print(f"median of {runs} runs; Qt platform {app.platformName()}")

            # ------------------------------------------------------------ the map
            view = StakeholderMapView(runner)
            view.today = lambda: date(2026, 11, 29)
            view.resize(1600, 1000)
            view.show()
            view.set_initiative(small.id)
            app.processEvents()
            canvas = view.canvas
            print(
                f"map: {len(canvas.card_ids())} cards, {canvas.hidden_labels} labels without "
                f"room at the fitted zoom {canvas.zoom():.2f}"
            )
            card = canvas.card_ids()[0]
            start = canvas.card_pos(card)
            viewport = canvas.viewport()
            press = canvas.mapFromScene(start)
            _mouse(canvas, QEvent.Type.MouseButtonPress, press, Qt.MouseButton.LeftButton)
            app.processEvents()
            step = [0]

            def move() -> None:
                step[0] += 1
                offset = QPoint(4 + step[0] % 40, 2 + step[0] % 30)
                _mouse(canvas, QEvent.Type.MouseMove, press + offset, Qt.MouseButton.LeftButton)
                app.processEvents()

            def move_repaint() -> None:
                step[0] += 1
                offset = QPoint(4 + step[0] % 40, 2 + step[0] % 30)
                _mouse(canvas, QEvent.Type.MouseMove, press + offset, Qt.MouseButton.LeftButton)
                viewport.repaint()

            line(
                "drag frame, 300 people (move + repaint)", median_ms(move, runs * 4, _nothing), 16
            )
            line(
                "  … with a full synchronous repaint of the viewport",
                median_ms(move_repaint, runs * 4, _nothing),
            )
            _mouse(canvas, QEvent.Type.MouseButtonRelease, press, Qt.MouseButton.NoButton)
            app.processEvents()

            line(
                "label layout, 300 (CardCanvas.relayout)",
                median_ms(canvas.relayout, runs, _nothing),
                50,
            )
            cards = [canvas.item(i) for i in canvas.card_ids()]
            anchors = [
                Box(r.x(), r.y(), r.width(), r.height())
                for r in (c.mapRectToScene(c.rect()) for c in cards if c is not None)
            ]
            sizes = [(8.0 * len(c.spec.label), 16.0) for c in cards if c is not None]
            area = view.geo.label_area
            bounds = Box(area.x(), area.y(), area.width(), area.height())
            line(
                "  … of which layout_labels() alone",
                median_ms(
                    lambda: layout_labels(anchors, sizes, bounds=bounds, gap=3, max_distance=80),
                    runs,
                    _nothing,
                ),
            )

            def compare() -> None:
                view.compare_dates(FIRST_DAY, SECOND_DAY)
                app.processEvents()

            def no_compare() -> None:
                view.compare.setChecked(False)
                app.processEvents()

            line(
                "compare two assessments of 300 (read, place, draw)",
                median_ms(compare, runs, no_compare),
                100,
            )
            print(f"  ({len(view.moves.ids())} ghosts with arrows)")

            # ------------------------------------------------------- the register
            register = StakeholdersView(runner)
            register.resize(1600, 1000)
            register.show()
            register.set_initiative(large.id)
            app.processEvents()
            proxy = register.register_proxy
            print(f"register: {register.register.rowCount():,} stakeholders")
            for column, name in ((NAME, "name"), (POWER, "power"), (SUPPORT, "support")):
                orders = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
                flip = [0]

                def sort(
                    column: int = column,
                    flip: list[int] = flip,
                    orders: list[Qt.SortOrder] = orders,
                ) -> None:
                    flip[0] ^= 1
                    proxy.sort(column, orders[flip[0]])
                    app.processEvents()

                line(f"register sort by {name}, 1,500", median_ms(sort, runs, _nothing), 100)
            filters = [StakeholderFilter(text="anna"), StakeholderFilter()]
            kinds = [
                StakeholderFilter(kinds=frozenset({StakeholderKind.SPONSOR})),
                StakeholderFilter(),
            ]
            for what, pair in (("words", filters), ("kind", kinds)):
                state = [0]

                def apply(pair: list[StakeholderFilter] = pair, state: list[int] = state) -> None:
                    state[0] ^= 1
                    proxy.set_filter(pair[state[0] ^ 1])
                    app.processEvents()

                line(
                    f"register filter by {what} (and back), 1,500",
                    median_ms(apply, runs, _nothing),
                    100,
                )
            register.close()
            view.close()
        finally:
            project.close(discard_unsaved=True)
    return 0


def _nothing() -> None:
    pass


def _mouse(canvas: object, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    from ldpm.ui.canvas import CardCanvas

    assert isinstance(canvas, CardCanvas)
    button = (
        Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    )
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(canvas.viewport().mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas.viewport(), event)


if __name__ == "__main__":
    raise SystemExit(main())
