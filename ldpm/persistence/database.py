"""Creating a fresh project database and migrating an older one.

New databases are built from :data:`ldpm.persistence.schema.metadata` and stamped at the head
revision, which avoids importing Alembic on the common path; older files are upgraded with the
Alembic scripts in ``migrations/``, in code, after a backup.  A test checks that both routes
produce the same schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, text

from ldpm import __version__
from ldpm.persistence import schema
from ldpm.persistence.fileformat import (
    APPLICATION_ID,
    CHECKSUM_KEY,
    MIN_READER_VERSION,
    SCHEMA_VERSION,
)

#: The Alembic revision that corresponds to :data:`SCHEMA_VERSION`.
HEAD_REVISION = "0008"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def init_database(path: Path, *, project_uuid: str, device: str) -> None:
    """Create an empty project database (schema, pragmas, meta) at ``path``."""
    if path.exists():
        raise FileExistsError(path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text(f"PRAGMA application_id={APPLICATION_ID}"))
            conn.execute(text(f"PRAGMA user_version={SCHEMA_VERSION}"))
            schema.metadata.create_all(conn)
            conn.execute(
                text(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            )
            conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD_REVISION})
            now = utc_now()
            conn.execute(
                schema.meta.insert(),
                [
                    {"key": "project_uuid", "value": project_uuid},
                    {"key": "format_version", "value": str(SCHEMA_VERSION)},
                    {"key": "min_reader_version", "value": str(MIN_READER_VERSION)},
                    {"key": "app_version", "value": __version__},
                    {"key": "device", "value": device},
                    {"key": "created_at", "value": now},
                    {"key": "saved_at", "value": ""},
                    {"key": CHECKSUM_KEY, "value": ""},
                ],
            )
    finally:
        engine.dispose()


def schema_version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


def migrate(path: Path, backup: Callable[[str], object]) -> bool:
    """Upgrade a working copy to the current schema.  Calls ``backup(reason)`` first.
    Returns True if anything was migrated."""
    if schema_version(path) >= SCHEMA_VERSION:
        return False
    backup("before-upgrade")
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("ldpm.persistence") / "migrations")
    )
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.execute(text(f"PRAGMA user_version={SCHEMA_VERSION}"))
            conn.execute(
                text("UPDATE meta SET value=:v WHERE key='format_version'"),
                {"v": str(SCHEMA_VERSION)},
            )
    finally:
        engine.dispose()
    return True
