"""Page indexes, second round: duos by state and waiting time; "waiting since" whole.

At 2,600 duos the list's counts per state and its sort read every duo row, and the
dashboard's "waiting since" read each waiting person's row and each history step it found;
these indexes answer them from the index alone.
"""

from alembic import op

revision = "0021_page_indexes_duos"
down_revision = "0020_page_indexes"

_STEPS = ["tenant_id", "to_state", "person_id", "at"]
_PEOPLE = ["tenant_id", "role", "state"]


def upgrade():
    op.create_index(
        "ix_duos_tenant_state_since", "duos", ["tenant_id", "state", "state_changed_at", "id"]
    )
    op.drop_index("ix_person_state_changes_tenant_to", table_name="person_state_changes")
    op.create_index(
        "ix_person_state_changes_tenant_to", "person_state_changes", [*_STEPS, "from_state"]
    )
    op.drop_index("ix_people_tenant_role_state", table_name="people")
    op.create_index("ix_people_tenant_role_state", "people", [*_PEOPLE, "state_changed_at", "id"])


def downgrade():
    op.drop_index("ix_people_tenant_role_state", table_name="people")
    op.create_index("ix_people_tenant_role_state", "people", _PEOPLE)
    op.drop_index("ix_person_state_changes_tenant_to", table_name="person_state_changes")
    op.create_index("ix_person_state_changes_tenant_to", "person_state_changes", _STEPS)
    op.drop_index("ix_duos_tenant_state_since", table_name="duos")
