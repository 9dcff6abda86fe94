"""Background jobs through the operation runner: off the GUI thread, progress, cancel, one
sentence on failure, one change record and one undo step when done."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Initiative
from ldpm.persistence.fileformat import FileProblem
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.services.jobs import Job, JobDone, Progress
from ldpm.ui.job_status import JobStatus
from ldpm.ui.operations import OperationRunner


class RenameJob(Job):
    """Works on a worker, then renames an initiative as one undoable step."""

    title = "Renaming"

    def __init__(self, runner: OperationRunner, initiative_id: str, steps: int = 3) -> None:
        self.runner = runner
        self.initiative_id = initiative_id
        self.steps = steps
        self.thread: int | None = None
        self.gate = threading.Event()
        self.gate.set()
        self.abandoned: BaseException | None = None

    def run(self, progress: Progress) -> str:
        self.thread = threading.get_ident()
        self.gate.wait(10)
        for i in range(self.steps):
            progress(i + 1, self.steps, f"step {i + 1}")
        return "Renamed in the background"

    def finish(self, result: Any) -> JobDone:
        command = initiatives.edit_initiative(
            self.runner.project, self.initiative_id, {"name": result}
        )
        from ldpm.services.commands import execute

        record = execute(self.runner.project, command)
        return JobDone(record=record, command=command, message="done")

    def abandon(self, error: BaseException) -> None:
        self.abandoned = error


class Endless(Job):
    title = "Waiting for cancel"

    def __init__(self) -> None:
        self.started = threading.Event()
        self.abandoned: BaseException | None = None

    def run(self, progress: Progress) -> None:
        self.started.set()
        while True:
            progress(0, 0)
            progress._cancel.wait(0.01)  # wake up promptly when cancelled

    def abandon(self, error: BaseException) -> None:
        self.abandoned = error


class Failing(Job):
    def run(self, progress: Progress) -> None:
        raise FileProblem("LDPM could not read “x.csv”.")


def name_of(runner: OperationRunner, initiative_id: str) -> str:
    initiative = initiatives.get_initiative(runner.project, initiative_id)
    assert initiative is not None
    return initiative.name


def test_a_job_runs_off_the_gui_thread_and_is_one_undo_step(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    job = RenameJob(runner, initiative_id)
    records: list[ChangeRecord] = []
    runner.changed.connect(records.append)
    steps = runner.undo_stack.count()
    with qtbot.waitSignal(runner.job_finished, timeout=10_000) as finished:
        handle = runner.start(job)
    assert finished.args == [handle] and handle.delivered and handle.error is None
    assert job.thread is not None and job.thread != threading.get_ident()
    assert handle.state == (3, 3, "step 3")
    assert name_of(runner, initiative_id) == "Renamed in the background"
    assert records and records[-1].touches(Initiative, initiative_id)
    assert runner.undo_stack.count() == steps + 1
    runner.undo_stack.undo()
    assert name_of(runner, initiative_id) == "Incident hand-offs"
    assert runner.jobs == []


def test_cancel_stops_the_job_quietly(qtbot: QtBot, runner: OperationRunner) -> None:
    job = Endless()
    with qtbot.assert_not_emitted(runner.failed):
        handle = runner.start(job)
        assert job.started.wait(10)
        with qtbot.waitSignal(runner.job_finished, timeout=10_000):
            handle.cancel()
    assert handle.cancelled and job.abandoned is handle.error


def test_an_expected_failure_is_one_sentence_to_whoever_asked(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    origin = QObject()
    with qtbot.waitSignal(runner.failed, timeout=10_000) as failed:
        runner.start(Failing(), origin=origin)
    assert failed.args == ["LDPM could not read “x.csv”.", origin]


def test_settle_waits_and_delivers_now(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    job = RenameJob(runner, initiative_id)
    job.gate.clear()
    handle = runner.start(job)
    assert not runner.settle(50)  # still running: the caller says so and waits
    assert not handle.delivered
    job.gate.set()
    assert runner.settle(10_000)
    assert handle.delivered  # delivered inside settle, not by a later signal
    assert name_of(runner, initiative_id) == "Renamed in the background"
    assert runner.undo_stack.count() == 2  # the add, then the rename: finished once


def test_the_status_bar_shows_a_slow_job_with_cancel(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    status = JobStatus()
    qtbot.addWidget(status)
    status.attach(runner)
    job = Endless()
    handle = runner.start(job)
    assert job.started.wait(10)
    qtbot.waitUntil(lambda: not status.isHidden(), timeout=5_000)
    assert status.label.text() == "Waiting for cancel"
    assert not status.cancel_button.isHidden()
    with qtbot.waitSignal(runner.job_finished, timeout=10_000):
        status.cancel_button.click()
    assert handle.cancelled and status.isHidden()
    status.attach(None)


@pytest.fixture(autouse=True)
def _no_jobs_left(runner: OperationRunner) -> Any:
    yield
    assert runner.settle(10_000)
