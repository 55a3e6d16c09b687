"""GDPR: the consent ledger (action, channel, who) and erasures."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import migration_ops as ops

revision = "0014_gdpr"
down_revision = "0013_staff_security"


def upgrade():
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("action", sa.String(length=10), server_default="grant", nullable=False)
        )
        batch_op.add_column(
            sa.Column("channel", sa.String(length=20), server_default="form", nullable=False)
        )
        batch_op.add_column(sa.Column("by_user_id", sa.Integer()))
        batch_op.create_foreign_key(
            batch_op.f("fk_consents_by_user_id_users"),
            "users",
            ["by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )

    ops.create_branch_table(
        "privacy_erasures",
        ops.person_ref(),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime()),
        ops.user_ref("by_user_id"),
        indexed=["due_at", "person_id"],
    )


def downgrade():
    ops.drop_tables("privacy_erasures")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_consents_by_user_id_users"), type_="foreignkey")
        batch_op.drop_column("by_user_id")
        batch_op.drop_column("channel")
        batch_op.drop_column("action")
