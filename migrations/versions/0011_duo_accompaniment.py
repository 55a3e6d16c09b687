"""Duo check-ins and health alerts."""

import sqlalchemy as sa

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0011_duo_accompaniment"
down_revision = "0010_duo_steps"


def upgrade():
    ops.create_branch_table(
        "duo_alerts",
        ops.row_ref("duo_id", "duos"),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("cleared_at", UTCDateTime()),
        indexed=["duo_id"],
    )
    ops.index(
        "duo_alerts",
        ["tenant_id", "duo_id", "kind"],
        name="uq_duo_alerts_open",
        unique=True,
        where="cleared_at IS NULL",
    )
    ops.create_branch_table(
        "duo_check_ins",
        ops.row_ref("duo_id", "duos"),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        ops.person_ref("by_person_id", nullable=True),
        ops.user_ref("by_user_id"),
        sa.Column("met", sa.Boolean()),
        sa.Column("minutes", sa.Integer()),
        sa.Column("topics", JSONType, nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("contact_me", sa.Boolean(), nullable=False),
        indexed=["duo_id"],
    )


def downgrade():
    ops.drop_tables("duo_check_ins", "duo_alerts")
