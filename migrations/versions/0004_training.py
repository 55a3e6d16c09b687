"""Training: cycles, sessions, enrolments, attendance, calendar feed tokens."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0004_training"
down_revision = "0001_foundation"


def upgrade():
    ops.create_branch_table(
        "training_cycles",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("workshop_key", sa.String(length=100)),
        sa.Column("module_keys", JSONType, nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("weekdays", JSONType, nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=300)),
        sa.Column("capacity", sa.Integer()),
        sa.Column("skipped", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        ops.user_ref("created_by_user_id"),
    )
    ops.create_branch_table(
        "training_feed_tokens",
        sa.Column("kind", sa.String(length=10), nullable=False),
        ops.person_ref(nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        ops.user_ref("created_by_user_id"),
        sa.Column("last_used_at", UTCDateTime()),
        sa.Column("revoked_at", UTCDateTime()),
        unique_together=[("token_hash",)],
        indexed=["person_id"],
    )
    ops.create_branch_table(
        "training_sessions",
        ops.row_ref("cycle_id", "training_cycles"),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("module_key", sa.String(length=100)),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("location", sa.String(length=300)),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cancel_reason", sa.Text()),
        sa.Column("cancelled_at", UTCDateTime()),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("moved_at", UTCDateTime()),
        sa.Column("attendance_recorded_at", UTCDateTime()),
        indexed=["cycle_id"],
        named_indexes={"ix_training_sessions_starts_at": ["tenant_id", "starts_at"]},
    )
    ops.create_branch_table(
        "training_attendance",
        ops.row_ref("session_id", "training_sessions"),
        ops.person_ref(),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        ops.user_ref("recorded_by_user_id"),
        unique_together=[("tenant_id", "session_id", "person_id")],
        indexed=["person_id", "session_id"],
    )
    ops.create_branch_table(
        "training_enrolments",
        ops.row_ref("cycle_id", "training_cycles"),
        ops.row_ref("session_id", "training_sessions", nullable=True),
        ops.person_ref(),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("enrolled_at", UTCDateTime()),
        sa.Column("withdrawn_at", UTCDateTime()),
        ops.user_ref("created_by_user_id"),
        unique_together=[("tenant_id", "cycle_id", "person_id", "scope")],
        indexed=["cycle_id", "person_id"],
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables(
        "training_enrolments",
        "training_attendance",
        "training_sessions",
        "training_feed_tokens",
        "training_cycles",
    )
