"""The card canvas: cards on a plane that people drag, nudge, select, zoom and export.

One component for every "things on a map" view — the value/effort matrix, the stakeholder
map, the projector workshop.  It knows nothing of backlogs or stakeholders: a view turns its
rows into cards, draws its own backdrop, and turns what the user did into commands.

**Cards from rows.**  A view maps each row to a :class:`CardSpec` — an id, a centre ``x, y``
in *scene units* (the view chooses them: a matrix might use 0…1000 for its axes), a size, a
shape (circle or box), colour *roles* (``"accent"``, ``"success"``, ``"muted"`` … see
:data:`ldpm.ui.canvas.colours.ROLES`; ``"accent/text"`` for another role in high contrast; or
``#rrggbb``), a label, a tooltip and a screen-reader
description — and calls :meth:`CardCanvas.set_cards` with all of them after every reload.
Cards are kept by id, so a reload updates in place and the selection survives::

    canvas = CardCanvas(self)
    canvas.set_plane(QRectF(0, 0, 1000, 700), margin=40)
    canvas.set_cards([CardSpec(id=r.id, x=..., y=..., label=r.title, fill="success")
                      for r in rows])

**The backdrop.**  Quadrants, axes, lanes and titles are ordinary ``QGraphicsItem``s the view
adds with :meth:`CardCanvas.add_backdrop` (below the cards, never selectable; with
``obstacle=True`` no label covers it).  :class:`TextItem` is backdrop text that keeps its size
on screen when zoomed, aligned to its anchor (an axis tick, a quadrant title), and
:class:`LegendItem` a row of colour swatches with their meaning.  Since they keep their size
on screen, a view that stacks them (a legend under the tick labels) redraws its backdrop on
:attr:`CardCanvas.zoom_changed`.  On
:attr:`CardCanvas.appearance_changed` (theme or text size) the view clears and redraws it with
:meth:`CardCanvas.colours`.  :meth:`CardCanvas.set_label_area` keeps labels inside an area
and off the backdrop's titles.

**What a drag gives back.**  Dragging one card, or several after a rubber-band or Ctrl+click
selection, moves them on screen only.  When the mouse is released the canvas emits
:attr:`CardCanvas.cards_moved` once, with a list of :class:`CardMove` (id, old and new
centre); the view turns the list into *one* command (a ``Composite`` for several cards) and
runs it through the operation runner: one drag, one undo step.  While the drag goes on,
:attr:`CardCanvas.cards_dragging` reports the same list for a live read-out.  Afterwards every
card goes where its spec says — the view's reload (which the runner's change record causes)
has given it its new place; a refused move (outside the axes, say) or one that changed
nothing simply snaps back.  Cards the user is still moving are never yanked by a reload.

**The keyboard.**  Arrow keys nudge the selected cards by the step set with
:meth:`CardCanvas.set_nudge_step` (Shift: five steps).  A *burst* of arrow keys is one move:
it ends :attr:`CardCanvas.NUDGE_BURST_MS` after the last arrow key, or at once on any other
key, a shortcut (so Ctrl+Z undoes the burst just made), a click or leaving the canvas — and
then reports one :attr:`CardCanvas.cards_moved`, so a burst is one undo step.  Tab and
Shift+Tab go from card to card (top to bottom, then left to right) and leave the canvas after
the last; Enter (or a double-click) emits :attr:`CardCanvas.card_activated`; Escape clears the
selection; Ctrl+A selects every card; + and − zoom; 0 fits the plane to the window.

**Zoom.**  Ctrl+wheel zooms around the pointer, the plain wheel scrolls.
:meth:`CardCanvas.zoom_in`, :meth:`zoom_out <CardCanvas.zoom_out>`, :meth:`set_zoom
<CardCanvas.set_zoom>` and :meth:`fit_to_view <CardCanvas.fit_to_view>` are there for menu
actions; after a fit the canvas keeps fitting as the window is resized, until zoomed by hand.
Cards grow with the zoom; labels keep their size on screen, so zooming in makes room for
labels that had none.

**Labels.**  Each card's label is laid out by :func:`ldpm.domain.label_layout.layout_labels`
(pure Python, tested on its own): beside the card when there is room, otherwise in the
nearest free spot within three lines of it with a leader line; never over another label, its
own card or an obstacle, and over other cards only when nothing else is free; two side by
side on a row keep a space between them.  Labels of selected cards, then of higher
``priority``, are placed first.  Labels are cut at about
:data:`ldpm.ui.canvas.labels.LABEL_CHARS` characters with "…"; a label with no room at that
length gets a second chance cut shorter at a word (:data:`~ldpm.ui.canvas.labels.SHORT_CHARS`,
for the first :data:`~ldpm.ui.canvas.labels.SHORT_TRIES` such labels).  A label with no room
at all is hidden (its card keeps its tooltip, and a shortened one shows the whole text as its
tooltip); :attr:`CardCanvas.labels_laid_out` says how many, so the view can say "zoom in to
see all labels".

**Colours.**  Roles resolve against the active theme (:mod:`ldpm.ui.canvas.colours`) at
paint time: a theme switch, including the high-contrast projector theme, recolours the cards,
labels (on plates of the base colour) and leader lines; selection rings and outlines use the
theme's focus and line widths.

**Drops from elsewhere.**  A list or board that drags ids with :func:`encode_ids`
(:data:`ID_MIME`) can drop them on the canvas: :attr:`CardCanvas.ids_dropped` gives the ids
and the scene position (e.g. to place an unscored item on the matrix).

**Export.**  :meth:`CardCanvas.export_png` (``scale`` pixels per scene unit, 2 by default)
and :meth:`CardCanvas.export_svg` draw the whole plane — backdrop, cards, labels laid out for
1:1, no selection rings — in the current theme, and write the file atomically
(:func:`ldpm.atomic.atomic_write`); :meth:`CardCanvas.render_image` gives the image itself.
"""

from __future__ import annotations

from ldpm.ui.canvas.backdrop import LegendItem, TextItem
from ldpm.ui.canvas.colours import ROLES, CanvasColours, canvas_colours
from ldpm.ui.canvas.items import (
    CardItem,
    CardSpec,
    LabelItem,
    LeaderItem,
    Shape,
)
from ldpm.ui.canvas.mime import ID_MIME, decode_ids, encode_ids
from ldpm.ui.canvas.moves import CardMove
from ldpm.ui.canvas.view import CardCanvas

__all__ = [
    "ID_MIME",
    "ROLES",
    "CanvasColours",
    "CardCanvas",
    "CardItem",
    "CardMove",
    "CardSpec",
    "LabelItem",
    "LeaderItem",
    "LegendItem",
    "Shape",
    "TextItem",
    "canvas_colours",
    "decode_ids",
    "encode_ids",
]
