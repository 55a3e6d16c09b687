"""Evaluation answers, outcome asks and outcomes."""

import sqlalchemy as sa

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0012_evaluation"
down_revision = "0011_duo_accompaniment"


def upgrade():
    ops.create_branch_table(
        "evaluation_answers",
        ops.row_ref("duo_id", "duos"),
        sa.Column("party", sa.String(length=10), nullable=False),
        sa.Column("question_key", sa.String(length=60), nullable=False),
        sa.Column("question_version", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        ops.user_ref("recorded_by_user_id"),
        unique_together=[("tenant_id", "duo_id", "party", "question_key", "question_version")],
        indexed=["duo_id"],
    )
    ops.create_branch_table(
        "outcome_asks",
        ops.row_ref("duo_id", "duos"),
        ops.person_ref(),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.Column("reminded_at", UTCDateTime()),
        sa.Column("answered_at", UTCDateTime()),
        sa.Column("lost_at", UTCDateTime()),
        unique_together=[("tenant_id", "duo_id", "months_after")],
        indexed=["duo_id", "person_id"],
    )
    ops.create_branch_table(
        "outcomes",
        ops.row_ref("duo_id", "duos"),
        ops.person_ref(),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("contract_type", sa.String(length=20)),
        sa.Column("hours_per_week", sa.Integer()),
        sa.Column("job_started_on", sa.Date()),
        sa.Column("note", sa.Text()),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        ops.user_ref("recorded_by_user_id"),
        sa.Column("by_coordinator", sa.Boolean(), nullable=False),
        unique_together=[("tenant_id", "duo_id", "months_after")],
        indexed=["duo_id", "person_id"],
    )


def downgrade():
    ops.drop_tables("outcomes", "outcome_asks", "evaluation_answers")
