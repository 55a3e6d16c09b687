"""Reporting rollups; row-level security without the HQ bypass.

The rollup tables hold counts and sums per branch and month (no person). Everyone may read
them (HQ reads all branches); only the branch set for the transaction may write its own.

Every branch-owned table's ``tenant_isolation`` policy is recreated without the
``duo.hq_aggregate`` alternative: no setting lets the application role see more than one
branch's rows at once any more.
"""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import rls

revision = "0008_reporting_rollups"
down_revision = "0007_ops_outbox"

ROLLUP_TABLES = ("report_rollups", "report_refreshes")
OWN = "tenant_id = NULLIF(current_setting('duo.tenant_id', true), '')::integer"


def _isolated_tables(bind) -> list[str]:
    rows = bind.execute(
        sa.text(
            "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
            "AND policyname = :name"
        ),
        {"name": rls.POLICY},
    )
    return sorted(r[0] for r in rows)


def upgrade():
    op.create_table(
        "report_rollups",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=60), nullable=False),
        sa.Column("dimension", sa.String(length=30), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_report_rollups_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id",
            "month",
            "measure",
            "dimension",
            "category",
            "bucket",
            name=op.f("pk_report_rollups"),
        ),
    )
    with op.batch_alter_table("report_rollups", schema=None) as batch_op:
        batch_op.create_index("ix_report_rollups_measure_month", ["measure", "month"], unique=False)
    op.create_table(
        "report_refreshes",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", UTCDateTime(), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.Column("data_hash", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_report_refreshes_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_report_refreshes")),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in _isolated_tables(bind):
        for statement in rls.enable_rls_sql(table):
            op.execute(statement)
    for table in ROLLUP_TABLES:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY rollup_read ON "{table}" FOR SELECT USING (true)')
        op.execute(f'CREATE POLICY rollup_insert ON "{table}" FOR INSERT WITH CHECK ({OWN})')
        op.execute(
            f'CREATE POLICY rollup_update ON "{table}" FOR UPDATE USING ({OWN}) WITH CHECK ({OWN})'
        )
        op.execute(f'CREATE POLICY rollup_delete ON "{table}" FOR DELETE USING ({OWN})')
    rls.migrate_app_role(op)


def downgrade():
    # The HQ bypass is not restored: it let any SQL of the application role read and delete
    # every branch's rows.
    op.drop_table("report_refreshes")
    with op.batch_alter_table("report_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_report_rollups_measure_month")
    op.drop_table("report_rollups")
