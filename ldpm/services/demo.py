"""The demo workspace: the brief's scenario, as data.

The content lives in ``resources/demo/northwind.json`` (installed as
``ldpm.resources/demo/northwind.json`` and read with :mod:`importlib.resources`, so it loads from
a source tree, a wheel and a frozen bundle alike).  *Northwind Engineering*: the head of
engineering asked for "a class on communication"; the intake found that Dev→Ops hand-offs fail
during incidents, and the answer became a hand-off kit (checklist, shadowing, a 10-minute
module) tested first as a Trojan mouse with one on-call team.  Three lighter initiatives at
other stages and one archived one fill the portfolio.

:mod:`ldpm.services.content` turns the document into entities; to change the demo, edit the
JSON.  Everything is deterministic: dates are fixed and measurements come from the document's
seed.  Only the entity ids (UUIDs) differ between two runs.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ldpm.domain.entities import Workspace
from ldpm.persistence.store import Tx
from ldpm.services.content import Content, load

__all__ = ["DEMO_RESOURCE", "demo_content", "demo_document", "populate_demo"]

#: The demo's content, relative to the ``ldpm.resources`` package.
DEMO_RESOURCE = "demo/northwind.json"


@cache
def _text() -> str:
    return (resources.files("ldpm.resources") / DEMO_RESOURCE).read_text(encoding="utf-8")


def demo_document() -> dict[str, Any]:
    """The demo's content document, as parsed JSON (a fresh copy on every call)."""
    document: dict[str, Any] = json.loads(_text())
    return document


def demo_content() -> Content:
    """The demo's workspace fields and entities (new ids on every call)."""
    return load(demo_document(), name=DEMO_RESOURCE)


def populate_demo(tx: Tx) -> None:
    """Fill the workspace in ``tx`` with the Northwind Engineering demo."""
    content = demo_content()
    workspace = tx.list(Workspace)[0]
    tx.update(Workspace, workspace.id, content.workspace)
    content.batch.insert(tx)
