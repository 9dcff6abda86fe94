"""Stories beside the numbers they explain: success and non-success cases and quotes, filtered to
the most or least successful cases, or to the metric on screen; the chosen story's form.

Kept in the metrics view, next to the chart and the before/after numbers, rather than in a
view of its own: a story is evidence for a number, and the two are read (and shown to a
sponsor) together.  The experiments view lists the stories of the chosen experiment too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Experiment, Metric, Release, Story
from ldpm.domain.stories import StoryFilter
from ldpm.services import stories as svc
from ldpm.services.commands import Command
from ldpm.ui.forms import FormBinder, RunFn
from ldpm.ui.models.stories import KIND, TITLE, WHO, StoriesModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.form_page import EmptyState, FormPage
from ldpm.ui.widgets import EllipsisCombo, guard_wheel, set_role


def _tr(text: str) -> str:
    return QCoreApplication.translate("StoriesPanel", text)


def _filters() -> list[tuple[StoryFilter, str]]:
    return [
        (StoryFilter.ALL, _tr("All stories")),
        (StoryFilter.MOST, _tr("Most successful")),
        (StoryFilter.LEAST, _tr("Least successful")),
    ]


#: The story fields that link it to something, and what they link to.
LINKS = ("metric_id", "experiment_id", "release_id")


class StoriesPanel(QWidget):
    """The stories of one initiative (see the module docstring)."""

    def __init__(self, runner: OperationRunner, run: RunFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._run = run
        self.initiative_id: str | None = None
        self.for_metric: Metric | None = None
        self.story: Story | None = None
        self.model = StoriesModel(runner, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_tr("Stories"), self)
        set_role(heading, "h2")
        layout.addWidget(heading)
        filters = QVBoxLayout()  # stacked: the pane stays narrow in large text
        self.filter = EllipsisCombo(self)
        self.filter.setAccessibleName(_tr("Which stories"))
        for key, text in _filters():
            self.filter.addItem(text, key.value)
        guard_wheel(self.filter)
        self.only_metric = QCheckBox(self)
        self.only_metric.setChecked(True)
        filters.addWidget(self.filter)
        filters.addWidget(self.only_metric)
        layout.addLayout(filters)
        self.filter.currentIndexChanged.connect(self.reload)
        self.only_metric.toggled.connect(self.reload)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = DataTableView(self.splitter)
        self.table.setObjectName("stories")
        self.table.setAccessibleName(_tr("Stories"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().currentRowChanged.connect(self._current)
        # The date is in the story's form below; the list keeps to what tells stories apart,
        # so it fits a narrow pane without scrolling sideways.
        self.table.setColumnHidden(self.model.columnCount() - 1, True)
        self._narrow: bool | None = None
        self.model.modelReset.connect(self._after_reset)
        self.splitter.addWidget(self.table)
        self.detail = QScrollArea(self.splitter)
        self.detail.setWidgetResizable(True)
        # The form scrolls (and narrows) inside; this area only gives it the pane's width.
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.detail.setWidget(holder)
        self.binder = FormBinder(self, edit=self._edit, run=run, current=lambda: self.story)
        self.editors = self.binder.editors
        self.empty = EmptyState(
            _tr("No story chosen"),
            _tr(
                "Add the stories behind the numbers: who, what changed, in their own words. "
                "Rate each case so the most and least successful ones can be found."
            ),
        )
        self.form = FormPage(self.empty, holder)
        QVBoxLayout(holder).addWidget(self.form)
        self._build_form()
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout.addWidget(self.splitter, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(_tr("New Story"), self)
        self.add_button.setAccessibleName(_tr("New story"))
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton(_tr("Delete Story"), self)
        self.delete_button.setAccessibleName(_tr("Delete the chosen story"))
        self.delete_button.setToolTip(_tr("Delete the chosen story. Undo brings it back."))
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._choices: dict[str, list[tuple[str | None, str]]] = {k: [] for k in LINKS}
        self._update()

    #: Narrower than this many average characters, the list shows only each story and its
    #: rating (its kind and who are in the form below): a pane beside the chart in large text.
    NARROW_CHARS = 44

    def narrow(self) -> bool:
        return self.width() < self.fontMetrics().averageCharWidth() * self.NARROW_CHARS

    def _fit_columns(self) -> None:
        narrow = self.narrow()
        if narrow != self._narrow:
            self._narrow = narrow
            for column in (KIND, WHO):
                self.table.setColumnHidden(column, narrow)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()

    # ---------------------------------------------------------------- building
    def _build_form(self) -> None:
        form, binder = self.form, self.binder
        box, layout = form.section(_tr("The story"))
        who = binder.line_field("who", _tr("Whom it is about"))
        layout.addWidget(form.labelled(_tr("Who"), who, box))
        text = binder.text_field("text", _tr("What happened, and what changed"))
        layout.addWidget(form.labelled(_tr("What changed"), text, box))
        layout.addWidget(
            form.labelled(_tr("Quote"), binder.text_field("quote", _tr("In their own words")), box)
        )
        layout.addWidget(
            form.grid(
                box,
                [[form.labelled(_tr("Told by"), binder.line_field("source"), box),
                  form.labelled(_tr("Date"), binder.date_field("on"), box)]],
            )
        )  # fmt: skip
        self.link_combos: dict[str, QComboBox] = {}
        cells = []
        for field, caption in (
            ("metric_id", _tr("Explains the metric")),
            ("experiment_id", _tr("From the experiment")),
            ("release_id", _tr("After the release")),
        ):
            combo = EllipsisCombo(box)
            combo.setObjectName(field)
            guard_wheel(combo)
            combo.activated.connect(lambda _i, f=field: self._commit_link(f))
            self.link_combos[field] = combo
            cells.append([form.labelled(caption, combo, box)])
        layout.addWidget(form.grid(box, cells))
        form.claim(["who", "text", "quote", "source", "on", *LINKS], box)
        form.finish()

    # ----------------------------------------------------------------- showing
    def which(self) -> StoryFilter:
        return StoryFilter(self.filter.currentData())

    def show_for(
        self,
        initiative_id: str | None,
        metric: Metric | None,
        metrics: Sequence[Metric],
        experiments: Sequence[Experiment],
        releases: Sequence[Release],
    ) -> None:
        self.initiative_id, self.for_metric = initiative_id, metric
        none = (None, "—")
        self._choices = {
            "metric_id": [none, *((m.id, m.name) for m in metrics)],
            "experiment_id": [none, *((e.id, e.title) for e in experiments)],
            "release_id": [none, *((r.id, r.name) for r in releases)],
        }
        for field, combo in self.link_combos.items():
            items = self._choices[field]
            if [combo.itemData(i) for i in range(combo.count())] != [i for i, _t in items] or [
                combo.itemText(i) for i in range(combo.count())
            ] != [t for _i, t in items]:
                blocked = combo.blockSignals(True)
                try:
                    combo.clear()
                    for key, text in items:
                        combo.addItem(text, key)
                finally:
                    combo.blockSignals(blocked)
        name = metric.name if metric is not None else ""
        self.only_metric.setText(_tr("Only this metric"))
        self.only_metric.setToolTip(_tr("Only the stories about “{name}”").format(name=name))
        self.only_metric.setAccessibleName(
            _tr("Only the stories about “{name}”").format(name=name)
        )
        self.only_metric.setEnabled(metric is not None)
        self.reload()

    def reload(self, *_args: object) -> None:
        if self.initiative_id is None:
            self.model.set_loader(None)
            self._current(QModelIndex())
            return
        project, initiative, which = self.runner.project, self.initiative_id, self.which()
        metric_id = (
            self.for_metric.id
            if self.for_metric is not None and self.only_metric.isChecked()
            else None
        )
        self.model.set_loader(
            lambda: svc.list_stories(project, initiative, which, metric_id=metric_id)
        )
        self._after_reset()

    def refresh(self) -> None:
        """Re-read the stories after a change (keeps the selection)."""
        self.model.reload()
        self._show_story()

    def _after_reset(self) -> None:
        current = self.table.currentIndex()
        if not current.isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, TITLE))
        else:
            self._current(current)

    def _current(self, index: QModelIndex, *_args: object) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.story = row
        self._show_story()

    def _show_story(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.story = self.model.row_at(index.row())
        story = self.story
        if story is None:
            self._say_empty()
        self.form.show_form(story is not None)
        if story is not None:
            self.binder.show(None)
            for field, combo in self.link_combos.items():
                position = combo.findData(getattr(story, field))
                blocked = combo.blockSignals(True)
                try:
                    combo.setCurrentIndex(max(0, position))
                finally:
                    combo.blockSignals(blocked)
        self._update()

    def _say_empty(self) -> None:
        """What the empty form says: why there is no story, and what to do."""
        filtered = self.for_metric is not None and self.only_metric.isChecked()
        if self.model.rowCount():
            title, hint = _tr("No story chosen"), _tr("Choose a story in the list to read it.")
        elif filtered:
            assert self.for_metric is not None
            title = _tr("No stories about “{name}” yet").format(name=self.for_metric.name)
            hint = _tr(
                "Untick “Only for …” to see every story, or add one: who, what changed, in "
                "their own words."
            )
        elif self.which() is not StoryFilter.ALL:
            title = _tr("No such cases yet")
            hint = _tr("Rate the stories (1–5) so the most and least successful can be found.")
        else:
            title = _tr("No stories yet")
            hint = _tr(
                "Add the stories behind the numbers: who, what changed, in their own words. "
                "Rate each case so the most and least successful ones can be found."
            )
        self.empty.title.setText(title)
        self.empty.hint.setText(hint)

    def _update(self) -> None:
        self.add_button.setEnabled(self.initiative_id is not None)
        self.delete_button.setEnabled(self.story is not None)

    # ------------------------------------------------------------------ edits
    def _edit(self, field: str, value: Any, typing: bool) -> Command | None:
        if self.story is None:
            return None
        return svc.edit_story(self.story.id, {field: value}, typing=typing)

    def _commit_link(self, field: str) -> None:
        combo = self.link_combos[field]
        if self.story is None:
            return
        value = combo.currentData()
        if value != getattr(self.story, field):
            self._run(svc.edit_story(self.story.id, {field: value}), combo)

    def add(self) -> None:
        if self.initiative_id is None:
            return
        links: dict[str, Any] = {}
        if self.for_metric is not None:
            links["metric_id"] = self.for_metric.id
        command = svc.add_story(self.initiative_id, _tr("New story"), **links)
        if self._run(command, self.table):
            row = self.model.row_of(command.entity.id)
            if row >= 0:
                index = self.model.index(row, TITLE)
                self.table.setCurrentIndex(index)
                self.table.edit(index)

    def delete(self) -> None:
        if self.story is not None:
            self._run(svc.delete_story(self.runner.project, self.story.id), self.table)

    def show_failure(self, sentence: str, origin: QObject | None) -> bool:
        line = self.form.message_for_origin(origin, lambda o: "who" if o is self.model else None)
        if line is None:
            return False
        self.form.show_message(line, sentence)
        return True
