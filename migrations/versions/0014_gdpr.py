"""GDPR: the consent ledger (action, channel, who) and erasures

Revision ID: 0014_gdpr
Revises: 0013_staff_security
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import rls

revision = "0014_gdpr"
down_revision = "0013_staff_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("action", sa.String(length=10), server_default="grant", nullable=False)
        )
        batch_op.add_column(
            sa.Column("channel", sa.String(length=20), server_default="form", nullable=False)
        )
        batch_op.add_column(sa.Column("by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_consents_by_user_id_users"),
            "users",
            ["by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "privacy_erasures",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_privacy_erasures_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["people.tenant_id", "people.id"],
            name=op.f("fk_privacy_erasures_tenant_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_privacy_erasures_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_privacy_erasures")),
    )
    with op.batch_alter_table("privacy_erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_erasures_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_privacy_erasures_person_id"), ["person_id"], unique=False
        )
    rls.migrate_enable(op, "privacy_erasures")


def downgrade():
    rls.migrate_disable(op, "privacy_erasures")
    with op.batch_alter_table("privacy_erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_erasures_person_id"))
        batch_op.drop_index(batch_op.f("ix_privacy_erasures_due_at"))
    op.drop_table("privacy_erasures")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_consents_by_user_id_users"), type_="foreignkey")
        batch_op.drop_column("by_user_id")
        batch_op.drop_column("channel")
        batch_op.drop_column("action")
