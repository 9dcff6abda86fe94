"""The stakeholder map on the demo, with real widgets and simulated input: cards where their
ratings say, a drag as one undo step, names that never overlap (40 people), filters,
comparing two assessments, recording one, workshop mode, themes and export."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem, QWidget
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Stakeholder
from ldpm.domain.enums import StakeholderKind, Support
from ldpm.domain.stakeholder_filter import StakeholderFilter
from ldpm.services import assessments, initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.commands import Composite
from ldpm.services.navigation import ShowEntity
from ldpm.ui.canvas import CardCanvas
from ldpm.ui.operations import OperationRunner
from ldpm.ui.theme import ThemeManager
from ldpm.ui.views import map_badge
from ldpm.ui.views.map_badge import CardBadge
from ldpm.ui.views.map_scene import geometry, support_colour
from ldpm.ui.views.stakeholder_map import StakeholderMapView

TODAY = date(2026, 11, 29)


def open_map(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str | None = None
) -> StakeholderMapView:
    view = StakeholderMapView(runner)
    view.today = lambda: TODAY
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    qtbot.waitExposed(view)
    view.set_initiative(initiative_id or initiatives.list_initiatives(runner.project)[0].id)
    return view


def stake_id(view: StakeholderMapView, name: str) -> str:
    return next(r.id for r in view.rows if r.person.name.startswith(name))


def at(canvas: CardCanvas, x: float, y: float) -> QPoint:
    return canvas.mapFromScene(QPointF(x, y))


def mouse(canvas: CardCanvas, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
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


def drag(canvas: CardCanvas, start: QPoint, end: QPoint, steps: int = 6) -> None:
    left = Qt.MouseButton.LeftButton
    mouse(canvas, QEvent.Type.MouseButtonPress, start, left)
    for i in range(1, steps + 1):
        mouse(canvas, QEvent.Type.MouseMove, start + (end - start) * (i / steps), left)
    mouse(canvas, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def label_rects(view: StakeholderMapView) -> dict[str, QRectF]:
    canvas = view.canvas
    zoom = canvas.zoom()
    out = {}
    for card_id in canvas.card_ids():
        label = canvas.label_of(card_id)
        if label is not None and label.isVisible():
            w, h = label.pixel_size()
            out[card_id] = QRectF(label.pos(), label.pos() + QPointF(w / zoom, h / zoom))
    return out


def assert_no_overlaps(rects: dict[str, QRectF]) -> None:
    items = list(rects.items())
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1 :]:
            inter = ra.intersected(rb)
            assert inter.width() < 0.5 or inter.height() < 0.5, (a, b)


def test_the_demo_map_shows_everyone_where_their_ratings_say(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    canvas = view.canvas
    assert len(canvas.card_ids()) == 9
    grid = view.geo.grid
    for row in view.rows:
        pos = canvas.card_pos(row.id)
        assert grid.rating_at(pos.x(), pos.y()) == (
            row.stakeholder.power,
            row.stakeholder.interest,
        )
        label = canvas.label_of(row.id)
        assert label is not None and label.isVisible() and label.full_text == row.name
    helen = canvas.item(stake_id(view, "Helen"))
    assert helen is not None and helen.spec.fill == "warning"  # a sceptic
    badge = next(c for c in helen.childItems() if isinstance(c, CardBadge))
    assert badge.info.kind == "BL" and not badge.info.drift
    priya = canvas.item(stake_id(view, "Priya"))
    assert priya is not None
    assert next(c for c in priya.childItems() if isinstance(c, CardBadge)).info.drift
    assert_no_overlaps(label_rects(view))
    # The backdrop names the quadrants.
    texts = backdrop_texts(view)
    assert {"Manage closely", "Keep satisfied", "Keep informed", "Monitor"} <= texts


def backdrop_texts(view: StakeholderMapView) -> set[str]:
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    return {
        item.text()
        for item in view.canvas.scene().items()
        if isinstance(item, QGraphicsSimpleTextItem)
    }


def test_a_drag_changes_power_and_interest_in_one_undo_step(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    canvas = view.canvas
    helen = stake_id(view, "Helen")
    start = canvas.card_pos(helen)
    steps = demo_runner.undo_stack.count()
    target = view.geo.grid.centre(9, 3)  # keep satisfied: interest down to 3
    with qtbot.waitSignal(demo_runner.changed):
        drag(canvas, at(canvas, start.x(), start.y()), at(canvas, *target))
    stake = svc.get_stake(demo_runner.project, helen)
    assert stake is not None and (stake.power, stake.interest) == (9, 3)
    assert demo_runner.undo_stack.count() == steps + 1
    assert demo_runner.undo_stack.undoText() == "Move Helen Marsh to power 9, interest 3"
    moved = canvas.card_pos(helen)
    assert view.geo.grid.rating_at(moved.x(), moved.y()) == (9, 3)
    with qtbot.waitSignal(demo_runner.changed):
        demo_runner.undo_stack.undo()
    assert canvas.card_pos(helen) == start
    assert svc.get_stake(demo_runner.project, helen).interest == 7  # type: ignore[union-attr]


def test_a_drop_in_the_same_cell_changes_nothing(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    canvas = view.canvas
    helen = stake_id(view, "Helen")
    start = canvas.card_pos(helen)
    steps = demo_runner.undo_stack.count()
    with qtbot.assertNotEmitted(demo_runner.changed):
        drag(canvas, at(canvas, start.x(), start.y()), at(canvas, start.x() + 8, start.y() + 6))
    assert demo_runner.undo_stack.count() == steps
    assert canvas.card_pos(helen) == start  # snapped back


def test_a_live_read_out_while_dragging(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    view = open_map(qtbot, demo_runner)
    canvas = view.canvas
    start = canvas.card_pos(stake_id(view, "Helen"))
    target = view.geo.grid.centre(3, 2)
    left = Qt.MouseButton.LeftButton
    mouse(canvas, QEvent.Type.MouseButtonPress, at(canvas, start.x(), start.y()), left)
    mouse(canvas, QEvent.Type.MouseMove, at(canvas, *target), left)
    assert view.status.text() == "Helen Marsh → power 3, interest 2: Monitor"
    mouse(canvas, QEvent.Type.MouseButtonRelease, at(canvas, *target), Qt.MouseButton.NoButton)


def forty(runner: OperationRunner) -> str:
    """A new initiative with 40 stakeholders, many of them sharing a rating."""
    command = initiatives.add_initiative(runner.project, "Forty")
    assert runner.run(command)
    initiative = command.entity.id
    rng = random.Random(40)
    parts = []
    first = ["Anna", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustav", "Hana", "Ivan", "Jo"]
    last = ["Andersson", "Becker", "Costa", "Dubois"]
    for i in range(40):
        parts.append(
            svc.new_stakeholder(
                initiative,
                f"{first[i % 10]} {last[i // 10]}",
                kind=rng.choice(list(StakeholderKind)),
            )
        )
    assert runner.run(Composite(parts, text="Forty"))
    for row in svc.stake_rows(runner.project, initiative):
        power, interest = rng.choice([(9, 8), (8, 9), (3, 7), (2, 2), (6, 3)])
        changes = {"power": power, "interest": interest, "support": rng.choice(list(Support))}
        assert runner.run(svc.edit_stake(row.id, changes))
    return initiative


def test_forty_people_and_no_name_over_another(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    initiative = forty(demo_runner)
    view = open_map(qtbot, demo_runner, initiative)
    view.resize(1900, 1050)  # a 1920 × 1080 screen
    qtbot.waitUntil(lambda: view.canvas.viewport().width() > 1700)
    view.canvas.fit_to_view()
    assert len(view.canvas.card_ids()) == 40
    rects = label_rects(view)
    assert_no_overlaps(rects)
    assert len(rects) + view.canvas.hidden_labels == 40
    assert len(rects) >= 36  # five crowded cells of eight: nearly every name fits
    view.canvas.set_zoom(view.canvas.zoom() * 1.6)  # zooming in makes room for the rest
    rects = label_rects(view)
    assert_no_overlaps(rects)
    assert len(rects) == 40


def test_filters_hide_cards(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    view = open_map(qtbot, demo_runner)
    bar = view.filters
    [sme] = [a for value, a in bar.kinds._values if value is StakeholderKind.SME]
    sme.setChecked(True)
    assert sorted(view.canvas.item(i).spec.label for i in view.canvas.card_ids()) == [  # type: ignore[union-attr]
        "Aisha Karimi",
        "Tomás Reyes",
    ]
    assert "7 hidden by the filter" in view.status.text()
    bar.clear()
    bar.search.setText("operations director")
    assert len(view.canvas.card_ids()) == 1
    bar.clear()
    bar.set_departments(["Operations", "People"])
    [people] = [a for value, a in bar.departments._values if value == "People"]
    people.setChecked(True)
    assert [view.canvas.item(i).spec.label for i in view.canvas.card_ids()] == [  # type: ignore[union-attr]
        "Grace Adeyemi"
    ]


def test_comparing_two_assessments_shows_who_moved(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    assert view.compare_from.count() == 3 and view.compare_to.count() == 4  # and "Now"
    # A date's long label may be cut in its box (the map is not held wider than the
    # screen): the tooltip has it whole.
    chosen = view.compare_from
    longest = max(
        chosen.fontMetrics().horizontalAdvance(chosen.itemText(i)) for i in range(chosen.count())
    )
    assert chosen.minimumSizeHint().width() < longest
    assert chosen.toolTip() == chosen.currentText() != ""
    was = chosen.currentIndex()
    chosen.setCurrentIndex(1 - min(was, 1))
    assert chosen.toolTip() == chosen.currentText() != chosen.itemText(was)
    chosen.setCurrentIndex(was)
    view.compare.setChecked(True)
    assert view.comparing() == (date(2026, 2, 16), None)
    helen = stake_id(view, "Helen")
    move = view.moves.move(helen)
    assert move is not None and move.colour == "text"
    grid = view.geo.grid
    assert grid.rating_at(*move.old) == (9, 3) and grid.rating_at(*move.new) == (9, 7)
    priya = view.moves.move(stake_id(view, "Priya"))
    assert priya is not None and priya.colour == "danger"  # a key player dropping
    assert view.moves.move(stake_id(view, "Tomás")) is None  # did not move
    assert "Who moved: 16 Feb 2026 → now" in backdrop_texts(view)
    # No name is written over a ghost.
    ghosts = []
    for move_id in view.moves.ids():
        m = view.moves.move(move_id)
        assert m is not None
        ghosts.append(QRectF(m.old[0] - m.width / 2, m.old[1] - m.height / 2, m.width, m.height))
    assert ghosts
    for card_id, rect in label_rects(view).items():
        for ghost in ghosts:
            inter = rect.intersected(ghost)
            assert inter.width() < 0.5 or inter.height() < 0.5, card_id
    # Two past dates: cards stand where they were then, and cannot be dragged.
    view.compare_dates(date(2026, 2, 16), date(2026, 4, 20))
    card = view.canvas.item(helen)
    assert card is not None and not card.spec.movable
    assert grid.rating_at(card.spec.x, card.spec.y) == (9, 6)
    assert len(view.moves.ids()) == len([m for m in view.movements.values() if m.moved])
    view.compare.setChecked(False)
    assert view.moves.ids() == []


def badge_image(badge: CardBadge, widget: QWidget | None) -> QImage:
    """The badge painted at zoom 1 on a grey image (``widget`` None: as an export)."""
    rect = badge.boundingRect()
    image = QImage(int(rect.width()) + 4, int(rect.height()) + 4, QImage.Format.Format_ARGB32)
    image.fill(QColor("#808080"))
    painter = QPainter(image)
    try:
        painter.translate(2 - rect.left(), 2 - rect.top())
        badge.paint(painter, QStyleOptionGraphicsItem(), widget)
    finally:
        painter.end()
    return image


def test_badges_on_screen_are_shared_pictures_of_what_an_export_draws(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = open_map(qtbot, demo_runner)
    for name in ("Helen", "Priya"):  # a plain badge, and one with the drift ring
        card = view.canvas.item(stake_id(view, name))
        assert card is not None
        card.prepareGeometryChange()
        card.spec = replace(card.spec, width=60.0, height=30.0)  # whole pixels at zoom 1
        badge = next(c for c in card.childItems() if isinstance(c, CardBadge))
        drawn, shown = badge_image(badge, None), badge_image(badge, view.canvas.viewport())
        differing = sum(
            drawn.pixelColor(x, y).rgb() != shown.pixelColor(x, y).rgb()
            for x in range(drawn.width())
            for y in range(drawn.height())
        )
        assert drawn.pixelColor(2, 2).rgb() == QColor("#808080").rgb()
        assert differing <= drawn.width() * drawn.height() // 50, name  # edge rounding only
        ink = sum(
            drawn.pixelColor(x, y).rgb() != QColor("#808080").rgb()
            for x in range(drawn.width())
            for y in range(drawn.height())
        )
        assert ink > 50  # there is something drawn to compare
    # On the canvas the card paints its badge, and paints it anew when the badge changes.
    card = view.canvas.item(stake_id(view, "Helen"))
    assert card is not None
    badge = next(c for c in card.childItems() if isinstance(c, CardBadge))
    box = view.canvas.mapFromScene(card.sceneBoundingRect()).boundingRect()

    def on_screen() -> QImage:
        return view.canvas.viewport().grab(box).toImage()

    before = on_screen()
    badge.set_info(replace(badge.info, kind="XYZ"))
    assert on_screen() != before
    badge.set_info(replace(badge.info, kind="BL"))
    assert on_screen() == before
    # Cards that show the same share the pictures: painting again makes none.
    view.canvas.viewport().repaint()
    made = len(map_badge._PICTURES)
    view.canvas.viewport().repaint()
    assert len(map_badge._PICTURES) == made


def label_places(view: StakeholderMapView) -> dict[str, tuple[float, float] | None]:
    out: dict[str, tuple[float, float] | None] = {}
    for card_id in view.canvas.card_ids():
        label = view.canvas.label_of(card_id)
        assert label is not None
        out[card_id] = (label.pos().x(), label.pos().y()) if label.isVisible() else None
    return out


@pytest.mark.parametrize("comparing", [False, True])
def test_a_rebuilt_map_lays_its_labels_out_once_as_if_after_every_step(
    qtbot: QtBot, demo_runner: OperationRunner, comparing: bool
) -> None:
    view = open_map(qtbot, demo_runner)
    before = view.canvas.layouts
    if comparing:
        view.compare_dates(date(2026, 2, 16), date(2026, 6, 15))
    else:
        view.filters.set_filter(StakeholderFilter(kinds=frozenset({StakeholderKind.SME})))
        view.filters.set_filter(StakeholderFilter())
    batched = label_places(view)
    hidden = view.canvas.hidden_labels
    # The plane, the cards and the label area changed, yet each rebuild laid labels out once.
    assert view.canvas.layouts - before == (1 if comparing else 2)
    # Laying out again now that everything is in place changes nothing.
    view.canvas.relayout()
    assert label_places(view) == batched and view.canvas.hidden_labels == hidden
    assert any(place is not None for place in batched.values())


def test_recording_an_assessment_from_the_map(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    view = open_map(qtbot, demo_runner)
    view.open_record_bar()
    assert view.record_bar.isVisible() and view.record_date.value() == TODAY
    view.record_date.setValue(date(2026, 12, 24))
    view.record_label.setText("after the kick-off workshop")
    steps = demo_runner.undo_stack.count()
    view.record_assessment()
    assert view.record_message.isVisible()
    assert "cannot be dated in the future" in view.record_message.text()
    assert demo_runner.undo_stack.count() == steps  # nothing written
    view.record_date.setValue(TODAY)
    with qtbot.waitSignal(demo_runner.changed):
        view.record_assessment()
    assert not view.record_bar.isVisible()
    assert demo_runner.undo_stack.count() == steps + 1
    found = assessments.list_snapshots(demo_runner.project, view.initiative_id or "")
    assert (found[0].on, found[0].label) == (TODAY, "after the kick-off workshop")
    assert view.compare_from.count() == 4  # the new date can be compared


def test_workshop_mode_keeps_only_the_map(qtbot: QtBot, demo_runner: OperationRunner) -> None:
    view = open_map(qtbot, demo_runner)
    asked: list[object] = []
    view.navigate_requested.connect(asked.append)
    view.canvas.card_activated.emit(stake_id(view, "Helen"))
    assert asked == [ShowEntity(Stakeholder, stake_id(view, "Helen"))]
    view.workshop_button.click()
    assert view.workshop and not view.filters.isVisible() and not view.record_button.isVisible()
    view.canvas.card_activated.emit(stake_id(view, "Helen"))  # the register shows notes
    assert len(asked) == 1
    view.open_record_bar()
    assert not view.record_bar.isVisible()
    view.set_workshop(False)
    assert view.filters.isVisible()


def test_high_contrast_tells_every_stance_apart(
    qtbot: QtBot, qapp: QApplication, demo_runner: OperationRunner
) -> None:
    themes = ThemeManager(qapp)
    themes.apply("contrast", 1.0)
    try:
        view = open_map(qtbot, demo_runner)
        colours = view.canvas.colours()
        assert colours.high_contrast
        fills = {colours.role(support_colour(s, colours)).name() for s in Support}
        assert len(fills) == len(Support)
        helen = view.canvas.item(stake_id(view, "Helen"))
        assert helen is not None and helen.spec.fill == "#ffb347"
    finally:
        themes.apply("light", 1.0)


def test_cards_grow_with_the_text_as_far_as_a_cell_allows() -> None:
    sizes = [geometry(px).card for px in (14, 20, 24, 28, 31)]
    assert sizes == sorted(sizes) and sizes[0] == (58.0, 30.0)
    grid = geometry(31).grid
    for px in (14, 24, 31):
        width, height = geometry(px).card
        assert width < grid.cell_width and height < grid.cell_height  # a card fits its cell
    # In the projector preset (24 px and more) a card is at least three lines of text high,
    # not a dot beside its name.
    assert geometry(24).card[1] >= 24 * 1.5 and geometry(31).card[1] > geometry(24).card[1]


def test_the_map_is_exported_as_png_and_svg(
    qtbot: QtBot, demo_runner: OperationRunner, tmp_path: Path
) -> None:
    view = open_map(qtbot, demo_runner)
    assert view.write(tmp_path / "map.png", "png")
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert view.write(tmp_path / "map.svg", "svg")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "Helen Marsh" in svg and "Manage closely" in svg
    assert not view.write(tmp_path / "missing" / "map.svg", "svg")
    assert "could not be saved" in view.status.text()


def test_an_initiative_without_stakeholders_says_what_to_do(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    command = initiatives.add_initiative(demo_runner.project, "Empty")
    assert demo_runner.run(command)
    view = open_map(qtbot, demo_runner, command.entity.id)
    assert view.canvas.card_ids() == []
    assert "add stakeholders in the Stakeholders tab" in view.status.text()
    assert not view.compare.isEnabled()
