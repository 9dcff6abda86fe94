"""Alembic migrations of the .ldpm schema, run in code (see ldpm.persistence.database)."""
