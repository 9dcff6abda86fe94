"""triage, causes and routing; scoring scales, weights and rubrics; sourcing reasons and
what an item moves

Revision ID: 0003
Revises: 0002

Besides the new columns and the ``initiative_cause`` table, the data of an older file is
carried over:

* an initiative's single ``root_cause`` becomes a checked cause (the text of ``routed_to``
  its hand-off note when learning cannot fix it);
* the triage status follows what the file says: past Discover an initiative was approved;
  in Discover it is *routed* when its root cause is not a knowledge gap and it was routed
  somewhere, else *new*.

Both are derived from the row alone — the cause's id from the initiative and the cause, its
stamp from the root cause's — so two devices that upgrade the same file write identical rows,
and their copies still merge.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: As ldpm.services.bulk.link_id (frozen here, like the rest of a migration).
_LINKS = uuid.UUID("6f1d3c2a-8b7e-4f5a-9c1d-2e3f4a5b6c7d")
_ROUTED = ("process", "tools", "incentives", "manager_support", "environment")


def _text(name: str, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False, server_default=default)


def upgrade() -> None:
    op.create_table(
        "initiative_cause",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("initiative_cause", schema=None) as batch_op:
        batch_op.create_index("ix_initiative_cause_initiative_id", ["initiative_id"], unique=False)

    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.add_column(_text("requested_solution"))
        batch_op.add_column(_text("triage", "new"))
        batch_op.add_column(_text("triage_reason"))
        batch_op.add_column(_text("approval_override"))
        batch_op.add_column(sa.Column("triaged_on", sa.Text(), nullable=True))

    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(_text("scoring_method", "rice"))
        batch_op.add_column(_text("impact_scale", "3; 2; 1; 0.5; 0.25"))
        batch_op.add_column(_text("confidence_scale", "100; 80; 50"))
        for name in ("wsjf_weight_value", "wsjf_weight_time", "wsjf_weight_risk"):
            batch_op.add_column(
                sa.Column(name, sa.Float(), nullable=False, server_default=sa.text("1.0"))
            )
        for factor in (
            "reach",
            "impact",
            "confidence",
            "effort",
            "business_value",
            "time_criticality",
            "risk_reduction",
            "job_size",
            "value",
            "moscow",
        ):
            batch_op.add_column(_text(f"rubric_{factor}"))

    with op.batch_alter_table("backlog_item", schema=None) as batch_op:
        batch_op.add_column(_text("sourcing_reason"))
        batch_op.add_column(sa.Column("metric_id", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("key_result_id", sa.Text(), nullable=True))
        batch_op.create_index("ix_backlog_item_key_result_id", ["key_result_id"], unique=False)
        batch_op.create_index("ix_backlog_item_metric_id", ["metric_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_backlog_item_metric_id",
            "metric",
            ["metric_id"],
            ["id"],
            initially="DEFERRED",
            deferrable=True,
        )
        batch_op.create_foreign_key(
            "fk_backlog_item_key_result_id",
            "key_result",
            ["key_result_id"],
            ["id"],
            initially="DEFERRED",
            deferrable=True,
        )

    _carry_over(op.get_bind())


def _carry_over(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text("SELECT id, stage, root_cause, routed_to, stamps FROM initiative")
    ).fetchall()
    for initiative_id, stage, root_cause, routed_to, stamps_text in rows:
        stamps = json.loads(stamps_text or "{}")
        if stage != "discover":
            triage = "approved"
        elif root_cause in _ROUTED and routed_to.strip():
            triage = "routed"
        else:
            triage = "new"
        conn.execute(
            sa.text("UPDATE initiative SET triage = :t WHERE id = :i"),
            {"t": triage, "i": initiative_id},
        )
        if root_cause in (None, "", "unknown") or "*" not in stamps:
            continue
        cause_id = uuid.uuid5(_LINKS, f"InitiativeCause/{initiative_id}/{root_cause}").hex
        stamp = stamps.get("root_cause") or stamps["*"]
        conn.execute(
            sa.text(
                "INSERT INTO initiative_cause "
                "(id, initiative_id, cause, owner, note, due, deleted, stamps) "
                "VALUES (:id, :i, :c, '', :note, NULL, 0, :stamps)"
            ),
            {
                "id": cause_id,
                "i": initiative_id,
                "c": root_cause,
                "note": routed_to if root_cause in _ROUTED else "",
                "stamps": json.dumps({"*": stamp}, sort_keys=True, separators=(",", ":")),
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("backlog_item", schema=None) as batch_op:
        batch_op.drop_constraint("fk_backlog_item_key_result_id", type_="foreignkey")
        batch_op.drop_constraint("fk_backlog_item_metric_id", type_="foreignkey")
        batch_op.drop_index("ix_backlog_item_metric_id")
        batch_op.drop_index("ix_backlog_item_key_result_id")
        batch_op.drop_column("key_result_id")
        batch_op.drop_column("metric_id")
        batch_op.drop_column("sourcing_reason")
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        for name in (
            "rubric_moscow",
            "rubric_value",
            "rubric_job_size",
            "rubric_risk_reduction",
            "rubric_time_criticality",
            "rubric_business_value",
            "rubric_effort",
            "rubric_confidence",
            "rubric_impact",
            "rubric_reach",
            "wsjf_weight_risk",
            "wsjf_weight_time",
            "wsjf_weight_value",
            "confidence_scale",
            "impact_scale",
            "scoring_method",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        for name in (
            "triaged_on",
            "approval_override",
            "triage_reason",
            "triage",
            "requested_solution",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("initiative_cause", schema=None) as batch_op:
        batch_op.drop_index("ix_initiative_cause_initiative_id")
    op.drop_table("initiative_cause")
