"""Alembic environment: migrations always run in code on a connection LDPM provides."""

from __future__ import annotations

from alembic import context

from ldpm.persistence.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached from the alembic command line
    raise RuntimeError("LDPM migrations run in code: pass a connection in config.attributes")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
