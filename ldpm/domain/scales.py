"""Scoring scales and weights as a workspace stores them, and the rules they follow.

A workspace keeps its RICE impact steps and confidence steps as text — numbers in the plain
form (``0.5``, not ``0,5``) separated by semicolons: ``"3; 2; 1; 0.5; 0.25"``.  Confidence
steps are percentages (``"100; 80; 50"``), while an item stores its confidence as a fraction
(0.8).  The UI turns what a user types in their locale into this form before it is stored.

Every rule here raises :class:`~ldpm.domain.validation.ValidationError` with one plain sentence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ldpm.domain.validation import ValidationError

#: The standard RICE impact steps: massive, high, medium, low, minimal.
DEFAULT_IMPACT_SCALE = "3; 2; 1; 0.5; 0.25"
#: The standard RICE confidence steps, in percent: high, medium, low.
DEFAULT_CONFIDENCE_SCALE = "100; 80; 50"
#: A scale has at most this many steps (a choice a person can make at a glance).
MAX_STEPS = 10
#: Two numbers closer than this are the same step (0.8 × 100 is not always exactly 80).
_SAME = 1e-9


def parse_scale(text: str) -> tuple[float, ...]:
    """The steps of a stored scale, largest first.  Raises ValueError for text that is not a
    list of numbers separated by semicolons."""
    parts = [p.strip() for p in text.split(";")]
    values = [float(p) for p in parts if p]
    if not values or any(not math.isfinite(v) for v in values):
        raise ValueError(text)
    return tuple(sorted(set(values), reverse=True))


def format_scale(steps: Sequence[float]) -> str:
    """Steps in the stored form, largest first: ``(0.25, 3, 1)`` → ``"3; 1; 0.25"``."""
    return "; ".join(_plain(v) for v in sorted(set(steps), reverse=True))


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def on_scale(value: float, steps: Sequence[float]) -> bool:
    """Is ``value`` one of ``steps`` (allowing for floating-point noise)?"""
    return any(abs(value - step) < _SAME * max(1.0, abs(step)) for step in steps)


def listed(steps: Sequence[float], suffix: str = "") -> str:
    """``(3, 2, 1)`` → ``"3, 2 or 1"`` (for sentences)."""
    words = [_plain(s) + suffix for s in steps]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_impact_scale(field: str, text: str) -> None:
    steps = _steps(field, text, "impact scale", "3; 2; 1; 0.5; 0.25")
    if any(s <= 0 for s in steps):
        raise ValidationError(field, "Every impact step must be greater than zero.")


def check_confidence_scale(field: str, text: str) -> None:
    steps = _steps(field, text, "confidence scale", "100; 80; 50")
    if any(not 0 < s <= 100 for s in steps):
        raise ValidationError(
            field, "Every confidence step must be a percentage above 0 and at most 100."
        )


def _steps(field: str, text: str, what: str, example: str) -> tuple[float, ...]:
    try:
        steps = parse_scale(text)
    except ValueError:
        raise ValidationError(
            field,
            f"The {what} must list numbers separated by semicolons, for example {example}.",
        ) from None
    if len(steps) > MAX_STEPS:
        raise ValidationError(field, f"The {what} can have at most {MAX_STEPS} steps.")
    return steps


def check_weights(fields: Sequence[str], weights: Sequence[float]) -> None:
    """WSJF weights: each a number of zero or more, and not all zero."""
    for field, weight in zip(fields, weights, strict=True):
        if not math.isfinite(weight):
            raise ValidationError(field, "A WSJF weight must be a number.")
        if weight < 0:
            raise ValidationError(field, "A WSJF weight cannot be negative.")
    if all(weight == 0 for weight in weights):
        raise ValidationError(
            fields[0],
            "Every WSJF weight is zero, so no item could be scored: give at least one factor "
            "a weight above zero.",
        )
