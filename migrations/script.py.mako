"""${message}"""

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
## A new branch-owned table: duo.core.tenancy.migration_ops.create_branch_table (it adds
## tenant_id and id, the keys and the row-level security policy).

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
% if branch_labels:
branch_labels = ${repr(branch_labels)}
% endif
% if depends_on:
depends_on = ${repr(depends_on)}
% endif


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
