"""The backlog table's columns, declared once (see :mod:`ldpm.ui.models.columns`).

Every column has a stable key (:data:`KEYS`, what the column chooser remembers), a header, a
tooltip, an editor where it can be edited (choices as combo boxes — an initiative's releases
and what an item can move included —, numbers checked as they are typed) and a sort key.
Scores are computed columns: they show "needs scoring" (never 0) when an input is missing and
say in their tooltip how the number came about.  Factor columns show the workspace's rubric
in their header tooltip and their cells' tooltips, so the meaning of a score is where it is
given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import (
    ItemKind,
    ItemStatus,
    LearningMode,
    MomentOfNeed,
    MoSCoW,
    ScoringMethod,
    Sourcing,
)
from ldpm.domain.scales import listed
from ldpm.domain.scoring import Factor, missing_inputs, moscow_order
from ldpm.services import backlog as svc
from ldpm.services.commands import Command
from ldpm.ui.labels import choices, label
from ldpm.ui.models.columns import Column, Kind
from ldpm.ui.widgets import format_number

if TYPE_CHECKING:
    from ldpm.ui.models.backlog import BacklogModel, BacklogRow

#: Every column's key, in the default order.
KEYS = (
    "position",
    "title",
    "kind",
    "mode",
    "moment",
    "sourcing",
    "status",
    "release",
    "effort",
    "reach",
    "impact",
    "confidence",
    "rice",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
    "wsjf",
    "value",
    "value_effort",
    "moscow",
    "smes",
    "moves",
)
#: The order the columns are shown in until the user moves them: the scores beside the title
#: (a projector's large text pushes the last columns out of sight first).
DEFAULT_ORDER = (
    "position",
    "title",
    "rice",
    "wsjf",
    "value_effort",
    "moscow",
    "status",
    "release",
    "sourcing",
    "kind",
    "mode",
    "moment",
    "effort",
    "reach",
    "impact",
    "confidence",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
    "value",
    "smes",
    "moves",
)
#: Columns hidden until the user shows them: the inputs are scored in the detail panel, which
#: also shows the SMEs, what an item moves and every score; the score that ranks the backlog
#: is shown when its method is chosen.
DEFAULT_HIDDEN = frozenset(
    {
        "mode",
        "moment",
        "effort",
        "reach",
        "impact",
        "confidence",
        "business_value",
        "time_criticality",
        "risk_reduction",
        "job_size",
        "value",
        "wsjf",
        "value_effort",
        "moscow",
        "smes",
        "moves",
    }
)
#: The score column of each method.
SCORE_KEYS = {
    ScoringMethod.RICE: "rice",
    ScoringMethod.WSJF: "wsjf",
    ScoringMethod.VALUE_EFFORT: "value_effort",
    ScoringMethod.MOSCOW: "moscow",
}
POSITION = KEYS.index("position")
TITLE = KEYS.index("title")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BacklogModel", text)


def _domain(text: str) -> str:
    """A sentence from the (Qt-free) domain layer."""
    return QCoreApplication.translate("domain", text)


_ITALIC: dict[str, QFont] = {}


def _italic() -> QFont:
    """The application font in italics, one kept object per font (see ``tabular_font``)."""
    base = QApplication.font()
    font = _ITALIC.get(base.key())
    if font is None:
        font = _ITALIC[base.key()] = QFont(base)
        font.setItalic(True)
    return font


def number_marks(locale: QLocale | None = None) -> tuple[str, str]:
    """The locale's decimal point and digit-group separator (``(".", ",")`` in English)."""
    locale = locale or QLocale()
    return locale.decimalPoint(), locale.groupSeparator()


def format_score(value: float | None, marks: tuple[str, str] | None = None) -> str:
    """A score as people read it: three significant figures at most (``48``, ``43.2``,
    ``1.44``, ``12,345``) in the user's locale; "needs scoring" when it cannot be computed
    (never 0).  Pass the :func:`number_marks` once when formatting many."""
    if value is None:
        return _tr("needs scoring")
    size = abs(value)
    decimals = 0 if size >= 100 else 1 if size >= 10 else 2
    text = f"{value:,.{decimals}f}"  # plain Python: far quicker than a call into Qt
    if decimals:
        text = text.rstrip("0").rstrip(".")
    point, group = marks or number_marks()
    if point != "." or group != ",":
        text = text.replace(",", "\0").replace(".", point).replace("\0", group)
    return text


def format_position(position: int, marks: tuple[str, str]) -> str:
    """A whole number with the locale's grouping (``1,250``)."""
    text = f"{position:,}"
    return text if marks[1] == "," else text.replace(",", marks[1])


def _percent(value: float | None) -> str:
    return "" if value is None else format_number(round(value * 100, 6)) + "%"


def _needs(item: BacklogItem, method: ScoringMethod) -> str:
    missing = [_factor_name(f) for f in missing_inputs(item, method)]
    listed_names = (
        missing[0]
        if len(missing) == 1
        else _tr("{some} and {last}").format(some=", ".join(missing[:-1]), last=missing[-1])
    )
    return _tr("Needs scoring: add {inputs}.").format(inputs=listed_names)


def _factor_name(factor: Factor) -> str:
    return {
        Factor.REACH: _tr("reach"),
        Factor.IMPACT: _tr("impact"),
        Factor.CONFIDENCE: _tr("confidence"),
        Factor.EFFORT: _tr("effort"),
        Factor.BUSINESS_VALUE: _tr("business value"),
        Factor.TIME_CRITICALITY: _tr("time criticality"),
        Factor.RISK_REDUCTION: _tr("risk reduction"),
        Factor.JOB_SIZE: _tr("job size"),
        Factor.VALUE: _tr("value"),
        Factor.MOSCOW: _tr("MoSCoW"),
    }[factor]


def backlog_columns(model: BacklogModel) -> list[Column[BacklogRow]]:
    """The columns, in :data:`KEYS` order; editors and tooltips read the model's context
    (releases, targets, the scoring scheme) when asked, so they follow its changes."""

    def rubric(factor: Factor) -> Callable[[], str]:
        def tip() -> str:
            scheme = model.context.scheme
            text = scheme.rubric(factor)
            text = _domain(text) if scheme.is_default_rubric(factor) else text
            if factor is Factor.IMPACT:
                text += "\n" + _tr("Steps: {steps}.").format(steps=listed(scheme.impact_steps))
            if factor is Factor.CONFIDENCE:
                percent = [round(s * 100, 6) for s in scheme.confidence_steps]
                text += "\n" + _tr("Steps: {steps}.").format(steps=listed(percent, "%"))
            return text

        return tip

    def edit(name: str) -> Callable[[BacklogRow, Any], Command | None]:
        return lambda row, value: svc.edit_item(row.id, {name: value})

    def optional(enum: Any, none: str) -> Callable[[], Sequence[tuple[Any, str]]]:
        return lambda: [(None, none), *choices(enum)]

    def factor_column(
        factor: Factor, header: Callable[[], str], kind: Kind = Kind.WHOLE
    ) -> Column[BacklogRow]:
        tip = rubric(factor)
        name = factor.value
        return Column(
            header=header,
            kind=kind,
            value=lambda r: getattr(r.item, name),
            header_tip=tip,
            tooltip=lambda _r: tip(),
            command=edit(name),
        )

    def releases() -> list[tuple[Any, str]]:
        return [(None, _tr("Not planned")), *((r.id, r.name) for r in model.context.releases)]

    def targets() -> list[tuple[Any, str]]:
        out: list[tuple[Any, str]] = [(None, _tr("Not linked"))]
        for target in model.context.targets:
            prefix = _tr("Metric") if target.kind.__name__ == "Metric" else _tr("Key result")
            out.append((target.id, f"{prefix}: {target.name}"))
        return out

    def set_target(row: BacklogRow, value: Any) -> Command | None:
        target = next((t for t in model.context.targets if t.id == value), None)
        return svc.set_target(row.id, target)

    def confidence_check(value: Any) -> str | None:
        if str(value).strip().endswith("%"):
            return _tr("Type the confidence as a number of percent, such as 80.")
        return None

    def rice_tip(row: BacklogRow) -> str:
        item = row.item
        if row.rice is None:
            return _needs(item, ScoringMethod.RICE)
        return _tr(
            "RICE = reach × impact × confidence ÷ effort\n"
            "= {reach} × {impact} × {confidence} ÷ {effort} = {score}\n"
            "People helped per person-day of work, discounted by how sure you are."
        ).format(
            reach=format_number(item.reach),
            impact=format_number(item.impact),
            confidence=_percent(item.confidence),
            effort=format_number(item.effort),
            score=format_score(row.rice),
        )

    def wsjf_tip(row: BacklogRow) -> str:
        item = row.item
        if row.wsjf is None:
            return _needs(item, ScoringMethod.WSJF)
        weights = model.context.scheme.weights
        parts = []
        for weight, value in zip(
            weights,
            (item.business_value, item.time_criticality, item.risk_reduction),
            strict=True,
        ):
            parts.append(
                format_number(value)
                if weight == 1
                else f"{format_number(weight)} × {format_number(value)}"
            )
        return _tr(
            "WSJF = cost of delay ÷ job size\n"
            "= ({value} + {time} + {risk}) ÷ {size} = {score}\n"
            "Business value, time criticality and risk reduction, weighted as the workspace "
            "says, per point of size."
        ).format(
            value=parts[0],
            time=parts[1],
            risk=parts[2],
            size=format_number(item.job_size),
            score=format_score(row.wsjf),
        )

    def ratio_tip(row: BacklogRow) -> str:
        item = row.item
        if row.ratio is None:
            return _needs(item, ScoringMethod.VALUE_EFFORT)
        return _tr("Value ÷ effort = {value} ÷ {effort} = {score} value points per day").format(
            value=format_number(item.value),
            effort=format_number(item.effort),
            score=format_score(row.ratio),
        )

    def score_font(value: Callable[[BacklogRow], float | None]) -> Callable[[BacklogRow], Any]:
        return lambda r: _italic() if value(r) is None else None

    def score_column(
        header: Callable[[], str],
        value: Callable[[BacklogRow], float | None],
        text: Callable[[BacklogRow], str],
        tip: Callable[[BacklogRow], str],
        header_tip: Callable[[], str],
    ) -> Column[BacklogRow]:
        return Column(
            header=header,
            kind=Kind.DECIMAL,
            value=value,
            text=text,
            tooltip=tip,
            header_tip=header_tip,
            font=score_font(value),
            sort_key=value,
        )

    columns: dict[str, Column[BacklogRow]] = {
        "position": Column(
            header=lambda: _tr("#"),
            kind=Kind.WHOLE,
            value=lambda r: r.position,
            text=lambda r: r.texts[3],
            header_tip=lambda: _tr(
                "The item's place in the backlog, ranked as the workspace's scoring method "
                "says (or by hand). Click to return to this order."
            ),
        ),
        "title": Column(
            header=lambda: _tr("Title"),
            value=lambda r: r.item.title,
            text=lambda r: r.item.title,
            tooltip=lambda r: r.item.description or r.item.title,
            command=edit("title"),
            min_chars=26,
        ),
        "kind": Column(
            header=lambda: _tr("Kind"),
            kind=Kind.CHOICE,
            choices=ItemKind,
            value=lambda r: r.item.kind,
            text=lambda r: label(r.item.kind),
            command=edit("kind"),
            flexible=True,
        ),
        "mode": Column(
            header=lambda: _tr("70:20:10"),
            header_tip=lambda: _tr("How people learn from it: experience, exposure or education"),
            kind=Kind.CHOICE,
            choices=LearningMode,
            options=optional(LearningMode, _tr("Not set")),
            value=lambda r: r.item.mode,
            command=edit("mode"),
        ),
        "moment": Column(
            header=lambda: _tr("Moment"),
            header_tip=lambda: _tr("The moment of need: New, More, Apply, Solve or Change"),
            kind=Kind.CHOICE,
            choices=MomentOfNeed,
            options=optional(MomentOfNeed, _tr("Not set")),
            value=lambda r: r.item.moment,
            command=edit("moment"),
        ),
        "sourcing": Column(
            header=lambda: _tr("Sourcing"),
            header_tip=lambda: _tr("Build, curate, SME-led, outsource / buy — or not training"),
            kind=Kind.CHOICE,
            choices=Sourcing,
            value=lambda r: r.item.sourcing,
            text=lambda r: label(r.item.sourcing),
            tooltip=lambda r: r.item.sourcing_reason or _tr("No reason written yet"),
            command=edit("sourcing"),
            flexible=True,
        ),
        "status": Column(
            header=lambda: _tr("Status"),
            kind=Kind.CHOICE,
            choices=ItemStatus,
            value=lambda r: r.item.status,
            text=lambda r: label(r.item.status),
            command=edit("status"),
        ),
        "release": Column(
            header=lambda: _tr("Release"),
            kind=Kind.CHOICE,
            options=releases,
            value=lambda r: r.item.release_id,
            text=lambda r: r.release,
            sort_key=lambda r: r.release_position,
            command=edit("release_id"),
            flexible=True,
        ),
        "effort": factor_column(Factor.EFFORT, lambda: _tr("Effort"), Kind.DECIMAL),
        "reach": factor_column(Factor.REACH, lambda: _tr("Reach")),
        "impact": factor_column(Factor.IMPACT, lambda: _tr("Impact"), Kind.DECIMAL),
        "confidence": Column(
            header=lambda: _tr("Confidence"),
            kind=Kind.DECIMAL,
            value=lambda r: None if r.item.confidence is None else r.item.confidence * 100,
            text=lambda r: _percent(r.item.confidence),
            header_tip=rubric(Factor.CONFIDENCE),
            tooltip=lambda _r: rubric(Factor.CONFIDENCE)(),
            check=confidence_check,
            command=lambda row, v: svc.edit_item(
                row.id, {"confidence": None if v is None else v / 100}
            ),
        ),
        "rice": score_column(
            lambda: _tr("RICE"),
            lambda r: r.rice,
            lambda r: r.texts[0],
            rice_tip,
            lambda: _tr("Reach × impact × confidence ÷ effort: people helped per person-day"),
        ),
        "business_value": factor_column(Factor.BUSINESS_VALUE, lambda: _tr("Value (WSJF)")),
        "time_criticality": factor_column(Factor.TIME_CRITICALITY, lambda: _tr("Time")),
        "risk_reduction": factor_column(Factor.RISK_REDUCTION, lambda: _tr("Risk")),
        "job_size": factor_column(Factor.JOB_SIZE, lambda: _tr("Job size")),
        "wsjf": score_column(
            lambda: _tr("WSJF"),
            lambda r: r.wsjf,
            lambda r: r.texts[1],
            wsjf_tip,
            lambda: _tr("Weighted shortest job first: cost of delay ÷ job size"),
        ),
        "value": factor_column(Factor.VALUE, lambda: _tr("Value")),
        "value_effort": score_column(
            lambda: _tr("Value/effort"),
            lambda r: r.ratio,
            lambda r: r.texts[2],
            ratio_tip,
            lambda: _tr("Value points per person-day"),
        ),
        "moscow": Column(
            header=lambda: _tr("MoSCoW"),
            kind=Kind.CHOICE,
            choices=MoSCoW,
            options=optional(MoSCoW, _tr("Not set")),
            value=lambda r: r.item.moscow,
            header_tip=rubric(Factor.MOSCOW),
            tooltip=lambda _r: rubric(Factor.MOSCOW)(),
            sort_key=lambda r: None if r.item.moscow is None else moscow_order(r.item.moscow),
            command=edit("moscow"),
        ),
        "smes": Column(
            header=lambda: _tr("SMEs"),
            header_tip=lambda: _tr("Subject-matter experts linked in the detail panel"),
            value=lambda r: ", ".join(r.smes),
        ),
        "moves": Column(
            header=lambda: _tr("Moves"),
            header_tip=lambda: _tr("The metric or key result the item is expected to move"),
            kind=Kind.CHOICE,
            options=targets,
            value=lambda r: r.item.metric_id or r.item.key_result_id,
            text=lambda r: r.target,
            sort_key=lambda r: r.target.casefold() or None,
            command=set_target,
            flexible=True,
        ),
    }
    assert tuple(columns) == KEYS and sorted(DEFAULT_ORDER) == sorted(KEYS)
    return list(columns.values())


def factor_title(factor: Factor) -> str:
    names = {
        Factor.REACH: "Reach",
        Factor.IMPACT: "Impact",
        Factor.CONFIDENCE: "Confidence",
        Factor.EFFORT: "Effort",
        Factor.BUSINESS_VALUE: "Business value",
        Factor.TIME_CRITICALITY: "Time criticality",
        Factor.RISK_REDUCTION: "Risk reduction",
        Factor.JOB_SIZE: "Job size",
        Factor.VALUE: "Value",
        Factor.MOSCOW: "MoSCoW",
    }
    return _tr(names[factor])
