"""The stakeholder map as a file: a PNG picture or an SVG drawing of the whole map (the
canvas's export: labels at 1:1, no selection ring; nothing private is ever on the map)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from ldpm.ui.canvas import CardCanvas


def _tr(text: str) -> str:
    # The map view's context: these texts were the view's own.
    return QCoreApplication.translate("StakeholderMapView", text)


def ask_where(parent: QWidget, initiative: str, kind: str) -> Path | None:
    """Ask where to save the map of ``initiative`` as ``kind`` ("png" or "svg")."""
    name = f"{initiative or _tr('Stakeholder map')} — {_tr('map')}"
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        _tr("Export Map"),
        f"{name}.{kind}",
        _tr("PNG picture (*.png)") if kind == "png" else _tr("SVG drawing (*.svg)"),
    )
    return Path(path) if path else None


def write(canvas: CardCanvas, path: Path, kind: str, initiative: str) -> str:
    """Write the map to ``path`` as ``kind``; "" when written, else the sentence that says
    why not."""
    try:
        if kind == "png":
            canvas.export_png(path)
        else:
            canvas.export_svg(path, _tr("Stakeholder map — {name}").format(name=initiative))
    except OSError as exc:
        return _tr("The map could not be saved there: {error}").format(error=exc.strerror or exc)
    return ""
