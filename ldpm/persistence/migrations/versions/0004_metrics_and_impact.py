"""metrics and impact: evaluation plan fields, experiments, stories, metric links

Adds to ``metric`` the baseline date, the measurement cadence and the groups for a
difference-in-differences; to ``experiment`` its cost, the pilot and comparison segments and
the value it must reach to pass; to ``story`` whom it is about, a quote, a release and a
rating; and the table ``metric_link`` (a metric ↔ the backlog item or release meant to move
it).  New NOT NULL columns get a default for the rows already there.

``story`` gets a new foreign key (``release_id``), which SQLite can only add by copying the
table (batch mode); its other keys, deferred like every key, are kept.

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0006"  # revisions are numbered by branch; they run in this chain
branch_labels = None
depends_on = None


def _text(name: str, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False, server_default=sa.text(f"'{default}'"))


def upgrade() -> None:
    with op.batch_alter_table("metric", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("baseline_date", sa.Text(), nullable=True))
        batch_op.add_column(_text("cadence", "none"))
        batch_op.add_column(_text("treated_segment"))
        batch_op.add_column(_text("comparison_segment"))
    with op.batch_alter_table("experiment", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("cost", sa.Float(), nullable=True))
        batch_op.add_column(_text("segment"))
        batch_op.add_column(_text("comparison_segment"))
        batch_op.add_column(sa.Column("pass_value", sa.Float(), nullable=True))
    # A new foreign key: the story table is copied (batch mode), keeping its other keys.
    with op.batch_alter_table("story", recreate="always") as batch_op:
        batch_op.add_column(_text("who"))
        batch_op.add_column(_text("quote"))
        batch_op.add_column(sa.Column("release_id", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_story_release_id",
            "release",
            ["release_id"],
            ["id"],
            initially="DEFERRED",
            deferrable=True,
        )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.create_index("ix_story_release_id", ["release_id"], unique=False)

    op.create_table(
        "metric_link",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=True),
        sa.Column("release_id", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["backlog_item.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["release_id"], ["release.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("metric_link", schema=None) as batch_op:
        batch_op.create_index("ix_metric_link_item_id", ["item_id"], unique=False)
        batch_op.create_index("ix_metric_link_metric_id", ["metric_id"], unique=False)
        batch_op.create_index("ix_metric_link_release_id", ["release_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("metric_link", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_link_release_id")
        batch_op.drop_index("ix_metric_link_metric_id")
        batch_op.drop_index("ix_metric_link_item_id")
    op.drop_table("metric_link")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index("ix_story_release_id")
        batch_op.drop_column("rating")
        batch_op.drop_column("release_id")
        batch_op.drop_column("quote")
        batch_op.drop_column("who")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_column("pass_value")
        batch_op.drop_column("comparison_segment")
        batch_op.drop_column("segment")
        batch_op.drop_column("cost")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_column("comparison_segment")
        batch_op.drop_column("treated_segment")
        batch_op.drop_column("cadence")
        batch_op.drop_column("baseline_date")
