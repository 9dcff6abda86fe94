"""SVG export of a pyqtgraph scene that works with the Qt this application ships with.

pyqtgraph's ``SVGExporter`` renders the scene with Qt's SVG generator and then rewrites every
path's coordinates, reading each token of a ``d`` attribute as ``x,y``.  Qt 6 closes subpaths
with a bare ``Z`` token (``"M0,0 L10,0 L10,10 Z"``), which pyqtgraph 0.14.0 cannot read: every
SVG export fails with "not enough values to unpack" (pyqtgraph issue #3485, fixed after
0.14.0).  :func:`svg_exporter` makes the exporter's coordinate pass skip the ``Z`` tokens and
puts them back in their places afterwards; with a pyqtgraph that handles them already it
changes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache, wraps
from typing import Any
from xml.dom import minidom

import pyqtgraph as pg  # type: ignore[import-untyped]
import pyqtgraph.exporters  # type: ignore[import-untyped]

_MODULE = "pyqtgraph.exporters.SVGExporter"


def _strip_closes(node: minidom.Element) -> list[tuple[minidom.Element, list[int]]]:
    """Take the ``Z`` tokens out of every path below ``node``; returns where they were."""
    taken = []
    for path in node.getElementsByTagName("path"):
        tokens = path.getAttribute("d").split()
        closes = [i for i, t in enumerate(tokens) if t in ("Z", "z")]
        if closes:
            path.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
            taken.append((path, closes))
    return taken


def _restore_closes(taken: list[tuple[minidom.Element, list[int]]]) -> None:
    for path, closes in taken:
        tokens = path.getAttribute("d").split()
        for i in closes:  # ascending: each insert puts a token back at its old index
            tokens.insert(min(i, len(tokens)), "Z")
        path.setAttribute("d", " ".join(tokens))


def _tolerant(correct: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(correct)
    def wrapper(node: minidom.Element, *args: Any, **kwargs: Any) -> Any:
        taken = _strip_closes(node)
        try:
            return correct(node, *args, **kwargs)
        finally:
            _restore_closes(taken)

    wrapper.__ldpm_tolerant__ = True  # type: ignore[attr-defined]
    return wrapper


@cache
def _install() -> None:
    module = sys.modules[_MODULE]
    current = getattr(module, "correctCoordinates")  # noqa: B009
    if not getattr(current, "__ldpm_tolerant__", False):
        setattr(module, "correctCoordinates", _tolerant(current))  # noqa: B010


def svg_exporter(item: Any) -> Any:
    """pyqtgraph's SVG exporter for ``item`` (a scene item, e.g. a layout's ``ci``), able to
    read what Qt 6 writes.  Always call its ``export`` with a file name."""
    _install()
    return pg.exporters.SVGExporter(item)
