"""Foundation: branches, staff and roles, people and their history, the job outbox."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0001_foundation"
down_revision = None


def upgrade():
    op.create_table(
        "outbox_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("args", JSONType, nullable=False),
        sa.Column("tenant_id", sa.Integer()),
        sa.Column("dedupe_key", sa.String(length=200)),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime()),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_jobs")),
        ops.unique("outbox_jobs", "dedupe_key"),
    )
    ops.index("outbox_jobs", ["status", "run_after"], name="ix_outbox_jobs_due")
    op.create_table(
        "tenants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", JSONType, nullable=False),
        sa.Column("locales", JSONType, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        ops.unique("tenants", "slug"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=8)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_login_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        ops.unique("users", "email"),
    )
    ops.create_branch_table(
        "people",
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40)),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("state_changed_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        indexed=["state"],
    )
    op.create_table(
        "role_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer()),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_role_grants_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grants")),
        ops.unique("role_grants", "user_id", "tenant_id", "role"),
    )
    ops.index("role_grants", ["user_id"])
    ops.create_branch_table(
        "person_state_changes",
        ops.person_ref(),
        sa.Column("from_state", sa.String(length=30)),
        sa.Column("to_state", sa.String(length=30), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        ops.user_ref("by_user_id"),
        sa.Column("reason", sa.Text()),
        indexed=["person_id"],
    )
    ops.create_branch_table(
        "consents",
        ops.person_ref(),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime()),
        indexed=["person_id"],
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables(
        "consents",
        "person_state_changes",
        "role_grants",
        "people",
        "users",
        "tenants",
        "outbox_jobs",
    )
