"""Reporting: a digest of each month's rollups, so a refresh rewrites only the months that moved."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType

revision = "0019_rollup_month_digests"
down_revision = "0018_duos_followups"


def upgrade():
    with op.batch_alter_table("report_refreshes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month_digests", JSONType, nullable=True))


def downgrade():
    with op.batch_alter_table("report_refreshes", schema=None) as batch_op:
        batch_op.drop_column("month_digests")
