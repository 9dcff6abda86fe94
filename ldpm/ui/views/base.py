"""The one way to add a view of an initiative.

Every tab beside the portfolio (Overview & intake, Backlog, Matrix, Stakeholders, Metrics …) is
an :class:`InitiativeView`.  A view declares, as class attributes:

``title``
    the tab's label (source text; translated in the ``"views"`` context);
``watches``
    the entity kinds whose changes it shows (e.g. ``frozenset({BacklogItem, Release})``);
``in_workshop``
    whether the projector/workshop mode shows it;

and implements :meth:`reload` (read everything it shows from the services).  It may override
:meth:`apply` to update only what a change record touched, and :meth:`view_actions` to contribute
menu actions while it is the current tab.

**Deferred refresh.**  The base class listens to the operation runner.  A change record that
touches what the view watches is applied at once if the view is visible; if the view is hidden
it only marks the view *stale*, and the view reloads when it is next shown ("refresh if
needed", as Anki does).  So a window with eight views does the work of one per edit.

**Going somewhere else.**  A view asks to show something in another view by emitting
:attr:`InitiativeView.navigate_requested` with a target (:mod:`ldpm.services.navigation`); the
page offers it to each view's :meth:`navigate` and switches to the first that takes it (a view
whose tab was never shown is built for that only if :meth:`may_navigate` says it might).

**Built when first shown.**  The page builds a view when its tab is first shown (or the view
is asked for), so a view starts *stale* and reads everything on its first show; it must not
read its data in ``__init__``.

**Failures reach the view that asked.**  Operations a view starts go through :meth:`run`, which
names the view (or one of its widgets) as the origin; the runner's ``failed`` sentence then
comes back to :meth:`show_failure` of that view only, and to the status bar.

Adding a view is: a service module, a view module with a subclass of this, one line in
:data:`ldpm.ui.views.VIEWS`, and a test file (``tests/ui/test_views.py`` checks every view in the
list builds on an empty project and on the demo, and reloads on "everything changed").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QApplication, QWidget

from ldpm.domain.entities import Entity
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command

if TYPE_CHECKING:
    from ldpm.services.project import Project
    from ldpm.ui.actions import ActionSpec
    from ldpm.ui.operations import OperationRunner


class InitiativeView(QWidget):
    """A view of the chosen initiative; see the module docstring for the contract."""

    #: Ask the page to show a target in whichever view can (:meth:`navigate`).
    navigate_requested = Signal(object)

    #: The tab's label, as source text (translated with :meth:`display_title`).
    title: ClassVar[str] = ""
    #: Entity kinds whose changes this view shows.
    watches: ClassVar[frozenset[type[Entity]]] = frozenset()
    #: The top-level tab it shares with the other views of its area, as source text ("": a
    #: tab of its own; see :mod:`ldpm.ui.view_tabs`).
    area: ClassVar[str] = ""
    #: Shown in the projector/workshop mode.
    in_workshop: ClassVar[bool] = False

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._initiative_id: str | None = None
        #: True when a change arrived while hidden: reload when shown.
        self.stale = True
        #: How many full reloads ran (tests and benchmarks count them).
        self.reloads = 0
        runner.changed.connect(self._on_changed)
        runner.failed.connect(self._on_failed)

    # ------------------------------------------------------------------ identity
    @classmethod
    def display_title(cls) -> str:
        return QCoreApplication.translate("views", cls.title)

    @property
    def project(self) -> Project:
        return self.runner.project

    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        """Show another initiative (None: none chosen).  Reloads now if visible."""
        if initiative_id == self._initiative_id and not self.stale:
            return
        self._initiative_id = initiative_id
        self.stale = True
        if self.isVisible():
            self.refresh()

    # ------------------------------------------------------------ to implement
    def reload(self) -> None:
        """Read everything the view shows from the services."""
        raise NotImplementedError

    def apply(self, record: ChangeRecord) -> None:
        """Bring a visible view up to date after ``record``; by default, a full reload."""
        self.reload()

    def view_actions(self) -> list[ActionSpec]:
        """Actions this view adds to the menus while it is the current tab."""
        return []

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        """The window's actions, by id (for an empty state that offers one of them)."""

    def navigate(self, target: object) -> bool:
        """Show ``target`` (see :mod:`ldpm.services.navigation`) if this view can: select it,
        filter to it …  Returns True if it did (the page then makes this the current tab)."""
        return False

    @classmethod
    def may_navigate(cls, target: object) -> bool:
        """Whether :meth:`navigate` might take ``target``: the page builds a view it has not
        built yet only to offer it such a target.  By default, any view that implements
        :meth:`navigate`; override to be more precise."""
        return cls.navigate is not InitiativeView.navigate

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        """Show a rejected operation's sentence where it happened.  ``origin`` is the widget
        (or model) that asked, a descendant of this view, or this view itself."""

    # ----------------------------------------------------------------- helpers
    def run(self, command: Command | None, origin: QObject | None = None) -> bool:
        """Run ``command`` through the runner on behalf of this view (or ``origin``, one of
        its widgets): a failure comes back to :meth:`show_failure`."""
        return self.runner.run(command, origin=origin or self)

    def watches_record(self, record: ChangeRecord) -> bool:
        return record.everything or any(record.touches(kind) for kind in self.watches)

    def refresh(self) -> None:
        """Reload now (used when shown while stale, and by tests)."""
        self.stale = False
        self.reloads += 1
        self.reload()

    # ------------------------------------------------------------------- events
    def _on_changed(self, record: ChangeRecord) -> None:
        if not self.watches_record(record):
            return
        if not self.isVisible() or self.stale:
            self.stale = True
        elif record.everything:
            self.refresh()
        else:
            self.apply(record)

    def _on_failed(self, sentence: str, origin: object) -> None:
        if isinstance(origin, QObject):
            if self._owns(origin):
                self.show_failure(sentence, origin)
            return
        # Nobody named (an undo or redo that could not be applied): the view the user is in.
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            self.show_failure(sentence, None)

    def _owns(self, origin: QObject) -> bool:
        if origin is self:
            return True
        node: QObject | None = origin
        while node is not None:
            if node is self:
                return True
            node = node.parent()
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()
