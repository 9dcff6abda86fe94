"""Flags in the portfolio: every area's provider is asked in bulk; rows repaint when their
flags change; the sidebar draws them under the name."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Initiative
from ldpm.services import initiatives, portfolio
from ldpm.services.portfolio import Flag
from ldpm.services.project import Project
from ldpm.ui.models.portfolio import FLAGS_ROLE, PortfolioModel
from ldpm.ui.operations import OperationRunner


def no_owner(project: Project, items: Sequence[Initiative]) -> list[Flag]:
    return [Flag(i.id, "no owner yet", "warning", "test") for i in items if not i.owner]


def test_flags_come_from_the_providers_and_follow_changes(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    runner: OperationRunner,
    initiative_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(portfolio, "PROVIDERS", [no_owner])
    model = PortfolioModel(runner)
    row = model.index_of(initiative_id)
    [flag] = model.index(row, 0).data(FLAGS_ROLE)
    assert flag.text == "no owner yet" and flag.severity == "warning"
    assert "no owner yet" in model.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    with qtbot.waitSignal(model.dataChanged):
        runner.run(initiatives.edit_initiative(runner.project, initiative_id, {"owner": "Maya"}))
    assert model.index(row, 0).data(FLAGS_ROLE) == []
    qtmodeltester.check(model)


def test_without_providers_there_are_no_flags(runner: OperationRunner, initiative_id: str) -> None:
    model = PortfolioModel(runner)
    assert model.index(0, 0).data(FLAGS_ROLE) == []
