"""Matching sessions (locks, exclusions) and duos with their history."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0005_matching_duos"
down_revision = "0001_foundation"

OPEN_DUO = "state IN ('proposed', 'first_meeting', 'confirmed', 'active')"


def upgrade():
    ops.create_branch_table(
        "matching_sessions",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        ops.user_ref("opened_by_user_id"),
        sa.Column("closed_at", UTCDateTime()),
        ops.user_ref("closed_by_user_id"),
    )
    ops.index(
        "matching_sessions",
        ["tenant_id"],
        name="uq_matching_sessions_open",
        unique=True,
        where="status = 'open'",
    )
    ops.create_branch_table(
        "duos",
        ops.person_ref("mentee_id"),
        ops.person_ref("mentor_id"),
        ops.row_ref("matching_session_id", "matching_sessions", nullable=True, ondelete=None),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_changed_at", UTCDateTime(), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("first_meeting_on", sa.Date()),
        sa.Column("started_at", UTCDateTime()),
        sa.Column("ends_on", sa.Date()),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("stop_reason", sa.Text()),
        sa.Column("declined_by", sa.String(length=10)),
        indexed=["matching_session_id", "mentee_id", "mentor_id", "state"],
    )
    for party in ("mentee", "mentor"):
        ops.index(
            "duos",
            ["tenant_id", f"{party}_id"],
            name=f"uq_duos_open_{party}",
            unique=True,
            where=OPEN_DUO,
        )
    ops.create_branch_table(
        "matching_constraints",
        ops.row_ref("session_id", "matching_sessions"),
        sa.Column("kind", sa.String(length=10), nullable=False),
        ops.person_ref("mentee_id"),
        ops.person_ref("mentor_id"),
        ops.user_ref("by_user_id"),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime()),
        ops.user_ref("removed_by_user_id"),
        indexed=["session_id"],
    )
    ops.create_branch_table(
        "duo_state_changes",
        ops.row_ref("duo_id", "duos"),
        sa.Column("from_state", sa.String(length=20)),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        ops.user_ref("by_user_id"),
        sa.Column("reason", sa.Text()),
        sa.Column("details", JSONType),
        indexed=["duo_id"],
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables("duo_state_changes", "matching_constraints", "duos", "matching_sessions")
