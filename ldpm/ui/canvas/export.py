"""Drawing the canvas's plane into a PNG or an SVG file (see :meth:`CardCanvas.export_png`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator

from ldpm.atomic import atomic_write

if TYPE_CHECKING:
    from ldpm.ui.canvas.view import CardCanvas


def render_image(canvas: CardCanvas, scale: float = 2.0) -> QImage:
    """The whole plane of ``canvas`` as an image, ``scale`` pixels per scene unit."""
    with canvas.for_export() as rect:
        image = QImage(
            math.ceil(rect.width() * scale),
            math.ceil(rect.height() * scale),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(scale)
        image.fill(canvas.colours().role("base"))
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        canvas.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
    return image


def export_png(canvas: CardCanvas, path: Path, scale: float = 2.0) -> None:
    """Write the plane to ``path`` as a PNG, atomically.  Raises OSError."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(render_image(canvas, scale)):
        raise OSError(f"could not encode {path.name} as PNG: {writer.errorString()}")
    atomic_write(path, bytes(buffer.data().data()))


def export_svg(canvas: CardCanvas, path: Path, title: str = "") -> None:
    """Write the plane to ``path`` as SVG (vector shapes and real text), atomically."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with canvas.for_export() as rect:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        target = QRectF(0, 0, rect.width(), rect.height())
        painter.fillRect(target, canvas.colours().role("base"))
        canvas.scene().render(painter, target, rect)
        painter.end()
    atomic_write(path, bytes(buffer.data().data()))
