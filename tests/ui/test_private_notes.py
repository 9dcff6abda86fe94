"""Private notes never reach the map, workshop mode or an export unless asked: every private
phrase of the demo is searched for in the canvas's scene (texts, labels, tooltips, what a
screen reader hears), in the PNG and SVG exports and in the plan page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Person, Stakeholder
from ldpm.services import engagement, initiatives
from ldpm.services.project import Project
from ldpm.ui.canvas import CardItem, LabelItem
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.map_badge import CardBadge
from ldpm.ui.views.map_moves import MovesItem
from ldpm.ui.views.stakeholder_map import StakeholderMapView

KNOWN = "Blocked the original class because it took engineers off the rota"


def private_phrases(project: Project) -> list[str]:
    """Every private note of the demo, in pieces long enough to be telling."""
    with project.read() as tx:
        notes = [p.notes for p in tx.list(Person) if p.notes_private and p.notes.strip()]
        notes += [s.private_notes for s in tx.list(Stakeholder) if s.private_notes.strip()]
    phrases = []
    for note in notes:
        for sentence in note.replace(";", ".").split("."):
            if len(sentence.strip()) > 20:
                phrases.append(sentence.strip())
    assert KNOWN in phrases
    return phrases


def item_texts(item: QGraphicsItem) -> list[str]:
    texts = [item.toolTip()]
    if isinstance(item, QGraphicsSimpleTextItem):
        texts.append(item.text())
    if isinstance(item, LabelItem):
        texts += [item.full_text, item.shown_text]
    if isinstance(item, CardItem):
        spec = item.spec
        texts += [spec.label, spec.text, spec.tooltip, spec.description]
    if isinstance(item, CardBadge):
        texts.append(item.info.kind)
    if isinstance(item, MovesItem):
        texts += item.tips()
    return texts


def scene_text(view: StakeholderMapView) -> str:
    texts = [view.canvas.accessibleDescription(), view.status.text()]
    for item in view.canvas.scene().items():
        texts += item_texts(item)
    for card_id in view.canvas.card_ids():  # tooltips are written when the pointer rests
        texts += [view.canvas.tooltip(card_id), view.canvas.description(card_id)]
    return "\n".join(texts)


def test_no_private_note_on_the_map_in_workshop_mode_or_in_any_export(
    qtbot: QtBot, demo_runner: OperationRunner, tmp_path: Path
) -> None:
    phrases = private_phrases(demo_runner.project)
    view = StakeholderMapView(demo_runner)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    qtbot.waitExposed(view)
    first = initiatives.list_initiatives(demo_runner.project)[0].id
    view.set_initiative(first)
    for card_id in view.canvas.card_ids():  # a screen reader's description of each card
        view.canvas.select([card_id], current=card_id)
        assert all(p not in view.canvas.accessibleDescription() for p in phrases)
    view.compare.setChecked(True)  # ghosts and arrows have tooltips of their own
    view.workshop_button.click()
    text = scene_text(view)
    assert "Helen Marsh" in text and "Manage closely" in text  # the search does see text
    for phrase in phrases:
        assert phrase not in text
    view.write(tmp_path / "map.svg", "svg")
    view.write(tmp_path / "map.png", "png")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    png = (tmp_path / "map.png").read_bytes()
    assert "Helen Marsh" in svg
    engagement.export_plan(demo_runner.project, first, tmp_path / "plan.html")
    plan = (tmp_path / "plan.html").read_text(encoding="utf-8")
    for phrase in phrases:
        assert phrase not in svg and phrase.encode() not in png and phrase not in plan
    # Only when the user asks for them explicitly.
    engagement.export_plan(
        demo_runner.project, first, tmp_path / "mine.html", include_private=True
    )
    assert KNOWN in (tmp_path / "mine.html").read_text(encoding="utf-8")
