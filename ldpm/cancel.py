"""The one "the user cancelled" exception, below every layer.

Slow work anywhere (a sync in :mod:`ldpm.sync`, an import in :mod:`ldpm.services`) stops with
a subclass of :class:`Cancelled` when the user presses Cancel, and whoever runs it (the
operation runner, the command line) treats it as a quiet, expected end — never as an error.
"""

from __future__ import annotations


class Cancelled(Exception):
    """The user cancelled.  What the work wrote was never committed, or is kept whole."""
