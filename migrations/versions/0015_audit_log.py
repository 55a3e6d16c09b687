"""Audit log: the person an event is about, and append-only for the application role."""

import sqlalchemy as sa
from alembic import op

from duo.core.tenancy import rls

revision = "0015_audit_log"
down_revision = "0014_gdpr"


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Uuid()))
        batch_op.create_index(batch_op.f("ix_audit_events_person_id"), ["person_id"])
        batch_op.create_index("ix_audit_events_tenant_id_at", ["tenant_id", "at"])
    rls.migrate_app_role(op)  # grants, then takes back what the log must not allow


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO "{rls.app_role_name()}"')
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_tenant_id_at")
        batch_op.drop_index(batch_op.f("ix_audit_events_person_id"))
        batch_op.drop_column("person_id")
