"""The welcome screen says only what is true, and its recent projects are proper cards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ldpm.ui.theme import THEMES, ThemeManager, contrast_ratio
from ldpm.ui.welcome import RecentCard, WelcomePage

# Views that arrive in later issues: the welcome screen must not promise them yet.
NOT_YET = ("backlog", "mvp", "metric", "matrix", "experiment", "release", "report")


@pytest.fixture
def manager(qapp: QApplication) -> Iterator[ThemeManager]:
    themes = ThemeManager(qapp)
    themes.apply("light", 1.0)
    yield themes
    themes.apply("light", 1.0)


@pytest.fixture
def page(qtbot: QtBot, manager: ThemeManager) -> WelcomePage:
    welcome = WelcomePage()
    qtbot.addWidget(welcome)
    welcome.resize(1000, 700)
    welcome.show()
    qtbot.waitExposed(welcome)
    return welcome


def words(page: WelcomePage) -> str:
    return " ".join(label.text() for label in page.findChildren(QLabel)).lower()


def test_it_promises_only_the_views_there_are(page: WelcomePage) -> None:
    text = words(page)
    assert "overview & intake" in page.views_label.text().lower()
    promised = [word for word in NOT_YET if re.search(rf"\b{word}", text)]
    assert not promised, f"the welcome screen mentions {promised}: {text}"


def test_a_new_view_is_named_when_it_is_added(qtbot: QtBot, manager: ThemeManager) -> None:
    page = WelcomePage(views=["Overview & Intake", "Backlog"])
    qtbot.addWidget(page)
    text = page.views_label.text()
    assert text.startswith("Views for each initiative: Overview & Intake")
    assert text.endswith("Backlog.")  # joined as the user's language joins a list


def test_no_recent_projects(page: WelcomePage) -> None:
    page.set_recent([])
    assert not page.findChildren(RecentCard)
    assert page.empty_recent.isVisible() and not page.clear_button.isVisible()


def test_recent_project_card(qtbot: QtBot, page: WelcomePage, tmp_path: Path) -> None:
    path = tmp_path / "Projects" / "Onboarding.ldpm"
    page.set_recent([path])
    cards = page.findChildren(RecentCard)
    assert len(cards) == 1
    card = cards[0]
    qtbot.waitUntil(card.isVisible)
    assert card.name_label.text() == "Onboarding"
    assert card.folder_label.text() == str(path.parent)
    assert card.accessibleName() == "Open recent project Onboarding.ldpm"
    assert card.toolTip() == str(path)
    # Glyph and text centred on the card's middle, not pinned to its top.
    middle = card.rect().center().y()
    glyph = card.glyph.geometry()
    assert abs(glyph.center().y() - middle) <= 2
    text_top = card.name_label.geometry().top()
    text_bottom = card.folder_label.geometry().bottom()
    assert abs((text_top + text_bottom) / 2 - middle) <= 3
    assert glyph.height() > card.name_label.height()  # a glyph, not a character
    # The whole card opens the project, wherever it is clicked (the labels let it through).
    with qtbot.waitSignal(page.recent_requested) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=card.name_label.geometry().center())
    assert blocker.args == [path]
    with qtbot.waitSignal(page.recent_requested):
        card.setFocus()
        qtbot.keyClick(card, Qt.Key.Key_Space)


def test_a_long_folder_is_shortened_not_widening_the_page(
    qtbot: QtBot, page: WelcomePage, tmp_path: Path
) -> None:
    deep = tmp_path.joinpath(*(["a-rather-long-folder-name"] * 20)) / "Deep.ldpm"
    page.set_recent([deep])
    card = page.findChildren(RecentCard)[0]
    qtbot.waitUntil(card.isVisible)
    assert card.width() <= page.width()
    assert card.folder_label.width() < card.folder_label.fontMetrics().horizontalAdvance(
        str(deep.parent)
    )


@pytest.mark.parametrize("key", sorted(THEMES))
def test_the_glyph_is_drawn_in_the_theme_colour(
    qtbot: QtBot, manager: ThemeManager, key: str, tmp_path: Path
) -> None:
    manager.apply(key, 1.0)
    theme = THEMES[key]
    page = WelcomePage()
    qtbot.addWidget(page)
    page.set_recent([tmp_path / "Demo.ldpm"])
    page.show()
    qtbot.waitExposed(page)
    card = page.findChildren(RecentCard)[0]
    image = card.glyph.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colours = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    assert theme.accent in colours
    assert "#000000" not in colours or theme.dark  # no black glyph on a light theme
    assert contrast_ratio(theme.accent, theme.base) >= 3.0


def test_cards_grow_with_the_text(qtbot: QtBot, manager: ThemeManager, tmp_path: Path) -> None:
    heights = []
    for scale in (1.0, 2.0):
        manager.apply("light", scale)
        page = WelcomePage()
        qtbot.addWidget(page)
        page.set_recent([tmp_path / "Demo.ldpm"])
        page.show()
        qtbot.waitExposed(page)
        card = page.findChildren(RecentCard)[0]
        heights.append((card.height(), card.glyph.height()))
    assert heights[1][0] > 1.6 * heights[0][0]
    assert heights[1][1] > 1.6 * heights[0][1]
