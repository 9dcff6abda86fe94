"""Fixtures for service tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ldpm.services.project import Project


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    """A fresh copy of the demo project, open."""
    project = Project.open(demo_path)
    yield project
    project.close(discard_unsaved=True)
