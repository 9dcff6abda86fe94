"""Ids dragged between LDPM's widgets: from a list onto a canvas, from one board lane to
another.  The payload is the ids, one per line, under :data:`ID_MIME`."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QMimeData

#: The MIME type of a list of ids dragged between LDPM's widgets (one id per line).
ID_MIME = "application/x-ldpm-ids"


def encode_ids(ids: Iterable[str]) -> QMimeData:
    """Mime data carrying ``ids`` (for a drag from a list onto a canvas or a board)."""
    mime = QMimeData()
    mime.setData(ID_MIME, QByteArray("\n".join(ids).encode("ascii")))
    return mime


def decode_ids(mime: QMimeData) -> list[str]:
    """The ids in ``mime`` ([] if it carries none)."""
    if not mime.hasFormat(ID_MIME):
        return []
    raw = bytes(mime.data(ID_MIME).data()).decode("ascii", "replace")
    return [line for line in raw.splitlines() if line]
