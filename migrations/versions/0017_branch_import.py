"""Branch move-in: the kind of an import batch (candidates, mentors, duos, outcomes)."""

import sqlalchemy as sa
from alembic import op

revision = "0017_branch_import"
down_revision = "0016_intake_appointments"


def upgrade():
    with op.batch_alter_table("people_import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="candidates")
        )


def downgrade():
    with op.batch_alter_table("people_import_batches", schema=None) as batch_op:
        batch_op.drop_column("kind")
