"""Releases and experiments on one impact panel, drawn by one item.

A panel used to carry an ``InfiniteLine`` (with an ``InfLineLabel`` in the top panel) per
marker and a ``LinearRegionItem`` per experiment period: each of them worked out its bounds
again and was repainted on its own at every pan.  :class:`MarkerItem` draws them all in one
``paint``: the periods shaded, the lines (solid for a release, dashed for an experiment) and,
in the labelled panel, each name written along its line near the top, ending just left of it
on a translucent fill.

The item is a child of the panel's ``ViewBox`` (not of its data group), so it paints in the
view box's pixels: its bounds are the view box's rectangle, which a pan does not change; a
pan only asks for a repaint, and ``paint`` places each date with the view's transform.  It
lies above the view box's background and below everything in the data group (bands,
curves), as the lines did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from ldpm.ui.impact_data import Marker

#: Where a label ends along its line, as a share of the panel's height from the bottom.
LABEL_AT = 0.96


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    """Pens and colours of the markers in one look."""

    release: QPen
    experiment: QPen
    period: QBrush
    fill: QColor
    font: QFont


@dataclass(frozen=True, slots=True)
class Drawn:
    """One marker as drawn: its kind, date, shaded period, pen and label (tests read it)."""

    kind: str
    x: float
    end_x: float | None
    colour: str
    style: Qt.PenStyle
    label: str | None


class MarkerItem(pg.GraphicsObject):  # type: ignore[misc]
    """Every release and experiment of one panel (see the module docstring)."""

    def __init__(self, view: pg.ViewBox, *, labelled: bool) -> None:
        super().__init__()
        self.view = view
        self.labelled = labelled
        self.markers: tuple[Marker, ...] = ()
        #: The label of each marker as shown (elided to the panel's height).
        self.labels: tuple[str, ...] = ()
        self.style: MarkerStyle | None = None
        self.setParentItem(view)
        self.setZValue(-5)  # above the view box's background, below its data group
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)
        view.sigTransformChanged.connect(self._moved)
        self._rect = QRectF(view.rect())

    def set_markers(
        self, markers: Sequence[Marker], labels: Sequence[str], style: MarkerStyle
    ) -> None:
        self.markers = tuple(markers)
        self.labels = tuple(labels) if self.labelled else ()
        self.style = style
        self.setVisible(bool(self.markers))
        self.update()

    def set_labels(self, labels: Sequence[str]) -> None:
        if self.labelled and tuple(labels) != self.labels:
            self.labels = tuple(labels)
            self.update()

    def drawn(self) -> list[Drawn]:
        """What :meth:`paint` draws, marker by marker."""
        if self.style is None or not self.isVisible():
            return []
        shown = []
        for i, marker in enumerate(self.markers):
            pen = self._pen(marker)
            label = self.labels[i] if i < len(self.labels) else None
            end = marker.end_x if marker.kind == "experiment" else None
            shown.append(Drawn(marker.kind, marker.x, end, pen.color().name(), pen.style(), label))
        return shown

    def _pen(self, marker: Marker) -> QPen:
        assert self.style is not None
        return self.style.experiment if marker.kind == "experiment" else self.style.release

    def _moved(self, *_args: object) -> None:
        rect = QRectF(self.view.rect())
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        if self.isVisible():
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem | None = None,
        widget: QWidget | None = None,
    ) -> None:
        style = self.style
        if style is None or not self.markers:
            return
        rect = self._rect
        transform = self.view.childTransform()
        top, bottom = rect.top(), rect.bottom()

        def at(x: float) -> float:
            return float(transform.map(QPointF(x, 0.0)).x())

        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for marker in self.markers:  # the periods first, under the lines
                if marker.kind == "experiment" and marker.end_x is not None:
                    left, right = sorted((at(marker.x), at(marker.end_x)))
                    shaded = QRectF(left, top, right - left, bottom - top).intersected(rect)
                    if not shaded.isEmpty():
                        painter.fillRect(shaded, style.period)
            lines: dict[int, tuple[QPen, list[QLineF]]] = {}
            for marker in self.markers:
                x = at(marker.x)
                if rect.left() - 1 <= x <= rect.right() + 1:
                    pen = self._pen(marker)
                    lines.setdefault(id(pen), (pen, []))[1].append(QLineF(x, top, x, bottom))
            for pen, segments in lines.values():
                painter.setPen(pen)
                painter.drawLines(segments)
            if self.labels:
                self._paint_labels(painter, at)
        finally:
            painter.restore()

    def _paint_labels(self, painter: QPainter, at: Callable[[float], float]) -> None:
        style = self.style
        assert style is not None
        rect = self._rect
        painter.setFont(style.font)
        metrics = QFontMetricsF(style.font)
        # The label's end along the line (measured from the bottom, as InfLineLabel did).
        end_y = rect.bottom() - (rect.height() * LABEL_AT)
        for marker, text in zip(self.markers, self.labels, strict=False):
            if not text:
                continue
            x = at(marker.x)
            width = metrics.horizontalAdvance(text)
            height = metrics.height()
            if x < rect.left() - 1 or x - height > rect.right():
                continue
            painter.save()
            # Reading upwards along the line, left of it, ending near the top.
            painter.translate(x, end_y)
            painter.rotate(-90)
            box = QRectF(-width - 3, -height - 3, width, height)  # a little apart from it
            painter.fillRect(box, style.fill)
            painter.setPen(self._pen(marker).color())
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
            painter.restore()
