"""HQ API tokens (hashed) and the annual report's runs."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import rls

revision = "0009_hq_api_tokens"
down_revision = "0008_reporting_rollups"


def upgrade():
    op.create_table(
        "hq_api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime()),
        sa.Column("revoked_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_api_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_hq_api_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hq_api_tokens_token_hash")),
    )
    op.create_table(
        "report_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("data_hash", sa.String(length=64)),
        sa.Column("pdf", sa.LargeBinary()),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_runs_requested_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_runs")),
    )
    rls.migrate_app_role(op)


def downgrade():
    op.drop_table("report_runs")
    op.drop_table("hq_api_tokens")
