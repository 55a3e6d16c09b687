"""Information sessions, their registrations, and the branch's outbox of e-mails."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0003_info_sessions"
down_revision = "0001_foundation"


def upgrade():
    ops.create_branch_table(
        "info_sessions",
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300)),
        sa.Column("online_url", sa.String(length=500)),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text()),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime()),
        sa.Column("cancel_reason", sa.Text()),
        sa.Column("attendance_recorded_at", UTCDateTime()),
        ops.user_ref("created_by_user_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        named_indexes={"ix_info_sessions_tenant_starts": ["tenant_id", "starts_at"]},
    )
    ops.create_branch_table(
        "info_session_registrations",
        ops.row_ref("session_id", "info_sessions"),
        ops.person_ref(),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attended", sa.Boolean()),
        sa.Column("heard_from", sa.String(length=30)),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("promoted_at", UTCDateTime()),
        sa.Column("cancelled_at", UTCDateTime()),
        unique_together=[("tenant_id", "session_id", "person_id")],
        indexed=["person_id"],
        named_indexes={
            "ix_info_session_registrations_session": ["tenant_id", "session_id", "status"]
        },
    )
    ops.create_branch_table(
        "outgoing_mails",
        sa.Column("kind", sa.String(length=60)),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text()),
        sa.Column("attachments", JSONType, nullable=False),
        ops.person_ref(nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        indexed=["person_id"],
        named_indexes={"ix_outgoing_mails_tenant_created": ["tenant_id", "created_at"]},
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables("outgoing_mails", "info_session_registrations", "info_sessions")
