"""Duo first meeting, personal links, decisions, documents, events and signatures."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0010_duo_steps"
down_revision = "0010_everyday_audit_events"


def upgrade():
    ops.create_branch_table(
        "personal_links",
        ops.person_ref(),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("single_use", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        ops.user_ref("created_by_user_id"),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime()),
        sa.Column("used_at", UTCDateTime()),
        sa.Column("last_opened_at", UTCDateTime()),
        unique_together=[("tenant_id", "token_hash")],
        indexed=["person_id"],
        named_indexes={"ix_personal_links_object": ["tenant_id", "object_type", "object_id"]},
    )
    ops.create_branch_table(
        "duo_decisions",
        ops.row_ref("duo_id", "duos"),
        sa.Column("party", sa.String(length=10), nullable=False),
        sa.Column("go_on", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        ops.user_ref("recorded_by_user_id"),
        sa.Column("on_behalf_reason", sa.Text()),
        unique_together=[("tenant_id", "duo_id", "party")],
        indexed=["duo_id"],
    )
    ops.create_branch_table(
        "duo_documents",
        ops.row_ref("duo_id", "duos"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=60), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        unique_together=[("tenant_id", "duo_id", "kind")],
        indexed=["duo_id"],
    )
    ops.create_branch_table(
        "duo_events",
        ops.row_ref("duo_id", "duos"),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        ops.user_ref("by_user_id"),
        ops.person_ref("by_person_id", nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("details", JSONType),
        indexed=["duo_id"],
    )
    ops.create_branch_table(
        "duo_signatures",
        ops.row_ref("duo_id", "duos"),
        sa.Column("party", sa.String(length=12), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        ops.user_ref("by_user_id"),
        unique_together=[("tenant_id", "duo_id", "party")],
        indexed=["duo_id"],
    )
    with op.batch_alter_table("duos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_meeting_at", UTCDateTime()))
        batch_op.add_column(sa.Column("first_meeting_place", sa.String(length=300)))
        batch_op.add_column(sa.Column("first_meeting_video_url", sa.String(length=500)))
        batch_op.add_column(sa.Column("first_meeting_coordinator_id", sa.Integer()))
        batch_op.add_column(sa.Column("agreement_locale", sa.String(length=8)))
        batch_op.create_foreign_key(
            batch_op.f("fk_duos_first_meeting_coordinator_id_users"),
            "users",
            ["first_meeting_coordinator_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("duos", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_duos_first_meeting_coordinator_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("agreement_locale")
        batch_op.drop_column("first_meeting_coordinator_id")
        batch_op.drop_column("first_meeting_video_url")
        batch_op.drop_column("first_meeting_place")
        batch_op.drop_column("first_meeting_at")
    ops.drop_tables(
        "duo_signatures", "duo_events", "duo_documents", "duo_decisions", "personal_links"
    )
