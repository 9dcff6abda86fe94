"""One line of the impact chart, thinned out for the dates in view and re-derived only when a
pan or zoom needs it.

pyqtgraph's own clip-to-view and automatic downsampling re-derive a line's points (and hand
them to its curve, which re-bounds itself) at every change of the view, even a pure pan of a
few pixels.  :class:`SeriesItem` derives them for the dates in view and half a view either
side, with the bins aligned to the data (bin *k* is always points ``k·f … k·f + f − 1``), so
a pan within that margin keeps what is drawn, and a pan beyond it gives the very points a new
chart would.  The factor *f* is pyqtgraph's (the points in view over the pixels times
``autoDownsampleFactor``), so the picture is the same; a zoom that changes it re-derives the
line.

A wide line (the chart's lines are two to eight pixels wide, by theme and text size) drawn
without antialiasing is painted by :class:`OffsetCurve` as one-pixel lines shifted by whole
pixels over a disc as wide as the pen: Qt draws a one-pixel line with its fast cosmetic
stroker, while a wide pen goes through its general stroker, which cost a third of a pan step
for nine lines of a few thousand points.  Exports and antialiased, dashed or translucent lines
are drawn by pyqtgraph as before.  A pan re-bounds the line by its pixel padding only: the
data's bounds are kept until the data changes.
"""

from __future__ import annotations

import bisect
import math
from functools import cache
from typing import Any

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.graphicsItems.PlotDataItem import PlotDataset  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen, QTransform

#: The points derived reach this many view widths beyond each side of the view.
MARGIN = 0.5


def thinned(
    x: np.ndarray, y: np.ndarray, low: float, high: float, factor: int
) -> tuple[np.ndarray, np.ndarray]:
    """The points of ``x``, ``y`` (``x`` increasing) from a bin before ``low`` to a bin after
    ``high``, each bin of ``factor`` points drawn as its highest and lowest value (pyqtgraph's
    "peak" method) at the bin's middle date; bins start at multiples of ``factor``."""
    first = max(0, bisect.bisect_left(x, low) - factor)
    first -= first % factor
    last = bisect.bisect_left(x, high) + factor
    last = min(len(x), last + (-last) % factor)  # whole bins (but the data's last)
    x, y = x[first:last], y[first:last]
    if factor <= 1:
        return x, y
    n = len(x) // factor
    if n * factor < len(x):  # the last, partial bin: drawn like the others
        n += 1
        pad = n * factor - len(x)
        y = np.concatenate((y, np.repeat(y[-1:], pad)))
        x = np.concatenate((x, np.repeat(x[-1:], pad)))
    bins = y[: n * factor].reshape(n, factor)
    middle = factor // 2
    xs = np.repeat(x[middle : n * factor : factor], 2)
    ys = np.empty((n, 2))
    ys[:, 0] = bins.max(axis=1)
    ys[:, 1] = bins.min(axis=1)
    return xs, ys.reshape(n * 2)


@cache
def offsets(width: int) -> tuple[tuple[int, int], ...]:
    """The whole-pixel shifts that make a one-pixel line ``width`` pixels wide: the pixels of
    a ``width`` × ``width`` square within its inscribed disc (so a diagonal is not drawn
    thicker than a level line), around the origin."""
    centre = (width - 1) / 2
    reach = (width / 2) ** 2 + 1e-9
    return tuple(
        (a - width // 2, b - width // 2)
        for a in range(width)
        for b in range(width)
        if (a - centre) ** 2 + (b - centre) ** 2 <= reach
    )


class OffsetCurve(pg.PlotCurveItem):  # type: ignore[misc]
    """A ``PlotCurveItem`` that paints a wide, solid, opaque line without antialiasing as
    one-pixel lines shifted over :func:`offsets` (see the module docstring); anything else —
    an export, antialiasing, dashes, translucency, a fill — is painted by pyqtgraph."""

    def offset_width(self) -> int:
        """The line's width in whole pixels when it is painted by offsets, else 0."""
        opts = self.opts
        pen = opts["pen"]
        if (
            self._exportOpts is not False
            or opts["antialias"]
            or opts["shadowPen"] is not None
            or opts["fillLevel"] is not None
            or opts["stepMode"]
            or opts["compositionMode"] is not None
            or not isinstance(pen, QPen)
            or not pen.isCosmetic()
            or pen.style() != Qt.PenStyle.SolidLine
            or not pen.isSolid()
            or pen.color().alpha() != 255
        ):
            return 0
        width = round(pen.widthF())
        return width if width > 1 else 0

    def paint(self, p: QPainter, opt: Any, widget: Any) -> None:
        width = self.offset_width()
        if width == 0 or self.xData is None or len(self.xData) < 2:
            super().paint(p, opt, widget)
            return
        # A cosmetic pen's width is in device pixels, so are the shifts (a device pixel is
        # 1 / ratio of the painter's coordinates on a high-density screen).
        device = p.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        ratio = ratio if ratio > 0 else 1.0
        thin = QPen(self.opts["pen"])
        thin.setWidthF(0.0)  # one device pixel at any ratio (a width of 1 is scaled by it)
        segments = self._getLineSegments()
        base = p.worldTransform()
        p.save()
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(thin)
            for dx, dy in offsets(width):
                p.setWorldTransform(base * QTransform.fromTranslate(dx / ratio, dy / ratio))
                p.drawLines(*segments)
        finally:
            p.restore()

    def viewTransformChanged(self) -> None:
        """A pan or zoom changes the pixel padding around the line, not its data: keep the
        data's bounds (pyqtgraph forgets them and takes the minimum and maximum of every
        point of every line again at each step).  New data still forgets them."""
        self._boundingRect = None
        self.prepareGeometryChange()

    def pixelPadding(self) -> float:
        """Half the line's width and a pixel (the shifts of an even width reach one pixel
        further on one side), at least what pyqtgraph reserves for the pen."""
        pad: float = super().pixelPadding()
        width = self.offset_width()
        return max(pad, math.ceil(width / 2) + 1.0) if width else pad


class SeriesItem(pg.PlotDataItem):  # type: ignore[misc]
    """A ``PlotDataItem`` whose points are thinned as the module docstring says (the data set
    itself, ``getData()`` and ``xData``, stays whole) and whose line is an
    :class:`OffsetCurve`."""

    #: pyqtgraph's points as drawn (``None`` until derived).
    _datasetDisplay: Any
    #: The line (pyqtgraph's own curve is replaced as the item is made).
    curve: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        stock = self.curve
        stock.sigClicked.disconnect(self.sigClicked)
        stock.setParentItem(None)
        self.curve = OffsetCurve()
        self.curve.setParentItem(self)
        self.curve.sigClicked.connect(self.sigClicked)
        self.opts["autoDownsampleFactor"] = 0.25
        #: The dates the points derived reach (at least) and their factor.
        self._window: tuple[float, float, int] | None = None
        if args or kwargs:
            self.setData(*args, **kwargs)

    def _factor(self, low: float, high: float) -> int:
        """pyqtgraph's automatic downsampling factor for the dates ``low`` … ``high``."""
        x = self._dataset.x
        view = self.getViewBox()
        if view is None or len(x) < 2:
            return 1
        width = float(view.width())
        dx = float(x[-1] - x[0]) / (len(x) - 1)
        if width <= 0 or dx <= 0:
            return 1
        wanted = (high - low) / dx / (width * self.opts["autoDownsampleFactor"])
        return max(1, int(wanted)) if np.isfinite(wanted) else 1

    def _ours(self) -> bool:
        """Clip-to-view and automatic peak downsampling are on (else pyqtgraph's way)."""
        opts = self.opts
        return bool(
            opts["clipToView"] and opts["autoDownsample"] and opts["downsampleMethod"] == "peak"
        )

    def _covered(self) -> bool:
        view = self.getViewBox()
        if not self._ours() or view is None:
            return False
        if self._datasetDisplay is None or self._window is None:
            return False
        low, high = view.viewRange()[0]
        first, last, factor = self._window
        return first <= low and high <= last and factor == self._factor(low, high)

    def _getDisplayDataset(self) -> Any:
        view = self.getViewBox()
        if not self._ours() or self._dataset is None or view is None or len(self._dataset.x) < 2:
            self._window = None
            return super()._getDisplayDataset()
        if self._covered():
            return self._datasetDisplay
        low, high = view.viewRange()[0]
        factor = self._factor(low, high)
        margin = (high - low) * MARGIN
        x, y = thinned(self._dataset.x, self._dataset.y, low - margin, high + margin, factor)
        self._window = (low - margin, high + margin, factor)
        self._datasetDisplay = PlotDataset(
            x, y, self._dataset.xAllFinite, self._dataset.yAllFinite
        )
        return self._datasetDisplay

    def viewRangeChanged(
        self, vb: object = None, ranges: object = None, changed: object = None
    ) -> None:
        """Re-derive the points only when the view left them or the factor changed."""
        if not self._ours():
            super().viewRangeChanged(vb, ranges, changed)
            return
        if self._covered():
            return
        self._datasetDisplay = None
        self.updateItems(styleUpdate=False)
