"""The card canvas with real widgets and simulated input: drags and nudges reported once,
rubber-band selection, zoom and fit, labels that never overlap, theme colours, drops from
elsewhere, and export to PNG and SVG."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ldpm.ui.canvas import (
    ID_MIME,
    CardCanvas,
    CardMove,
    CardSpec,
    Shape,
    decode_ids,
    encode_ids,
)
from ldpm.ui.theme import THEMES, ThemeManager

PLANE = QRectF(0, 0, 1000, 600)


@pytest.fixture
def canvas(qtbot: QtBot) -> Iterator[CardCanvas]:
    view = CardCanvas()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.set_plane(PLANE, margin=20)
    view.show()
    qtbot.waitExposed(view)
    yield view


def cards(n: int = 3, **kw: object) -> list[CardSpec]:
    return [
        CardSpec(id=f"c{i}", x=200.0 + 250 * i, y=300.0, label=f"Card {i}", **kw)  # type: ignore[arg-type]
        for i in range(n)
    ]


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
        p = start + (end - start) * (i / steps)
        mouse(canvas, QEvent.Type.MouseMove, p, left)
    mouse(canvas, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def key(
    canvas: CardCanvas, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QApplication.sendEvent(canvas, QKeyEvent(QEvent.Type.KeyPress, k, mods))


# ------------------------------------------------------------------------------ cards


def test_cards_are_kept_by_id_and_go_where_their_specs_say(canvas: CardCanvas) -> None:
    canvas.set_cards(cards(3))
    assert canvas.card_ids() == ["c0", "c1", "c2"]
    first = canvas.item("c1")
    canvas.select(["c1"])
    canvas.set_cards([CardSpec(id="c1", x=10, y=20, label="Moved"), *cards(1)])
    assert canvas.item("c1") is first  # updated in place
    assert canvas.card_pos("c1") == QPointF(10, 20)
    assert canvas.item("c2") is None  # gone
    assert canvas.selected_ids() == ["c1"]  # the selection survives a reload


def test_a_drag_is_reported_once_and_snaps_back_unless_the_view_takes_it(
    canvas: CardCanvas, qtbot: QtBot
) -> None:
    canvas.set_cards(cards(3))
    live: list[list[CardMove]] = []
    canvas.cards_dragging.connect(live.append)
    with qtbot.waitSignal(canvas.cards_moved) as moved:
        drag(canvas, at(canvas, 450, 300), at(canvas, 450, 150))
    [move] = moved.args[0]
    assert move.id == "c1" and move.old == (450, 300)
    assert move.new[0] == pytest.approx(450, abs=2) and move.new[1] == pytest.approx(150, abs=2)
    assert len(live) >= 3  # a read-out while dragging
    # Nobody gave the card a new place: it is back where its spec says.
    assert canvas.card_pos("c1") == QPointF(450, 300)

    def take(moves: list[CardMove]) -> None:  # a view that runs a command and reloads
        specs = cards(3)
        specs[1] = CardSpec(id="c1", x=moves[0].new[0], y=round(moves[0].new[1], -1))
        canvas.set_cards(specs)

    canvas.cards_moved.connect(take)
    with qtbot.waitSignal(canvas.cards_moved):
        drag(canvas, at(canvas, 450, 300), at(canvas, 450, 154))
    assert canvas.card_pos("c1").y() == 150  # where the view's reload put it


def test_a_click_without_moving_reports_nothing(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(3))
    with qtbot.assertNotEmitted(canvas.cards_moved):
        drag(canvas, at(canvas, 200, 300), at(canvas, 200, 300), steps=1)
    assert canvas.selected_ids() == ["c0"]


def test_several_selected_cards_move_together_in_one_report(
    canvas: CardCanvas, qtbot: QtBot
) -> None:
    canvas.set_cards(cards(3))
    canvas.select(["c0", "c1"])
    with qtbot.waitSignal(canvas.cards_moved) as moved:
        drag(canvas, at(canvas, 200, 300), at(canvas, 200, 400))
    assert sorted(m.id for m in moved.args[0]) == ["c0", "c1"]
    assert all(m.dy == pytest.approx(100, abs=2) for m in moved.args[0])


def test_rubber_band_selects_the_cards_inside(canvas: CardCanvas) -> None:
    canvas.set_cards(cards(3))
    drag(canvas, at(canvas, 100, 200), at(canvas, 520, 400))
    assert sorted(canvas.selected_ids()) == ["c0", "c1"]


def test_fixed_cards_do_not_move(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(1, movable=False))
    with qtbot.assertNotEmitted(canvas.cards_moved):
        drag(canvas, at(canvas, 200, 300), at(canvas, 300, 300))
    assert canvas.card_pos("c0") == QPointF(200, 300)


# ------------------------------------------------------------------------- keyboard


def test_a_burst_of_arrow_keys_is_one_move(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(3))
    canvas.set_nudge_step(10, 5)
    canvas.setFocus()
    canvas.select(["c2"])
    with qtbot.waitSignal(canvas.cards_moved, timeout=3000) as moved:
        key(canvas, Qt.Key.Key_Right)
        key(canvas, Qt.Key.Key_Right)
        key(canvas, Qt.Key.Key_Up)
        key(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # five steps
        assert canvas.card_pos("c2") == QPointF(720, 270)  # moved on screen at once
    [move] = moved.args[0]
    assert (move.old, move.new) == ((700, 300), (720, 270))


def test_another_key_or_a_shortcut_ends_the_burst_at_once(
    canvas: CardCanvas, qtbot: QtBot
) -> None:
    canvas.set_cards(cards(3))
    canvas.select(["c0"])
    key(canvas, Qt.Key.Key_Down)
    with qtbot.waitSignal(canvas.cards_moved, timeout=100):
        # Ctrl+Z: the shortcut override ends the burst before Undo runs.
        override = QKeyEvent(
            QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        )
        QApplication.sendEvent(canvas, override)


def test_tab_goes_from_card_to_card_and_enter_activates(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(3))
    canvas.setFocus()
    assert canvas.focusNextPrevChild(True)
    assert canvas.selected_ids() == ["c0"]
    assert canvas.accessibleDescription() == "Card 0"
    assert canvas.focusNextPrevChild(True)
    assert canvas.selected_ids() == ["c1"]
    with qtbot.waitSignal(canvas.card_activated) as activated:
        key(canvas, Qt.Key.Key_Return)
    assert activated.args == ["c1"]
    key(canvas, Qt.Key.Key_Escape)
    assert canvas.selected_ids() == []
    key(canvas, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert sorted(canvas.selected_ids()) == ["c0", "c1", "c2"]


def test_double_click_activates(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(3))
    with qtbot.waitSignal(canvas.card_activated) as activated:
        qtbot.mouseDClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=at(canvas, 700, 300))
    assert activated.args == ["c2"]


# ----------------------------------------------------------------------------- zoom


def test_zoom_and_fit(canvas: CardCanvas, qtbot: QtBot) -> None:
    canvas.set_cards(cards(3))
    fitted = canvas.zoom()
    assert canvas.fitting
    canvas.zoom_in()
    assert canvas.zoom() == pytest.approx(fitted * 1.25) and not canvas.fitting
    key(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom() == pytest.approx(fitted)
    wheel = QWheelEvent(
        QPointF(200, 200),
        QPointF(canvas.viewport().mapToGlobal(QPoint(200, 200))),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom() == pytest.approx(fitted * 1.25**2)
    canvas.set_zoom(1000)
    assert canvas.zoom() == 20  # limited
    key(canvas, Qt.Key.Key_0)
    assert canvas.fitting and canvas.zoom() == pytest.approx(fitted)
    canvas.resize(500, 300)  # keeps fitting as the window changes
    qtbot.waitUntil(lambda: canvas.zoom() < fitted * 0.6)


# ---------------------------------------------------------------------------- labels


def label_rects(canvas: CardCanvas) -> list[QRectF]:
    out = []
    scale = canvas.zoom()
    for card_id in canvas.card_ids():
        label = canvas.label_of(card_id)
        if label is not None and label.isVisible():
            w, h = label.pixel_size()
            out.append(QRectF(label.pos().x(), label.pos().y(), w / scale, h / scale))
    return out


def test_labels_never_overlap_and_crowds_are_counted(canvas: CardCanvas, qtbot: QtBot) -> None:
    crowd = [
        CardSpec(id=f"c{i}", x=500 + (i % 7) * 4, y=300 + (i // 7) * 4, label=f"Item number {i}")
        for i in range(60)
    ]
    with qtbot.waitSignal(canvas.labels_laid_out) as laid:
        canvas.set_cards(crowd)
    shown, hidden = laid.args
    rects = label_rects(canvas)
    assert len(rects) == shown and shown + hidden == 60 and hidden > 0
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b) or a.intersected(b).isEmpty()
    # Zooming in makes room: more labels are shown.
    canvas.set_zoom(canvas.zoom() * 4)
    assert canvas.hidden_labels < hidden


def test_a_long_label_is_cut_and_the_selected_card_is_labelled_first(
    canvas: CardCanvas,
) -> None:
    long = "A very long backlog item title that goes on and on and on"
    canvas.set_cards([CardSpec(id="a", x=500, y=300, label=long)])
    label = canvas.label_of("a")
    assert label is not None and label.shown_text.endswith("…")
    assert label.full_text == long and label.toolTip() == long
    two = [CardSpec(id=i, x=500, y=300, label="Same spot " * 2) for i in "xyzuvw"]
    canvas.set_plane(QRectF(0, 0, 600, 320))
    canvas.set_cards(two)
    canvas.select(["w"])
    canvas.relayout()
    label = canvas.label_of("w")
    assert label is not None and label.isVisible()


def test_a_label_with_no_room_at_full_length_is_shown_cut_at_a_word(
    canvas: CardCanvas,
) -> None:
    title = "Hand-off checklist at night"
    canvas.set_cards([CardSpec(id="a", x=500, y=300, label=title)])
    label = canvas.label_of("a")
    assert label is not None and label.isVisible() and label.shown_text == title
    full_width = label.pixel_size()[0] / canvas.zoom()
    # Room for about half of it: the label is cut after a whole word, the tooltip whole.
    canvas.set_label_area(QRectF(500 - full_width * 0.3, 250, full_width * 0.6, 100))
    assert label.isVisible() and label.shown_text.endswith("…")
    assert title.startswith(label.shown_text.removesuffix("…") + " ")
    assert label.toolTip() == label.full_text == title
    [rect] = label_rects(canvas)
    assert rect.width() <= full_width * 0.6
    # Room again: the whole label.
    canvas.set_label_area(None)
    assert label.isVisible() and label.shown_text == title


def test_a_relayout_that_reuses_the_measured_short_texts_places_the_same(
    canvas: CardCanvas, qtbot: QtBot
) -> None:
    """The short texts measured by one layout are reused by the next: the labels come out as
    a layout measuring afresh places them (the first one, on a new canvas)."""
    words = ["Onboarding", "review", "of", "the", "pilot", "cohort", "with", "managers", "a"]
    crowd = [
        CardSpec(
            id=f"c{i}",
            x=400 + (i % 9) * 15,
            y=250 + (i // 9) * 12,
            label=" ".join(words[(i + k) % len(words)] for k in range(2 + i % 5)),
            priority=i % 4,
        )
        for i in range(70)
    ]
    canvas.set_cards(crowd)

    def seen() -> list[tuple[str, float, float, bool]]:
        out = []
        for card_id in canvas.card_ids():
            label = canvas.label_of(card_id)
            assert label is not None
            out.append((label.shown_text, label.pos().x(), label.pos().y(), label.isVisible()))
        return out

    fresh = seen()
    assert any(text.endswith("…") and shown for text, _x, _y, shown in fresh)  # some short
    canvas.relayout()
    assert seen() == fresh
    # Spread out, the labels shown short have room at full length again.
    spread = [replace(c, x=60 + (i % 7) * 140, y=40 + (i // 7) * 52) for i, c in enumerate(crowd)]
    canvas.set_cards(spread)
    again = seen()
    assert all(shown for _text, _x, _y, shown in again)
    other = CardCanvas()
    qtbot.addWidget(other)
    other.resize(canvas.size())
    other.set_plane(PLANE, margin=20)
    other.show()
    qtbot.waitExposed(other)
    other.set_cards(spread)
    assert [
        (label.shown_text, label.pos().x(), label.pos().y())
        for label in (other.label_of(i) for i in other.card_ids())
        if label is not None
    ] == [(text, x, y) for text, x, y, _shown in again]


def test_labels_keep_off_obstacles(canvas: CardCanvas) -> None:
    title = QRectF(520, 280, 200, 40)  # where c1's label would go
    canvas.set_label_area(None, [title])
    canvas.set_cards(cards(3))
    [_, rect, _] = label_rects(canvas)
    assert not rect.intersects(title)


# ----------------------------------------------------------------------------- theme


def test_colours_follow_the_theme(canvas: CardCanvas, qapp: QApplication) -> None:
    themes = ThemeManager(qapp)
    canvas.set_cards(cards(1, fill="success"))
    try:
        themes.apply("contrast", 1.0)
        assert canvas.colours().theme.key == "contrast"
        assert canvas.colours().role("success") == QColor(THEMES["contrast"].success)
        assert canvas.colours().line_width == 2
        assert canvas.scene().backgroundBrush().color() == QColor("#000000")
        themes.apply("light", 1.0)
        assert canvas.colours().theme.key == "light"
        assert canvas.colours().role("#123456") == QColor("#123456")
    finally:
        themes.apply("light", 1.0)


class Dot(QGraphicsItem):
    """A decoration that fills a square at the card's centre in blue, and counts paints."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.painted = 0

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, 12, 12)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self.painted += 1
        painter.fillRect(QRectF(-6, -6, 12, 12), QColor("#0000ff"))


def colour_at(canvas: CardCanvas, x: float, y: float) -> QColor:
    return canvas.viewport().grab().toImage().pixelColor(at(canvas, x, y))


def test_a_card_paints_its_decoration_once_and_the_scene_passes_it_by(
    canvas: CardCanvas,
) -> None:
    canvas.set_cards([CardSpec(id="a", x=250, y=300, width=60, fill="#ff0000")])
    card = canvas.item("a")
    assert card is not None
    dot = Dot(card)
    card.set_decoration(dot)
    assert dot.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    image = canvas.viewport().grab().toImage()
    assert image.pixelColor(at(canvas, 250, 300)) == QColor("#0000ff")  # over the card
    assert image.pixelColor(at(canvas, 250, 285)).red() > 200  # the card around it
    assert dot.painted == 1  # by the card, not a second time by the scene
    dot.hide()
    assert colour_at(canvas, 250, 300).red() > 200
    dot.show()
    svg = canvas.render_image(scale=1.0)  # an export draws it too
    rect = canvas.scene().sceneRect()
    assert svg.pixelColor(int(250 - rect.x()), int(300 - rect.y())) == QColor("#0000ff")
    card.set_decoration(None)  # given back to the scene, which paints it itself
    assert not dot.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    assert colour_at(canvas, 250, 300) == QColor("#0000ff")


def test_a_card_shows_its_new_look_when_its_spec_changes(canvas: CardCanvas) -> None:
    spec = CardSpec(id="a", x=250, y=300, width=60, fill="#ff0000")
    canvas.set_cards([spec])
    assert colour_at(canvas, 250, 300).red() > 200
    canvas.set_cards([CardSpec(id="a", x=250, y=300, width=60, fill="#00ff00")])
    assert colour_at(canvas, 250, 300).green() > 200
    canvas.set_cards([CardSpec(id="a", x=250, y=300, width=60, fill="#00ff00")])
    canvas.set_zoom(2.0)
    canvas.centerOn(250, 300)
    assert colour_at(canvas, 250 + 25, 300).green() > 200  # the sprite grew with the zoom


# ----------------------------------------------------------------------------- drops


def test_ids_dragged_from_elsewhere_can_be_dropped(canvas: CardCanvas, qtbot: QtBot) -> None:
    mime = encode_ids(["a", "b"])
    assert decode_ids(mime) == ["a", "b"] and decode_ids(QMimeData()) == []
    assert mime.hasFormat(ID_MIME)
    point = at(canvas, 300, 100)
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(canvas.ids_dropped) as dropped:
        QApplication.sendEvent(canvas.viewport(), drop)
    ids, where = dropped.args
    assert ids == ["a", "b"]
    assert where.x() == pytest.approx(300, abs=2) and where.y() == pytest.approx(100, abs=2)


# ---------------------------------------------------------------------------- export


def test_export_png_and_svg(canvas: CardCanvas, tmp_path: Path) -> None:
    backdrop = QGraphicsRectItem(QRectF(0, 0, 500, 600))
    canvas.add_backdrop(backdrop)
    canvas.set_cards(
        [
            CardSpec(id="a", x=250, y=300, width=60, label="Quick win", fill="#ff0000"),
            CardSpec(id="b", x=750, y=300, width=80, height=40, shape=Shape.BOX, text="Box"),
        ]
    )
    canvas.select(["a"])
    png = tmp_path / "matrix.png"
    canvas.export_png(png, scale=2)
    image = QImage(str(png))
    rect = canvas.scene().sceneRect()
    assert (image.width(), image.height()) == (rect.width() * 2, rect.height() * 2)
    centre = image.pixelColor(int((250 - rect.x()) * 2), int((300 - rect.y()) * 2))
    assert centre.red() > 200 and centre.green() < 80  # the card, drawn
    assert canvas.selected_ids() == ["a"]  # the selection is back after the export
    svg = tmp_path / "matrix.svg"
    canvas.export_svg(svg, title="Value and effort")
    text = svg.read_text("utf-8")
    assert "<title>Value and effort</title>" in text and "Quick win" in text and "Box" in text
    assert not list(tmp_path.glob(".*tmp"))  # written atomically, nothing left behind
    canvas.clear_backdrop()
    assert backdrop.scene() is None
