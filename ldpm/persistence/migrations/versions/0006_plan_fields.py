"""plan: release capacity and roadmap horizon, items out of scope

Revision ID: 0006
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"  # revisions are numbered by branch; they run in this chain
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("release") as batch:
        batch.add_column(sa.Column("capacity", sa.Float(), nullable=True))
        batch.add_column(sa.Column("horizon", sa.Text(), nullable=True))
    with op.batch_alter_table("backlog_item") as batch:
        batch.add_column(
            sa.Column("out_of_scope", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("backlog_item") as batch:
        batch.drop_column("out_of_scope")
    with op.batch_alter_table("release") as batch:
        batch.drop_column("horizon")
        batch.drop_column("capacity")
