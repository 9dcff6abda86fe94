"""Validation errors, and the rules entities follow.

A :class:`ValidationError` carries one plain sentence a user can act on; the UI shows it as is.

Each entity declares its rules as data (``Entity.RULES``: :class:`Name`, :class:`Text`,
:class:`Range` …), so that there is one set of rules with two uses: ``entity.validate()`` runs
them (``validate(fields)`` only those that involve the named fields: an edit checks what it
touches, so a stored value over a limit does not block editing another field), and the
persistence layer reads their parameters to find stored values that break them
(:mod:`ldpm.persistence.content`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

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


# ------------------------------------------------------------------------------------ rules


class Rule:
    """One rule about one or more fields of an entity."""

    __slots__ = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the rule reads; an edit of any of them runs it."""
        raise NotImplementedError

    def check(self, entity: object) -> None:
        """Raise :class:`ValidationError` if ``entity`` breaks the rule."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Name(Rule):
    """Not blank, at most :data:`MAX_NAME` characters."""

    field: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        require_name(self.field, getattr(entity, self.field), self.what)


@dataclass(frozen=True, slots=True)
class Text(Rule):
    """At most :data:`MAX_TEXT` characters."""

    field: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        limit_text(self.field, getattr(entity, self.field), self.what)


@dataclass(frozen=True, slots=True)
class Range(Rule):
    """Empty, or a number from ``low`` to ``high`` (inclusive)."""

    field: str
    low: float
    high: float
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        in_range(self.field, getattr(entity, self.field), self.low, self.high, self.what)


@dataclass(frozen=True, slots=True)
class Positive(Rule):
    """Empty, or a number greater than zero."""

    field: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        positive(self.field, getattr(entity, self.field), self.what)


@dataclass(frozen=True, slots=True)
class NonNegative(Rule):
    """Empty, or a number of at least zero."""

    field: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        non_negative(self.field, getattr(entity, self.field), self.what)


@dataclass(frozen=True, slots=True)
class Finite(Rule):
    """Empty, or a finite number."""

    field: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        finite(self.field, getattr(entity, self.field), self.what)


@dataclass(frozen=True, slots=True)
class OneOf(Rule):
    """Empty, or one of ``values``; ``message`` says which."""

    field: str
    values: tuple[float, ...]
    message: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        value = getattr(entity, self.field)
        if value is not None and value not in self.values:
            raise ValidationError(self.field, self.message)


@dataclass(frozen=True, slots=True)
class Ordered(Rule):
    """A span from ``start`` to ``end`` (dates) does not end before it starts; the error
    names ``end``."""

    start: str
    end: str
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.start, self.end)

    def check(self, entity: object) -> None:
        ordered_dates(self.end, getattr(entity, self.start), getattr(entity, self.end), self.what)


@dataclass(frozen=True, slots=True)
class Short(Rule):
    """At most ``limit`` characters (a short text that may be empty, such as an owner)."""

    field: str
    limit: int
    what: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, entity: object) -> None:
        if len(getattr(entity, self.field)) > self.limit:
            raise ValidationError(
                self.field,
                f"The {self.what} is too long: keep it to {self.limit:,} characters or fewer.",
            )


@dataclass(frozen=True, slots=True)
class Exclusive(Rule):
    """At most one of two fields is set (not ``None``); ``message`` says so, naming
    ``second``."""

    first: str
    second: str
    message: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.first, self.second)

    def check(self, entity: object) -> None:
        if getattr(entity, self.first) is not None and getattr(entity, self.second) is not None:
            raise ValidationError(self.second, self.message)


@dataclass(frozen=True, slots=True)
class Custom(Rule):
    """A rule no other class expresses: ``test(entity)`` raises :class:`ValidationError`.
    It has no SQL form, so a stored file's rows are all confirmed one by one: use it only for
    entities with few rows (the workspace's settings)."""

    reads: tuple[str, ...]
    test: Callable[[Any], None]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.reads

    def check(self, entity: object) -> None:
        self.test(entity)


def check_rules(
    entity: object, rules: Iterable[Rule], fields: Iterable[str] | None = None
) -> None:
    """Run ``rules`` on ``entity`` (only those that read one of ``fields``, if given)."""
    touched = None if fields is None else frozenset(fields)
    for rule in rules:
        if touched is None or not touched.isdisjoint(rule.fields):
            rule.check(entity)
