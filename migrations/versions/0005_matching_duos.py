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
        sa.Column("opened_by_user_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by_user_id", sa.Integer(), nullable=True),
        keys=[ops.user_key("closed_by_user_id"), ops.user_key("opened_by_user_id")],
    )
    ops.index(
        "matching_sessions",
        "tenant_id",
        name="uq_matching_sessions_open",
        unique=True,
        where="status = 'open'",
    )
    ops.create_branch_table(
        "duos",
        sa.Column("mentee_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("matching_session_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_changed_at", UTCDateTime(), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("first_meeting_on", sa.Date(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.Text(), nullable=True),
        sa.Column("declined_by", sa.String(length=10), nullable=True),
        keys=[
            ops.row_key("matching_session_id", "matching_sessions", ondelete=None),
            ops.person_key("mentee_id"),
            ops.person_key("mentor_id"),
        ],
        indexed=["matching_session_id", "mentee_id", "mentor_id", "state"],
    )
    for party in ("mentee", "mentor"):
        ops.index(
            "duos",
            "tenant_id",
            f"{party}_id",
            name=f"uq_duos_open_{party}",
            unique=True,
            where=OPEN_DUO,
        )
    ops.create_branch_table(
        "matching_constraints",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("mentee_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("removed_by_user_id", sa.Integer(), nullable=True),
        keys=[
            ops.user_key("by_user_id"),
            ops.user_key("removed_by_user_id"),
            ops.person_key("mentee_id"),
            ops.person_key("mentor_id"),
            ops.row_key("session_id", "matching_sessions"),
        ],
        indexed=["session_id"],
    )
    ops.create_branch_table(
        "duo_state_changes",
        sa.Column("duo_id", sa.Uuid(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", JSONType, nullable=True),
        keys=[ops.user_key("by_user_id"), ops.row_key("duo_id", "duos")],
        indexed=["duo_id"],
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables("duo_state_changes", "matching_constraints", "duos", "matching_sessions")
