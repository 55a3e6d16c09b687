"""branch move-in: the kind of an import batch (candidates, mentors, duos, outcomes)

Revision ID: 0017_branch_import
Revises: 0016_intake_appointments
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_branch_import"
down_revision = "0016_intake_appointments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people_import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="candidates")
        )


def downgrade():
    with op.batch_alter_table("people_import_batches", schema=None) as batch_op:
        batch_op.drop_column("kind")
