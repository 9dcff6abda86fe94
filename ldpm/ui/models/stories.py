"""Stories as a table: title, kind, who, rating and date, editable in place; the rest of a
story is edited in the stories panel's form."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from ldpm.domain.entities import STORY_RATING_MAX, Story
from ldpm.domain.enums import StoryKind
from ldpm.services import stories as svc
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.operations import OperationRunner

TITLE, KIND, WHO, RATING, ON = range(5)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StoriesModel", text)


def stars(rating: int | None) -> str:
    if rating is None:
        return ""
    return "★" * rating + "☆" * (STORY_RATING_MAX - rating)


def _rating_check(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= STORY_RATING_MAX:
        return None
    return _tr("Rate the story from 1 (not successful) to 5 (fully successful).")


def story_columns() -> list[Column[Story]]:
    return [
        Column(
            field="title",
            header=lambda: _tr("Story"),
            tooltip=lambda s: s.text[:300] or s.title,
            update=svc.edit_story,
        ),
        Column(
            field="kind",
            kind=Kind.CHOICE,
            choices=StoryKind,
            header=lambda: _tr("Kind"),
            update=svc.edit_story,
        ),
        Column(field="who", header=lambda: _tr("Who"), update=svc.edit_story),
        Column(
            field="rating",
            kind=Kind.WHOLE,
            header=lambda: _tr("Success"),
            header_tip=lambda: _tr("How successful the case is: 1 (not at all) to 5 (fully)"),
            text=lambda s: stars(s.rating),
            check=_rating_check,
            update=svc.edit_story,
            flexible=False,
        ),
        Column(field="on", kind=Kind.DATE, header=lambda: _tr("Date"), update=svc.edit_story),
    ]


class StoriesModel(ColumnTableModel[Story]):
    """The stories the panel shows (its loader filters and orders them)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, story_columns(), parent=parent)
        self.set_following(False)
