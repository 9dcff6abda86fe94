"""The stakeholder register and the workspace's people as declared-column tables.

:class:`RegisterModel` shows an initiative's :class:`~ldpm.services.stakeholders.StakeRow`\\ s:
the person's fields (name, role, department, expertise tags, e-mail) and the stake's (kind,
power, interest, support, engagement now and wanted, the engagement plan), plus what follows
from them (the quadrant, the strategy, and an *Attention* column for drift alerts and overdue
contacts, drawn in the theme's warning colour).  An edit of a person's field changes the person
in every initiative.  :class:`PeopleModel` lists everyone in the workspace with the number of
initiatives they have a stake in and the SME work they carry.

:class:`StakeProxy` filters either by a :class:`~ldpm.domain.stakeholder_filter.StakeholderFilter`
(kind, support, department and words), in Python, once per row.  Both models follow the view
that shows them (``set_following(False)``): it reloads them when it is visible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ldpm.domain.entities import (
    Assessment,
    BacklogItem,
    Initiative,
    ItemSme,
    Person,
    Stakeholder,
)
from ldpm.domain.enums import Engagement, Quadrant, StakeholderKind, Support
from ldpm.domain.expertise import overloaded
from ldpm.domain.stakeholder_filter import StakeholderFilter
from ldpm.domain.stakeholders import quadrant
from ldpm.services import stakeholders as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.stakeholders import PersonRow, StakeRow
from ldpm.ui.labels import label
from ldpm.ui.models.table import Column, ColumnTableModel, Kind, TableProxy
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date

AnyIndex = QModelIndex | QPersistentModelIndex

#: Entity kinds whose changes the register and the list of people show.
WATCHED = (Stakeholder, Person, Assessment, ItemSme, BacklogItem, Initiative)

(
    NAME,
    ATTENTION,
    ROLE,
    DEPARTMENT,
    KIND,
    POWER,
    INTEREST,
    QUADRANT,
    SUPPORT,
    CURRENT,
    DESIRED,
    TAGS,
    NEXT_CONTACT,
    CHANNEL,
    CADENCE,
    OWNER,
    EMAIL,
    STRATEGY,
) = range(18)
#: Columns shown until the user chooses otherwise.
HIDDEN_AT_FIRST = (QUADRANT, TAGS, CHANNEL, CADENCE, OWNER, EMAIL, STRATEGY)

_QUADRANTS = {q: i for i, q in enumerate(Quadrant)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterModel", text)


def attention(row: StakeRow) -> str:
    """The register's *Attention* text: drift and an overdue contact, "" when all is well."""
    parts = []
    if row.drift is not None:
        parts.append(_tr("⚠ Drift"))
    if row.overdue:
        parts.append(_tr("◷ Overdue"))
    return " · ".join(parts)


def attention_tip(row: StakeRow) -> str:
    tips = []
    if row.drift is not None:
        d = row.drift
        before = format_date(d.before.on)
        when = (
            _tr("between {before} and {after}").format(
                before=before, after=format_date(d.after.on)
            )
            if d.after.on is not None
            else _tr("since {before}").format(before=before)
        )
        if d.support:
            tips.append(
                _tr("Support dropped from {old} to {new} {when}.").format(
                    old=label(d.before.support), new=label(d.after.support), when=when
                )
            )
        if d.engagement:
            tips.append(
                _tr("Engagement dropped from {old} to {new} {when}.").format(
                    old=label(d.before.engagement), new=label(d.after.engagement), when=when
                )
            )
    if row.overdue:
        tips.append(
            _tr("The next contact was due on {day}.").format(
                day=format_date(row.stakeholder.next_contact)
            )
        )
    return "\n".join(tips)


def _set(field: str) -> Callable[[StakeRow, Any], Any]:
    return lambda row, value: svc.edit_row(row, field, value)


def _quadrant_of(row: StakeRow) -> Quadrant:
    s = row.stakeholder
    return quadrant(s.power, s.interest)


def kind_text(kind: StakeholderKind) -> str:
    """How the register's Kind column names ``kind``: short where the name is long for a
    column (the projector's large type cut it), in full in the tooltip and the editor."""
    if kind is StakeholderKind.SME:
        return _tr("SME")
    if kind is StakeholderKind.LEARNER_REP:
        return _tr("Learner rep.")
    return label(kind)


def register_columns() -> list[Column[StakeRow]]:
    def stake(field: str) -> Callable[[StakeRow], Any]:
        return lambda row: getattr(row.stakeholder, field)

    def person(field: str) -> Callable[[StakeRow], Any]:
        return lambda row: getattr(row.person, field)

    def choice(field: str, enum: type, header: str, tip: str) -> Column[StakeRow]:
        return Column(
            header=lambda: _tr(header),
            header_tip=lambda: _tr(tip),
            kind=Kind.CHOICE,
            choices=enum,
            value=stake(field),
            command=_set(field),
        )

    def rating(field: str, header: str, tip: str) -> Column[StakeRow]:
        return Column(
            header=lambda: _tr(header),
            header_tip=lambda: _tr(tip),
            kind=Kind.WHOLE,
            value=stake(field),
            command=_set(field),
        )

    def text(field: str, header: str, tip: str, of: str = "stake") -> Column[StakeRow]:
        return Column(
            header=lambda: _tr(header),
            header_tip=lambda: _tr(tip),
            value=person(field) if of == "person" else stake(field),
            command=_set(field),
        )

    return [
        Column(
            header=lambda: _tr("Name"),
            header_tip=lambda: _tr("The person (one record in the workspace)"),
            value=lambda row: row.person.name,
            text=lambda row: row.name,
            command=_set("name"),
            flexible=False,  # a name is never cut short
        ),
        Column(
            header=lambda: _tr("Attention"),
            header_tip=lambda: _tr(
                "Drift: a key player whose support or engagement dropped. Overdue: the next "
                "contact has passed."
            ),
            value=attention,
            tooltip=attention_tip,
            sort_key=lambda row: -((row.drift is not None) * 2 + row.overdue) or None,
            flexible=False,
        ),
        text("role", "Role", "Their job title", "person"),
        text("department", "Department", "Where they work", "person"),
        Column(
            header=lambda: _tr("Kind"),
            header_tip=lambda: _tr("Sponsor, business leader, SME …"),
            kind=Kind.CHOICE,
            choices=StakeholderKind,
            value=stake("kind"),
            text=lambda row: kind_text(row.stakeholder.kind),
            tooltip=lambda row: label(row.stakeholder.kind),
            command=_set("kind"),
        ),
        rating("power", "Power", "How much they can decide or block, 1 (low) to 10 (high)"),
        rating("interest", "Interest", "How much it matters to them, 1 (low) to 10 (high)"),
        Column(
            header=lambda: _tr("Quadrant"),
            header_tip=lambda: _tr("From power and interest (high is 6 to 10)"),
            value=_quadrant_of,
            text=lambda row: label(_quadrant_of(row)),
            sort_key=lambda row: _QUADRANTS[_quadrant_of(row)],
            flexible=False,
        ),
        choice("support", Support, "Support", "Blocker, sceptic, neutral, supporter, champion"),
        choice("current_engagement", Engagement, "Engagement", "How engaged they are now"),
        choice("desired_engagement", Engagement, "Wanted", "The engagement we want from them"),
        text(
            "expertise_tags", "Expertise", "What they know, as tags separated by commas", "person"
        ),
        Column(
            header=lambda: _tr("Next contact"),
            header_tip=lambda: _tr("When we are in touch with them next"),
            kind=Kind.DATE,
            value=stake("next_contact"),
            text=lambda row: (
                ("⚠ " if row.overdue else "") + format_date(row.stakeholder.next_contact)
            ),
            tooltip=lambda row: attention_tip(row) if row.overdue else "",
            command=_set("next_contact"),
        ),
        text("channel", "Channel", "How we usually reach them"),
        text("cadence", "Cadence", "How often, e.g. fortnightly 1:1"),
        text("owner", "Owner", "Who in L&D keeps in touch with them"),
        text("email", "E-mail", "Their e-mail address", "person"),
        Column(
            header=lambda: _tr("Strategy"),
            header_tip=lambda: _tr("Your own strategy, or the one suggested"),
            value=lambda row: row.strategy,
        ),
    ]


class RegisterModel(ColumnTableModel[StakeRow]):
    """An initiative's stakeholders (see the module docstring)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, register_columns(), parent=parent)
        self.initiative_id: str | None = None
        #: The theme's warning colour (the view supplies it; it follows the theme).
        self.warning: Callable[[], QColor] | None = None
        self._brushes: dict[str, QBrush] = {}
        self.today: Callable[[], date] = date.today

    def set_initiative(self, initiative_id: str | None) -> None:
        self.initiative_id = initiative_id
        self.set_loader(
            None
            if initiative_id is None
            else lambda: svc.stake_rows(self.runner.project, initiative_id, today=self.today())
        )

    def wants(self, record: ChangeRecord) -> bool:
        return self.initiative_id is not None and any(record.touches(k) for k in WATCHED)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (ATTENTION, NEXT_CONTACT):
            row = self.row_at(index.row())
            flagged = row is not None and (
                row.overdue if index.column() == NEXT_CONTACT else bool(attention(row))
            )
            return self._warning_brush() if flagged else None
        return super().data(index, role)

    def _warning_brush(self) -> QBrush | None:
        if self.warning is None:
            return None
        colour = self.warning()
        brush = self._brushes.get(colour.name())
        if brush is None:  # one kept brush per colour (see tabular_font)
            brush = self._brushes[colour.name()] = QBrush(colour)
        return brush


def people_columns() -> list[Column[PersonRow]]:
    def edit(field: str) -> Callable[[PersonRow, Any], Any]:
        return lambda row, value: svc.edit_person(row.id, {field: value})

    def text(field: str, header: str, tip: str) -> Column[PersonRow]:
        return Column(
            header=lambda: _tr(header),
            header_tip=lambda: _tr(tip),
            value=lambda row: getattr(row.person, field),
            command=edit(field),
        )

    return [
        Column(
            header=lambda: _tr("Name"),
            header_tip=lambda: _tr("The person (one record in the workspace)"),
            value=lambda row: row.person.name,
            text=lambda row: row.name,
            command=edit("name"),
            flexible=False,
        ),
        text("role", "Role", "Their job title"),
        text("department", "Department", "Where they work"),
        text("expertise_tags", "Expertise", "What they know, as tags separated by commas"),
        Column(
            header=lambda: _tr("Initiatives"),
            header_tip=lambda: _tr("How many initiatives they are a stakeholder in"),
            kind=Kind.WHOLE,
            value=lambda row: row.initiatives,
        ),
        Column(
            header=lambda: _tr("SME items"),
            header_tip=lambda: _tr(
                "Open backlog items they are the subject-matter expert of (⚠: too many)"
            ),
            kind=Kind.WHOLE,
            value=lambda row: row.load.items,
            text=lambda row: ("⚠ " if overloaded(row.load) else "") + str(row.load.items),
        ),
        text("email", "E-mail", "Their e-mail address"),
    ]


class PeopleModel(ColumnTableModel[PersonRow]):
    """Everyone in the workspace."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(
            runner, people_columns(), partial(svc.person_rows, runner.project), parent=parent
        )

    def wants(self, record: ChangeRecord) -> bool:
        return any(record.touches(k) for k in WATCHED)


class StakeProxy(TableProxy):
    """Rows of a register or people model that a :class:`StakeholderFilter` lets through.

    A new filter is one layout change, not rows removed and inserted: loosening a filter over
    1,500 people would otherwise insert the rows back in hundreds of short runs, and a table
    measures its columns for each run.  The selection and the current row stay where they are
    if still shown (Qt keeps persistent indexes across a layout change).  Since a layout change
    says "same content", :attr:`rows_revealed` tells the table when rows it did not show before
    came into view, so it measures its columns again."""

    #: Rows not shown under the previous filter are shown now (column widths may grow).
    rows_revealed = Signal()

    def __init__(self, source: ColumnTableModel[Any], parent: QObject | None = None) -> None:
        super().__init__(source, parent)
        self._model = source
        self.filter = StakeholderFilter()

    def set_filter(self, wanted: StakeholderFilter) -> None:
        if wanted == self.filter:
            return
        revealed = self.reveals(self.filter, wanted)
        self.filter = wanted
        self.invalidate()
        if revealed:
            self.rows_revealed.emit()

    def reveals(self, old: StakeholderFilter, new: StakeholderFilter) -> bool:
        """Whether ``new`` lets through a row that ``old`` held back (asked of the filters
        row by row, stopping at the first: no walk through the proxy's mapping)."""
        if not old.active:
            return False  # every row was shown
        return any(
            self._accepts(new, i) and not self._accepts(old, i)
            for i in range(self._model.rowCount())
        )

    def _accepts(self, wanted: StakeholderFilter, source_row: int) -> bool:
        if not wanted.active:
            return True
        row = self._model.row_at(source_row)
        if isinstance(row, StakeRow):
            return wanted.matches(row.stakeholder, row.person)
        if isinstance(row, PersonRow):
            return wanted.matches(None, row.person)
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return self._accepts(self.filter, source_row)
