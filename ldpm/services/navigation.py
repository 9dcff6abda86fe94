"""Where one view can send the user in another: "show this item", "show these items".

A view asks to go somewhere by emitting its ``navigate_requested`` signal with a *target*; the
project page offers the target to every view (:meth:`InitiativeView.navigate`), and the first
that can show it becomes the current tab.  Targets are plain, Qt-free values; areas define
their own (a backlog filter, a coverage cell) next to their services.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldpm.domain.entities import Entity


@dataclass(frozen=True)
class ShowEntity:
    """Show (select, scroll to) one entity, e.g. a backlog item clicked on the matrix."""

    kind: type[Entity]
    id: str
