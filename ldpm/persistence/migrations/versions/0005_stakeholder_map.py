"""stakeholder map: expertise tags, private-note flag, engagement plan, assessment labels,
follow-ups

Revision ID: 0005
Revises: 0002

Adds, with defaults that keep every existing row as it was:

* ``person.expertise_tags`` (text, '') and ``person.notes_private`` (1: a person's notes were
  documented as private before, so they stay private);
* ``stakeholder.channel``, ``stakeholder.owner``, ``stakeholder.strategy`` (text, '') and
  ``stakeholder.next_contact`` (a date, none);
* ``assessment.label`` (text, '');
* ``interaction.follow_up`` (text, ''), ``interaction.follow_up_due`` (a date, none) and
  ``interaction.follow_up_done`` (0).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0007"  # revisions are numbered by branch; they run in this chain
branch_labels = None
depends_on = None

_TEXT = (
    ("person", "expertise_tags"),
    ("stakeholder", "channel"),
    ("stakeholder", "owner"),
    ("stakeholder", "strategy"),
    ("assessment", "label"),
    ("interaction", "follow_up"),
)
_DATES = (("stakeholder", "next_contact"), ("interaction", "follow_up_due"))
_FLAGS = (("person", "notes_private", "1"), ("interaction", "follow_up_done", "0"))


def upgrade() -> None:
    for table, column in _TEXT:
        op.add_column(
            table,
            sa.Column(column, sa.Text(), nullable=False, server_default=sa.text("''")),
        )
    for table, column in _DATES:
        op.add_column(table, sa.Column(column, sa.Text(), nullable=True))
    for table, column, default in _FLAGS:
        op.add_column(
            table,
            sa.Column(column, sa.Integer(), nullable=False, server_default=sa.text(default)),
        )


def downgrade() -> None:
    for table, column, _default in reversed(_FLAGS):
        op.drop_column(table, column)
    for table, column in reversed(_DATES):
        op.drop_column(table, column)
    for table, column in reversed(_TEXT):
        op.drop_column(table, column)
