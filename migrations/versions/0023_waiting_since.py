"""People: "waiting since" kept on the row, and an index that answers who waits longest.

The dashboard asked on every visit, for each waiting mentee, for the last history step
that started their wait; at 700 waiting mentees those look-ups were a third of the page.
The transition function now keeps the moment on the person's row
(``duo.people.states.starts_a_wait``); this revision fills it in from the history for the
people already there.
"""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime
from duo.core.tenancy import rls

revision = "0023_waiting_since"
down_revision = "0022_chooser_index"

#: The same rule as ``duo.people.states.starts_a_wait``, over the recorded history.
_BACKFILL = """
UPDATE people SET waiting_since = (
    SELECT max(c.at) FROM person_state_changes c
    WHERE c.tenant_id = people.tenant_id AND c.person_id = people.id
      AND c.to_state = 'eligible' AND (c.from_state IS NULL OR c.from_state <> 'matched')
)
WHERE people.tenant_id = :tenant
"""


def _backfill() -> None:
    """Branch by branch, each in its own row-level security scope on PostgreSQL: the
    tables' policies are forced, so an owner that is not a superuser sees one branch."""
    bind = op.get_bind()
    for (tenant_id,) in bind.execute(sa.text("SELECT id FROM tenants ORDER BY id")).all():
        if bind.dialect.name == "postgresql":
            bind.exec_driver_sql(rls.setting_sql(int(tenant_id)))
        bind.execute(sa.text(_BACKFILL), {"tenant": tenant_id})
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(rls.setting_sql(None))


def upgrade():
    op.add_column("people", sa.Column("waiting_since", UTCDateTime(), nullable=True))
    _backfill()
    op.create_index(
        "ix_people_tenant_role_waiting",
        "people",
        ["tenant_id", "role", "state", "waiting_since", "state_changed_at"],
    )


def downgrade():
    op.drop_index("ix_people_tenant_role_waiting", table_name="people")
    # Not a batch: rebuilding the table on SQLite would lose its expression indexes;
    # SQLite drops a column itself since 3.35.
    op.drop_column("people", "waiting_since")
