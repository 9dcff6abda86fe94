"""measurement lines index: a covering index for reading a metric's lines

Revision ID: 0008
Revises: 0005

``ix_measurement_lines`` on ``measurement (metric_id, deleted, segment, "on", value)``: the
read of a metric's lines (``services.metrics._lines``) is answered from the index alone,
already in order, instead of visiting each row and sorting them.  It leads with
``metric_id``, so it also serves the foreign key, and ``ix_measurement_metric_id`` goes.
No data changes; a file of schema version 7 reads this file as it is.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0005"  # revisions are numbered by branch; they run in this chain
branch_labels = None
depends_on = None

_COLUMNS = ["metric_id", "deleted", "segment", "on", "value"]


def upgrade() -> None:
    # Only indexes: a file that already has either (made by hand, or rolled back by a tool
    # that kept its indexes) is brought to the same state, not refused.
    op.create_index("ix_measurement_lines", "measurement", _COLUMNS, if_not_exists=True)
    op.drop_index("ix_measurement_metric_id", table_name="measurement", if_exists=True)


def downgrade() -> None:
    op.create_index("ix_measurement_metric_id", "measurement", ["metric_id"], if_not_exists=True)
    op.drop_index("ix_measurement_lines", table_name="measurement", if_exists=True)
