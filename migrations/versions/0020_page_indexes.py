"""page indexes: people counted by role and state, listed by name, and waiting since when

Issue 12: at 5,000 people a branch's dashboard and candidates list spent most of their
time in three statements, each reading every person row (counts by role and state, the
list sorted by name, the last time each waiting mentee became eligible). These indexes
answer them from the index alone.

Numbered 0020: the lead's working tree holds a 0019 (rollup month digests) not yet
committed; whichever lands second is re-chained after the other.

Revision ID: 0020_page_indexes
Revises: 0018_duos_followups
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_page_indexes"
down_revision = "0018_duos_followups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_people_tenant_role_state", "people", ["tenant_id", "role", "state"])
    op.create_index(
        "ix_people_tenant_name",
        "people",
        ["tenant_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"],
    )
    op.create_index(
        "ix_person_state_changes_tenant_to",
        "person_state_changes",
        ["tenant_id", "to_state", "person_id", "at"],
    )


def downgrade():
    op.drop_index("ix_person_state_changes_tenant_to", table_name="person_state_changes")
    op.drop_index("ix_people_tenant_name", table_name="people")
    op.drop_index("ix_people_tenant_role_state", table_name="people")
