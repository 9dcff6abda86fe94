"""initial schema

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "initiative",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("sponsor", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("archived", sa.Integer(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Text(), nullable=True),
        sa.Column("intake_problem", sa.Text(), nullable=False),
        sa.Column("intake_who", sa.Text(), nullable=False),
        sa.Column("intake_optimal", sa.Text(), nullable=False),
        sa.Column("intake_measure", sa.Text(), nullable=False),
        sa.Column("intake_exemplars", sa.Text(), nullable=False),
        sa.Column("intake_form", sa.Text(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("routed_to", sa.Text(), nullable=False),
        sa.Column("problem_statement", sa.Text(), nullable=False),
        sa.Column("problem_segment", sa.Text(), nullable=False),
        sa.Column("problem_behaviour", sa.Text(), nullable=False),
        sa.Column("problem_metric", sa.Text(), nullable=False),
        sa.Column("problem_unit", sa.Text(), nullable=False),
        sa.Column("problem_baseline", sa.Float(), nullable=True),
        sa.Column("problem_target", sa.Float(), nullable=True),
        sa.Column("problem_date", sa.Text(), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("expertise", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "workspace",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "metric",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("kirkpatrick", sa.Integer(), nullable=True),
        sa.Column("ltem", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.create_index("ix_metric_initiative_id", ["initiative_id"], unique=False)

    op.create_table(
        "objective",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.create_index("ix_objective_initiative_id", ["initiative_id"], unique=False)

    op.create_table(
        "release",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Text(), nullable=True),
        sa.Column("is_mvp", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_index("ix_release_initiative_id", ["initiative_id"], unique=False)

    op.create_table(
        "segment",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("segment", schema=None) as batch_op:
        batch_op.create_index("ix_segment_initiative_id", ["initiative_id"], unique=False)

    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("support", sa.Text(), nullable=False),
        sa.Column("current_engagement", sa.Text(), nullable=False),
        sa.Column("desired_engagement", sa.Text(), nullable=False),
        sa.Column("engagement_plan", sa.Text(), nullable=False),
        sa.Column("cadence", sa.Text(), nullable=False),
        sa.Column("private_notes", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholder_initiative_id", ["initiative_id"], unique=False)
        batch_op.create_index("ix_stakeholder_person_id", ["person_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("stakeholder_id", sa.Text(), nullable=False),
        sa.Column("on", sa.Text(), nullable=False),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("support", sa.Text(), nullable=False),
        sa.Column("engagement", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"], ["stakeholder.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_stakeholder_id", ["stakeholder_id"], unique=False)

    op.create_table(
        "backlog_item",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=True),
        sa.Column("moment", sa.Text(), nullable=True),
        sa.Column("sourcing", sa.Text(), nullable=False),
        sa.Column("effort", sa.Float(), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("impact", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("business_value", sa.Integer(), nullable=True),
        sa.Column("time_criticality", sa.Integer(), nullable=True),
        sa.Column("risk_reduction", sa.Integer(), nullable=True),
        sa.Column("job_size", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("moscow", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("release_id", sa.Text(), nullable=True),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["release_id"], ["release.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("backlog_item", schema=None) as batch_op:
        batch_op.create_index("ix_backlog_item_initiative_id", ["initiative_id"], unique=False)
        batch_op.create_index("ix_backlog_item_release_id", ["release_id"], unique=False)

    op.create_table(
        "experiment",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=True),
        sa.Column("pass_criterion", sa.Text(), nullable=False),
        sa.Column("start", sa.Text(), nullable=True),
        sa.Column("end", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index("ix_experiment_initiative_id", ["initiative_id"], unique=False)
        batch_op.create_index("ix_experiment_metric_id", ["metric_id"], unique=False)

    op.create_table(
        "interaction",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("stakeholder_id", sa.Text(), nullable=False),
        sa.Column("on", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"], ["stakeholder.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index("ix_interaction_stakeholder_id", ["stakeholder_id"], unique=False)

    op.create_table(
        "key_result",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("objective_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("current", sa.Float(), nullable=True),
        sa.Column("due", sa.Text(), nullable=True),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objective.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("key_result", schema=None) as batch_op:
        batch_op.create_index("ix_key_result_metric_id", ["metric_id"], unique=False)
        batch_op.create_index("ix_key_result_objective_id", ["objective_id"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=False),
        sa.Column("on", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index("ix_measurement_metric_id", ["metric_id"], unique=False)

    op.create_table(
        "item_sme",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["backlog_item.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("item_sme", schema=None) as batch_op:
        batch_op.create_index("ix_item_sme_item_id", ["item_id"], unique=False)
        batch_op.create_index("ix_item_sme_person_id", ["person_id"], unique=False)

    op.create_table(
        "story",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("initiative_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("on", sa.Text(), nullable=True),
        sa.Column("metric_id", sa.Text(), nullable=True),
        sa.Column("experiment_id", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stamps", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["experiment.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.create_index("ix_story_experiment_id", ["experiment_id"], unique=False)
        batch_op.create_index("ix_story_initiative_id", ["initiative_id"], unique=False)
        batch_op.create_index("ix_story_metric_id", ["metric_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index("ix_story_metric_id")
        batch_op.drop_index("ix_story_initiative_id")
        batch_op.drop_index("ix_story_experiment_id")

    op.drop_table("story")
    with op.batch_alter_table("item_sme", schema=None) as batch_op:
        batch_op.drop_index("ix_item_sme_person_id")
        batch_op.drop_index("ix_item_sme_item_id")

    op.drop_table("item_sme")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_metric_id")

    op.drop_table("measurement")
    with op.batch_alter_table("key_result", schema=None) as batch_op:
        batch_op.drop_index("ix_key_result_objective_id")
        batch_op.drop_index("ix_key_result_metric_id")

    op.drop_table("key_result")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_stakeholder_id")

    op.drop_table("interaction")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index("ix_experiment_metric_id")
        batch_op.drop_index("ix_experiment_initiative_id")

    op.drop_table("experiment")
    with op.batch_alter_table("backlog_item", schema=None) as batch_op:
        batch_op.drop_index("ix_backlog_item_release_id")
        batch_op.drop_index("ix_backlog_item_initiative_id")

    op.drop_table("backlog_item")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_stakeholder_id")

    op.drop_table("assessment")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index("ix_stakeholder_person_id")
        batch_op.drop_index("ix_stakeholder_initiative_id")

    op.drop_table("stakeholder")
    with op.batch_alter_table("segment", schema=None) as batch_op:
        batch_op.drop_index("ix_segment_initiative_id")

    op.drop_table("segment")
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_index("ix_release_initiative_id")

    op.drop_table("release")
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_index("ix_objective_initiative_id")

    op.drop_table("objective")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_initiative_id")

    op.drop_table("metric")
    op.drop_table("workspace")
    op.drop_table("person")
    op.drop_table("meta")
    op.drop_table("initiative")
