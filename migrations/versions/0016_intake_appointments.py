"""Intake appointments and requests for another time."""

import sqlalchemy as sa

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0016_intake_appointments"
down_revision = "0015_audit_log"


def upgrade():
    ops.create_branch_table(
        "intake_appointments",
        ops.person_ref(),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300)),
        sa.Column("video_url", sa.String(length=500)),
        ops.user_ref("coordinator_user_id"),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        ops.user_ref("created_by_user_id"),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime()),
        indexed=["person_id"],
        named_indexes={
            "ix_intake_appointments_status_starts_at": ["tenant_id", "status", "starts_at"]
        },
    )
    ops.create_branch_table(
        "intake_time_requests",
        ops.row_ref("appointment_id", "intake_appointments"),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("preferred", JSONType, nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("handled_at", UTCDateTime()),
        indexed=["appointment_id"],
    )


def downgrade():
    ops.drop_tables("intake_time_requests", "intake_appointments")
