"""The register beside the form, on the demo: the models under the model checker, edits and
refusals in place, a bulk edit as one step, filters, the column chooser, everyone in the
workspace, deleting a person with their links, the interaction log, and the NEED ↔ HAVE view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QGridLayout, QGroupBox, QLineEdit
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Person, Stakeholder
from ldpm.domain.enums import StakeholderKind, Support
from ldpm.domain.stakeholder_filter import StakeholderFilter
from ldpm.services import experts, initiatives
from ldpm.services import stakeholders as svc
from ldpm.services.experts import FindExperts
from ldpm.services.navigation import ShowEntity
from ldpm.ui.models.stakeholders import (
    ATTENTION,
    KIND,
    NAME,
    NEXT_CONTACT,
    POWER,
    ROLE,
    SUPPORT,
)
from ldpm.ui.operations import OperationRunner
from ldpm.ui.theme import ThemeManager
from ldpm.ui.views.experts import ExpertsView
from ldpm.ui.views.flow_grid import FlowGrid
from ldpm.ui.views.stakeholders import StakeholdersView

TODAY = date(2026, 11, 29)


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> StakeholdersView:
    v = StakeholdersView(demo_runner)
    v.register.today = lambda: TODAY
    v.editor.today = lambda: TODAY
    qtbot.addWidget(v)
    v.resize(1600, 1000)
    v.show()
    qtbot.waitExposed(v)
    v.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    return v


def row_of(view: StakeholdersView, name: str) -> int:
    proxy = view.table.model()
    for r in range(proxy.rowCount()):
        if str(proxy.index(r, NAME).data()).startswith(name):
            return r
    raise LookupError(name)


def test_the_models_pass_the_model_checker(
    view: StakeholdersView, qtmodeltester: object, qtbot: QtBot
) -> None:
    for model in (
        view.register,
        view.register_proxy,
        view.editor.interactions,
        view.editor.assessments,
    ):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    view.set_everyone(True)
    qtmodeltester.check(view.people)  # type: ignore[attr-defined]
    qtmodeltester.check(view.people_proxy)  # type: ignore[attr-defined]


def test_the_register_of_the_demo(view: StakeholdersView) -> None:
    proxy = view.table.model()
    assert proxy.rowCount() == 9
    helen = row_of(view, "Helen")
    assert proxy.index(helen, ATTENTION).data() == "◷ Overdue"
    assert proxy.index(helen, NEXT_CONTACT).data() == "⚠ 13 Jul 2026"
    assert proxy.index(helen, NEXT_CONTACT).data(Qt.ItemDataRole.ForegroundRole) is not None
    priya = row_of(view, "Priya")
    assert proxy.index(priya, ATTENTION).data() == "⚠ Drift · ◷ Overdue"
    assert "Support dropped from Supporter to Neutral between 20 Apr 2026 and 15 Jun 2026." in str(
        proxy.index(priya, ATTENTION).data(Qt.ItemDataRole.ToolTipRole)
    )
    assert proxy.index(row_of(view, "Tomás"), ATTENTION).data() == ""
    assert view.status.text() == "9 stakeholders"
    # Sorting by support puts the sceptic before the supporters.
    view.table.sortByColumn(SUPPORT, Qt.SortOrder.AscendingOrder)
    assert str(proxy.index(0, NAME).data()) == "Helen Marsh"


def test_a_value_off_the_grid_is_refused_beside_the_cell(
    view: StakeholdersView, demo_runner: OperationRunner
) -> None:
    proxy = view.table.model()
    index = proxy.index(row_of(view, "Helen"), POWER)
    steps = demo_runner.undo_stack.count()
    assert not proxy.setData(index, "11")
    assert view.table.message() == "The power must be between 1 and 10."
    assert demo_runner.undo_stack.count() == steps
    assert proxy.setData(index, "8")
    assert proxy.index(row_of(view, "Helen"), POWER).data() == "8"


def test_a_bulk_edit_is_one_undo_step(
    view: StakeholdersView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    selection = view.table.selectionModel()
    proxy = view.table.model()
    selection.clearSelection()
    for name in ("Aisha", "Sam", "Lena"):
        selection.select(
            proxy.index(row_of(view, name), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert "3 selected" in view.status.text() and view.bulk_button.isEnabled()
    steps = demo_runner.undo_stack.count()
    with qtbot.waitSignal(demo_runner.changed):
        view.set_selected("support", Support.CHAMPION)
    assert demo_runner.undo_stack.count() == steps + 1
    assert demo_runner.undo_stack.undoText() == "Set Support of 3 Stakeholders"
    supports = {proxy.index(row_of(view, n), SUPPORT).data() for n in ("Aisha", "Sam", "Lena")}
    assert supports == {"Champion"}
    demo_runner.undo_stack.undo()
    assert proxy.index(row_of(view, "Lena"), SUPPORT).data() == "Supporter"


def test_filters_and_search(view: StakeholdersView) -> None:
    [sme] = [a for v, a in view.filters.kinds._values if v is StakeholderKind.SME]
    sme.setChecked(True)
    assert view.table.model().rowCount() == 2
    assert "7 hidden by the filter" in view.status.text()
    view.filters.clear()
    view.filters.search.setText("hand-offs")  # expertise tags
    names = {
        str(view.table.model().index(r, NAME).data()) for r in range(view.table.model().rowCount())
    }
    assert names == {"Tomás Reyes", "Aisha Karimi"}


def test_a_filter_is_one_layout_change_that_keeps_the_current_row(
    view: StakeholdersView, qtbot: QtBot, qtmodeltester: object
) -> None:
    qtmodeltester.check(view.register_proxy)  # type: ignore[attr-defined]
    proxy = view.register_proxy
    tomas = proxy.index(row_of(view, "Tomás"), NAME)
    view.table.setCurrentIndex(tomas)
    # Selected through the selection model: selectRow would heed the keyboard modifiers a
    # test before this one may have left held (Ctrl toggles, Shift extends).
    flags = QItemSelectionModel.SelectionFlag
    view.table.selectionModel().select(tomas, flags.ClearAndSelect | flags.Rows)
    with (
        qtbot.assertNotEmitted(proxy.rowsInserted),
        qtbot.assertNotEmitted(proxy.rows_revealed),
        qtbot.waitSignal(proxy.layoutChanged),
    ):
        view.filters.search.setText("hand-offs")
    assert proxy.rowCount() == 2
    assert str(view.table.currentIndex().siblingAtColumn(NAME).data()) == "Tomás Reyes"
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [row_of(view, "Tomás")]
    # Loosening it shows rows the table had not measured: it is told to measure again.
    with qtbot.waitSignal(proxy.rows_revealed):
        view.filters.clear()
    assert proxy.rowCount() == 9
    assert str(view.table.currentIndex().siblingAtColumn(NAME).data()) == "Tomás Reyes"


FILTERS = [
    StakeholderFilter(),
    StakeholderFilter(kinds=frozenset({StakeholderKind.SME})),
    StakeholderFilter(kinds=frozenset({StakeholderKind.SME, StakeholderKind.SPONSOR})),
    StakeholderFilter(supports=frozenset({Support.SCEPTIC})),
    StakeholderFilter(text="hand-offs"),
    StakeholderFilter(text="a"),
    StakeholderFilter(text="nobody has this"),
]


def test_rows_revealed_is_what_the_rows_shown_before_and_after_say(view: StakeholdersView) -> None:
    # The proxy asks the filters, row by row; the answer is that of comparing the rows it
    # shows under each filter, for every pair.
    proxy = view.register_proxy

    def shown(wanted: StakeholderFilter) -> set[int]:
        proxy.set_filter(wanted)
        return {proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())}

    rows = {i: shown(f) for i, f in enumerate(FILTERS)}
    assert len({frozenset(r) for r in rows.values()}) >= 5  # the filters differ
    for i, old in enumerate(FILTERS):
        for j, new in enumerate(FILTERS):
            assert proxy.reveals(old, new) == (not rows[j] <= rows[i]), (old, new)


def test_columns_measured_after_a_filter_are_as_wide_as_measured_afresh(
    view: StakeholdersView, qtbot: QtBot
) -> None:
    # The table keeps which rows hold the longest texts while the rows stay as they are;
    # after a filter and back, and after an edit that makes one text the longest, the widths
    # are those of a measure from nothing.
    cells = view.table.cells

    def settled() -> dict[int, int]:
        qtbot.waitUntil(lambda: not cells.fit_timer.isActive() and cells.measured)
        return dict(cells.natural)

    def afresh() -> dict[int, int]:
        cells._longest.clear()
        cells.measured = False
        cells.fit_columns()
        return dict(cells.natural)

    view.filters.search.setText("Tomás")
    settled()
    view.filters.clear()
    assert settled() == afresh()
    # The person with the shortest role, out of sight in a short table: only the kept
    # sample of longest roles can find their new one.
    view.resize(1600, 280)
    stake = min(view.register.rows(), key=lambda r: (len(r.person.role), r.name))
    proxy = view.register_proxy
    name = stake.name.split()[0]
    far = 0 if row_of(view, name) > 4 else 8  # the other end of the table
    before = settled()[ROLE]
    view.filters.search.setText("zzz-nobody")  # hidden while their role grows
    view.run(svc.edit_person(stake.person.id, {"role": "Principal " * 8 + "engineer"}))
    view.filters.clear()
    view.table.scrollTo(proxy.index(far, NAME))
    assert not view.table.visualRect(proxy.index(row_of(view, name), ROLE)).intersects(
        view.table.viewport().rect()
    )
    grown = settled()
    assert grown[ROLE] > before
    assert grown == afresh()


def test_in_the_projector_preset_every_choice_of_the_stake_is_shown_whole(
    view: StakeholdersView, qtbot: QtBot, qapp: QApplication
) -> None:
    box = next(b for b in view.editor.findChildren(QGroupBox) if b.title().startswith("Stake"))
    grid = box.findChild(FlowGrid)
    assert grid is not None and grid.single is False  # side by side at ordinary sizes
    themes = ThemeManager(qapp)
    themes.apply("light", 1.0)
    try:
        themes.set_projector(True)
        view.resize(1366, 768)
        qtbot.waitUntil(lambda: grid.single is True)
        combos = box.findChildren(QComboBox)
        qtbot.waitUntil(lambda: all(c.width() >= grid.needed(c) for c in combos))
        for combo in combos:
            longest = max(
                combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                for i in range(combo.count())
            )
            assert combo.width() > longest, combo.accessibleName()
    finally:
        themes.set_projector(False)
    qtbot.waitUntil(lambda: grid.single is False)


def test_in_the_projector_preset_the_register_s_buttons_and_kinds_read_whole(
    view: StakeholdersView, qtbot: QtBot, qapp: QApplication
) -> None:
    sme = row_of(view, "Aisha")
    kind = view.table.model().index(sme, KIND)
    assert kind.data() == "SME"  # short in the column …
    assert kind.data(Qt.ItemDataRole.ToolTipRole) == "Subject-matter expert"  # … whole here
    buttons = [
        view.columns_button,
        view.bulk_button,
        view.add_button,
        view.add_existing,
        view.remove_button,
        view.filters.kinds,
        view.filters.supports,
        view.filters.departments,
        view.filters.clear_button,
    ]
    themes = ThemeManager(qapp)
    themes.apply("light", 1.0)
    try:
        themes.set_projector(True)
        view.resize(1000, 768)  # what is left of 1366 beside the portfolio
        # The buttons wrap onto more rows rather than squeeze their text, and the view
        # asks for no more than the width it has.
        qtbot.waitUntil(lambda: all(b.width() >= b.sizeHint().width() for b in buttons))
        assert view.minimumSizeHint().width() <= 1000
        rows = {b.mapTo(view, b.rect().topLeft()).y() for b in buttons}
        assert len(rows) > 2
        search = view.filters.search
        qtbot.waitUntil(lambda: search.width() >= search.fontMetrics().averageCharWidth() * 30)
    finally:
        themes.set_projector(False)


def test_a_flow_grid_puts_one_cell_per_row_only_when_they_do_not_fit(qtbot: QtBot) -> None:
    combo = QComboBox()
    combo.addItems(["Short", "Subject-matter expert, with a long name"])
    other = QLineEdit()
    grid = FlowGrid([[combo, other]], min_chars=4)
    qtbot.addWidget(grid)
    need = grid.needed(combo)
    assert need > combo.fontMetrics().horizontalAdvance(combo.itemText(1))
    grid.resize(need * 2 + 200, 60)
    grid.show()
    qtbot.waitUntil(lambda: grid.single is False)
    layout = grid.layout()
    assert isinstance(layout, QGridLayout) and layout.columnCount() >= 2
    grid.resize(need + 10, 60)
    qtbot.waitUntil(lambda: grid.single is True)
    qtbot.waitUntil(lambda: other.y() > combo.y())  # under it, as wide
    assert combo.width() >= need - 10 and other.width() == combo.width()


def test_the_column_chooser(view: StakeholdersView) -> None:
    assert view.table.isColumnHidden(7)  # the quadrant, hidden at first
    view.set_column_shown(7, True)
    assert not view.table.isColumnHidden(7)
    view.set_column_shown(KIND, False)
    assert view.table.isColumnHidden(KIND)


def test_the_form_edits_the_person_and_the_stake(
    view: StakeholdersView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    view.select(next(r.id for r in view.register.rows() if r.person.name == "Helen Marsh"))
    editor = view.editor
    assert editor.title.text() == "Helen Marsh"
    assert editor.stake_binder.editors["strategy"].toPlainText().startswith("Numbers")  # type: ignore[attr-defined]
    assert "Suggested: Manage closely" in editor.suggestion.text()
    role = editor.person_binder.editors["role"]
    steps = demo_runner.undo_stack.count()
    role.setFocus()
    role.end(False)  # type: ignore[attr-defined]
    qtbot.keyClicks(role, " (COO)")
    assert svc.get_person(demo_runner.project, editor.person.id).role.endswith("(COO)")  # type: ignore[union-attr]
    assert demo_runner.undo_stack.count() == steps + 1  # typing is one undo step
    power = editor.stake_binder.editors["power"]
    power.setText("12")  # type: ignore[attr-defined]
    power.editingFinished.emit()  # type: ignore[attr-defined]
    shown = [m for _b, m in editor.form.sections if m.isVisible()]
    assert [m.text() for m in shown] == ["The power must be between 1 and 10."]
    power.setText("6.5")  # type: ignore[attr-defined]
    power.editingFinished.emit()  # type: ignore[attr-defined]
    assert [m.text() for _b, m in editor.form.sections if m.isVisible()] == [
        "The power must be a whole number from 1 to 10."
    ]
    assert svc.get_stake(demo_runner.project, editor.stake.id).power == 9  # type: ignore[union-attr]


def test_private_notes_are_marked_and_hidden_in_workshop_mode(view: StakeholdersView) -> None:
    editor = view.editor
    box = editor.private_box
    assert box.title().startswith("🔒")
    assert "never drawn on the map" in " ".join(
        label.text() for label in box.findChildren(type(view.status))
    )
    assert editor.person is not None
    assert editor.notes_private.isChecked() == editor.person.notes_private
    editor.set_workshop(True)
    assert not box.isVisible()
    editor.set_workshop(False)
    assert box.isVisible()
    editor.notes_private.setChecked(not editor.person.notes_private)
    assert editor.person.notes_private == editor.notes_private.isChecked()


def test_the_interaction_log_needs_a_date(
    view: StakeholdersView, demo_runner: OperationRunner
) -> None:
    view.select(next(r.id for r in view.register.rows() if r.person.name == "Helen Marsh"))
    log = view.editor.interactions
    assert log.rowCount() == 3
    assert log.index(0, 0).data() == "15 Jun 2026"
    assert not log.setData(log.index(0, 0), None)
    sentence = "An interaction needs a date: when did it happen?"
    assert view.editor.log_view.message() == sentence
    view.editor.log_interaction()  # today, then "what happened" is open for typing
    assert log.rowCount() == 4 and log.index(0, 0).data() == "29 Nov 2026"
    stake = svc.get_stake(demo_runner.project, view.editor.stake.id)  # type: ignore[union-attr]
    assert stake is not None and stake.next_contact == date(2026, 12, 29)  # monthly
    priya = next(r.id for r in view.register.rows() if r.person.name.startswith("Priya"))
    view.select(priya)
    due = log.index(0, 4)
    assert due.data() == "⚠ 24 Jun 2026" and due.data(Qt.ItemDataRole.ForegroundRole)


def test_everyone_and_deleting_a_person_with_their_links(
    view: StakeholdersView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    view.scope_everyone.setChecked(True)
    assert view.everyone and view.table.model().rowCount() == 14
    assert view.remove_button.text() == "Delete Person…"
    tomas = next(r for r in view.people.rows() if r.person.name == "Tomás Reyes")
    view.select(tomas.id)
    view.remove_selected()
    assert view.delete_bar.isVisible()
    text = view.delete_text.text()
    assert text.startswith("Deleting Tomás Reyes also removes their stake in 1 initiative(s)")
    assert "SME link to 4 backlog item(s)" in text and "Undo brings it all back." in text
    with qtbot.waitSignal(demo_runner.changed):
        view.delete_confirm.click()
    assert not view.delete_bar.isVisible()
    assert view.table.model().rowCount() == 13
    assert demo_runner.undo_stack.undoText() == "Delete “Tomás Reyes”"
    demo_runner.undo_stack.undo()
    assert view.table.model().rowCount() == 14
    assert svc.person_links(demo_runner.project, tomas.id).sme_items  # links are back
    view.scope_initiative.setChecked(True)
    assert view.table.model().rowCount() == 9


def test_namesakes_and_adding_people(
    view: StakeholdersView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    initiative = view.initiative_id
    assert initiative is not None
    with qtbot.waitSignal(demo_runner.changed):
        view.add_stakeholder()
    assert view.table.model().rowCount() == 10
    assert str(view.table.currentIndex().data()) == "New stakeholder"
    view._add_person(
        next(
            p
            for p, n in svc.people_without_stake(demo_runner.project, initiative)
            if n == "Maya Lindqvist"
        )
    )
    assert view.current_row() is not None and view.current_row().name == "Maya Lindqvist"  # type: ignore[union-attr]
    demo_runner.run(
        svc.new_stakeholder(initiative, "Helen Marsh", role="Analyst", department="Finance")
    )
    names = {
        str(view.table.model().index(r, NAME).data()) for r in range(view.table.model().rowCount())
    }
    assert {
        "Helen Marsh (Analyst, Finance)",
        "Helen Marsh (Operations Director, Operations)",
    } <= names


def test_navigation_to_a_stakeholder_and_a_person(view: StakeholdersView) -> None:
    lena = next(r for r in view.register.rows() if r.person.name.startswith("Lena"))
    assert view.navigate(ShowEntity(Stakeholder, lena.id))
    assert view.current_row() is not None and view.current_row().id == lena.id  # type: ignore[union-attr]
    assert view.navigate(ShowEntity(Person, lena.person.id)) and view.everyone
    assert not view.navigate(object())


PRIVATE = "Blocked the original class because it took engineers off the rota"


def test_the_plan_is_exported_without_private_notes_unless_asked(
    view: StakeholdersView, tmp_path: Path
) -> None:
    assert view.write_plan(str(tmp_path / "plan.html"))
    assert PRIVATE not in (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert view.write_plan(str(tmp_path / "mine.html"), include_private=True)
    assert PRIVATE in (tmp_path / "mine.html").read_text(encoding="utf-8")
    assert not view.write_plan(str(tmp_path / "no" / "such" / "folder.html"))
    assert view.message.isVisible() and "could not be saved" in view.message.text()


# ------------------------------------------------------------------------ need ↔ have


@pytest.fixture
def experts_view(qtbot: QtBot, demo_runner: OperationRunner) -> ExpertsView:
    v = ExpertsView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show()
    qtbot.waitExposed(v)
    v.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    return v


def test_the_experts_view_reads_the_sme_loads_when_first_shown(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    """Every person's load is a workspace-wide read: a window builds the view without it."""
    view = ExpertsView(demo_runner)
    qtbot.addWidget(view)
    view.set_initiative(initiatives.list_initiatives(demo_runner.project)[0].id)
    assert view.loads.rowCount() == 0  # built, chosen, not shown: nothing read yet
    view.show()
    qtbot.waitExposed(view)
    assert view.loads.index(0, 0).data() == "Tomás Reyes"  # the most loaded first


def test_the_leads_are_suggested_for_the_shadowing_rotation_and_linked(
    experts_view: ExpertsView, demo_runner: OperationRunner, qtbot: QtBot, qtmodeltester: object
) -> None:
    view = experts_view
    [item] = [
        i
        for i in experts.items_of(demo_runner.project, view.initiative_id or "")
        if i.title.startswith("Shadowing")
    ]
    assert view.navigate(FindExperts(item.id))
    assert view.need.toPlainText().startswith("Shadowing rotation")
    model = view.suggestions
    top = {model.index(r, 0).data() for r in range(2)}
    assert top == {"Tomás Reyes", "Aisha Karimi"}
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtmodeltester.check(view.loads)  # type: ignore[attr-defined]
    assert not view.link_button.isEnabled()  # nobody selected yet
    view.table.selectRow(0)
    view.table.selectionModel().select(
        view.table.model().index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert view.link_button.isEnabled()
    steps = demo_runner.undo_stack.count()
    with qtbot.waitSignal(demo_runner.changed):
        view.link_button.click()
    assert demo_runner.undo_stack.count() == steps + 1
    assert {model.index(r, 5).data() for r in range(2)} == {"✓ SME"}
    assert "Tomás Reyes (4)" in view.message.text() and "too much" in view.message.text()
    assert view.loads.index(0, 0).data() == "Tomás Reyes"
    assert view.loads.index(0, 4).data() == "⚠ 4 items, 1 initiative — too many"
    demo_runner.undo_stack.undo()
    assert {model.index(r, 5).data() for r in range(2)} == {""}


def test_a_need_in_words(experts_view: ExpertsView, qtbot: QtBot) -> None:
    view = experts_view
    view.item.setCurrentIndex(0)  # a need I describe
    view.need.setPlainText("OWASP secure code review for the payments team")
    qtbot.waitUntil(lambda: view.suggestions.rowCount() > 0)
    assert view.suggestions.index(0, 0).data() == "Owen Price"
    assert not view.link_button.isEnabled()  # nothing to link to
    view.need.setPlainText("underwater basket weaving")
    qtbot.waitUntil(lambda: view.suggestions.rowCount() == 0)
    assert "Nobody's expertise matches yet" in view.message.text()
