"""Staff security: two-factor authentication, recovery codes, server-side sessions, resets."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0013_staff_security"
down_revision = "0012_evaluation"


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64)))
        batch_op.add_column(sa.Column("totp_enabled_at", UTCDateTime()))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer()))
        batch_op.add_column(sa.Column("password_changed_at", UTCDateTime()))

    ops.create_account_table(
        "recovery_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime()),
    )
    ops.create_account_table(
        "staff_sessions",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("user_agent", sa.String(length=200)),
        unique_columns=["key_hash"],
    )
    ops.create_account_table(
        "password_resets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime()),
        unique_columns=["token_hash"],
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables("password_resets", "staff_sessions", "recovery_codes")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
