"""Validation errors and the small checks entities use.

A :class:`ValidationError` carries one plain sentence a user can act on; the UI shows it as is.
"""

from __future__ import annotations

import math
from datetime import date

MAX_NAME = 200
MAX_TEXT = 20_000


class ValidationError(ValueError):
    """A value the user entered breaks a rule.  ``str(err)`` is a sentence for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def require_name(field: str, value: str, what: str) -> None:
    if not value.strip():
        raise ValidationError(field, f"The {what} needs a name.")
    if len(value) > MAX_NAME:
        raise ValidationError(
            field, f"The {what} name is too long: keep it to {MAX_NAME:,} characters or fewer."
        )


def limit_text(field: str, value: str, what: str) -> None:
    if len(value) > MAX_TEXT:
        raise ValidationError(
            field, f"The {what} is too long: keep it to {MAX_TEXT:,} characters or fewer."
        )


def in_range(field: str, value: float | None, low: float, high: float, what: str) -> None:
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"The {what} must be a number.")
    if not low <= value <= high:
        lo = _fmt(low)
        hi = _fmt(high)
        raise ValidationError(field, f"The {what} must be between {lo} and {hi}.")


def positive(field: str, value: float | None, what: str) -> None:
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"The {what} must be a number.")
    if value <= 0:
        raise ValidationError(field, f"The {what} must be greater than zero.")


def non_negative(field: str, value: float | None, what: str) -> None:
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"The {what} must be a number.")
    if value < 0:
        raise ValidationError(field, f"The {what} cannot be negative.")


def finite(field: str, value: float | None, what: str) -> None:
    if value is not None and isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"The {what} must be a number.")


def ordered_dates(field: str, start: date | None, end: date | None, what: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(field, f"The {what} cannot end before it starts.")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def different_groups(field: str, treated: str, comparison: str) -> None:
    """The comparison group must differ from the group that got the change."""
    if comparison.strip() and comparison.strip() == treated.strip():
        raise ValidationError(
            field,
            "The comparison group must differ from the group that got the change.",
        )
