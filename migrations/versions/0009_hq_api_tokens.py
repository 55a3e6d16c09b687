"""HQ API tokens (hashed)

Revision ID: 0009_hq_api_tokens
Revises: 0008_reporting_rollups
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

import duo.core.db.types
from duo.core.tenancy import rls

revision = "0009_hq_api_tokens"
down_revision = "0008_reporting_rollups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hq_api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_api_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_hq_api_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hq_api_tokens_token_hash")),
    )
    rls.migrate_app_role(op)


def downgrade():
    op.drop_table("hq_api_tokens")
