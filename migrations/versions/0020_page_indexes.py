"""Page indexes: people counted by role and state, listed by name, and waiting since when.

At 5,000 people a branch's dashboard and candidates list spent most of their time in three
statements, each reading every person row; these indexes answer them from the index alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_page_indexes"
down_revision = "0019_rollup_month_digests"


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
