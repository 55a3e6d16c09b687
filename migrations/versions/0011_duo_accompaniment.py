"""Duo check-ins and health alerts."""

import sqlalchemy as sa

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0011_duo_accompaniment"
down_revision = "0010_duo_steps"


def upgrade():
    ops.create_branch_table(
        "duo_alerts",
        sa.Column("duo_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("cleared_at", UTCDateTime(), nullable=True),
        keys=[ops.row_key("duo_id", "duos")],
        indexed=["duo_id"],
    )
    ops.index(
        "duo_alerts",
        "tenant_id",
        "duo_id",
        "kind",
        name="uq_duo_alerts_open",
        unique=True,
        where="cleared_at IS NULL",
    )
    ops.create_branch_table(
        "duo_check_ins",
        sa.Column("duo_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_person_id", sa.Uuid(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("topics", JSONType, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("contact_me", sa.Boolean(), nullable=False),
        keys=[
            ops.user_key("by_user_id"),
            ops.person_key("by_person_id"),
            ops.row_key("duo_id", "duos"),
        ],
        indexed=["duo_id"],
    )


def downgrade():
    ops.drop_tables("duo_check_ins", "duo_alerts")
